#ifndef NASBENCH_CORE_ARCHITECTURE_H_
#define NASBENCH_CORE_ARCHITECTURE_H_

#include <array>
#include <cstddef>
#include <cstdint>
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
  std::array<uint8_t, kMaxGenes> genes_{};
  uint8_t size_ = 0;
};

}  // namespace nas

#endif  // NASBENCH_CORE_ARCHITECTURE_H_
