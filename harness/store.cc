#include "harness/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "harness/config.h"
#include "harness/output.h"

namespace nas {
namespace {

constexpr const char* kReportFiles[] = {"summary.csv", "summary.json",
                                        "leaderboard.md", "report.html"};

// The schema of one file per cell, cells/<benchmark>/<algorithm>/seed_<k>.csv.
constexpr char kVersion3Schema[] = "nasbench-results/3";

// Starts every record of the store (store.h).
constexpr absl::string_view kRecordStart = "#cell ";

// One buffer of the record's size.
std::string StoreRecord(absl::string_view name, absl::string_view cell) {
  return absl::StrCat(kRecordStart, cell.size(), " ", name, "\n", cell);
}

// The search space of a stored benchmark, built from its config alone (no
// data loaded). `dir` names the results in messages.
absl::StatusOr<std::shared_ptr<const SearchSpace>> MakeStoredSpace(
    const BenchmarkSpec& benchmark, const std::string& dir) {
  auto cannot = [&](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot print the architectures of benchmark '",
                     benchmark.name(), "' in '", dir, "': ", why,
                     ". Use the nas build that wrote these results"));
  };
  auto entry = GlobalSearchSpaceRegistry().Find(benchmark.space().name());
  if (!entry.ok()) return cannot(entry.status().message());
  std::unique_ptr<google::protobuf::Message> params;
  if ((*entry)->params_prototype != nullptr) {
    params.reset((*entry)->params_prototype->New());
    if (benchmark.space().has_params() &&
        !benchmark.space().params().UnpackTo(params.get())) {
      return cannot("its space parameters do not decode");
    }
  }
  auto space = (*entry)->factory(params.get());
  if (!space.ok()) return cannot(space.status().message());
  return std::shared_ptr<const SearchSpace>(*std::move(space));
}

// Position of `id` in AllCells(config).
size_t CellPosition(const Experiment& config, const CellId& id) {
  return (static_cast<size_t>(id.benchmark) * config.algorithm_size() +
          id.algorithm) *
             config.num_seeds() +
         id.seed;
}

// What a directory's store holds.
struct StoreScan {
  std::string path;
  std::string data;  // The file's bytes ("" when there is none).
  // By position in AllCells(): the cell's file, a view into `data`; empty
  // for a cell without a record (a recorded cell file is never empty).
  std::vector<absl::string_view> cells;
  // Positions of the records, in the order they are in the file.
  std::vector<size_t> file_order;
  // Where the whole records end; a torn tail follows when < data.size().
  size_t whole_bytes = 0;
};

