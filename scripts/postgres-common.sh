# Shared by with-postgres.sh and with-citus.sh: finding PostgreSQL's server binaries, running them as an unprivileged
# user, and starting throwaway nodes on loopback in a temporary folder. Sourced, not run.

# Sets $bindir to the folder holding initdb and pg_ctl, or exits 69 when the server is not installed.
pg_find_bindir() {
  bindir=""
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ]; then bindir="$candidate"; break; fi
  done
  if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then bindir="$(pg_config --bindir)"; fi
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "$(basename "$0"): no PostgreSQL server binaries found (apt-get install postgresql)" >&2
    exit 69
  fi
}

# PostgreSQL refuses to run as root: sets $pg_user and the ${run_as[@]} prefix, and $workdir, a temporary folder that
# user owns.
pg_prepare_workdir() {
  run_as=()
  pg_user="$(id -un)"
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
  return 0
}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pg_start_node NAME PORT [postgres -c options…]: initdb "$workdir/NAME" and start it on 127.0.0.1:PORT.
# Tests trade durability for speed; CQS_PG_DURABLE=1 (set by the benchmarks) keeps PostgreSQL's production defaults,
# so that a commit costs what it costs on a real server.
pg_start_node() {
  local name="$1" port="$2"
  shift 2
  local speed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${CQS_PG_DURABLE:-0}" = "1" ] && speed=""
  "${run_as[@]}" "$bindir/initdb" -D "$workdir/$name" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$workdir/$name.initdb.log" 2>&1 \
    || { cat "$workdir/$name.initdb.log" >&2; exit 70; }
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/$name" -l "$workdir/$name.log" -w -t 60 \
    -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 $speed -c max_connections=200 $*" \
    start >/dev/null || { cat "$workdir/$name.log" >&2; exit 70; }
}

# Stops every node started under $workdir and removes it, whatever state they are in.
pg_cleanup() {
  for data in "$workdir"/*/; do
    [ -f "$data/PG_VERSION" ] && "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
  done
  rm -rf "$workdir"
}

# Runs the command given to the script and exits with its status.
pg_run_command() {
  set +e
  "$@"
  local status=$?
  set -e
  exit $status
}
