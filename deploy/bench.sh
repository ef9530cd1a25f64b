#!/usr/bin/env bash
# The benchmark suite: the five deciding services as Release processes on 127.0.0.1:5180-5184 (own schemas and message
# topology, so the demo's stores and the tests' are never touched), against the local PostgreSQL and RabbitMQ; every
# figure printed beside a baseline measured in the same run, with its target and whether it is met.
#   deploy/bench.sh                  full (about 20 minutes): throughput, memory, long-streams, propagation,
#                                    append-cost, audit-replay (1,000,000 events), expiry (10,000 emergencies)
#   deploy/bench.sh --ci             every scenario small (about 2 minutes); asserts no target, fails only when a
#                                    scenario errors or loses a decision (deploy/test.sh runs this)
#   deploy/bench.sh --only NAME      one scenario (memory runs throughput first)
#   deploy/bench.sh --port-base P --keep   other ports; keep the run's schemas to look at them
#   deploy/bench.sh --only audit-replay --audit-sizes 20000,200000   the audit's two store sizes instead of 250k and 1M
#   deploy/bench.sh --ci --only expiry --expiry-count 2000   expiry with 2,000 ends at each instant (its other sizes the run's)
# Results: deploy/.local/bench/results-<time>.json (not committed); service logs: deploy/.local/bench/<run>/.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(deploy/infra.sh)"
if [ "${CRISISOPS_BENCH_NO_BUILD:-0}" != 1 ]; then
  for p in services/Declaration/CrisisOps.Declaration services/Measures/CrisisOps.Measures services/Reception/CrisisOps.Reception \
           services/Humanitarian/CrisisOps.Humanitarian services/Leverages/CrisisOps.Leverages tests/CrisisOps.Benchmarks; do
    dotnet build "$p" -c Release -nologo -v quiet -clp:ErrorsOnly
  done
fi
exec dotnet tests/CrisisOps.Benchmarks/bin/Release/net10.0/CrisisOps.Benchmarks.dll --root "$PWD" "$@"
