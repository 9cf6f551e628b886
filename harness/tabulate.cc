#include "harness/tabulate.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/random.h"
#include "google/protobuf/util/json_util.h"
#include "harness/output.h"
#include "harness/progress.h"
#include "harness/store.h"

namespace nas {
namespace {

// Shortest text that parses back to the same double.
std::string ExactNumber(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// Contiguous slices, so that the shards' tables concatenated in order are
// the unsharded table.
std::pair<size_t, size_t> ShardRange(size_t n, int index, int count) {
  return {n * index / count, n * (index + 1) / count};
}

absl::Status CheckOutputDir(const std::string& dir,
                            const std::vector<std::string>& files,
                            bool overwrite) {
  const std::string manifest = absl::StrCat(dir, "/", kManifestFile);
  bool ours = false;
  if (PathExists(manifest)) {
    absl::StatusOr<std::string> text = ReadFile(manifest);
    ours = text.ok() && absl::StrContains(*text, kTableManifestSchema);
    if (!ours) {
      return absl::FailedPreconditionError(absl::StrCat(
          "'", dir, "' holds a manifest.json that tabulate did not write (a "
          "`nas run` result?); choose another --output_dir"));
    }
  }
  for (const std::string& file : files) {
    if (!PathExists(absl::StrCat(dir, "/", file))) continue;
    if (!ours) {
      return absl::FailedPreconditionError(absl::StrCat(
          "'", dir, "/", file, "' exists and tabulate did not write it; "
          "choose another --output_dir"));
    }
    if (!overwrite) {
      return absl::FailedPreconditionError(absl::StrCat(
          "'", dir, "' already holds tables (", file,
          "); choose another --output_dir or pass --overwrite to replace "
          "them (an objective with a cache re-evaluates nothing)"));
    }
  }
  return absl::OkStatus();
}

// RFC 4180: a field holding a comma, quote or line break is quoted, its
// quotes doubled (DARTS genotypes hold commas; NAS-Bench-201 strings do not
// and stay bare).
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

absl::StatusOr<std::vector<Architecture>> TabulatedArchitectures(
    const LoadedExperiment& experiment, int b) {
  const SearchSpace& space = *experiment.benchmarks[b].space;
  const std::string& name = experiment.benchmarks[b].name;
  const absl::uint128 size = space.Size();
  // LoadExperiment has checked that the budget does not exceed the space.
  const int64_t wanted = experiment.config.budget().has_queries()
                             ? experiment.config.budget().queries()
                             : 0;
  if (wanted < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        experiment.config_path,
        ": tabulate needs budget.queries, the number of architectures per "
        "benchmark (the space's size for all of an indexable space)"));
  }
  std::vector<Architecture> out;
  if (space.IsIndexable() && absl::uint128(wanted) == size) {
    out.reserve(wanted);
    for (int64_t i = 0; i < wanted; ++i) out.push_back(space.FromIndex(i));
    return out;
  }
  Rng rng(HashCombine(experiment.config.seed(), StableHash(name)));
  std::set<std::string> seen;
  // Rejection of repeats: a bound keeps a nearly full sample of a small,
  // non-indexable space from looping for ever.
  const int64_t max_draws = 100 * wanted + 10000;
  for (int64_t draws = 0; static_cast<int64_t>(out.size()) < wanted;
       ++draws) {
    if (draws == max_draws) {
      return absl::InvalidArgumentError(absl::StrCat(
          experiment.config_path, ": benchmark '", name, "': drew only ",
          out.size(), " distinct architectures in ", max_draws,
          " draws; lower budget.queries"));
    }
    const Architecture arch = space.Canonicalize(space.Sample(rng));
    if (seen.insert(space.ToString(arch)).second) out.push_back(arch);
  }
  if (space.IsIndexable()) {
    std::sort(out.begin(), out.end(),
              [&](const Architecture& x, const Architecture& y) {
                return space.ToIndex(x) < space.ToIndex(y);
              });
  }
  return out;
}

std::string TableText(const LoadedExperiment& experiment, int b,
                      const std::vector<Architecture>& architectures,
                      const std::vector<std::vector<Evaluation>>& rows) {
  const LoadedBenchmark& benchmark = experiment.benchmarks[b];
  const auto fidelities = benchmark.objective->fidelities();
  std::string text = absl::StrCat(kTableHeader, "\n");
  for (size_t a = 0; a < architectures.size(); ++a) {
    const std::string arch =
        CsvField(benchmark.space->ToString(architectures[a]));
    for (size_t f = 0; f < fidelities.size(); ++f) {
      const Evaluation& e = rows[a][f];
      absl::StrAppend(&text, arch, ",", ExactNumber(fidelities[f].epochs), ",",
                      ExactNumber(e.valid_error), ",",
                      ExactNumber(e.test_error), ",",
                      ExactNumber(e.cost_seconds), "\n");
    }
  }
  return text;
}

absl::Status RunTabulateCommand(const std::string& config_path,
                                const TabulateOptions& options) {
  if (options.output_dir.empty()) {
    return absl::InvalidArgumentError(
        "tabulate needs --output_dir DIR (where the tables go)");
  }
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shard ", options.shard_index, "/", options.shard_count,
        " must be I/N with 0 <= I < N"));
  }
  std::string dir = options.output_dir;
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (dir[0] != '/' && cwd != nullptr && *cwd != '\0') {
    dir = absl::StrCat(cwd, "/", dir);
  }
  LoadOptions load_options;
  load_options.data_dir = options.data_dir;
  absl::StatusOr<LoadedExperiment> experiment =
      LoadExperiment(config_path, load_options);
  if (!experiment.ok()) return experiment.status();
  const int num_benchmarks = static_cast<int>(experiment->benchmarks.size());

  // What this shard evaluates: (benchmark, architecture position) slices.
  std::vector<std::vector<Architecture>> mine(num_benchmarks);
  std::vector<std::string> files = {kManifestFile, kConfigFile};
  for (int b = 0; b < num_benchmarks; ++b) {
    absl::StatusOr<std::vector<Architecture>> all =
        TabulatedArchitectures(*experiment, b);
    if (!all.ok()) return all.status();
    const auto [begin, end] =
        ShardRange(all->size(), options.shard_index, options.shard_count);
    mine[b].assign(all->begin() + begin, all->begin() + end);
    files.push_back(absl::StrCat(experiment->benchmarks[b].name, ".csv"));
  }
  absl::StatusOr<Manifest> manifest =
      options.start_manifest ? options.start_manifest(*experiment)
                             : absl::StatusOr<Manifest>(Manifest());
  if (!manifest.ok()) return manifest.status();
  if (IsDirectory(dir)) {
    if (absl::Status s = CheckOutputDir(dir, files, options.overwrite);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = MakeDirectories(dir); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<DirLock>> lock =
      DirLock::Acquire(dir, "tabulate");
  if (!lock.ok()) return lock.status();
  RemoveOurTempFiles(dir);

  // Every (benchmark, architecture) is one progress "cell": the ETA comes
  // from the measured evaluation times. The view's one algorithm labels
  // them in the progress lines.
  LoadedExperiment view;
  view.benchmarks = experiment->benchmarks;
  view.algorithms.push_back({"architecture", "", nullptr, nullptr});
  struct Task {
    int benchmark;
    int position;
  };
  std::vector<Task> tasks;
  std::vector<std::vector<std::vector<Evaluation>>> results(num_benchmarks);
  for (int b = 0; b < num_benchmarks; ++b) {
    results[b].resize(mine[b].size());
    for (size_t i = 0; i < mine[b].size(); ++i) {
      tasks.push_back({b, static_cast<int>(i)});
    }
  }
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(
                          std::max(1u, std::thread::hardware_concurrency()));
  threads = static_cast<int>(
      std::min<size_t>(threads, std::max<size_t>(1, tasks.size())));
  std::unique_ptr<ProgressReporter> progress;
  if (options.progress) {
    progress = std::make_unique<ProgressReporter>(
        view, static_cast<int>(tasks.size()), threads,
        ::isatty(STDERR_FILENO) != 0);
  }
  std::mutex progress_mu;
  int done = 0;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t t = next++; t < tasks.size(); t = next++) {
      const Task& task = tasks[t];
      const CellId id{task.benchmark, 0, task.position};
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        progress->CellStarted(id);
      }
      const Objective& objective = *experiment->benchmarks[task.benchmark].objective;
      const Architecture& arch = mine[task.benchmark][task.position];
      // A noisy objective's draws depend on the row, never on the thread.
      Rng noise(HashCombine(
          HashCombine(experiment->config.seed(),
                      StableHash(experiment->benchmarks[task.benchmark].name)),
          experiment->benchmarks[task.benchmark].space->Hash(arch)));
      std::vector<Evaluation>& row = results[task.benchmark][task.position];
      for (size_t f = 0; f < objective.fidelities().size(); ++f) {
        row.push_back(objective.Evaluate(arch, static_cast<int>(f),
                                         objective.is_noisy() ? &noise : nullptr));
      }
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mu);
        CellResult result;
        result.id = id;
        progress->CellDone(result, ++done);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  progress.reset();

  // Tables first, the manifest last: its presence marks a complete output.
  int64_t rows = 0;
  std::vector<std::string> table_records;
  for (int b = 0; b < num_benchmarks; ++b) {
    const std::string table = TableText(*experiment, b, mine[b], results[b]);
    const int64_t table_rows = static_cast<int64_t>(
        mine[b].size() * experiment->benchmarks[b].objective->fidelities().size());
    rows += table_rows;
    // Benchmark names are letters, digits and ._+- (config.cc): no escaping.
    table_records.push_back(absl::StrCat(
        "    {\"benchmark\": \"", experiment->benchmarks[b].name,
        "\", \"file\": \"", files[2 + b], "\", \"architectures\": ",
        mine[b].size(), ", \"rows\": ", table_rows, ", \"sha256\": \"",
        Sha256Hex(table), "\"}"));
    if (absl::Status s =
            WriteFileAtomically(absl::StrCat(dir, "/", files[2 + b]), table);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = WriteFileAtomically(
          absl::StrCat(dir, "/", kConfigFile), ConfigText(experiment->config));
      !s.ok()) {
    return s;
  }
  std::string inputs;
  google::protobuf::util::JsonPrintOptions json_options;
  json_options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(*manifest, &inputs,
                                                   json_options)
           .ok()) {
    return absl::InternalError("cannot print the tabulate manifest");
  }
  const std::string manifest_text = absl::StrCat(
      "{\n  \"schema\": \"", kTableManifestSchema, "\",\n  \"shard\": \"",
      options.shard_index, "/", options.shard_count, "\",\n  \"tables\": [\n",
      absl::StrJoin(table_records, ",\n"),
      "\n  ],\n  \"inputs\": ", inputs, "\n}\n");
  if (absl::Status s = WriteFileAtomically(
          absl::StrCat(dir, "/", kManifestFile), manifest_text);
      !s.ok()) {
    return s;
  }
  if (options.progress) {
    std::fprintf(stderr, "nas: tabulated %lld rows (shard %d/%d) into %s\n",
                 static_cast<long long>(rows), options.shard_index,
                 options.shard_count, options.output_dir.c_str());
  }
  return absl::OkStatus();
}

}  // namespace nas
