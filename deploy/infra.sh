#!/usr/bin/env bash
# Installs (where missing) and starts the servers CrisisOps needs, on loopback only:
#   PostgreSQL (Debian's package) and RabbitMQ (Debian's rabbitmq-server).
# Where a Docker engine answers, docker compose starts them instead (docker-compose.yml).
# Prints the connection strings as shell exports; `eval "$(deploy/infra.sh)"` sets them.
set -euo pipefail

PG_USER=crisisops
PG_PASSWORD=${CRISISOPS_PG_PASSWORD:-crisisops-local}
# The database: crisisops for deploy/run.sh; deploy/test.sh sets CRISISOPS_PG_DB=crisisops_test, so that the test
# schemas (some holding planted violations) never mix with the stores an auditor replays after the demo.
PG_DB=${CRISISOPS_PG_DB:-crisisops}
# The roles of deploy/db-roles.sql: the migrator owns the schemas, the services run as the app role (history
# append-only), the auditor only reads. Exported below as CRISISOPS_PG_MIGRATOR / _APP / _AUDITOR.
PG_MIGRATOR_PASSWORD=${CRISISOPS_PG_MIGRATOR_PASSWORD:-crisisops-migrator-local}
PG_APP_PASSWORD=${CRISISOPS_PG_APP_PASSWORD:-crisisops-app-local}
PG_AUDITOR_PASSWORD=${CRISISOPS_PG_AUDITOR_PASSWORD:-crisisops-auditor-local}
# And one role per service (crisisops_<service>, its own schema only), exported as CRISISOPS_PG_<SERVICE>; likewise one
# RabbitMQ user per service (deploy/mq-users.sh), exported as CRISISOPS_MQ_<SERVICE>. Passwords:
# CRISISOPS_PG_<SERVICE>_PASSWORD / CRISISOPS_MQ_<SERVICE>_PASSWORD, else crisisops-<service>-local.
SERVICE_ROLES=(declaration measures reception humanitarian leverages situation)
upper() { tr '[:lower:]' '[:upper:]' <<<"$1"; }
pg_password() { local v; v="CRISISOPS_PG_$(upper "$1")_PASSWORD"; echo "${!v:-crisisops-$1-local}"; }
mq_password() { local v; v="CRISISOPS_MQ_$(upper "$1")_PASSWORD"; echo "${!v:-crisisops-$1-local}"; }
roles_sql="$(dirname "$0")/db-roles.sql"
roles_vars=(-v ON_ERROR_STOP=1 -v "migrator_password=$PG_MIGRATOR_PASSWORD" -v "app_password=$PG_APP_PASSWORD"
  -v "auditor_password=$PG_AUDITOR_PASSWORD")
for service in "${SERVICE_ROLES[@]}"; do roles_vars+=(-v "${service}_password=$(pg_password "$service")"); done
log() { echo "infra: $*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >&2
}

if docker info >/dev/null 2>&1 && [ "${CRISISOPS_INFRA:-}" != local ]; then
  log "Docker engine answers: starting PostgreSQL and RabbitMQ with docker compose"
  compose=(docker compose -f "$(dirname "$0")/../docker-compose.yml")
  "${compose[@]}" up -d --wait postgres rabbitmq >&2
  "${compose[@]}" exec -T postgres psql -U "$PG_USER" -d postgres -qtAc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1 \
    || "${compose[@]}" exec -T postgres createdb -U "$PG_USER" "$PG_DB" >&2
  "${compose[@]}" exec -T postgres psql -q -U "$PG_USER" -d "$PG_DB" "${roles_vars[@]}" -f - <"$roles_sql" >&2
  RABBITMQCTL="${compose[*]} exec -T rabbitmq rabbitmqctl" "$(dirname "$0")/mq-users.sh" >&2
else
  # PostgreSQL
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing PostgreSQL"
    apt_install postgresql
  fi
  if ! command -v pg_lsclusters >/dev/null; then apt_install postgresql-common; fi
  cluster=$(pg_lsclusters -h | head -1)
  if [ -z "$cluster" ]; then
    ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
    as_root pg_createcluster "$ver" main >&2
    cluster=$(pg_lsclusters -h | head -1)
  fi
  read -r ver name port status _ <<<"$cluster"
  if [ "$status" != online ]; then
    log "starting PostgreSQL $ver/$name on 127.0.0.1:$port"
    as_root pg_ctlcluster "$ver" "$name" start >&2
  fi
  as_root su postgres -c "psql -p $port -qtAc \"select 1 from pg_roles where rolname='$PG_USER'\"" | grep -q 1 \
    || as_root su postgres -c "psql -p $port -qc \"create role $PG_USER login createdb password '$PG_PASSWORD'\"" >&2
  as_root su postgres -c "psql -p $port -qtAc \"select 1 from pg_database where datname='$PG_DB'\"" | grep -q 1 \
    || as_root su postgres -c "createdb -p $port -O $PG_USER $PG_DB" >&2
  as_root su postgres -c "psql -q -p $port -d $PG_DB $(printf '%q ' "${roles_vars[@]}") -f -" <"$roles_sql" >&2

  # RabbitMQ
  if ! command -v rabbitmq-server >/dev/null; then
    log "installing RabbitMQ"
    apt_install rabbitmq-server
  fi
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    log "starting RabbitMQ on 127.0.0.1:5672"
    as_root env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >&2
  fi
  for _ in $(seq 1 60); do
    as_root rabbitmqctl -q await_startup >/dev/null 2>&1 && break
    sleep 2
  done
  as_root rabbitmqctl -q await_startup >&2
  "$(dirname "$0")/mq-users.sh" >&2
  port=${port:-5432}
fi

# The browser tests drive Debian's Chromium (CRISISOPS_BROWSER=1, set by deploy/test.sh).
if [ "${CRISISOPS_BROWSER:-}" = 1 ] && ! command -v chromium >/dev/null; then
  log "installing Chromium (browser tests)"
  apt_install chromium
fi

echo "export ConnectionStrings__postgres='Host=127.0.0.1;Port=${port:-5432};Database=$PG_DB;Username=$PG_USER;Password=$PG_PASSWORD'"
echo "export ConnectionStrings__rabbitmq='amqp://guest:guest@127.0.0.1:5672/'"
pg="Host=127.0.0.1;Port=${port:-5432};Database=$PG_DB"
echo "export CRISISOPS_PG_MIGRATOR='$pg;Username=crisisops_migrator;Password=$PG_MIGRATOR_PASSWORD'"
echo "export CRISISOPS_PG_APP='$pg;Username=crisisops_app;Password=$PG_APP_PASSWORD'"
echo "export CRISISOPS_PG_AUDITOR='$pg;Username=crisisops_auditor;Password=$PG_AUDITOR_PASSWORD'"
for service in "${SERVICE_ROLES[@]}"; do
  echo "export CRISISOPS_PG_$(upper "$service")='$pg;Username=crisisops_$service;Password=$(pg_password "$service")'"
  echo "export CRISISOPS_MQ_$(upper "$service")='amqp://crisisops-$service:$(mq_password "$service")@127.0.0.1:5672/'"
done
