#!/usr/bin/env bash
# A linear SVM on CNN codes (the "CNN features off-the-shelf" baseline): extract codes from a pretrained
# network, then fit LIBLINEAR one-vs-rest with C chosen on a held-out part. No network training at all.
# Usage: recipes/svm-on-activations.sh DIR [WORK] [EXTRA...]   (WORK default ./tl4j-work; writes WORK/svm)
#   DIR: one sub-folder per class. EXTRA is passed on to ./tl4j extract (e.g. --untrained for the small
#   adapters, which ship no weights: the pipeline runs, the accuracy is that of random features).
# Settings from the environment: MODEL (adapter id, default resnet50-small), TAP (default tap if unset),
# SEED (the hold-out C is chosen on, default 42).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:?usage: recipes/svm-on-activations.sh DIR [WORK] [EXTRA...]}"
work="${2:-./tl4j-work}/svm"
shift $(($# >= 2 ? 2 : 1))
model="${MODEL:-resnet50-small}"
tl4j="$root/tl4j"
mkdir -p "$work"

# 1. Codes of every image, signed-square-rooted and L2-normalised (cached: reruns are quick).
"$tl4j" extract --data "$data" --model "$model" ${TAP:+--tap "$TAP"} --sqrt --l2 --out "$work/codes.npz" "$@"

# 2. The SVM: codes standardised, C chosen over a log grid on a stratified, seeded 20% hold-out, then refitted
#    on all codes. The zip holds everything ./tl4j predict needs (adapter, tap, pooling, scaler, classes).
"$tl4j" svm --codes "$work/codes.npz" --seed "${SEED:-42}" --out "$work/svm.zip"

# 3. To score it on a separate labelled folder, extract that folder's codes the same way and refit with
#    --test THOSE.npz: the test codes are scored once, after C is chosen.
echo "svm-on-activations: model in $work/svm.zip"
