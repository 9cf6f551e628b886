#ifndef NASBENCH_SPACES_ENCODINGS_ENCODINGS_H_
#define NASBENCH_SPACES_ENCODINGS_ENCODINGS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/architecture.h"
#include "spaces/encodings/encoder.h"
#include "spaces/search_space.h"

namespace nas {

// The encoder of `kind` for `space`: the space's own (its declared
// SpaceEncodings capability), or one-hot, which every space has.
// `truncated_features` applies to kTruncatedPath only: 0 for the space's
// default, else 1 .. the full path dimension. InvalidArgument for a kind
// the space does not define (listing the kinds it does) or a bad
// truncation. The encoder keeps a reference to `space`, which must outlive
// it.
absl::StatusOr<std::unique_ptr<Encoder>> MakeEncoder(
    const SearchSpace& space, EncodingKind kind, int truncated_features = 0);

// True when MakeEncoder(space, kind) succeeds with the default truncation.
bool HasEncoding(const SearchSpace& space, EncodingKind kind);

// Distances for distance-based kernels. For 0/1 encodings the squared
// Euclidean distance is the number of differing features: the path
// distance of the encodings paper for path encodings, and (up to the factor
// 2 of one-hot codes) the edit distance for adjacency/one-hot encodings.
double SquaredDistance(absl::Span<const float> a, absl::Span<const float> b);

// Number of genes that differ: the edit distance on any space whose genes
// are independent choices (e.g. one op per edge of a fixed graph).
// Both architectures must have the same number of genes.
int GeneEditDistance(const Architecture& a, const Architecture& b);

}  // namespace nas

#endif  // NASBENCH_SPACES_ENCODINGS_ENCODINGS_H_
