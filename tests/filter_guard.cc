// The main() of tests whose names come from the plugin registry
// (conformance_test): a --test_filter that matches no test at all fails
// instead of "passing" with nothing run. That is what happens when a new
// plugin is missing from harness/plugins.bzl and its author runs
// `bazel test //tests:conformance_test --test_filter='*my_algo*'`.
// Counted over every test, not this shard's: shards may legitimately get
// none.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

// gtest's glob: '*' any run, '?' any one character.
bool GlobMatches(const char* pattern, const char* text) {
  if (*pattern == '\0') return *text == '\0';
  if (*pattern == '*') {
    return GlobMatches(pattern + 1, text) ||
           (*text != '\0' && GlobMatches(pattern, text + 1));
  }
  if (*text == '\0') return false;
  return (*pattern == '?' || *pattern == *text) &&
         GlobMatches(pattern + 1, text + 1);
}

// Positive patterns before the first '-', separated by ':'.
bool FilterSelects(const std::string& filter, const std::string& name) {
  const std::string positive = filter.substr(0, filter.find('-'));
  if (positive.empty()) return true;
  for (const std::string& pattern :
       std::vector<std::string>(absl::StrSplit(positive, ':'))) {
    if (GlobMatches(pattern.c_str(), name.c_str())) return true;
  }
  return false;
}

// Exits with an error when the filter selects nothing.
void CheckFilterMatchesSomething() {
  const std::string filter = ::testing::GTEST_FLAG(filter);
  if (filter.empty() || filter == "*") return;
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (int s = 0; s < unit.total_test_suite_count(); ++s) {
    const ::testing::TestSuite& suite = *unit.GetTestSuite(s);
    for (int t = 0; t < suite.total_test_count(); ++t) {
      const std::string name =
          std::string(suite.name()) + "." + suite.GetTestInfo(t)->name();
      if (FilterSelects(filter, name)) return;
    }
  }
  std::fprintf(stderr,
               "\nERROR: --test_filter '%s' matches no test of this binary, "
               "so nothing would be checked. The tests are named after the "
               "registered plugins: if you are testing a new plugin, list its "
               "target in harness/plugins.bzl and give its cc_library "
               "`alwayslink = 1` (tools/new_plugin.sh does both).\n",
               filter.c_str());
  std::exit(1);
}

}  // namespace
}  // namespace nas

// gtest skips global environments when nothing is to run, so the check runs
// from main, before the tests.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  nas::CheckFilterMatchesSomething();
  return RUN_ALL_TESTS();
}
