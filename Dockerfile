# Verdict: one image for the API (`serve`, the default) and the workers (`worker`).
#   docker build -t verdict .
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -p 8080:8080 verdict
#   docker run -e DATABASE_URL=... -e REDIS_URL=... verdict worker --concurrency 2
# docker-compose.yml runs the whole service: postgres, redis, api, workers.

# ---- build: install with dev tools, generate the Prisma client, compile TypeScript ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
# `prisma generate` needs no schema engine: point it at any file instead of downloading one.
ENV CHECKPOINT_DISABLE=1 PRISMA_SCHEMA_ENGINE_BINARY=/bin/true
COPY package.json package-lock.json turbo.json tsconfig.base.json tsconfig.json prisma.config.ts ./
COPY prisma ./prisma
COPY checker/package.json checker/
COPY workers/package.json workers/
COPY api/package.json api/
# `npm ci` runs the root `prepare` script: prisma generate.
RUN npm ci --no-audit --no-fund
COPY checker ./checker
COPY workers ./workers
COPY api ./api
RUN npm run prisma:generate && npx tsc -b

# ---- deps: production dependencies only, installed afresh from the lock file ----
# Pruning the build's node_modules kept typescript and the prisma CLI (optional peers of
# @prisma/client count as production there); the generated client is compiled into api/dist.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY checker/package.json checker/
COPY workers/package.json workers/
COPY api/package.json api/
# Workspaces may get their own node_modules (a second version of a dependency): kept, empty or not.
RUN npm ci --omit=dev --omit=peer --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force \
  && mkdir -p checker/node_modules workers/node_modules api/node_modules

# ---- runtime: compiled JavaScript and production dependencies, as an unprivileged user ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 VERDICT_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=deps /app/checker/node_modules ./checker/node_modules
COPY --from=deps /app/workers/node_modules ./workers/node_modules
COPY --from=deps /app/api/node_modules ./api/node_modules
COPY --from=build /app/checker/package.json ./checker/
COPY --from=build /app/checker/dist ./checker/dist
COPY --from=build /app/workers/package.json ./workers/
COPY --from=build /app/workers/dist ./workers/dist
COPY --from=build /app/api/package.json ./api/
COPY --from=build /app/api/dist ./api/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "api/dist/cli.js"]
CMD ["serve"]
