import {
  ByIdInputSchema,
  CreatePractitionerInputSchema,
  ListPractitionersInputSchema,
  PractitionerDetailSchema,
  PractitionerListItemSchema,
  PractitionerSchema,
  pageOf,
  UpdatePractitionerInputSchema,
} from "@dn/schema";
import {
  archivePractitioner,
  createPractitioner,
  getPractitioner,
  listPractitioners,
  updatePractitioner,
} from "../services/practitioners.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const practitionersRouter = router({
  list: authedProcedure
    .input(ListPractitionersInputSchema)
    .output(pageOf(PractitionerListItemSchema))
    .query(({ ctx, input }) => listPractitioners(ctx, input)),
  byId: authedProcedure
    .input(ByIdInputSchema)
    .output(PractitionerDetailSchema)
    .query(({ ctx, input }) => getPractitioner(ctx, input.id)),
  create: authedProcedure
    .input(CreatePractitionerInputSchema)
    .output(PractitionerSchema)
    .mutation(({ ctx, input }) => createPractitioner(ctx, input)),
  update: authedProcedure
    .input(UpdatePractitionerInputSchema)
    .output(PractitionerSchema)
    .mutation(({ ctx, input }) => updatePractitioner(ctx, input)),
  archive: authedProcedure
    .input(ByIdInputSchema)
    .output(PractitionerSchema)
    .mutation(({ ctx, input }) => archivePractitioner(ctx, input.id)),
});
