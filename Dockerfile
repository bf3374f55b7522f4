# Switchboard image: `docker compose build` (see docker-compose.yml and scripts/deploy.sh).

# The app, built with every dependency.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx vite build --logLevel warn

# Production dependencies only. `npm run db:*` (migrate, backup, restore) are plain Node scripts in
# scripts/ that share the migration runner with the app, so one-shot containers need nothing more.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
# tini is PID 1: it forwards SIGTERM to node (which closes the server) and reaps the npm/npx children
# that `docker compose run app npm run db:...` starts. postgresql-client gives db:backup/db:restore
# pg_dump and pg_restore (Debian bookworm's 15, matching the compose Postgres).
RUN apt-get update \
	&& apt-get install -y --no-install-recommends tini postgresql-client \
	&& rm -rf /var/lib/apt/lists/* \
	&& mkdir -p /data /backups \
	&& chown node:node /data /backups
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/drizzle ./drizzle
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/src/lib/server/db/migrations ./src/lib/server/db/migrations
COPY --from=build /app/src/lib/server/db/pglite-holder.js ./src/lib/server/db/pglite-holder.js
COPY --from=build /app/build ./build
# scripts/start.mjs rebuilds when a source is newer than build/index.js, and COPY keeps the files' own times:
# mark the build as the newest file so the image never tries to build (it has no vite to build with).
RUN touch build/index.js
# /app stays root-owned and read-only to the app; it writes only to /data (and db:backup to /backups).
USER node
VOLUME ["/data", "/backups"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "scripts/start.mjs"]
