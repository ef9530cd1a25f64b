#!/usr/bin/env bash
# Issue 11's "Done when", tried as an auditor would on a fresh machine (the same steps, on a small history, are the test
# OperatorRewriteWalkthroughTests):
#
#   1. deploy/run.sh --reset --no-dashboard --demo --detach: the services, the demo, the local witness (run --listen).
#   2. The auditor keeps what was published: the services' checkpoints, the witness's cosigned state, the published keys,
#      and the receipt of one decision the operator will not touch; the audit against what was kept passes.
#   3. The operator, with full database rights (the schemas' owner role of deploy/infra.sh, crisisops_migrator) and the service's log key (the service
#      is restarted on the rewritten rows and signs them), rewrites ONE decision of the declaration store: its data
#      edited, every stream chain recomputed (crisisops-forge), the log chain and the Merkle log rebuilt by the service,
#      the service's published checkpoints deleted.
#   4. The next crisisops-audit --checkpoints run fails naming that decision (stream, version, position); the witness
#      refuses the next checkpoint (poll exits 1, the refusal is recorded and served over HTTP); the receipt kept verifies
#      offline (crisisops-audit verify-receipt, no database).
#
#   deploy/walkthrough/operator-rewrite.sh               runs it all, then stops what it started
#   deploy/walkthrough/operator-rewrite.sh --keep-running leaves the services running (deploy/run.sh --stop stops them)
#
# It drops the five stores first (run.sh --reset) of the database deploy/infra.sh names: CRISISOPS_PG_DB=<name> runs it
# in a database of its own (created if missing). Each step prints what it expects and what happened; the exit code is
# 0 when every expectation held, 1 when one failed, 2 when the walkthrough could not run.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
LOCAL=deploy/.local
WORK=$LOCAL/walkthrough
KEPT=$WORK/auditor
WITNESS_URL=http://127.0.0.1:5109
DECLARATION=http://127.0.0.1:5101
STORE=declaration
keep_running=0
[ "${1:-}" = --keep-running ] && keep_running=1

say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
failed=0
expect() { # expect "what" actual wanted
  if [ "$2" = "$3" ]; then printf '   \033[32mas expected\033[0m  %s (%s)\n' "$1" "$2" >&2
  else printf '   \033[31mNOT AS EXPECTED\033[0m  %s: %s, expected %s\n' "$1" "$2" "$3" >&2; failed=1; fi
}
die() { printf 'operator-rewrite: %s\n' "$*" >&2; exit 2; }

eval "$(deploy/infra.sh)"
# The owner of the stores' schemas (the role the services migrate as): every right over their rows, triggers and tables.
OWNER=$CRISISOPS_PG_MIGRATOR
libpq() { sed 's/Host=/host=/; s/Port=/port=/; s/Database=/dbname=/; s/Username=/user=/; s/Password=/password=/; s/;/ /g' <<<"$1"; }
sql() { psql "$(libpq "$OWNER")" -XAtqc "$1"; }
tool() { local project=$1; shift; dotnet "$(dotnet msbuild "$project" -nologo -p:Configuration=Release -getProperty:TargetPath)" "$@"; }
audit() { tool services/Auditor/CrisisOps.Auditor.Cli "$@"; }
witness() { tool services/Witness/CrisisOps.Witness "$@"; }

say "1. the services, the demo and the local witness (deploy/run.sh --reset --no-dashboard --demo --detach)"
(exec 3<>/dev/tcp/127.0.0.1/5101) 2>/dev/null && die "127.0.0.1:5101 already listens (a running deploy/run.sh?): deploy/run.sh --stop first"
stop() { [ "$keep_running" = 1 ] || deploy/run.sh --stop >&2 || true; }
trap stop EXIT
demo=0
deploy/run.sh --reset --no-dashboard --demo --detach || demo=$?
expect "the demo and its audit" "exit $demo" "exit 0"
dotnet build deploy/CrisisOps.Forgery -c Release -nologo -v quiet -clp:NoSummary >/dev/null || die "building the operator's tool failed"

say "2. the auditor keeps the published checkpoints, the witness's cosigned state, the keys and one receipt"
rm -rf "$WORK"; mkdir -p "$KEPT"
# The witness cosigns what the demo recorded last before anything is kept.
witness poll --key $LOCAL/witness/witness.key --logs $LOCAL/witness/logs --state $LOCAL/witness/state >&2 || true
cp -r $LOCAL/checkpoints "$KEPT/checkpoints"
mkdir -p "$KEPT/witness"; cp -r $LOCAL/witness/state/cosigned "$KEPT/witness/cosigned"
cp $LOCAL/keys/published-keys.txt "$KEPT/published-keys.txt"; cp $LOCAL/witness/witness-keys.txt "$KEPT/witness-keys.txt"
cosigned=$(find "$KEPT/witness/cosigned" -name '*.checkpoint' | wc -l)
expect "checkpoints the witness cosigned, kept" "$([ "$cosigned" -gt 0 ] && echo some || echo none)" some
# The decision the operator will rewrite: the first emergency declared; the receipt: the first decision on another stream (an early-warning indicator).
read -r seq stream version <<<"$(sql "select seq_id, stream_id, version from $STORE.mt_events where type = 'emergency_declared' order by seq_id limit 1" | tr '|' ' ')"
read -r _ untouched untouched_version <<<"$(sql "select seq_id, stream_id, version from $STORE.mt_events where type <> 'law_adopted' and stream_id <> '$stream' order by seq_id limit 1" | tr '|' ' ')"
[ -n "${seq:-}" ] && [ -n "${untouched:-}" ] || die "the demo recorded no emergency, or no decision on another stream, in $STORE"
echo "   the decision to be rewritten: $STORE $stream v$version (position $seq); the receipt kept: $untouched v$untouched_version" >&2
receipt=0
audit fetch-receipt --endpoint $DECLARATION --stream "$untouched" --stream-version "$untouched_version" --out "$KEPT/receipt.json" >&2 || receipt=$?
expect "the receipt fetched" "exit $receipt" "exit 0"
kept_audit() { audit --connection "$CRISISOPS_PG_AUDITOR" --schema $STORE --json "$1" --checkpoints "$KEPT/checkpoints" \
  --log-keys "$KEPT/published-keys.txt" --witness "$KEPT/witness" --witness-keys "$KEPT/witness-keys.txt"; }
