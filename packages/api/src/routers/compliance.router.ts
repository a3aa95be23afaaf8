import {
  ApplicableStandardDetailSchema,
  ApplicableStandardsInputSchema,
  ComplianceOverviewSchema,
  EvaluateComplianceInputSchema,
  EvaluationSchema,
  PortabilityViewSchema,
  PractitionerComplianceInputSchema,
  WhatIfInputSchema,
  WhatIfViewSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  complianceOverview,
  evaluateCompliance,
  listApplicableStandards,
  portability,
  whatIfCompliance,
} from "../services/compliance.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const complianceRouter = router({
  evaluate: authedProcedure
    .input(EvaluateComplianceInputSchema)
    .output(EvaluationSchema)
    .query(({ ctx, input }) => evaluateCompliance(ctx, input)),
  applicable: authedProcedure
    .input(ApplicableStandardsInputSchema)
    .output(z.array(ApplicableStandardDetailSchema))
    .query(({ ctx, input }) => listApplicableStandards(ctx, input.practitionerId)),
  overview: authedProcedure
    .input(PractitionerComplianceInputSchema)
    .output(ComplianceOverviewSchema)
    .query(({ ctx, input }) => complianceOverview(ctx, input)),
  portability: authedProcedure
    .input(PractitionerComplianceInputSchema)
    .output(PortabilityViewSchema)
    .query(({ ctx, input }) => portability(ctx, input)),
  whatIf: authedProcedure
    .input(WhatIfInputSchema)
    .output(WhatIfViewSchema)
    .query(({ ctx, input }) => whatIfCompliance(ctx, input)),
});
