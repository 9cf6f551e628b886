#include "harness/provenance.h"

#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "algorithms/algorithm.h"
#include "harness/libtorch_hooks.h"
#include "harness/plugin_digests.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {
namespace {

// The directory of a registering file: its Bazel package.
std::string PackageOf(const std::string& source_file) {
  const size_t slash = source_file.rfind('/');
  return slash == std::string::npos ? "" : source_file.substr(0, slash);
}

template <typename Registry>
absl::StatusOr<std::string> FileRegistering(const Registry& registry,
                                            absl::string_view name) {
  auto entry = registry.Find(name);
  if (!entry.ok()) return entry.status();
  return (*entry)->source_file;
}

absl::StatusOr<std::string> RegisteringFile(absl::string_view kind,
                                            absl::string_view name) {
  if (kind == "space") return FileRegistering(GlobalSearchSpaceRegistry(), name);
  if (kind == "objective") return FileRegistering(GlobalObjectiveRegistry(), name);
  if (kind == "algorithm") return FileRegistering(GlobalAlgorithmRegistry(), name);
  return absl::InvalidArgumentError(absl::StrCat(
      "plugin kind '", kind, "' is not one of space, objective, algorithm"));
}

}  // namespace

absl::StatusOr<PluginProvenance> FindPluginProvenance(absl::string_view kind,
                                                      absl::string_view name) {
  absl::StatusOr<std::string> file = RegisteringFile(kind, name);
  if (!file.ok()) return file.status();
  PluginProvenance provenance;
  provenance.set_kind(std::string(kind));
  provenance.set_name(std::string(name));
  provenance.set_package(PackageOf(*file));
  for (int i = 0; i < kNumPluginDigests; ++i) {
    if (provenance.package() == kPluginDigests[i].package) {
      provenance.set_sources_sha256(kPluginDigests[i].sources_sha256);
      return provenance;
    }
  }
  return absl::NotFoundError(absl::StrCat(
      kind, " '", name, "' was registered by ", *file,
      ", whose package is not in //harness:plugins (harness/plugins.bzl), so "
      "its sources have no digest"));
}

absl::StatusOr<std::string> PluginSourceDigest(absl::string_view kind,
                                               absl::string_view name) {
  absl::StatusOr<PluginProvenance> provenance = FindPluginProvenance(kind, name);
  if (!provenance.ok()) return provenance.status();
  return provenance->sources_sha256();
}

std::set<std::pair<std::string, std::string>> PluginsNamedBy(
    const Experiment& config) {
  std::set<std::pair<std::string, std::string>> plugins;
  for (const BenchmarkSpec& benchmark : config.benchmark()) {
    plugins.insert({"space", benchmark.space().name()});
    plugins.insert({"objective", benchmark.objective().name()});
  }
  for (const AlgorithmSpec& algorithm : config.algorithm()) {
    plugins.insert({"algorithm", algorithm.plugin()});
  }
  return plugins;
}

bool IsPluginRegistered(absl::string_view kind, absl::string_view name) {
  return RegisteringFile(kind, name).ok();
}

void AddPluginProvenance(const Experiment& config, Manifest* manifest) {
  for (const auto& [kind, name] : PluginsNamedBy(config)) {
    absl::StatusOr<PluginProvenance> provenance =
        FindPluginProvenance(kind, name);
    if (provenance.ok()) {
      *manifest->add_plugin() = *std::move(provenance);
      continue;
    }
    absl::StatusOr<std::string> file = RegisteringFile(kind, name);
    if (!file.ok()) continue;  // Not registered: the config check says so.
    PluginProvenance* entry = manifest->add_plugin();
    entry->set_kind(kind);
    entry->set_name(name);
    entry->set_package(PackageOf(*file));
  }
}

std::vector<std::string> PromisedPluginsThatDidNotRegister() {
  std::set<std::string> registered;
  for (const auto* e : GlobalSearchSpaceRegistry().Entries()) {
    registered.insert(PackageOf(e->source_file));
  }
  for (const auto* e : GlobalObjectiveRegistry().Entries()) {
    registered.insert(PackageOf(e->source_file));
  }
  for (const auto* e : GlobalAlgorithmRegistry().Entries()) {
    registered.insert(PackageOf(e->source_file));
  }
  // Network builders and proxies exist only in a binary with libtorch.
  if (const LibtorchHooks* hooks = GetLibtorchHooks()) {
    for (const std::string& file : hooks->registering_files()) {
      registered.insert(PackageOf(file));
    }
  }
  std::vector<std::string> missing;
  for (int i = 0; i < kNumPluginDigests; ++i) {
    if (registered.count(kPluginDigests[i].package) == 0) {
      missing.push_back(kPluginDigests[i].label);
    }
  }
  return missing;
}

absl::Status CheckEveryPromisedPluginRegistered() {
  const std::vector<std::string> missing = PromisedPluginsThatDidNotRegister();
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "harness/plugins.bzl links ", absl::StrJoin(missing, ", "),
      " but nothing in ", missing.size() == 1 ? "it" : "them",
      " registered a plugin. Give each such cc_library `alwayslink = 1` (the "
      "linker drops a library whose only entry point is its static "
      "registrar) and check that its .cc has a NAS_REGISTER_* line "
      "(tools/new_plugin.sh writes both)"));
}

}  // namespace nas
