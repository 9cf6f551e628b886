#!/usr/bin/env bash
# Bazel's --workspace_status_command (.bazelrc): the commit and whether the
# work tree differs from it, for `nas --version`. Runs at every build, so it
# must be quick; outside a git checkout it says "unknown".
commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
dirty=unknown
if [[ $commit != unknown ]]; then
  if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    dirty=true
  else
    dirty=false
  fi
fi
echo "STABLE_GIT_COMMIT $commit"
echo "STABLE_GIT_DIRTY $dirty"
