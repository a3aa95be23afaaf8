import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { getSessionToken, homePathFor, requireUser } from "~/utils/session.server.ts";
import { redirectToSetupWhenNeeded } from "~/utils/setup.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  // Nobody signed in on a fresh installation: the set-up page comes first.
  if (!(await getSessionToken(request))) await redirectToSetupWhenNeeded();
  const me = await requireUser(request);
  throw redirect(homePathFor(me));
}

export const ErrorBoundary = GeneralErrorBoundary;
