/** The tRPC HTTP handler for a Node server: resolves the bearer token, serves the AppRouter. */
import type { IncomingMessage, RequestListener } from "node:http";
import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import type { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { clientAddressOf } from "./client-address.ts";
import { appRouter } from "./root.ts";
import { createContextFromRequest } from "./trpc.ts";

export interface TrpcHttpHandlerOptions {
  db: Db;
  /** The path the router is served at (default `/trpc/`). */
  basePath?: string;
  /** Called for every error; hosts log INTERNAL_SERVER_ERRORs here. */
  onError?: (details: { error: TRPCError; path: string | undefined; req: IncomingMessage }) => void;
  /** The clock every request's context gets (hosts pass `systemClock`). */
  now: Clock;
}

export function createTrpcHttpHandler(options: TrpcHttpHandlerOptions): RequestListener {
  return createHTTPHandler({
    router: appRouter,
    basePath: options.basePath ?? "/trpc/",
    createContext: ({ req }) =>
      createContextFromRequest({
        db: options.db,
        authorization: req.headers.authorization,
        now: options.now,
        clientAddress: clientAddressOf(req),
      }),
    onError: options.onError
      ? ({ error, path, req }) => options.onError?.({ error, path, req })
      : undefined,
  });
}
