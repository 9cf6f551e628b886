#include "harness/store.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/status/status.h"
#include "absl/numeric/int128.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "harness/config.h"
#include "harness/output.h"
#include "absl/strings/str_format.h"
#include "openssl/evp.h"

namespace nas {
namespace {

constexpr const char* kReportFiles[] = {"summary.csv", "summary.json",
                                        "leaderboard.md", "report.html"};

// True when `dir` holds nothing but (maybe) a lock file.
bool IsEmptyDir(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return true;
  bool empty = true;
  while (const dirent* entry = ::readdir(handle)) {
    const std::string name = entry->d_name;
    if (name != "." && name != ".." && name != DirLock::kFileName) {
      empty = false;
      break;
    }
  }
  ::closedir(handle);
  return empty;
}

// The first few of `config`'s output files that exist in `dir` and are not
// in `ours` (the files a stored run wrote).
std::vector<std::string> ForeignOutputs(const std::string& dir,
                                        const Experiment& config,
                                        const OutputPaths* ours) {
  std::vector<std::string> found;
  for (const std::string& file : OutputPathsOf(config).files) {
    if (ours != nullptr && std::find(ours->files.begin(), ours->files.end(),
                                     file) != ours->files.end()) {
      continue;
    }
    if (PathExists(absl::StrCat(dir, "/", file))) {
      found.push_back(file);
      if (found.size() == 5) break;
    }
  }
  return found;
}

absl::Status RefuseForeign(const std::string& dir,
                           const std::vector<std::string>& foreign) {
  return absl::FailedPreconditionError(absl::StrCat(
      "'", dir, "' holds files that nas did not write under names its "
      "results would take (", absl::StrJoin(foreign, ", "),
      "); nas never overwrites files it did not write. Move them, or choose "
      "another --output_dir"));
}

absl::Status CheckCellsIntact(const std::string& dir,
                              const Experiment& config,
                              const Manifest& manifest) {
  for (const CellId& id : AllCells(config)) {
    const std::string path =
        absl::StrCat(dir, "/", CellRelativePath(config, id));
    if (!PathExists(path)) continue;
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    absl::StatusOr<StoredCell> cell = ParseCellFile(*text, id, path);
    if (!cell.ok()) return cell.status();
    if (absl::Status s = CheckCellAgainstBudget(*cell, config, manifest, path);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// Everything that must hold before `mode` may write into `dir`; reads only.
absl::Status CheckOutputDir(const std::string& dir, const Experiment& config,
                            const Manifest& manifest, OpenMode mode) {
  if (!PathExists(dir)) return absl::OkStatus();
  if (!IsDirectory(dir)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", dir, "' exists and is not a directory; choose another "
        "--output_dir"));
  }
  const bool results = IsResultsDir(dir);
  switch (mode) {
    case OpenMode::kFresh: {
      if (results) {
        return absl::FailedPreconditionError(absl::StrCat(
            "'", dir, "' already holds results; pass --resume to finish that "
            "run, --overwrite to replace it, or choose another "
            "--output_dir"));
      }
      std::vector<std::string> foreign = ForeignOutputs(dir, config, nullptr);
      if (!foreign.empty()) return RefuseForeign(dir, foreign);
      return absl::OkStatus();
    }
    case OpenMode::kOverwrite: {
      if (!results) {
        if (IsEmptyDir(dir)) return absl::OkStatus();
        return absl::FailedPreconditionError(absl::StrCat(
            "'", dir, "' is not a results directory of nas (it has no "
            "manifest.json written by nas), so --overwrite will not delete "
            "anything in it. Choose a new or empty --output_dir"));
      }
      absl::StatusOr<Experiment> stored = ReadStoredConfig(dir);
      if (!stored.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot tell which files in '", dir, "' nas wrote: ",
            stored.status().message(),
            ". --overwrite deletes only what a run wrote; remove the "
            "directory by hand if it is yours to delete"));
      }
      const OutputPaths ours = OutputPathsOf(*stored);
      std::vector<std::string> foreign = ForeignOutputs(dir, config, &ours);
      if (!foreign.empty()) return RefuseForeign(dir, foreign);
      return absl::OkStatus();
    }
    case OpenMode::kResume: {
      if (!results) {
        if (PathExists(absl::StrCat(dir, "/", kManifestFile))) {
          // Unreadable or of another schema: say why.
          return ReadManifest(dir).status();
        }
        std::vector<std::string> foreign =
            ForeignOutputs(dir, config, nullptr);
        if (!foreign.empty()) return RefuseForeign(dir, foreign);
        return absl::OkStatus();  // Nothing to resume: a fresh start.
      }
      absl::StatusOr<Manifest> stored_manifest = ReadManifest(dir);
      if (!stored_manifest.ok()) return stored_manifest.status();
      const std::string config_path = absl::StrCat(dir, "/", kConfigFile);
      absl::StatusOr<std::string> stored = ReadFile(config_path);
      if (!stored.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot resume: '", dir, "' has a manifest but no readable ",
            kConfigFile, " (", stored.status().message(),
            "); rerun with --overwrite"));
      }
      if (*stored != ConfigText(config)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot resume: '", config_path,
            "' holds a different experiment than this config (after "
            "normalisation). Resume with the config that started the run, "
            "or use another --output_dir"));
      }
      const std::vector<std::string> differences =
          ManifestDifferences(*stored_manifest, manifest);
      if (!differences.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot resume '", dir,
            "': its cells were made under other conditions than this run "
            "would have, and mixing them would give results that no single "
            "run produces:\n  ",
            absl::StrJoin(differences, "\n  "),
            "\nResume with the same build and data (e.g. --data_dir pointing "
            "at the tables the run started with), or start again with "
            "--overwrite or another --output_dir"));
      }
      return CheckCellsIntact(dir, config, *stored_manifest);
    }
  }
  return absl::OkStatus();
}

