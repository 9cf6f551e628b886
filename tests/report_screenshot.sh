#!/usr/bin/env bash
# //tests:report_screenshot: the golden experiment's report.html rendered in
# headless Chromium must show no page error, well-formed SVGs and a page
# that is neither blank nor missing its plots (tools/render_report.sh).
#
# Run by .ci/run after `bazel test //...`, outside Bazel: a Bazel test
# cannot report "skipped" at run time, and without a browser this check
# must say SKIPPED, not PASSED. The last line is in Bazel's summary format:
#   //tests:report_screenshot PASSED|FAILED|SKIPPED
# Exit status: 0 for PASSED and SKIPPED, 1 for FAILED.
set -uo pipefail
cd "$(dirname "$0")/.."
name=//tests:report_screenshot

if ! command -v chromium >/dev/null; then
  echo "report_screenshot: ************************************************" >&2
  echo "report_screenshot: chromium is NOT INSTALLED: the rendered report was" >&2
  echo "report_screenshot: NOT checked (bash tools/setup.sh installs it)." >&2
  echo "report_screenshot: ************************************************" >&2
  echo "$name SKIPPED"
  exit 0
fi
fail() {
  echo "report_screenshot: $*" >&2
  echo "$name FAILED"
  exit 1
}
bazel build //harness:nas >/dev/null 2>&1 || fail "bazel build //harness:nas failed"
nas="$(bazel info bazel-bin 2>/dev/null)/harness/nas"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$nas" run tests/golden/golden.textproto --output_dir "$work/golden" \
  >"$work/run.log" 2>&1 || { cat "$work/run.log" >&2; fail "nas run failed"; }
bash tools/render_report.sh "$work/golden" || fail "the rendered report failed its checks (above)"
echo "$name PASSED"
