#!/usr/bin/env bash
# Fine-tune a pretrained adapter on your own image folder (one sub-folder per class), then evaluate it.
# Usage: recipes/finetune-image-folder.sh DIR [WORK]     (WORK default: ./tl4j-work; the run goes to WORK/finetune)
# Settings come from the environment:
#   MODEL   adapter id (./tl4j zoo list), default resnet50-small (small and fast; pick one with weights,
#           e.g. resnet50.imagenet, for useful accuracy)
#   EPOCHS  most epochs (default 10; early stopping usually ends sooner)
#   SEED    seed of the split, the new head and the shuffles (default 42)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:?usage: recipes/finetune-image-folder.sh DIR [WORK]}"
work="${2:-./tl4j-work}"
model="${MODEL:-resnet50-small}"
tl4j="$root/tl4j"
mkdir -p "$work"

# 1. What is in the folder: classes, counts, image sizes, files tl4j rejects.
"$tl4j" inspect --data "$data"

# 2. Fine-tune: a new head for these classes, every layer trained (BatchNorm statistics frozen), a seeded
#    70/15/15 split, growing-patience early stopping on validation loss, best weights kept. Writes
#    model.zip, run.json and metrics.json (the test split, scored once at the end).
"$tl4j" fit --data "$data" --model "$model" --strategy fine-tune --max-epochs "${EPOCHS:-10}" \
  --seed "${SEED:-42}" --out "$work/finetune"

# 3. A report of the run: curves, learning-rate plan, confusion matrix and per-class scores of the test split,
#    the most confused test images (report.html opens in a browser, report.md reads as text).
"$tl4j" report "$work/finetune"

# 4. With a separate labelled folder, score the model on it too: ./tl4j eval --data OTHER --model MODEL.zip
echo "finetune-image-folder: model $work/finetune/model.zip, report $work/finetune/report.html"
