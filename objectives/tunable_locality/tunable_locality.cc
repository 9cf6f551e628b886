#include "objectives/tunable_locality/tunable_locality.h"

#include <numeric>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

constexpr uint64_t kSalt = 0x6e6b5f6c616e6473ULL;  // "nk_lands"

NAS_REGISTER_OBJECTIVE_CLASS(
    "tunable_locality",
    "NK landscape over any space's genes: interactions K = 0 is additive "
    "(smooth), K = num_genes - 1 fully random; values in [0,1) from a seed",
    TunableLocalityObjective, TunableLocalityObjectiveParams);

}  // namespace

absl::StatusOr<std::unique_ptr<TunableLocalityObjective>>
TunableLocalityObjective::New(std::shared_ptr<const SearchSpace> space,
                              const TunableLocalityObjectiveParams& params) {
  if (space == nullptr) {
    return absl::InvalidArgumentError(
        "objective 'tunable_locality' needs a search space");
  }
  const int num_genes = static_cast<int>(space->gene_cardinalities().size());
  if (num_genes < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'tunable_locality': space '", space->name(),
        "' has no genes"));
  }
  if (params.interactions() < 0 || params.interactions() > num_genes - 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'tunable_locality': interactions is ",
        params.interactions(), " but space '", space->name(), "' has ",
        num_genes, " genes, so it must be in 0 .. ", num_genes - 1,
        " (0 = additive/smooth, ", num_genes - 1, " = fully random)"));
  }
  auto objective =
      std::unique_ptr<TunableLocalityObjective>(new TunableLocalityObjective);
  objective->space_ = std::move(space);
  objective->params_ = params;
  objective->num_genes_ = num_genes;
  objective->interactions_ = params.interactions();
  objective->fidelities_ = {{"exact", 0}};
  const uint64_t seed_key = HashCombine(kSalt, params.seed());
  Rng rng(seed_key);
  const int k = params.interactions();
  for (int i = 0; i < num_genes; ++i) {
    objective->gene_keys_.push_back(HashCombine(seed_key, i + 1));
    if (params.partners() == TunableLocalityObjectiveParams::ADJACENT) {
      for (int j = 1; j <= k; ++j) {
        objective->partners_.push_back((i + j) % num_genes);
      }
    } else {
      // The first K of a partial Fisher-Yates shuffle of the other genes.
      std::vector<int> others;
      for (int j = 0; j < num_genes; ++j) {
        if (j != i) others.push_back(j);
      }
      for (int j = 0; j < k; ++j) {
        const int pick = j + static_cast<int>(rng.UniformInt(others.size() - j));
        std::swap(others[j], others[pick]);
        objective->partners_.push_back(others[j]);
      }
    }
  }
  return objective;
}

absl::Span<const int> TunableLocalityObjective::partners(int gene) const {
  return absl::MakeConstSpan(partners_).subspan(
      static_cast<size_t>(gene) * interactions_, interactions_);
}

double TunableLocalityObjective::Value(const Architecture& arch) const {
  double sum = 0;
  const int* partner = partners_.data();
  for (int i = 0; i < num_genes_; ++i) {
    uint64_t h = HashCombine(gene_keys_[i], arch[i]);
    for (int j = 0; j < interactions_; ++j) {
      h = HashCombine(h, arch[*partner++]);
    }
    sum += static_cast<double>(h >> 11) * 0x1.0p-53;
  }
  return sum / num_genes_;
}

Evaluation TunableLocalityObjective::Evaluate(const Architecture& arch,
                                              int /*fidelity*/,
                                              Rng* /*noise*/) const {
  Evaluation e;
  e.valid_error = Value(arch);
  e.test_error = e.valid_error;
  return e;
}

std::unique_ptr<Objective> TunableLocalityObjective::Replicate(
    int replicate) const {
  TunableLocalityObjectiveParams params = params_;
  params.set_seed(params.seed() + static_cast<uint64_t>(replicate));
  auto objective = New(space_, params);  // Valid: these params were.
  return objective.ok() ? std::unique_ptr<Objective>(std::move(*objective))
                        : nullptr;
}

}  // namespace nas
