import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "./routers/account.router.ts";
import { alertsRouter } from "./routers/alerts.router.ts";
import { apiTokensRouter } from "./routers/api-tokens.router.ts";
import { assignmentsRouter } from "./routers/assignments.router.ts";
import { auditRouter } from "./routers/audit.router.ts";
import { authRouter } from "./routers/auth.router.ts";
import { clinicsRouter } from "./routers/clinics.router.ts";
import { complianceRouter } from "./routers/compliance.router.ts";
import { contentRouter } from "./routers/content.router.ts";
import { dashboardRouter } from "./routers/dashboard.router.ts";
import { dossiersRouter } from "./routers/dossiers.router.ts";
import { evidenceRouter } from "./routers/evidence.router.ts";
import { exportsRouter } from "./routers/exports.router.ts";
import { importsRouter } from "./routers/imports.router.ts";
import { invitationsRouter } from "./routers/invitations.router.ts";
import { jobsRouter } from "./routers/jobs.router.ts";
import { licensesRouter } from "./routers/licenses.router.ts";
import { membersRouter } from "./routers/members.router.ts";
import { organizationsRouter } from "./routers/organizations.router.ts";
import { practitionersRouter } from "./routers/practitioners.router.ts";
import { recordsRouter } from "./routers/records.router.ts";
import { setupRouter } from "./routers/setup.router.ts";
import { ssoRouter } from "./routers/sso.router.ts";
import { standardsRouter } from "./routers/standards.router.ts";
import { createCallerFactory, router } from "./trpc.ts";

/** The whole API: one router per entity. */
export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  setup: setupRouter,
  organizations: organizationsRouter,
  clinics: clinicsRouter,
  practitioners: practitionersRouter,
  licenses: licensesRouter,
  records: recordsRouter,
  audit: auditRouter,
  standards: standardsRouter,
  compliance: complianceRouter,
  dossiers: dossiersRouter,
  evidence: evidenceRouter,
  assignments: assignmentsRouter,
  alerts: alertsRouter,
  dashboard: dashboardRouter,
  jobs: jobsRouter,
  imports: importsRouter,
  content: contentRouter,
  exports: exportsRouter,
  apiTokens: apiTokensRouter,
  invitations: invitationsRouter,
  members: membersRouter,
  sso: ssoRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process: `createCaller(createContextInner({ db, actor }))`. */
export const createCaller = createCallerFactory(appRouter);
