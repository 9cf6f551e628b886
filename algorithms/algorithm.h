#ifndef NASBENCH_ALGORITHMS_ALGORITHM_H_
#define NASBENCH_ALGORITHMS_ALGORITHM_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/architecture.h"
#include "core/random.h"
#include "core/registry.h"
#include "google/protobuf/message.h"
#include "spaces/search_space.h"

namespace nas {

// What a searcher learns from one query: never test metrics.
struct Observation {
  double valid_error = 0;
  double cost_seconds = 0;
  // The objective's visible extra metrics (parameters, FLOPs, energy...),
  // in Oracle::metric_names() order, each lower-is-better (a higher-is-
  // better metric arrives negated). Hidden metrics never appear.
  std::vector<double> metrics;
};

// The only door between an algorithm and the benchmark. The harness owns the
// implementation: it checks each architecture, charges the budget, records
// every query (with the test metrics the algorithm never sees) and refuses
// once the budget is spent. Every call is charged, repeats included, as a
// real training run would be: algorithms remember what they have seen.
class Oracle {
 public:
  static constexpr int kFullFidelity = -1;

  virtual ~Oracle() = default;

  virtual const SearchSpace& space() const = 0;

  // Number of fidelities the objective offers (>= 1); index
  // num_fidelities() - 1 is the full fidelity.
  virtual int num_fidelities() const = 0;
  virtual double fidelity_epochs(int fidelity) const = 0;

  // Trains (looks up) `arch` at `fidelity` (kFullFidelity for the last).
  // ResourceExhausted once the budget is spent: the algorithm must then
  // return. InvalidArgument for an invalid architecture (a bug in the
  // algorithm; the cell is recorded as failed).
  virtual absl::StatusOr<Observation> Query(const Architecture& arch,
                                            int fidelity = kFullFidelity) = 0;

  // True when no further query will be accepted.
  virtual bool exhausted() const = 0;
  virtual int64_t queries_used() const = 0;
  // The query budget (INT64_MAX when only time is budgeted).
  virtual int64_t query_budget() const = 0;

  // Names of the metrics each Observation carries beside the validation
  // error (Observation::metrics), in order; empty when the objective shows
  // none.
  virtual std::vector<std::string> metric_names() const { return {}; }

  // The zero-cost proxy the harness serves on this benchmark (the config's
  // `proxy { name: ... }`), or empty when none is configured.
  virtual std::string proxy_name() const { return std::string(); }

  // A second, free channel: the proxy's score of `arch`, higher predicting
  // better. Never charged to the budget, never a metric of the benchmark
  // (it is computed from the untrained network alone), counted separately.
  // FailedPrecondition when no proxy is configured; InvalidArgument for an
  // invalid or non-canonical architecture; ResourceExhausted once the
  // budget is spent (the run is over).
  virtual absl::StatusOr<double> ProxyScore(const Architecture& arch) {
    (void)arch;
    return absl::FailedPreconditionError(
        "no proxy configured: add `proxy { name: \"synflow\" }` (or another "
        "proxy `nas list` shows) to the benchmark in the experiment config");
  }
};

// What an algorithm may check about a benchmark before any cell runs.
struct BenchmarkFacts {
  const SearchSpace* space = nullptr;
  // Epochs of each fidelity, cheapest first; the last is the full fidelity.
  std::vector<double> fidelity_epochs;
  // The proxy the oracle serves (Oracle::proxy_name()); empty for none.
  std::string proxy;
  // The visible metrics observations carry (Oracle::metric_names()), so
  // that a parameter naming a metric is checked before any cell runs.
  std::vector<std::string> metric_names;
};

// A NAS algorithm. Run() searches until Query() returns ResourceExhausted
// (then returns OK) or until nothing is left to query (a space smaller than
// the budget). Any other non-OK status ends the cell as failed.
//
// One instance runs one cell: it may keep state in members. `rng` is the
// cell's own stream; an algorithm draws every random number from it and from
// nothing else, so a cell is reproducible from its seed.
class Algorithm {
 public:
  Algorithm() = default;
  Algorithm(const Algorithm&) = delete;
  Algorithm& operator=(const Algorithm&) = delete;
  virtual ~Algorithm() = default;

  virtual absl::Status Run(Oracle& oracle, Rng& rng) = 0;

