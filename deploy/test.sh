#!/usr/bin/env bash
# The README's test command: installs and starts PostgreSQL and RabbitMQ where needed (deploy/infra.sh),
# builds the solution, runs every test project, and prints one closing line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests' own database (crisisops_test): their random schemas stay out of the one deploy/run.sh and the auditor use.
export CRISISOPS_PG_DB=${CRISISOPS_PG_DB:-crisisops_test}
export CRISISOPS_BROWSER=1
eval "$(deploy/infra.sh)"
# The ministry integration kit (clients/node) and buf run on Node.js; their packages install from the lock file.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >&2
fi
npm ci --prefix clients/node --no-audit --no-fund --loglevel=error >&2
dotnet build CrisisOps.sln -c Release -nologo -clp:ErrorsOnly

results=$(mktemp -d)
status=0
dotnet test CrisisOps.sln -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=run" --results-directory "$results" "$@" || status=$?

# The fault suite, CI-sized (deploy/faults.sh --ci: 200 decisions, kill -9 of each service in turn; the shared
# PostgreSQL and RabbitMQ are left alone, so the test assemblies above are never disturbed). It counts as one test.
faults=0
CRISISOPS_FAULTS_NO_BUILD=1 deploy/faults.sh --ci || faults=$?

# The benchmark suite, CI-sized (deploy/bench.sh --ci): every scenario runs and prints its figures on its own schemas
# and ports; no target is asserted, it fails only when a scenario errors or loses a decision. It counts as one test.
bench=0
CRISISOPS_BENCH_NO_BUILD=1 deploy/bench.sh --ci || bench=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
  # Each failed test by name, so the closing lines of a CI log say which ones.
  grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | sed -n 's/.* testName="\([^"]*\)".*/failed: \1/p' || true
done
rm -rf "$results"
if [ "$faults" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "the fault suite (deploy/faults.sh --ci) failed"; fi
if [ "$bench" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; echo "the benchmark suite (deploy/bench.sh --ci) failed"; fi
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "no test ran"; status=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
