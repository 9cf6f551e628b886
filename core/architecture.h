#ifndef NASBENCH_CORE_ARCHITECTURE_H_
#define NASBENCH_CORE_ARCHITECTURE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>

#include "absl/types/span.h"

namespace nas {

// An architecture is a short sequence of small integer decisions ("genes")
// whose meaning belongs to its search space: NAS-Bench-201 uses 6 genes (one
// op per edge), NAS-Bench-101 its adjacency bits and vertex ops, DARTS the
// (input, op) choices of each node. A fixed-capacity value type: copying one
// never allocates, which matters in the inner loops of search and landscape
// analysis. Equality is gene-wise; spaces with symmetries (isomorphic graphs,
// unordered node inputs) expose a canonical form and a hash of it.
class Architecture {
 public:
  static constexpr int kMaxGenes = 48;

  Architecture() = default;
  explicit Architecture(int num_genes);
  Architecture(std::initializer_list<int> genes);
  explicit Architecture(absl::Span<const uint8_t> genes);

  // An architecture of `num_genes` (0 to 8) genes whose values are packed
  // one per byte of `packed`, gene 0 in the lowest; bytes past num_genes are
  // ignored. Written as whole 16-byte blocks: a copy made right after (a
  // returned value moved into an optional) reads it back without a
  // store-forwarding stall, which byte-by-byte construction causes.
  static Architecture FromPackedGenes(uint64_t packed, int num_genes) {
    if (num_genes < 0 || num_genes > 8) AbortBadPackedSize(num_genes);
    if (num_genes < 8) packed &= (uint64_t{1} << (8 * num_genes)) - 1;
    // Two words per block, built in a register (movq on x86-64).
    using Block = uint64_t __attribute__((vector_size(16)));
    static_assert(kMaxGenes == 48, "three blocks of storage");
    const Block first = {packed, 0};
    const Block zero = {0, 0};
    Architecture arch;
    std::memcpy(arch.genes_.data(), &first, sizeof(Block));
    std::memcpy(arch.genes_.data() + 16, &zero, sizeof(Block));
    std::memcpy(arch.genes_.data() + 32, &zero, sizeof(Block));
    arch.size_ = static_cast<uint8_t>(num_genes);
    return arch;
  }

  int size() const { return size_; }
  uint8_t operator[](int i) const { return genes_[i]; }
  uint8_t& operator[](int i) { return genes_[i]; }
  absl::Span<const uint8_t> genes() const { return {genes_.data(), size_}; }
  // All kMaxGenes bytes of storage: the genes, then padding of unspecified
  // value. For fixed-width (vectorised) checks that ignore the padding.
  const std::array<uint8_t, kMaxGenes>& storage() const { return genes_; }

  // Gene-wise hash (FNV-1a): stable across runs and platforms, unlike
  // absl::Hash, so it may reach stored results.
  uint64_t GeneHash() const;

  // "[3,3,4,1,3,1]": for debugging; spaces print their own formats.
  std::string DebugString() const;

  friend bool operator==(const Architecture& a, const Architecture& b);
  friend bool operator!=(const Architecture& a, const Architecture& b) {
    return !(a == b);
  }
  friend bool operator<(const Architecture& a, const Architecture& b);

  template <typename H>
  friend H AbslHashValue(H h, const Architecture& a) {
    return H::combine(std::move(h), a.genes());
  }

 private:
  [[noreturn]] static void AbortBadPackedSize(int num_genes);

  std::array<uint8_t, kMaxGenes> genes_{};
  uint8_t size_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_CORE_ARCHITECTURE_H_
