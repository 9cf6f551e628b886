#ifndef NASBENCH_ALGORITHMS_COMMON_QUERY_CACHE_H_
#define NASBENCH_ALGORITHMS_COMMON_QUERY_CACHE_H_

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "core/architecture.h"

namespace nas {

// Remembers every answer an algorithm has had from its Oracle, keyed by
// (space hash, fidelity), so that it never pays twice for the same training
// run: the Oracle charges every call, repeats included, and the objectives
// our algorithms meet are deterministic tables. (On a noisy objective a
// repeat would be a fresh sample; algorithms that want one call the Oracle
// themselves.)
class QueryCache {
 public:
  // `oracle` must outlive the cache.
  explicit QueryCache(Oracle& oracle) : oracle_(oracle) {}

  struct Result {
    double valid_error = 0;
    bool queried = false;  // True when this call cost a query.
  };

  // The cached validation error of `arch` (valid, canonical) at `fidelity`,
  // or a new query's. Errors (ResourceExhausted once the budget is spent)
  // come from the Oracle unchanged.
  absl::StatusOr<Result> Evaluate(const Architecture& arch,
                                  int fidelity = Oracle::kFullFidelity);

  // The cached value, without querying.
  std::optional<double> Find(const Architecture& arch,
                             int fidelity = Oracle::kFullFidelity) const;
  bool Contains(const Architecture& arch,
                int fidelity = Oracle::kFullFidelity) const {
    return Find(arch, fidelity).has_value();
  }

  // Distinct (architecture, fidelity) pairs queried through this cache.
  int64_t size() const { return static_cast<int64_t>(values_.size()); }

 private:
  std::pair<uint64_t, int> Key(const Architecture& arch, int fidelity) const;

  Oracle& oracle_;
  absl::flat_hash_map<std::pair<uint64_t, int>, double> values_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_QUERY_CACHE_H_
