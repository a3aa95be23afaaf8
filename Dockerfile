# syntax=docker/dockerfile:1
# One image for every dn process; the command picks the role (docker-compose.yml):
#   API      node --import tsx apps/api/src/main.ts     (the default CMD; = pnpm --filter @dn/app-api start)
#   worker   node --import tsx apps/api/src/worker.ts   (= pnpm worker)
#   admin    apps/admin: node server.mjs ./build/server/index.js (= pnpm --filter @dn/app-admin start)
#   migrate  pnpm db:migrate
# The long-running roles run node directly rather than through pnpm: pnpm runs a script through
# `sh -c`, which does not pass SIGTERM on, so `docker stop` would not reach the process.
# Installs exactly as scripts/lib.mjs does: pnpm 12.4.2 from npm, `pnpm install --frozen-lockfile`,
# better-sqlite3 compiled from source against Node's headers (npm_config_nodedir).

# ---- base: Node 20 and pnpm, shared by both stages -------------------------------------------
FROM node:20-bookworm-slim AS base
ENV PNPM_VERSION=12.4.2 \
    CI=true
RUN npm install --global "pnpm@${PNPM_VERSION}" && npm cache clean --force
WORKDIR /app

# ---- build: compilers, dependencies, the admin app's production build ------------------------
FROM base AS build
# better-sqlite3 builds from source: node-gyp needs python3, make and a C++ compiler. pnpm 12
# ignores `nodedir` in .npmrc, so the headers of the image's Node (/usr/local/include/node) are
# passed as npm_config_nodedir, as scripts/lib.mjs does.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
# Dependencies first (cached until the lockfile changes): fetch needs only the lockfile.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# Readable by the runtime user whatever the modes in the checkout (a 600 file would break it).
RUN pnpm install --frozen-lockfile --prefer-offline \
 && pnpm --filter @dn/app-admin build \
 && chmod -R a+rX /app

# ---- runtime: no compilers, a non-root user ---------------------------------------------------
FROM base AS runtime
ENV NODE_ENV=production \
    DN_API_HOST=0.0.0.0 \
    DN_API_PORT=3001 \
    PORT=3000
# The code stays root-owned (read-only to the service); /data is the one writable place (mail
# outbox, local files when DN_STORAGE=local), owned by the unprivileged `node` user (uid 1000).
COPY --from=build /app /app
RUN mkdir -p /data/outbox /data/files /data/exports && chown -R node:node /data
USER node
EXPOSE 3001 3000
# Liveness of the API (reads nothing). The worker and admin services override it in compose.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.DN_API_PORT || 3001) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]
