// Registers the libtorch parts of the command line (harness/libtorch_hooks.h)
// in the binaries that link them: //harness:nas_torch and the tests.

#include <string>
#include <vector>

#include "harness/correlate.h"
#include "harness/libtorch_hooks.h"
#include "harness/proxy_scorer.h"
#include "objectives/networks/network.h"
#include "objectives/proxies/proxy.h"

namespace nas {
namespace {

absl::Status Correlate(const std::string& config_path,
                       const CorrelateFlags& flags) {
  CorrelateOptions options;
  options.output_dir = flags.output_dir;
  options.data_dir = flags.data_dir;
  options.overwrite = flags.overwrite;
  options.threads = flags.threads;
  return RunCorrelateCommand(config_path, options);
}

void List() {
  PrintRegistryEntries("network builders (by space)",
                       GlobalNetworkBuilderRegistry());
  PrintRegistryEntries("zero-cost proxies", GlobalProxyRegistry());
}

std::vector<std::string> RegisteringFiles() {
  std::vector<std::string> files;
  for (const auto* e : GlobalNetworkBuilderRegistry().Entries()) {
    files.push_back(e->source_file);
  }
  for (const auto* e : GlobalProxyRegistry().Entries()) {
    files.push_back(e->source_file);
  }
  return files;
}

const bool kRegistered = RegisterLibtorchHooks(
    {&MakeProxyScorer, &Correlate, &List, &RegisteringFiles});

}  // namespace
}  // namespace nas
