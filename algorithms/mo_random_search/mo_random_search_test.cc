#include "algorithms/mo_random_search/mo_random_search.h"

#include <string>
#include <vector>

#include "algorithms/common/pareto_testing.h"
#include "algorithms/common/testing.h"
#include "core/pareto.h"
#include "gtest/gtest.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

// Two conflicting objectives over NAS-Bench-201 cells: the error falls and
// the "params" rise with the number of convolutions.
double Convolutions(const Architecture& arch) {
  double count = 0;
  for (int g = 0; g < arch.size(); ++g) count += arch[g] >= 2;
  return count;
}

TEST(MoRandomSearchTest, TheArchiveIsTheFrontOfWhatWasQueried) {
  auto space = Nasbench201Space::New();
  ASSERT_TRUE(space.ok());
  FunctionOracle oracle(
      **space,
      [](const Architecture& a) {
        return 100 - 10 * Convolutions(a) + a[0];
      },
      200);
  oracle.set_metrics({"params", "latency"}, [](const Architecture& a) {
    return std::vector<double>{Convolutions(a) + 0.1 * a[5], 1.0 * a[1]};
  });
  MoRandomSearchParams params;
  params.add_objective("params");
  auto search = MoRandomSearch::New(params);
  ASSERT_TRUE(search.ok());
  Rng rng(1);
  ASSERT_TRUE((*search)->Run(oracle, rng).ok());
  ASSERT_EQ(oracle.queries().size(), 200u);
  std::vector<ObjectiveVector> points;
  for (const Architecture& a : oracle.queries()) {
    points.push_back({100 - 10 * Convolutions(a) + a[0],
                      Convolutions(a) + 0.1 * a[5]});
  }
  std::vector<ObjectiveVector> front;
  for (int i : NonDominatedIndices(points)) {
    if (std::find(front.begin(), front.end(), points[i]) == front.end()) {
      front.push_back(points[i]);
    }
  }
  std::vector<ObjectiveVector> kept;
  for (const auto& m : (*search)->front().members()) kept.push_back(m.point);
  std::sort(front.begin(), front.end());
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, front);
  EXPECT_GT(kept.size(), 2u);
}

TEST(MoRandomSearchTest, AMetricTheBenchmarkDoesNotShowFailsTheRun) {
  ExpectUnshownMetricRefused<MoRandomSearch>(TwoTargetProblem(),
                                             MoRandomSearchParams());
}

}  // namespace
}  // namespace nas
