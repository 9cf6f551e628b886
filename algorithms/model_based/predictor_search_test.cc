#include "algorithms/model_based/predictor_search.h"

#include <vector>

#include "absl/container/flat_hash_set.h"
#include "algorithms/common/testing.h"
#include "algorithms/model_based/gaussian_process.h"
#include "gtest/gtest.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

using Function = std::function<double(const Architecture&)>;

// Predicts the true function exactly, with no uncertainty: reads the genes
// back from a one-hot encoding of 5-valued genes (nasbench201).
class ExactPredictor : public Predictor {
 public:
  explicit ExactPredictor(Function f) : f_(std::move(f)) {}
  absl::Status Fit(const FeatureMatrix&, const Eigen::VectorXd&,
                   Rng&) override {
    return absl::OkStatus();
  }
  Predictions Predict(const FeatureMatrix& x) const override {
    Predictions p;
    p.mean.resize(x.rows());
    p.stddev = Eigen::VectorXd::Zero(x.rows());
    for (int i = 0; i < x.rows(); ++i) {
      Architecture arch(static_cast<int>(x.cols() / 5));
      for (int g = 0; g < arch.size(); ++g) {
        for (int v = 0; v < 5; ++v) {
          if (x(i, g * 5 + v) == 1.0f) arch[g] = static_cast<uint8_t>(v);
        }
      }
      p.mean(i) = f_(arch);
    }
    return p;
  }

 private:
  Function f_;
};

PredictorSearchOptions OneHotOptions() {
  PredictorSearchOptions options;
  options.encoding = EncodingKind::kOneHot;
  options.acquisition.kind = AcquisitionKind::kUpperConfidenceBound;
  options.acquisition.ucb_kappa = 0;
  return options;
}

class PredictorSearchTest : public ::testing::Test {
 protected:
  std::vector<Architecture> Run(PredictorSearch& search,
                                const SearchSpace& space, Function f,
                                int64_t budget, uint64_t seed,
                                absl::Status* status = nullptr) {
    FunctionOracle oracle(space, std::move(f), budget);
    Rng rng(seed);
    absl::Status s = search.Run(oracle, rng);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s;
    }
    return oracle.queries();
  }

  Function Rugged() const {
    return [this](const Architecture& a) {
      return static_cast<double>(HashCombine(7, space_->ToIndex(a)) % 1000);
    };
  }

  std::unique_ptr<Nasbench201Space> space_ = *Nasbench201Space::New();
};

TEST_F(PredictorSearchTest, NeverQueriesAnArchitectureTwice) {
  const Function f = Rugged();
  PredictorSearch search("test", OneHotOptions(),
                         [&] { return std::make_unique<ExactPredictor>(f); });
  const std::vector<Architecture> queries = Run(search, *space_, f, 3000, 1);
  ASSERT_EQ(queries.size(), 3000u);
  absl::flat_hash_set<Architecture> distinct(queries.begin(), queries.end());
  EXPECT_EQ(distinct.size(), queries.size());
}

TEST_F(PredictorSearchTest, EachRoundQueriesItsBestScoredCandidates) {
  const Function f = Rugged();
  PredictorSearch search("test", OneHotOptions(),
                         [&] { return std::make_unique<ExactPredictor>(f); });
  std::vector<RoundTrace> rounds;
  search.set_trace([&](const RoundTrace& t) { rounds.push_back(t); });
  const std::vector<Architecture> queries = Run(search, *space_, f, 100, 2);
  ASSERT_EQ(rounds.size(), 9u);  // 10 random, then 9 rounds of 10.
  for (const RoundTrace& t : rounds) {
    EXPECT_EQ(t.num_training, 10 + 10 * t.round);
    ASSERT_EQ(t.chosen.size(), 10u);
    // The chosen are the 10 lowest scores (kappa 0: predicted means).
    double worst_chosen = -1e300;
    absl::flat_hash_set<int> chosen(t.chosen.begin(), t.chosen.end());
    for (int i : t.chosen) worst_chosen = std::max(worst_chosen, t.scores[i]);
    for (int i = 0; i < static_cast<int>(t.candidates.size()); ++i) {
      if (!chosen.contains(i)) {
        EXPECT_GE(t.scores[i], worst_chosen);
      }
      EXPECT_EQ(t.scores[i], f(t.candidates[i]));
    }
    // They are queried next, in that order, and were new.
    const std::vector<Architecture> before(queries.begin(),
                                           queries.begin() + t.num_training);
    for (int k = 0; k < 10; ++k) {
      const Architecture& arch = t.candidates[t.chosen[k]];
      EXPECT_EQ(queries[t.num_training + k], arch);
      EXPECT_EQ(std::find(before.begin(), before.end(), arch), before.end());
    }
  }
}

