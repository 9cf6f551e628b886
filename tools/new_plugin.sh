#!/usr/bin/env bash
# Writes a new, compiling, tested and registered plugin package from the
# templates in tools/templates/, and adds its target to harness/plugins.bzl
# (the one edit outside the package). See docs/adding-an-algorithm.md.
#
#   bash tools/new_plugin.sh algorithm my_algo    # or: space NAME, objective NAME
#   bazel test //algorithms/my_algo:all //tests:conformance_test
#   bazel run //:nas -- describe my_algo
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "new_plugin: error: $*" >&2; exit 2; }

[[ $# -eq 2 ]] || fail "usage: bash tools/new_plugin.sh algorithm|space|objective NAME (NAME in snake_case, e.g. my_algo)"
kind=$1
name=$2
case $kind in
  algorithm) dir=algorithms; list=ALGORITHMS ;;
  space) dir=spaces; list=SEARCH_SPACES ;;
  objective) dir=objectives; list=OBJECTIVES ;;
  *) fail "unknown kind '$kind'; the kinds are: algorithm, space, objective" ;;
esac
[[ $name =~ ^[a-z][a-z0-9_]{0,62}$ ]] ||
  fail "'$name' is not a valid name: use snake_case, starting with a letter (e.g. my_algo)"
[[ ! -e $dir/$name ]] || fail "$dir/$name already exists; choose another name"
if grep -q "\"$name\"" $dir/*/*.cc 2>/dev/null; then
  fail "a plugin registered as \"$name\" already exists ($(grep -l "\"$name\"" $dir/*/*.cc | head -1)); choose another name"
fi

camel=$(echo "$name" | awk -F_ '{for (i = 1; i <= NF; i++) printf "%s", toupper(substr($i, 1, 1)) substr($i, 2)}')
upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')

mkdir -p "$dir/$name"
for template in tools/templates/$kind/*.tmpl; do
  base=$(basename "$template" .tmpl)
  out="$dir/$name/${base/NAME/$name}"
  sed -e "s/@NAME@/$name/g" -e "s/@CAMEL@/$camel/g" -e "s/@UPPER@/$upper/g" \
    "$template" > "$out"
done

# Insert "//<dir>/NAME" into its list in harness/plugins.bzl, sorted.
python3 - "$list" "//$dir/$name" <<'PY'
import re, sys
list_name, target = sys.argv[1], sys.argv[2]
path = "harness/plugins.bzl"
text = open(path).read()
match = re.search(r"^%s = \[\n(.*?)^\]" % list_name, text, re.S | re.M)
if not match:
    sys.exit("new_plugin: error: no %s list in %s" % (list_name, path))
entries = re.findall(r'"([^"]+)"', match.group(1))
entries = sorted(set(entries + [target]))
body = "".join('    "%s",\n' % e for e in entries)
text = text[:match.start(1)] + body + text[match.end(1):]
open(path, "w").write(text)
PY

echo "new_plugin: wrote $dir/$name/ (BUILD, $name.h, $name.cc, $name.proto, ${name}_test.cc)"
echo "new_plugin: added //$dir/$name to $list in harness/plugins.bzl"
echo "Next:"
echo "  bazel test //$dir/$name:all //tests:conformance_test   # unit tests + the shared suite"
echo "  bazel run //:nas -- describe $name                      # its parameters"
case $kind in
  algorithm) echo "  then edit Run() in $dir/$name/$name.cc" ;;
  space) echo "  then edit the genes, ToString() and Parse() in $dir/$name/$name.cc" ;;
  objective) echo "  then edit Evaluate() in $dir/$name/$name.cc" ;;
esac
