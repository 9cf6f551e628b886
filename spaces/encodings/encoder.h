#ifndef NASBENCH_SPACES_ENCODINGS_ENCODER_H_
#define NASBENCH_SPACES_ENCODINGS_ENCODER_H_

// The encoding toolkit a search space uses to offer encodings for
// predictor-based algorithms: the Encoder interface, the SpaceEncodings
// capability a space declares (SearchSpace::encodings()), and the shared
// building blocks (path-feature layout, path encoders, one-hot). Each
// space's own encoders live in its package; spaces/encodings/encodings.h is
// what algorithms call.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "core/architecture.h"
#include "spaces/search_space.h"

namespace nas {

// Architecture encodings for predictor-based NAS (White et al., "BANANAS",
// AAAI 2021, and "A Study on Encodings for Neural Architecture Search",
// NeurIPS 2020). Every encoding is a fixed-length 0/1 vector.
//
// kPath: one feature per possible input-to-output path, labelled by the
//   sequence of ops along it; a feature is 1 when the cell has at least one
//   such path. Isomorphic cells have identical path encodings.
//   - nasbench201: paths from node 0 to node 3 over the cell's edges
//     (0-3, 0-1-3, 0-2-3, 0-1-2-3); a 'none' edge cuts every path through
//     it, so labels use the 4 other ops: 4 + 4^2 + 4^3 = 84 features.
//     (naszilla keeps 'none' as a label, 5 + 25 + 125 = 155; a path through
//     'none' carries nothing, so here it simply does not exist.)
//   - nasbench101: paths from the input through op vertices to the output,
//     0 to max_vertices - 2 ops, 3 ops: 3^0 + ... + 3^5 = 364 features for
//     7 vertices (the paper's count); 40 for 5 vertices, 13 for 4.
//   - darts: per cell (normal, reduce) and cell input (c_{k-2}, c_{k-1}),
//     paths from the input through intermediate nodes; every intermediate
//     node feeds the concatenated output, so every path that starts at an
//     input ends at the output. 1 to 4 ops of 7: 4 * (7 + 49 + 343 + 2401) =
//     11,200 features.
//   Features are ordered by path length (number of ops), then (darts) by
//   cell and input, then by the op sequence read as a base-|ops| number,
//   first op most significant.
//
// kTruncatedPath: the first k features of the path encoding. Shorter paths
//   are more likely under uniform sampling, so these are the k most likely
//   paths: exactly so on nasbench201 (a length-1 feature is present with
//   probability 1/5, a length-2 one with 1 - (24/25)^2 = 0.078, a length-3
//   one with 1/125; checked exhaustively in the test). Defaults: every path
//   of at most 2 ops on nasbench201 (20), of at most 3 ops on nasbench101
//   (40: naszilla's cutoff, which is the same set), of at most 2 ops on
//   darts (4 * (7 + 49) = 224; naszilla's cutoff of 100 takes a prefix of its
//   normal-cell/first-input block only, which would ignore the reduction
//   cell).
//
// kAdjacency: the graph and its ops, one-hot.
//   - nasbench201: the cell's graph is fixed, so this is the one-hot op of
//     each of the 6 edges (30 features; same as kOneHot). Squared distance
//     is twice the edit distance (number of edges whose op differs).
//   - nasbench101: the 21 upper-triangular adjacency bits of the canonical
//     7x7 matrix, then a one-hot op (3 features) per interior vertex, all
//     zero for vertices pruned away (36 features for 7 vertices).
//   - darts: per cell, for every possible edge (input j -> node k, j < k+2:
//     14 edges), one feature per op, set when the edge exists with that op
//     (2 * 14 * 7 = 196 features). Independent of the order of a node's two
//     inputs.
//
// kOneHot: one-hot of every gene, from gene_cardinalities(): defined on every
//   space (the fallback for spaces without a graph encoding).
enum class EncodingKind { kPath, kTruncatedPath, kAdjacency, kOneHot };

absl::string_view EncodingKindName(EncodingKind kind);

class Encoder {
 public:
  Encoder() = default;
  Encoder(const Encoder&) = delete;
  Encoder& operator=(const Encoder&) = delete;
  virtual ~Encoder() = default;

  // Number of features.
  virtual int dimension() const = 0;

  // Writes dimension() values, each 0 or 1, to out[0 .. dimension()).
  // `arch` must be valid. Path encodings accept any valid form (they are
  // invariant under isomorphism); the others encode the genes as given, so
  // pass canonical architectures (every architecture a space hands out is).
  // Thread-safe.
  virtual void Encode(const Architecture& arch, float* out) const = 0;

  // A readable name of feature `i`, e.g. "nor_conv_3x3>skip_connect" for a
  // nasbench201 path (the ops from the cell input to its output).
  virtual std::string FeatureName(int i) const = 0;
};

// The capability a search space declares (SearchSpace::encodings()) when it
// defines encodings beyond one-hot, which every space has. Implemented in
// the space's own package; central code never names a space.
class SpaceEncodings {
 public:
  virtual ~SpaceEncodings() = default;

  // True for the kinds the space defines itself (one-hot need not be
  // listed; a space may still define its own, e.g. as its adjacency).
  virtual bool Defines(EncodingKind kind) const = 0;

  // The encoder of `kind` (one Defines() accepts). `truncated_features`:
  // for kTruncatedPath, 0 for the space's default, else 1 .. the full path
  // dimension (InvalidArgument outside that).
  virtual absl::StatusOr<std::unique_ptr<Encoder>> Make(
      EncodingKind kind, int truncated_features) const = 0;
};

inline int IntPow(int base, int exponent) {
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

// The dimension of a truncated path encoding: `requested` features (1 ..
// layout.size()), or with 0 every path of at most `default_max_length` ops.
// InvalidArgument naming `space` otherwise.
inline absl::StatusOr<int> TruncatedDimension(const PathLayout& layout,
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

}  // namespace nas

#endif  // NASBENCH_SPACES_ENCODINGS_ENCODER_H_
