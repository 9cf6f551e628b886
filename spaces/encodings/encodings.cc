#include "spaces/encodings/encodings.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

constexpr EncodingKind kAllKinds[] = {
    EncodingKind::kPath, EncodingKind::kTruncatedPath,
    EncodingKind::kAdjacency, EncodingKind::kOneHot};

int IntPow(int base, int exponent) {
  int result = 1;
  for (int i = 0; i < exponent; ++i) result *= base;
  return result;
}

// Numbering of path features: by length, then group (darts: cell x input),
// then the op sequence as a base-`alphabet` number, first op most
// significant.
class PathLayout {
 public:
  PathLayout(std::vector<std::string> op_names, int min_length, int max_length,
             std::vector<std::string> group_names, std::string prefix,
             std::string suffix)
      : op_names_(std::move(op_names)),
        min_length_(min_length),
        max_length_(max_length),
        group_names_(std::move(group_names)),
        prefix_(std::move(prefix)),
        suffix_(std::move(suffix)) {
    const int alphabet = static_cast<int>(op_names_.size());
    int offset = 0;
    for (int length = min_length_; length <= max_length_; ++length) {
      offsets_.push_back(offset);
      offset += num_groups() * IntPow(alphabet, length);
    }
    size_ = offset;
  }

  int size() const { return size_; }
  int num_groups() const { return static_cast<int>(group_names_.size()); }
  int alphabet() const { return static_cast<int>(op_names_.size()); }
  int max_length() const { return max_length_; }

  // Number of features of paths with at most `length` ops.
  int SizeUpToLength(int length) const {
    return length >= max_length_ ? size_ : offsets_[length + 1 - min_length_];
  }

  int Index(int length, int group, int code) const {
    return offsets_[length - min_length_] +
           group * IntPow(alphabet(), length) + code;
  }

  std::string Name(int index) const {
    int length = max_length_;
    while (length > min_length_ && offsets_[length - min_length_] > index) {
      --length;
    }
    int rest = index - offsets_[length - min_length_];
    const int block = IntPow(alphabet(), length);
    const int group = rest / block;
    int code = rest % block;
    std::vector<std::string> ops(length);
    for (int i = length - 1; i >= 0; --i) {
      ops[i] = op_names_[code % alphabet()];
      code /= alphabet();
    }
    std::vector<std::string> parts;
    if (!prefix_.empty()) parts.push_back(prefix_);
    for (std::string& op : ops) parts.push_back(std::move(op));
    if (!suffix_.empty()) parts.push_back(suffix_);
    return absl::StrCat(group_names_[group], absl::StrJoin(parts, ">"));
  }

 private:
  std::vector<std::string> op_names_;
  int min_length_;
  int max_length_;
  std::vector<std::string> group_names_;
  std::string prefix_;
  std::string suffix_;
  std::vector<int> offsets_;
  int size_ = 0;
};

// A path encoding, possibly truncated to its first `dimension` features.
// Subclasses list a cell's paths.
class PathEncoder : public Encoder {
 public:
  PathEncoder(PathLayout layout, int dimension)
      : layout_(std::move(layout)), dimension_(dimension) {}

  int dimension() const override { return dimension_; }

  void Encode(const Architecture& arch, float* out) const override {
    std::fill(out, out + dimension_, 0.0f);
    VisitPaths(arch, [&](int length, int group, int code) {
      const int index = layout_.Index(length, group, code);
      if (index < dimension_) out[index] = 1.0f;
    });
  }

  std::string FeatureName(int i) const override { return layout_.Name(i); }

 protected:
  using PathVisitor = absl::FunctionRef<void(int length, int group, int code)>;
  virtual void VisitPaths(const Architecture& arch,
                          PathVisitor visit) const = 0;

 private:
  PathLayout layout_;
  int dimension_;
};

// --- NAS-Bench-201 ---------------------------------------------------------

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

// One-hot of each gene: nasbench201's adjacency encoding and every space's
// fallback.
class OneHotEncoder : public Encoder {
 public:
  explicit OneHotEncoder(const SearchSpace& space) {
    int offset = 0;
    for (int cardinality : space.gene_cardinalities()) {
      offsets_.push_back(offset);
      offset += cardinality;
    }
    dimension_ = offset;
  }

  int dimension() const override { return dimension_; }

  void Encode(const Architecture& arch, float* out) const override {
    std::fill(out, out + dimension_, 0.0f);
    for (int g = 0; g < static_cast<int>(offsets_.size()); ++g) {
      out[offsets_[g] + arch[g]] = 1.0f;
    }
  }

