// libFuzzer's entry point, once for every fuzzer: it hands each input to the
// target's FuzzOne (fuzz_util.h).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nas::fuzz::FuzzOne(data, size);
  return 0;
}
