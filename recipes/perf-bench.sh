#!/usr/bin/env bash
# tl4j (DL4J) against PyTorch and ONNX Runtime on ResNet-50, GoogLeNet and AlexNet at 224 px (torchvision variants,
# the same networks in every engine), interleaved rounds: training all layers (batch 16), head only (batch 16),
# inference (batches 1, 8, 32). Writes results.json and results.md to runs/bench-engines/<time> (or --out DIR).
#
# Usage: recipes/perf-bench.sh [--threads N] [any option of ./tl4j bench engines, e.g. --quick, --rounds 5,
#          --models resnet50, --tl4j-variants default,ws-none,bn-fold]
# Needs a built tree (mvn -B -q -DskipTests package) and Debian's python3-torch, python3-torchvision and
# libopenblas0-pthread (recipes/lib/debian-packages.txt; without the latter Debian's torch uses the slow reference
# BLAS). OpenMP threads wait passively: spinning waiters steal each other's cores on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
threads=2
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exec "$root/tl4j" bench engines --help ;;
    *) args+=("$1"); shift ;;
  esac
done
if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "perf-bench: libopenblas0-pthread is not installed; PyTorch would use the reference BLAS." \
       "Install it with: apt-get install libopenblas0-pthread" >&2
  exit 2
fi
echo "perf-bench: load before: $(cat /proc/loadavg)" >&2
export OMP_NUM_THREADS="$threads" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
"$root/tl4j" bench engines --threads "$threads" "${args[@]}"
echo "perf-bench: load after: $(cat /proc/loadavg)" >&2
