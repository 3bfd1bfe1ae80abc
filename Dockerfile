# The platform as a container: compiled CLI and web app, production dependencies only.
#   docker build -t corridor .
#   docker run -p 8080:8080 -v corridor-data:/data corridor            # embedded database in /data
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://... corridor     # PostgreSQL
# compose.yaml runs it beside PostgreSQL.
FROM node:20-bookworm-slim

WORKDIR /app
COPY . .
# npm ci runs `prepare` (node build.js): it compiles the CLI and server into dist/cli and the web
# app into dist/web, after the sources are in place, so bin/corridor.js runs the compiled code.
# The build tools are then removed.
RUN npm ci --no-audit --no-fund \
  && npm prune --omit=dev --no-audit --no-fund \
  && npm cache clean --force \
  && mkdir -p /data && chown node:node /data

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    CORRIDOR_DATA_DIR=/data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/corridor.js"]
CMD ["serve"]
