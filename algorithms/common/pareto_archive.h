#ifndef NASBENCH_ALGORITHMS_COMMON_PARETO_ARCHIVE_H_
#define NASBENCH_ALGORITHMS_COMMON_PARETO_ARCHIVE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "algorithms/algorithm.h"
#include "core/architecture.h"
#include "core/pareto.h"

namespace nas {

// The objectives a multi-objective searcher minimises: the validation error
// first, then visible metrics of the oracle (Oracle::metric_names()).
class ObjectiveSelection {
 public:
  // `metrics` names the visible metrics to optimise; empty: all of them.
  // InvalidArgument naming `param` (the algorithm's parameter), the unknown
  // metric and the visible ones, e.g. when a config asks for "flops" on a
  // benchmark that shows only "energy".
  static absl::StatusOr<ObjectiveSelection> Resolve(
      const Oracle& oracle, absl::Span<const std::string> metrics,
      const std::string& param);
  // The same for a plugin's parameters with a `repeated string objective`.
  template <typename Params>
  static absl::StatusOr<ObjectiveSelection> FromParams(const Oracle& oracle,
                                                       const Params& params) {
    const std::vector<std::string> metrics(params.objective().begin(),
                                           params.objective().end());
    return Resolve(oracle, metrics, "objective");
  }
  // CheckBenchmark's counterpart of FromParams: the names against those
  // the benchmark shows, so a bad `objective` fails at config load.
  template <typename Params>
  static absl::Status CheckParams(const BenchmarkFacts& facts,
                                  const Params& params) {
    const std::vector<std::string> metrics(params.objective().begin(),
                                           params.objective().end());
    return Resolve(facts.metric_names, metrics, "objective").status();
  }
  // The same against the names a benchmark shows (Oracle::metric_names(),
  // BenchmarkFacts::metric_names): what CheckBenchmark uses to refuse a
  // bad `objective` at config load.
  static absl::StatusOr<ObjectiveSelection> Resolve(
      const std::vector<std::string>& visible,
      absl::Span<const std::string> metrics, const std::string& param);

  // "valid_error" and the selected metrics' names, in vector order.
  const std::vector<std::string>& names() const { return names_; }
  // An observation as a point to minimise, in names() order.
  ObjectiveVector Of(const Observation& observation) const;

 private:
  std::vector<std::string> names_;
  std::vector<int> positions_;  // In Observation::metrics.
};

// Architectures whose objective vectors are mutually non-dominated: a point
// enters unless a member dominates it or has the same vector (so ties do
// not grow the archive), and evicts the members it dominates. Members keep
// their order of entry. Once evicted a point can never re-enter (something
// dominating it stays in or is replaced by a point dominating that).
class ParetoArchive {
 public:
  struct Member {
    Architecture arch;
    ObjectiveVector point;
    bool explored = false;  // For Pareto local search.
  };

  // True when `arch` entered.
  bool Insert(const Architecture& arch, const ObjectiveVector& point);

  const std::vector<Member>& members() const { return members_; }
  std::vector<Member>& mutable_members() { return members_; }
  bool empty() const { return members_.empty(); }
  void Clear() { members_.clear(); }

 private:
  std::vector<Member> members_;
};

// The frame the multi-objective searchers share (mo_random_search,
// pareto_local_search, scalarized_local_search, nsga2): parameters with a
// `repeated string objective`, checked against the benchmark before any cell
// runs, and the front a run finds, which is its answer.
template <typename Params>
class ParetoFrontSearch : public Algorithm {
 public:
  // `objective` names only metrics the benchmark shows.
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const final {
    return ObjectiveSelection::CheckParams(facts, params_);
  }

  // After Run(): the non-dominated architectures of everything evaluated.
  const ParetoArchive& front() const { return front_; }

 protected:
  explicit ParetoFrontSearch(const Params& params) : params_(params) {}

  // What Run() starts with: an empty front and the objectives selected on
  // `oracle`.
  absl::StatusOr<ObjectiveSelection> StartRun(const Oracle& oracle) {
    front_.Clear();
    return ObjectiveSelection::FromParams(oracle, params_);
  }

  const Params params_;
  ParetoArchive front_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_PARETO_ARCHIVE_H_
