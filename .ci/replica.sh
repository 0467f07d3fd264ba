#!/usr/bin/env bash
# A real streaming replica of the local PostgreSQL, for the tests (docs/deployment.md, "Testing
# the scale-out"): a second server on another loopback port, copied with pg_basebackup, read-only
# (hot standby), replaying the primary's WAL as it is written. Every command is idempotent.
#
#   .ci/replica.sh start    make the replica if there is none, start it, wait until it streams
#   .ci/replica.sh stop     stop it (its data directory stays, so the next start is quick)
#   .ci/replica.sh remove   stop it and delete its data directory and log
#   .ci/replica.sh url      print the URL the tests use (TEST_REPLICA_URL)
#   .ci/replica.sh status   say whether it runs
#
# Run as root or as the postgres user. It runs the primary's own binaries with plain pg_ctl and
# keeps its data directory outside /etc/postgresql, so apt's clusters (pg_lsclusters) never see it.
# The primary must accept replication connections from 127.0.0.1: `start` adds one pg_hba line
# (marked below) and reloads the primary if no such line is there yet.
set -euo pipefail

PRIMARY_HOST=${REPLICA_PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${REPLICA_PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5433}
DATA=${REPLICA_DATA:-/var/lib/postgresql/ctl-ci-replica}
LOG="$DATA.log"
HBA_MARK="# ctl CI streaming replica (.ci/replica.sh)"

primary() { psql -X -q -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -c "$1"; }
replica() { psql -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "$1"; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

bin() {
  # The primary's major version: a standby must run the same one.
  local version
  version=$(( $(primary "SHOW server_version_num") / 10000 ))
  echo "/usr/lib/postgresql/$version/bin"
}

running() { [ -f "$DATA/PG_VERSION" ] && as_postgres "$(bin)/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

allow_replication() {
  local hba
  hba=$(primary "SHOW hba_file")
  if primary "SELECT 1 FROM pg_hba_file_rules WHERE type = 'host' AND 'replication' = ANY(database)
              AND address = '127.0.0.1' AND auth_method = 'trust' AND error IS NULL" | grep -q 1; then
    return
  fi
  echo "replica: allowing replication connections from 127.0.0.1 in $hba" >&2
  printf '%s\nhost    replication     all             127.0.0.1/32            trust\n' "$HBA_MARK" >>"$hba"
  primary "SELECT pg_reload_conf()" >/dev/null
}

make_replica() {
  local bindir
  bindir=$(bin)
  allow_replication
  echo "replica: copying the primary on port $PRIMARY_PORT into $DATA (pg_basebackup)" >&2
  rm -rf "$DATA"
  install -d -o postgres -g postgres -m 0700 "$DATA"
  # -R writes standby.signal and primary_conninfo: the copy starts as a standby of the primary.
  as_postgres "$bindir/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
    -R -X stream -c fast --no-password
  # Debian keeps the configuration in /etc, so the copy has none: write a small one. A hot
  # standby needs these limits at least as high as the primary's.
  {
    echo "# Written by .ci/replica.sh"
    echo "port = $PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = ''"
    echo "hot_standby = on"
    echo "cluster_name = 'ctl_ci_replica'"
    echo "shared_buffers = 32MB"
    for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions \
      max_locks_per_transaction; do
      echo "$setting = $(primary "SHOW $setting")"
    done
  } | as_postgres tee "$DATA/postgresql.conf" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$DATA/pg_hba.conf" >/dev/null
  : | as_postgres tee "$DATA/pg_ident.conf" >/dev/null
}

streaming() {
  # Up to 20 s for the WAL receiver to connect (the first start after a long stop may need the
  # primary's WAL that has since been recycled: then it never streams and is made again).
  for _ in $(seq 1 40); do
    [ "$(replica "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" = streaming ] && return 0
    sleep 0.5
  done
  return 1
}

start() {
  if running && streaming; then return; fi
  [ -f "$DATA/standby.signal" ] || make_replica
  running || as_postgres "$(bin)/pg_ctl" -D "$DATA" -l "$LOG" -w -t 120 start >/dev/null
  if ! streaming; then
    echo "replica: not streaming from the primary; making it again" >&2
    stop
    make_replica
    as_postgres "$(bin)/pg_ctl" -D "$DATA" -l "$LOG" -w -t 120 start >/dev/null
    streaming || { echo "replica: still not streaming; see $LOG" >&2; exit 1; }
  fi
  [ "$(replica "SELECT pg_is_in_recovery()")" = t ] || { echo "replica: not a standby" >&2; exit 1; }
}

stop() {
  if running; then as_postgres "$(bin)/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
}

remove() {
  stop
  rm -rf "$DATA" "$LOG"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  remove) remove ;;
  url) echo "postgres://postgres@127.0.0.1:$PORT/postgres" ;;
  status) if running; then echo "running on 127.0.0.1:$PORT ($DATA)"; else echo "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|remove|url|status" >&2; exit 2 ;;
esac
