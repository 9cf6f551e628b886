#include "core/architecture.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace nas {

Architecture::Architecture(int num_genes) {
  if (num_genes < 0 || num_genes > kMaxGenes) {
    std::fprintf(stderr, "Architecture: %d genes, capacity is %d\n", num_genes,
                 kMaxGenes);
    std::abort();
  }
  size_ = static_cast<uint8_t>(num_genes);
}

void Architecture::AbortBadPackedSize(int num_genes) {
  std::fprintf(stderr,
               "Architecture::FromPackedGenes: %d genes, a word packs 0 to 8\n",
               num_genes);
  std::abort();
}

Architecture::Architecture(std::initializer_list<int> genes)
    : Architecture(static_cast<int>(genes.size())) {
  int i = 0;
  for (int g : genes) genes_[i++] = static_cast<uint8_t>(g);
}

Architecture::Architecture(absl::Span<const uint8_t> genes)
    : Architecture(static_cast<int>(genes.size())) {
  std::copy(genes.begin(), genes.end(), genes_.begin());
}

uint64_t Architecture::GeneHash() const {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](uint8_t byte) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  };
  mix(size_);
  for (int i = 0; i < size_; ++i) mix(genes_[i]);
  return h;
}

std::string Architecture::DebugString() const {
  std::string out = "[";
  for (int i = 0; i < size_; ++i) {
    if (i > 0) out += ",";
    out += std::to_string(genes_[i]);
  }
  return out + "]";
}

// A plain loop: genes are few, and the call to memcmp that std::equal
// became cost more than the comparison (the oracle compares every query
// with its canonical form).
bool operator==(const Architecture& a, const Architecture& b) {
  if (a.size_ != b.size_) return false;
  for (int i = 0; i < a.size_; ++i) {
    if (a.genes_[i] != b.genes_[i]) return false;
  }
  return true;
}

bool operator<(const Architecture& a, const Architecture& b) {
  return std::lexicographical_compare(
      a.genes_.begin(), a.genes_.begin() + a.size_, b.genes_.begin(),
      b.genes_.begin() + b.size_);
}

}  // namespace nas
