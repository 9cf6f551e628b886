#include "harness/oracle.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

// Thrown out of Query() to stop an algorithm that ignores refusals: the only
// way to end a loop that never looks at the status it gets.
struct StopRunaway {};

}  // namespace

// What an algorithm receives. Final, and private to BudgetedOracle: a plugin
// cannot name it, and dynamic_cast/typeid on the Oracle& it gets can only
// lead here, where nothing but Observation's fields is reachable. The same
// type in `nas run`, the benchmarks and the conformance suite.
class BudgetedOracle::AlgorithmFacade final : public Oracle {
 public:
  explicit AlgorithmFacade(BudgetedOracle* harness) : harness_(harness) {}

  const SearchSpace& space() const override { return harness_->space(); }
  int num_fidelities() const override { return harness_->num_fidelities(); }
  double fidelity_epochs(int fidelity) const override {
    return harness_->fidelity_epochs(fidelity);
  }
  absl::StatusOr<Observation> Query(const Architecture& arch,
                                    int fidelity) override {
    return harness_->InlineQuery(arch, fidelity);
  }
  bool exhausted() const override { return harness_->exhausted(); }
  int64_t queries_used() const override { return harness_->queries_used(); }
  int64_t query_budget() const override { return harness_->query_budget(); }
  std::vector<std::string> metric_names() const override {
    return harness_->metric_names();
  }
  std::string proxy_name() const override { return harness_->proxy_name(); }
  absl::StatusOr<double> ProxyScore(const Architecture& arch) override {
    if (harness_->proxy_name().empty()) return Oracle::ProxyScore(arch);
    return harness_->ProxyScore(arch);
  }

 private:
  BudgetedOracle* const harness_;
};

BudgetedOracle::BudgetedOracle(const Objective& objective, BudgetLimits limits,
                               Rng noise, const ProxyScorer* proxy)
    : objective_(objective),
      limits_(limits),
      noise_(noise),
      proxy_(proxy),
      space_(objective.space()),
      space_has_symmetries_(space_.HasSymmetries()),
      num_fidelities_(static_cast<int>(objective.fidelities().size())),
      noisy_(objective.is_noisy()) {
  // A query budget fixes how many records there will be: no regrowth in the
  // search loop. Capped so a huge budget does not reserve memory up front.
  constexpr int64_t kMaxReservedRecords = int64_t{1} << 16;
  if (limits_.queries < std::numeric_limits<int64_t>::max()) {
    records_.reserve(static_cast<size_t>(
        std::max<int64_t>(0, std::min(limits_.queries, kMaxReservedRecords))));
  }
  const std::vector<MetricInfo> metrics = objective_.metrics();
  num_metrics_ = metrics.size();
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!metrics[i].visible()) continue;
    visible_metrics_.push_back(static_cast<int>(i));
    visible_metric_names_.push_back(metrics[i].name);
  }
}

double BudgetedOracle::fidelity_epochs(int fidelity) const {
  return objective_.fidelities()[fidelity].epochs;
}

bool BudgetedOracle::exhausted() const {
  return queries_used() >= limits_.queries || seconds_used_ >= limits_.seconds;
}

void BudgetedOracle::CountRefusal() {
  if (refused_after_budget_ + invalid_queries_ > limits_.max_refused_queries) {
    stopped_runaway_ = true;
    throw StopRunaway{};
  }
}

void BudgetedOracle::NoteInvalid(std::string description) {
  if (first_invalid_.empty()) first_invalid_ = std::move(description);
  ++invalid_queries_;
  CountRefusal();
}

absl::Status BudgetedOracle::RefuseAfterBudget() {
  ++refused_after_budget_;
  CountRefusal();
  return absl::ResourceExhaustedError(absl::StrCat(
      "budget spent after ", queries_used(), " queries and ", seconds_used_,
      " simulated seconds"));
}

absl::Status BudgetedOracle::RefuseArchitecture(const Architecture& arch) {
  if (absl::Status valid = space_.Validate(arch); !valid.ok()) {
    NoteInvalid(absl::StrCat("invalid ", arch.DebugString(), " (",
                             valid.message(), ")"));
    return absl::InvalidArgumentError(absl::StrCat(
        "the algorithm queried an invalid architecture ", arch.DebugString(),
        ": ", valid.message()));
  }
  if (!(space_.Canonicalize(arch) == arch)) {
    NoteInvalid(absl::StrCat("non-canonical ", arch.DebugString(),
                             " (its canonical form is ",
                             space_.Canonicalize(arch).DebugString(), ")"));
    return absl::InvalidArgumentError(absl::StrCat(
        "the algorithm queried a non-canonical architecture ",
        arch.DebugString(), "; pass it through SearchSpace::Canonicalize"));
  }
  // IsValid disagreed with Validate (a bug in the space): Validate decides.
  return absl::OkStatus();
}

