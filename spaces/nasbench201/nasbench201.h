#ifndef NASBENCH_SPACES_NASBENCH201_NASBENCH201_H_
#define NASBENCH_SPACES_NASBENCH201_NASBENCH201_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "spaces/common/categorical_space.h"
#include "spaces/encodings/encoder.h"

namespace nas {

// The NAS-Bench-201 cell space (Dong & Yang, ICLR 2020): a 4-node cell whose
// 6 edges (1<-0 | 2<-0 2<-1 | 3<-0 3<-1 3<-2) each carry one of 5 ops, so
// 5^6 = 15,625 architectures. Gene e (0..5) is edge e's op, numbered as in
// kNasbench201Ops (and as in the benchmark's op_e* columns).
//
// The dense index is the benchmark's official one: row i of every
// NAS-Bench-201 table is ToIndex() == i. That order is the authors'
// enumeration shuffled by Python's `random.seed(88); random.shuffle(...)`,
// which this class reproduces exactly (see OfficialOrder()), so the space
// needs no data file to know it.
//
// Neighbours: the 24 architectures that differ in exactly one edge's op, the
// neighbourhood of the local-search study. Sampling is uniform over all
// 15,625 cells.
class Nasbench201Space;

// This space's encodings (nasbench201_encodings.cc); `space` must outlive them.
std::unique_ptr<const SpaceEncodings> NewNasbench201SpaceEncodings(const Nasbench201Space& space);

class Nasbench201Space : public CategoricalSpace {
 public:
  static constexpr int kNumEdges = 6;
  static constexpr int kNumOps = 5;
  static constexpr int kNumArchitectures = 15625;
  static_assert(kNumEdges == 6 && kNumOps == 5,
                "LexicographicIndex and FromLexicographicIndex spell out "
                "the place values 5^5..5^0");

  static absl::StatusOr<std::unique_ptr<Nasbench201Space>> New();

  std::string name() const override { return "nasbench201"; }
  int64_t ToIndex(const Architecture& arch) const override;
  // The seen set asks this of every candidate: the six genes checked at
  // once as bytes of one word (IsValid's generic blocks cost twice as much).
  int64_t IndexIfValid(const Architecture& arch) const override {
    if (arch.size() != kNumEdges) return -1;
    uint64_t word;
    std::memcpy(&word, arch.storage().data(), sizeof(word));
    word &= (uint64_t{1} << (8 * kNumEdges)) - 1;
    // A byte is < kNumOps iff neither it nor it + (128 - kNumOps) has its
    // top bit set; a carry out of a byte comes only from one of 256 -
    // (128 - kNumOps) or more, which is caught by its own top bit.
    constexpr uint64_t kOnes = 0x010101010101;
    const uint64_t sum = word + (128 - kNumOps) * kOnes;
    if (((word | sum) & (0x80 * kOnes)) != 0) return -1;
    return lex_to_official_[LexicographicIndex(arch)];
  }
  Architecture FromIndex(int64_t index) const override;
  std::string ToString(const Architecture& arch) const override;
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override;

  // Position of `arch` in the authors' unshuffled enumeration
  // (CellStructure.gen_all): base-5 digits, edge 0 most significant.
  // Inline: the NAS-Bench-201 objective looks its tables up by it.
  // Written as a sum of independent products, not Horner's chain: every
  // query computes it twice (the seen set's index and the table's row).
  static int LexicographicIndex(const Architecture& arch) {
    return arch[0] * 3125 + arch[1] * 625 + arch[2] * 125 + arch[3] * 25 +
           arch[4] * 5 + arch[5];
  }
  static Architecture FromLexicographicIndex(int lex_index);

  // official index -> lexicographic index, for all 15,625 architectures.
  static const std::vector<int>& OfficialOrder();


 protected:
  std::string ArchitectureNoun() const override {
    return "a NAS-Bench-201 architecture";
  }
  std::string GeneDescription(int gene) const override;
  std::string ValueNoun() const override { return "op"; }
  const SpaceEncodings* encodings() const override {
    return encodings_.get();
  }

 private:
  Nasbench201Space();

  // Both directions of the official order. 16-bit entries (31 KB each)
  // halve what the index conversions of a search loop keep in cache.
  std::array<uint16_t, kNumArchitectures> lex_to_official_;
  std::array<uint16_t, kNumArchitectures> official_to_lex_;
  // Built with the space; its encoders refer back to it.
  std::unique_ptr<const SpaceEncodings> encodings_ =
      NewNasbench201SpaceEncodings(*this);
};

// Op names in gene order: the strings of the official architecture format.
inline constexpr std::array<absl::string_view, 5> kNasbench201Ops = {
    "none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"};

}  // namespace nas

#endif  // NASBENCH_SPACES_NASBENCH201_NASBENCH201_H_
