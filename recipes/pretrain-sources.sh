#!/usr/bin/env bash
# Reproduces, from scratch, the source models tl4j ships as zoo entries (issue 6): small networks pretrained by
# tl4j's own training on real data that is on this machine without a network.
#   resnet-small.glyphs     resnet50-small (32x32, width 0.25) on 62-class glyphs rendered from every installed font
#                           (broad source: the offline stand-in for ImageNet)
#   alexnet-small.glyphs    alexnet-small (64x64, width 0.25) on the same glyphs, one epoch
#   googlenet-small.glyphs  googlenet-small (32x32, width 0.25) on the same glyphs, one epoch
#   resnet-small.fashion04  resnet50-small on Fashion-MNIST classes 0-4 (narrow source, kept on purpose: the case
#                           where transfer does not help)
# Each run's model.zip becomes zoo-adapters/src/main/resources/weights/ID.zip; its SHA-256, size and the figures of
# its run.json (seed, manifest hash, wall time, held-out accuracy) go into adapters/ID.json (see the last step).
#
# Usage: recipes/pretrain-sources.sh [WORKDIR]   (default ~/tl4j-sources; nothing is written in the checkout)
# Time (2026-11-27, the shared 2-core build machine, both runs side by side with other work, load 4-7): glyphs about
# 50 minutes, fashion04 about 40 minutes; on a quiet machine one run trains at about 80 images/s (~12 min per glyph
# epoch).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$HOME/tl4j-sources}"
tl4j="$root/tl4j"
# One native thread per process: ND4J's OpenMP threads otherwise compete with the JVM's own threads (image decoding,
# GC). Measured 2026-11-27 on the quiet 2-core machine: 79 images/s with one thread, 57 with two; at load ~20 the
# gap was ten-fold (15.5 against 1.2).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# 1. Data. Glyphs: 0-9 A-Z a-z rendered from every font that passes the checks; val/ holds whole font families, so
#    val accuracy says whether the network learned characters rather than fonts. Fashion-MNIST classes 0-4: the
#    official train/ and test/ (test/ is the held-out set the descriptor quotes).
if [[ ! -d "$work/glyphs-all/train" ]]; then
  "$tl4j" datasets prepare glyphs --seed 42 --out "$work/glyphs-all"
fi
if [[ ! -d "$work/fashion04/train" ]]; then
  "$tl4j" datasets prepare fashion-mnist --classes 0-4 --seed 42 --out "$work/fashion04"
fi

# 2. The sources, from scratch, with Adam and Bengio's 1/t schedule (eps0 * tau / max(t, tau)) after a short warm-up,
#    batch 64, validated every 400 (glyphs) or 200 (fashion) updates; the best weights by validation loss are kept.
#    --split 90,5,5 carves a small test split from the glyphs' train/ (val/ comes from the layout); 90,10,0 carves
#    fashion's validation from train/ (test/ comes from the layout).
if [[ ! -f "$work/runs/resnet-small.glyphs/model.zip" ]]; then
  "$tl4j" fit --data "$work/glyphs-all" --model resnet50-small --strategy scratch --seed 42 --optimizer adam \
    --lr 0.002 --schedule 1/t:tau=300,warmup=20 --max-epochs 2 --eval-every 400 --no-early-stopping \
    --split 90,5,5 --batch 64 --out "$work/runs/resnet-small.glyphs"
fi
# AlexNet and GoogLeNet: the same recipe for one epoch (what the session that made them had time for).
for arch in alexnet googlenet; do
  if [[ ! -f "$work/runs/$arch-small.glyphs/model.zip" ]]; then
    "$tl4j" fit --data "$work/glyphs-all" --model "$arch-small" --strategy scratch --seed 42 --optimizer adam \
      --lr 0.002 --schedule 1/t:tau=300,warmup=20 --max-epochs 1 --eval-every 400 --no-early-stopping \
      --split 90,5,5 --batch 64 --out "$work/runs/$arch-small.glyphs"
  fi
done
if [[ ! -f "$work/runs/resnet-small.fashion04/model.zip" ]]; then
  "$tl4j" fit --data "$work/fashion04" --model resnet50-small --strategy scratch --seed 42 --optimizer adam \
    --lr 0.002 --schedule 1/t:tau=300,warmup=20 --max-epochs 2 --eval-every 200 --no-early-stopping \
    --split 90,10,0 --batch 64 --out "$work/runs/resnet-small.fashion04"
fi

# 3. What to ship: the file, its SHA-256 and size, and where the descriptor's figures come from.
for id in resnet-small.glyphs alexnet-small.glyphs googlenet-small.glyphs resnet-small.fashion04; do
  run="$work/runs/$id"
  echo "$id: copy $run/model.zip to $root/zoo-adapters/src/main/resources/weights/$id.zip"
  echo "  sha256 $(sha256sum "$run/model.zip" | cut -d' ' -f1), $(stat -c %s "$run/model.zip") bytes"
  echo "  seed, data.manifestHash, wallSeconds; held-out accuracy: val (glyphs) or test (fashion04) in $run/run.json"
done