// Reads `dir`'s store and finds its records, without parsing the cells.
absl::StatusOr<StoreScan> ScanStore(const std::string& dir,
                                    const Experiment& config) {
  StoreScan scan;
  scan.path = absl::StrCat(dir, "/", kCellStoreFile);
  const std::vector<CellId> all = AllCells(config);
  scan.cells.resize(all.size());
  if (!PathExists(scan.path)) return scan;
  absl::StatusOr<std::string> data = ReadFile(scan.path);
  if (!data.ok()) return data.status();
  scan.data = *std::move(data);
  std::unordered_map<std::string, size_t> position;
  for (size_t i = 0; i < all.size(); ++i) {
    position[CellName(config, all[i])] = i;
  }
  const absl::string_view view = scan.data;
  size_t offset = 0;
  auto damaged = [&](const std::string& what) {
    return absl::DataLossError(absl::StrCat(
        scan.path, ": byte ", offset, ": ", what,
        ". The results store is damaged there; rerun the experiment with "
        "--overwrite, or keep the cells before it: truncate -s ",
        offset, " '", scan.path, "' and rerun with --resume"));
  };
  while (offset < view.size()) {
    const absl::string_view rest = view.substr(offset);
    const size_t line_end = rest.find('\n');
    if (line_end == absl::string_view::npos) {
      // The start of a record header, cut short: a torn tail.
      if (absl::StartsWith(kRecordStart, rest.substr(0, kRecordStart.size()))) {
        break;
      }
      return damaged("bytes that are not a record (garbage at the end?)");
    }
    absl::string_view header = rest.substr(0, line_end);
    size_t bytes = 0;
    const size_t space = header.find(' ', kRecordStart.size());
    if (!absl::ConsumePrefix(&header, kRecordStart) ||
        space == absl::string_view::npos ||
        !absl::SimpleAtoi(header.substr(0, space - kRecordStart.size()),
                          &bytes)) {
      return damaged(absl::StrCat(
          "'", PrintableExcerpt(rest.substr(0, line_end), 60),
          "' where a record should start ('#cell <bytes> <cell>')"));
    }
    const absl::string_view name =
        header.substr(space - kRecordStart.size() + 1);
    if (bytes > rest.size() - line_end - 1) break;  // Cut short: torn tail.
    const auto it = position.find(std::string(name));
    if (it == position.end()) {
      return damaged(absl::StrCat(
          "a record of cell '", PrintableExcerpt(name, 80),
          "', which this experiment does not have (the store comes from "
          "another run?)"));
    }
    if (bytes == 0 || !scan.cells[it->second].empty()) {
      return damaged(absl::StrCat(
          "cell ", name,
          bytes == 0 ? " recorded empty" : " recorded a second time"));
    }
    scan.cells[it->second] = rest.substr(line_end + 1, bytes);
    scan.file_order.push_back(it->second);
    offset += line_end + 1 + bytes;
  }
  scan.whole_bytes = offset;
  return scan;
}

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
  Manifest checked = manifest;
  return LoadCells(dir, config, &checked).status();
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
      if (absl::Status s = CheckSchemaWritable(*stored_manifest, dir, "resume");
          !s.ok()) {
        return s;
      }
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

// The schema of `dir`'s manifest.json; "" when there is none, or it is not
// a manifest.
std::string StoredSchema(const std::string& dir) {
  absl::StatusOr<std::string> text =
      ReadFile(absl::StrCat(dir, "/", kManifestFile));
  if (!text.ok()) return "";
  Manifest manifest;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(*text, &manifest, options)
           .ok()) {
    return "";
  }
  return manifest.schema();
}

// The cell files a run of schema version 3 wrote,
// cells/<benchmark>/<algorithm>/seed_<k>.csv, and their directories when left
// empty. Looks only at what is there: one stat when there is no cells/.
void RemoveVersion3CellFiles(const std::string& dir, const Experiment& stored) {
  const std::string cells = absl::StrCat(dir, "/cells");
  if (!IsDirectory(cells)) return;
  for (const BenchmarkSpec& b : stored.benchmark()) {
    const std::string benchmark_dir = absl::StrCat(cells, "/", b.name());
    if (!IsDirectory(benchmark_dir)) continue;
    for (const AlgorithmSpec& a : stored.algorithm()) {
      const std::string algorithm_dir =
          absl::StrCat(benchmark_dir, "/", a.label());
      DIR* handle = ::opendir(algorithm_dir.c_str());
      if (handle == nullptr) continue;
      std::vector<std::string> ours;
      while (const dirent* entry = ::readdir(handle)) {
        absl::string_view name = entry->d_name;
        int seed = -1;
        if (IsOurTempFileName(name) ||
            (absl::ConsumePrefix(&name, "seed_") &&
             absl::ConsumeSuffix(&name, ".csv") &&
             absl::SimpleAtoi(name, &seed) && seed >= 0 &&
             seed < stored.num_seeds())) {
          ours.push_back(entry->d_name);
        }
      }
      ::closedir(handle);
      for (const std::string& name : ours) {
        ::unlink(absl::StrCat(algorithm_dir, "/", name).c_str());
      }
      ::rmdir(algorithm_dir.c_str());  // Fails when a user file is left.
    }
    ::rmdir(benchmark_dir.c_str());
  }
  ::rmdir(cells.c_str());
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
  if (StoredSchema(dir) == kVersion3Schema)
    RemoveVersion3CellFiles(dir, stored);
  return RemoveIfPresent(absl::StrCat(dir, "/", kManifestFile));
}

}  // namespace

