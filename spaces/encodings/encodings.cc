#include "spaces/encodings/encodings.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nas {
namespace {

constexpr EncodingKind kAllKinds[] = {
    EncodingKind::kPath, EncodingKind::kTruncatedPath,
    EncodingKind::kAdjacency, EncodingKind::kOneHot};

absl::Status Unsupported(const SearchSpace& space, EncodingKind kind) {
  std::vector<std::string> available;
  for (EncodingKind k : kAllKinds) {
    if (HasEncoding(space, k)) available.emplace_back(EncodingKindName(k));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the ", EncodingKindName(kind), " encoding is not defined for search "
      "space '", space.name(), "'; it has: ", absl::StrJoin(available, ", "),
      " (a space offers more by declaring SearchSpace::encodings(), see "
      "spaces/encodings/encoder.h)"));
}

}  // namespace

bool HasEncoding(const SearchSpace& space, EncodingKind kind) {
  if (kind == EncodingKind::kOneHot) return true;
  const SpaceEncodings* own = space.encodings();
  return own != nullptr && own->Defines(kind);
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
  if (const SpaceEncodings* own = space.encodings();
      own != nullptr && own->Defines(kind)) {
    return own->Make(kind, truncated_features);
  }
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
