#ifndef NASBENCH_HARNESS_PROVENANCE_H_
#define NASBENCH_HARNESS_PROVENANCE_H_

// Which package registered each plugin and a digest of the sources it was
// built from, so that a manifest says what code produced the results. The
// digests are computed at build time over //harness:plugins
// (harness/provenance.bzl); the package comes from the registering file
// (NAS_REGISTER_* record __FILE__).

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/experiment.pb.h"
#include "harness/results.pb.h"

namespace nas {

// `kind` is "space", "objective" or "algorithm"; `name` a registered name.
// InvalidArgument for another kind, NotFound for an unregistered name or a
// plugin linked outside //harness:plugins (which has no digest).
absl::StatusOr<PluginProvenance> FindPluginProvenance(absl::string_view kind,
                                                      absl::string_view name);

// FindPluginProvenance(kind, name)->sources_sha256().
absl::StatusOr<std::string> PluginSourceDigest(absl::string_view kind,
                                               absl::string_view name);

// The (kind, name) of each distinct plugin `config` names: benchmarks'
// spaces and objectives, algorithms; sorted by kind and name.
std::set<std::pair<std::string, std::string>> PluginsNamedBy(
    const Experiment& config);

// Whether this binary registered a plugin of `kind` named `name`.
bool IsPluginRegistered(absl::string_view kind, absl::string_view name);

// Appends to manifest->plugin one entry per distinct plugin `config` names
// (benchmarks' spaces and objectives, algorithms), sorted by kind and name.
// Call it after the config is validated: a name that is not registered is
// skipped; a registered plugin without a digest gets an empty
// sources_sha256.
void AddPluginProvenance(const Experiment& config, Manifest* manifest);

// The targets harness/plugins.bzl links that registered nothing: a plugin
// silently dropped by the linker (its cc_library lacks `alwayslink = 1`) or
// one whose .cc has no NAS_REGISTER_* line. Empty when every promised
// package registered at least one plugin.
std::vector<std::string> PromisedPluginsThatDidNotRegister();

// FailedPrecondition naming each such target and the fix, else OK.
absl::Status CheckEveryPromisedPluginRegistered();

}  // namespace nas

#endif  // NASBENCH_HARNESS_PROVENANCE_H_