std::string CellName(const Experiment& config, const CellId& id) {
  return absl::StrCat(config.benchmark(id.benchmark).name(), "/",
                      config.algorithm(id.algorithm).label(), "/seed_",
                      id.seed);
}

std::string ConfigText(const Experiment& config) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  return text;
}

OutputPaths OutputPathsOf(const Experiment& config) {
  OutputPaths paths;
  paths.files.push_back(kCellStoreFile);
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
  paths.dirs.push_back("plots");
  return paths;
}

bool IsResultsDir(const std::string& dir) {
  return absl::StartsWith(StoredSchema(dir), kManifestSchemaFamily);
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
  // Temporary files of a killed run, in the directories a run writes to
  // (a torn tail of the store is cut by CellStoreWriter::Open).
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

absl::Status CheckCellAgainstBudget(const CellResult& cell,
                                    const Experiment& config,
                                    const Manifest& manifest,
                                    const std::string& where) {
  if (!config.budget().has_queries()) return absl::OkStatus();
  const int64_t budget = config.budget().queries();
  auto refuse = [&](const std::string& what) {
    return absl::DataLossError(absl::StrCat(
        where, ": ", what,
        ": the cell does not belong to this experiment. Rerun the experiment "
        "with --overwrite, or with --resume after removing that record"));
  };
  if (cell.num_queries() > budget) {
    return refuse(absl::StrCat(cell.num_queries(),
                               " queries, more than the budget of ", budget));
  }
  // An algorithm spends the whole query budget unless it fails or the space
  // runs out (the conformance suite holds every plugin to that), so a
  // finished cell that stopped short was cut, not run.
  const int b = cell.id.benchmark;
  if (cell.ok() && !config.budget().has_seconds() &&
      cell.num_queries() < budget && b < manifest.benchmark_size()) {
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
  if (manifest.schema() == kVersion3Schema) {
    return absl::FailedPreconditionError(absl::StrCat(
        path,
        ": written by an older nas that kept one file per cell "
        "(cells/<benchmark>/<algorithm>/seed_<k>.csv); this nas keeps them in "
        "one store, ",
        kCellStoreFile,
        ", and does not read the old layout. "
        "Rerun the experiment with --overwrite (it deletes only the files that "
        "run wrote), or use the nas build that wrote it."));
  }
  if (manifest.schema() != kManifestSchema &&
      manifest.schema() != kVersion4Schema) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": written for results schema '", manifest.schema(),
        "', this nas reads '", kManifestSchema, "' and '", kVersion4Schema,
        "'. Use the nas build that wrote it, or rerun the experiment with "
        "--overwrite."));
  }
  return manifest;
}

absl::Status CheckSchemaWritable(const Manifest& manifest,
                                 const std::string& dir,
                                 const std::string& what) {
  if (manifest.schema() == kManifestSchema) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot ", what, " '", dir, "': its results are of schema '",
      manifest.schema(), "' (cells stored as CSV), this nas writes '",
      kManifestSchema,
      "' (binary cell records) and does not mix the two. "
      "`nas report` and `nas export` still read it; to ",
      what,
      ", rerun the experiment with --overwrite into that directory (it "
      "deletes only the files the old run wrote) or into a new --output_dir, "
      "or use the nas build that wrote it"));
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

