#include "harness/provenance.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "algorithms/algorithm.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/plugin_digests.h"
#include "harness/store.h"

namespace nas {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

// Registered here, in a test binary: not part of //harness:plugins.
absl::StatusOr<std::unique_ptr<Algorithm>> NoAlgorithm(
    const google::protobuf::Message*) {
  return absl::UnimplementedError("never run");
}
NAS_REGISTER_ALGORITHM("provenance_test_only", "Registered by the test",
                       nullptr, &NoAlgorithm);

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The files plugin i was hashed over, from the listing the rule wrote (a
// runfile of :plugin_digests, as are the files themselves).
std::vector<std::string> FilesOf(int i) {
  std::vector<std::string> files = absl::StrSplit(
      ReadFile(absl::StrCat("harness/plugin_digests.", i, ".files")), '\n',
      absl::SkipEmpty());
  return files;
}

int IndexOf(const std::string& package) {
  for (int i = 0; i < kNumPluginDigests; ++i) {
    if (kPluginDigests[i].package == package) return i;
  }
  return -1;
}

// The documented recipe, in C++: SHA-256 of the sha256sum listing of the
// sorted files.
TEST(PluginDigests, AreTheDocumentedHashOfTheSources) {
  ASSERT_GT(kNumPluginDigests, 0);
  for (int i = 0; i < kNumPluginDigests; ++i) {
    SCOPED_TRACE(kPluginDigests[i].label);
    const std::vector<std::string> files = FilesOf(i);
    ASSERT_EQ(static_cast<int>(files.size()), kPluginDigests[i].num_files);
    ASSERT_TRUE(std::is_sorted(files.begin(), files.end()));
    std::string listing;
    for (const std::string& file : files) {
      const std::string content = ReadFile(file);
      ASSERT_FALSE(content.empty()) << file << " is not a runfile";
      absl::StrAppend(&listing, Sha256Hex(content), "  ", file, "\n");
    }
    EXPECT_EQ(kPluginDigests[i].sources_sha256, Sha256Hex(listing));
  }
}

TEST(PluginDigests, CoverThePluginsOwnAndSharedSourcesButNothingExternal) {
  const int i = IndexOf("algorithms/local_search");
  ASSERT_GE(i, 0);
  const std::vector<std::string> files = FilesOf(i);
  EXPECT_THAT(files, Contains("algorithms/local_search/local_search.cc"));
  EXPECT_THAT(files, Contains("algorithms/local_search/local_search.proto"));
  EXPECT_THAT(files, Contains("algorithms/algorithm.h"));
  EXPECT_THAT(files, Contains("algorithms/common/distinct_sampler.cc"));
  EXPECT_THAT(files, Contains("spaces/search_space.h"));
  for (const std::string& file : files) {
    EXPECT_FALSE(absl::StartsWith(file, "external/")) << file;
    EXPECT_FALSE(absl::StartsWith(file, "bazel-out/")) << file;
  }
}

TEST(Provenance, NamesTheRegisteringPackageAndItsDigest) {
  auto provenance = FindPluginProvenance("algorithm", "local_search");
  ASSERT_TRUE(provenance.ok()) << provenance.status();
  EXPECT_EQ(provenance->package(), "algorithms/local_search");
  const int i = IndexOf("algorithms/local_search");
  ASSERT_GE(i, 0);
  EXPECT_EQ(provenance->sources_sha256(), kPluginDigests[i].sources_sha256);
  EXPECT_EQ(provenance->sources_sha256().size(), 64u);
  EXPECT_EQ(*PluginSourceDigest("algorithm", "local_search"),
            provenance->sources_sha256());

  auto space = FindPluginProvenance("space", "nasbench201");
  ASSERT_TRUE(space.ok()) << space.status();
  EXPECT_EQ(space->package(), "spaces/nasbench201");
  auto objective = FindPluginProvenance("objective", "nasbench201");
  ASSERT_TRUE(objective.ok()) << objective.status();
  EXPECT_EQ(objective->package(), "objectives/nasbench201");
  EXPECT_NE(objective->sources_sha256(), space->sources_sha256());
}

TEST(Provenance, ErrorsSayWhatIsMissing) {
  auto unlinked = PluginSourceDigest("algorithm", "provenance_test_only");
  EXPECT_TRUE(absl::IsNotFound(unlinked.status()));
  EXPECT_THAT(unlinked.status().message(),
              HasSubstr("registered by harness/provenance_test.cc, whose "
                        "package is not in //harness:plugins"));
  auto unknown = PluginSourceDigest("algorithm", "no_such_algorithm");
  EXPECT_TRUE(absl::IsNotFound(unknown.status()));
  EXPECT_THAT(unknown.status().message(), HasSubstr("local_search"));
  auto kind = PluginSourceDigest("optimizer", "local_search");
  EXPECT_TRUE(absl::IsInvalidArgument(kind.status()));
  EXPECT_THAT(kind.status().message(),
              HasSubstr("'optimizer' is not one of space, objective, "
                        "algorithm"));
}

TEST(Provenance, ManifestListsEachPluginOnceSortedByKindAndName) {
  Experiment config;
  for (const char* objective : {"nasbench201", "random_uniform"}) {
    BenchmarkSpec* benchmark = config.add_benchmark();
    benchmark->mutable_space()->set_name("nasbench201");
    benchmark->mutable_objective()->set_name(objective);
  }
  for (const char* plugin :
       {"random_search", "local_search", "local_search", "provenance_test_only"}) {
    config.add_algorithm()->set_plugin(plugin);
  }
  Manifest manifest;
  AddPluginProvenance(config, &manifest);
  std::vector<std::string> listed;
  for (const PluginProvenance& p : manifest.plugin()) {
    listed.push_back(absl::StrCat(p.kind(), " ", p.name(), " ", p.package(),
                                  " ", p.sources_sha256().size()));
  }
  EXPECT_EQ(listed, (std::vector<std::string>{
                        "algorithm local_search algorithms/local_search 64",
                        "algorithm provenance_test_only harness 0",
                        "algorithm random_search algorithms/random_search 64",
                        "objective nasbench201 objectives/nasbench201 64",
                        "objective random_uniform objectives/random_uniform 64",
                        "space nasbench201 spaces/nasbench201 64",
                    }));
  Manifest again;
  AddPluginProvenance(config, &again);
  EXPECT_EQ(again.SerializeAsString(), manifest.SerializeAsString());
}

}  // namespace
}  // namespace nas
