#include "spaces/common/categorical_space.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace nas {

CategoricalSpace::CategoricalSpace(std::vector<int> cardinalities)
    : cardinalities_(std::move(cardinalities)) {
  max_value_.fill(255);
  for (size_t g = 0; g < cardinalities_.size(); ++g) {
    size_ *= cardinalities_[g];
    max_value_[g] = static_cast<uint8_t>(cardinalities_[g] - 1);
    num_neighbors_ += cardinalities_[g] - 1;
  }
  // At least one block: IsValid compares the first unconditionally.
  checked_bytes_ =
      std::max(16, (static_cast<int>(cardinalities_.size()) + 15) / 16 * 16);
}

int64_t CategoricalSpace::ToIndex(const Architecture& arch) const {
  int64_t index = 0;
  for (int g = 0; g < static_cast<int>(cardinalities_.size()); ++g) {
    index = index * cardinalities_[g] + arch[g];
  }
  return index;
}

Architecture CategoricalSpace::FromIndex(int64_t index) const {
  Architecture arch(static_cast<int>(cardinalities_.size()));
  for (int g = static_cast<int>(cardinalities_.size()) - 1; g >= 0; --g) {
    arch[g] = static_cast<uint8_t>(index % cardinalities_[g]);
    index /= cardinalities_[g];
  }
  return arch;
}

absl::Status CategoricalSpace::Validate(const Architecture& arch) const {
  if (arch.size() != cardinalities_.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        ArchitectureNoun(), " has ", cardinalities_.size(), " genes (one ",
        ValueNoun(), " per ", GeneDescription(-1), "), got ", arch.size()));
  }
  for (int g = 0; g < static_cast<int>(cardinalities_.size()); ++g) {
    if (arch[g] >= cardinalities_[g]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "gene ", g, " (", GeneDescription(g), ") is ",
          ValueNoun(), " ", arch[g], "; ", ValueNoun(), "s are numbered 0..",
          cardinalities_[g] - 1));
    }
  }
  return absl::OkStatus();
}

Architecture CategoricalSpace::Sample(Rng& rng) const {
  Architecture arch(static_cast<int>(cardinalities_.size()));
  for (int g = 0; g < static_cast<int>(cardinalities_.size()); ++g) {
    arch[g] = static_cast<uint8_t>(rng.UniformInt(cardinalities_[g]));
  }
  return arch;
}

void CategoricalSpace::Neighbors(const Architecture& arch,
                                 std::vector<Architecture>* out) const {
  // A local copy: `arch` may be one of *out's elements.
  const Architecture base = arch;
  // Sized once (a caller that reuses *out pays no allocation), then each
  // neighbour written whole and one gene rewritten in place: a modified
  // local copy read back whole stalls on store forwarding.
  out->resize(num_neighbors_);
  // Restrict: a gene is a byte, and a byte store may alias anything; without
  // it `base` and the cardinalities are reloaded after every store.
  Architecture* __restrict next = out->data();
  const int num_genes = static_cast<int>(cardinalities_.size());
  for (int g = 0; g < num_genes; ++g) {
    const int current = base[g];
    const int cardinality = cardinalities_[g];
    for (int value = 0; value < cardinality; ++value) {
      if (value == current) continue;
      *next = base;
      (*next)[g] = static_cast<uint8_t>(value);
      ++next;
    }
  }
}

Architecture CategoricalSpace::Mutate(const Architecture& arch,
                                      Rng& rng) const {
  Architecture mutated = arch;
  const int gene = static_cast<int>(rng.UniformInt(cardinalities_.size()));
  const int n = cardinalities_[gene];
  const int shift = 1 + static_cast<int>(rng.UniformInt(n - 1));
  mutated[gene] = static_cast<uint8_t>((arch[gene] + shift) % n);
  return mutated;
}

}  // namespace nas
