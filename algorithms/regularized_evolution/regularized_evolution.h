#ifndef NASBENCH_ALGORITHMS_REGULARIZED_EVOLUTION_REGULARIZED_EVOLUTION_H_
#define NASBENCH_ALGORITHMS_REGULARIZED_EVOLUTION_REGULARIZED_EVOLUTION_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/regularized_evolution/regularized_evolution.pb.h"

namespace nas {

// The population of regularized evolution, in age order: a building block
// of RegularizedEvolution, public so tests can check its mechanism.
class EvolutionPopulation {
 public:
  struct Member {
    Architecture arch;
    double valid_error = 0;
    int64_t birth = 0;  // Query order; smaller is older.
  };

  // `capacity` >= 1.
  EvolutionPopulation(int capacity, bool remove_worst)
      : capacity_(capacity), remove_worst_(remove_worst) {}

  // Appends `member` as the youngest. When that exceeds the capacity, the
  // oldest member (or, with remove_worst, the one with the highest error,
  // the oldest of those on a tie) is removed and returned.
  std::optional<Member> Add(const Member& member);

  // Draws `tournament_size` members uniformly with replacement (one
  // rng.UniformInt(size()) each) and returns the one with the lowest error,
  // the first drawn on a tie. Requires a non-empty population.
  const Member& Tournament(int tournament_size, Rng& rng) const;

  // Oldest first.
  const std::deque<Member>& members() const { return members_; }

 private:
  const int capacity_;
  const bool remove_worst_;
  std::deque<Member> members_;
};

// Regularized (aging) evolution. Seeds the population with num_init
// distinct random architectures; then, per query, picks a parent by
// tournament, mutates it once (SearchSpace::Mutate) into a child, queries
// the child and adds it, removing the oldest (or worst) member once the
// population exceeds its capacity.
//
// Never queries an architecture twice. The study's code re-queries (and
// pays for) children it has seen, and its NAS-Bench-201 mutation returns the
// parent unchanged with probability (3/4)^6 = 18%; on a deterministic table
// a repeat teaches nothing, so here a child already queried is replaced by
// another mutation of the same parent (up to max_mutation_attempts), then by
// a fresh random architecture; Run returns when none is left.
class RegularizedEvolution : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<RegularizedEvolution>> New(
      const RegularizedEvolutionParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  // Refuses the proxy options on a benchmark that serves no proxy.
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

  // For tests: called after every child is added, with the population, the
  // parent and the child.
  using Observer = std::function<void(const EvolutionPopulation& population,
                                      const Architecture& parent,
                                      const Architecture& child)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }

 private:
  explicit RegularizedEvolution(const RegularizedEvolutionParams& params)
      : params_(params) {}

  RegularizedEvolutionParams params_;
  Observer observer_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_REGULARIZED_EVOLUTION_REGULARIZED_EVOLUTION_H_
