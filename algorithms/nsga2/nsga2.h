#ifndef NASBENCH_ALGORITHMS_NSGA2_NSGA2_H_
#define NASBENCH_ALGORITHMS_NSGA2_NSGA2_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/pareto_archive.h"
#include "algorithms/nsga2/nsga2.pb.h"
#include "core/pareto.h"

namespace nas {

// The population of Nsga2, in age order, ranked by NSGA-II's crowded
// comparison: a building block public so tests can check its mechanism.
class CrowdedPopulation {
 public:
  struct Member {
    Architecture arch;
    ObjectiveVector point;
    int64_t birth = 0;  // Query order; smaller is older.
  };

  // `capacity` >= 1.
  CrowdedPopulation(int capacity, bool remove_worst)
      : capacity_(capacity), remove_worst_(remove_worst) {}

  // Appends `member` as the youngest. When that exceeds the capacity, the
  // oldest member (or, with remove_worst, the worst by crowded comparison,
  // the oldest of those on a tie) is removed and returned.
  std::optional<Member> Add(const Member& member);

  // Draws `tournament_size` members uniformly with replacement (one
  // rng.UniformInt(size()) each) and returns the best by crowded
  // comparison, the first drawn on a tie. Requires a non-empty population.
  const Member& Tournament(int tournament_size, Rng& rng) const;

  // Per member (oldest first): its non-dominated rank within the
  // population (0: no member dominates it) and its crowding distance
  // within its rank (infinite at each objective's extremes).
  struct Standing {
    int rank = 0;
    double crowding = 0;
  };
  std::vector<Standing> Standings() const;

  // Oldest first.
  const std::deque<Member>& members() const { return members_; }

 private:
  const int capacity_;
  const bool remove_worst_;
  std::deque<Member> members_;
};

// True when `a` wins NSGA-II's crowded comparison against `b`: a lower
// rank, or the same rank and a larger crowding distance.
bool CrowdedBetter(const CrowdedPopulation::Standing& a,
                   const CrowdedPopulation::Standing& b);

// Regularized evolution with NSGA-II selection, over the validation error
// and the selected visible metrics. Seeds the population with num_init
// distinct random architectures; then, per query, picks a parent by a
// crowded-comparison tournament (ranks and crowding distances recomputed
// within the current population), mutates it (SearchSpace::Mutate) into an
// unqueried child, queries it and adds it, removing the oldest member (or
// the worst) once the population exceeds its capacity. Never queries an
// architecture twice (a child already queried is mutated again, then
// replaced by a fresh random architecture, as regularized_evolution does);
// Run returns when the budget or the space is spent. Its answer is the
// non-dominated set of everything it queried (front()), not the population.
class Nsga2 : public ParetoFrontSearch<Nsga2Params> {
 public:
  static absl::StatusOr<std::unique_ptr<Nsga2>> New(const Nsga2Params& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;

 private:
  using ParetoFrontSearch::ParetoFrontSearch;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_NSGA2_NSGA2_H_
