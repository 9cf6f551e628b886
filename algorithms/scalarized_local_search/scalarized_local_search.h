#ifndef NASBENCH_ALGORITHMS_SCALARIZED_LOCAL_SEARCH_SCALARIZED_LOCAL_SEARCH_H_
#define NASBENCH_ALGORITHMS_SCALARIZED_LOCAL_SEARCH_SCALARIZED_LOCAL_SEARCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/pareto_archive.h"
#include "algorithms/scalarized_local_search/scalarized_local_search.pb.h"
#include "core/pareto.h"

namespace nas {

// `count` weights drawn uniformly on the simplex (non-negative, sum 1): a
// flat Dirichlet draw, each weight an Exp(1) variate (-log of a uniform in
// (0, 1]) divided by their sum. One rng.UniformDouble() per weight.
std::vector<double> DrawSimplexWeights(int count, Rng& rng);

// A weighted sum of min-max normalised objectives:
// sum_i weights[i] * (point[i] - low[i]) / scale[i].
struct Scalarization {
  std::vector<double> weights;
  std::vector<double> low;
  std::vector<double> scale;  // high - low, or 1 where they are equal.

  double Of(absl::Span<const double> point) const;
};

// Local search on random scalarizations, over the validation error and the
// selected visible metrics. Each climb draws a weight vector uniformly on
// the simplex, queries num_init fresh random architectures, and fixes its
// normalisation: per objective, the lowest and highest value among all the
// architectures the run has queried so far (those starts included), so
// that the weights trade comparable ranges and only seen values are used;
// fixed, so that the climb cannot cycle. From the best start under that
// scalarization it climbs by the local-search study's rule: evaluate every
// neighbour (in random order) and move to the best if it is strictly
// better (the first of equals in that order), else stop and restart with
// new weights. Architectures are queried once; a neighbour queried before
// is scored from memory rather than skipped (as local_search does), since
// new weights rank it anew. Every observation is offered to a Pareto
// archive, the run's answer (front()). Stops when the budget or the space
// is spent.
class ScalarizedLocalSearch
    : public ParetoFrontSearch<ScalarizedLocalSearchParams> {
 public:
  static absl::StatusOr<std::unique_ptr<ScalarizedLocalSearch>> New(
      const ScalarizedLocalSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

  // After Run(): each finished climb (the one the budget cut short is not
  // listed): its scalarization, the queries made before its normalisation
  // was fixed, and the architecture it stopped at.
  struct Climb {
    Scalarization scalarization;
    int64_t queries_before = 0;
    Architecture end;
  };
  const std::vector<Climb>& climbs() const { return climbs_; }

 private:
  using ParetoFrontSearch::ParetoFrontSearch;

  std::vector<Climb> climbs_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_SCALARIZED_LOCAL_SEARCH_SCALARIZED_LOCAL_SEARCH_H_
