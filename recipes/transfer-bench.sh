#!/usr/bin/env bash
# Issue 6's transfer benchmark: for every source x target x size x seed x strategy, one ./tl4j fit run; then
# results.md (mean +- sd test accuracy per strategy, wall time, best strategy, auto's choice, the selector's
# regret), results.json (every cell, with how each run stopped) and transfer-accuracy.png.
# Usage: recipes/transfer-bench.sh [--reduced] [WORKDIR]   (default ~/tl4j-transfer-bench; nothing goes in the checkout)
#   --reduced (or TL4J_BENCH_REDUCED=1): one source, both targets, 10 images per class, one seed, 2 epochs at most
#   (a smoke test of the whole pipeline, minutes; its accuracies mean little).
#   TL4J_BENCH_SOURCES=id,...  sources (default: those of issue 6 that ./tl4j zoo list shows with weights);
#   TL4J_BENCH_EPOCHS, TL4J_BENCH_MAX_PER_CLASS: epochs at most per run (30) and the per-class cap (1000) to shorten it.
#   TL4J_BENCH_WORKERS: grid processes at once, each with its share of the targets and one thread (default 2, one
#   per core of the 2-core machine it was measured on; 1 runs the grid in one process).
# Rerunning with the same WORKDIR skips the finished cells, so a killed benchmark carries on where it stopped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reduced="${TL4J_BENCH_REDUCED:-0}"
if [[ "${1:-}" == "--reduced" ]]; then reduced=1; shift; fi
work="${1:-$HOME/tl4j-transfer-bench}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"   # one thread trains faster than two on this 2-core machine

# 1. Install missing Debian packages (opencv-doc, dataset-fashion-mnist) and build tl4j when needed.
"$root/recipes/lib/setup.sh"
tl4j="$root/tl4j"

# 2. The sources: the shipped networks pretrained by recipes/pretrain-sources.sh (broad: glyphs; narrow: Fashion 0-4).
if [[ -z "${TL4J_BENCH_SOURCES:-}" ]]; then
  available="$("$tl4j" zoo list | awk '$NF == "available" { print $1 }')"
  for id in resnet-small.glyphs alexnet-small.glyphs googlenet-small.glyphs resnet-small.fashion04; do
    if grep -qx "$id" <<<"$available"; then TL4J_BENCH_SOURCES="${TL4J_BENCH_SOURCES:+$TL4J_BENCH_SOURCES,}$id"
    else echo "transfer-bench: $id is not in the zoo with weights yet; leaving it out"; fi
  done
fi
sources="$TL4J_BENCH_SOURCES"

# 3. The grid. Targets: OpenCV digits (20% held out as test) and Fashion-MNIST 5-9 (official test images);
#    'all' is capped at 1,000 training images per class. fit's growing-patience early stopping on the
#    validation split carved from train/; scratch runs once per architecture.
if [[ "$reduced" == "1" ]]; then
  grid=(--sources "${sources%%,*}" --sizes 10 --seeds 1 --max-epochs "${TL4J_BENCH_EPOCHS:-2}")
else
  grid=(--sources "$sources" --sizes 10,100,all --seeds 1,2,3 --max-per-class "${TL4J_BENCH_MAX_PER_CLASS:-1000}" --max-epochs "${TL4J_BENCH_EPOCHS:-30}")
fi
# 4. Run it: one worker per target (up to TL4J_BENCH_WORKERS), each a bench transfer of its own with one thread;
#    one thread per process trains faster than two here, so two processes use both cores. Each line a worker
#    prints starts with its targets. The workers share WORKDIR (cells, data, caches are per target).
targets=(digits fashion5-9)
workers="${TL4J_BENCH_WORKERS:-2}"
if ! [[ "$workers" =~ ^[1-9][0-9]*$ ]]; then
  echo "transfer-bench: TL4J_BENCH_WORKERS must be a whole number of 1 or more, got '$workers'" >&2; exit 2
fi
(( workers > ${#targets[@]} )) && workers=${#targets[@]}
SECONDS=0
pids=(); shares=()
for ((w = 0; w < workers; w++)); do
  share=""
  for ((i = w; i < ${#targets[@]}; i += workers)); do share="${share:+$share,}${targets[i]}"; done
  shares+=("$share")
  "$tl4j" bench transfer "${grid[@]}" --targets "$share" --work "$work" --out "$work/results-worker-$((w + 1))" \
    2>&1 | sed -u "s/^/[$share] /" &
  pids+=($!)
done
failed=()
for ((w = 0; w < workers; w++)); do
  wait "${pids[w]}" || failed+=("${shares[w]}")
done
# 5. One table of every finished cell (a worker that failed leaves its finished cells in, its missing ones named).
"$tl4j" bench transfer "${grid[@]}" --targets "$(IFS=,; echo "${targets[*]}")" --work "$work" --out "$work/results" \
  --report-only 2>&1 | grep -v '^\[cell '
if (( ${#failed[@]} > 0 )); then
  echo "transfer-bench: the worker for ${failed[*]} failed (its lines above say why); rerun the same command to carry on" >&2
  exit 1
fi
echo "transfer-bench: finished in $((SECONDS / 60)) min $((SECONDS % 60)) s with $workers worker(s); table: $work/results/results.md"
