#!/bin/bash
# No central file names a plugin (docs/design.md): outside the plugins' own
# packages, the tests, the configs and the docs, nothing may name the
# built-in plugins "nasbench201", "nasbench101" or "darts" (or their
# classes), in source or in the build graph. Central code asks for
# capabilities; the plugin list (//harness:plugins) is the one place that
# links plugins.
#
#   bash tests/plugin_names_check.sh      # from the workspace root
#
# Prints every offending line or target, then "//tests:plugin_names_check
# PASSED|FAILED" (counted by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

names='nasbench201|nasbench101|darts|Nasbench201Space|Nasbench101Space|DartsSpace|Nasbench201Objective|Nasbench101Cell'
central_dirs=(core spaces objectives algorithms harness landscape)
failed=0

# 1. Source: words, case-sensitive ("DARTS" in prose naming the paper's
# space is fine; an identifier, a path or a registered name is not).
# Allowed: the plugins' own package trees (any directory named after the
# plugin), unit tests, the plugin list, and the negative visibility probes
# (which exist to prove such a dependency fails to build).
hits=$(grep -rnwE "$names" "${central_dirs[@]}" \
         --include='*.cc' --include='*.h' --include='*.proto' \
         --include='*.bzl' --include='*.sh' --include='*.py' 2>/dev/null |
       grep -vE '^[^:]*/(nasbench201|nasbench101|darts)/' |
       grep -vE '^[^:]*_test\.cc:' |
       grep -vE '^harness/plugins\.bzl:' |
       grep -vE '^algorithms/visibility_probes/' |
       grep -vE '^tools/templates/' || true)
if [[ -n "$hits" ]]; then
  echo "plugin names in central source files:"
  echo "$hits"
  failed=1
fi

# 2. The build graph: non-test targets outside the plugins' packages that
# depend directly on a plugin. Tests (and testonly helpers and benchmark
# binaries under tests/) may; //harness:plugins is the plugin list.
plugins='//spaces/nasbench201/... + //spaces/nasbench101/... + //spaces/darts/...
  + //objectives/nasbench201/... + //objectives/nasbench101/...
  + //objectives/networks/nasbench201/...
  + //objectives/networks/darts/... + //objectives/networks/nasbench101/...
  + //tools/nasbench101/...'
universe='(//... except attr(testonly, 1, //...)) except kind(test, //...)
  except //tests/... except //algorithms/visibility_probes/...'
dependents=$(bazel query --noshow_progress --keep_going \
  "rdeps($universe, $plugins, 1) except ($plugins)
   except //harness:plugins except //harness:plugin_digests
   except //harness:light_plugins except //harness:light_plugin_digests" \
  2>/dev/null || true)
if [[ -n "$dependents" ]]; then
  echo "non-test targets that depend on a plugin (link it in //harness:plugins instead):"
  echo "$dependents"
  failed=1
fi

if (( failed )); then
  echo "//tests:plugin_names_check FAILED"
  exit 1
fi
echo "//tests:plugin_names_check PASSED"
