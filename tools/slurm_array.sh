#!/usr/bin/env bash
# Runs an experiment on Slurm as a job array of N shards plus a merge job
# that depends on all of them (docs/slurm.md).
#
#   bash tools/slurm_array.sh submit CONFIG --output_dir OUT --shards N
#        [--data_dir D] [--nas_binary PATH] [--max_running K] [--dry-run]
#        [nas run options]
#        [-- sbatch options]
#   bash tools/slurm_array.sh status OUT
#
# submit snapshots CONFIG, the nas binary (built with Bazel unless
# --nas_binary is given) and this script into OUT, then submits
#   array (N tasks): nas run OUT/config.textproto --shard I/N --resume
#                    --output_dir OUT/shards/I --threads <CPUs Slurm gave>
#   merge:           nas merge OUT/merged OUT/shards/0 ... --overwrite
#                    (afterok on the array, --kill-on-invalid-dep=yes: a
#                    failed or cancelled task cancels it, never leaves it
#                    pending)
# Submitting again to the same OUT (same CONFIG and N) after a failure or a
# cancellation reruns every shard with --resume: finished cells are kept.
# --max_running K lets at most K tasks run at once. nas run options (e.g.
# --filter=RE2) go to every task; options after `--`
# go to both sbatch calls, before this script's own --array, --output and
# --dependency, which therefore win. --dry-run prints the exact sbatch
# commands and writes nothing.
#
# status prints, per shard, its cells done and its state (pending, running,
# done, failed with its exit status and log, cancelled), then the merge's.
# Exit status 0 when merged, 3 while a task or the merge is pending or
# running, else 1 (a task or the merge failed or was cancelled).
#
# Without Slurm, NAS_LOCAL=1 runs the same tasks one after another here.
set -euo pipefail

script="$(realpath -- "${BASH_SOURCE[0]}")"

fail() {
  echo "slurm_array: error: $*" >&2
  exit "${exit_status:-2}"
}
usage() {
  sed -n '2,/^set -euo/p' "$script" | sed '$d' >&2
  exit 2
}

# Writes $2 to file $1 atomically (status readers never see half a line).
put() {
  printf '%s\n' "$2" >"$1.tmp.$$"
  mv -f -- "$1.tmp.$$" "$1"
}

# Records how a task or the merge ended and exits with its status.
finish() {  # STATE_FILE STATUS JOB LOG
  if [[ $2 -eq 0 ]]; then
    put "$1" "done $3 $4"
  else
    put "$1" "failed($2) $3 $4"
  fi
  exit "$2"
}

# CPUs Slurm gave this task: --cpus-per-task if set, else the job's CPUs on
# this node ("2" or "2(x3)"), else 1. task/none binds nothing, so nproc
# would count the whole node.
task_threads() {
  local cpus="${SLURM_CPUS_PER_TASK:-${SLURM_JOB_CPUS_PER_NODE:-1}}"
  cpus="${cpus%%[!0-9]*}"
  echo "${cpus:-1}"
}

# --- Inside the array: task OUT N DATA_DIR [nas run options] ------------
run_task() {
  local out="$1" shards="$2" data_dir="$3"
  shift 3
  local i="${SLURM_ARRAY_TASK_ID:?not inside a Slurm array task}"
  local job="${SLURM_ARRAY_JOB_ID:-local}_$i"
  local state="$out/state/task_$i"
  local log="$out/logs/task_${i}.${SLURM_ARRAY_JOB_ID:-local}.out"
  put "$state" "running $job $log"
  local pid=""
  # scancel and preemption send SIGTERM: record it, stop nas, keep the
  # cells already written (the resubmitted task resumes from them).
  trap 'put "$state" "cancelled $job $log"; [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null; exit 143' TERM INT
  local status=0
  "$out/bin/nas" run "$out/config.textproto" --data_dir "$data_dir" \
    --shard "$i/$shards" --output_dir "$out/shards/$i" --resume \
    --threads "$(task_threads)" "$@" &
  pid=$!
  wait "$pid" || status=$?
  finish "$state" "$status" "$job" "$log"
}

