#include "tests/fuzz/space_checks.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "tests/fuzz/fuzz_util.h"

namespace nas {
namespace fuzz {

void CheckParse(const SearchSpace& space, absl::string_view text) {
  absl::StatusOr<Architecture> arch = space.Parse(text);
  if (!arch.ok()) {
    Require(arch.status().code() == absl::StatusCode::kInvalidArgument &&
                !arch.status().message().empty(),
            "Parse refuses with InvalidArgument and a message", text);
    return;
  }
  Require(space.Validate(*arch).ok(), "Parse returns a valid architecture",
          text);
  Require(space.Canonicalize(*arch) == *arch,
          "Parse returns a canonical architecture", text);
  const std::string printed = space.ToString(*arch);
  absl::StatusOr<Architecture> again = space.Parse(printed);
  Require(again.ok() && *again == *arch, "Parse(ToString(a)) == a", text);
  if (space.IsIndexable()) {
    const int64_t index = space.ToIndex(*arch);
    Require(index >= 0 && absl::uint128(index) < space.Size(),
            "ToIndex is in [0, Size())", text);
    Require(space.FromIndex(index) == *arch, "FromIndex(ToIndex(a)) == a",
            text);
  }
  std::vector<Architecture> neighbors;
  space.Neighbors(*arch, &neighbors);
  absl::flat_hash_set<Architecture> seen;
  for (const Architecture& neighbor : neighbors) {
    Require(space.Validate(neighbor).ok(), "every neighbour is valid", text);
    Require(space.Canonicalize(neighbor) == neighbor,
            "every neighbour is canonical", text);
    Require(neighbor != *arch, "an architecture is not its own neighbour",
            text);
    Require(seen.insert(neighbor).second, "neighbours are distinct", text);
  }
}

}  // namespace fuzz
}  // namespace nas
