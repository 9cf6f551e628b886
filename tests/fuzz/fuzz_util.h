#ifndef NASBENCH_TESTS_FUZZ_FUZZ_UTIL_H_
#define NASBENCH_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace nas {
namespace fuzz {

// The body of one fuzz target, defined in its <target>_fuzz.cc. Called by
// libFuzzer (through LLVMFuzzerTestOneInput) and by replay_main.cc, which
// runs the target's seed corpus as an ordinary test. Returns normally for
// any input that the code under test handles correctly (accepts or refuses
// with a Status); aborts, through Require() or a sanitizer, otherwise.
void FuzzOne(const uint8_t* data, size_t size);

inline absl::string_view AsText(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

// A directory private to this process, created on first use below
// $TEST_TMPDIR (Bazel tests) or $TMPDIR or /tmp, and removed at exit. Loaders
// that only read files get the fuzzed bytes through it.
const std::string& ScratchDir();

// Writes `bytes` to `path`, creating missing parent directories. A failure
// is the harness's own (disk full, ...), not the input's, so it aborts.
void WriteFileOrDie(const std::string& path, absl::string_view bytes);

// An invariant of the code under test, e.g. "Parse(ToString(a)) == a". When
// it does not hold, prints it with the input (escaped) and aborts, which
// libFuzzer reports as a crash and saves the input.
void Require(bool holds, absl::string_view invariant, absl::string_view input);

}  // namespace fuzz
}  // namespace nas

#endif  // NASBENCH_TESTS_FUZZ_FUZZ_UTIL_H_
