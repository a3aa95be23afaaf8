import { OrganizationSchema, UpdateOrganizationInputSchema } from "@dn/schema";
import { z } from "zod";
import { getCurrentOrganization, updateOrganization } from "../services/organizations.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const organizationsRouter = router({
  current: authedProcedure
    .input(z.void())
    .output(OrganizationSchema)
    .query(({ ctx }) => getCurrentOrganization(ctx)),
  update: authedProcedure
    .input(UpdateOrganizationInputSchema)
    .output(OrganizationSchema)
    .mutation(({ ctx, input }) => updateOrganization(ctx, input)),
});
