#ifndef NASBENCH_CORE_TEST_DATA_H_
#define NASBENCH_CORE_TEST_DATA_H_

#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace nas {

// Root of the benchmark tables inside a Bazel test: tests declare
// `data = ["@shared_data//:..."]`, which Bazel places under
// external/shared_data in the runfiles tree (the test's working directory).
inline std::string TestDataDir() { return "external/shared_data"; }

// Copies the real table TestDataDir()/`source` to $TEST_TMPDIR/`name` with
// `edit` applied to its lines and returns `name`, the table to ask for when
// loading from TEST_TMPDIR: how tests corrupt one row of a real table.
inline std::string EditedTableCopy(
    const std::string& source, const std::string& name,
    const std::function<void(std::vector<std::string>*)>& edit) {
  std::ifstream in(TestDataDir() + "/" + source);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  edit(&lines);
  std::ofstream out(std::string(std::getenv("TEST_TMPDIR")) + "/" + name);
  for (const std::string& line : lines) out << line << "\n";
  return name;
}

}  // namespace nas

#endif  // NASBENCH_CORE_TEST_DATA_H_
