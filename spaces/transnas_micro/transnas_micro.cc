#include "spaces/transnas_micro/transnas_micro.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

// The micro space's fixed macro skeleton, the prefix of every arch string.
constexpr absl::string_view kSkeleton = "64-41414-";

// The (target node, source node) of each gene, in the string's edge order.
constexpr int kEdgeTarget[TransnasMicroSpace::kNumEdges] = {1, 2, 2, 3, 3, 3};
constexpr int kEdgeSource[TransnasMicroSpace::kNumEdges] = {0, 0, 1, 0, 1, 2};

NAS_REGISTER_SEARCH_SPACE_CLASS(
    "transnas_micro",
    "TransNAS-Bench-101 micro cells: 6 edges x 4 ops = 4,096 architectures, "
    "arch strings like 64-41414-3_13_222, 18 one-edge neighbours",
    TransnasMicroSpace);

}  // namespace

absl::StatusOr<std::unique_ptr<TransnasMicroSpace>> TransnasMicroSpace::New() {
  return std::unique_ptr<TransnasMicroSpace>(new TransnasMicroSpace());
}

std::string TransnasMicroSpace::GeneDescription(int gene) const {
  return gene < 0 ? "edge" : absl::StrCat("edge ", kEdgeTarget[gene], "<-", kEdgeSource[gene]);
}

std::string TransnasMicroSpace::ToString(const Architecture& arch) const {
  // 64-41414-a_bc_def
  std::string text(kSkeleton);
  for (int e = 0; e < kNumEdges; ++e) {
    if (e == 1 || e == 3) text += '_';
    text += static_cast<char>('0' + arch[e]);
  }
  return text;
}

absl::StatusOr<Architecture> TransnasMicroSpace::Parse(
    absl::string_view text) const {
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad TransNAS-Bench-101 micro architecture '", text, "': ", what,
        ". Expected \"64-41414-\" then one op digit per edge grouped by "
        "target node (1<-0 _ 2<-0 2<-1 _ 3<-0 3<-1 3<-2), ops 0 (none), "
        "1 (skip), 2 (conv 1x1), 3 (conv 3x3), e.g. 64-41414-3_13_222"));
  };
  if (!absl::StartsWith(text, kSkeleton)) {
    return error(absl::StrCat(
        "it does not start with the micro space's skeleton \"", kSkeleton,
        "\""));
  }
  // "a_bc_def": digits at these offsets after the skeleton, '_' between.
  constexpr int kDigitOffset[kNumEdges] = {0, 2, 3, 5, 6, 7};
  constexpr int kCellLength = 8;
  const absl::string_view cell = text.substr(kSkeleton.size());
  if (cell.size() != kCellLength) {
    return error(absl::StrCat("the cell part '", cell, "' has ", cell.size(),
                              " characters, needs 8"));
  }
  for (int separator : {1, 4}) {
    if (cell[separator] != '_') {
      return error(absl::StrCat("expected '_' at character ",
                                kSkeleton.size() + separator));
    }
  }
  Architecture arch(kNumEdges);
  for (int e = 0; e < kNumEdges; ++e) {
    const char c = cell[kDigitOffset[e]];
    if (c < '0' || c > '3') {
      return error(absl::StrCat("character ",
                                kSkeleton.size() + kDigitOffset[e], " (edge ",
                                kEdgeTarget[e], "<-", kEdgeSource[e],
                                ") is not an op 0..3"));
    }
    arch[e] = static_cast<uint8_t>(c - '0');
  }
  return arch;
}

}  // namespace nas
