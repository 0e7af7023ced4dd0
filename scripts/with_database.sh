#!/bin/sh
# Run a command with DATABASE_URL set: the one given, or the embedded dev/test PostgreSQL.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
DATABASE_URL=$("$here/.venv/bin/python" "$here/scripts/dev_database.py")
export DATABASE_URL
exec "$@"