absl::StatusOr<std::vector<CellResult>> LoadCells(const std::string& dir,
                                                  const Experiment& config,
                                                  Manifest* manifest,
                                                  PreloadedCells* preloaded) {
  const std::vector<CellId> all = AllCells(config);
  // A run that wrote every cell itself need not read them back.
  StoreScan scan;
  if (preloaded == nullptr || preloaded->size() != all.size()) {
    absl::StatusOr<StoreScan> scanned = ScanStore(dir, config);
    if (!scanned.ok()) return scanned.status();
    scan = *std::move(scanned);
  }
  const bool csv_cells = manifest->schema() == kVersion4Schema;
  std::vector<CellResult> cells;
  std::string fingerprint_input;
  for (size_t i = 0; i < all.size(); ++i) {
    const CellId& id = all[i];
    // The names of version 3's cell files: results unchanged since then keep
    // their fingerprint.
    const std::string fingerprint_name =
        absl::StrCat("cells/", CellName(config, id), ".csv");
    if (preloaded != nullptr) {
      auto it = preloaded->find(static_cast<int>(i));
      if (it != preloaded->end()) {
        cells.push_back(std::move(it->second.cell));
        absl::StrAppend(&fingerprint_input, fingerprint_name, "\n",
                        it->second.content_hash, "\n");
        continue;
      }
    }
    if (i >= scan.cells.size() || scan.cells[i].empty()) continue;
    const std::string where =
        absl::StrCat(scan.path, " (cell ", CellName(config, id), ")");
    absl::StatusOr<CellResult> cell =
        csv_cells ? ParseCellFile(scan.cells[i], id, where)
                  : ParseCellRecord(scan.cells[i], id, where);
    if (!cell.ok()) return cell.status();
    if (absl::Status s =
            CheckCellAgainstBudget(*cell, config, *manifest, where);
        !s.ok()) {
      return s;
    }
    cells.push_back(*std::move(cell));
    absl::StrAppend(&fingerprint_input, fingerprint_name, "\n",
                    ContentHash(scan.cells[i]), "\n");
  }
  manifest->set_num_cells(static_cast<int>(all.size()));
  manifest->set_num_finished_cells(static_cast<int>(cells.size()));
  manifest->set_results_fingerprint(ContentHash(fingerprint_input));
  return cells;
}

absl::StatusOr<std::unique_ptr<CellStoreWriter>> CellStoreWriter::Open(
    const std::string& dir, const Experiment& config) {
  absl::StatusOr<StoreScan> scan = ScanStore(dir, config);
  if (!scan.ok()) return scan.status();
  if (scan->whole_bytes < scan->data.size()) {
    if (::truncate(scan->path.c_str(), scan->whole_bytes) != 0) {
      return absl::InternalError(
          absl::StrCat("cannot cut the unfinished record off the end of '",
                       scan->path, "': ", std::strerror(errno)));
    }
    std::fprintf(stderr,
                 "nas: note: dropped the unfinished last record of %s (%zu "
                 "bytes; a run killed while writing it)\n",
                 scan->path.c_str(), scan->data.size() - scan->whole_bytes);
  }
  const int fd = ::open(scan->path.c_str(),
                        O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat(
        "cannot open '", scan->path, "' for writing: ", std::strerror(errno)));
  }
  const std::vector<CellId> all = AllCells(config);
  std::vector<std::string> records(scan->cells.size());
  for (size_t i = 0; i < scan->cells.size(); ++i) {
    if (scan->cells[i].empty()) continue;
    records[i] = StoreRecord(CellName(config, all[i]), scan->cells[i]);
  }
  bool in_order = true;
  for (size_t i = 1; i < scan->file_order.size(); ++i) {
    if (scan->file_order[i] < scan->file_order[i - 1]) in_order = false;
  }
  const size_t last = scan->file_order.empty() ? 0 : scan->file_order.back();
  return std::unique_ptr<CellStoreWriter>(new CellStoreWriter(
      config, scan->path, fd, std::move(records), in_order, last));
}

