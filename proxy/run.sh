#!/bin/sh
# Proxy entrypoint: render default.conf.tpl into nginx's config with envsubst, then run nginx in
# the foreground. Extra arguments go to nginx (the end-to-end test passes its own -p/-c/-e).
#   run.sh --render   only print the rendered config and exit
set -eu

here=$(cd "$(dirname "$0")" && pwd)

# Where the app listens. Its name is resolved per request through NGINX_RESOLVER
# (127.0.0.11 is Docker's embedded DNS); an IP address needs no resolver.
: "${APP_HOST:=app}"
: "${APP_PORT:=8000}"
: "${NGINX_RESOLVER:=127.0.0.11}"
: "${LISTEN_PORT:=8080}"
# Must be at least the app's VIDEO_MAX_BYTES (200 MiB) plus multipart overhead.
: "${CLIENT_MAX_BODY_SIZE:=210m}"
# The shared volumes collectstatic and uploads write to (STATIC_ROOT and MEDIA_ROOT of the app).
: "${STATIC_ROOT:=/vol/static}"
: "${MEDIA_ROOT:=/vol/media}"
# Upstream timeouts: HTTP requests, and idle websocket connections (subscriptions).
: "${PROXY_TIMEOUT:=60s}"
: "${WEBSOCKET_TIMEOUT:=3600s}"
# "on" only behind a TLS-terminating load balancer that sets X-Forwarded-Proto itself.
: "${TRUST_FORWARDED_PROTO:=off}"
: "${PROXY_TEMPLATE:=$here/default.conf.tpl}"
: "${NGINX_CONF:=/etc/nginx/conf.d/default.conf}"
export APP_HOST APP_PORT NGINX_RESOLVER LISTEN_PORT CLIENT_MAX_BODY_SIZE STATIC_ROOT MEDIA_ROOT \
  PROXY_TIMEOUT WEBSOCKET_TIMEOUT TRUST_FORWARDED_PROTO

# Only these are substituted; nginx's own $variables pass through untouched.
# shellcheck disable=SC2016
variables='${APP_HOST} ${APP_PORT} ${NGINX_RESOLVER} ${LISTEN_PORT} ${CLIENT_MAX_BODY_SIZE}
${STATIC_ROOT} ${MEDIA_ROOT} ${PROXY_TIMEOUT} ${WEBSOCKET_TIMEOUT} ${TRUST_FORWARDED_PROTO}'

if [ "${1:-}" = "--render" ]; then
  exec envsubst "$variables" < "$PROXY_TEMPLATE"
fi

envsubst "$variables" < "$PROXY_TEMPLATE" > "$NGINX_CONF"
echo "proxy: :${LISTEN_PORT} -> http://${APP_HOST}:${APP_PORT} (body limit ${CLIENT_MAX_BODY_SIZE})"
exec nginx -g 'daemon off;' "$@"
