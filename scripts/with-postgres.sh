#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL server: initdb into a temporary folder, a free loopback port,
# DATABASE_URL exported for the command, and the server stopped and removed afterwards, whatever happens.
# Usage: scripts/with-postgres.sh npm test
set -euo pipefail

bindir=""
for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ]; then bindir="$candidate"; break; fi
done
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then bindir="$(pg_config --bindir)"; fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries found (apt-get install postgresql)" >&2
  exit 69
fi

# PostgreSQL refuses to run as root: run the server as an unprivileged user.
run_as=()
if [ "$(id -u)" = "0" ]; then
  pg_user=postgres
  if ! id "$pg_user" >/dev/null 2>&1; then
    pg_user=cqspg
    id "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
  fi
  run_as=(runuser -u "$pg_user" --)
fi

workdir="$(mktemp -d /tmp/cqs-pg.XXXXXX)"
chmod 755 "$workdir"
[ ${#run_as[@]} -gt 0 ] && chown "$pg_user" "$workdir"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 70; }
# Tests trade durability for speed; CQS_PG_DURABLE=1 (set by the benchmarks) keeps PostgreSQL's production defaults,
# so that a commit costs what it costs on a real server.
speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${CQS_PG_DURABLE:-0}" = "1" ] && speed=""
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 $speed -c max_connections=200" \
  start >/dev/null || { cat "$workdir/server.log" >&2; exit 70; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
set -e
exit $status
