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
//   such path. Isomorphic cells have identical path encodings. Features are
//   ordered by path length (number of ops), then by group (a space with
//   several cells or cell inputs has one block of paths per group), then by
//   the op sequence read as a base-|ops| number, first op most significant.
//
// kTruncatedPath: the first k features of the path encoding. Shorter paths
//   are more likely under uniform sampling, so these are approximately the
//   k most likely paths; the space chooses the default k.
//
// kAdjacency: the graph and its ops, one-hot, as the space defines them.
//
// Each space that declares these encodings documents its own layout and
// feature counts beside its declaration (spaces/<space>/*_encodings.cc).
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
  // path through two ops.
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

// Numbering of path features: by length, then group (e.g. cell x input),
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


// One-hot of each gene: every space's fallback (and the adjacency encoding
// of a space whose graph is fixed and whose genes are its edges' ops).
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
