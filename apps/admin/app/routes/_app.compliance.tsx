import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/utils/session.server.ts";

/** "My compliance": a practitioner's own compliance page; others start from the practitioners. */
export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const query = new URL(request.url).search;
  if (me.practitioner) throw redirect(`/practitioners/${me.practitioner.id}/compliance${query}`);
  throw redirect("/practitioners");
}
