import { DashboardInputSchema, DashboardSchema, MatrixInputSchema, MatrixSchema } from "@dn/schema";
import { getDashboard, getMatrix } from "../services/dashboard.service.ts";
import { readerProcedure, router } from "../trpc.ts";

export const dashboardRouter = router({
  summary: readerProcedure
    .input(DashboardInputSchema)
    .output(DashboardSchema)
    .query(({ ctx, input }) => getDashboard(ctx, input)),
  matrix: readerProcedure
    .input(MatrixInputSchema)
    .output(MatrixSchema)
    .query(({ ctx, input }) => getMatrix(ctx, input)),
});