CellStoreWriter::CellStoreWriter(const Experiment& config, std::string path,
                                 int fd, std::vector<std::string> records,
                                 bool in_order, size_t last_position)
    : config_(config),
      path_(std::move(path)),
      fd_(fd),
      finished_([&records] {
        std::vector<bool> finished(records.size());
        for (size_t i = 0; i < records.size(); ++i) {
          finished[i] = !records[i].empty();
        }
        return finished;
      }()),
      records_(std::move(records)),
      in_order_(in_order),
      last_position_(last_position) {}

CellStoreWriter::~CellStoreWriter() { ::close(fd_); }

std::vector<CellId> CellStoreWriter::Unfinished(
    const std::vector<CellId>& cells) const {
  std::vector<CellId> todo;
  for (const CellId& id : cells) {
    const size_t i = CellPosition(config_, id);
    if (i >= finished_.size() || !finished_[i]) todo.push_back(id);
  }
  return todo;
}

absl::Status CellStoreWriter::WriteLocked(const std::string& record) {
  size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::write(fd_, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = absl::InternalError(absl::StrCat(
          "cannot write to '", path_, "': ", std::strerror(errno),
          "; the cells recorded before stay readable, finish the run with "
          "--resume"));
      return failed_;
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status CellStoreWriter::Append(const CellId& id,
                                     absl::string_view cell_record) {
  const size_t position = CellPosition(config_, id);
  std::string record = StoreRecord(CellName(config_, id), cell_record);
  std::lock_guard<std::mutex> lock(mu_);
  if (!failed_.ok()) return failed_;
  if (absl::Status s = WriteLocked(record); !s.ok()) return s;
  if (position < last_position_) in_order_ = false;
  last_position_ = position;
  if (position < records_.size()) records_[position] = std::move(record);
  return absl::OkStatus();
}

absl::Status CellStoreWriter::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!failed_.ok()) return failed_;
  if (in_order_) return absl::OkStatus();
  // Canonical order is position order; unfinished cells are empty.
  const std::vector<absl::string_view> sorted(records_.begin(), records_.end());
  in_order_ = true;
  return WriteFileAtomically(path_, sorted);
}

absl::StatusOr<int> MergeCellStores(const std::string& out,
                                    const Experiment& config,
                                    const std::vector<std::string>& dirs,
                                    const std::vector<std::string>& labels) {
  std::vector<StoreScan> scans;
  for (const std::string& dir : dirs) {
    absl::StatusOr<StoreScan> scan = ScanStore(dir, config);
    if (!scan.ok()) return scan.status();
    scans.push_back(*std::move(scan));
  }
  const std::vector<CellId> all = AllCells(config);
  std::string merged;
  int copied = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    absl::string_view contents;
    size_t source = 0;
    for (size_t d = 0; d < scans.size(); ++d) {
      if (i >= scans[d].cells.size() || scans[d].cells[i].empty()) continue;
      if (!contents.empty() && scans[d].cells[i] != contents) {
        return absl::DataLossError(absl::StrCat(
            "cannot merge: cell ", CellName(config, all[i]),
            " differs between '", labels[source], "' and '", labels[d], "'"));
      }
      if (contents.empty()) source = d;
      contents = scans[d].cells[i];
    }
    if (contents.empty()) continue;
    merged += StoreRecord(CellName(config, all[i]), contents);
    ++copied;
  }
  if (absl::Status s =
          WriteFileAtomically(absl::StrCat(out, "/", kCellStoreFile), merged);
      !s.ok()) {
    return s;
  }
  return copied;
}

