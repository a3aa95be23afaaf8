import { listClinics as listClinicRows } from "@dn/db";
import type { Clinic } from "@dn/schema";
import type { ServiceContext } from "./context.ts";
import { requireAccess } from "./guards.ts";

/** The clinics of the actor's organization. */
export async function listClinics(ctx: ServiceContext): Promise<Clinic[]> {
  requireAccess(ctx, "read", "clinic", { organizationId: ctx.actor.organizationId }, null);
  return listClinicRows(ctx.db, ctx.actor.organizationId);
}
