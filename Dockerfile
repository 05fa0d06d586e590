# syntax=docker/dockerfile:1
# Images of every Triggers component, one target each:
#   docker build --target ingest-api   -t triggers-ingest-api .
#   docker build --target processor    -t triggers-processor .
#   docker build --target deliverer    -t triggers-deliverer .
#   docker build --target migrations   -t triggers-migrations .
#   docker build --target webhook-sink -t triggers-webhook-sink .
# The images run JavaScript that `pnpm build` compiles from each package's src/ into its dist/.
# `node --conditions=triggers-dist` makes the workspace packages resolve to their dist/ too (their
# exports give the TypeScript source everywhere else: tests, tsx, the type-checker). Each image
# holds only its service's production dependencies (`pnpm deploy --prod`).

# Node 24 LTS: the exact release .nvmrc pins and CI tests on; a test keeps the two equal.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# ---- build: one self-contained folder per service, from the locked dependencies ----------------
FROM ${NODE_IMAGE} AS build
# The version "packageManager" in package.json names; a test keeps the two equal.
ARG PNPM_VERSION=12.4.2
ENV CI=true
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /repo
# The lockfile alone decides what is downloaded: this layer stays cached until it changes.
# patches/ too: the lockfile records the patched postgres.js by the patch's hash.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY patches ./patches
RUN pnpm fetch
COPY . .
# Every workspace package with its dev dependencies (tsc among them), from the store `pnpm fetch`
# filled, then each package's src/ compiled to dist/.
RUN pnpm install --offline --frozen-lockfile \
 && pnpm build
# Each folder gets the service's package (dist/ included), the workspace packages it imports
# (copied, not linked) and its production dependencies only.
RUN pnpm --filter @triggers/ingest-api deploy --prod /out/ingest-api \
 && pnpm --filter @triggers/processor deploy --prod /out/processor \
 && pnpm --filter @triggers/deliverer deploy --prod /out/deliverer \
 && pnpm --filter @triggers/webhook-sink deploy --prod /out/webhook-sink

# ---- runtime: what every image shares ----------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it hands SIGTERM/SIGINT to node (which drains and exits within its deadline)
# and reaps orphans. node runs directly under it (not through npm or a shell), so signals arrive.
RUN apt-get update \
 && apt-get install --yes --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
# The unprivileged "node" user of the base image, by number so that Kubernetes' runAsNonRoot can
# check it. The code stays owned by root: the process cannot change it.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]

# ---- the services ------------------------------------------------------------------------------
FROM runtime AS ingest-api
COPY --from=build /out/ingest-api /app
EXPOSE 4000 9400
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||9400)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--conditions=triggers-dist", "dist/main.js"]

FROM runtime AS processor
COPY --from=build /out/processor /app
EXPOSE 9401
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||9401)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--conditions=triggers-dist", "dist/main.js"]

FROM runtime AS deliverer
COPY --from=build /out/deliverer /app
EXPOSE 9402
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||9402)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--conditions=triggers-dist", "dist/main.js"]

# The demo webhook receiver (docker-compose only). It binds to 127.0.0.1 by default; in a container
# it must listen on every interface.
FROM runtime AS webhook-sink
COPY --from=build /out/webhook-sink /app
ENV HOST=0.0.0.0
EXPOSE 4100
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4100)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--conditions=triggers-dist", "dist/main.js"]

# Schema migrations (`migrate latest`; DATABASE_URL). @triggers/db is no deployable package of its
# own, so this reuses the processor's folder, which holds @triggers/db.
FROM runtime AS migrations
COPY --from=build /out/processor /app
CMD ["node", "--conditions=triggers-dist", "node_modules/@triggers/db/dist/migrate.main.js"]
