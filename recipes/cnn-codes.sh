#!/usr/bin/env bash
# CNN codes: each image's activation at a tap of a pretrained network (pooled over height and width), written
# as a numpy .npz (codes [N,D], labels, classes, paths) to use in your own classifier or in numpy.
# Usage: recipes/cnn-codes.sh DIR [WORK] [EXTRA...]   (WORK default ./tl4j-work; writes WORK/codes.npz)
#   EXTRA is passed on to ./tl4j extract, e.g. --untrained for the small adapters, which ship no weights
#   (seeded random weights: fine to try the pipeline, not useful features).
# Settings from the environment: MODEL (adapter id, default resnet50-small), TAP (default: the adapter's
# default tap, its pooled penultimate features; ./tl4j zoo info MODEL lists the taps).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:?usage: recipes/cnn-codes.sh DIR [WORK] [EXTRA...]}"
work="${2:-./tl4j-work}"
shift $(($# >= 2 ? 2 : 1))
model="${MODEL:-resnet50-small}"
tl4j="$root/tl4j"
mkdir -p "$work"

# 1. The adapter: its input size, taps and whether its weights are available.
"$tl4j" zoo info "$model"

# 2. Codes of every usable image, signed-square-rooted and L2-normalised (the usual preparation for a linear
#    classifier). They are cached by content, so a rerun on the same folder is quick.
"$tl4j" extract --data "$data" --model "$model" ${TAP:+--tap "$TAP"} --sqrt --l2 --out "$work/codes.npz" "$@"

echo "cnn-codes: codes in $work/codes.npz (python: d = numpy.load('$work/codes.npz'); d['codes'].shape)"
