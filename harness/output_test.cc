#include "harness/output.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

std::string Scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp ? tmp : "/tmp", "/", name);
}

// More pieces than one writev takes (IOV_MAX, 1024 on Linux), empty ones
// among them: the file is their concatenation, and no temporary is left.
TEST(WriteFileAtomicallyTest, ManyPiecesAreWrittenInOrder) {
  std::vector<std::string> storage;
  std::string expected;
  for (int i = 0; i < 3000; ++i) {
    storage.push_back(i % 7 == 0 ? "" : absl::StrCat("piece ", i, "\n"));
    expected += storage.back();
  }
  const std::vector<absl::string_view> pieces(storage.begin(), storage.end());
  const std::string dir = Scratch("many_pieces");
  ASSERT_EQ(::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST, true);
  const std::string path = dir + "/file";
  ASSERT_TRUE(WriteFileAtomically(path, pieces).ok());
  absl::StatusOr<std::string> read = ReadFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, expected);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"file"});

  // No pieces, or only empty ones: an empty file.
  ASSERT_TRUE(WriteFileAtomically(path, {absl::string_view()}).ok());
  EXPECT_EQ(*ReadFile(path), "");
}

TEST(WriteFileAtomicallyTest, AnUnwritableDirectoryIsAnErrorNotACrash) {
  const absl::string_view piece = "x";
  EXPECT_FALSE(WriteFileAtomically("/nonexistent-dir/file",
                                   absl::MakeConstSpan(&piece, 1))
                   .ok());
}

}  // namespace
}  // namespace nas
