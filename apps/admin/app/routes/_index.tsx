import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { homePathFor, requireUser } from "~/utils/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  throw redirect(homePathFor(me.user.role));
}

export const ErrorBoundary = GeneralErrorBoundary;
