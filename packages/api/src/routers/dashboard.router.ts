import { DashboardInputSchema, DashboardSchema, MatrixInputSchema, MatrixSchema } from "@dn/schema";
import { getDashboard, getMatrix } from "../services/dashboard.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const dashboardRouter = router({
  summary: authedProcedure
    .input(DashboardInputSchema)
    .output(DashboardSchema)
    .query(({ ctx, input }) => getDashboard(ctx, input)),
  matrix: authedProcedure
    .input(MatrixInputSchema)
    .output(MatrixSchema)
    .query(({ ctx, input }) => getMatrix(ctx, input)),
});
