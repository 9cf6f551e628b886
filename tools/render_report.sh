#!/usr/bin/env bash
# Renders DIR/report.html in headless Chromium (Debian's `chromium`) to
# DIR/report.png and fails if Chromium reports an error, if a plots/*.svg is
# not well-formed XML, or if the page comes out blank or without its plots
# (tools/check_screenshot.py).
#
#   bash tools/render_report.sh out/quickstart
#
# Needs chromium (tools/setup.sh installs it) and python3 (a dependency of
# Debian's Bazel). tests/report_screenshot.sh runs it on the golden run.
set -euo pipefail

dir="${1:?usage: tools/render_report.sh RESULTS_DIR}"
html="$(cd "$dir" && pwd)/report.html"
[[ -f "$html" ]] || { echo "render_report: no $html; run nas run or nas report first" >&2; exit 1; }
command -v chromium >/dev/null || { echo "render_report: chromium not installed: apt-get install chromium" >&2; exit 1; }

profile="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$profile" "$log"' EXIT
# The flags keep Chromium off the network (this machine has none) and
# out of the user's profile.
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1200,3000 \
  --enable-logging=stderr --v=0 \
  --screenshot="$dir/report.png" "file://$html" 2>"$log" || {
  cat "$log" >&2
  echo "render_report: chromium failed" >&2
  exit 1
}
# Console errors from the page itself (there is no script, so any is a bug).
if grep -E "CONSOLE\(|Uncaught|ERR_FILE_NOT_FOUND" "$log"; then
  echo "render_report: the page logged errors (above)" >&2
  exit 1
fi
[[ -s "$dir/report.png" ]] || { echo "render_report: no screenshot written" >&2; exit 1; }
# The pixel check reads a half-scale rendering (pure Python is slow).
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1200,3000 \
  --force-device-scale-factor=0.5 --screenshot="$profile/small.png" \
  "file://$html" >/dev/null 2>&1 || { echo "render_report: chromium failed" >&2; exit 1; }
python3 "$(dirname "$0")/check_screenshot.py" "$profile/small.png" "$dir" || exit 1
echo "render_report: $dir/report.png ($(stat -c %s "$dir/report.png") bytes)"
