#!/usr/bin/env bash
# Times each nd4j-native build (plain, avx2, avx512, onednn...) on this machine and prints a markdown table.
# Builds are run round-robin (the starting build rotates each round) so that a burst of load from other
# processes hits every build alike; each run records the machine's load (see org.tl4j.bench.MachineLoad).
#
# Usage: recipes/bench-native-builds.sh [--rounds N] [--builds "CLASSIFIER ..."] [--threads "2 1"]
#          [--wait "PASSIVE ACTIVE default"] [--workloads resnet50-infer,lenet-train,conv2d-op]
#          [--min-seconds S] [--out DIR]
# Needs a built tree (mvn -B -q -DskipTests package). Downloads a build's jar from Maven Central the first time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
builds="linux-x86_64 linux-x86_64-avx2 linux-x86_64-avx512 linux-x86_64-onednn linux-x86_64-onednn-avx2 linux-x86_64-onednn-avx512"
threads="2"
waits="PASSIVE"
workloads="resnet50-infer,lenet-train,conv2d-op"
min_seconds=8
out="$root/runs/bench-native-builds/$(date -u +%Y%m%dT%H%M%SZ)"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --builds) builds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --wait) waits="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --min-seconds) min_seconds="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench-native-builds: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ ! -d "$root/toolkit/target/classes/org/tl4j/bench" ]]; then
  echo "bench-native-builds: build first: (cd $root && mvn -B -q -DskipTests package)" >&2
  exit 2
fi
mkdir -p "$out"
read -r -a build_list <<<"$builds"

# One class path per build, from Maven: the reactor's classes plus that build's nd4j-native jar. Compiling and
# resource filtering are skipped so that target/ (and ./tl4j) keep the build they had.
for b in "${build_list[@]}"; do
  mvn_args=(-B -q -f "$root/pom.xml" -pl toolkit -am "-Dnd4j.native.classifier=$b" -Dmaven.main.skip=true
            -Dmaven.resources.skip=true compile dependency:build-classpath -DincludeScope=runtime
            "-Dmdep.outputFile=$out/classpath-$b.txt")
  if ! mvn -o "${mvn_args[@]}" >"$out/mvn-$b.log" 2>&1; then
    echo "bench-native-builds: fetching nd4j-native $b from Maven Central (once)" >&2
    mvn "${mvn_args[@]}" >"$out/mvn-$b.log" 2>&1 || { cat "$out/mvn-$b.log" >&2; exit 1; }
  fi
done

results="$out/results.txt"
: >"$results"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
n=${#build_list[@]}
for ((round = 0; round < rounds; round++)); do
  for ((k = 0; k < n; k++)); do
    b="${build_list[$(((round + k) % n))]}"
    for t in $threads; do
      for w in $waits; do
        echo "round $((round + 1))/$rounds: $b, $t thread(s), OMP_WAIT_POLICY=$w (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
        # What else is running, for the record: a 1-second top sample (its second frame).
        { echo "== round $((round + 1)) $b threads=$t wait=$w $(date -u +%T)"; top -b -n 2 -d 1 -o %CPU | awk '/^top -/{f++} f==2' | sed -n '7,12p'; } >>"$out/top.log"
        env_args=("OMP_NUM_THREADS=$t")
        [[ "$w" != default ]] && env_args+=("OMP_WAIT_POLICY=$w")
        env "${env_args[@]}" "$java" -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=8G -XX:+UseParallelGC \
          "-Dorg.bytedeco.javacpp.platform.extension=${b#linux-x86_64}" \
          -cp "$root/toolkit/target/classes:$(<"$out/classpath-$b.txt")" org.tl4j.bench.NativeBuildBench \
          --expect-build "$b" --workloads "$workloads" --min-seconds "$min_seconds" \
          2>>"$out/bench.log" | tee -a "$results"
      done
    done
  done
done
echo "raw results: $results" >&2
"$java" -cp "$root/toolkit/target/classes:$(<"$out/classpath-${build_list[0]}.txt")" org.tl4j.bench.BenchTable "$results" \
  | tee "$out/table.md"
