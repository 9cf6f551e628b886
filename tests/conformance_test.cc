// Conformance suites run automatically over every plugin linked into
// //harness:plugins: a new plugin is tested here without editing this file.

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "harness/oracle.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"
#include "spaces/test_data.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

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
  EXPECT_EQ(space_->name(), GetParam());
}

TEST_P(SpaceConformance, SamplesAreValidCanonicalAndRoundTrip) {
  Rng rng(1);
  for (int i = 0; i < 300; ++i) {
    const Architecture arch = space_->Sample(rng);
    ASSERT_TRUE(space_->Validate(arch).ok()) << arch.DebugString();
    ASSERT_EQ(space_->Canonicalize(arch), arch);
    ASSERT_EQ(arch.size(),
              static_cast<int>(space_->gene_cardinalities().size()));
    for (int g = 0; g < arch.size(); ++g) {
      ASSERT_LT(arch[g], space_->gene_cardinalities()[g]);
    }
    const std::string text = space_->ToString(arch);
    auto parsed = space_->Parse(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    ASSERT_EQ(*parsed, arch) << text;
    ASSERT_EQ(space_->Hash(*parsed), space_->Hash(arch));
    if (space_->IsIndexable()) {
      const int64_t index = space_->ToIndex(arch);
      ASSERT_GE(index, 0);
      ASSERT_LT(absl::uint128(index), space_->Size());
      ASSERT_EQ(space_->FromIndex(index), arch);
    }
  }
}

TEST_P(SpaceConformance, NeighboursAreDistinctValidCanonicalAndStable) {
  Rng rng(2);
  std::vector<Architecture> neighbors, again;
  int with_neighbors = 0;
  for (int i = 0; i < 50; ++i) {
    const Architecture arch = space_->Sample(rng);
    space_->Neighbors(arch, &neighbors);
    // A space may have isolated architectures (NAS-Bench-101's bare
    // input->output cell), but not many.
    with_neighbors += !neighbors.empty();
    absl::flat_hash_set<uint64_t> hashes;
    for (const Architecture& n : neighbors) {
      ASSERT_TRUE(space_->Validate(n).ok());
      ASSERT_EQ(space_->Canonicalize(n), n);
      ASSERT_NE(n, arch);
      ASSERT_TRUE(hashes.insert(space_->Hash(n)).second)
          << "duplicate neighbour " << space_->ToString(n);
    }
    space_->Neighbors(arch, &again);
    ASSERT_EQ(again, neighbors) << "neighbour order is not fixed";
    const Architecture mutated = space_->Mutate(arch, rng);
    ASSERT_TRUE(space_->Validate(mutated).ok());
    ASSERT_EQ(space_->Canonicalize(mutated), mutated);
  }
  EXPECT_GE(with_neighbors, 45);
}

TEST_P(SpaceConformance, GarbageTextIsAnErrorNotACrash) {
  for (const char* text : {"", "x", "|||", "Genotype(", "adj=", "\xff\xfe",
                           "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"}) {
    EXPECT_FALSE(space_->Parse(text).ok()) << text;
  }
}

TEST_P(SpaceConformance, SameSeedSameSamples) {
  Rng a(3), b(3);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(space_->Sample(a), space_->Sample(b));
}

INSTANTIATE_TEST_SUITE_P(AllSpaces, SpaceConformance,
                         ::testing::ValuesIn(GlobalSearchSpaceRegistry().Names()),
                         TestName);

// ---------------------------------------------------------------------------
// Objectives: each is built over every registered space it accepts.

class ObjectiveConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(ObjectiveConformance, ScoresSomeSpaceConsistently) {
  auto entry = GlobalObjectiveRegistry().Find(GetParam());
  ASSERT_TRUE(entry.ok());
  int accepted = 0;
  for (const auto& [space_name, space] : SpacesToTry()) {
    const google::protobuf::Message* prototype = (*entry)->params_prototype;
    std::unique_ptr<google::protobuf::Message> params(
        prototype ? prototype->New() : nullptr);
    auto objective = (*entry)->factory(space, params.get(), {TestDataDir()});
    if (!objective.ok()) continue;
    ++accepted;
    SCOPED_TRACE(absl::StrCat(GetParam(), " on ", space_name));
    EXPECT_EQ(&(*objective)->space(), space.get());
    ASSERT_FALSE((*objective)->fidelities().empty());
    Rng rng(4), noise(5);
    const auto optimum = (*objective)->known_optimum();
    for (int i = 0; i < 200; ++i) {
      const Architecture arch = space->Sample(rng);
      for (int f = 0; f < static_cast<int>((*objective)->fidelities().size());
           ++f) {
        const Evaluation e = (*objective)->Evaluate(arch, f, &noise);
        ASSERT_TRUE(std::isfinite(e.valid_error));
        ASSERT_TRUE(std::isfinite(e.test_error));
        ASSERT_GE(e.cost_seconds, 0);
        if (!(*objective)->is_noisy()) {
          const Evaluation again = (*objective)->Evaluate(arch, f, nullptr);
          ASSERT_EQ(again.valid_error, e.valid_error);
          ASSERT_EQ(again.test_error, e.test_error);
        }
        if (optimum && f + 1 == static_cast<int>((*objective)->fidelities().size()) &&
            !(*objective)->is_noisy()) {
          ASSERT_GE(e.valid_error, optimum->best_valid_error);
          ASSERT_GE(e.test_error, optimum->best_test_error);
        }
      }
    }
  }
  EXPECT_GT(accepted, 0) << GetParam()
                         << " accepts none of the spaces tried with default "
                            "parameters";
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

struct RunOutcome {
  absl::Status status;
  std::vector<QueryRecord> records;
};

RunOutcome RunAlgorithm(const std::string& name, const Objective& objective,
                        int64_t budget, uint64_t seed) {
  auto entry = GlobalAlgorithmRegistry().Find(name);
  EXPECT_TRUE(entry.ok());
  const google::protobuf::Message* prototype = (*entry)->params_prototype;
  std::unique_ptr<google::protobuf::Message> params(
      prototype ? prototype->New() : nullptr);
  auto algorithm = (*entry)->factory(params.get());
  EXPECT_TRUE(algorithm.ok()) << algorithm.status();
  BudgetLimits limits;
  limits.queries = budget;
  BudgetedOracle oracle(objective, limits, Rng(seed + 1));
  Rng rng(seed);
  RunOutcome outcome;
  outcome.status = (*algorithm)->Run(oracle, rng);
  outcome.records = oracle.TakeRecords();
  return outcome;
}

std::vector<Architecture> Archs(const RunOutcome& outcome) {
  std::vector<Architecture> archs;
  for (const QueryRecord& r : outcome.records) archs.push_back(r.arch);
  return archs;
}

class AlgorithmConformance : public ::testing::TestWithParam<std::string> {};

TEST_P(AlgorithmConformance, SpendsExactlyTheBudgetOnValidArchitectures) {
  for (const World& world : Worlds()) {
    if (world.name == "tiny") continue;
    SCOPED_TRACE(world.name);
    const RunOutcome outcome =
        RunAlgorithm(GetParam(), *world.objective, 60, 7);
    // The oracle refuses invalid or non-canonical architectures, which
    // surfaces here as a failed run.
    ASSERT_TRUE(outcome.status.ok()) << outcome.status;
    EXPECT_EQ(outcome.records.size(), 60u)
        << "stopped before the budget was spent";
  }
}

TEST_P(AlgorithmConformance, BehavesOnABudgetOfOne) {
  for (const World& world : Worlds()) {
    SCOPED_TRACE(world.name);
    const RunOutcome outcome = RunAlgorithm(GetParam(), *world.objective, 1, 8);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status;
    EXPECT_EQ(outcome.records.size(), 1u);
  }
}

TEST_P(AlgorithmConformance, TerminatesOnASpaceSmallerThanTheBudget) {
  const World& tiny = Worlds().back();
  const RunOutcome outcome = RunAlgorithm(GetParam(), *tiny.objective, 1000, 9);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  EXPECT_LT(outcome.records.size(), 1000u);
}

TEST_P(AlgorithmConformance, DeterministicForASeed) {
  for (const World& world : Worlds()) {
    SCOPED_TRACE(world.name);
    const auto first = Archs(RunAlgorithm(GetParam(), *world.objective, 80, 10));
    const auto second = Archs(RunAlgorithm(GetParam(), *world.objective, 80, 10));
    EXPECT_EQ(first, second);
  }
}

TEST_P(AlgorithmConformance, NeverReadsTestMetrics) {
  for (const World& world : Worlds()) {
    SCOPED_TRACE(world.name);
    ScrambledTestObjective scrambled(world.objective);
    const auto honest = Archs(RunAlgorithm(GetParam(), *world.objective, 80, 11));
    const auto blind = Archs(RunAlgorithm(GetParam(), scrambled, 80, 11));
    EXPECT_EQ(honest, blind)
        << "the queries changed when only test metrics changed";
  }
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, AlgorithmConformance,
                         ::testing::ValuesIn(GlobalAlgorithmRegistry().Names()),
                         TestName);

}  // namespace
}  // namespace nas
