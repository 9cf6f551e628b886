// Fuzzes the NAS-Bench-201 objective's table loader (Nasbench201Objective::
// New): the input is written as the 200-epoch table where the objective
// looks for it, then loaded for each of the three datasets (each reads its
// own columns).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "objectives/nasbench201/nasbench201.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/objective_checks.h"

namespace nas {
namespace fuzz {

void FuzzOne(const uint8_t* data, size_t size) {
  static const auto* const space = new std::shared_ptr<const SearchSpace>(
      Nasbench201Space::New()->release());
  const absl::string_view input = AsText(data, size);
  Nasbench201ObjectiveParams params;
  WriteFileOrDie(ScratchDir() + "/" + params.table(), input);
  for (const char* dataset : {"cifar10-valid", "cifar100", "ImageNet16-120"}) {
    params.set_dataset(dataset);
    CheckLoaded(Nasbench201Objective::New(*space, params, {ScratchDir()}),
                input);
  }
}

}  // namespace fuzz
}  // namespace nas
