#include "algorithms/common/query_cache.h"

namespace nas {

std::pair<uint64_t, int> QueryCache::Key(const Architecture& arch,
                                         int fidelity) const {
  // kFullFidelity and the last index name the same training run.
  if (fidelity == Oracle::kFullFidelity) {
    fidelity = oracle_.num_fidelities() - 1;
  }
  return {oracle_.space().Hash(arch), fidelity};
}

absl::StatusOr<QueryCache::Result> QueryCache::Evaluate(
    const Architecture& arch, int fidelity) {
  const std::pair<uint64_t, int> key = Key(arch, fidelity);
  auto it = values_.find(key);
  if (it != values_.end()) return Result{it->second, /*queried=*/false};
  absl::StatusOr<Observation> obs = oracle_.Query(arch, fidelity);
  if (!obs.ok()) return obs.status();
  values_.emplace(key, obs->valid_error);
  return Result{obs->valid_error, /*queried=*/true};
}

std::optional<double> QueryCache::Find(const Architecture& arch,
                                       int fidelity) const {
  auto it = values_.find(Key(arch, fidelity));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace nas