absl::Status RemoveIfPresent(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::InternalError(absl::StrCat("cannot remove '", path, "': ",
                                            std::strerror(errno)));
  }
  return absl::OkStatus();
}

// Deletes what a run of `stored` wrote in `dir`, and nothing else:
// directories only when they are left empty. The manifest goes last, so a
// kill midway leaves a directory that is still recognisably ours.
absl::Status RemoveOutputsOf(const std::string& dir, const Experiment& stored) {
  const OutputPaths paths = OutputPathsOf(stored);
  for (const std::string& file : paths.files) {
    if (file == kManifestFile) continue;
    if (absl::Status s = RemoveIfPresent(absl::StrCat(dir, "/", file));
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& sub : paths.dirs) {
    const std::string path = absl::StrCat(dir, "/", sub);
    RemoveOurTempFiles(path);
    ::rmdir(path.c_str());  // Fails, as it should, when a user file is left.
  }
  return RemoveIfPresent(absl::StrCat(dir, "/", kManifestFile));
}

}  // namespace

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(),
             nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::string CellRelativePath(const Experiment& config, const CellId& id) {
  return absl::StrCat("cells/", config.benchmark(id.benchmark).name(), "/",
                      config.algorithm(id.algorithm).label(), "/seed_",
                      id.seed, ".csv");
}

std::vector<CellId> AllCells(const Experiment& config) {
  std::vector<CellId> cells;
  for (int b = 0; b < config.benchmark_size(); ++b) {
    for (int a = 0; a < config.algorithm_size(); ++a) {
      for (int s = 0; s < config.num_seeds(); ++s) cells.push_back({b, a, s});
    }
  }
  return cells;
}

std::string ConfigText(const Experiment& config) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  return text;
}

OutputPaths OutputPathsOf(const Experiment& config) {
  OutputPaths paths;
  for (const CellId& id : AllCells(config)) {
    paths.files.push_back(CellRelativePath(config, id));
  }
  for (const BenchmarkSpec& b : config.benchmark()) {
    paths.files.push_back(absl::StrCat("plots/", b.name(), "_queries.svg"));
    paths.files.push_back(absl::StrCat("plots/", b.name(), "_seconds.svg"));
    if (b.has_multiobjective()) {
      paths.files.push_back(absl::StrCat("plots/", b.name(), "_pareto.svg"));
    }
  }
  paths.files.push_back("plots/ranks.svg");
  // The hypervolume reports (harness/hypervolume_report.h).
  paths.files.push_back("hypervolume.csv");
  paths.files.push_back("hypervolume.md");
  for (const char* name : kReportFiles) paths.files.push_back(name);
  paths.files.push_back(kConfigFile);
  paths.files.push_back(kManifestFile);
  for (const BenchmarkSpec& b : config.benchmark()) {
    for (const AlgorithmSpec& a : config.algorithm()) {
      paths.dirs.push_back(absl::StrCat("cells/", b.name(), "/", a.label()));
    }
    paths.dirs.push_back(absl::StrCat("cells/", b.name()));
  }
  paths.dirs.push_back("cells");
  paths.dirs.push_back("plots");
  return paths;
}

bool IsResultsDir(const std::string& dir) {
  absl::StatusOr<std::string> text =
      ReadFile(absl::StrCat(dir, "/", kManifestFile));
  if (!text.ok()) return false;
  Manifest manifest;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  return google::protobuf::util::JsonStringToMessage(*text, &manifest, options)
             .ok() &&
         absl::StartsWith(manifest.schema(), kManifestSchemaFamily);
}

