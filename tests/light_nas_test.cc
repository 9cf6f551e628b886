// The light `nas` (issue 18): it links no libtorch, hands what needs
// libtorch to nas_torch, and its results are interchangeable with the full
// binary's (resume and merge across the two). HandOverTest runs libtorch
// code, so it is its own target (tests/BUILD), outside the sanitizer pass.

#include <elf.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace fs = std::filesystem;
using cli_testing::Nas;
using cli_testing::Result;
using cli_testing::RunNasBinary;
using cli_testing::Slurp;
using cli_testing::Spit;
using cli_testing::TempDir;
using cli_testing::Tree;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kLight[] = "harness/nas";
constexpr char kFull[] = "harness/nas_torch";

// The DT_NEEDED entries of a 64-bit ELF file's dynamic section: the shared
// libraries the loader maps at start-up.
std::vector<std::string> NeededLibraries(const std::string& path) {
  const std::string elf = Slurp(path);
  std::vector<std::string> needed;
  if (elf.size() < sizeof(Elf64_Ehdr) || elf.compare(0, 4, ELFMAG) != 0 ||
      elf[EI_CLASS] != ELFCLASS64) {
    ADD_FAILURE() << path << " is not a 64-bit ELF file";
    return needed;
  }
  const auto* header = reinterpret_cast<const Elf64_Ehdr*>(elf.data());
  const auto* sections =
      reinterpret_cast<const Elf64_Shdr*>(elf.data() + header->e_shoff);
  for (int i = 0; i < header->e_shnum; ++i) {
    if (sections[i].sh_type != SHT_DYNAMIC) continue;
    const char* strings = elf.data() + sections[sections[i].sh_link].sh_offset;
    const auto* dynamic =
        reinterpret_cast<const Elf64_Dyn*>(elf.data() + sections[i].sh_offset);
    for (; dynamic->d_tag != DT_NULL; ++dynamic) {
      if (dynamic->d_tag == DT_NEEDED) {
        needed.push_back(strings + dynamic->d_un.d_val);
      }
    }
  }
  return needed;
}

bool LinksLibtorch(const std::vector<std::string>& libraries) {
  for (const std::string& library : libraries) {
    if (absl::StartsWith(library, "libtorch") ||
        absl::StartsWith(library, "libc10")) {
      return true;
    }
  }
  return false;
}

TEST(LightNasTest, TheLightBinaryLinksNoLibtorchAndTheFullOneDoes) {
  const std::vector<std::string> light = NeededLibraries(kLight);
  const std::vector<std::string> full = NeededLibraries(kFull);
  ASSERT_THAT(light, Not(IsEmpty()));
  EXPECT_FALSE(LinksLibtorch(light))
      << ::testing::PrintToString(light)
      << ": a plugin that links libtorch belongs in the TORCH_ lists of "
         "harness/plugins.bzl";
  // The check can see libtorch where it is linked.
  EXPECT_TRUE(LinksLibtorch(full)) << ::testing::PrintToString(full);
}

TEST(LightNasTest, ListIsCompleteThroughTheHandOver) {
  const Result light = Nas("list");
  const Result full = RunNasBinary(kFull, "list");
  ASSERT_EQ(light.exit_code, 0) << light.stderr_text;
  EXPECT_EQ(light.stdout_text, full.stdout_text);
  EXPECT_THAT(light.stdout_text, HasSubstr("zero-cost proxies:"));
}

TEST(LightNasTest, AHandedOverBinaryNeverHandsOverAgain) {
  // As if nas_torch were a misbuilt light binary: it serves what it can.
  const Result r = Nas("list", "NAS_HANDED_OVER_FROM_LIGHT_BINARY=1 ");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.stdout_text, HasSubstr("algorithms:"));
  EXPECT_THAT(r.stdout_text, Not(HasSubstr("zero-cost proxies:")));
  EXPECT_THAT(r.stderr_text, HasSubstr("links no libtorch plugins"));
}

