import {
  AddStandardAssignmentInputSchema,
  ApplicabilityInputSchema,
  ApplicableStandardSchema,
  ByIdInputSchema,
  StandardAssignmentSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  addAssignment,
  applicableToPractitioner,
  listAssignments,
  removeAssignment,
} from "../services/assignments.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const assignmentsRouter = router({
  list: authedProcedure
    .output(z.array(StandardAssignmentSchema))
    .query(({ ctx }) => listAssignments(ctx)),
  add: authedProcedure
    .input(AddStandardAssignmentInputSchema)
    .output(StandardAssignmentSchema)
    .mutation(({ ctx, input }) => addAssignment(ctx, input)),
  remove: authedProcedure
    .input(ByIdInputSchema)
    .output(StandardAssignmentSchema)
    .mutation(({ ctx, input }) => removeAssignment(ctx, input)),
  applicable: authedProcedure
    .input(ApplicabilityInputSchema)
    .output(z.array(ApplicableStandardSchema))
    .query(({ ctx, input }) => applicableToPractitioner(ctx, input)),
});
