// Conformance suites run automatically over every plugin linked into
// //harness:plugins: a new plugin is tested here without editing this file.
// The checks themselves live in tests/conformance.h;
// tests/conformance_broken_test.cc shows that each one catches the fault it
// is named after.

#include "tests/conformance.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "algorithms/algorithm.h"
#include "core/test_data.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "harness/config.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param) name += std::isalnum(c) ? c : '_';
  return name;
}

// Builds a registered space from its parameters in text format ("" for the
// defaults); nullptr if that fails.
std::shared_ptr<const SearchSpace> MakeSpace(const std::string& name,
                                             const std::string& params_text) {
  auto entry = GlobalSearchSpaceRegistry().Find(name);
  if (!entry.ok()) return nullptr;
  const google::protobuf::Message* prototype = (*entry)->params_prototype;
  std::unique_ptr<google::protobuf::Message> params(
      prototype ? prototype->New() : nullptr);
  if (params && !google::protobuf::TextFormat::ParseFromString(params_text,
                                                               params.get())) {
    return nullptr;
  }
  auto space = (*entry)->factory(params.get());
  if (!space.ok()) return nullptr;
  return std::shared_ptr<const SearchSpace>(std::move(*space));
}

std::shared_ptr<const SearchSpace> MakeDefaultSpace(const std::string& name) {
  return MakeSpace(name, "");
}

// A fresh directory for this test's files.
std::string ScratchDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp && *tmp ? tmp : "/tmp", "/", name);
}

// Builds the registered objective `name` with default parameters over
// `space` from the tables in a data directory.
cf::ObjectiveBuilder DefaultObjectiveOver(
    const std::string& name, std::shared_ptr<const SearchSpace> space) {
  return [name, space](const ObjectiveContext& context)
             -> absl::StatusOr<std::shared_ptr<const Objective>> {
    auto entry = GlobalObjectiveRegistry().Find(name);
    if (!entry.ok()) return entry.status();
    const google::protobuf::Message* prototype = (*entry)->params_prototype;
    std::unique_ptr<google::protobuf::Message> params(
        prototype ? prototype->New() : nullptr);
    auto objective = (*entry)->factory(space, params.get(), context);
    if (!objective.ok()) return objective.status();
    return std::shared_ptr<const Objective>(std::move(*objective));
  };
}

// Every registered space with default parameters, plus parameter sets that
// some objectives need (EC-NAS-Bench covers NAS-Bench-101's 4- and 5-vertex
// sub-spaces). Unknown names are skipped, so the list never breaks a build.
std::vector<std::pair<std::string, std::shared_ptr<const SearchSpace>>>
SpacesToTry() {
  std::vector<std::pair<std::string, std::string>> variants;
  for (const std::string& name : GlobalSearchSpaceRegistry().Names()) {
    variants.push_back({name, ""});
  }
  variants.push_back({"nasbench101", "max_vertices: 4"});
  variants.push_back({"nasbench101", "max_vertices: 5"});
  std::vector<std::pair<std::string, std::shared_ptr<const SearchSpace>>> spaces;
  for (const auto& [name, params] : variants) {
    if (auto space = MakeSpace(name, params)) {
      spaces.push_back({absl::StrCat(name, params.empty() ? "" : " {", params,
                                     params.empty() ? "" : "}"),
                        space});
    }
  }
  return spaces;
}

// ---------------------------------------------------------------------------
// Search spaces.

class SpaceConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    space_ = MakeDefaultSpace(GetParam());
    ASSERT_NE(space_, nullptr) << GetParam() << " fails with default params";
  }
  std::shared_ptr<const SearchSpace> space_;
};

TEST_P(SpaceConformance, NameMatchesRegistration) {
  EXPECT_TRUE(cf::NameIs(*space_, GetParam()));
}

TEST_P(SpaceConformance, SamplesAreValidCanonicalAndRoundTrip) {
  EXPECT_TRUE(cf::SamplesAreValidAndCanonical(*space_));
  EXPECT_TRUE(cf::TextRoundTrips(*space_));
}

