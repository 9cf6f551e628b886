#!/usr/bin/env bash
# Proves that the dependency rules of //:BUILD's package groups hold: each
# probe in algorithms/visibility_probes that reaches for the harness, the
# objectives, the plugin list or another plugin must fail to build with
# Bazel's visibility error (the test-plugin probe with its testonly error),
# and the `allowed` probe must build. Run from anywhere:
#
#   bash tests/visibility_check.sh
#
# Prints one line per probe, then `//tests:visibility_check PASSED` or
# `FAILED` (the form of Bazel's result lines, which .ci/run counts), and
# exits non-zero on failure. It runs Bazel itself, so it is not a Bazel
# test.
set -uo pipefail
cd "$(dirname "$0")/.."

probes=//algorithms/visibility_probes
failures=0
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# expect_refused PROBE DEPENDENCY EXPECTED_TEXT
expect_refused() {
  local target="$probes:$1"
  if bazel build "$target" >"$out" 2>&1; then
    echo "FAIL $target built, but it depends on $2"
    failures=$((failures + 1))
  elif grep -qF "$3" "$out"; then
    echo "ok   $target refused: $2 $4"
  else
    echo "FAIL $target failed for another reason than the expected '$3':"
    sed 's/^/     /' "$out" | grep -E 'ERROR|error' | head -5
    failures=$((failures + 1))
  fi
}

refused_as_invisible() {
  expect_refused "$1" "$2" \
    "target '$2' is not visible from target '$probes:$1'" "is not visible"
}

refused_as_invisible reaches_harness_oracle //harness:oracle
refused_as_invisible reaches_nasbench201_objective //objectives/nasbench201:nasbench201
refused_as_invisible reaches_objective_interface //objectives:objective
refused_as_invisible reaches_trained_objective //objectives/trained:trained
refused_as_invisible reaches_network_builders //objectives/networks:network
refused_as_invisible reaches_plugin_list //harness:plugins
refused_as_invisible reaches_another_algorithm //algorithms/local_search:local_search
expect_refused reaches_test_plugins //tests:test_plugins \
  "depends on testonly target '//tests:test_plugins'" "is testonly"

if bazel build "$probes:allowed" >"$out" 2>&1; then
  echo "ok   $probes:allowed builds (interface, shared helpers, spaces)"
else
  echo "FAIL $probes:allowed does not build, so the probes prove nothing:"
  sed 's/^/     /' "$out" | grep -E 'ERROR|error' | head -5
  failures=$((failures + 1))
fi

if [[ $failures -eq 0 ]]; then
  echo "//tests:visibility_check                                                 PASSED"
else
  echo "//tests:visibility_check                                                 FAILED ($failures probe(s))"
  exit 1
fi
