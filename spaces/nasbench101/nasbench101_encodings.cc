// NAS-Bench-101: the encodings this space declares (SearchSpace::encodings();
// the encodings are defined in spaces/encodings/encoder.h).
//
// kPath: paths from the input through op vertices to the output, 0 to
//   max_vertices - 2 ops, 3 ops: 3^0 + ... + 3^5 = 364 features for 7
//   vertices (the paper's count); 40 for 5 vertices, 13 for 4.
// kTruncatedPath: default every path of at most 3 ops (40 features:
//   naszilla's cutoff, which is the same set).
// kAdjacency: the 21 upper-triangular adjacency bits of the canonical 7x7
//   matrix, then a one-hot op (3 features) per interior vertex, all zero for
//   vertices pruned away (36 features for 7 vertices).


#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "spaces/encodings/encoder.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {
namespace {

PathLayout Nb101Layout(int max_vertices) {
  std::vector<std::string> ops(nasbench101::kOpNames.begin(),
                               nasbench101::kOpNames.end());
  return PathLayout(std::move(ops), /*min_length=*/0,
                    /*max_length=*/max_vertices - 2, /*group_names=*/{""},
                    std::string(nasbench101::kInputName),
                    std::string(nasbench101::kOutputName));
}

class Nb101PathEncoder : public PathEncoder {
 public:
  Nb101PathEncoder(const Nasbench101Space& space, int dimension)
      : PathEncoder(Nb101Layout(space.max_vertices()), dimension),
        space_(space) {}

 protected:
  void VisitPaths(const Architecture& arch, PathVisitor visit) const override {
    const nasbench101::Cell cell = space_.PrunedCell(arch);
    Visit(cell, /*vertex=*/0, /*length=*/0, /*code=*/0, visit);
  }

 private:
  // Depth-first over the DAG; `length` ops seen so far, coded in `code`.
  static void Visit(const nasbench101::Cell& cell, int vertex, int length,
                    int code, PathVisitor visit) {
    const int output = cell.num_vertices - 1;
    for (int next = 1; next < cell.num_vertices; ++next) {
      if (!cell.HasEdge(vertex, next)) continue;
      if (next == output) {
        visit(length, 0, code);
      } else {
        Visit(cell, next, length + 1, code * nasbench101::kNumOps + cell.ops[next],
              visit);
      }
    }
  }

  const Nasbench101Space& space_;
};

// Upper-triangular adjacency bits of the canonical matrix, then a one-hot op
// per interior vertex that has an edge (canonical forms leave pruned-away
// vertices without edges).
class Nb101AdjacencyEncoder : public Encoder {
 public:
  explicit Nb101AdjacencyEncoder(const Nasbench101Space& space)
      : max_vertices_(space.max_vertices()),
        num_edge_genes_(space.num_edge_genes()) {}

  int dimension() const override {
    return num_edge_genes_ + nasbench101::kNumOps * (max_vertices_ - 2);
  }

  void Encode(const Architecture& arch, float* out) const override {
    std::fill(out, out + dimension(), 0.0f);
    std::vector<bool> used(max_vertices_, false);
    int gene = 0;
    for (int from = 0; from < max_vertices_; ++from) {
      for (int to = from + 1; to < max_vertices_; ++to, ++gene) {
        if (arch[gene] == 0) continue;
        out[gene] = 1.0f;
        used[from] = used[to] = true;
      }
    }
    for (int v = 1; v < max_vertices_ - 1; ++v) {
      if (!used[v]) continue;
      const int op = arch[num_edge_genes_ + v - 1];
      out[num_edge_genes_ + (v - 1) * nasbench101::kNumOps + op] = 1.0f;
    }
  }

  std::string FeatureName(int i) const override {
    if (i < num_edge_genes_) {
      int gene = 0;
      for (int from = 0; from < max_vertices_; ++from) {
        for (int to = from + 1; to < max_vertices_; ++to, ++gene) {
          if (gene == i) return absl::StrCat("edge", from, "-", to);
        }
      }
    }
    const int rest = i - num_edge_genes_;
    return absl::StrCat("vertex", 1 + rest / nasbench101::kNumOps, "=",
                        nasbench101::kOpNames[rest % nasbench101::kNumOps]);
  }

 private:
  int max_vertices_;
  int num_edge_genes_;
};


absl::StatusOr<std::unique_ptr<Encoder>> MakeNb101(
    const Nasbench101Space& space, EncodingKind kind, int truncated) {
  const Nasbench101Space* nb101 = &space;
  switch (kind) {
    case EncodingKind::kPath: {
      const int size = Nb101Layout(nb101->max_vertices()).size();
      return std::unique_ptr<Encoder>(new Nb101PathEncoder(*nb101, size));
    }
    case EncodingKind::kTruncatedPath: {
      absl::StatusOr<int> dim =
          TruncatedDimension(Nb101Layout(nb101->max_vertices()),
                             /*default_max_length=*/3, truncated, space);
      if (!dim.ok()) return dim.status();
      return std::unique_ptr<Encoder>(new Nb101PathEncoder(*nb101, *dim));
    }
    case EncodingKind::kAdjacency:
      return std::unique_ptr<Encoder>(new Nb101AdjacencyEncoder(*nb101));
    case EncodingKind::kOneHot:
      return std::unique_ptr<Encoder>(new OneHotEncoder(space));
  }
  return absl::InternalError("unknown encoding kind");
}


class Nasbench101SpaceEncodings : public SpaceEncodings {
 public:
  explicit Nasbench101SpaceEncodings(const Nasbench101Space& space) : space_(space) {}

  bool Defines(EncodingKind) const override { return true; }

  absl::StatusOr<std::unique_ptr<Encoder>> Make(
      EncodingKind kind, int truncated_features) const override {
    return MakeNb101(space_, kind, truncated_features);
  }

 private:
  const Nasbench101Space& space_;
};

}  // namespace

std::unique_ptr<const SpaceEncodings> NewNasbench101SpaceEncodings(
    const Nasbench101Space& space) {
  return std::make_unique<Nasbench101SpaceEncodings>(space);
}

}  // namespace nas
