#!/usr/bin/env bash
# Issue 9's two pipeline targets on tl4j's ONNX Runtime engine, as measured for docs/performance.md:
#  1. ./tl4j bench pipeline: ResNet-50 at 224 px (seeded random weights), batch 8: the codes path from JPEG files on
#     disk against the forward pass alone on tensors decoded beforehand, interleaved rounds (target >= 0.8).
#  2. ./tl4j bench fe-end-to-end: fit --strategy feature-extractor on 5,000 rendered JPEGs against extract of the same
#     images once (target < 1.5), on ResNet-50 at 112 px (recipes/bench-adapters/resnet50-112.json).
# Writes results.json and results.md under runs/bench-onnx-pipeline/<time>/{pipeline,fe-end-to-end}.
#
# Usage: recipes/bench-onnx-pipeline.sh [pipeline|fe|both]   (default both; needs mvn -B -q -DskipTests package)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-both}"
out="$root/runs/bench-onnx-pipeline/$(date -u +%Y%m%dT%H%M%S)"
# ND4J's OpenMP threads: one (the JVM's DL4J parts are not timed; ONNX Runtime takes its own intra-op threads).
export OMP_NUM_THREADS=1 TL4J_ADAPTERS="$root/recipes/bench-adapters"
echo "bench-onnx-pipeline: load before: $(cat /proc/loadavg)" >&2
if [[ "$which" == pipeline || "$which" == both ]]; then
  "$root/tl4j" bench pipeline --model resnet50.imagenet --batch 8 --images 160 --rounds 4 --out "$out/pipeline"
fi
if [[ "$which" == fe || "$which" == both ]]; then
  # The untrained trunk's codes are large (L2 norm ~26,000): fit's default rate diverges, 1e-9 trains the head.
  "$root/tl4j" bench fe-end-to-end --model resnet50-112 --images 5000 --lr 1e-9 --out "$out/fe-end-to-end"
fi
echo "bench-onnx-pipeline: load after: $(cat /proc/loadavg)" >&2
