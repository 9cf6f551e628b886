// NAS-Bench-201: the encodings this space declares (SearchSpace::encodings();
// the encodings are defined in spaces/encodings/encoder.h).
//
// kPath: paths from node 0 to node 3 over the cell's edges (0-3, 0-1-3,
//   0-2-3, 0-1-2-3); a 'none' edge cuts every path through it, so labels use
//   the 4 other ops: 4 + 4^2 + 4^3 = 84 features. (naszilla keeps 'none' as
//   a label, 5 + 25 + 125 = 155; a path through 'none' carries nothing, so
//   here it simply does not exist.)
// kTruncatedPath: exactly the most likely paths here (a length-1 feature is
//   present with probability 1/5, a length-2 one with 1 - (24/25)^2 = 0.078,
//   a length-3 one with 1/125; checked exhaustively in the test). Default:
//   every path of at most 2 ops (20 features).
// kAdjacency: the cell's graph is fixed, so this is the one-hot op of each of
//   the 6 edges (30 features; same as kOneHot). Squared distance is twice the
//   edit distance (number of edges whose op differs).


#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "spaces/encodings/encoder.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

// Edges (genes) along each node-0-to-node-3 path, in path order. Gene e is
// edge 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2 for e = 0..5.
constexpr int kNb201Paths[4][3] = {{3, -1, -1}, {0, 4, -1}, {1, 5, -1},
                                   {0, 2, 5}};

PathLayout Nb201Layout() {
  // Labels are the ops other than 'none' (gene values 1..4).
  std::vector<std::string> ops;
  for (int op = 1; op < Nasbench201Space::kNumOps; ++op) {
    ops.emplace_back(kNasbench201Ops[op]);
  }
  return PathLayout(std::move(ops), /*min_length=*/1, /*max_length=*/3,
                    /*group_names=*/{""}, /*prefix=*/"", /*suffix=*/"");
}

class Nb201PathEncoder : public PathEncoder {
 public:
  using PathEncoder::PathEncoder;

 protected:
  void VisitPaths(const Architecture& arch, PathVisitor visit) const override {
    for (const auto& path : kNb201Paths) {
      int length = 0;
      int code = 0;
      bool cut = false;
      for (int edge : path) {
        if (edge < 0) break;
        const int op = arch[edge];
        if (op == 0) {  // 'none'
          cut = true;
          break;
        }
        code = code * 4 + (op - 1);
        ++length;
      }
      if (!cut) visit(length, 0, code);
    }
  }
};


absl::StatusOr<std::unique_ptr<Encoder>> MakeNb201(const SearchSpace& space,
                                                   EncodingKind kind,
                                                   int truncated) {
  switch (kind) {
    case EncodingKind::kPath: {
      PathLayout layout = Nb201Layout();
      const int size = layout.size();
      return std::unique_ptr<Encoder>(
          new Nb201PathEncoder(std::move(layout), size));
    }
    case EncodingKind::kTruncatedPath: {
      PathLayout layout = Nb201Layout();
      absl::StatusOr<int> dim =
          TruncatedDimension(layout, /*default_max_length=*/2, truncated, space);
      if (!dim.ok()) return dim.status();
      return std::unique_ptr<Encoder>(
          new Nb201PathEncoder(std::move(layout), *dim));
    }
    case EncodingKind::kAdjacency:
    case EncodingKind::kOneHot:
      return std::unique_ptr<Encoder>(new OneHotEncoder(space));
  }
  return absl::InternalError("unknown encoding kind");
}


class Nasbench201SpaceEncodings : public SpaceEncodings {
 public:
  explicit Nasbench201SpaceEncodings(const Nasbench201Space& space) : space_(space) {}

  bool Defines(EncodingKind) const override { return true; }

  absl::StatusOr<std::unique_ptr<Encoder>> Make(
      EncodingKind kind, int truncated_features) const override {
    return MakeNb201(space_, kind, truncated_features);
  }

 private:
  const Nasbench201Space& space_;
};

}  // namespace

std::unique_ptr<const SpaceEncodings> NewNasbench201SpaceEncodings(
    const Nasbench201Space& space) {
  return std::make_unique<Nasbench201SpaceEncodings>(space);
}

}  // namespace nas
