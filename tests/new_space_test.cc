// A new search space, written here as a test fixture the way a user writes
// one in its own package: it derives from CategoricalSpace and declares one
// capability (an encoding of its own). With no edit anywhere else it gets
// predictor encodings, the exact landscape analysis and every registered
// algorithm (issue 17: capabilities, not names).

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "landscape/exact.h"
#include "landscape/graph.h"
#include "objectives/random_uniform/random_uniform.h"
#include "spaces/common/categorical_space.h"
#include "spaces/encodings/encodings.h"
#include "tests/conformance.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

// Its own encoding: one feature per pair of adjacent genes and pair of
// values (what a user might declare as the "adjacency" of a chain).
class ChainEncoder : public Encoder {
 public:
  ChainEncoder(int genes, int values) : genes_(genes), values_(values) {}
  int dimension() const override { return (genes_ - 1) * values_ * values_; }
  void Encode(const Architecture& arch, float* out) const override {
    std::fill(out, out + dimension(), 0.0f);
    for (int g = 0; g + 1 < genes_; ++g) {
      out[(g * values_ + arch[g]) * values_ + arch[g + 1]] = 1.0f;
    }
  }
  std::string FeatureName(int i) const override {
    return absl::StrCat("pair", i / (values_ * values_), "=",
                        i % (values_ * values_));
  }

 private:
  int genes_, values_;
};

class ToySpace : public CategoricalSpace {
 public:
  static constexpr int kGenes = 5, kValues = 3;  // 243 architectures.
  ToySpace() : CategoricalSpace(std::vector<int>(kGenes, kValues)) {}

  std::string name() const override { return "toy"; }
  std::string ToString(const Architecture& arch) const override {
    std::string text;
    for (int g = 0; g < arch.size(); ++g) text += static_cast<char>('0' + arch[g]);
    return text;
  }
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override {
    if (static_cast<int>(text.size()) != kGenes) {
      return absl::InvalidArgumentError("toy: expected 5 digits");
    }
    Architecture arch(kGenes);
    for (int g = 0; g < kGenes; ++g) {
      if (text[g] < '0' || text[g] >= '0' + kValues) {
        return absl::InvalidArgumentError("toy: digits are 0..2");
      }
      arch[g] = static_cast<uint8_t>(text[g] - '0');
    }
    return arch;
  }
  // The declared capability.
  const SpaceEncodings* encodings() const override { return &encodings_; }

 protected:
  std::string ArchitectureNoun() const override { return "a toy cell"; }
  std::string GeneDescription(int g) const override {
    return g < 0 ? "slot" : absl::StrCat("slot ", g);
  }
  std::string ValueNoun() const override { return "value"; }

 private:
  class Encodings : public SpaceEncodings {
   public:
    bool Defines(EncodingKind kind) const override {
      return kind == EncodingKind::kAdjacency;
    }
    absl::StatusOr<std::unique_ptr<Encoder>> Make(EncodingKind,
                                                  int) const override {
      return std::unique_ptr<Encoder>(new ChainEncoder(kGenes, kValues));
    }
  } encodings_;
};

std::shared_ptr<const SearchSpace> Toy() {
  static const auto* space = new std::shared_ptr<const SearchSpace>(
      std::make_shared<ToySpace>());
  return *space;
}

TEST(NewSpaceTest, GetsItsDeclaredEncodingAndOneHotAndAClearRefusal) {
  auto adjacency = MakeEncoder(*Toy(), EncodingKind::kAdjacency);
  ASSERT_TRUE(adjacency.ok()) << adjacency.status();
  EXPECT_EQ((*adjacency)->dimension(), 4 * 3 * 3);
  auto one_hot = MakeEncoder(*Toy(), EncodingKind::kOneHot);
  ASSERT_TRUE(one_hot.ok());
  EXPECT_EQ((*one_hot)->dimension(), 5 * 3);
  auto path = MakeEncoder(*Toy(), EncodingKind::kPath);
  ASSERT_FALSE(path.ok());
  EXPECT_THAT(std::string(path.status().message()),
              HasSubstr("not defined for search space 'toy'; it has: "
                        "adjacency, one_hot"));
}

TEST(NewSpaceTest, ExactLandscapeMatchesABruteForceCount) {
  auto objective = RandomUniformObjective::New(Toy(), {});
  ASSERT_TRUE(objective.ok());
  absl::StatusOr<NeighbourGraph> graph = BuildNeighbourGraph(*Toy());
  ASSERT_TRUE(graph.ok()) << graph.status();
  ASSERT_EQ(graph->size(), 243);
  const std::vector<double> loss = EvaluateAll(**objective, *graph);
  const ExactAnalysis analysis = AnalyzeExact(*graph, loss);
  // Brute force: an architecture is a local minimum when every one of its
  // neighbours (from the space itself) has a higher loss.
  int minima = 0;
  std::vector<Architecture> neighbors;
  for (int64_t i = 0; i < 243; ++i) {
    const Architecture a = Toy()->FromIndex(i);
    const double here = (*objective)->Loss(a);
    Toy()->Neighbors(a, &neighbors);
    bool lowest = true;
    for (const Architecture& n : neighbors) lowest &= (*objective)->Loss(n) > here;
    minima += lowest;
  }
  EXPECT_GT(minima, 1);
  EXPECT_EQ(static_cast<int>(analysis.minima.size()), minima);
}

TEST(NewSpaceTest, EveryRegisteredAlgorithmRunsOnIt) {
  auto objective = RandomUniformObjective::New(Toy(), {});
  ASSERT_TRUE(objective.ok());
  const std::vector<std::string> names = GlobalAlgorithmRegistry().Names();
  ASSERT_GE(names.size(), 10u);
  BenchmarkFacts facts;
  facts.space = Toy().get();
  for (const Fidelity& f : (*objective)->fidelities()) {
    facts.fidelity_epochs.push_back(f.epochs);
  }
  int ran = 0;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    const conformance::AlgorithmMaker make =
        conformance::RegisteredAlgorithm(name);
    auto instance = make();
    ASSERT_TRUE(instance.ok()) << instance.status();
    // Multi-fidelity algorithms refuse this one-fidelity objective up
    // front, as a config naming them would be refused.
    if (absl::Status fits = (*instance)->CheckBenchmark(facts); !fits.ok()) {
      EXPECT_EQ(fits.code(), absl::StatusCode::kInvalidArgument);
      continue;
    }
    ++ran;
    EXPECT_TRUE(conformance::SpendsExactlyTheBudget(make, **objective, 60, 3));
    EXPECT_TRUE(conformance::DeterministicForASeed(make, **objective, 60, 4));
    EXPECT_TRUE(
        conformance::TerminatesOnAnExhaustedSpace(make, **objective, 300, 5));
  }
  EXPECT_GE(ran, static_cast<int>(names.size()) - 2);
}

}  // namespace
}  // namespace nas
