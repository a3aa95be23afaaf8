import {
  CreateLicenseInputSchema,
  LicenseSchema,
  ListLicensesInputSchema,
  UpdateLicenseInputSchema,
} from "@dn/schema";
import { z } from "zod";
import { createLicense, listLicenses, updateLicense } from "../services/licenses.service.ts";
import { authedProcedure, managerProcedure, router } from "../trpc.ts";

export const licensesRouter = router({
  list: authedProcedure
    .input(ListLicensesInputSchema)
    .output(z.array(LicenseSchema))
    .query(({ ctx, input }) => listLicenses(ctx, input.practitionerId)),
  create: managerProcedure
    .input(CreateLicenseInputSchema)
    .output(LicenseSchema)
    .mutation(({ ctx, input }) => createLicense(ctx, input)),
  update: managerProcedure
    .input(UpdateLicenseInputSchema)
    .output(LicenseSchema)
    .mutation(({ ctx, input }) => updateLicense(ctx, input)),
});