TEST_P(SpaceConformance, NeighboursAreDistinctValidCanonicalAndStable) {
  EXPECT_TRUE(cf::NeighboursAreDistinctValidCanonicalAndStable(*space_));
}

TEST_P(SpaceConformance, GarbageTextIsAnErrorNotACrash) {
  EXPECT_TRUE(cf::GarbageTextIsAnError(*space_));
}

TEST_P(SpaceConformance, CheapChecksAgreeWithValidateAndCanonicalize) {
  EXPECT_TRUE(cf::CheapChecksAgree(*space_));
}

TEST_P(SpaceConformance, SameSeedSameSamples) {
  EXPECT_TRUE(cf::SameSeedSameSamples(*space_));
}

INSTANTIATE_TEST_SUITE_P(AllSpaces, SpaceConformance,
                         ::testing::ValuesIn(GlobalSearchSpaceRegistry().Names()),
                         TestName);

// ---------------------------------------------------------------------------
// Objectives: each is built over every space it accepts among SpacesToTry().

class ObjectiveConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(ObjectiveConformance, ScoresSomeSpaceConsistently) {
  auto entry = GlobalObjectiveRegistry().Find(GetParam());
  ASSERT_TRUE(entry.ok());
  int accepted = 0;
  absl::Status first_refusal;
  for (const auto& [space_name, space] : SpacesToTry()) {
    const google::protobuf::Message* prototype = (*entry)->params_prototype;
    std::unique_ptr<google::protobuf::Message> params(
        prototype ? prototype->New() : nullptr);
    auto objective = (*entry)->factory(space, params.get(), {TestDataDir()});
    if (!objective.ok()) {
      if (first_refusal.ok()) first_refusal = objective.status();
      continue;
    }
    ++accepted;
    SCOPED_TRACE(absl::StrCat(GetParam(), " on ", space_name));
    EXPECT_EQ(&(*objective)->space(), space.get());
    EXPECT_TRUE(cf::ValuesAreFinite(**objective));
    EXPECT_TRUE(cf::DeterministicUnlessNoisy(**objective));
    EXPECT_TRUE(cf::NothingBeatsTheKnownOptimum(**objective));
    if (!(*objective)->hidden_test_columns().empty()) {
      const std::string scrambled_dir =
          ScratchDir(absl::StrCat("scrambled_", GetParam(), "_", accepted));
      ASSERT_TRUE(cf::WriteScrambledTables(**objective, TestDataDir(),
                                           scrambled_dir)
                      .ok());
      EXPECT_TRUE(cf::HiddenColumnsAreExactlyTheTestMetrics(
          DefaultObjectiveOver(GetParam(), space), TestDataDir(),
          scrambled_dir));
    }
  }
  // An objective that cannot exist without configuration (the trained
  // objective needs a cache directory and a dataset) is skipped, loudly,
  // with its reason: it is tested by its own package instead.
  if (accepted == 0 && absl::StrContains(first_refusal.message(), " set ")) {
    GTEST_SKIP() << "SKIPPED: objective '" << GetParam()
                 << "' needs configuration before it can score anything ("
                 << first_refusal.message()
                 << "); conformance cannot build it from defaults";
  }
  EXPECT_GT(accepted, 0) << GetParam()
                         << " accepts none of the spaces tried with default "
                            "parameters: " << first_refusal;
}

INSTANTIATE_TEST_SUITE_P(AllObjectives, ObjectiveConformance,
                         ::testing::ValuesIn(GlobalObjectiveRegistry().Names()),
                         TestName);

// ---------------------------------------------------------------------------
// Algorithms: every registered algorithm with default parameters, on a real
// table, on a huge space and on a space smaller than the budget.

struct World {
  std::string name;
  std::shared_ptr<const Objective> objective;
};

