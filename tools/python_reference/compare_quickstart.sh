#!/bin/bash
# The whole quickstart (`nas run`, as a process: 600 cells, cell files,
# reports, plots) against the same searches as a plain Python loop
# (quickstart_loop.py), run alternately so that both see the same machine.
#
#   bash tools/python_reference/compare_quickstart.sh [ROUNDS]
#
# Builds //:nas with -c opt, then runs ROUNDS (default 10) rounds of
# "nas, python" and prints each one's wall time and CPU time (user + system)
# in milliseconds, and the medians.
# The output directory is on $TMPDIR (default /tmp). $NAS_DATA_DIR, else
# ../shared/data, holds the tables. Run it on an otherwise idle machine.
set -euo pipefail

rounds="${1:-10}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
data_dir="${NAS_DATA_DIR:-$root/../shared/data}"
nice -n 10 bazel build -c opt //:nas >/dev/null 2>&1 ||
  { echo "compare_quickstart: bazel build -c opt //:nas failed" >&2; exit 1; }
nas="$(bazel info -c opt bazel-bin 2>/dev/null)/harness/nas"
out="$(mktemp -d "${TMPDIR:-/tmp}/quickstart_compare.XXXXXX")"
trap 'rm -rf "$out"' EXIT

# "WALL_MS CPU_MS" of one command, its output discarded. Wall time from
# bash's microsecond clock ($EPOCHREALTIME; /usr/bin/time's %e has 10 ms
# steps, a fifth of the nas run), CPU time from /usr/bin/time (10 ms steps).
time_ms() {
  local start=$EPOCHREALTIME
  /usr/bin/time -f "%U %S" -o "$out/time" "$@" >/dev/null 2>&1 ||
    { echo "compare_quickstart: failed: $*" >&2; exit 1; }
  local end=$EPOCHREALTIME
  awk -v start="$start" -v end="$end" \
    '{printf "%.1f %d\n", (end - start) * 1000, ($1 + $2) * 1000 + 0.5}' "$out/time"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

run_nas() {
  time_ms "$nas" run configs/quickstart.textproto --data_dir "$data_dir" \
    --output_dir "$out/run" --overwrite
}
run_python() {
  time_ms python3 tools/python_reference/quickstart_loop.py "$data_dir"
}

# One untimed round of each first: page cache and binaries loaded.
run_nas >/dev/null
run_python >/dev/null
nas_wall=() nas_cpu=() python_wall=() python_cpu=()
for ((i = 1; i <= rounds; ++i)); do
  read -r wall cpu < <(run_nas)
  nas_wall+=("$wall") nas_cpu+=("$cpu")
  read -r wall cpu < <(run_python)
  python_wall+=("$wall") python_cpu+=("$cpu")
  echo "round $i: nas ${nas_wall[-1]} ms wall (${nas_cpu[-1]} ms CPU)," \
    "python ${python_wall[-1]} ms wall (${python_cpu[-1]} ms CPU)"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
nw=$(printf '%s\n' "${nas_wall[@]}" | median)
nc=$(printf '%s\n' "${nas_cpu[@]}" | median)
pw=$(printf '%s\n' "${python_wall[@]}" | median)
pc=$(printf '%s\n' "${python_cpu[@]}" | median)
echo "median of $rounds: nas $nw ms wall ($nc ms CPU), python $pw ms wall" \
  "($pc ms CPU); nas / python: wall $(ratio "$nw" "$pw"), CPU $(ratio "$nc" "$pc")"
