// Fuzzes the architecture-string parser (Parse) of the space named by
// NAS_FUZZ_SPACE (set per target in BUILD) and the SearchSpace contract on
// whatever it accepts (space_checks.h). The space is built through the
// registry with its default parameters, so one source serves every space
// whose parser needs no further set-up.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/check.h"
#include "spaces/search_space.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/space_checks.h"

#ifndef NAS_FUZZ_SPACE
#error "NAS_FUZZ_SPACE must name the registered space to fuzz"
#endif

namespace nas {
namespace fuzz {
namespace {

void CheckOk(const absl::Status& status) {
  if (!status.ok()) {
    InternalError("registered_space_fuzz", status.ToString().c_str());
  }
}

const SearchSpace* MakeRegisteredSpace(absl::string_view name) {
  auto entry = GlobalSearchSpaceRegistry().Find(name);
  CheckOk(entry.status());
  // The prototype is the parameter message's default instance.
  auto space = (*entry)->factory((*entry)->params_prototype);
  CheckOk(space.status());
  return space->release();
}

}  // namespace

void FuzzOne(const uint8_t* data, size_t size) {
  static const SearchSpace* const space = MakeRegisteredSpace(NAS_FUZZ_SPACE);
  CheckParse(*space, AsText(data, size));
}

}  // namespace fuzz
}  // namespace nas
