import {
  CreateLicenseInputSchema,
  LicenseSchema,
  ListLicensesInputSchema,
  UpdateLicenseInputSchema,
} from "@dn/schema";
import { z } from "zod";
import { createLicense, listLicenses, updateLicense } from "../services/licenses.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const licensesRouter = router({
  list: authedProcedure
    .input(ListLicensesInputSchema)
    .output(z.array(LicenseSchema))
    .query(({ ctx, input }) => listLicenses(ctx, input.practitionerId)),
  create: authedProcedure
    .input(CreateLicenseInputSchema)
    .output(LicenseSchema)
    .mutation(({ ctx, input }) => createLicense(ctx, input)),
  update: authedProcedure
    .input(UpdateLicenseInputSchema)
    .output(LicenseSchema)
    .mutation(({ ctx, input }) => updateLicense(ctx, input)),
});
