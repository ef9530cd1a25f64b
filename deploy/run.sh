#!/usr/bin/env bash
# Runs CrisisOps locally on a fresh Debian machine with the .NET SDK: one command.
#
#   deploy/run.sh                  PostgreSQL + RabbitMQ (deploy/infra.sh), a local signing key, build, then the
#                                  Aspire AppHost (services + dashboard); Ctrl-C stops what it started.
#   deploy/run.sh --no-dashboard   the services alone (their built dlls, no launch profile), no Aspire.
#   deploy/run.sh --demo           also replays the sample crisis (crisisops demo) once the services answer.
#   deploy/run.sh --detach         leaves everything running in the background; stop it with --stop.
#   deploy/run.sh --stop           stops what a detached run started (PIDs in deploy/.local/run.pids).
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

APPHOST=deploy/CrisisOps.AppHost
CLI=deploy/CrisisOps.Cli
DECLARATION=services/Declaration/CrisisOps.Declaration
MEASURES=services/Measures/CrisisOps.Measures
LEVERAGES=services/Leverages/CrisisOps.Leverages
GRPC_PORT=5101
MEASURES_PORT=5102
LEVERAGES_PORT=5105
DASHBOARD_URL=http://127.0.0.1:18888
OTLP_URL=http://127.0.0.1:18889
START_TIMEOUT=${CRISISOPS_START_TIMEOUT:-180}

log() { echo "run: $*" >&2; }
die() { log "$*"; exit 1; }

demo=0 dashboard=1 detach=0
for arg in "$@"; do
  case $arg in
    --demo) demo=1 ;;
    --no-dashboard) dashboard=0 ;;
    --detach) detach=1 ;;
    --stop) mode=stop ;;
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
  for port in $GRPC_PORT $MEASURES_PORT $LEVERAGES_PORT 18888 18889; do
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

# 1. PostgreSQL and RabbitMQ on loopback; sets ConnectionStrings__postgres and ConnectionStrings__rabbitmq.
eval "$(deploy/infra.sh)"
export ConnectionStrings__postgres ConnectionStrings__rabbitmq

mkdir -p "$KEYS" "$LOGS"

# 2. Build what is run: the CLI (keys, tokens, demo) and the AppHost (which builds every service) or the services.
build() { log "building $1"; dotnet build "$1" -nologo -v quiet -clp:NoSummary >"$LOGS/build-$(basename "$1").log" 2>&1; }
build "$CLI" || { tail -30 "$LOGS/build-$(basename "$CLI").log" >&2; die "building $CLI failed (log: $LOGS/build-$(basename "$CLI").log)"; }
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
  for project in "$DECLARATION" "$MEASURES" "$LEVERAGES"; do
    build "$project" || { tail -30 "$LOGS/build-$(basename "$project").log" >&2; die "building $project failed"; }
  done
fi

crisisops() { dotnet run --project "$CLI" --no-build -- "$@"; }
# The built assembly, run as `dotnet X.dll`: one process per command, so stopping signals the program itself, not a
# `dotnet run` wrapper (launch profiles do not apply either, as with `dotnet run --no-launch-profile`).
assembly() { dotnet msbuild "$1" -nologo -getProperty:TargetPath; }

# 3. A local signing key, once: the services trust its public half, the CLI mints tokens with the private half.
if [ ! -f "$PRIVATE_KEY" ] || [ ! -f "$PUBLIC_KEY" ]; then
  log "creating a local signing key in $KEYS"
  crisisops token keygen --dir "$KEYS" --force >&2
fi
export Auth__SigningKeyFile="$ROOT/$PUBLIC_KEY"
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
  log "starting the AppHost (services + dashboard); log: $LOGS/apphost.log"
  start apphost "$LOGS/apphost.log" env \
    ASPNETCORE_URLS="$DASHBOARD_URL" \
    ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="$OTLP_URL" \
    ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    dotnet "$(assembly "$APPHOST")"
  main_log=$LOGS/apphost.log
  logs=$main_log
