#ifndef NASBENCH_TESTS_CLI_TESTING_H_
#define NASBENCH_TESTS_CLI_TESTING_H_

// Helpers for tests that run the real `nas` binary from their runfiles
// tree (tests/cli_test.cc, tests/trust_test.cc, tests/bad_inputs_test.cc).

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/test_data.h"

namespace nas {
namespace cli_testing {

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path`, creating its directory.
inline void Spit(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

inline std::string TempDir() { return std::getenv("TEST_TMPDIR"); }

struct Result {
  int exit_code;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `binary ARGS` (a build of nas) with the real tables (a later
// --data_dir in `args` overrides them); `env` is prepended (e.g. "VAR=1 ").
inline Result RunNasBinary(const std::string& binary, const std::string& args,
                           const std::string& env = "") {
  static int counter = 0;
  const std::string out = absl::StrCat(TempDir(), "/stdout", ++counter);
  const std::string err = absl::StrCat(TempDir(), "/stderr", counter);
  const std::string command =
      absl::StrCat(env, binary, " --data_dir=", TestDataDir(), " ", args, " >",
                   out, " 2>", err);
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), Slurp(out), Slurp(err)};
}

// `nas ARGS`, the binary users run.
inline Result Nas(const std::string& args, const std::string& env = "") {
  return RunNasBinary("harness/nas", args, env);
}

// Every regular file below `dir`, by relative path, with its contents.
inline std::map<std::string, std::string> Tree(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[std::filesystem::relative(entry.path(), dir).string()] =
          Slurp(entry.path().string());
    }
  }
  return files;
}

// Every cell file in DIR's results store (DIR/cells.rec; harness/store.h),
// by cell name ("<benchmark>/<algorithm>/seed_<k>"): what one file per cell
// used to hold. Reads the framing itself, so tests pin the format.
inline std::map<std::string, std::string> CellFiles(const std::string& dir) {
  std::map<std::string, std::string> cells;
  const std::string store = Slurp(dir + "/cells.rec");
  size_t at = 0;
  while (at < store.size()) {
    const size_t line_end = store.find('\n', at);
    if (store.compare(at, 6, "#cell ") != 0 || line_end == std::string::npos) {
      break;  // Not a record: the caller's checks will tell.
    }
    const size_t space = store.find(' ', at + 6);
    const size_t bytes = std::stoul(store.substr(at + 6, space - at - 6));
    cells[store.substr(space + 1, line_end - space - 1)] =
        store.substr(line_end + 1, bytes);
    at = line_end + 1 + bytes;
  }
  return cells;
}

}  // namespace cli_testing
}  // namespace nas

#endif  // NASBENCH_TESTS_CLI_TESTING_H_
