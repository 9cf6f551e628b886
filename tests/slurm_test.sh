#!/usr/bin/env bash
# tools/slurm_array.sh against a real one-node Slurm cluster
# (tools/slurm_cluster.sh), on real NAS-Bench-201 data:
#   1. --dry-run prints sbatch commands that, run by a shell, pass every
#      path (with a space and a quote) as one exact argument; writes nothing;
#   2. the quickstart as a 3-task array, merged by the dependent job, is
#      byte-identical to the unsharded local run;
#   3. one array element scancelled mid-run cancels the merge; submitting
#      again resumes that shard and the merge is still identical;
#   4. one task failing (its data path gone) leaves the merge unrun, and
#      status names the failed shard and its log.
# Needs root and Debian's slurmctld slurmd slurm-client munge; without them
# it prints "SKIPPED" loudly and exits 0, and .ci/run counts it as skipped.
set -euo pipefail

name="//tests:slurm_test"
skip() {
  echo "************************************************************"
  echo "SKIPPED: $name: $*"
  echo "************************************************************"
  exit 0
}
[[ $(id -u) -eq 0 ]] || skip "needs root (starts munged, slurmctld, slurmd)"
for tool in munged slurmctld slurmd sbatch squeue scancel scontrol; do
  command -v "$tool" >/dev/null || skip "'$tool' missing: run bash tools/setup.sh"
done

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

nas="$PWD/harness/nas"
array="$PWD/tools/slurm_array.sh"
cluster_script="$PWD/tools/slurm_cluster.sh"
data="$(realpath external/shared_data)"
quickstart="$PWD/configs/quickstart.textproto"
# Under /tmp, not TEST_TMPDIR: slurmd's sockets live in its spool and Unix
# socket paths are limited to 108 bytes.
work="$(mktemp -d /tmp/nas-slurm-test.XXXXXX)"
cluster="$work/cluster"
submitted_jobs=()

