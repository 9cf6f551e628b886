// Fuzzes the NAS-Bench-Macro objective's table loader
// (NasbenchMacroObjective::New): the input is written as the table where
// the objective looks for it, then loaded.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "objectives/nasbench_macro/nasbench_macro.h"
#include "spaces/nasbench_macro/nasbench_macro.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/objective_checks.h"

namespace nas {
namespace fuzz {

void FuzzOne(const uint8_t* data, size_t size) {
  static const auto* const space = new std::shared_ptr<const SearchSpace>(
      NasbenchMacroSpace::New()->release());
  const absl::string_view input = AsText(data, size);
  const NasbenchMacroObjectiveParams& params =
      NasbenchMacroObjectiveParams::default_instance();
  WriteFileOrDie(ScratchDir() + "/" + params.table(), input);
  CheckLoaded(NasbenchMacroObjective::New(*space, params, {ScratchDir()}),
              input);
}

}  // namespace fuzz
}  // namespace nas