std::vector<std::string> ManifestDifferences(const Manifest& stored,
                                             const Manifest& now) {
  std::vector<std::string> differences;
  const google::protobuf::Descriptor* type = Manifest::descriptor();
  const google::protobuf::Reflection* reflection = Manifest::GetReflection();
  auto brief = [](const std::string& text) {
    return text.size() > 160 ? absl::StrCat(text.substr(0, 157), "...")
                             : text;
  };
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    const std::string& name = field->name();
    // What a run adds at the end, not what it was made with.
    if (name == "num_cells" || name == "num_finished_cells" ||
        name == "results_fingerprint") {
      continue;
    }
    if (name == "data_file") {
      std::map<std::string, std::string> before, after;
      for (const DataFile& f : stored.data_file()) before[f.path()] = f.sha256();
      for (const DataFile& f : now.data_file()) after[f.path()] = f.sha256();
      for (const auto& [path, sha] : before) {
        auto it = after.find(path);
        if (it == after.end()) {
          differences.push_back(absl::StrCat("data file ", path,
                                             ": used before, not now"));
        } else if (it->second != sha) {
          differences.push_back(absl::StrCat(
              "data file ", path, ": sha256 was ", sha.substr(0, 16),
              "..., is now ", it->second.substr(0, 16),
              "... (another table under the same name)"));
        }
      }
      for (const auto& [path, sha] : after) {
        if (before.count(path) == 0) {
          differences.push_back(
              absl::StrCat("data file ", path, ": used now, not before"));
        }
      }
      continue;
    }
    std::string a, b;
    if (field->is_repeated()) {
      const int n = reflection->FieldSize(stored, field);
      const int m = reflection->FieldSize(now, field);
      for (int k = 0; k < n; ++k) {
        absl::StrAppend(&a, k ? "; " : "",
                        reflection->GetRepeatedMessage(stored, field, k)
                            .ShortDebugString());
      }
      for (int k = 0; k < m; ++k) {
        absl::StrAppend(&b, k ? "; " : "",
                        reflection->GetRepeatedMessage(now, field, k)
                            .ShortDebugString());
      }
    } else if (reflection->HasField(stored, field) ||
               reflection->HasField(now, field)) {
      google::protobuf::TextFormat::PrintFieldValueToString(stored, field, -1,
                                                            &a);
      google::protobuf::TextFormat::PrintFieldValueToString(now, field, -1,
                                                            &b);
    }
    if (a != b) {
      differences.push_back(absl::StrCat(name, ": was ", brief(a), ", is now ",
                                         brief(b)));
    }
  }
  return differences;
}

absl::StatusOr<std::unique_ptr<DirLock>> OpenOutputDir(
    const std::string& dir, const Experiment& config, const Manifest& manifest,
    OpenMode mode, const std::string& command) {
  // Checked twice: before creating anything (bad input leaves no trace),
  // and again under the lock (another writer may have been quicker).
  if (absl::Status s = CheckOutputDir(dir, config, manifest, mode); !s.ok()) {
    return s;
  }
  const bool existed = PathExists(dir);
  if (absl::Status s = MakeDirectories(dir); !s.ok()) return s;
  auto fail = [&](absl::Status status) {
    if (!existed) ::rmdir(dir.c_str());
    return status;
  };
  absl::StatusOr<std::unique_ptr<DirLock>> lock =
      DirLock::Acquire(dir, command);
  if (!lock.ok()) return fail(lock.status());
  if (absl::Status s = CheckOutputDir(dir, config, manifest, mode); !s.ok()) {
    lock->reset();
    return fail(s);
  }
  if (!(*lock)->stale_holder().empty()) {
    std::fprintf(stderr,
                 "nas: note: '%s' was locked by a process that did not "
                 "finish (%s); it is gone, so this run takes over\n",
                 dir.c_str(), EscapeForTerminal((*lock)->stale_holder()).c_str());
  }
  if (mode == OpenMode::kOverwrite && IsResultsDir(dir)) {
    absl::StatusOr<Experiment> stored = ReadStoredConfig(dir);
    if (!stored.ok()) return stored.status();
    if (absl::Status s = RemoveOutputsOf(dir, *stored); !s.ok()) return s;
  }
  // Temporary files of a killed run, in the directories a run writes to.
  RemoveOurTempFiles(dir);
  for (const std::string& sub : OutputPathsOf(config).dirs) {
    RemoveOurTempFiles(absl::StrCat(dir, "/", sub));
  }
  // The manifest first: from then on the directory is recognisably ours.
  if (absl::Status s = WriteManifest(dir, manifest); !s.ok()) return s;
  if (absl::Status s = WriteFileAtomically(
          absl::StrCat(dir, "/", kConfigFile), ConfigText(config));
      !s.ok()) {
    return s;
  }
  return lock;
}