cleanup() {
  local status=$?
  if [[ -f "$cluster/slurm.conf" ]]; then
    export SLURM_CONF="$cluster/slurm.conf"
    if ((${#submitted_jobs[@]} > 0)); then
      scancel "${submitted_jobs[@]}" 2>/dev/null || true
      # Let slurmd end their steps before it is stopped.
      local waited
      for waited in $(seq 30); do
        [[ -z "$(squeue -h -o %i 2>/dev/null)" ]] && break
        sleep 0.5
      done
    fi
    if [[ $status -ne 0 ]]; then
      echo "--- slurmctld.log (tail)"; tail -n 20 "$cluster/log/slurmctld.log" || true
      echo "--- slurmd.log (tail)"; tail -n 20 "$cluster/log/slurmd.log" || true
    fi
    bash "$cluster_script" stop "$cluster" || true
  fi
  rm -rf -- "$work"
}
trap cleanup EXIT

# Waits until `status OUT` is final (exit status not 3); prints it, and its
# exit status in $final.
wait_final() {
  local out="$1" deadline=$((SECONDS + 120))
  final=3
  while ((SECONDS < deadline)); do
    final=0
    bash "$array" status "$out" >"$work/status.txt" || final=$?
    ((final == 3)) || break
    sleep 1
  done
  cat "$work/status.txt"
  ((final != 3)) || fail "'$out' still running after 120 s"
}

remember_jobs() {
  local array_job merge_job
  read -r array_job merge_job <"$1/state/jobs"
  submitted_jobs+=("$array_job" "$merge_job")
}

same_results() {
  diff -r "$1" "$2" >"$work/diff.txt" ||
    { head -n 20 "$work/diff.txt"; fail "$2 differs from $1"; }
}

# Cells in a directory's results store (`nas status`; records are binary).
cells_in() {
  local count=""
  [[ -f "$1/cells.rec" ]] && count=$({ "$nas" status "$1" 2>/dev/null || true; } | awk '{print $1}')
  echo "${count:-0}"
}

# --- 1. dry run: every argument arrives exactly -------------------------
odd="$work/it's a dir"
dry="$(bash "$array" submit "$quickstart" --output_dir "$odd/out" --shards 3 \
  --data_dir "$data" --nas_binary "$nas" --filter='cifar100/.*' --dry-run \
  -- --time=10 --partition=main)"
echo "$dry"
[[ ! -e "$odd" ]] || fail "--dry-run wrote $odd"
(
  sbatch() {  # Records its arguments, one a line.
    local file="$work/sbatch_1.args"
    [[ " $* " == *" --job-name=nas-merge "* ]] && file="$work/sbatch_2.args"
    printf '%s\n' "$@" >"$file"
    echo 4242
  }
  eval "$dry"
)
expected_array="--parsable
--time=10
--partition=main
--job-name=nas-shards
--array=0-2
--output=$odd/out/logs/task_%a.%A.out
$odd/out/bin/slurm_array.sh
task
$odd/out
3
$data
--filter=cifar100/.*"
[[ "$(<"$work/sbatch_1.args")" == "$expected_array" ]] ||
  fail "array sbatch arguments:
$(<"$work/sbatch_1.args")
expected:
$expected_array"
grep -qxF -- "--dependency=afterok:4242" "$work/sbatch_2.args" ||
  fail "merge not made to depend on the array: $(<"$work/sbatch_2.args")"
grep -qxF -- "--kill-on-invalid-dep=yes" "$work/sbatch_2.args" ||
  fail "merge would stay pending after a failed task: $(<"$work/sbatch_2.args")"
echo "PASS: dry run"

# --- Reference runs (unsharded, here) ----------------------------------
"$nas" run "$quickstart" --output_dir "$work/local_quickstart" --data_dir "$data" \
  --threads 2 >/dev/null 2>&1
# Slow enough that a task is caught mid-run: 400 cells in about 4 s.
longer="$work/longer.textproto"
sed -e 's/^num_seeds: 100$/num_seeds: 200/' -e 's/^budget { queries: 300 }$/budget { queries: 3000 }/' \
  "$quickstart" >"$longer"
grep -q "^num_seeds: 200$" "$longer" && grep -q "queries: 3000" "$longer" ||
  fail "configs/quickstart.textproto changed shape; update the sed above"
"$nas" run "$longer" --output_dir "$work/local_longer" --data_dir "$data" \
  --threads 2 >/dev/null 2>&1

eval "$(bash "$cluster_script" start "$cluster")"

# --- 2. the quickstart as a 3-task array --------------------------------
happy="$odd/quickstart"
bash "$array" submit "$quickstart" --output_dir "$happy" --shards 3 \
  --data_dir "$data" --nas_binary "$nas"
remember_jobs "$happy"
wait_final "$happy"
((final == 0)) || fail "the quickstart array did not finish and merge"
same_results "$work/local_quickstart" "$happy/merged"
# Each task got one CPU from Slurm, and ran one thread, not one per core.
grep -q "^nas: 200 cells in .* on 1 threads; 0 failed" "$happy"/logs/task_0.*.out ||
  fail "task 0 did not run on the 1 CPU Slurm gave it: $(grep 'threads;' "$happy"/logs/task_0.*.out)"
echo "PASS: 3-task array merged by the dependent job == local run"

# --- 3. one element cancelled mid-run, then submitted again -------------
cancel="$work/cancel"
# The tasks inherit the environment: 20 ms after each cell keep shard 1
# running for seconds, long enough to be cancelled mid-run (unslowed, a
# shard of 400 cells can finish before scancel arrives).
NAS_TEST_CELL_DELAY_MS=20 bash "$array" submit "$longer" --output_dir "$cancel" --shards 3 \
  --data_dir "$data" --nas_binary "$nas"
remember_jobs "$cancel"
read -r array_job merge_job <"$cancel/state/jobs"
deadline=$((SECONDS + 60))
until (($(cells_in "$cancel/shards/1") >= 10)); do
  ((SECONDS < deadline)) || fail "shard 1 wrote no cells in 60 s"
  sleep 0.1
done
scancel "${array_job}_1"
wait_final "$cancel"
((final == 1)) || fail "status after a cancelled task: exit $final, expected 1"
grep -q "^shard 1/3: cancelled" "$work/status.txt" || grep -q "^shard 1/3: killed" "$work/status.txt" ||
  fail "status does not show shard 1 as cancelled"
grep -q "^merge: cancelled" "$work/status.txt" || fail "merge not cancelled after a cancelled task"
partial=$(cells_in "$cancel/shards/1")
((partial < 400)) || fail "shard 1 finished (400 cells) before it was cancelled: not a mid-run cancel"
echo "shard 1 cancelled with $partial of 400 cells"
bash "$array" submit "$longer" --output_dir "$cancel" --shards 3 \
  --data_dir "$data" --nas_binary "$nas"
remember_jobs "$cancel"
read -r array_job merge_job <"$cancel/state/jobs"
wait_final "$cancel"
((final == 0)) || fail "the resubmitted array did not finish and merge"
grep -q "resuming: $partial of 400 cells already finished" \
  "$cancel/logs/task_1.$array_job.out" || fail "shard 1 did not resume its $partial cells"
same_results "$work/local_longer" "$cancel/merged"
echo "PASS: cancelled task resumed ($partial cells kept); merge == local run"

# --- 4. one task fails: no merge, status names it and its log -----------
farm="$work/data farm"
mkdir -p "$farm"
ln -s "$data/nasbench201" "$farm/nasbench201"
broken="$work/broken"
bash "$array" submit "$quickstart" --output_dir "$broken" --shards 3 \
  --data_dir "$farm" --nas_binary "$nas" -- --hold
remember_jobs "$broken"
read -r array_job merge_job <"$broken/state/jobs"
scontrol release "${array_job}_0" "${array_job}_1" "$merge_job"
deadline=$((SECONDS + 60))
until grep -qs '^done' "$broken/state/task_0" && grep -qs '^done' "$broken/state/task_1"; do
  ((SECONDS < deadline)) || fail "shards 0 and 1 not done in 60 s"
  sleep 0.2
done
rm -- "$farm/nasbench201"  # Task 2's data path is now bad.
scontrol release "${array_job}_2"
wait_final "$broken"
((final == 1)) || fail "status after a failed task: exit $final, expected 1"
log="$broken/logs/task_2.$array_job.out"
grep -qxF "shard 2/3: failed(2), 0 cells done, job ${array_job}_2, log $log" "$work/status.txt" ||
  fail "status does not name the failed shard 2 and its log $log"
grep -q "cannot open benchmark table" "$log" || fail "task 2's log does not say why it failed"
grep -q "^merge: cancelled" "$work/status.txt" || fail "merge not reported cancelled"
[[ ! -e "$broken/merged" ]] || fail "the merge ran despite a failed task"
scontrol show job "$merge_job" | grep -q "JobState=CANCELLED" ||
  fail "merge job $merge_job not cancelled: $(scontrol show job "$merge_job" | grep JobState)"
echo "PASS: failed task leaves the merge unrun; status names shard 2 and $log"

# --- 5. trained smoke experiment: 2 tasks, one shared cache ---------------
# The NAS-Bench-201 half of configs/trained/smoke.textproto (--filter, passed
# through to the tasks), its cache_dir made absolute: each distinct
# (architecture, fidelity, seed) key is trained once across both tasks,
# and a second submission trains nothing.
if [[ -d /usr/share/datasets/fashion-mnist ]]; then
  trained_config="$work/trained smoke.textproto"
  sed "s|cache_dir: \"out/trained-cache/smoke\"|cache_dir: \"$work/shared cache\"|" \
    "$PWD/configs/trained/smoke.textproto" >"$trained_config"
  grep -q "shared cache" "$trained_config" || fail "smoke.textproto's cache_dir changed; update the sed above"
  for run in first second; do
    bash "$array" submit "$trained_config" --output_dir "$work/trained $run" --shards 2 \
      --data_dir "$data" --nas_binary "$nas" --filter='nb201-fmnist-tiny/.*'
    remember_jobs "$work/trained $run"
    wait_final "$work/trained $run"
    ((final == 0)) || fail "the trained smoke array ($run) did not finish and merge"
    trainings=$(cat "$work/trained $run"/logs/task_*.out | grep -c '^trained: #' || true)
    hits=$(cat "$work/trained $run"/logs/task_*.out | grep -c '^trained: cache hit' || true)
    keys=$("$nas" cache stats --cache_dir "$work/shared cache" | sed -n 's/^cache .*: \([0-9]*\) entries.*/\1/p')
    echo "trained smoke ($run): $trainings trainings, $hits cache hits, $keys keys in the cache"
    ((keys > 0)) || fail "nothing in the shared cache"
    if [[ $run == first ]]; then
      ((trainings == keys)) || fail "$trainings trainings for $keys distinct keys: a key was trained twice"
    else
      ((trainings == 0 && hits == keys)) || fail "second submission trained $trainings (expected 0, all $keys from the cache)"
    fi
  done
  same_results "$work/trained first/merged" "$work/trained second/merged"
  echo "PASS: trained smoke as a 2-task array shares one cache"
else
  echo "SKIPPED part 5: no /usr/share/datasets/fashion-mnist (bash tools/setup.sh)"
fi
