#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: initdb into a temporary folder, a free loopback port,
# DATABASE_URL exported for the command, and the server stopped and removed afterwards, whatever happens.
# Usage: scripts/with-postgres.sh npm test
set -euo pipefail
source "$(dirname "$0")/postgres-common.sh"

pg_find_bindir
pg_prepare_workdir
trap pg_cleanup EXIT INT TERM
port="$(pg_free_port)"
pg_start_node data "$port"

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
pg_run_command "$@"
