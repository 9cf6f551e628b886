#include "spaces/encodings/encoder.h"

namespace nas {

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

}  // namespace nas
