#ifndef NASBENCH_CORE_REGISTRY_H_
#define NASBENCH_CORE_REGISTRY_H_

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/message.h"

namespace nas {

// One registered plugin: its name, a one-line description, the prototype of
// its parameter message (nullptr when it takes none), its factory and the
// source file that registered it (__FILE__, relative to the workspace under
// Bazel), which tells the harness's provenance which package it came from.
template <typename Factory>
struct PluginEntry {
  std::string name;
  std::string description;
  const google::protobuf::Message* params_prototype = nullptr;
  Factory factory;
  std::string source_file;
};

// A name -> plugin table for one kind of plugin (search spaces, objectives,
// algorithms). Plugins add themselves from their own .cc files through the
// NAS_REGISTER_* macros, so the harness never lists them. Registering a name
// twice is a programming error and aborts at start-up; asking for an unknown
// name is a user error and returns NotFound listing the known names.
//
// Thread-safe. Entries are never removed, so returned pointers stay valid.
template <typename Factory>
class Registry {
 public:
  using Entry = PluginEntry<Factory>;

  // `kind` names the plugins in messages, e.g. "algorithm".
  static Registry& Global(absl::string_view kind) {
    static Registry* registry = new Registry(std::string(kind));
    return *registry;
  }

  void Register(Entry entry) {
    absl::MutexLock lock(&mu_);
    const std::string name = entry.name;
    if (!entries_.emplace(name, std::move(entry)).second) {
      std::fprintf(stderr,
                   "%s '%s' is registered twice; names must be unique\n",
                   kind_.c_str(), name.c_str());
      std::abort();
    }
  }

  absl::StatusOr<const Entry*> Find(absl::string_view name) const {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(std::string(name));
    if (it == entries_.end()) {
      std::vector<std::string> known;
      for (const auto& [known_name, unused] : entries_)
        known.push_back(known_name);
      return absl::NotFoundError(absl::StrCat(
          "unknown ", kind_, " '", name, "'; registered ", kind_, "s: ",
          known.empty() ? std::string("(none)") : absl::StrJoin(known, ", "),
          ". Check the spelling; if it is a plugin you wrote, list its "
          "target in harness/plugins.bzl and give its cc_library "
          "`alwayslink = 1` (tools/new_plugin.sh does both)."));
    }
    return &it->second;
  }

  // Sorted names.
  std::vector<std::string> Names() const {
    absl::MutexLock lock(&mu_);
    std::vector<std::string> names;
    for (const auto& [name, unused] : entries_) names.push_back(name);
    return names;
  }

  std::vector<const Entry*> Entries() const {
    absl::MutexLock lock(&mu_);
    std::vector<const Entry*> entries;
    for (const auto& [unused, entry] : entries_) entries.push_back(&entry);
    return entries;
  }

  const std::string& kind() const { return kind_; }

 private:
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  const std::string kind_;
  mutable absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

// The parameters a factory receives, as the plugin's message type `Params`:
// the configured message (of the registered prototype's type), or Params'
// defaults when the config gives none (nullptr).
template <typename Params>
const Params& ParamsOrDefaults(const google::protobuf::Message* params) {
  return params != nullptr ? static_cast<const Params&>(*params)
                           : Params::default_instance();
}

// What a typed factory returns: the plugin built by its own New(), as the
// interface `Base` the registry holds.
template <typename Base, typename Impl>
absl::StatusOr<std::unique_ptr<Base>> AsPluginInterface(
    absl::StatusOr<std::unique_ptr<Impl>> plugin) {
  if (!plugin.ok()) return plugin.status();
  return std::unique_ptr<Base>(std::move(*plugin));
}

// Runs a registration when a static object is initialised.
class PluginRegistrar {
 public:
  template <typename RegisterFn>
  explicit PluginRegistrar(RegisterFn register_fn) {
    register_fn();
  }
};

#define NAS_INTERNAL_CONCAT_INNER(a, b) a##b
#define NAS_INTERNAL_CONCAT(a, b) NAS_INTERNAL_CONCAT_INNER(a, b)
#define NAS_INTERNAL_UNIQUE_NAME(prefix) \
  NAS_INTERNAL_CONCAT(prefix, __COUNTER__)

}  // namespace nas

#endif  // NASBENCH_CORE_REGISTRY_H_
