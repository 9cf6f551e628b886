#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for tests/slurm_test.sh and
# for trying tools/slurm_array.sh by hand. Installs nothing (tools/setup.sh
# installs Debian's slurmctld slurmd slurm-client munge); needs root.
#
#   bash tools/slurm_cluster.sh start DIR   # prints: export SLURM_CONF=DIR/slurm.conf
#   bash tools/slurm_cluster.sh status DIR
#   bash tools/slurm_cluster.sh stop DIR
#
# start writes DIR/slurm.conf for this host (proctrack/linuxproc, task/none,
# select/cons_tres) with its state, spool, log and pid files under DIR,
# starts munged as the munge user if none is running, then slurmctld and
# slurmd, and waits until the node is idle. stop kills exactly the daemons
# start started, by the pid files in DIR (munged only if start started it),
# and removes only files start wrote.
set -euo pipefail

usage() {
  sed -n '2,16p' "$0" >&2
  exit 2
}
fail() {
  echo "slurm_cluster: error: $*" >&2
  exit 1
}

[[ $# -eq 2 ]] || usage
action="$1"
[[ -n "$2" ]] || usage
dir="$(realpath -m -- "$2")"
conf="$dir/slurm.conf"
# The daemons this script may own, each with its pid file under DIR.
daemons=(slurmd slurmctld munged)

pid_of() {  # Prints the live pid recorded for daemon $1, if any.
  local file="$dir/run/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start() {
  [[ $(id -u) -eq 0 ]] || fail "must run as root (slurmd runs jobs as their users; munged needs /run/munge)"
  local tool
  for tool in munged munge unmunge slurmctld slurmd sinfo sbatch; do
    command -v "$tool" >/dev/null ||
      fail "'$tool' not found: run 'bash tools/setup.sh' (installs slurmctld slurmd slurm-client munge)"
  done
  if pid_of slurmctld >/dev/null || pid_of slurmd >/dev/null; then
    fail "a cluster started from '$dir' is still running; stop it first: bash $0 stop '$dir'"
  fi
  # Two clusters would fight over the ports 6817 and 6818.
  local others
  others="$( (pgrep -x slurmctld; pgrep -x slurmd) | tr '\n' ' ' || true)"
  [[ -z "$others" ]] ||
    fail "Slurm daemons already run on this machine (pids $others); stop that cluster first"
  if [[ -e "$dir" && -n "$(ls -A -- "$dir")" && ! -f "$conf" ]]; then
    fail "'$dir' is not empty and holds no cluster of this script; give a new or empty directory"
  fi
  mkdir -p -- "$dir/state" "$dir/spool" "$dir/log" "$dir/run"

  # munge: the key the package made (or one made here), a socket directory
  # (no init system creates /run/munge), the daemon as the munge user.
  if ! munge_works; then
    if [[ ! -s /etc/munge/munge.key ]]; then
      echo "slurm_cluster: no /etc/munge/munge.key; making one" >&2
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
      chown munge:munge /etc/munge/munge.key
      chmod 0600 /etc/munge/munge.key
    fi
    install -d -o munge -g munge -m 0755 /run/munge
    su -s /bin/sh munge -c munged ||
      fail "munged did not start (see /var/log/munge/munged.log)"
    local waited
    for waited in $(seq 50); do
      munge_works && break
      sleep 0.1
    done
    munge_works || fail "munged started but 'munge -n | unmunge' fails (see /var/log/munge/munged.log)"
    cp /run/munge/munged.pid "$dir/run/munged.pid"
  fi

  local host cpus memory
  host="$(hostname -s)"
  cpus="$(nproc)"
  # A little under the free memory, or slurmd refuses to register the node.
  memory=$(awk '/^MemAvailable:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
  cat >"$conf" <<EOF
# Written by tools/slurm_cluster.sh: a one-node cluster for tests.
ClusterName=nas
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
ReturnToService=2
MpiDefault=none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$conf"
  slurmctld -f "$conf" || fail "slurmctld did not start (see $dir/log/slurmctld.log)"
  slurmd -f "$conf" || fail "slurmd did not start (see $dir/log/slurmd.log)"
  local state=""
  for waited in $(seq 120); do
    state="$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1)"
    [[ "$state" == idle ]] && break
    sleep 0.5
  done
  [[ "$state" == idle ]] ||
    fail "node not idle after 60 s (state '$state'; see $dir/log/slurmctld.log and slurmd.log)"
  echo "slurm_cluster: node $host idle ($cpus CPUs)" >&2
  printf 'export SLURM_CONF=%q\n' "$conf"
}

stop() {
  local daemon pid waited
  for daemon in "${daemons[@]}"; do
    pid="$(pid_of "$daemon")" || continue
    kill "$pid"
    for waited in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "slurm_cluster: $daemon (pid $pid) ignored SIGTERM for 10 s; killing it" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "slurm_cluster: stopped $daemon (pid $pid)" >&2
  done
  if [[ -f "$conf" ]]; then
    rm -rf -- "$dir/state" "$dir/spool" "$dir/log" "$dir/run" "$conf"
    rmdir -- "$dir" 2>/dev/null || true
  fi
}

status() {
  local daemon pid
  for daemon in "${daemons[@]}"; do
    if pid="$(pid_of "$daemon")"; then
      echo "$daemon: running (pid $pid)"
    else
      echo "$daemon: not started here"
    fi
  done
  if pid_of slurmctld >/dev/null; then
    SLURM_CONF="$conf" sinfo -N
  fi
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
