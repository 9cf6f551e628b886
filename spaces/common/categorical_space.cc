#include "spaces/common/categorical_space.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace nas {

CategoricalSpace::CategoricalSpace(std::vector<int> cardinalities)
    : cardinalities_(std::move(cardinalities)) {
  max_value_.fill(255);
  for (size_t g = 0; g < cardinalities_.size(); ++g) {
    size_ *= cardinalities_[g];
    max_value_[g] = static_cast<uint8_t>(cardinalities_[g] - 1);
  }
  checked_bytes_ = (static_cast<int>(cardinalities_.size()) + 15) / 16 * 16;
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
  out->clear();
  for (int g = 0; g < static_cast<int>(cardinalities_.size()); ++g) {
    for (int value = 0; value < cardinalities_[g]; ++value) {
      if (value == arch[g]) continue;
      // Copy, then write the gene in place: a modified local copy read
      // back whole stalls on store forwarding (10% of a local-search cell).
      out->push_back(arch);
      out->back()[g] = static_cast<uint8_t>(value);
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
