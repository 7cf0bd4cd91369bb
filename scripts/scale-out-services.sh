#!/usr/bin/env bash
# Private PostgreSQL and Redis servers for the scale-out tests (issue 13), on 127.0.0.1 only, in a temp folder.
# Sourced by scripts/test.sh: scale_out_start exports LIVEBOARD_TEST_POSTGRES (an admin connection string; each test
# host creates its own database) and LIVEBOARD_TEST_REDIS (host:port); scale_out_stop stops both and removes the folder.
# Run on its own (`scripts/scale-out-services.sh start|stop`) it prints the exports for a shell to eval.

# The Debian packages the tier needs that this machine lacks, one per line (scripts/test.sh installs them beside its build).
scale_out_missing() {
  command -v pg_ctl >/dev/null || [ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)/pg_ctl" ] || echo postgresql
  command -v redis-server >/dev/null || echo redis-server
  command -v nginx >/dev/null || echo nginx
}

# Runs a command as root: directly when this is root, through sudo otherwise.
scale_out_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian starts the packaged services; the tests run their own on private ports.
scale_out_quiet_packaged() {
  scale_out_as_root systemctl disable --now redis-server nginx postgresql >/dev/null 2>&1 || true
}

# Installs the given Debian packages (as root, or through sudo) and stops the services Debian starts with them.
# Also used by scripts/test.sh, which installs the browser tests' packages in the same apt-get run.
# (DEBIAN_FRONTEND through env: sudo drops the caller's environment.)
scale_out_apt_install() {
  scale_out_as_root apt-get update -qq \
    && scale_out_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" && scale_out_quiet_packaged
}

scale_out_install() {
  local need=()
  mapfile -t need < <(scale_out_missing)
  if [ ${#need[@]} -gt 0 ]; then
    echo "Installing ${need[*]} (Debian packages) ..." >&2
    scale_out_apt_install "${need[@]}" >/dev/null || { echo "could not install ${need[*]}" >&2; return 1; }
  fi
}

scale_out_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# LIVEBOARD_PG_OPTIONS: more server settings (`-c name=value ...`); scripts/test.sh sets some for its throwaway cluster.
scale_out_start() {
  scale_out_install || return 1
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  export LIVEBOARD_SCALE_OUT_DIR; LIVEBOARD_SCALE_OUT_DIR=$(mktemp -d /tmp/liveboard-scale-out.XXXXXX)
  chmod 755 "$LIVEBOARD_SCALE_OUT_DIR"
  local pgdata="$LIVEBOARD_SCALE_OUT_DIR/pg" pgport redisport
  pgport=$(scale_out_free_port); redisport=$(scale_out_free_port)
  # PostgreSQL refuses to run as root: as root the cluster belongs to an unprivileged account.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    local owner=postgres; id "$owner" >/dev/null 2>&1 || owner=nobody
    mkdir -p "$pgdata" && chown "$owner" "$pgdata"
    as=(runuser -u "$owner" --)
  fi
  "${as[@]}" "$bin/initdb" -D "$pgdata" -A trust -U liveboard -E UTF8 --locale=C.UTF-8 >"$LIVEBOARD_SCALE_OUT_DIR/initdb.log" 2>&1 \
    || { echo "initdb failed: $(tail -n 3 "$LIVEBOARD_SCALE_OUT_DIR/initdb.log")" >&2; return 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -o \
    "-p $pgport -k $pgdata -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=64MB ${LIVEBOARD_PG_OPTIONS:-}" start >/dev/null \
    || { echo "PostgreSQL did not start: $(tail -n 3 "$pgdata/server.log")" >&2; return 1; }
  echo "as=(${as[*]}) bin=$bin pgdata=$pgdata" >"$LIVEBOARD_SCALE_OUT_DIR/pg.env"
  redis-server --bind 127.0.0.1 --port "$redisport" --save '' --appendonly no --daemonize yes \
    --pidfile "$LIVEBOARD_SCALE_OUT_DIR/redis.pid" --logfile "$LIVEBOARD_SCALE_OUT_DIR/redis.log" \
    || { echo "redis-server did not start" >&2; return 1; }
  export LIVEBOARD_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=liveboard;Database=postgres"
  export LIVEBOARD_TEST_REDIS="127.0.0.1:$redisport"
  export LIVEBOARD_TEST_REDIS_SERVER; LIVEBOARD_TEST_REDIS_SERVER=$(command -v redis-server)
  echo "PostgreSQL on 127.0.0.1:$pgport, Redis on 127.0.0.1:$redisport" >&2
}

scale_out_stop() {
  [ -n "${LIVEBOARD_SCALE_OUT_DIR:-}" ] && [ -d "$LIVEBOARD_SCALE_OUT_DIR" ] || return 0
  if [ -f "$LIVEBOARD_SCALE_OUT_DIR/redis.pid" ]; then kill "$(cat "$LIVEBOARD_SCALE_OUT_DIR/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$LIVEBOARD_SCALE_OUT_DIR/pg.env" ]; then
    local line; line=$(cat "$LIVEBOARD_SCALE_OUT_DIR/pg.env")
    local owner bin pgdata
    bin=$(echo "$line" | sed -E 's/.* bin=([^ ]*) .*/\1/'); pgdata=$(echo "$line" | sed -E 's/.* pgdata=([^ ]*)$/\1/')
    owner=$(stat -c %U "$pgdata")
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1
    else "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1; fi
  fi
  rm -rf "$LIVEBOARD_SCALE_OUT_DIR"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start) scale_out_start >&2 && echo "export LIVEBOARD_SCALE_OUT_DIR='$LIVEBOARD_SCALE_OUT_DIR' LIVEBOARD_TEST_POSTGRES='$LIVEBOARD_TEST_POSTGRES' LIVEBOARD_TEST_REDIS='$LIVEBOARD_TEST_REDIS' LIVEBOARD_TEST_REDIS_SERVER='$LIVEBOARD_TEST_REDIS_SERVER'" ;;
    stop) scale_out_stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
  esac
fi