TEST_F(PredictorSearchTest, ExactPredictionsClimbStraightToTheOptimum) {
  // Distance to a target cell: each round's best candidates are the
  // improving neighbours of the best, so the target is found within a few
  // rounds (random search would need ~7,800 queries on average).
  const Architecture target({3, 3, 1, 0, 3, 2});
  const Function f = [&](const Architecture& a) {
    return static_cast<double>(GeneEditDistance(a, target));
  };
  PredictorSearch search("test", OneHotOptions(),
                         [&] { return std::make_unique<ExactPredictor>(f); });
  const std::vector<Architecture> queries = Run(search, *space_, f, 100, 3);
  EXPECT_NE(std::find(queries.begin(), queries.begin() + 70, target),
            queries.begin() + 70);
}

TEST_F(PredictorSearchTest, StopsWhenTheSpaceIsExhausted) {
  TinySpace tiny(/*num_genes=*/2, /*values=*/3);
  PredictorSearchOptions options;
  options.auto_encodings = {EncodingKind::kPath};  // Falls back to one-hot.
  PredictorSearch search("test", options, [] {
    return std::make_unique<GaussianProcessPredictor>();
  });
  const auto f = [&](const Architecture& a) {
    return static_cast<double>(tiny.ToIndex(a) % 4);
  };
  const std::vector<Architecture> queries = Run(search, tiny, f, 1000, 4);
  EXPECT_EQ(queries.size(), 9u);
  // With fewer random starts the loop goes on by mutation and, when every
  // mutation of the best has been queried, by fresh random architectures.
  options.num_init = 2;
  PredictorSearch few("test", options, [] {
    return std::make_unique<GaussianProcessPredictor>();
  });
  EXPECT_EQ(Run(few, tiny, f, 1000, 5).size(), 9u);
}

TEST_F(PredictorSearchTest, BudgetsSmallerThanTheInitialSample) {
  PredictorSearch search("test", PredictorSearchOptions(), [] {
    return std::make_unique<GaussianProcessPredictor>();
  });
  for (int budget : {1, 5, 10, 11}) {
    EXPECT_EQ(Run(search, *space_, Rugged(), budget, 6).size(),
              static_cast<size_t>(budget));
  }
}

TEST_F(PredictorSearchTest, DeterministicForASeed) {
  PredictorSearch search("test", PredictorSearchOptions(), [] {
    return std::make_unique<GaussianProcessPredictor>();
  });
  const auto a = Run(search, *space_, Rugged(), 60, 7);
  EXPECT_EQ(a, Run(search, *space_, Rugged(), 60, 7));
  EXPECT_NE(a, Run(search, *space_, Rugged(), 60, 8));
}

TEST_F(PredictorSearchTest, ChoosesTheEncoding) {
  PredictorSearchOptions options;
  options.auto_encodings = {EncodingKind::kPath, EncodingKind::kTruncatedPath};
  auto darts = *DartsSpace::New();
  // DARTS' full path encoding is too wide for automatic use.
  EXPECT_EQ((*ChooseEncoder(*darts, options, "x"))->dimension(), 224);
  EXPECT_EQ((*ChooseEncoder(*space_, options, "x"))->dimension(), 84);
  TinySpace tiny(2, 3);
  EXPECT_EQ((*ChooseEncoder(tiny, options, "x"))->dimension(), 6);

  options.encoding = EncodingKind::kPath;
  PredictorSearch search("bananas", options, [] {
    return std::make_unique<GaussianProcessPredictor>();
  });
  absl::Status status;
  Run(search, tiny, [](const Architecture&) { return 1.0; }, 10, 9, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("bananas: the path encoding is not defined "
                                  "for search space 'tiny'"),
            std::string::npos)
      << status;
}

TEST_F(PredictorSearchTest, ValidatesOptions) {
  PredictorSearchOptions options;
  EXPECT_TRUE(ValidateSearchOptions(options, "x").ok());
  options.queries_per_round = 0;
  EXPECT_EQ(ValidateSearchOptions(options, "bananas").message(),
            "bananas: queries_per_round is 0; it must be at least 1 (BANANAS "
            "used 10)");
  options = PredictorSearchOptions();
  options.truncated_features = 30;
  EXPECT_FALSE(ValidateSearchOptions(options, "x").ok());
  options.encoding = EncodingKind::kTruncatedPath;
  EXPECT_TRUE(ValidateSearchOptions(options, "x").ok());
  options.acquisition.ucb_kappa = -1;
  EXPECT_FALSE(ValidateSearchOptions(options, "x").ok());
}

}  // namespace
}  // namespace nas
