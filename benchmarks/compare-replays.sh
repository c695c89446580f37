#!/usr/bin/env bash
# Replays each input directory with two builds of navstream.jar, in turn, and checks that every
# output file is byte-identical; prints wall and CPU (user+sys) time of every run.
#
# usage: benchmarks/compare-replays.sh BEFORE.jar AFTER.jar INPUT_DIR...
#   INPUT_DIR holds funds.json and prices.csv, and funding.csv, commands.csv, flows.csv and
#   token-prices.csv when present
#   (benchmarks/make-replay-input.py and make-stress-input.py write such directories).
#   BEFORE_FLAGS and AFTER_FLAGS add replay options to each side, e.g. to compare thread counts of
#   one build: BEFORE_FLAGS="--threads 1" AFTER_FLAGS="--threads 3" compare-replays.sh J J DIR
# Exit status 0 when every output is identical.
set -euo pipefail
before=$1
after=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for input in "$@"; do
  args=(--funds "$input/funds.json" --prices "$input/prices.csv")
  [[ -f $input/funding.csv ]] && args+=(--funding "$input/funding.csv")
  [[ -f $input/commands.csv ]] && args+=(--commands "$input/commands.csv")
  [[ -f $input/flows.csv ]] && args+=(--flows "$input/flows.csv")
  [[ -f $input/token-prices.csv ]] && args+=(--token-prices "$input/token-prices.csv")
  for build in before after; do
    jar=$before
    flags=${BEFORE_FLAGS:-}
    [[ $build == after ]] && jar=$after && flags=${AFTER_FLAGS:-}
    start=$(date +%s.%N)
    # CPU of the replay's JVM, from the shell's children times before and after.
    read -r u0 s0 < <(awk '{print $14+$16, $15+$17}' /proc/$$/stat)
    # shellcheck disable=SC2086 # flags are words on purpose
    java -jar "$jar" replay "${args[@]}" $flags --out "$work/$build" > "$work/$build.log" 2>&1 || {
      echo "$input: $build failed, see its log:"; tail -5 "$work/$build.log"; status=1; continue; }
    read -r u1 s1 < <(awk '{print $14+$16, $15+$17}' /proc/$$/stat)
    end=$(date +%s.%N)
    ticks=$(getconf CLK_TCK)
    printf '%s %-6s wall %6.1f s  cpu %6.1f s  %s\n' "$input" "$build" "$(echo "$end - $start" | bc)" \
      "$(echo "($u1 - $u0 + $s1 - $s0) / $ticks" | bc -l)" "$(grep -o 'speed:.*' "$work/$build.log" || true)"
  done
  for file in "$work"/before/*.jsonl; do
    file=$(basename "$file" .jsonl)
    if ! cmp -s "$work/before/$file.jsonl" "$work/after/$file.jsonl"; then
      echo "$input: $file.jsonl differs"
      status=1
    fi
  done
  rm -rf "$work/before" "$work/after"
done
[[ $status == 0 ]] && echo "all outputs identical"
exit $status
