#ifndef NASBENCH_ALGORITHMS_COMMON_PARETO_TESTING_H_
#define NASBENCH_ALGORITHMS_COMMON_PARETO_TESTING_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "algorithms/common/pareto_archive.h"
#include "algorithms/common/testing.h"
#include "core/pareto.h"
#include "gtest/gtest.h"
#include "tests/test_plugins.h"

namespace nas {

// A two-objective problem on a product space of NAS-Bench-201's shape (6
// genes of 5 values, one-gene neighbours) with a known connected front,
// for multi-objective algorithm tests: the validation error is the Hamming
// distance to `near_error`, the visible metric "size" the distance to
// `near_size`. The two cells differ in 4 of 6 genes, so the front is every
// cell on a shortest path between them, objective vectors (i, 4 - i) for
// i = 0..4, each end held by one cell.
class TwoTargetProblem {
 public:
  static double Distance(const Architecture& from, const Architecture& to) {
    int differing = 0;
    for (int g = 0; g < from.size(); ++g) differing += from[g] != to[g];
    return differing;
  }

  FunctionOracle Oracle(int64_t budget) const {
    FunctionOracle oracle(
        *space, [this](const Architecture& x) { return Error(x); }, budget);
    oracle.set_metrics({"size"}, [this](const Architecture& x) {
      return std::vector<double>{Size(x)};
    });
    return oracle;
  }
  double Error(const Architecture& x) const { return Distance(near_error, x); }
  double Size(const Architecture& x) const { return Distance(near_size, x); }

  // The sorted objective vectors of an archive.
  static std::vector<ObjectiveVector> Points(const ParetoArchive& archive) {
    std::vector<ObjectiveVector> points;
    for (const auto& member : archive.members()) points.push_back(member.point);
    std::sort(points.begin(), points.end());
    return points;
  }
  static std::vector<ObjectiveVector> TrueFront() {
    return {{0, 4}, {1, 3}, {2, 2}, {3, 1}, {4, 0}};
  }

  std::unique_ptr<TinySpace> space = std::make_unique<TinySpace>(6, 5);
  Architecture near_error = Architecture({3, 3, 1, 0, 3, 2});
  Architecture near_size = Architecture({3, 1, 2, 4, 3, 0});
};

// Builds plugin `A` from `params` plus objective: "flops", a metric the
// problem does not show, and runs it: the run must fail with
// InvalidArgument naming the metric before any query.
template <typename A, typename Params>
void ExpectUnshownMetricRefused(const TwoTargetProblem& problem,
                                Params params) {
  params.add_objective("flops");
  auto algorithm = A::New(params);
  ASSERT_TRUE(algorithm.ok()) << algorithm.status();
  FunctionOracle oracle = problem.Oracle(10);
  Rng rng(1);
  const absl::Status status = (*algorithm)->Run(oracle, rng);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_NE(
      status.message().find("metric 'flops' is not one this benchmark shows"),
      absl::string_view::npos)
      << status;
  EXPECT_TRUE(oracle.queries().empty());
}

// Runs `algorithm` (whose front() is its answer) on the 9 cells of a 3 x 3
// TinySpace, error gene 0 and "size" gene 1, with budget to spare: it must
// query each cell once, stop, and answer the one optimum (0, 0).
template <typename A>
void ExpectExhaustsTinySpace(A& algorithm, uint64_t seed) {
  TinySpace tiny(2, 3);
  FunctionOracle oracle(
      tiny, [](const Architecture& a) { return double(a[0]); }, 1000);
  oracle.set_metrics({"size"}, [](const Architecture& a) {
    return std::vector<double>{double(a[1])};
  });
  Rng rng(seed);
  ASSERT_TRUE(algorithm.Run(oracle, rng).ok());
  EXPECT_EQ(oracle.queries().size(), 9u);
  EXPECT_EQ(TwoTargetProblem::Points(algorithm.front()),
            (std::vector<ObjectiveVector>{{0, 0}}));
}

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_PARETO_TESTING_H_
