// `nas cache stats|verify|gc` on a cache holding good entries, a damaged
// one, stale and fresh temporary files and files the cache did not write.

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "objectives/trained/cache.h"

namespace nas {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

TrainedCacheEntry Entry(const std::string& space, const std::string& arch,
                        double valid_error) {
  TrainedCacheEntry entry;
  entry.set_key(absl::StrCat("nas trained-objective cache key v1\nspace: ",
                             space, "\narchitecture: ", arch,
                             "\ndataset: fashion-mnist sha256 ab\nrecipe: r1\n"
                             "epochs: 1\nlibraries: l\n"));
  entry.set_valid_error(valid_error);
  entry.set_test_error(valid_error + 1);
  entry.set_train_seconds(2.5);
  entry.set_space(space);
  entry.set_architecture(arch);
  entry.set_epochs(1);
  entry.set_libraries("l");
  return entry;
}

class CacheCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/cache_",
                        ::testing::UnitTest::GetInstance()
                            ->current_test_info()
                            ->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    cache_ = ResultCache(dir_);
    for (const auto& e : {Entry("nasbench201", "a", 10), Entry("nasbench201", "b", 20),
                          Entry("darts", "c", 30)}) {
      ASSERT_TRUE(cache_.Store(e).ok());
    }
  }
  std::string dir_;
  ResultCache cache_{""};
};

TEST_F(CacheCommandTest, StatsGroupBySpaceAndRecipe) {
  auto out = RunCacheCommand("stats", dir_, 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->exit_code, 0);
  EXPECT_TRUE(absl::StrContains(out->text, ": 3 entries")) << out->text;
  EXPECT_TRUE(absl::StrContains(out->text, "7.5 s of training")) << out->text;
  EXPECT_TRUE(absl::StrContains(out->text, "2 entries")) << out->text;
  EXPECT_TRUE(absl::StrContains(out->text, "nasbench201, fashion-mnist, recipe "))
      << out->text;
  EXPECT_TRUE(absl::StrContains(out->text, "darts, fashion-mnist")) << out->text;
}

TEST_F(CacheCommandTest, VerifyNamesAnEditedEntryAndFails) {
  auto clean = RunCacheCommand("verify", dir_, 0);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(clean->exit_code, 0) << clean->text;

  // One digit of a stored error changed: still a well-formed entry, so only
  // the checksum can tell.
  const std::string path = cache_.EntryPath(Entry("nasbench201", "b", 20).key());
  std::string text = Read(path);
  const size_t at = text.find("valid_error: 20");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 15, "valid_error: 21");
  Write(path, text);

  auto damaged = RunCacheCommand("verify", dir_, 0);
  ASSERT_TRUE(damaged.ok());
  EXPECT_EQ(damaged->exit_code, 1);
  EXPECT_TRUE(absl::StrContains(damaged->text, path)) << damaged->text;
  EXPECT_TRUE(absl::StrContains(damaged->text, "checksum")) << damaged->text;
  EXPECT_TRUE(absl::StrContains(damaged->text, "1 damaged")) << damaged->text;
  // A lookup refuses it rather than serving the edited number.
  EXPECT_FALSE(cache_.Lookup(Entry("nasbench201", "b", 20).key()).ok());
}

TEST_F(CacheCommandTest, GcRemovesDamagedAndStaleButNoForeignFile) {
  const std::string damaged = cache_.EntryPath(Entry("darts", "c", 30).key());
  Write(damaged, "key: \"truncated");
  const std::string hash = ResultCache::KeyHash("x");
  const std::string sub = absl::StrCat(dir_, "/", hash.substr(0, 2));
  fs::create_directories(sub);
  const std::string stale = absl::StrCat(sub, "/.", hash, ".tmp-host-1-0");
  const std::string fresh = absl::StrCat(sub, "/.", hash, ".tmp-host-2-0");
  Write(stale, "partial");
  Write(fresh, "partial");
  fs::last_write_time(stale, fs::file_time_type::clock::now() -
                                 std::chrono::hours(2));
  // Files the cache never writes, some named almost like its own.
  const std::vector<std::string> foreign = {
      dir_ + "/README.txt", dir_ + "/notes.entry", sub + "/.notes.tmp-x",
      sub + "/" + hash.substr(0, 63) + ".entry",
      dir_ + "/" + hash + ".entry"};  // Right name, wrong directory.
  for (const std::string& f : foreign) Write(f, "mine, not the cache's");
  fs::last_write_time(foreign[2], fs::file_time_type::clock::now() -
                                      std::chrono::hours(2));

  auto out = RunCacheCommand("gc", dir_, 0);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(absl::StrContains(out->text, "removed 1 entries and 1 temporary"))
      << out->text;
  EXPECT_FALSE(fs::exists(damaged));
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(fresh));  // May belong to a training under way.
  for (const std::string& f : foreign) {
    EXPECT_TRUE(fs::exists(f)) << f;
    EXPECT_EQ(Read(f), "mine, not the cache's");
  }
  EXPECT_TRUE(cache_.Lookup(Entry("nasbench201", "a", 10).key()).ok());
  auto verify = RunCacheCommand("verify", dir_, 0);
  ASSERT_TRUE(verify.ok());
  EXPECT_EQ(verify->exit_code, 0) << verify->text;
}

TEST_F(CacheCommandTest, GcByAge) {
  const std::string old = cache_.EntryPath(Entry("nasbench201", "a", 10).key());
  fs::last_write_time(old, fs::file_time_type::clock::now() -
                               std::chrono::hours(24 * 10));
  auto out = RunCacheCommand("gc", dir_, 7);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(fs::exists(old));
  EXPECT_TRUE(fs::exists(cache_.EntryPath(Entry("darts", "c", 30).key())));
  EXPECT_TRUE(absl::StrContains(out->text, "removed 1 entries")) << out->text;
}

TEST(CacheCommand, RefusesBadInput) {
  EXPECT_EQ(RunCacheCommand("stats", "", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunCacheCommand("sweep", "/tmp", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunCacheCommand("gc", "/tmp", -1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunCacheCommand("stats", "/nonexistent/cache", 0).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace nas