// One benchmark with a proxy channel that local search uses to pick its
// starting points.
std::string WriteProxyConfig() {
  const std::string path = absl::StrCat(TempDir(), "/proxy.textproto");
  Spit(path,
       "num_seeds: 2\nbudget { queries: 30 }\n"
       "benchmark { name: \"c10\" space { name: \"nasbench201\" } "
       "objective { name: \"nasbench201\" params { "
       "[type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "
       "\"cifar10-valid\" } } } proxy { name: \"params\" } }\n"
       "algorithm { plugin: \"local_search\" params { "
       "[type.googleapis.com/nas.LocalSearchParams] { num_init: 5 "
       "proxy_warmup_candidates: 10 } } }\n");
  return path;
}

TEST(LightNasTest, WithoutTheFullBinaryAProxyConfigSaysWhatToBuild) {
  const std::string alone = absl::StrCat(TempDir(), "/alone");
  fs::create_directories(alone);
  fs::copy_file(fs::canonical(kLight), alone + "/nas",
                fs::copy_options::overwrite_existing);
  const std::string out = absl::StrCat(TempDir(), "/alone_out");
  const Result r = RunNasBinary(
      alone + "/nas",
      absl::StrCat("run ", WriteProxyConfig(), " --output_dir ", out));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.stderr_text, HasSubstr("proxy 'params'"));
  EXPECT_THAT(r.stderr_text, HasSubstr("//harness:nas_torch"));
  EXPECT_FALSE(fs::exists(out));
}

std::string WriteSmallConfig() {
  const std::string path = absl::StrCat(TempDir(), "/small.textproto");
  Spit(path,
       "num_seeds: 4\nbudget { queries: 50 }\n"
       "benchmark { name: \"c100\" space { name: \"nasbench201\" } "
       "objective { name: \"nasbench201\" params { "
       "[type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "
       "\"cifar100\" } } } }\n"
       "algorithm { plugin: \"local_search\" }\n"
       "algorithm { plugin: \"random_search\" }\n");
  return path;
}

TEST(LightNasTest, ResumeAndMergeAcrossTheTwoBinaries) {
  const std::string config = WriteSmallConfig();
  const std::string dir = absl::StrCat(TempDir(), "/across");
  ASSERT_EQ(Nas(absl::StrCat("run ", config, " --output_dir ", dir, "/whole"))
                .exit_code,
            0);
  const auto whole = Tree(dir + "/whole");

  // Shards by different binaries, merged by the light one.
  ASSERT_EQ(RunNasBinary(kFull, absl::StrCat("run ", config,
                                             " --shard 0/2 "
                                             "--output_dir ",
                                             dir, "/s0"))
                .exit_code,
            0);
  ASSERT_EQ(Nas(absl::StrCat("run ", config, " --shard 1/2 --output_dir ", dir,
                             "/s1"))
                .exit_code,
            0);
  const Result merged =
      Nas(absl::StrCat("merge ", dir, "/merged ", dir, "/s0 ", dir, "/s1"));
  ASSERT_EQ(merged.exit_code, 0) << merged.stderr_text;
  EXPECT_EQ(Tree(dir + "/merged"), whole);

  // Part of the cells by the full binary, the rest resumed by the light.
  ASSERT_EQ(RunNasBinary(kFull, absl::StrCat("run ", config,
                                             " --filter 'c100/local_search' "
                                             "--output_dir ",
                                             dir, "/resumed"))
                .exit_code,
            0);
  const Result resumed = Nas(
      absl::StrCat("run ", config, " --resume --output_dir ", dir, "/resumed"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.stderr_text;
  EXPECT_THAT(resumed.stderr_text, HasSubstr("resuming: 4 of 8 cells"));
  EXPECT_EQ(Tree(dir + "/resumed"), whole);
}

TEST(HandOverTest, AProxyConfigRunsThroughTheLightNasAsThroughTheFullOne) {
  const std::string config = WriteProxyConfig();
  const std::string light_dir = absl::StrCat(TempDir(), "/light");
  const std::string full_dir = absl::StrCat(TempDir(), "/full");
  const Result light =
      Nas(absl::StrCat("run ", config, " --output_dir ", light_dir));
  ASSERT_EQ(light.exit_code, 0) << light.stderr_text;
  const Result full = RunNasBinary(
      kFull, absl::StrCat("run ", config, " --output_dir ", full_dir));
  ASSERT_EQ(full.exit_code, 0) << full.stderr_text;
  EXPECT_EQ(light.stdout_text, full.stdout_text);
  EXPECT_EQ(Tree(light_dir), Tree(full_dir));
}

}  // namespace
}  // namespace nas