const std::vector<World>& Worlds() {
  static const std::vector<World>* worlds = [] {
    auto* w = new std::vector<World>;
    auto nb201 = MakeDefaultSpace("nasbench201");
    auto entry = GlobalObjectiveRegistry().Find("nasbench201");
    if (nb201 && entry.ok()) {
      auto objective = (*entry)->factory(nb201, nullptr, {TestDataDir()});
      if (objective.ok()) {
        w->push_back({"nasbench201", std::move(*objective)});
      }
    }
    if (auto darts = MakeDefaultSpace("darts")) {
      w->push_back({"darts", std::make_shared<HashObjective>(darts, 1, 2)});
    }
    w->push_back({"tiny", std::make_shared<HashObjective>(
                              std::make_shared<TinySpace>(2, 3), 3, 4)});
    return w;
  }();
  return *worlds;
}

const World& Tiny() { return Worlds().back(); }

class AlgorithmConformance : public ::testing::TestWithParam<std::string> {
 protected:
  cf::AlgorithmMaker make_ = cf::RegisteredAlgorithm(GetParam());
};

TEST_P(AlgorithmConformance, SpendsExactlyTheBudgetOnValidArchitectures) {
  for (const World& world : Worlds()) {
    if (world.name == "tiny") continue;
    SCOPED_TRACE(world.name);
    EXPECT_TRUE(cf::SpendsExactlyTheBudget(make_, *world.objective, 60, 7));
    EXPECT_TRUE(
        cf::QueriesOnlyValidArchitectures(make_, *world.objective, 60, 7));
  }
}

TEST_P(AlgorithmConformance, BehavesOnABudgetOfOne) {
  for (const World& world : Worlds()) {
    SCOPED_TRACE(world.name);
    EXPECT_TRUE(cf::BehavesOnABudgetOfOne(make_, *world.objective, 8));
  }
}

TEST_P(AlgorithmConformance, TerminatesOnASpaceSmallerThanTheBudget) {
  EXPECT_TRUE(
      cf::TerminatesOnAnExhaustedSpace(make_, *Tiny().objective, 1000, 9));
}

TEST_P(AlgorithmConformance, DeterministicForASeed) {
  for (const World& world : Worlds()) {
    SCOPED_TRACE(world.name);
    EXPECT_TRUE(cf::DeterministicForASeed(make_, *world.objective, 80, 10));
  }
}

TEST_P(AlgorithmConformance, NeverReadsTestMetrics) {
  for (const World& world : Worlds()) {
    SCOPED_TRACE(world.name);
    EXPECT_TRUE(cf::NeverReadsTestMetrics(make_, world.objective, 80, 11));
  }
}

// The NAS-Bench-201 tables with their test metrics permuted, written once.
struct ScrambledWorld {
  cf::ObjectiveBuilder build;
  std::string scrambled_dir;
  absl::Status status;
};

const ScrambledWorld& ScrambledNasbench201() {
  static const ScrambledWorld* world = [] {
    auto* w = new ScrambledWorld;
    w->build = DefaultObjectiveOver("nasbench201",
                                    MakeDefaultSpace("nasbench201"));
    w->scrambled_dir = ScratchDir("scrambled_nasbench201");
    auto objective = w->build({TestDataDir()});
    w->status = objective.ok() ? cf::WriteScrambledTables(
                                     **objective, TestDataDir(),
                                     w->scrambled_dir)
                               : objective.status();
    return w;
  }();
  return *world;
}

// A plugin that opens the table files itself is invisible to the in-memory
// check above; this one changes the files.
TEST_P(AlgorithmConformance, NeverReadsTestMetricsFromTheTableFiles) {
  const ScrambledWorld& world = ScrambledNasbench201();
  ASSERT_TRUE(world.status.ok()) << world.status;
  EXPECT_TRUE(cf::NeverReadsTestMetricsOnDisk(
      make_, world.build, TestDataDir(), world.scrambled_dir, 40, 12));
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, AlgorithmConformance,
                         ::testing::ValuesIn(GlobalAlgorithmRegistry().Names()),
                         TestName);


