// DARTS: the encodings this space declares (SearchSpace::encodings(); the
// encodings are defined in spaces/encodings/encoder.h).
//
// kPath: per cell (normal, reduce) and cell input (c_{k-2}, c_{k-1}), paths
//   from the input through intermediate nodes; every intermediate node feeds
//   the concatenated output, so every path that starts at an input ends at
//   the output. 1 to 4 ops of 7: 4 * (7 + 49 + 343 + 2401) = 11,200
//   features, grouped by cell, then input.
// kTruncatedPath: default every path of at most 2 ops (4 * (7 + 49) = 224;
//   naszilla's cutoff of 100 takes a prefix of its normal-cell/first-input
//   block only, which would ignore the reduction cell).
// kAdjacency: per cell, for every possible edge (input j -> node k, j < k+2:
//   14 edges), one feature per op, set when the edge exists with that op
//   (2 * 14 * 7 = 196 features). Independent of the order of a node's two
//   inputs.


#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "spaces/encodings/encoder.h"
#include "spaces/darts/darts.h"

namespace nas {
namespace {

PathLayout DartsLayout() {
  std::vector<std::string> ops(DartsSpace::kOpNames.begin(),
                               DartsSpace::kOpNames.end());
  return PathLayout(std::move(ops), /*min_length=*/1,
                    /*max_length=*/DartsSpace::kNodesPerCell,
                    /*group_names=*/
                    {"normal:c_{k-2}>", "normal:c_{k-1}>", "reduce:c_{k-2}>",
                     "reduce:c_{k-1}>"},
                    /*prefix=*/"", /*suffix=*/"");
}

class DartsPathEncoder : public PathEncoder {
 public:
  using PathEncoder::PathEncoder;

 protected:
  void VisitPaths(const Architecture& arch, PathVisitor visit) const override {
    struct Path {
      int input;
      int length;
      int code;
    };
    for (int cell = 0; cell < DartsSpace::kNumCells; ++cell) {
      // paths[k]: every path from a cell input to intermediate node k.
      std::vector<Path> paths[DartsSpace::kNodesPerCell];
      for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
        for (int pair = 0; pair < DartsSpace::kInputsPerNode; ++pair) {
          const int input = arch[DartsSpace::InputGene(cell, node, pair)];
          const int op = arch[DartsSpace::OpGene(cell, node, pair)];
          if (input < DartsSpace::kNumCellInputs) {
            paths[node].push_back({input, 1, op});
          } else {
            for (const Path& p : paths[input - DartsSpace::kNumCellInputs]) {
              paths[node].push_back(
                  {p.input, p.length + 1, p.code * DartsSpace::kNumOps + op});
            }
          }
        }
        // Every intermediate node is concatenated into the cell output.
        for (const Path& p : paths[node]) {
          visit(p.length, cell * DartsSpace::kNumCellInputs + p.input, p.code);
        }
      }
    }
  }
};

// Per cell, one feature per (possible edge j -> node k, op).
class DartsAdjacencyEncoder : public Encoder {
 public:
  DartsAdjacencyEncoder() {
    int offset = 0;
    for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
      node_offsets_[node] = offset;
      offset += DartsSpace::NumInputChoices(node) * DartsSpace::kNumOps;
    }
    per_cell_ = offset;
  }

  int dimension() const override { return DartsSpace::kNumCells * per_cell_; }

  void Encode(const Architecture& arch, float* out) const override {
    std::fill(out, out + dimension(), 0.0f);
    for (int cell = 0; cell < DartsSpace::kNumCells; ++cell) {
      for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
        for (int pair = 0; pair < DartsSpace::kInputsPerNode; ++pair) {
          const int input = arch[DartsSpace::InputGene(cell, node, pair)];
          const int op = arch[DartsSpace::OpGene(cell, node, pair)];
          out[cell * per_cell_ + node_offsets_[node] +
              input * DartsSpace::kNumOps + op] = 1.0f;
        }
      }
    }
  }

  std::string FeatureName(int i) const override {
    const int cell = i / per_cell_;
    int rest = i % per_cell_;
    int node = DartsSpace::kNodesPerCell - 1;
    while (node_offsets_[node] > rest) --node;
    rest -= node_offsets_[node];
    return absl::StrCat(cell == 0 ? "normal" : "reduce", ":",
                        rest / DartsSpace::kNumOps, "->", node + 2, "=",
                        DartsSpace::kOpNames[rest % DartsSpace::kNumOps]);
  }

 private:
  int node_offsets_[DartsSpace::kNodesPerCell];
  int per_cell_ = 0;
};


absl::StatusOr<std::unique_ptr<Encoder>> MakeDarts(const SearchSpace& space,
                                                   EncodingKind kind,
                                                   int truncated) {
  switch (kind) {
    case EncodingKind::kPath: {
      PathLayout layout = DartsLayout();
      const int size = layout.size();
      return std::unique_ptr<Encoder>(
          new DartsPathEncoder(std::move(layout), size));
    }
    case EncodingKind::kTruncatedPath: {
      PathLayout layout = DartsLayout();
      absl::StatusOr<int> dim =
          TruncatedDimension(layout, /*default_max_length=*/2, truncated, space);
      if (!dim.ok()) return dim.status();
      return std::unique_ptr<Encoder>(
          new DartsPathEncoder(std::move(layout), *dim));
    }
    case EncodingKind::kAdjacency:
      return std::unique_ptr<Encoder>(new DartsAdjacencyEncoder());
    case EncodingKind::kOneHot:
      return std::unique_ptr<Encoder>(new OneHotEncoder(space));
  }
  return absl::InternalError("unknown encoding kind");
}


class DartsSpaceEncodings : public SpaceEncodings {
 public:
  explicit DartsSpaceEncodings(const DartsSpace& space) : space_(space) {}

  bool Defines(EncodingKind) const override { return true; }

  absl::StatusOr<std::unique_ptr<Encoder>> Make(
      EncodingKind kind, int truncated_features) const override {
    return MakeDarts(space_, kind, truncated_features);
  }

 private:
  const DartsSpace& space_;
};

}  // namespace

std::unique_ptr<const SpaceEncodings> NewDartsSpaceEncodings(
    const DartsSpace& space) {
  return std::make_unique<DartsSpaceEncodings>(space);
}

}  // namespace nas
