#!/usr/bin/env bash
# Runs a command against a throwaway Citus cluster: a coordinator and two workers on loopback in a temporary folder,
# DATABASE_URL pointing at the coordinator, everything stopped and removed afterwards, whatever happens.
# Debian has no Citus package: the first run builds it from ../shared/vendor/citus (about 80 s on 2 cores) into a
# cache folder and installs it into PostgreSQL's folders; later runs skip the build, or the whole step when this
# Citus is already installed. Production installs use Citus's own packages instead (README, "Citus").
# Usage: scripts/with-citus.sh npm test
#   CQS_CITUS_SOURCE  the source archive (default ../shared/vendor/citus/citus-12.1.12.tar.gz beside the checkout)
#   CQS_CITUS_CACHE   where the built tree is kept between runs (default ~/.cache/cqs/citus-12.1.12)
#   CQS_CITUS_WORKERS how many workers to start (default 2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/postgres-common.sh"

citus_version=12.1.12
source_archive="${CQS_CITUS_SOURCE:-$here/../../shared/vendor/citus/citus-$citus_version.tar.gz}"
cache="${CQS_CITUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cqs/citus-$citus_version}"
worker_count="${CQS_CITUS_WORKERS:-2}"

pg_find_bindir
# Debian's layout: /usr/lib/postgresql/15/{bin,lib} and /usr/share/postgresql/15.
major="$(basename "$(dirname "$bindir")")"
pkglibdir="$(dirname "$bindir")/lib"
sharedir="/usr/share/postgresql/$major"

citus_installed() {
  [ -f "$pkglibdir/citus.so" ] && grep -q "default_version = '12.1" "$sharedir/extension/citus.control" 2>/dev/null
}

build_citus() {
  if [ ! -f "$source_archive" ]; then
    echo "with-citus: Citus is not installed and its source is not at $source_archive (set CQS_CITUS_SOURCE)" >&2
    exit 69
  fi
  local packages=("postgresql-server-dev-$major" liblz4-dev libzstd-dev libkrb5-dev libselinux1-dev libxslt1-dev libpam0g-dev
    libreadline-dev build-essential)
  local missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != "0" ]; then
      echo "with-citus: building Citus needs ${missing[*]} (apt-get install, as root)" >&2
      exit 69
    fi
    echo "with-citus: installing the packages Citus builds with: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  mkdir -p "$(dirname "$cache")"
  # One build at a time when several runs start together; the tree is reused once it has built.
  exec 9>"$cache.lock"
  flock 9
  if [ ! -f "$cache/.built" ]; then
    echo "with-citus: building Citus $citus_version into $cache" >&2
    rm -rf "$cache"
    mkdir -p "$cache"
    tar xzf "$source_archive" -C "$cache" --strip-components=1
    (cd "$cache" && ./configure --without-libcurl >"$cache/configure.log" 2>&1 && make -j"$(nproc)" >"$cache/make.log" 2>&1) \
      || { tail -30 "$cache"/*.log >&2; exit 70; }
    touch "$cache/.built"
  fi
  (cd "$cache" && make install >"$cache/install.log" 2>&1) || { tail -30 "$cache/install.log" >&2; exit 70; }
  flock -u 9
}

citus_installed || build_citus
citus_installed || { echo "with-citus: Citus $citus_version did not install into $pkglibdir" >&2; exit 70; }

pg_prepare_workdir
trap pg_cleanup EXIT INT TERM
# Citus commits writes that span nodes in two phases: prepared transactions must be allowed on every node.
# Four shards per distributed table instead of 32: the tests and benchmarks create many databases, each distributing
# every tenant table (migrations/0055); two shards per worker still spreads the tenants over both.
node_options="-c shared_preload_libraries=citus -c max_prepared_transactions=200 -c citus.shard_count=4"
coordinator_port="$(pg_free_port)"
pg_start_node coordinator "$coordinator_port" $node_options
worker_ports=()
for i in $(seq 1 "$worker_count"); do
  port="$(pg_free_port)"
  pg_start_node "worker$i" "$port" $node_options
  worker_ports+=("$port")
done

on_node() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2" >/dev/null; }
for port in "$coordinator_port" "${worker_ports[@]}"; do on_node "$port" "CREATE EXTENSION citus"; done
on_node "$coordinator_port" "SELECT citus_set_coordinator_host('127.0.0.1', $coordinator_port)"
for port in "${worker_ports[@]}"; do on_node "$coordinator_port" "SELECT citus_add_node('127.0.0.1', $port)"; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$coordinator_port/postgres"
echo "with-citus: Citus $citus_version, coordinator on 127.0.0.1:$coordinator_port, workers on ${worker_ports[*]}" >&2
pg_run_command "$@"
