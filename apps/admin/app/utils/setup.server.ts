/** The first run: until the installation has an organization, the app's entry is /setup. */
import { redirect } from "@remix-run/node";
import { createPlainApi } from "./api.server.ts";

/** Whether the API reports an installation without any organization yet. */
export async function setupIsNeeded(): Promise<boolean> {
  return (await createPlainApi().setup.status.query()).needsSetup;
}

/** Sends the visitor to the set-up page while the installation has no organization. */
export async function redirectToSetupWhenNeeded(): Promise<void> {
  if (await setupIsNeeded()) throw redirect("/setup");
}
