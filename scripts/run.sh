#!/bin/sh
# Container entrypoint: wait for the database, migrate, collect static files, create the cache
# table, then serve with uvicorn. Every knob is an environment variable; extra arguments go to
# uvicorn (docker-compose.yml passes --reload for development).
set -eu

cd "$(dirname "$0")/.."

: "${HOST:=0.0.0.0}"
: "${PORT:=8000}"
# Worker processes (uvicorn also reads WEB_CONCURRENCY; it is set here so the value is explicit).
: "${WEB_CONCURRENCY:=2}"
# Only the proxy may set X-Forwarded-For/-Proto: its address(es) or network(s), comma-separated.
: "${FORWARDED_ALLOW_IPS:=127.0.0.1}"
# On SIGTERM, requests in flight get this many seconds to finish.
: "${GRACEFUL_SHUTDOWN_SECONDS:=30}"
: "${DB_WAIT_TIMEOUT:=60}"
: "${LOG_LEVEL:=INFO}"

python manage.py wait_for_db --timeout "$DB_WAIT_TIMEOUT"
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
python manage.py createcachetable

log_level=$(printf '%s' "$LOG_LEVEL" | tr '[:upper:]' '[:lower:]')

exec uvicorn project.asgi:application \
  --host "$HOST" \
  --port "$PORT" \
  --workers "$WEB_CONCURRENCY" \
  --lifespan off \
  --proxy-headers \
  --forwarded-allow-ips "$FORWARDED_ALLOW_IPS" \
  --timeout-graceful-shutdown "$GRACEFUL_SHUTDOWN_SECONDS" \
  --no-server-header \
  --log-level "$log_level" \
  "$@"
