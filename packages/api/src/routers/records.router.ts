import {
  ByIdInputSchema,
  CorrectTrainingRecordInputSchema,
  CreateTrainingRecordInputSchema,
  ListTrainingRecordsInputSchema,
  PageInputSchema,
  pageOf,
  RecordHistoryInputSchema,
  ReviewQueueItemSchema,
  ReviewTrainingRecordInputSchema,
  TrainingRecordSchema,
  WithdrawTrainingRecordInputSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  correctRecord,
  createRecord,
  getRecord,
  getRecordHistory,
  listRecords,
  reviewQueue,
  reviewRecord,
  withdrawRecord,
} from "../services/records.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const recordsRouter = router({
  list: authedProcedure
    .input(ListTrainingRecordsInputSchema)
    .output(pageOf(TrainingRecordSchema))
    .query(({ ctx, input }) => listRecords(ctx, input)),
  byId: authedProcedure
    .input(ByIdInputSchema)
    .output(TrainingRecordSchema)
    .query(({ ctx, input }) => getRecord(ctx, input.id)),
  history: authedProcedure
    .input(RecordHistoryInputSchema)
    .output(z.array(TrainingRecordSchema))
    .query(({ ctx, input }) => getRecordHistory(ctx, input.id)),
  create: authedProcedure
    .input(CreateTrainingRecordInputSchema)
    .output(TrainingRecordSchema)
    .mutation(({ ctx, input }) => createRecord(ctx, input)),
  correct: authedProcedure
    .input(CorrectTrainingRecordInputSchema)
    .output(TrainingRecordSchema)
    .mutation(({ ctx, input }) => correctRecord(ctx, input)),
  withdraw: authedProcedure
    .input(WithdrawTrainingRecordInputSchema)
    .output(TrainingRecordSchema)
    .mutation(({ ctx, input }) => withdrawRecord(ctx, input)),
  review: authedProcedure
    .input(ReviewTrainingRecordInputSchema)
    .output(TrainingRecordSchema)
    .mutation(({ ctx, input }) => reviewRecord(ctx, input)),
  reviewQueue: authedProcedure
    .input(PageInputSchema)
    .output(pageOf(ReviewQueueItemSchema))
    .query(({ ctx, input }) => reviewQueue(ctx, input)),
});
