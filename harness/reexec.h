#ifndef NASBENCH_HARNESS_REEXEC_H_
#define NASBENCH_HARNESS_REEXEC_H_

// The light `nas` (no libtorch) hands a command it cannot serve to the full
// binary, nas_torch, which links every plugin (harness/libtorch_hooks.h):
// the same arguments, the same process id, the same environment.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/experiment.pb.h"

namespace nas {

// The full binary's file name; it is built beside `nas`.
inline constexpr char kFullBinaryName[] = "nas_torch";

// The full binary beside this executable (its real path, else argv[0]'s
// directory), or NotFound saying where it looked.
absl::StatusOr<std::string> FindFullBinary(const char* argv0);

// Replaces this process by the full binary run with `argv`. Returns only on
// failure, saying why: no full binary, or this process was itself started
// by such a hand-over (a full binary that links no libtorch must not loop).
absl::Status ExecFullBinary(char** argv);

// The experiment in `path`, parsed only for the plugins it names and its
// proxy channels: parameter types this binary does not link are skipped,
// and nothing is validated (LoadExperiment does that).
absl::StatusOr<Experiment> ParseExperimentPlugins(const std::string& path);

}  // namespace nas

#endif  // NASBENCH_HARNESS_REEXEC_H_