  std::string FeatureName(int i) const override {
    const int gene = static_cast<int>(
        std::upper_bound(offsets_.begin(), offsets_.end(), i) -
        offsets_.begin() - 1);
    return absl::StrCat("gene", gene, "=", i - offsets_[gene]);
  }

 private:
  std::vector<int> offsets_;
  int dimension_ = 0;
};

// --- NAS-Bench-101 ---------------------------------------------------------

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

// --- DARTS -----------------------------------------------------------------

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

// --- Dispatch --------------------------------------------------------------

absl::StatusOr<int> TruncatedDimension(const PathLayout& layout,
                                       int default_max_length, int requested,
                                       const SearchSpace& space) {
  if (requested == 0) return layout.SizeUpToLength(default_max_length);
  if (requested < 0 || requested > layout.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "truncated path encoding of '", space.name(), "': ", requested,
        " features requested; use 1 to ", layout.size(),
        " (the full path encoding), or 0 for the default ",
        layout.SizeUpToLength(default_max_length)));
  }
  return requested;
}

absl::Status Unsupported(const SearchSpace& space, EncodingKind kind) {
  std::vector<std::string> available;
  for (EncodingKind k : kAllKinds) {
    if (HasEncoding(space, k)) available.emplace_back(EncodingKindName(k));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the ", EncodingKindName(kind), " encoding is not defined for search "
      "space '", space.name(), "'; it has: ", absl::StrJoin(available, ", ")));
}

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
  return Unsupported(space, kind);
}

absl::StatusOr<std::unique_ptr<Encoder>> MakeNb101(const SearchSpace& space,
                                                   EncodingKind kind,
                                                   int truncated) {
  const auto* nb101 = dynamic_cast<const Nasbench101Space*>(&space);
  if (nb101 == nullptr) {
    return absl::InvalidArgumentError(
        "a space named 'nasbench101' that is not Nasbench101Space");
  }
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
  return Unsupported(space, kind);
}

absl::StatusOr<std::unique_ptr<Encoder>> MakeDarts(const SearchSpace& space,
                                                   EncodingKind kind,
                                                   int truncated) {
  if (space.gene_cardinalities().size() != DartsSpace::kNumGenes) {
    return absl::InvalidArgumentError(
        "a space named 'darts' without DartsSpace's gene layout");
  }
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
  return Unsupported(space, kind);
}

}  // namespace

absl::string_view EncodingKindName(EncodingKind kind) {
  switch (kind) {
    case EncodingKind::kPath:
      return "path";
    case EncodingKind::kTruncatedPath:
      return "truncated_path";
    case EncodingKind::kAdjacency:
      return "adjacency";
    case EncodingKind::kOneHot:
      return "one_hot";
  }
  return "unknown";
}

bool HasEncoding(const SearchSpace& space, EncodingKind kind) {
  if (kind == EncodingKind::kOneHot) return true;
  const std::string name = space.name();
  return name == "nasbench201" || name == "nasbench101" || name == "darts";
}

absl::StatusOr<std::unique_ptr<Encoder>> MakeEncoder(const SearchSpace& space,
                                                     EncodingKind kind,
                                                     int truncated_features) {
  if (truncated_features != 0 && kind != EncodingKind::kTruncatedPath) {
    return absl::InvalidArgumentError(absl::StrCat(
        "truncated_features is ", truncated_features,
        " but the encoding is ", EncodingKindName(kind),
        "; it applies to truncated_path only (leave it 0)"));
  }
  const std::string name = space.name();
  if (name == "nasbench201") return MakeNb201(space, kind, truncated_features);
  if (name == "nasbench101") return MakeNb101(space, kind, truncated_features);
  if (name == "darts") return MakeDarts(space, kind, truncated_features);
  if (kind == EncodingKind::kOneHot) {
    return std::unique_ptr<Encoder>(new OneHotEncoder(space));
  }
  return Unsupported(space, kind);
}

double SquaredDistance(absl::Span<const float> a, absl::Span<const float> b) {
  if (a.size() != b.size()) {
    std::fprintf(stderr, "SquaredDistance: sizes %zu and %zu differ\n",
                 a.size(), b.size());
    std::abort();
  }
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    sum += d * d;
  }
  return sum;
}

int GeneEditDistance(const Architecture& a, const Architecture& b) {
  if (a.size() != b.size()) {
    std::fprintf(stderr, "GeneEditDistance: %d and %d genes\n", a.size(),
                 b.size());
    std::abort();
  }
  int distance = 0;
  for (int g = 0; g < a.size(); ++g) distance += a[g] != b[g];
  return distance;
}

}  // namespace nas
