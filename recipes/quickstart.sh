#!/usr/bin/env bash
# README command one, the main job: set up tl4j, make a small real target (OpenCV's handwritten digits, 10 images
# per class), ask tl4j which strategy suits it, and train a classifier by transfer from resnet-small.glyphs, the
# source tl4j ships (pretrained by tl4j on glyphs rendered from Debian's fonts; nothing is downloaded).
# Prints the test accuracy and where the run's report is.
# Usage: recipes/quickstart.sh [WORKDIR]   (default ~/tl4j-quickstart; nothing is written in the checkout)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$HOME/tl4j-quickstart}"
mkdir -p "$work"

# 1. Install the Debian packages tl4j uses and build it (skipped when already done).
"$root/recipes/lib/setup.sh"
tl4j="$root/tl4j"

# 2. The target: 10 training images per digit, 20% of the sheet held out as test/ (1,000 images). Seeded.
if [[ ! -d "$work/digits-10/train" ]]; then
  "$tl4j" datasets prepare digits --per-class 10 --test-fraction 0.2 --seed 42 --out "$work/digits-10"
fi

# 3. What is in the training folder: classes, counts, image sizes, rejected files.
"$tl4j" inspect --data "$work/digits-10/train"

# 4. The advice, for you to read: linear probes, LogME and H-score of the source's codes at each tap, against the
#    same network with random weights and raw pixels, on the training split only; a strategy and its reasons.
"$tl4j" advise --data "$work/digits-10" --model resnet-small.glyphs --save "$work/advice.json"

# 5. Train what the advice says (fit --strategy auto repeats the measurement on the same training split and records
#    the advice in run.json): validation carved from train, growing-patience early stopping where a network is
#    trained, C chosen on validation for an SVM; test/ (1,000 digits) is evaluated once, at the end. Writes
#    model.zip, run.json, metrics.json and report.html.
run="$work/runs/digits-10-auto"
if [[ ! -f "$run/model.zip" ]]; then
  "$tl4j" fit --data "$work/digits-10" --model resnet-small.glyphs --strategy auto --seed 42 --out "$run"
fi

accuracy=$(grep -o '"accuracy" *: *[0-9.]*' "$run/metrics.json" | head -n 1 | grep -o '[0-9.]*$')
echo "quickstart: done. Test accuracy $accuracy on the 1,000 held-out digits ($run/metrics.json);"
echo "  report: $run/report.html   model: $run/model.zip   advice: $work/advice.json"