# --- The merge job: merge OUT N [filtered] -------------------------------
run_merge() {
  local out="$1" shards="$2" filtered="${3:-}" i missing=()
  local log="$out/logs/merge.${SLURM_JOB_ID:-local}.out"
  put "$out/state/merge" "running ${SLURM_JOB_ID:-local} $log"
  for ((i = 0; i < shards; i++)); do
    read -r task_state _ <"$out/state/task_$i" 2>/dev/null || task_state=missing
    [[ "$task_state" == done ]] || missing+=("shard $i ($task_state)")
  done
  if ((${#missing[@]} > 0)); then
    put "$out/state/merge" "failed(unfinished shards) ${SLURM_JOB_ID:-local} $log"
    echo "slurm_array: not merging: unfinished ${missing[*]}" >&2
    exit 1
  fi
  local dirs=()
  for ((i = 0; i < shards; i++)); do dirs+=("$out/shards/$i"); done
  local status=0
  "$out/bin/nas" merge "$out/merged" "${dirs[@]}" --overwrite || status=$?
  # nas merge exits 3 for missing cells; with --filter the cells left out
  # are missing by design (and no shard had failed cells: all exited 0).
  if [[ $status -eq 3 && "$filtered" == filtered ]]; then
    echo "slurm_array: only the cells the --filter selected were run" >&2
    status=0
  fi
  finish "$out/state/merge" "$status" "${SLURM_JOB_ID:-local}" "$log"
}

# --- submit --------------------------------------------------------------
submit() {
  local config="" out="" shards="" data_dir="${NAS_DATA_DIR:-}" binary=""
  local dry_run=0 max_running="" nas_options=() sbatch_options=()
  while (($# > 0)); do
    case "$1" in
      --output_dir=* | --shards=* | --data_dir=* | --nas_binary=* | --max_running=*)
        set -- "${1%%=*}" "${1#*=}" "${@:2}"
        continue
        ;;
      --output_dir) out="${2?--output_dir needs a value}"; shift 2 ;;
      --shards) shards="${2?--shards needs a value}"; shift 2 ;;
      --data_dir) data_dir="${2?--data_dir needs a value}"; shift 2 ;;
      --nas_binary) binary="${2?--nas_binary needs a value}"; shift 2 ;;
      --max_running) max_running="${2?--max_running needs a value}"; shift 2 ;;
      --dry-run | --dry_run) dry_run=1; shift ;;
      --) shift; sbatch_options=("$@"); break ;;
      --shard | --shard=* | --resume | --overwrite | --threads | --threads=*)
        fail "'$1' is set by the submission itself (each task runs --shard I/N --resume --threads <its CPUs>)" ;;
      -*) nas_options+=("$1"); shift ;;
      *)
        [[ -z "$config" ]] || fail "two configs given ('$config', '$1'); nas options take the form --flag=value"
        config="$1"; shift ;;
    esac
  done
  [[ -n "$config" && -n "$out" && -n "$shards" ]] || usage
  [[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "--shards must be a positive integer, got '$shards'"
  [[ -z "$max_running" || "$max_running" =~ ^[1-9][0-9]*$ ]] ||
    fail "--max_running must be a positive integer, got '$max_running'"
  [[ -f "$config" ]] || fail "no config file '$config'"
  config="$(realpath -- "$config")"
  out="$(realpath -m -- "$out")"
  local repo
  repo="$(dirname -- "$script")/.."
  # Absolute, so tasks can start in any directory of any node.
  [[ -n "$data_dir" ]] || data_dir="$repo/../shared/data"
  [[ -d "$data_dir" ]] || fail "data directory '$data_dir' does not exist; pass --data_dir or set NAS_DATA_DIR (docs/data.md)"
  data_dir="$(realpath -- "$data_dir")"

  # A resubmission must be of the same experiment, else --resume would mix
  # two experiments' shards.
  if [[ -f "$out/config.textproto" ]]; then
    cmp -s -- "$config" "$out/config.textproto" ||
      fail "'$out' holds a submission of another config (compare $out/config.textproto); use a new --output_dir"
    [[ "$(<"$out/state/shards")" == "$shards" ]] ||
      fail "'$out' was submitted with --shards $(<"$out/state/shards"), not $shards; use the same N or a new --output_dir"
  elif [[ -e "$out" && -n "$(ls -A -- "$out")" ]]; then
    fail "'$out' exists and is not a submission of this script; give a new or empty --output_dir"
  fi

  # The job script is the snapshot of this script (sbatch copies it at
  # submission); arguments reach it verbatim, with no shell in between.
  local task_command=("$out/bin/slurm_array.sh" task "$out" "$shards" "$data_dir" "${nas_options[@]}")
  local merge_command=("$out/bin/slurm_array.sh" merge "$out" "$shards")
  [[ " ${nas_options[*]} " != *" --filter="* ]] || merge_command+=(filtered)
  local array_sbatch=(sbatch --parsable "${sbatch_options[@]}"
    --job-name=nas-shards --array="0-$((shards - 1))${max_running:+%$max_running}"
    --output="$out/logs/task_%a.%A.out")
  local merge_sbatch=(sbatch --parsable "${sbatch_options[@]}" --job-name=nas-merge
    --kill-on-invalid-dep=yes --output="$out/logs/merge.%j.out")

  if ((dry_run)); then
    # A shell script that does what submit does after the snapshot.
    echo "# snapshot first: $config -> $out/config.textproto, nas -> $out/bin/nas, this script -> $out/bin/slurm_array.sh"
    printf 'array_job=$('
    printf '%q ' "${array_sbatch[@]}" "${task_command[@]}"
    printf ')\n'
    printf '%q ' "${merge_sbatch[@]}"
    printf -- '--dependency=afterok:"${array_job%%%%;*}" '
    printf '%q ' "${merge_command[@]}"
    echo
    return 0
  fi

  if [[ "${NAS_LOCAL:-0}" != 1 ]]; then
    command -v sbatch >/dev/null ||
      fail "sbatch not found (install slurm-client, or NAS_LOCAL=1 to run here)"
    # Jobs of an earlier submission still queued would race the new ones.
    if [[ -f "$out/state/jobs" ]]; then
      local job
      for job in $(<"$out/state/jobs"); do
        if [[ -n "$(squeue -h -j "$job" -o %i 2>/dev/null)" ]]; then
          fail "job $job of the earlier submission to '$out' is still queued or running; wait for it or scancel $job"
        fi
      done
    fi
  fi
  if [[ -z "$binary" ]]; then
    (cd "$repo" && bazel build //:nas) >&2 || fail "bazel build //:nas failed"
    binary="$(cd "$repo" && bazel info bazel-bin 2>/dev/null)/harness/nas"
  fi
  [[ -x "$binary" ]] || fail "nas binary '$binary' is not executable"

  # Snapshot: what a task reads at start lives in OUT, not in the checkout.
  mkdir -p -- "$out/bin" "$out/shards" "$out/logs" "$out/state"
  cp -f -- "$binary" "$out/bin/nas.tmp.$$" && mv -f -- "$out/bin/nas.tmp.$$" "$out/bin/nas"
  # The light nas hands configs that need libtorch to nas_torch beside it.
  if [[ -x "$(dirname -- "$binary")/nas_torch" ]]; then
    cp -f -- "$(dirname -- "$binary")/nas_torch" "$out/bin/nas_torch.tmp.$$" &&
      mv -f -- "$out/bin/nas_torch.tmp.$$" "$out/bin/nas_torch"
  fi
  cp -f -- "$script" "$out/bin/slurm_array.sh.tmp.$$" && mv -f -- "$out/bin/slurm_array.sh.tmp.$$" "$out/bin/slurm_array.sh"
  [[ -f "$out/config.textproto" ]] || cp -- "$config" "$out/config.textproto"
  put "$out/state/shards" "$shards"
  rm -f -- "$out/state/task_"* "$out/state/merge"

  if [[ "${NAS_LOCAL:-0}" == 1 ]]; then
    local i status=0
    for ((i = 0; i < shards; i++)); do
      SLURM_ARRAY_TASK_ID=$i bash "${task_command[@]}" >"$out/logs/task_$i.local.out" 2>&1 || status=1
    done
    bash "${merge_command[@]}" >"$out/logs/merge.local.out" 2>&1 || status=1
    echo "slurm_array: ran $shards tasks and the merge here; bash $(printf '%q' "$out/bin/slurm_array.sh") status $(printf '%q' "$out")"
    return "$status"
  fi

  local array_job merge_job
  array_job="$("${array_sbatch[@]}" "${task_command[@]}")" ||
    exit_status=1 fail "sbatch of the array failed (its message is above); nothing was submitted"
  array_job="${array_job%%;*}"
  if ! merge_job="$("${merge_sbatch[@]}" --dependency=afterok:"$array_job" "${merge_command[@]}")"; then
    scancel "$array_job" || true
    exit_status=1 fail "sbatch of the merge job failed (its message is above); cancelled the array job $array_job so nothing runs unmerged"
  fi
  merge_job="${merge_job%%;*}"
  put "$out/state/jobs" "$array_job $merge_job"
  echo "slurm_array: array job $array_job ($shards tasks), merge job $merge_job (runs only if every task succeeds; a failed task cancels it)"
  echo "  progress: bash $(printf '%q' "$out/bin/slurm_array.sh") status $(printf '%q' "$out")"
}

# --- status OUT -----------------------------------------------------------
status() {
  local out
  out="$(realpath -m -- "$1")"
  [[ -f "$out/state/shards" ]] || fail "'$out' is not a submission of tools/slurm_array.sh (no state/shards)"
  local shards i state job log cells
  shards="$(<"$out/state/shards")"
  local array_job="" merge_job=""
  [[ -f "$out/state/jobs" ]] && read -r array_job merge_job <"$out/state/jobs"
  # Jobs Slurm still has queued or running (empty without squeue).
  local queued=""
  if command -v squeue >/dev/null && [[ -n "$array_job" ]]; then
    queued=" $(squeue -h -r -j "$array_job,$merge_job" -o %i 2>/dev/null | tr '\n' ' ') "
  fi
  in_queue() { [[ "$queued" == *" $1 "* ]]; }
  local failed=0 active=0
  for ((i = 0; i < shards; i++)); do
    state=pending job="${array_job:+${array_job}_$i}" log=""
    [[ -f "$out/state/task_$i" ]] && read -r state job log <"$out/state/task_$i"
    # A task killed before its trap ran still says running, and one
    # cancelled before it started says nothing: ask Slurm.
    if [[ -n "$queued" && ("$state" == running || "$state" == pending) ]] && ! in_queue "$job"; then
      [[ "$state" == running ]] && state=killed || state="cancelled-before-start"
    fi
    cells=0
    # Whole records in the shard's store (`nas status`: they are binary).
    [[ -f "$out/shards/$i/cells.rec" ]] &&
      cells=$({ "$out/bin/nas" status "$out/shards/$i" 2>/dev/null || true; } | awk '{print $1}')
    cells=${cells:-0}
    case "$state" in
      done) ;;
      pending | running) active=1 ;;
      *) failed=1 ;;
    esac
    printf 'shard %d/%d: %s, %d cells done, job %s%s\n' "$i" "$shards" "$state" "$cells" \
      "${job:-?}" "${log:+, log $log}"
  done
  state=pending log=""
  [[ -f "$out/state/merge" ]] && read -r state job log <"$out/state/merge"
  if [[ -n "$queued" && "$state" == pending ]] && ! in_queue "$merge_job"; then
    state="cancelled (a task failed or was cancelled; fix it and submit again to the same --output_dir)"
  fi
  printf 'merge: %s, job %s%s\n' "$state" "${merge_job:-?}" "${log:+, log $log}"
  [[ -f "$out/merged/manifest.json" && "$state" == done ]] && echo "merged results: $out/merged"
  if [[ "$state" == done ]]; then return 0; fi
  if ((active)) || [[ "$state" == pending || "$state" == running ]]; then return 3; fi
  return 1
}

(($# >= 1)) || usage
command="$1"
shift
case "$command" in
  submit) submit "$@" ;;
  status) (($# == 1)) || usage; status "$1" ;;
  task) (($# >= 3)) || usage; run_task "$@" ;;
  merge) (($# == 2 || $# == 3)) || usage; run_merge "$@" ;;
  *)
    [[ ! -f "$command" ]] ||
      fail "'$command' is a config: the form 'CONFIG OUT N' is now 'submit CONFIG --output_dir OUT --shards N'"
    usage
    ;;
esac
