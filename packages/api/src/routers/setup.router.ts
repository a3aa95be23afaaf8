import { CreateOrganizationInputSchema, SetupStatusSchema, SignedInSchema } from "@dn/schema";
import { z } from "zod";
import { getSetupStatus, setUpInstallation } from "../services/organizations.service.ts";
import { publicProcedure, router } from "../trpc.ts";

/** The first run: public, and `createOrganization` works only while no organization exists. */
export const setupRouter = router({
  status: publicProcedure
    .input(z.void())
    .output(SetupStatusSchema)
    .query(({ ctx }) => getSetupStatus(ctx)),
  createOrganization: publicProcedure
    .input(CreateOrganizationInputSchema)
    .output(SignedInSchema)
    .mutation(({ ctx, input }) => setUpInstallation(ctx, input)),
});
