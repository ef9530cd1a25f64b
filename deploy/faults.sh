#!/usr/bin/env bash
# The fault suite: starts the six services as processes on 127.0.0.1:5160-5165 (own schemas and message topology),
# runs a load of decisions, kills -9 each service in turn during it, stops and starts RabbitMQ (rabbitmqctl
# stop_app/start_app) and PostgreSQL (pg_ctlcluster 15 main stop/start), then checks in the stores and through the
# read APIs that nothing was lost; prints a table and exits 1 when anything was.
#   deploy/faults.sh                 full: 2,000 decisions at 10/s, every fault (stops the shared PostgreSQL and RabbitMQ for
#                                    15-20 s: run it when nothing else uses them)
#   deploy/faults.sh --ci            CI-sized: 200 decisions, the kills only (deploy/test.sh runs this)
#   deploy/faults.sh --calls N --rate R --no-broker --no-postgres --port-base P
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(deploy/infra.sh)"
if [ "${CRISISOPS_FAULTS_NO_BUILD:-0}" != 1 ]; then
  for p in services/Declaration/CrisisOps.Declaration services/Measures/CrisisOps.Measures services/Reception/CrisisOps.Reception \
           services/Humanitarian/CrisisOps.Humanitarian services/Leverages/CrisisOps.Leverages services/Auditor/CrisisOps.Auditor deploy/CrisisOps.Faults; do
    dotnet build "$p" -c Release -nologo -v quiet -clp:ErrorsOnly
  done
fi
exec dotnet deploy/CrisisOps.Faults/bin/Release/net10.0/CrisisOps.Faults.dll --root "$PWD" "$@"
