import {
  CalendarFeedSchema,
  DeadlineSchema,
  DeadlinesInputSchema,
  ListNotificationsInputSchema,
  MarkNotificationsReadInputSchema,
  NotificationPreferencesSchema,
  NotificationSchema,
  UpdateNotificationPreferencesInputSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  createCalendarFeed,
  getNotificationPreferences,
  listDeadlines,
  listInbox,
  markRead,
  runAlerts,
  updateNotificationPreferences,
} from "../services/deadlines.service.ts";
import { authedProcedure, router } from "../trpc.ts";

/** Deadlines, the notification inbox, notification settings and the calendar feed. */
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
    .output(z.object({ created: z.number().int(), emailed: z.number().int() }))
    .mutation(({ ctx }) => runAlerts(ctx)),
  preferences: authedProcedure
    .output(NotificationPreferencesSchema)
    .query(({ ctx }) => getNotificationPreferences(ctx)),
  updatePreferences: authedProcedure
    .input(UpdateNotificationPreferencesInputSchema)
    .output(NotificationPreferencesSchema)
    .mutation(({ ctx, input }) => updateNotificationPreferences(ctx, input)),
  createCalendarFeed: authedProcedure
    .output(CalendarFeedSchema)
    .mutation(({ ctx }) => createCalendarFeed(ctx)),
});
