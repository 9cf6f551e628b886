#ifndef NASBENCH_HARNESS_LIBTORCH_HOOKS_H_
#define NASBENCH_HARNESS_LIBTORCH_HOOKS_H_

// What the full binary (//harness:nas_torch) adds to the command line: the
// parts of the harness that build networks with libtorch. The light `nas`
// links no libtorch (loading it costs more than the whole quickstart), so
// it has no hooks and re-executes the full binary when a command or config
// needs one (harness/reexec.h). //harness:libtorch_commands registers them.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/experiment.pb.h"
#include "harness/oracle.h"
#include "spaces/search_space.h"

namespace nas {

// `nas correlate`'s flags (harness/correlate.h's CorrelateOptions).
struct CorrelateFlags {
  std::string output_dir;
  std::string data_dir;
  bool overwrite = false;
  int threads = 0;
};

struct LibtorchHooks {
  // The scorer of a benchmark's proxy channel (harness/proxy_scorer.h).
  absl::StatusOr<std::unique_ptr<ProxyScorer>> (*make_proxy_scorer)(
      const ProxySpec& spec, std::shared_ptr<const SearchSpace> space);
  // `nas correlate CONFIG`.
  absl::Status (*correlate)(const std::string& config_path,
                            const CorrelateFlags& flags);
  // `nas list`'s sections of the libtorch registries, printed to stdout.
  void (*list)();
  // The files that registered a network builder or a proxy, for the check
  // that every promised plugin registered (harness/provenance.h).
  std::vector<std::string> (*registering_files)();
};

// The registered hooks, or null in a binary without libtorch.
const LibtorchHooks* GetLibtorchHooks();

// Called once, from a static initialiser of //harness:libtorch_commands.
bool RegisterLibtorchHooks(const LibtorchHooks& hooks);

// One section of `nas list`: each entry's name and description.
template <typename Registry>
void PrintRegistryEntries(const char* title, const Registry& registry) {
  std::printf("%s:\n", title);
  for (const auto* entry : registry.Entries()) {
    std::printf("  %-22s %s\n", entry->name.c_str(),
                entry->description.c_str());
  }
}

}  // namespace nas

#endif  // NASBENCH_HARNESS_LIBTORCH_HOOKS_H_
