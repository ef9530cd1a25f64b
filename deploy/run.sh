#!/usr/bin/env bash
# Runs CrisisOps locally on a fresh Debian machine with the .NET SDK: one command.
#
#   deploy/run.sh                  PostgreSQL + RabbitMQ (deploy/infra.sh), a local signing key, build, then the
#                                  Aspire AppHost (services + dashboard); Ctrl-C stops what it started.
#   deploy/run.sh --no-dashboard   the services alone (their built dlls, no launch profile), no Aspire.
#   deploy/run.sh --demo           also replays the sample crisis (crisisops demo) once the services answer.
#   deploy/run.sh --detach         leaves everything running in the background; stop it with --stop.
#   deploy/run.sh --stop           stops what a detached run started (PIDs in deploy/.local/run.pids).
#   deploy/run.sh --reset          drops the five services' stores and queues first (every recorded decision: a
#                                  fresh start).
#
# With --demo, the audit (crisisops-audit) then replays the five stores and writes deploy/.local/audit.html, checking
# them against the signed checkpoints (deploy/.local/checkpoints) and what the local witness cosigned (deploy/.local/witness).
# The services migrate their schemas as crisisops_migrator and each runs as its own role (crisisops_<service>: its
# schema only; it cannot update or delete a stored event, deploy/db-roles.sql) and its own RabbitMQ user
# (crisisops-<service>: its queues and exchanges only, deploy/mq-users.sh); the auditor reads as crisisops_auditor.
#
# Everything listens on 127.0.0.1 only. PostgreSQL and RabbitMQ are left running (infra.sh owns them).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
LOCAL=deploy/.local
KEYS=$LOCAL/keys
LOGS=$LOCAL/logs
PIDS=$LOCAL/run.pids
PRIVATE_KEY=$KEYS/signing-key.pem
PUBLIC_KEY=$KEYS/signing-key.pub.pem
# The transparency log (issue 11): each store's key, the keys published to auditors, the checkpoints, one witness.
LOG_KEYS=$KEYS/log
PUBLISHED_KEYS=$KEYS/published-keys.txt
CHECKPOINTS=$LOCAL/checkpoints
WITNESS=$LOCAL/witness
WITNESS_CLI=services/Witness/CrisisOps.Witness
# The witness's HTTP view and add-checkpoint (crisisops-audit --witness $WITNESS_URL reads it).
WITNESS_URL=http://127.0.0.1:5109

APPHOST=deploy/CrisisOps.AppHost
CLI=deploy/CrisisOps.Cli
AUDIT_CLI=services/Auditor/CrisisOps.Auditor.Cli
# The services: name, project, loopback gRPC port (as in deploy/CrisisOps.AppHost/AppHost.cs).
SERVICES=(
  "declaration services/Declaration/CrisisOps.Declaration 5101"
  "measures services/Measures/CrisisOps.Measures 5102"
  "reception services/Reception/CrisisOps.Reception 5103"
  "humanitarian services/Humanitarian/CrisisOps.Humanitarian 5104"
  "leverages services/Leverages/CrisisOps.Leverages 5105"
  "auditor services/Auditor/CrisisOps.Auditor 5106"
  "situation services/Situation/CrisisOps.Situation 5107"
)
STORES=(declaration measures reception humanitarian leverages)
GRPC_PORT=5101
MEASURES_PORT=5102
LEVERAGES_PORT=5105
# The situation board (HTTP/1.1 for browsers, beside the situation service's gRPC port 5107).
BOARD_URL=http://127.0.0.1:5108
SERVICE_PORTS=$(for s in "${SERVICES[@]}"; do echo "${s##* }"; done | xargs)
DASHBOARD_URL=http://127.0.0.1:18888
OTLP_URL=http://127.0.0.1:18889
START_TIMEOUT=${CRISISOPS_START_TIMEOUT:-180}

log() { echo "run: $*" >&2; }
die() { log "$*"; exit 1; }

demo=0 dashboard=1 detach=0 reset=0
for arg in "$@"; do
  case $arg in
    --demo) demo=1 ;;
    --no-dashboard) dashboard=0 ;;
    --detach) detach=1 ;;
    --stop) mode=stop ;;
    --reset) reset=1 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $arg (see --help)" ;;
  esac
done

