import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { apiErrorCode, createPlainApi } from "~/utils/api.server.ts";
import { destroySessionCookie, getSessionToken } from "~/utils/session.server.ts";

export async function loader() {
  throw redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const token = await getSessionToken(request);
  if (token) {
    try {
      await createPlainApi(token).auth.logout.mutate();
    } catch (error) {
      // An already expired session is as good as logged out.
      if (apiErrorCode(error) !== "UNAUTHORIZED") throw error;
    }
  }
  throw redirect("/login", { headers: { "Set-Cookie": await destroySessionCookie(request) } });
}
