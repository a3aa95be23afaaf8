import {
  ByIdInputSchema,
  ClinicSchema,
  CreateClinicInputSchema,
  ListClinicsInputSchema,
  UpdateClinicInputSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  archiveClinic,
  createClinic,
  listClinics,
  unarchiveClinic,
  updateClinic,
} from "../services/clinics.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const clinicsRouter = router({
  list: authedProcedure
    .input(ListClinicsInputSchema.optional())
    .output(z.array(ClinicSchema))
    .query(({ ctx, input }) => listClinics(ctx, input)),
  create: authedProcedure
    .input(CreateClinicInputSchema)
    .output(ClinicSchema)
    .mutation(({ ctx, input }) => createClinic(ctx, input)),
  update: authedProcedure
    .input(UpdateClinicInputSchema)
    .output(ClinicSchema)
    .mutation(({ ctx, input }) => updateClinic(ctx, input)),
  archive: authedProcedure
    .input(ByIdInputSchema)
    .output(ClinicSchema)
    .mutation(({ ctx, input }) => archiveClinic(ctx, input.id)),
  unarchive: authedProcedure
    .input(ByIdInputSchema)
    .output(ClinicSchema)
    .mutation(({ ctx, input }) => unarchiveClinic(ctx, input.id)),
});
