import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { auditRouter } from "./routers/audit.router.ts";
import { authRouter } from "./routers/auth.router.ts";
import { clinicsRouter } from "./routers/clinics.router.ts";
import { licensesRouter } from "./routers/licenses.router.ts";
import { practitionersRouter } from "./routers/practitioners.router.ts";
import { recordsRouter } from "./routers/records.router.ts";
import { createCallerFactory, router } from "./trpc.ts";

/** The whole API: one router per entity. */
export const appRouter = router({
  auth: authRouter,
  clinics: clinicsRouter,
  practitioners: practitionersRouter,
  licenses: licensesRouter,
  records: recordsRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process: `createCaller(createContextInner({ db, actor }))`. */
export const createCaller = createCallerFactory(appRouter);
