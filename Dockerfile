# syntax=docker/dockerfile:1
#
# memelab's images, one target per deployable role:
#
#   docker build --target api    -t memelab-api .
#   docker build --target worker -t memelab-worker .
#   docker build --target web    -t memelab-web .
#   docker build --target healthcare-api -t healthcare-api .
#
# api and worker share one server image (the `memelab` command, bundled by
# `npm run build:server`) and differ in their command, port and health check. web is
# nginx serving the built UI and proxying /api, /m and /images to the API. healthcare-api is
# the platform's second tenant: its own bundle (`healthcare-api` command) and dependencies.
#
# Every image runs as UID/GID 10001 and needs no writable path but /tmp, so it runs with
# a read-only root filesystem, all capabilities dropped and no-new-privileges.
#
# BASE_IMAGE must provide Node.js (>= 20.19) and npm; NGINX_IMAGE must provide nginx with
# /etc/nginx/mime.types and, for its health check, wget. Both can point at local images
# where no registry is reachable.

ARG BASE_IMAGE=node:24.11.1-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.28.2-alpine

# --- the workspace manifests, so dependency layers are cached until they change ---------
FROM ${BASE_IMAGE} AS manifests
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/render/package.json packages/render/
COPY packages/platform/package.json packages/platform/
COPY packages/adapters/package.json packages/adapters/
COPY packages/pipeline/package.json packages/pipeline/
COPY apps/api/package.json apps/api/
COPY apps/worker/package.json apps/worker/
COPY apps/cli/package.json apps/cli/
COPY apps/web/package.json apps/web/
COPY packages/clinic/package.json packages/clinic/
COPY apps/healthcare-api/package.json apps/healthcare-api/

# --- build: the server bundle and the web UI ---------------------------------------------
FROM manifests AS build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
# The embedded database's initdb snapshot goes with PGlite, which the images leave out.
RUN npm run build:server && rm dist/server/pglite-initdb.tar.br && npm run build:web

# --- production dependencies of the server -----------------------------------------------
FROM manifests AS production-dependencies
# Only what the memelab command needs at run time. Workspace code is inside the bundle
# and the bundle carries the few font files it registers, so both are dropped here; so is
# PGlite, the embedded database, since containers use PostgreSQL (DATABASE_URL), and the
# libjpeg-turbo addon's prebuilt binaries for other platforms (the worker's log line
# `jpegEncoder` shows the one kept here loads).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace @memelab/cli --no-audit --no-fund \
 && rm -rf node_modules/@memelab node_modules/@fontsource node_modules/@electric-sql \
 && platform="jpeg-turbo-$(node -p 'process.platform + "-" + process.arch')" \
 && for prebuild in node_modules/@julusian/jpeg-turbo/prebuilds/*; do \
      case "${prebuild##*/}" in "$platform" | "$platform-musl") ;; *) rm -rf "$prebuild" ;; esac; \
    done

# --- server: the memelab command; api and worker below pick the role ---------------------
FROM ${BASE_IMAGE} AS server
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE_URL=https://github.com/memelab/memelab
LABEL org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
# BUILD_*: the memelab_build_info metric names the build.
ENV NODE_ENV=production \
    HOME=/tmp \
    BUILD_VERSION="${VERSION}" \
    BUILD_REVISION="${REVISION}"
WORKDIR /app
COPY --from=production-dependencies /src/node_modules ./node_modules
COPY --from=build /src/dist/server ./
USER 10001:10001
# Node runs as PID 1 and handles SIGTERM itself: stop taking work, drain, exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--enable-source-maps", "/app/memelab.mjs"]

FROM server AS worker
LABEL org.opencontainers.image.title="memelab-worker" \
      org.opencontainers.image.description="memelab render worker: consumes render jobs, draws and stores memes"
ENV OPS_PORT=8081
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.OPS_PORT+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["worker"]

FROM ${NGINX_IMAGE} AS web
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE_URL=https://github.com/memelab/memelab
LABEL org.opencontainers.image.title="memelab-web" \
      org.opencontainers.image.description="memelab web UI on nginx, proxying the API" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
COPY deploy/nginx/nginx.conf /etc/nginx/nginx.conf
COPY deploy/nginx/memelab/ /etc/nginx/memelab/
COPY --from=build /src/apps/web/dist/ /usr/share/nginx/html/
USER 10001:10001
EXPOSE 8080
# nginx finishes the requests in flight on SIGQUIT; SIGTERM would drop them.
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
# nginx directly, without the base image's entrypoint scripts: they would rewrite files
# under /etc/nginx, which is read-only here. `-e stderr` keeps nginx from opening its
# compiled-in log file before it reads this configuration.
ENTRYPOINT ["nginx", "-e", "stderr", "-g", "daemon off;"]
CMD []

# --- healthcare-api: bundle, production dependencies, image ------------------------------
FROM manifests AS healthcare-build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npx tsx scripts/bundle-healthcare.ts --out /src/dist/healthcare

FROM manifests AS healthcare-dependencies
# Only what the healthcare-api command needs at run time; workspace code is in the bundle,
# and PGlite is left out since containers use PostgreSQL (DATABASE_URL).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace @memelab/healthcare-api --no-audit --no-fund \
 && rm -rf node_modules/@memelab node_modules/@electric-sql node_modules/@julusian node_modules/@fontsource

FROM ${BASE_IMAGE} AS healthcare-api
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE_URL=https://github.com/memelab/memelab
LABEL org.opencontainers.image.title="healthcare-api" \
      org.opencontainers.image.description="healthcare-api: FHIR R4-shaped clinical records over PostgreSQL" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
ENV NODE_ENV=production \
    HOME=/tmp \
    PORT=8090
WORKDIR /app
COPY --from=healthcare-dependencies /src/node_modules ./node_modules
COPY --from=healthcare-build /src/dist/healthcare ./
USER 10001:10001
EXPOSE 8090
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `migrate` (once, as the schema owner) and `keys create --role R` run from the same image.
ENTRYPOINT ["node", "--enable-source-maps", "/app/healthcare-api.mjs"]
CMD ["start"]

# The default target (last stage): the API.
FROM server AS api
LABEL org.opencontainers.image.title="memelab-api" \
      org.opencontainers.image.description="memelab HTTP API: templates, memes, memegen URLs, events"
ENV PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["api"]
