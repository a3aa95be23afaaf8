/**
 * An organization's single sign-on link: starts a sign-in with its identity provider (the API
 * keeps the secrets), remembers the sign-in in a short-lived cookie and sends the browser to
 * the provider. It comes back to /sso/callback.
 */
import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { apiErrorCode, apiFieldErrors, createPlainApi } from "~/utils/api.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";
import { commitSsoSignIn, ssoProblemOf } from "~/utils/sso.server.ts";

export const meta: MetaFunction = () => [{ title: "Single sign-on · dn admin" }];

const UNKNOWN_LINK =
  "This single sign-on link is not valid: the provider may have been removed. Ask your " +
  "organization for its current sign-in link.";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const providerId = params.providerId ?? "";
  // The API accepts only its own app's callback, so this is the address staff reached us on.
  const redirectUri = new URL("/sso/callback", request.url).href;
  let start: { signInId: string; authorizationUrl: string };
  try {
    start = await createPlainApi(null, clientAddressOf(request, context)).sso.begin.mutate({
      providerId,
      redirectUri,
    });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND" || (code === "BAD_REQUEST" && "providerId" in apiFieldErrors(error))) {
      return data({ problem: UNKNOWN_LINK }, { status: 404 });
    }
    if (code === "BAD_REQUEST") {
      return data(
        { problem: `Single sign-on could not start. ${ssoProblemOf(error)}` },
        { status: 400 },
      );
    }
    throw error;
  }
  const target = new URL(start.authorizationUrl);
  if (target.protocol !== "https:" && target.protocol !== "http:") {
    return data(
      { problem: "The identity provider's sign-in page is not a web address." },
      { status: 502 },
    );
  }
  throw redirect(target.href, {
    headers: { "Set-Cookie": await commitSsoSignIn(start.signInId) },
  });
}

export default function SsoStartPage() {
  const { problem } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="login">
      <div className="login__card">
        <h1>Single sign-on</h1>
        <p role="alert">{problem}</p>
        <p>
          <Link to="/login">Back to log in</Link>
        </p>
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  return (
    <main id="main" className="page page--narrow">
      <GeneralErrorBoundary />
    </main>
  );
}