// ---------------------------------------------------------------------------
// Algorithms with the parameters experiments actually use: every algorithm
// block with a params block in configs/ (and in the files listed in
// $NAS_CONFORMANCE_CONFIGS, colon-separated, for a user's own settings), so
// that what goes on a leaderboard is what was checked.

struct ConfiguredAlgorithm {
  std::string name;  // "<config file>/<label>", for the test name.
  std::string plugin;
  std::shared_ptr<const google::protobuf::Message> params;
};

std::vector<std::string> ConfigFiles() {
  std::vector<std::string> files;
  if (std::filesystem::is_directory("configs")) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator("configs")) {
      if (entry.path().extension() == ".textproto") {
        files.push_back(entry.path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  if (const char* extra = std::getenv("NAS_CONFORMANCE_CONFIGS")) {
    for (absl::string_view file : absl::StrSplit(extra, ':', absl::SkipEmpty())) {
      files.emplace_back(file);
    }
  }
  return files;
}

const std::vector<ConfiguredAlgorithm>& ConfiguredAlgorithms() {
  static const auto* all = [] {
    auto* out = new std::vector<ConfiguredAlgorithm>;
    for (const std::string& file : ConfigFiles()) {
      std::ifstream in(file);
      std::stringstream text;
      text << in.rdbuf();
      absl::StatusOr<Experiment> config = ParseExperiment(text.str(), file);
      if (!config.ok()) {
        ADD_FAILURE() << config.status();
        continue;
      }
      for (const AlgorithmSpec& spec : config->algorithm()) {
        if (!spec.has_params()) continue;  // Defaults: checked above.
        auto entry = GlobalAlgorithmRegistry().Find(spec.plugin());
        if (!entry.ok() || (*entry)->params_prototype == nullptr) continue;
        std::shared_ptr<google::protobuf::Message> params(
            (*entry)->params_prototype->New());
        if (!spec.params().UnpackTo(params.get())) continue;
        out->push_back({absl::StrCat(file, "/", spec.label()), spec.plugin(),
                        std::move(params)});
      }
    }
    return out;
  }();
  return *all;
}

std::vector<std::string> ConfiguredNames() {
  std::vector<std::string> names;
  for (const ConfiguredAlgorithm& c : ConfiguredAlgorithms()) {
    names.push_back(c.name);
  }
  return names;
}

class ConfiguredAlgorithmConformance
    : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (const ConfiguredAlgorithm& c : ConfiguredAlgorithms()) {
      if (c.name != GetParam()) continue;
      make_ = [c]() -> absl::StatusOr<std::unique_ptr<Algorithm>> {
        auto entry = GlobalAlgorithmRegistry().Find(c.plugin);
        if (!entry.ok()) return entry.status();
        return (*entry)->factory(c.params.get());
      };
    }
    ASSERT_TRUE(make_ != nullptr);
  }
  cf::AlgorithmMaker make_;
};

TEST_P(ConfiguredAlgorithmConformance, SpendsTheBudgetDeterministicallyBlind) {
  const World& nb201 = Worlds().front();
  ASSERT_EQ(nb201.name, "nasbench201");
  EXPECT_TRUE(cf::SpendsExactlyTheBudget(make_, *nb201.objective, 60, 7));
  EXPECT_TRUE(cf::QueriesOnlyValidArchitectures(make_, *nb201.objective, 60, 7));
  EXPECT_TRUE(cf::DeterministicForASeed(make_, *nb201.objective, 60, 10));
  EXPECT_TRUE(cf::NeverReadsTestMetrics(make_, nb201.objective, 60, 11));
  EXPECT_TRUE(cf::BehavesOnABudgetOfOne(make_, *nb201.objective, 8));
  EXPECT_TRUE(
      cf::TerminatesOnAnExhaustedSpace(make_, *Tiny().objective, 1000, 9));
}

INSTANTIATE_TEST_SUITE_P(ConfiguredParameters, ConfiguredAlgorithmConformance,
                         ::testing::ValuesIn(ConfiguredNames()), TestName);

}  // namespace
}  // namespace nas