before=0
kept_audit "$WORK/audit-before.json" >"$WORK/audit-before.txt" 2>&1 || before=$?
expect "the audit against what was kept, before" "exit $before" "exit 0"

say "3. the operator rewrites $stream v$version with full database rights and recomputes every hash"
tool deploy/CrisisOps.Forgery rewrite --connection "$OWNER" --schema $STORE --sequence "$seq" --field EndDate --value '"2099-12-31"' >&2
# He owns the services' checkpoint directory too.
rm -rf "$LOCAL/checkpoints/$STORE"
# The service, restarted on the rewritten rows with its log key, rebuilds the log chain and the Merkle log and signs them.
deploy/run.sh --stop >&2
deploy/run.sh --no-dashboard --detach || die "restarting the services failed"
events=$(sql "select count(*) from $STORE.mt_events")
for _ in $(seq 1 120); do [ "$(sql "select count(*) from $STORE.mt_doc_merkleleaf")" = "$events" ] && break; sleep 1; done
expect "the Merkle log rebuilt by the service from the rewritten rows" "$(sql "select count(*) from $STORE.mt_doc_merkleleaf") leaves" "$events leaves"

say "4a. the next audit against the kept checkpoints fails, naming that decision"
after=0
kept_audit "$WORK/audit-after.json" >"$WORK/audit-after.txt" 2>&1 || after=$?
expect "the audit against what was kept, after" "exit $after" "exit 1"
named=$(python3 - "$WORK/audit-after.json" "$stream" "$version" "$seq" <<'PY'
import json, sys
report, stream, version, seq = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
findings = [f for f in report["findings"] if f.get("severity") in ("Error", "error", 2)]
for f in findings: print(f"   {f['rule']} {f.get('streamKey')} v{f.get('version')} #{f.get('sequence')}: {f['message']}", file=sys.stderr)
print("named" if any(f.get("streamKey") == stream and f.get("version") == version and f.get("sequence") == seq for f in findings) else "not named")
PY
)
expect "a finding naming $stream v$version at position $seq" "$named" named
grep -q "integrity.checkpoint-mismatch" "$WORK/audit-after.json" && mismatch=yes || mismatch=no
expect "the kept checkpoint no longer matches (integrity.checkpoint-mismatch)" "$mismatch" yes

say "4b. the witness refuses to cosign the next checkpoint"
for _ in $(seq 1 60); do ls $LOCAL/checkpoints/$STORE/*.checkpoint >/dev/null 2>&1 && break; sleep 1; done
poll=0
witness poll --key $LOCAL/witness/witness.key --logs $LOCAL/witness/logs --state $LOCAL/witness/state >&2 || poll=$?
expect "crisisops-witness poll" "exit $poll" "exit 1"
refusals=$(find $LOCAL/witness/state/refused -name '*.refusal' 2>/dev/null | wc -l)
expect "refusals recorded" "$([ "$refusals" -gt 0 ] && echo recorded || echo none)" recorded
live=0
audit --connection "$CRISISOPS_PG_AUDITOR" --schema $STORE --json "$WORK/audit-witness.json" --log-keys "$KEPT/published-keys.txt" \
  --witness "$WITNESS_URL" --witness-keys "$KEPT/witness-keys.txt" >"$WORK/audit-witness.txt" 2>&1 || live=$?
grep -q "integrity.witness-refused" "$WORK/audit-witness.json" 2>/dev/null && refused=yes || refused=no
expect "the audit against the witness at $WITNESS_URL reports integrity.witness-refused" "exit $live, $refused" "exit 1, yes"

say "4c. the receipt kept verifies offline"
verify=0
audit verify-receipt "$KEPT/receipt.json" --log-keys "$KEPT/published-keys.txt" --witness-keys "$KEPT/witness-keys.txt" >&2 || verify=$?
expect "crisisops-audit verify-receipt (no database)" "exit $verify" "exit 0"

say "done: $([ "$failed" = 0 ] && echo 'every expectation held' || echo 'an expectation FAILED'); reports in $WORK"
exit "$failed"
