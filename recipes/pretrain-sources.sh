#!/usr/bin/env bash
# Reproduces, from scratch, the source models tl4j ships as zoo entries (issue 6): small networks pretrained by
# tl4j's own training on real data that is on this machine without a network.
#   resnet-small.glyphs  resnet50-small (32x32, width 0.25) on 62-class glyphs rendered from Debian's fonts
# Each run's model.zip becomes zoo-adapters/src/main/resources/weights/ID.zip; its SHA-256, size and the figures of
# its run.json (seed, manifest hash, wall time, held-out accuracy) go into adapters/ID.json (see the last step).
#
# Usage: recipes/pretrain-sources.sh [WORKDIR]   (default ~/tl4j-sources; nothing is written in the checkout)
# Time: about 20 minutes on the shared 2-core build machine under heavy load (load average ~25); far less when quiet.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$HOME/tl4j-sources}"
tl4j="$root/tl4j"
# One native thread per process: on a busy machine ND4J's OpenMP threads spin against other processes, which made
# training ten times slower here (1.2 against 15.5 images/s for resnet50-small at load ~20).
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# 1. Glyphs: 0-9 A-Z a-z rendered from 160 of the installed fonts (seeded pick); val/ holds whole font families,
#    so val accuracy says whether the network learned characters rather than fonts.
if [[ ! -d "$work/glyphs160/train" ]]; then
  "$tl4j" datasets prepare glyphs --max-fonts 160 --seed 42 --out "$work/glyphs160"
fi

# 2. resnet-small.glyphs: the small ResNet from scratch with Adam and Bengio's 1/t schedule after a short warm-up,
#    for ONE epoch: all that fitted the time budget on the loaded machine (about 5 images/s). It is an under-trained
#    source; more epochs (--max-epochs) on a quiet machine give a better one. Validated on the held-out families
#    every 88 updates; --split 90,5,5 only carves a small test split from train (val/ comes from the layout).
if [[ ! -f "$work/runs/resnet-small.glyphs/model.zip" ]]; then
  "$tl4j" fit --data "$work/glyphs160" --model resnet50-small --strategy scratch --seed 42 --optimizer adam \
    --lr 0.002 --schedule 1/t:tau=300,warmup=20 --max-epochs 1 --eval-every 88 --no-early-stopping \
    --split 90,5,5 --out "$work/runs/resnet-small.glyphs"
fi

# 3. What to ship: the file, its SHA-256 and size, and where the descriptor's figures come from.
for id in resnet-small.glyphs; do
  run="$work/runs/$id"
  echo "$id: copy $run/model.zip to $root/zoo-adapters/src/main/resources/weights/$id.zip"
  echo "  sha256 $(sha256sum "$run/model.zip" | cut -d' ' -f1), $(stat -c %s "$run/model.zip") bytes"
  echo "  seed, data.manifestHash, wallSeconds and the kept weights' val accuracy: $run/run.json"
done