std::string BudgetedOracle::proxy_name() const {
  return proxy_ == nullptr ? std::string() : proxy_->name();
}

absl::StatusOr<double> BudgetedOracle::ProxyScore(const Architecture& arch) {
  if (proxy_ == nullptr) {
    return absl::FailedPreconditionError(
        "no proxy configured for this benchmark");
  }
  // Free, but not a way to keep running after the budget: the run is over.
  if (exhausted()) return RefuseAfterBudget();
  if (!PassesCheapChecks(arch)) {
    if (absl::Status s = RefuseArchitecture(arch); !s.ok()) return s;
  }
  ++proxy_scores_;
  return proxy_->Score(arch);
}

absl::StatusOr<Observation> BudgetedOracle::Query(const Architecture& arch,
                                                  int fidelity) {
  return InlineQuery(arch, fidelity);
}

absl::StatusOr<Observation> BudgetedOracle::InlineQuery(
    const Architecture& arch, int fidelity) {
  // Every refusal and error, with its message, is out of line: the query
  // path keeps a small frame (no string buffers, no stack canary).
  if (ABSL_PREDICT_FALSE(exhausted())) return RefuseAfterBudget();
  if (ABSL_PREDICT_FALSE(!PassesCheapChecks(arch))) {
    if (absl::Status s = RefuseArchitecture(arch); !s.ok()) return s;
  }
  const int num = num_fidelities();
  if (fidelity == Oracle::kFullFidelity) fidelity = num - 1;
  if (ABSL_PREDICT_FALSE(fidelity < 0 || fidelity >= num)) {
    return FidelityOutOfRange(fidelity);
  }
  // Built in place in the records (reserved for the budget).
  QueryRecord& record = records_.emplace_back(
      arch, fidelity,
      [&] {
        return objective_.Evaluate(arch, fidelity, noisy_ ? &noise_ : nullptr);
      },
      0.0);
  if (ABSL_PREDICT_FALSE(record.evaluation.metrics.size() != num_metrics_)) {
    return DropMalformedRecord();
  }
  seconds_used_ += record.evaluation.cost_seconds;
  record.cumulative_seconds = seconds_used_;
  Observation observation{record.evaluation.valid_error,
                          record.evaluation.cost_seconds, {}};
  if (!visible_metrics_.empty()) {
    observation.metrics.reserve(visible_metrics_.size());
    for (int i : visible_metrics_) {
      observation.metrics.push_back(record.evaluation.metrics[i]);
    }
  }
  return observation;
}

bool BudgetedOracle::IsCanonical(const Architecture& arch) const {
  return space_.Canonicalize(arch) == arch;
}

absl::Status BudgetedOracle::FidelityOutOfRange(int fidelity) const {
  return absl::InvalidArgumentError(
      absl::StrCat("fidelity ", fidelity,
                   " is out of range; the objective has ", num_fidelities()));
}

absl::Status BudgetedOracle::DropMalformedRecord() {
  // A bug in the objective, not the algorithm's: nothing is charged.
  const QueryRecord record = std::move(records_.back());
  records_.pop_back();
  return absl::InternalError(
      absl::StrCat("objective '", objective_.name(), "' returned ",
                   record.evaluation.metrics.size(), " metric values for ",
                   record.arch.DebugString(), " but declares ", num_metrics_,
                   " in metrics(); fix the objective"));
}

absl::Status RunAlgorithm(Algorithm& algorithm, BudgetedOracle& oracle,
                          Rng& rng) {
  BudgetedOracle::AlgorithmFacade facade(&oracle);
  try {
    return algorithm.Run(facade, rng);
  } catch (const StopRunaway&) {
    return absl::AbortedError(absl::StrCat(
        "stopped by the harness after ",
        oracle.refused_after_budget() + oracle.invalid_queries(),
        " refused queries (", oracle.refused_after_budget(),
        " after the budget, ", oracle.invalid_queries(),
        " invalid); on ResourceExhausted Run() must return OK, on any other "
        "error return it"));
  }
}

}  // namespace nas
