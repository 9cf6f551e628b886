#ifndef NASBENCH_HARNESS_ORACLE_H_
#define NASBENCH_HARNESS_ORACLE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "objectives/objective.h"

namespace nas {

// One query as the harness records it (test metrics included).
struct QueryRecord {
  QueryRecord() = default;
  // Lets the oracle build a record in place, the evaluation made by
  // `evaluate()` straight into it (guaranteed elision). Filling a temporary
  // and moving it in would read back, in wide copies, the narrow stores
  // just made (the architecture's size, the fidelity): a store-forwarding
  // stall a query.
  template <
      typename Evaluate,
      typename = std::enable_if_t<std::is_invocable_r_v<Evaluation, Evaluate&>>>
  QueryRecord(const Architecture& arch, int fidelity, Evaluate&& evaluate,
              double cumulative_seconds)
      : arch(arch),
        fidelity(fidelity),
        evaluation(evaluate()),
        cumulative_seconds(cumulative_seconds) {}

  Architecture arch;
  int fidelity = 0;
  Evaluation evaluation;
  double cumulative_seconds = 0;
};

struct BudgetLimits {
  int64_t queries = std::numeric_limits<int64_t>::max();
  double seconds = std::numeric_limits<double>::infinity();
  // Refused queries (after the budget, or of invalid architectures) after
  // which the oracle stops an algorithm that ignores the refusals; RunAlgorithm
  // then returns Aborted. Unlimited by default (`nas run` keeps the old
  // behaviour); the conformance suite sets it so a runaway cannot hang it.
  int64_t max_refused_queries = std::numeric_limits<int64_t>::max();
};

// A zero-cost proxy as the oracle serves it: one per benchmark, shared by
// the cells running at once (thread-safe), and a pure function of the
// architecture, so cells stay reproducible whatever the thread count.
class ProxyScorer {
 public:
  virtual ~ProxyScorer() = default;
  virtual const std::string& name() const = 0;
  // The score of a valid, canonical architecture of the scorer's space.
  virtual absl::StatusOr<double> Score(const Architecture& arch) const = 0;
};

// The harness's side of a run: it validates each architecture, charges the
// budget, evaluates the objective and records the whole query (test metrics
// included), and keeps count of what the algorithm attempted.
//
// Deliberately not an Oracle: an algorithm never receives this object. It
// receives a facade (RunAlgorithm) that forwards only what Observation
// carries, so no cast of the Oracle an algorithm gets leads to the records.
class BudgetedOracle final {
 public:
  // `objective` (and `proxy`, which may be null: no proxy) must outlive the
  // oracle. `noise` feeds noisy objectives.
  BudgetedOracle(const Objective& objective, BudgetLimits limits, Rng noise,
                 const ProxyScorer* proxy = nullptr);

  const SearchSpace& space() const { return space_; }
  int num_fidelities() const { return num_fidelities_; }
  double fidelity_epochs(int fidelity) const;
  absl::StatusOr<Observation> Query(const Architecture& arch, int fidelity);
  // The objective's visible metrics, which observations carry; hidden
  // ones stay in the records only.
  const std::vector<std::string>& metric_names() const {
    return visible_metric_names_;
  }
  bool exhausted() const;
  int64_t queries_used() const { return static_cast<int64_t>(records_.size()); }
  int64_t query_budget() const { return limits_.queries; }

  // The proxy channel: free, not recorded among the queries. Refused like a
  // query once the budget is spent or for an invalid architecture.
  std::string proxy_name() const;
  absl::StatusOr<double> ProxyScore(const Architecture& arch);
  // Proxy scores served (repeats included).
  int64_t proxy_scores() const { return proxy_scores_; }

  const std::vector<QueryRecord>& records() const { return records_; }
  std::vector<QueryRecord> TakeRecords() { return std::move(records_); }

  // Queries made after the budget was spent (each answered
  // ResourceExhausted). A conforming algorithm makes at most one: the one
  // that tells it the budget is gone.
  int64_t refused_after_budget() const { return refused_after_budget_; }
  // Invalid or non-canonical architectures queried (each answered
  // InvalidArgument), and the first of them described.
  int64_t invalid_queries() const { return invalid_queries_; }
  const std::string& first_invalid() const { return first_invalid_; }
  // True once the oracle stopped the algorithm (max_refused_queries).
  bool stopped_runaway() const { return stopped_runaway_; }

 private:
  // What an algorithm receives (oracle.cc): private, so no plugin can name
  // it, and nothing it reaches leads back to the records.
  class AlgorithmFacade;
  friend absl::Status RunAlgorithm(Algorithm& algorithm, BudgetedOracle& oracle,
                                   Rng& rng);

  // Query()'s body, which the facade inlines: one call a query fewer.
  ABSL_ATTRIBUTE_ALWAYS_INLINE inline absl::StatusOr<Observation> InlineQuery(
      const Architecture& arch, int fidelity);
  // Counts a refusal; throws (caught by RunAlgorithm) once there are too
  // many.
  void CountRefusal();
  void NoteInvalid(std::string description);
  // The space's cheap checks of `arch` (valid and canonical), no message.
  bool PassesCheapChecks(const Architecture& arch) const {
    return space_.IsValid(arch) &&
           (!space_has_symmetries_ || IsCanonical(arch));
  }
  // Out of line: its copy of an architecture would give every query's
  // frame a stack canary.
  ABSL_ATTRIBUTE_NOINLINE bool IsCanonical(const Architecture& arch) const;
  // For an `arch` that failed them: the refusal (counted), or OK when
  // IsValid disagreed with Validate (a bug in the space: Validate decides).
  ABSL_ATTRIBUTE_NOINLINE absl::Status RefuseArchitecture(
      const Architecture& arch);
  ABSL_ATTRIBUTE_NOINLINE absl::Status FidelityOutOfRange(int fidelity) const;
  // For a record whose objective returned the wrong number of metrics:
  // removes it (nothing is charged) and describes the objective's bug.
  ABSL_ATTRIBUTE_NOINLINE absl::Status DropMalformedRecord();
  absl::Status RefuseAfterBudget();

  const Objective& objective_;
  const BudgetLimits limits_;
  Rng noise_;
  const ProxyScorer* const proxy_;
  // The objective's, asked once: an objective is immutable.
  const SearchSpace& space_;
  const bool space_has_symmetries_;
  const int num_fidelities_;
  const bool noisy_;
  // Positions in Objective::metrics() of the visible ones, and their names.
  std::vector<int> visible_metrics_;
  std::vector<std::string> visible_metric_names_;
  size_t num_metrics_ = 0;
  int64_t proxy_scores_ = 0;
  double seconds_used_ = 0;
  std::vector<QueryRecord> records_;
  int64_t refused_after_budget_ = 0;
  int64_t invalid_queries_ = 0;
  std::string first_invalid_;
  bool stopped_runaway_ = false;
};

// Runs `algorithm` on `oracle`: the one way the harness (runner, conformance
// suite, benchmarks) lets an algorithm search. The algorithm sees a final
// Oracle of a type private to oracle.cc that forwards to `oracle`; a run
// stopped for ignoring refusals returns Aborted.
absl::Status RunAlgorithm(Algorithm& algorithm, BudgetedOracle& oracle,
                          Rng& rng);

}  // namespace nas

#endif  // NASBENCH_HARNESS_ORACLE_H_
