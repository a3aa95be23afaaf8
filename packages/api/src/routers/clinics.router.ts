import { ClinicSchema } from "@dn/schema";
import { z } from "zod";
import { listClinics } from "../services/clinics.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const clinicsRouter = router({
  list: authedProcedure
    .input(z.void())
    .output(z.array(ClinicSchema))
    .query(({ ctx }) => listClinics(ctx)),
});
