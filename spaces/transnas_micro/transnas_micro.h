#ifndef NASBENCH_SPACES_TRANSNAS_MICRO_TRANSNAS_MICRO_H_
#define NASBENCH_SPACES_TRANSNAS_MICRO_TRANSNAS_MICRO_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "spaces/common/categorical_space.h"

namespace nas {

// TransNAS-Bench-101's micro (cell) space (Duan et al., CVPR 2021): a 4-node
// cell whose 6 edges (1<-0 | 2<-0 2<-1 | 3<-0 3<-1 3<-2) each carry one of 4
// ops, so 4^6 = 4,096 cells, stacked in the benchmark's fixed macro skeleton
// "64-41414" (64 base channels, 5 modules). Gene e (0..5) is edge e's op:
//   0 = none (zero), 1 = skip connection, 2 = conv 1x1, 3 = conv 3x3.
//
// Text form: the benchmark's arch string, "64-41414-" followed by the ops
// grouped by target node, e.g. "64-41414-3_13_222" (edge 1<-0 is conv 3x3,
// 2<-0 skip, ...). The dense index reads the 6 digits as a base-4 number
// (first most significant): the lexicographic order of the strings, which is
// the row order of the data's CSVs.
//
// Cells that compute the same function (e.g. ones whose output is cut off by
// "none" edges) are kept distinct, as in the benchmark, which trained all
// 4,096. Neighbours: the 18 cells with one edge's op changed, edge 0 first,
// ops ascending. Sampling is uniform over the 4,096 cells.
class TransnasMicroSpace : public CategoricalSpace {
 public:
  static constexpr int kNumEdges = 6;
  static constexpr int kNumOps = 4;
  static constexpr int kNumArchitectures = 4096;

  static absl::StatusOr<std::unique_ptr<TransnasMicroSpace>> New();

  std::string name() const override { return "transnas_micro"; }
  std::string ToString(const Architecture& arch) const override;
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override;


 protected:
  std::string ArchitectureNoun() const override {
    return "a TransNAS-Bench-101 micro architecture";
  }
  std::string GeneDescription(int gene) const override;
  std::string ValueNoun() const override { return "op"; }
 private:
  TransnasMicroSpace()
      : CategoricalSpace(std::vector<int>(kNumEdges, kNumOps)) {}
};

// Op names by gene value, for messages and documentation.
inline constexpr std::array<absl::string_view, 4> kTransnasMicroOps = {
    "none", "skip_connect", "conv_1x1", "conv_3x3"};

}  // namespace nas

#endif  // NASBENCH_SPACES_TRANSNAS_MICRO_TRANSNAS_MICRO_H_
