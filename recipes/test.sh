#!/usr/bin/env bash
# README command two: install what the tests need, build, and run every test (unit and acceptance).
# Usage: recipes/test.sh [extra Maven arguments, e.g. -pl toolkit -am]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/recipes/lib/setup.sh"
cd "$root"
# verify = unit tests in each module, then the acceptance tests in src-test (which run ./tl4j).
mvn -B verify "$@"