absl::Status CheckCellAgainstBudget(const StoredCell& cell,
                                    const Experiment& config,
                                    const Manifest& manifest,
                                    const std::string& path) {
  if (!config.budget().has_queries()) return absl::OkStatus();
  const int64_t budget = config.budget().queries();
  auto refuse = [&](const std::string& what) {
    return absl::DataLossError(absl::StrCat(
        path, ": ", what,
        ": the file does not belong to this experiment. Delete it and rerun "
        "with --resume to recompute that cell"));
  };
  if (cell.num_queries() > budget) {
    return refuse(absl::StrCat(cell.num_queries(),
                               " queries, more than the budget of ", budget));
  }
  // An algorithm spends the whole query budget unless it fails or the space
  // runs out (the conformance suite holds every plugin to that), so a
  // finished cell that stopped short was cut, not run.
  const int b = cell.id.benchmark;
  if (cell.ok && !config.budget().has_seconds() && cell.num_queries() < budget &&
      b < manifest.benchmark_size()) {
    absl::uint128 space_size = 0;
    if (absl::SimpleAtoi(manifest.benchmark(b).space_size(), &space_size) &&
        space_size > absl::uint128(budget)) {
      return refuse(absl::StrCat("the cell ended without error after ",
                                 cell.num_queries(), " of its ", budget,
                                 " queries, in a space of more than ", budget,
                                 " architectures"));
    }
  }
  return absl::OkStatus();
}

bool CellFinished(const std::string& dir, const Experiment& config,
                  const CellId& id) {
  return PathExists(absl::StrCat(dir, "/", CellRelativePath(config, id)));
}

absl::Status WriteCell(const std::string& dir, const Experiment& config,
                       const CellId& id, const std::string& contents) {
  const std::string path =
      absl::StrCat(dir, "/", CellRelativePath(config, id));
  // One stat for the usual case, an existing directory, instead of a mkdir
  // per path component for every cell.
  const std::string parent = path.substr(0, path.rfind('/'));
  if (!IsDirectory(parent)) {
    if (absl::Status s = MakeDirectories(parent); !s.ok()) return s;
  }
  return WriteFileAtomically(path, contents);
}

absl::StatusOr<Experiment> ReadStoredConfig(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kConfigFile);
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat(
        "'", dir, "' is not a results directory (no ", kConfigFile, ")"));
  }
  return ParseExperiment(*text, path);
}

absl::StatusOr<Manifest> ReadManifest(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kManifestFile);
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  Manifest manifest;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // Judge by `schema` instead.
  const auto status =
      google::protobuf::util::JsonStringToMessage(*text, &manifest, options);
  if (!status.ok()) {
    return absl::DataLossError(absl::StrCat(
        path, ": not a valid manifest (", status.ToString(),
        "); rerun the experiment with --overwrite to rewrite it"));
  }
  if (manifest.schema() != kManifestSchema) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": written for results schema '", manifest.schema(),
        "', this nas reads '", kManifestSchema,
        "'. Use the nas build that wrote it, or rerun the experiment with "
        "--overwrite."));
  }
  return manifest;
}

absl::Status WriteManifest(const std::string& dir, const Manifest& manifest) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  const auto status =
      google::protobuf::util::MessageToJsonString(manifest, &json, options);
  if (!status.ok()) return absl::InternalError(status.ToString());
  return WriteFileAtomically(absl::StrCat(dir, "/", kManifestFile), json);
}

absl::StatusOr<std::vector<StoredCell>> LoadCells(
    const std::string& dir, const Experiment& config, Manifest* manifest,
    const PreloadedCells* preloaded) {
  std::vector<StoredCell> cells;
  std::string fingerprint_input;
  const std::vector<CellId> all = AllCells(config);
  for (size_t i = 0; i < all.size(); ++i) {
    const CellId& id = all[i];
    const std::string relative = CellRelativePath(config, id);
    if (preloaded != nullptr) {
      auto it = preloaded->find(static_cast<int>(i));
      if (it != preloaded->end()) {
        cells.push_back(it->second.cell);
        absl::StrAppend(&fingerprint_input, relative, "\n",
                        it->second.content_hash,
                        "\n");
        continue;
      }
    }
    const std::string path = absl::StrCat(dir, "/", relative);
    if (!PathExists(path)) continue;
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    absl::StatusOr<StoredCell> cell = ParseCellFile(*text, id, path);
    if (!cell.ok()) return cell.status();
    if (absl::Status s = CheckCellAgainstBudget(*cell, config, *manifest, path);
        !s.ok()) {
      return s;
    }
    cells.push_back(*std::move(cell));
    absl::StrAppend(&fingerprint_input, relative, "\n", ContentHash(*text),
                    "\n");
  }
  manifest->set_num_cells(static_cast<int>(all.size()));
  manifest->set_num_finished_cells(static_cast<int>(cells.size()));
  manifest->set_results_fingerprint(ContentHash(fingerprint_input));
  return cells;
}

}  // namespace nas
