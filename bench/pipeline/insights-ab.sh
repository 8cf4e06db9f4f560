#!/usr/bin/env bash
# What the insights read models (referral_facts and handover_facts, with the flows beside them)
# cost the pipeline: the pipeline benchmark of this commit against the same commit with the
# projector applying every read model but those two, in turn (A B A B ...), so that both see the
# same drift of a shared machine.
# Usage: bash bench/pipeline/insights-ab.sh [pairs, default 3]; QUICK=1 for a smoke run.
# Prints each run's maximum and projection lag; the runs' own reports are in $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
PAIRS=${1:-3}
OUT=${OUT:-$(mktemp -d)}
commit=$(git rev-parse HEAD)
for arm in with without; do
  git worktree add -q --detach "$OUT/$arm" "$commit"
  ln -s "$PWD/node_modules" "$OUT/$arm/node_modules"
done
# The control arm: the live projector leaves the facts models out (a rebuild would still fill them).
sed -i "s|const models = Object.values(READ_MODELS);|const models = Object.values(READ_MODELS).filter((m) => !m.name.endsWith('-facts'));|" \
  "$OUT/without/apps/projector/src/engine/projector.consumer.ts"
grep -q "endsWith('-facts')" "$OUT/without/apps/projector/src/engine/projector.consumer.ts"
for arm in with without; do (cd "$OUT/$arm" && npm run -s build); done
for pair in $(seq 1 "$PAIRS"); do
  for arm in with without; do
    (cd "$OUT/$arm" && node dist/bench/pipeline/pipeline.bench.js ${QUICK:+--quick} > "$OUT/$arm-$pair.md" 2> "$OUT/$arm-$pair.log")
    echo "pair $pair, $arm the insights models:"
    grep -E 'pipeline maximum \(command|projection lag .* at 50 %|backbone process CPU during' "$OUT/$arm-$pair.md" |
      sed -E 's/\(event recorded in the store → read-model row committed\) //; s/ \(after the publisher.*\|/ |/'
  done
done
for arm in with without; do git worktree remove --force "$OUT/$arm"; done
echo "reports: $OUT"