absl::StatusOr<std::string> TidyCellsCsv(const std::string& dir,
                                         const std::string& data_dir) {
  absl::StatusOr<Experiment> config = ReadStoredConfig(dir);
  if (!config.ok()) return config.status();
  absl::StatusOr<Manifest> manifest = ReadManifest(dir);
  if (!manifest.ok()) return manifest.status();
  absl::StatusOr<std::vector<CellResult>> cells =
      LoadCells(dir, *config, &*manifest);
  if (!cells.ok()) return cells.status();
  const bool csv_cells = manifest->schema() == kVersion4Schema;
  StoreScan scan;
  std::vector<std::shared_ptr<const SearchSpace>> spaces;
  if (csv_cells) {
    // Schema 4's rows are copied as stored.
    absl::StatusOr<StoreScan> scanned = ScanStore(dir, *config);
    if (!scanned.ok()) return scanned.status();
    scan = *std::move(scanned);
  } else {
    // The spaces turn genes into their text, without benchmark data when
    // they can.
    bool needs_data = false;
    for (const BenchmarkSpec& b : config->benchmark()) {
      absl::StatusOr<std::shared_ptr<const SearchSpace>> space =
          MakeStoredSpace(b, dir);
      if (!space.ok()) return space.status();
      // No genes without data: its architectures come from the tables (the
      // `table` space).
      needs_data = needs_data || (*space)->gene_cardinalities().empty();
      spaces.push_back(*std::move(space));
    }
    if (needs_data) {
      LoadOptions options;
      options.data_dir = data_dir;
      absl::StatusOr<LoadedExperiment> experiment =
          LoadExperiment(absl::StrCat(dir, "/", kConfigFile), options);
      if (!experiment.ok()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot export '", dir,
            "': its search space takes its "
            "architectures from the benchmark data, which did not load (",
            experiment.status().message(),
            "); pass --data_dir with the tables the run used"));
      }
      for (size_t b = 0; b < spaces.size(); ++b) {
        spaces[b] = experiment->benchmarks[b].space;
      }
    }
  }
  std::vector<std::string> metrics;
  for (const CellResult& cell : *cells) {
    for (const std::string& name : cell.metric_names) {
      if (std::find(metrics.begin(), metrics.end(), name) == metrics.end()) {
        metrics.push_back(name);
      }
    }
  }
  std::string csv = TidyCellsHeader(metrics);
  for (const CellResult& cell : *cells) {
    const CellId& id = cell.id;
    const std::string key = absl::StrCat(
        config->benchmark(id.benchmark).name(), ",",
        config->algorithm(id.algorithm).label(), ",", id.seed, ",");
    if (csv_cells) {
      csv += TidyCellRows(scan.cells[CellPosition(*config, id)], key,
                          cell.metric_names, metrics);
      continue;
    }
    const std::string where = absl::StrCat(dir, "/", kCellStoreFile, " (cell ",
                                           CellName(*config, id), ")");
    absl::StatusOr<std::string> rows =
        TidyRecordRows(*spaces[id.benchmark], cell, key, metrics, where);
    if (!rows.ok()) return rows.status();
    csv += *rows;
  }
  return csv;
}

absl::StatusOr<StoreProgress> CountStoredCells(const std::string& dir) {
  absl::StatusOr<Experiment> config = ReadStoredConfig(dir);
  if (!config.ok()) return config.status();
  absl::StatusOr<StoreScan> scan = ScanStore(dir, *config);
  if (!scan.ok()) return scan.status();
  StoreProgress progress;
  progress.stored = static_cast<int>(scan->file_order.size());
  progress.total = static_cast<int>(scan->cells.size());
  return progress;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadCellFiles(
    const std::string& dir) {
  absl::StatusOr<Experiment> config = ReadStoredConfig(dir);
  if (!config.ok()) return config.status();
  absl::StatusOr<StoreScan> scan = ScanStore(dir, *config);
  if (!scan.ok()) return scan.status();
  std::vector<std::pair<std::string, std::string>> files;
  const std::vector<CellId> all = AllCells(*config);
  for (size_t i = 0; i < scan->cells.size(); ++i) {
    if (scan->cells[i].empty()) continue;
    files.emplace_back(CellName(*config, all[i]), std::string(scan->cells[i]));
  }
  return files;
}

}  // namespace nas
