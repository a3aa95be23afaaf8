import {
  CalendarFeedSchema,
  DeadlineSchema,
  DeadlinesInputSchema,
  ListNotificationsInputSchema,
  MarkNotificationsReadInputSchema,
  NotificationSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  createCalendarFeed,
  listDeadlines,
  listInbox,
  markRead,
  runAlerts,
} from "../services/deadlines.service.ts";
import { authedProcedure, router } from "../trpc.ts";

/** Deadlines, the notification inbox and the calendar feed. */
export const alertsRouter = router({
  deadlines: authedProcedure
    .input(DeadlinesInputSchema)
    .output(z.array(DeadlineSchema))
    .query(({ ctx, input }) => listDeadlines(ctx, input)),
  inbox: authedProcedure
    .input(ListNotificationsInputSchema)
    .output(z.object({ unread: z.number().int(), items: z.array(NotificationSchema) }))
    .query(({ ctx, input }) => listInbox(ctx, input)),
  markRead: authedProcedure
    .input(MarkNotificationsReadInputSchema)
    .output(z.object({ marked: z.number().int() }))
    .mutation(({ ctx, input }) => markRead(ctx, input)),
  run: authedProcedure
    .output(z.object({ created: z.number().int() }))
    .mutation(({ ctx }) => runAlerts(ctx)),
  createCalendarFeed: authedProcedure
    .output(CalendarFeedSchema)
    .mutation(({ ctx }) => createCalendarFeed(ctx)),
});
