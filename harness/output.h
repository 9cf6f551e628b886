#ifndef NASBENCH_HARNESS_OUTPUT_H_
#define NASBENCH_HARNESS_OUTPUT_H_

#include <string>

#include "absl/status/status.h"

namespace nas {

// Creates `path` and its missing parents (like mkdir -p).
absl::Status MakeDirectories(const std::string& path);

// Writes `contents` to a temporary file beside `path` and renames it over
// `path`: readers see the old file or the whole new one, never a torn write,
// even if the process is killed (not proof against power loss: no fsync).
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents);

bool PathExists(const std::string& path);

}  // namespace nas

#endif  // NASBENCH_HARNESS_OUTPUT_H_
