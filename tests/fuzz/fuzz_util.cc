#include "tests/fuzz/fuzz_util.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/escaping.h"

namespace nas {
namespace fuzz {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz harness: %s\n", what.c_str());
  std::abort();
}

// Owns the scratch directory; its destructor (at exit) removes it.
class Scratch {
 public:
  Scratch() {
    const char* root = std::getenv("TEST_TMPDIR");
    if (root == nullptr || *root == '\0') root = std::getenv("TMPDIR");
    if (root == nullptr || *root == '\0') root = "/tmp";
    std::string pattern = std::string(root) + "/nas_fuzz.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) {
      Die(pattern + ": mkdtemp failed: " + std::strerror(errno));
    }
    path_ = buffer.data();
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

const std::string& ScratchDir() {
  static Scratch scratch;
  return scratch.path();
}

void WriteFileOrDie(const std::string& path, absl::string_view bytes) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(),
                                      error);
  if (error) Die(path + ": cannot create its directory: " + error.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) Die(path + ": cannot write");
}

void Require(bool holds, absl::string_view invariant, absl::string_view input) {
  if (holds) return;
  std::fprintf(stderr,
               "fuzz invariant violated: %s\ninput (%zu bytes): \"%s\"\n",
               std::string(invariant).c_str(), input.size(),
               absl::CEscape(input).c_str());
  std::abort();
}

}  // namespace fuzz
}  // namespace nas
