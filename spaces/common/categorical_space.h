#ifndef NASBENCH_SPACES_COMMON_CATEGORICAL_SPACE_H_
#define NASBENCH_SPACES_COMMON_CATEGORICAL_SPACE_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "spaces/search_space.h"

namespace nas {

// A search space that is the full product of categorical genes (gene g takes
// values 0 .. cardinality(g) - 1): NAS-Bench-201, TransNAS-Bench-101 micro,
// NAS-Bench-Macro, and any small space a user writes. Gives every such space
// the same validation, uniform sampling, one-gene neighbourhood (gene 0
// first, values ascending), mutation, and a dense index that reads the genes
// as a mixed-radix number, gene 0 most significant. A space adds its name,
// text form and gene descriptions, and overrides ToIndex/FromIndex when its
// benchmark orders architectures otherwise (NAS-Bench-201).
class CategoricalSpace : public SearchSpace {
 public:
  absl::Span<const int> gene_cardinalities() const final {
    return cardinalities_;
  }
  absl::uint128 Size() const final { return size_; }
  bool IsIndexable() const override { return true; }
  int64_t ToIndex(const Architecture& arch) const override;
  Architecture FromIndex(int64_t index) const override;
  absl::Status Validate(const Architecture& arch) const final;
  // Inline: IndexIfValid below calls it directly.
  bool IsValid(const Architecture& arch) const final {
    if (arch.size() != static_cast<int>(cardinalities_.size())) return false;
    // 16 genes at a time (GCC/Clang vector extensions: SSE2 on x86-64), no
    // branch per gene: the oracle and the seen set check every query.
    using Bytes = uint8_t __attribute__((vector_size(16)));
    static_assert(Architecture::kMaxGenes % 16 == 0, "whole blocks of storage");
    // The first block without a loop: most spaces have at most 16 genes.
    Bytes genes, limits;
    std::memcpy(&genes, arch.storage().data(), sizeof(Bytes));
    std::memcpy(&limits, max_value_.data(), sizeof(Bytes));
    Bytes too_large = genes > limits;
    for (int offset = 16; offset < checked_bytes_; offset += 16) {
      std::memcpy(&genes, arch.storage().data() + offset, sizeof(Bytes));
      std::memcpy(&limits, max_value_.data() + offset, sizeof(Bytes));
      too_large |= genes > limits;
    }
    uint64_t halves[2];
    std::memcpy(halves, &too_large, sizeof(halves));
    return (halves[0] | halves[1]) == 0;
  }
  int64_t IndexIfValid(const Architecture& arch) const override {
    return IsValid(arch) ? ToIndex(arch) : -1;
  }
  // Every product of gene values is a distinct architecture.
  Architecture Canonicalize(const Architecture& arch) const final {
    return arch;
  }
  bool HasSymmetries() const final { return false; }
  uint64_t Hash(const Architecture& arch) const final {
    return static_cast<uint64_t>(ToIndex(arch));
  }
  Architecture Sample(Rng& rng) const final;
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const final;
  // A uniformly chosen gene set to a uniformly chosen other value (uniform
  // over the neighbours when all genes have the same cardinality).
  Architecture Mutate(const Architecture& arch, Rng& rng) const final;

 protected:
  // `cardinalities`: each at least 2 and at most 256 (genes are bytes);
  // their product fits in int64.
  explicit CategoricalSpace(std::vector<int> cardinalities);

  // For messages: what the space's architectures are called ("a
  // NAS-Bench-201 architecture"), what gene g is ("edge 1<-0"), and what its
  // values are ("op").
  virtual std::string ArchitectureNoun() const = 0;
  virtual std::string GeneDescription(int gene) const = 0;
  virtual std::string ValueNoun() const = 0;

 private:
  std::vector<int> cardinalities_;
  // Gene g's largest value, then 255 (any padding passes): IsValid compares
  // whole storage blocks without a loop over the genes.
  std::array<uint8_t, Architecture::kMaxGenes> max_value_;
  // Bytes of storage IsValid compares: the genes rounded up to 16, at
  // least 16.
  int checked_bytes_ = 0;
  // Sum over genes of (cardinality - 1): every architecture's neighbours.
  size_t num_neighbors_ = 0;

  absl::uint128 size_ = 1;
};

}  // namespace nas

#endif  // NASBENCH_SPACES_COMMON_CATEGORICAL_SPACE_H_
