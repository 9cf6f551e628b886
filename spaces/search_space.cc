#include "spaces/search_space.h"

#include <cstdio>
#include <cstdlib>

namespace nas {

bool SearchSpace::IsValid(const Architecture& arch) const {
  return Validate(arch).ok();
}

int64_t SearchSpace::IndexIfValid(const Architecture& arch) const {
  return IsIndexable() && IsValid(arch) ? ToIndex(arch) : -1;
}

int64_t SearchSpace::ToIndex(const Architecture& arch) const {
  std::fprintf(stderr, "%s: ToIndex called on a space that is not indexable\n",
               name().c_str());
  std::abort();
}

Architecture SearchSpace::FromIndex(int64_t index) const {
  std::fprintf(stderr,
               "%s: FromIndex called on a space that is not indexable\n",
               name().c_str());
  std::abort();
}

Architecture SearchSpace::Mutate(const Architecture& arch, Rng& rng) const {
  std::vector<Architecture> neighbors;
  Neighbors(arch, &neighbors);
  if (neighbors.empty()) return arch;
  return neighbors[rng.UniformInt(neighbors.size())];
}

}  // namespace nas
