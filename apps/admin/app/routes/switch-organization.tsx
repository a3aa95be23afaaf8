/** Moves the session to another of the user's organizations (explicit, audited by the API). */
import { SwitchOrganizationInputSchema } from "@dn/schema";
import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { readForm } from "~/utils/body-limit.server.ts";
import { homePathFor, requireApi } from "~/utils/session.server.ts";

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireApi(request);
  const parsed = SwitchOrganizationInputSchema.safeParse(
    Object.fromEntries(await readForm(request)),
  );
  if (!parsed.success) throw new Response("Choose one of your organizations.", { status: 400 });
  const me = await api.auth.switchOrganization.mutate(parsed.data);
  // Pages of the old organization mean nothing in the new one: start from its home page.
  throw redirect(homePathFor(me));
}

export function loader() {
  throw redirect("/");
}
