#!/usr/bin/env bash
# Installs every Debian package this project needs to build, test and run,
# offline from Debian's archive (see docs/building.md). Idempotent: packages
# already installed are left alone, and nothing is downloaded when all are.
#
#   bash tools/setup.sh
set -euo pipefail

PACKAGES=(
  # Build: Bazel 4.2.3 (WORKSPACE mode) and the rules Debian ships for it.
  bazel-bootstrap bazel-rules-java bazel-rules-proto
  g++ pkg-config
  # Libraries (system packages, wired in by third_party/system/*.BUILD).
  libabsl-dev libprotobuf-dev protobuf-compiler libre2-dev
  libbenchmark-dev libgtest-dev libgmock-dev
  libboost-dev    # Boost.Math: Student-t quantiles, quadrature.
  libeigen3-dev   # Linear algebra for model-based algorithms.
  libssl-dev      # MD5 for NAS-Bench-101's graph hash; SHA-256 checksums.
  libxxhash-dev   # XXH3: the fingerprint of a run's results.
  zlib1g-dev      # Reads the gzipped IDX files of Fashion-MNIST.
  # Trained objectives (objectives/networks, objectives/trained): libtorch
  # 1.13 (CPU) and Fashion-MNIST (/usr/share/datasets/fashion-mnist).
  libtorch-dev dataset-fashion-mnist
  # Python PyTorch, only for the side-by-side speed check in
  # docs/performance.md (tools/torch_throughput.py); no test needs it.
  python3-torch
  # Fuzzing (--config=fuzz, docs/fuzzing.md): clang 14 and its libFuzzer,
  # ASan and UBSan runtimes.
  clang libclang-rt-14-dev
  # The rendered-report check (tests/report_screenshot.sh, run by .ci/run):
  # headless Chromium. Measured on Debian 12: 9 packages, about 350 MB
  # installed, 46 s to install.
  chromium
  # A real one-node Slurm cluster for tests/slurm_test.sh (tools/slurm_cluster.sh).
  slurmctld slurmd slurm-client munge
)

fail() {
  echo "tools/setup.sh: error: $*" >&2
  exit 1
}

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "tools/setup.sh: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null ||
      fail "need root (or sudo) to install: ${missing[*]}"
    SUDO="sudo"
  fi
  command -v apt-get >/dev/null ||
    fail "apt-get not found: this script supports Debian 12 (bookworm) only"
  $SUDO apt-get update -qq ||
    fail "'apt-get update' failed: is Debian's package archive reachable?"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null ||
    fail "'apt-get install ${missing[*]}' failed (see apt's messages above)"
fi

# Sanity checks that explain the usual breakages.
command -v bazel >/dev/null || fail "bazel is not on PATH after installing bazel-bootstrap"
[[ -d /usr/share/bazel/rules/java && -d /usr/share/bazel/rules/proto ]] ||
  fail "/usr/share/bazel/rules/{java,proto} missing: reinstall bazel-rules-java bazel-rules-proto"
[[ -f /usr/include/absl/base/config.h ]] || fail "Abseil headers missing: reinstall libabsl-dev"

data_dir="${NAS_DATA_DIR:-$(dirname "$0")/../../shared/data}"
if [[ ! -f "$data_dir/nasbench201/nb201_v1_1_200ep_seedavg.csv" ]]; then
  echo "tools/setup.sh: warning: no NAS-Bench-201 table under $data_dir;" \
    "set NAS_DATA_DIR or pass --data_dir (see docs/data.md)" >&2
fi
echo "tools/setup.sh: all ${#PACKAGES[@]} packages present" >&2