  // Called by the harness for each benchmark before anything runs or is
  // written: InvalidArgument, naming the parameter, when this algorithm
  // with its parameters cannot run there (e.g. a fidelity index the
  // objective does not have), so a bad config fails at once instead of in
  // every cell. Must not depend on anything but `facts` and the parameters.
  virtual absl::Status CheckBenchmark(const BenchmarkFacts& facts) const {
    (void)facts;
    return absl::OkStatus();
  }
};

// `archs` in descending proxy score (equal scores keep their order), scored
// through the oracle's free proxy channel.
inline absl::StatusOr<std::vector<Architecture>> SortByProxyScore(
    Oracle& oracle, std::vector<Architecture> archs) {
  std::vector<std::pair<double, size_t>> ranked;
  for (size_t i = 0; i < archs.size(); ++i) {
    absl::StatusOr<double> score = oracle.ProxyScore(archs[i]);
    if (!score.ok()) return score.status();
    ranked.push_back({*score, i});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Architecture> sorted;
  sorted.reserve(archs.size());
  for (const auto& entry : ranked) sorted.push_back(std::move(archs[entry.second]));
  return sorted;
}

// True for the status an Oracle returns once the budget is spent.
inline bool IsBudgetExhausted(const absl::Status& status) {
  return absl::IsResourceExhausted(status);
}

// What Run() returns after a step that failed with `status`: the budget
// running out ends a search normally (OK); anything else fails the cell.
inline absl::Status FinishRun(const absl::Status& status) {
  return IsBudgetExhausted(status) ? absl::OkStatus() : status;
}

using AlgorithmFactory =
    std::function<absl::StatusOr<std::unique_ptr<Algorithm>>(
        const google::protobuf::Message* params)>;
using AlgorithmRegistry = Registry<AlgorithmFactory>;

inline AlgorithmRegistry& GlobalAlgorithmRegistry() {
  return AlgorithmRegistry::Global("algorithm");
}

// The factory of an algorithm class with a static
//   absl::StatusOr<std::unique_ptr<Impl>> Impl::New(const Params& params)
// that validates its parameters: it receives the configured parameters, or
// Params' defaults when the config gives none.
template <typename Impl, typename Params>
absl::StatusOr<std::unique_ptr<Algorithm>> TypedAlgorithmFactory(
    const google::protobuf::Message* params) {
  return AsPluginInterface<Algorithm>(
      Impl::New(ParamsOrDefaults<Params>(params)));
}

// The same for a plain function
//   absl::StatusOr<std::unique_ptr<Algorithm>> New(const Params& params)
// when the plugin needs no class of its own (e.g. it configures a shared
// one).
template <typename Params,
          absl::StatusOr<std::unique_ptr<Algorithm>> (*New)(const Params&)>
absl::StatusOr<std::unique_ptr<Algorithm>> FunctionAlgorithmFactory(
    const google::protobuf::Message* params) {
  return New(ParamsOrDefaults<Params>(params));
}

// The algorithm registered as `name`, built from `params` (nullptr: its
// defaults) as the harness builds it. Lets a plugin keep its class in its .cc
// file: tests reach it by name, exactly as configs do.
inline absl::StatusOr<std::unique_ptr<Algorithm>> NewRegisteredAlgorithm(
    absl::string_view name, const google::protobuf::Message* params = nullptr) {
  auto entry = GlobalAlgorithmRegistry().Find(name);
  if (!entry.ok()) return entry.status();
  const google::protobuf::Message* prototype = (*entry)->params_prototype;
  if (params != nullptr &&
      (prototype == nullptr ||
       params->GetDescriptor() != prototype->GetDescriptor())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "algorithm '", name, "' takes ",
        prototype == nullptr ? std::string("no parameters")
                             : prototype->GetDescriptor()->full_name(),
        ", not ", params->GetDescriptor()->full_name()));
  }
  return (*entry)->factory(params);
}

// Registers an algorithm from its own .cc file. The factory validates its
// parameters and returns InvalidArgument naming the bad field.
#define NAS_REGISTER_ALGORITHM(name, description, params_prototype, factory) \
  static ::nas::PluginRegistrar NAS_INTERNAL_UNIQUE_NAME(                    \
      nas_algorithm_registrar_)([] {                                         \
    ::nas::GlobalAlgorithmRegistry().Register(                               \
        {name, description, params_prototype, factory, __FILE__});           \
  })

// Registers an algorithm class and its parameter message, with no adapter:
//   NAS_REGISTER_ALGORITHM_CLASS("random_search", "Uniformly random ...",
//                                RandomSearch, RandomSearchParams);
#define NAS_REGISTER_ALGORITHM_CLASS(name, description, Impl, Params) \
  NAS_REGISTER_ALGORITHM(name, description, &Params::default_instance(), \
                         (&::nas::TypedAlgorithmFactory<Impl, Params>))

// Registers a factory function of a parameter message, with no adapter:
//   NAS_REGISTER_ALGORITHM_FUNCTION("dngo", "DNGO: ...", DngoParams, NewDngo);
#define NAS_REGISTER_ALGORITHM_FUNCTION(name, description, Params, New)  \
  NAS_REGISTER_ALGORITHM(name, description, &Params::default_instance(), \
                         (&::nas::FunctionAlgorithmFactory<Params, New>))

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_ALGORITHM_H_
