#!/usr/bin/env bash
# Makes this checkout ready to run: installs the Debian packages tl4j needs (when missing) and builds
# the modules (when not built or older than the sources). Safe to run again; does nothing when all is there.
# Sourced or run by quickstart.sh and test.sh. Needs root (or sudo) only when packages are missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

wanted_packages() {
  grep -hv '^\s*#' "$root/recipes/lib/debian-packages.txt" \
    "$root/datasets/src/main/resources/org/tl4j/datasets/glyphs/glyph-font-packages.txt" 2>/dev/null | sed '/^\s*$/d'
}

missing_packages() {
  local wanted installed
  wanted="$(wanted_packages | sort -u)"
  # shellcheck disable=SC2046
  installed="$(dpkg-query -W -f='${Package} ${Status}\n' $(echo "$wanted") 2>/dev/null \
    | awk '$NF == "installed" { print $1 }' | sort -u)"
  comm -23 <(echo "$wanted") <(echo "$installed")
}

install_packages() {
  local missing
  missing="$(missing_packages | tr '\n' ' ')"
  [[ -z "${missing// }" ]] && return 0
  echo "setup: installing Debian packages: $missing"
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: run as root: apt-get install -y $missing" >&2; exit 2; }
    sudo="sudo"
  fi
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}

build_if_needed() {
  local jar
  jar="$(ls "$root"/toolkit/target/tl4j-toolkit-*.jar 2>/dev/null | head -n 1 || true)"
  if [[ -n "$jar" && -f "$root/toolkit/target/classpath.txt" ]] \
     && [[ -z "$(find "$root" -path "$root/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]]; then
    return 0
  fi
  echo "setup: building tl4j (mvn -DskipTests package)"
  (cd "$root" && mvn -B -q -DskipTests package)
}

install_packages
build_if_needed