# Each started command is its own process group (setsid), recorded as "PGID NAME" in $PIDS; stopping signals exactly
# those groups, never a name pattern (a pattern such as "dcp" also matches the RabbitMQ VM's command line).
# The AppHost's orchestrator (dcp) detaches into groups of its own and watches the AppHost's PID: it stops the
# services and the dashboard itself once the AppHost has exited.
stop_group() {
  local pgid=$1 name=$2
  kill -0 -- "-$pgid" 2>/dev/null || return 0
  log "stopping $name (process group $pgid)"
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.5
  done
  log "$name did not stop within 30 s: killing process group $pgid"
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_all() {
  [ -f "$PIDS" ] || return 0
  local pgid name port dcp_dir
  # The orchestrator's working directory (named in the AppHost's log) goes away once it has stopped everything.
  dcp_dir=$(grep -o 'kubeconfig "[^"]*/kubeconfig"' "$LOGS/apphost.log" 2>/dev/null | tail -1 | sed 's/^kubeconfig "//; s/\/kubeconfig"$//') || true
  while read -r pgid name; do
    [ -n "$pgid" ] && stop_group "$pgid" "$name"
  done < <(tac "$PIDS")
  rm -f "$PIDS"
  if [ -n "$dcp_dir" ] && [ -d "$dcp_dir" ]; then
    log "waiting for the orchestrator to stop the services and the dashboard"
    for _ in $(seq 1 90); do [ -d "$dcp_dir" ] || break; sleep 0.5; done
    [ -d "$dcp_dir" ] && log "the orchestrator has not finished after 45 s ($dcp_dir still exists)"
  fi
  for port in $SERVICE_PORTS 18888 18889; do
    for _ in $(seq 1 60); do listening "$port" || break; sleep 0.5; done
    listening "$port" && log "127.0.0.1:$port still listens (not started by this script?)"
  done
  return 0
}

if [ "${mode:-}" = stop ]; then
  [ -f "$PIDS" ] || { log "nothing to stop ($PIDS not found)"; exit 0; }
  stop_all
  exit 0
fi

if [ -f "$PIDS" ]; then
  while read -r pgid name; do
    if kill -0 -- "-$pgid" 2>/dev/null; then
      die "$name from an earlier run is still running (process group $pgid): deploy/run.sh --stop first"
    fi
  done < "$PIDS"
  rm -f "$PIDS"
fi

command -v dotnet >/dev/null || die "the .NET SDK is required (dotnet not found on PATH)"

# 1. PostgreSQL and RabbitMQ on loopback, with the roles of deploy/db-roles.sql. The services get the migrator (their
# schema) and the application role (everything else); the auditor its read-only role.
eval "$(deploy/infra.sh)"
export ConnectionStrings__rabbitmq
# An Npgsql connection string ("Host=..;Port=..;Database=..;Username=..;Password=..") as libpq keywords for psql.
libpq() { sed 's/Host=/host=/; s/Port=/port=/; s/Database=/dbname=/; s/Username=/user=/; s/Password=/password=/; s/;/ /g' <<<"$1"; }
if [ "$reset" = 1 ]; then
  command -v psql >/dev/null || die "--reset needs psql (Debian: postgresql-client)"
  log "dropping the stores of ${STORES[*]} and the situation picture (--reset)"
  for schema in "${STORES[@]}" situation; do
    # A schema is dropped by its owner: the migrator, or the owner role for stores made before deploy/db-roles.sql.
    psql "$(libpq "$CRISISOPS_PG_MIGRATOR")" -qc "drop schema if exists $schema cascade" 2>/dev/null \
      || psql "$(libpq "$ConnectionStrings__postgres")" -qc "drop schema if exists $schema cascade" >&2
  done
  # Their checkpoints and what the local witness cosigned go with them: a fresh history, not a rollback of the old one.
  rm -rf "$CHECKPOINTS" "$WITNESS/state"
  # And their queues (named crisisops-<service>-…): messages waiting there were published for the dropped stores.
  if [ "$(id -u)" = 0 ]; then rabbitmqctl=(rabbitmqctl -q); else rabbitmqctl=(sudo rabbitmqctl -q); fi
  "${rabbitmqctl[@]}" status >/dev/null 2>&1 || rabbitmqctl=(docker compose -f docker-compose.yml exec -T rabbitmq rabbitmqctl -q)
  for queue in $("${rabbitmqctl[@]}" list_queues name --no-table-headers | grep '^crisisops-'); do
    "${rabbitmqctl[@]}" delete_queue "$queue" >/dev/null
  done
elif command -v psql >/dev/null; then
  # Stores made before the roles (owned by the owner role) cannot be migrated by crisisops_migrator.
  legacy=$(psql "$(libpq "$CRISISOPS_PG_MIGRATOR")" -qtAc "select string_agg(nspname, ', ') from pg_namespace
    where nspname in ($(printf "'%s'," "${STORES[@]}" | sed 's/,$//')) and nspowner::regrole::text <> 'crisisops_migrator'") || legacy=""
  [ -z "$legacy" ] || die "the stores $legacy were made before the database roles (deploy/db-roles.sql) and carry no hash chain: deploy/run.sh --reset drops them"
fi

mkdir -p "$KEYS" "$LOGS"

# 2. Build what is run: the CLI (keys, tokens, demo) and the AppHost (which builds every service) or the services.
# Release builds: what an operator runs is what is measured (deploy/bench.sh), not a Debug build.
build() { log "building $1 (Release)"; dotnet build "$1" -c Release -nologo -v quiet -clp:NoSummary >"$LOGS/build-$(basename "$1").log" 2>&1; }
for tool in "$CLI" "$AUDIT_CLI" "$WITNESS_CLI"; do
  build "$tool" || { tail -30 "$LOGS/build-$(basename "$tool").log" >&2; die "building $tool failed (log: $LOGS/build-$(basename "$tool").log)"; }
done
if [ "$dashboard" = 1 ]; then
  if [ ! -f "$APPHOST/CrisisOps.AppHost.csproj" ]; then
    log "no $APPHOST: running the services without the dashboard"; dashboard=0
  elif ! build "$APPHOST"; then
    tail -15 "$LOGS/build-$(basename "$APPHOST").log" >&2
    log "building $APPHOST failed (log: $LOGS/build-$(basename "$APPHOST").log): running the services without the dashboard"
    dashboard=0
  fi
fi
if [ "$dashboard" = 0 ]; then
  for service in "${SERVICES[@]}"; do
    read -r _ project _ <<<"$service"
    build "$project" || { tail -30 "$LOGS/build-$(basename "$project").log" >&2; die "building $project failed"; }
  done
fi

crisisops() { dotnet run --project "$CLI" -c Release --no-build -- "$@"; }
crisisops_audit() { dotnet run --project "$AUDIT_CLI" -c Release --no-build -- "$@"; }
# The built assembly, run as `dotnet X.dll`: one process per command, so stopping signals the program itself, not a
# `dotnet run` wrapper (launch profiles do not apply either, as with `dotnet run --no-launch-profile`).
assembly() { dotnet msbuild "$1" -nologo -p:Configuration=Release -getProperty:TargetPath; }

# 3. A local signing key, once: the services trust its public half, the CLI mints tokens with the private half.
if [ ! -f "$PRIVATE_KEY" ] || [ ! -f "$PUBLIC_KEY" ]; then
  log "creating a local signing key in $KEYS"
  crisisops token keygen --dir "$KEYS" --force >&2
fi
export Auth__SigningKeyFile="$ROOT/$PUBLIC_KEY"
# Each store's log key, once (it signs the store's checkpoints and decisions), published with the moment it starts.
mkdir -p "$LOG_KEYS" "$CHECKPOINTS" "$WITNESS"
for schema in "${STORES[@]}" situation; do
  if [ ! -f "$LOG_KEYS/$schema.key" ]; then
    log "creating the log key of $schema in $LOG_KEYS"
    echo "$(crisisops keys generate --name "crisisops.local/$schema" --key "$LOG_KEYS/$schema.key" | tail -1) from=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$PUBLISHED_KEYS"
  fi
done
export Transparency__KeyDirectory="$ROOT/$LOG_KEYS" Transparency__CheckpointDirectory="$ROOT/$CHECKPOINTS"
export Transparency__WitnessDirectory="$ROOT/$WITNESS/state" Transparency__CheckpointInterval=00:00:10
# The witness: locally a stand-in for the ombudsman's or the FRA's, its own key, the logs' published keys and ports.
if [ ! -f "$WITNESS/witness.key" ]; then
  log "creating the local witness's key in $WITNESS"
  dotnet run --project "$WITNESS_CLI" -c Release --no-build -- keygen --name witness.local --key "$WITNESS/witness.key" | tail -1 > "$WITNESS/witness-keys.txt"
fi
for service in "${SERVICES[@]}"; do
  read -r name _ port <<<"$service"
  key=$(grep -m1 "^crisisops.local/$name+" "$PUBLISHED_KEYS" | cut -d' ' -f1) || continue
  [ -z "$key" ] || echo "$key http://127.0.0.1:$port"
done > "$WITNESS/logs"
witness() { dotnet run --project "$WITNESS_CLI" -c Release --no-build -- "$1" --key "$WITNESS/witness.key" --logs "$WITNESS/logs" --state "$WITNESS/state" "${@:2}"; }
# The catch-up feeds: each service reads the others' ReadIntegrationEvents (what it missed before its queues existed)
# with a coordinator token of its own, minted for 30 days at each start.
FEED_TOKEN=$KEYS/feed.token
crisisops token mint --key "$PRIVATE_KEY" --role coordinator --subject crisisops-services --name "CrisisOps catch-up" --hours 720 \
  | tail -1 > "$FEED_TOKEN"
export Feed__TokenFile="$ROOT/$FEED_TOKEN"
for service in "${SERVICES[@]}"; do
  read -r name _ port <<<"$service"
  [ "$name" = auditor ] || export "Feed__Sources__$name=http://127.0.0.1:$port"
done
export Board__Url="$BOARD_URL"
export DOTNET_ENVIRONMENT=${DOTNET_ENVIRONMENT:-Development}

# 4. Start, each command in a process group of its own (its leader's PID written by the child itself).
start() {
  local name=$1 logfile=$2; shift 2
  local pidfile="$LOCAL/.$name.pid"
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" >"$logfile" 2>&1 </dev/null &
  for _ in $(seq 1 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  [ -s "$pidfile" ] || die "could not start $name"
  echo "$(cat "$pidfile") $name" >> "$PIDS"
  rm -f "$pidfile"
}

# shellcheck disable=SC2317 # invoked by the traps below
cleanup() {
  trap - INT TERM EXIT
  [ -f "$PIDS" ] || return 0
  echo >&2
  stop_all
  log "stopped (PostgreSQL and RabbitMQ keep running)"
}
# Ctrl-C reaches this script only (each started command has its own session): it stops them by their recorded PIDs.
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

if [ "$dashboard" = 1 ]; then
  # Each service's own role and RabbitMQ user (deploy/infra.sh), which the AppHost hands to that service alone.
  own_roles=()
  for service in "${SERVICES[@]}"; do
    read -r name _ _ <<<"$service"
    pg_role="CRISISOPS_PG_${name^^}" mq_user="CRISISOPS_MQ_${name^^}"
    [ -n "${!pg_role:-}" ] && own_roles+=("ConnectionStrings__postgres-$name=${!pg_role}" "ConnectionStrings__rabbitmq-$name=${!mq_user}")
  done
  log "starting the AppHost (services + dashboard); log: $LOGS/apphost.log"
  start apphost "$LOGS/apphost.log" env \
    ASPNETCORE_URLS="$DASHBOARD_URL" \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="$OTLP_URL" \
    ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    "ConnectionStrings__postgres-migrator=$CRISISOPS_PG_MIGRATOR" \
    "ConnectionStrings__postgres-app=$CRISISOPS_PG_APP" \
    "ConnectionStrings__postgres-auditor=$CRISISOPS_PG_AUDITOR" \
    "${own_roles[@]}" \
    dotnet "$(assembly "$APPHOST")"
  main_log=$LOGS/apphost.log
  logs=$main_log
else
  # Each service as the AppHost would start it: its fixed loopback port, HTTP/2 only (gRPC without TLS), the
  # application role with the migrator for its schema (the auditor: its read-only role).
  logs=""
  for service in "${SERVICES[@]}"; do
    read -r name project port <<<"$service"
    if [ "$name" = auditor ]; then
      roles=(ConnectionStrings__postgres="$CRISISOPS_PG_AUDITOR")
    else
      # Its own database role (its schema only) and its own RabbitMQ user (its queues and exchanges only).
      pg_role="CRISISOPS_PG_${name^^}" mq_user="CRISISOPS_MQ_${name^^}"
      roles=(ConnectionStrings__postgres="${!pg_role}" ConnectionStrings__postgres_migrator="$CRISISOPS_PG_MIGRATOR"
        ConnectionStrings__rabbitmq="${!mq_user}")
    fi
    log "starting the $name service; log: $LOGS/$name.log"
    start "$name" "$LOGS/$name.log" env "${roles[@]}" \
      ASPNETCORE_URLS="http://127.0.0.1:$port" \
      Kestrel__EndpointDefaults__Protocols=Http2 \
      dotnet "$(assembly "$project")"
    logs="${logs:+$logs, }$LOGS/$name.log"
  done
  main_log=$LOGS/declaration.log
fi

# The first started command that is no longer running ("NAME LOG"), if any.
exited() {
  local pgid name
  while read -r pgid name; do
    kill -0 -- "-$pgid" 2>/dev/null || { echo "$name $LOGS/$name.log"; return 0; }
  done < "$PIDS"
  return 1
}

# 5. Wait until the gRPC ports listen (and, with the AppHost, until the dashboard has printed its login URL).
ports_text="127.0.0.1:{${SERVICE_PORTS// /,}}"
# The first service port not listening yet, if any.
silent_port() {
  local port
  for port in $SERVICE_PORTS; do listening "$port" || { echo "$port"; return 0; }; done
  return 1
}
deadline=$((SECONDS + START_TIMEOUT))
until ! silent_port >/dev/null && { [ "$dashboard" = 0 ] || grep -q 'Login to the dashboard at' "$main_log"; }; do
  if gone=$(exited); then
    read -r gone_name gone_log <<<"$gone"
    tail -40 "$gone_log" >&2
    die "$gone_name exited before $ports_text all listened (log: $gone_log)"
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    waited_log=$main_log
    if [ "$dashboard" = 0 ]; then
      silent=$(silent_port)
      for service in "${SERVICES[@]}"; do
        read -r name _ port <<<"$service"
        [ "$port" = "$silent" ] && waited_log=$LOGS/$name.log
      done
    fi
    tail -40 "$waited_log" >&2
    die "$ports_text did not all listen within $START_TIMEOUT s (logs: $logs)"
  fi
  sleep 1
done

log "starting the witness (crisisops-witness run, every 10 s, serving $WITNESS_URL); log: $LOGS/witness.log"
start witness "$LOGS/witness.log" dotnet "$(assembly "$WITNESS_CLI")" run --key "$WITNESS/witness.key" --logs "$WITNESS/logs" \
  --state "$WITNESS/state" --interval 00:00:10 --listen "$WITNESS_URL"

# The printed commands name absolute paths: they work from any folder, not only from the checkout's root.
abs() { printf '%q' "$ROOT/$1"; }
mint="dotnet run --project $(abs "$CLI") -c Release --no-build -- token mint --key $(abs "$PRIVATE_KEY")"
{
  echo
  echo "CrisisOps is running (127.0.0.1 only)."
  for service in "${SERVICES[@]}"; do
    read -r name _ port <<<"$service"
    printf '  %-24s http://127.0.0.1:%s   (health: grpc.health.v1.Health; reflection on)\n' "$name gRPC (h2c):" "$port"
  done
  if [ "$dashboard" = 1 ]; then
    login=$(grep -o 'Login to the dashboard at [^ ]*' "$main_log" | tail -1 | sed 's/^Login to the dashboard at //')
    echo "  Aspire dashboard:        $DASHBOARD_URL"
    echo "    login (token):         ${login:-see $main_log}"
    echo "  OTLP (gRPC) collector:   $OTLP_URL"
  fi
  echo "  situation board:         $BOARD_URL   (sign in with a token below; the EU overview, crises, alerts)"
  echo "  witness (HTTP):          $WITNESS_URL/logs   (its cosigned checkpoints and refusals; POST /add-checkpoint)"
  echo "  logs:                    $logs$([ "$dashboard" = 1 ] && echo ' (service logs: in the dashboard)')"
  echo "  PostgreSQL / RabbitMQ:   127.0.0.1:5432 (db crisisops) / 127.0.0.1:5672 (guest), left running"
  echo
  echo "Bearer tokens (valid 8 h; add --hours N):"
  echo "  PL ministry:  $mint --role ministry --country PL --ministry \"Ministry of Interior and Administration\" --subject pl-mswia --name \"PL crisis desk\""
  echo "  coordinator:  $mint --role coordinator --subject eu-coordinator --name \"EU crisis coordinator\""
  echo "  auditor:      $mint --role auditor --subject fra-auditor --name \"FRA auditor\""
  echo "  partner:      $mint --role partner --organisation IOM --subject iom-logistics --name \"IOM logistics desk\""
  echo "  then send it as the 'authorization: Bearer <token>' header."
  echo
  echo "Sample crisis: dotnet run --project $(abs "$CLI") -c Release --no-build -- demo --endpoint http://127.0.0.1:$GRPC_PORT \\"
  echo "                 --measures-endpoint http://127.0.0.1:$MEASURES_PORT --leverages-endpoint http://127.0.0.1:$LEVERAGES_PORT \\"
  echo "                 --reception-endpoint http://127.0.0.1:5103 --humanitarian-endpoint http://127.0.0.1:5104 --key $(abs "$PRIVATE_KEY")"
  echo "Audit:  dotnet run --project $(abs "$AUDIT_CLI") -c Release --no-build -- --connection \"\$CRISISOPS_PG_AUDITOR\" \\"
  echo "          $(printf -- '--schema %s ' "${STORES[@]}")--html $(abs "$LOCAL/audit.html") \\"
  echo "          --checkpoints $(abs "$CHECKPOINTS") --log-keys $(abs "$PUBLISHED_KEYS") --witness $(abs "$WITNESS/state") --witness-keys $(abs "$WITNESS/witness-keys.txt")"
  echo "        (CRISISOPS_PG_AUDITOR: eval \"\$($(abs deploy/infra.sh))\"; or gRPC RunAudit on 127.0.0.1:5106 with an auditor token)"
  echo "Node.js:  (cd $(abs clients/node) && npm ci && node src/walkthrough.js --key $(abs "$PRIVATE_KEY"))"
  if [ "$detach" = 1 ]; then echo "Stop: $(abs deploy/run.sh) --stop"; else echo "Stop: Ctrl-C"; fi
  echo
} >&2

if [ "$demo" = 1 ]; then
  log "running the demo"
  demo_status=0
  crisisops demo --endpoint "http://127.0.0.1:$GRPC_PORT" --measures-endpoint "http://127.0.0.1:$MEASURES_PORT" \
    --leverages-endpoint "http://127.0.0.1:$LEVERAGES_PORT" --reception-endpoint "http://127.0.0.1:5103" \
    --humanitarian-endpoint "http://127.0.0.1:5104" --key "$PRIVATE_KEY" || demo_status=$?
  if [ "$demo_status" = 0 ]; then log "demo finished"; else log "demo failed (exit $demo_status)"; fi

  # The audit of what the demo recorded, once the log chains have sealed the last events (the async daemon runs
  # a moment behind the commits; an unsealed event is reported, not failed).
  sleep 3
  log "auditing the five stores (crisisops-audit)"
  audit_status=0
  # The witness cosigns the newest checkpoints first, so the audit covers the last decisions too.
  witness poll >&2 || log "the witness refused or could not reach a log (see above)"
  crisisops_audit --connection "$CRISISOPS_PG_AUDITOR" $(printf -- '--schema %s ' "${STORES[@]}") \
    --json "$LOCAL/audit.json" --html "$LOCAL/audit.html" --checkpoints "$CHECKPOINTS" --log-keys "$PUBLISHED_KEYS" \
    --witness "$WITNESS/state" --witness-keys "$WITNESS/witness-keys.txt" || audit_status=$?
  if [ "$audit_status" = 0 ]; then log "audit passed: $LOCAL/audit.html"; else log "audit failed (exit $audit_status): $LOCAL/audit.html"; fi
  [ "$demo_status" = 0 ] && demo_status=$audit_status
fi

if [ "$detach" = 1 ]; then
  trap - INT TERM EXIT
  log "left running in the background: deploy/run.sh --stop stops it"
  exit "${demo_status:-0}"
fi

log "running; Ctrl-C stops it"
until gone=$(exited); do
  sleep 2 & wait $! || true
done
read -r gone_name gone_log <<<"$gone"
log "$gone_name exited on its own (log: $gone_log)"
exit 1
