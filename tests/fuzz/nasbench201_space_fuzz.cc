// Fuzzes NAS-Bench-201's architecture-string parser (Parse) and the
// SearchSpace contract on whatever it accepts (space_checks.h).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "spaces/nasbench201/nasbench201.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/space_checks.h"

namespace nas {
namespace fuzz {

void FuzzOne(const uint8_t* data, size_t size) {
  static const Nasbench201Space* const space =
      Nasbench201Space::New()->release();
  CheckParse(*space, AsText(data, size));
}

}  // namespace fuzz
}  // namespace nas

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nas::fuzz::FuzzOne(data, size);
  return 0;
}
