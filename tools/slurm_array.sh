#!/usr/bin/env bash
# Runs an experiment as a Slurm job array of N shards, then merges them.
#
#   bash tools/slurm_array.sh CONFIG OUT N [sbatch options...]
#
# 1. builds the nas binary once and copies it to OUT/bin/nas (array tasks
#    then need neither Bazel nor this checkout, only the data directory);
# 2. submits an array of N tasks; task I runs
#      nas run CONFIG --shard I/N --output_dir OUT/shards/I --resume
#    (--resume: a requeued or restarted task keeps its finished cells);
# 3. submits a merge job that starts when every task succeeded:
#      nas merge OUT/merged OUT/shards/0 ... OUT/shards/N-1
# OUT/merged is then byte-identical to a single unsharded run.
#
# Environment: NAS_DATA_DIR (default ../shared/data, made absolute here so
# tasks can run from any directory). Without Slurm, NAS_LOCAL=1 runs the
# same tasks one after another on this machine (SLURM_ARRAY_TASK_ID set
# as Slurm would), which is how the script is tested.
set -euo pipefail

if [[ $# -lt 3 ]]; then
  sed -n '2,20p' "$0" >&2
  exit 2
fi
config="$(realpath "$1")"
out="$(realpath -m "$2")"
shards="$3"
shift 3
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "slurm_array: N must be a positive integer, got '$shards'" >&2; exit 2; }
[[ -f "$config" ]] || { echo "slurm_array: no config '$config'" >&2; exit 2; }
data_dir="$(realpath "${NAS_DATA_DIR:-../shared/data}")"

mkdir -p "$out/bin" "$out/shards" "$out/logs"
bazel build //:nas
cp -f "$(bazel info bazel-bin)/harness/nas" "$out/bin/nas"

task="$out/bin/nas run '$config' --data_dir '$data_dir' --shard \${SLURM_ARRAY_TASK_ID}/$shards --output_dir '$out/shards/'\${SLURM_ARRAY_TASK_ID} --resume"
merge="$out/bin/nas merge '$out/merged' --overwrite"
for ((i = 0; i < shards; i++)); do merge+=" '$out/shards/$i'"; done

if [[ "${NAS_LOCAL:-0}" == 1 ]]; then
  for ((i = 0; i < shards; i++)); do
    SLURM_ARRAY_TASK_ID=$i bash -c "$task" >"$out/logs/task_$i.out" 2>&1
  done
  bash -c "$merge" >"$out/logs/merge.out" 2>&1
  echo "slurm_array: merged into $out/merged (logs in $out/logs)"
  exit 0
fi

command -v sbatch >/dev/null || { echo "slurm_array: sbatch not found (set NAS_LOCAL=1 to run here)" >&2; exit 1; }
array_job=$(sbatch --parsable --array=0-$((shards - 1)) \
  --output="$out/logs/task_%a.out" "$@" --wrap "$task")
merge_job=$(sbatch --parsable --dependency=afterok:"$array_job" \
  --output="$out/logs/merge.out" "$@" --wrap "$merge")
echo "slurm_array: array job $array_job ($shards tasks), merge job $merge_job;"
echo "  results in $out/merged when both finish (logs in $out/logs)"
