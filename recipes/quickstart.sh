#!/usr/bin/env bash
# README command one, the main job: set up tl4j, prepare a real image folder, inspect it and split it.
# Usage: recipes/quickstart.sh [WORKDIR]   (default ~/tl4j-quickstart; nothing is written in the checkout)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$HOME/tl4j-quickstart}"
mkdir -p "$work"

# 1. Install the Debian packages tl4j uses and build it (skipped when already done).
"$root/recipes/lib/setup.sh"
tl4j="$root/tl4j"

# 2. Fashion-MNIST from Debian's dataset-fashion-mnist, as PNG folders (train/ and test/ as published).
if [[ ! -d "$work/fashion-mnist/train" ]]; then
  "$tl4j" datasets prepare fashion-mnist --out "$work/fashion-mnist"
fi

# 3. What is in the training folder: classes, counts, image sizes, rejected files.
"$tl4j" inspect --data "$work/fashion-mnist/train"

# 4. A stratified, seeded train/val/test split, saved as splits.json and reused on reruns.
"$tl4j" split --data "$work/fashion-mnist/train" --out "$work/runs/fashion-split" --seed 42

echo "quickstart: done. Data in $work/fashion-mnist, splits in $work/runs/fashion-split/splits.json"
