#!/usr/bin/env bash
# A plugin written by tools/new_plugin.sh builds, passes its tests and the
# conformance suite, and runs in `nas` on the quickstart's benchmarks; the
# two ways to lose a plugin silently are caught loudly, naming the fix:
#   - its cc_library without `alwayslink = 1`: every nas command refuses;
#   - its line missing from harness/plugins.bzl: a config naming it, and a
#     conformance test filtered to it, fail instead of passing.
# Needs Bazel and edits the checkout (restored on exit), so .ci/run runs it
# after the test passes, not inside `bazel test`. Prints
# "//tests:scaffold_check PASSED" or "... FAILED".
set -uo pipefail
cd "$(dirname "$0")/.."

name=scaffold_probe
pkg=algorithms/$name
work=$(mktemp -d)
cp harness/plugins.bzl "$work/plugins.bzl"
cleanup() {
  cp "$work/plugins.bzl" harness/plugins.bzl
  rm -rf "$pkg" "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "scaffold_check: FAIL: $*" >&2; failures=$((failures + 1)); }
nas() { .bazel/bin/harness/nas "$@"; }
build() { bazel build //harness:nas >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "bazel build //harness:nas ($1)"; }; }

[[ -e $pkg ]] && { echo "scaffold_check: $pkg exists; remove it first" >&2; exit 1; }
bash tools/new_plugin.sh algorithm "$name" >/dev/null || fail "tools/new_plugin.sh"

cat > "$work/config.textproto" <<CONFIG
num_seeds: 5
budget { queries: 300 }
benchmark {
  name: "cifar100"
  space { name: "nasbench201" }
  objective {
    name: "nasbench201"
    params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar100" } }
  }
}
algorithm { plugin: "local_search" }
algorithm {
  plugin: "$name"
  params { [type.googleapis.com/nas.ScaffoldProbeParams] { mutation_probability: 0.8 } }
}
CONFIG

# 1. As written: its tests, the conformance suite filtered to it, a run.
bazel test "//$pkg:all" "//tests:conformance_test" --test_filter="*$name*" \
  >"$work/test.log" 2>&1 || { cat "$work/test.log" >&2; fail "its tests or conformance"; }
build "as written"
if ! nas run "$work/config.textproto" --output_dir "$work/out" >"$work/run.log" 2>&1; then
  cat "$work/run.log" >&2; fail "nas run with the new plugin"
elif ! grep -q "| $name |" "$work/out/leaderboard.md"; then
  fail "the leaderboard does not rank $name"
fi

# 2. Without alwayslink: every command says which target and what to add.
sed -i '/alwayslink = 1,/d' "$pkg/BUILD"
build "without alwayslink"
out=$(nas list 2>&1); rc=$?
if [[ $rc -eq 0 || $out != *"//$pkg:$name but nothing in it registered a plugin. Give each such cc_library \`alwayslink = 1\`"* ]]; then
  fail "nas list without alwayslink (rc $rc): $out"
fi
cp "$work/plugins.bzl" harness/plugins.bzl
rm -rf "$pkg"; bash tools/new_plugin.sh algorithm "$name" >/dev/null || fail "tools/new_plugin.sh (again)"

# 3. Without its plugin-list line: the config and the filtered suite fail.
cp "$work/plugins.bzl" harness/plugins.bzl
build "without the plugin-list line"
out=$(nas run "$work/config.textproto" --output_dir "$work/out2" 2>&1); rc=$?
if [[ $rc -eq 0 || $out != *"list its target in harness/plugins.bzl"* ]]; then
  fail "nas run without the plugin-list line (rc $rc): $out"
fi
if bazel test //tests:conformance_test --test_filter="*$name*" >"$work/filtered.log" 2>&1; then
  fail "conformance_test filtered to an unlisted plugin passed"
elif ! grep -q "matches no test of this binary" "$work/filtered.log" \
    .bazel/testlogs/tests/conformance_test/*/test.log 2>/dev/null; then
  fail "conformance_test failed without saying the filter matched nothing"
fi

if [[ $failures -eq 0 ]]; then
  echo "//tests:scaffold_check                                                   PASSED"
else
  echo "//tests:scaffold_check                                                   FAILED ($failures)"
  exit 1
fi
