#ifndef NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_SEARCH_TESTING_H_
#define NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_SEARCH_TESTING_H_

// For the tests of the predictor-based plugins (bananas, dngo, gp_bayesopt):
// each is built by its registered name, as configs build it, and run on a
// FunctionOracle.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/testing.h"
#include "algorithms/model_based/predictor_search.h"
#include "google/protobuf/message.h"
#include "gtest/gtest.h"
#include "spaces/encodings/encodings.h"

namespace nas {

// The queries of the algorithm registered as `name`, built from `params`
// and run on `space` with validation error `f` for `budget` queries from
// `seed`; `trace` (may be empty) sees every round. Failing to build or run
// fails the test.
inline std::vector<Architecture> RunPredictorAlgorithm(
    const std::string& name, const google::protobuf::Message& params,
    const SearchSpace& space, std::function<double(const Architecture&)> f,
    int64_t budget, uint64_t seed,
    std::function<void(const RoundTrace&)> trace = nullptr) {
  absl::StatusOr<std::unique_ptr<Algorithm>> algorithm =
      NewRegisteredAlgorithm(name, &params);
  if (!algorithm.ok()) {
    ADD_FAILURE() << algorithm.status();
    return {};
  }
  PredictorSearch* search = AsPredictorSearch(**algorithm);
  if (search == nullptr) {
    ADD_FAILURE() << name << " is not a PredictorSearch";
    return {};
  }
  search->set_trace(std::move(trace));
  FunctionOracle oracle(space, std::move(f), budget);
  Rng rng(seed);
  const absl::Status status = search->Run(oracle, rng);
  EXPECT_TRUE(status.ok()) << name << " on " << space.name() << ": " << status;
  return oracle.queries();
}

// A fixture for one predictor-based algorithm on one space.
template <typename Params>
class PredictorAlgorithmTest : public ::testing::Test {
 protected:
  PredictorAlgorithmTest(std::string name, std::unique_ptr<SearchSpace> space)
      : name_(std::move(name)), space_(std::move(space)) {}

  std::vector<Architecture> Run(
      const Params& params, std::function<double(const Architecture&)> f,
      int64_t budget, uint64_t seed,
      std::function<void(const RoundTrace&)> trace = nullptr) {
    return RunPredictorAlgorithm(name_, params, *space_, std::move(f), budget,
                                 seed, std::move(trace));
  }

  // With the defaults, the algorithm finds `target`, the minimum of the
  // gene edit distance to it, within 150 queries for seeds 1, 2 and 3 (random
  // search does so with probability 150 / |space|, ~1% on NAS-Bench-201).
  void ExpectFindsTheMinimumOfEditDistance(const Architecture& target) {
    auto f = [&](const Architecture& a) {
      return static_cast<double>(GeneEditDistance(a, target));
    };
    for (uint64_t seed : {1, 2, 3}) {
      const std::vector<Architecture> queries = Run(Params(), f, 150, seed);
      ASSERT_EQ(queries.size(), 150u);
      EXPECT_NE(std::find(queries.begin(), queries.end(), target),
                queries.end())
          << "seed " << seed;
    }
  }

  // `budget` queries from one seed are distinct, the same again from that
  // seed, and others from another seed.
  void ExpectDistinctAndSeeded(const Params& params, int64_t budget) {
    auto f = [&](const Architecture& a) {
      return static_cast<double>(HashCombine(5, space_->ToIndex(a)) % 1000);
    };
    const std::vector<Architecture> queries = Run(params, f, budget, 6);
    const absl::flat_hash_set<Architecture> distinct(queries.begin(),
                                                     queries.end());
    EXPECT_EQ(static_cast<int64_t>(distinct.size()), budget);
    EXPECT_EQ(Run(params, f, budget, 6), queries);
    EXPECT_NE(Run(params, f, budget, 7), queries);
  }

  // Building the algorithm from `params` fails with a message containing
  // `text`.
  void ExpectRejected(const Params& params, const std::string& text) {
    absl::StatusOr<std::unique_ptr<Algorithm>> algorithm =
        NewRegisteredAlgorithm(name_, &params);
    ASSERT_FALSE(algorithm.ok()) << text;
    EXPECT_NE(algorithm.status().message().find(text), std::string::npos)
        << algorithm.status();
  }

  // The registry holds the algorithm with Params as its parameter message,
  // and builds it with the defaults when a config gives none.
  void ExpectRegisteredWithItsParams() {
    auto entry = GlobalAlgorithmRegistry().Find(name_);
    ASSERT_TRUE(entry.ok()) << entry.status();
    EXPECT_EQ((*entry)->params_prototype->GetDescriptor(),
              Params::descriptor());
    EXPECT_TRUE((*entry)->factory(nullptr).ok());
  }

  const std::string name_;
  const std::unique_ptr<SearchSpace> space_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_MODEL_BASED_PREDICTOR_SEARCH_TESTING_H_
