/**
 * Where the identity provider sends the browser back: the API completes the sign-in this
 * browser began (its id is in the cookie /sso/<provider> set) and opens a session, stored like
 * a password login's. A refusal is shown as it is, with the way back to the login page.
 */
import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { type ApiOutputs, apiErrorCode, createPlainApi } from "~/utils/api.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";
import { commitToken } from "~/utils/session.server.ts";
import { clearSsoSignIn, getSsoSignIn, ssoProblemOf } from "~/utils/sso.server.ts";

export const meta: MetaFunction = () => [{ title: "Single sign-on · dn admin" }];

const NOT_STARTED_HERE =
  "This sign-in has expired, or was started in another browser. Start again from the sign-in " +
  "link your organization gave you.";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signInId = await getSsoSignIn(request);
  const forget = await clearSsoSignIn();
  if (!signInId) {
    return data({ problem: NOT_STARTED_HERE }, { status: 400, headers: { "Set-Cookie": forget } });
  }
  let session: ApiOutputs["sso"]["complete"];
  try {
    session = await createPlainApi(null, clientAddressOf(request, context)).sso.complete.mutate({
      callbackUrl: request.url,
      signInId,
    });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "UNAUTHORIZED" || code === "BAD_REQUEST" || code === "TOO_MANY_REQUESTS") {
      return data(
        { problem: ssoProblemOf(error) },
        { status: code === "BAD_REQUEST" ? 400 : 401, headers: { "Set-Cookie": forget } },
      );
    }
    throw error;
  }
  const headers = new Headers();
  headers.append("Set-Cookie", forget);
  headers.append("Set-Cookie", await commitToken(request, session.token, session.expiresAt));
  // The start page depends on what the user may do, which "/" reads from auth.me.
  throw redirect("/", { headers });
}

export default function SsoCallbackPage() {
  const { problem } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="login">
      <div className="login__card">
        <h1>Single sign-on did not work</h1>
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
