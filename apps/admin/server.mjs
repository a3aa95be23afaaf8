#!/usr/bin/env node
/**
 * The admin app's production server: what remix-serve does (compression, immutable built assets,
 * one log line per request, Remix for everything else), plus the one thing it cannot do: give
 * each request's socket peer to the app, as the load context's `peerAddress`. The app decides
 * from it, and DN_TRUSTED_PROXIES, whether to believe X-Forwarded-For
 * (app/utils/client-address.server.ts). See docs/decisions/050-hostile-input-and-headers.md.
 *
 * Usage: node server.mjs [build/server/index.js]; PORT (default 3000) and HOST as remix-serve.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";

process.env.NODE_ENV = process.env.NODE_ENV ?? "production";

const buildPath = resolve(process.argv[2] ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(
  build.publicPath,
  express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }),
);
app.use(express.static("public", { maxAge: "1h" }));
app.use(morgan("tiny"));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req) => ({ peerAddress: req.socket.remoteAddress ?? null }),
  }),
);

const port = Number(process.env.PORT ?? 3000);
const onListen = () => console.info(`[dn admin] http://${process.env.HOST ?? "localhost"}:${port}`);
const server = process.env.HOST
  ? app.listen(port, process.env.HOST, onListen)
  : app.listen(port, onListen);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => server.close((error) => error && console.error(error)));
}