else
  # Each service as the AppHost would start it: its fixed loopback port, HTTP/2 only (gRPC without TLS).
  start_service() {
    local name=$1 project=$2 port=$3
    log "starting the $name service; log: $LOGS/$name.log"
    start "$name" "$LOGS/$name.log" env \
      ASPNETCORE_URLS="http://127.0.0.1:$port" \
      Kestrel__EndpointDefaults__Protocols=Http2 \
      dotnet "$(assembly "$project")"
  }
  start_service declaration "$DECLARATION" "$GRPC_PORT"
  start_service measures "$MEASURES" "$MEASURES_PORT"
  start_service leverages "$LEVERAGES" "$LEVERAGES_PORT"
  main_log=$LOGS/declaration.log
  logs="$main_log, $LOGS/measures.log, $LOGS/leverages.log"
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
SERVICE_PORTS="$GRPC_PORT $MEASURES_PORT $LEVERAGES_PORT"
ports_text="127.0.0.1:$GRPC_PORT, 127.0.0.1:$MEASURES_PORT and 127.0.0.1:$LEVERAGES_PORT"
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
      case $(silent_port) in
        "$MEASURES_PORT") waited_log=$LOGS/measures.log ;;
        "$LEVERAGES_PORT") waited_log=$LOGS/leverages.log ;;
      esac
    fi
    tail -40 "$waited_log" >&2
    die "$ports_text did not all listen within $START_TIMEOUT s (logs: $logs)"
  fi
  sleep 1
done

mint="dotnet run --project $CLI --no-build -- token mint --key $PRIVATE_KEY"
{
  echo
  echo "CrisisOps is running (127.0.0.1 only)."
  echo "  declaration gRPC (h2c):  http://127.0.0.1:$GRPC_PORT   (health: grpc.health.v1.Health; reflection on)"
  echo "  measures gRPC (h2c):     http://127.0.0.1:$MEASURES_PORT   (health: grpc.health.v1.Health; reflection on)"
  echo "  leverages gRPC (h2c):    http://127.0.0.1:$LEVERAGES_PORT   (health: grpc.health.v1.Health; reflection on)"
  if [ "$dashboard" = 1 ]; then
    login=$(grep -o 'Login to the dashboard at [^ ]*' "$main_log" | tail -1 | sed 's/^Login to the dashboard at //')
    echo "  Aspire dashboard:        $DASHBOARD_URL"
    echo "    login (token):         ${login:-see $main_log}"
    echo "  OTLP (gRPC) collector:   $OTLP_URL"
  fi
  echo "  logs:                    $logs$([ "$dashboard" = 1 ] && echo ' (service logs: in the dashboard)')"
  echo "  PostgreSQL / RabbitMQ:   127.0.0.1:5432 (db crisisops) / 127.0.0.1:5672 (guest), left running"
  echo
  echo "Bearer tokens (valid 8 h; add --hours N):"
  echo "  PL ministry:  $mint --role ministry --country PL --ministry \"Ministry of Interior and Administration\" --subject pl-mswia --name \"PL crisis desk\""
  echo "  coordinator:  $mint --role coordinator --subject eu-coordinator --name \"EU crisis coordinator\""
  echo "  then send it as the 'authorization: Bearer <token>' header."
  echo
  echo "Sample crisis: dotnet run --project $CLI --no-build -- demo --endpoint http://127.0.0.1:$GRPC_PORT \\"
  echo "                 --measures-endpoint http://127.0.0.1:$MEASURES_PORT --leverages-endpoint http://127.0.0.1:$LEVERAGES_PORT \\"
  echo "                 --key $PRIVATE_KEY"
  if [ "$detach" = 1 ]; then echo "Stop: deploy/run.sh --stop"; else echo "Stop: Ctrl-C"; fi
  echo
} >&2

if [ "$demo" = 1 ]; then
  log "running the demo"
  demo_status=0
  crisisops demo --endpoint "http://127.0.0.1:$GRPC_PORT" --measures-endpoint "http://127.0.0.1:$MEASURES_PORT" \
    --leverages-endpoint "http://127.0.0.1:$LEVERAGES_PORT" --key "$PRIVATE_KEY" || demo_status=$?
  if [ "$demo_status" = 0 ]; then log "demo finished"; else log "demo failed (exit $demo_status)"; fi
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
