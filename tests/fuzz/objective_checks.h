#ifndef NASBENCH_TESTS_FUZZ_OBJECTIVE_CHECKS_H_
#define NASBENCH_TESTS_FUZZ_OBJECTIVE_CHECKS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "objectives/objective.h"

namespace nas {
namespace fuzz {

// What every table loader promises for a table it was handed: a refusal is
// InvalidArgument with a message (the file exists, so never NotFound); an
// objective it builds answers every architecture of its space at every
// fidelity with finite numbers (checked on indexable spaces, all of whose
// architectures can be listed).
void CheckLoaded(const absl::Status& status, const Objective* objective,
                 absl::string_view input);

template <typename T>
void CheckLoaded(const absl::StatusOr<std::unique_ptr<T>>& objective,
                 absl::string_view input) {
  CheckLoaded(objective.status(), objective.ok() ? objective->get() : nullptr,
              input);
}

}  // namespace fuzz
}  // namespace nas

#endif  // NASBENCH_TESTS_FUZZ_OBJECTIVE_CHECKS_H_
