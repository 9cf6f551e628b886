#ifndef NASBENCH_TESTS_FUZZ_SPACE_CHECKS_H_
#define NASBENCH_TESTS_FUZZ_SPACE_CHECKS_H_

#include "absl/strings/string_view.h"
#include "spaces/search_space.h"

namespace nas {
namespace fuzz {

// Parses `text` with `space` and, when it is accepted, checks the
// SearchSpace contract (spaces/search_space.h) on the result: valid and
// canonical, Parse(ToString(a)) == a, ToIndex/FromIndex inverse on indexable
// spaces, and every neighbour valid, canonical, distinct and not `a` itself.
// A refusal must be InvalidArgument with a message.
void CheckParse(const SearchSpace& space, absl::string_view text);

}  // namespace fuzz
}  // namespace nas

#endif  // NASBENCH_TESTS_FUZZ_SPACE_CHECKS_H_
