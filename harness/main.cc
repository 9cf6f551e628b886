// The `nas` command line. `nas help` (or `nas COMMAND --help`) explains each
// command; README.md and docs/ describe the whole workflow.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "harness/cell_file.h"
#include "harness/config.h"
#include "harness/libtorch_hooks.h"
#include "harness/output.h"
#include "harness/progress.h"
#include "harness/provenance.h"
#include "harness/reexec.h"
#include "harness/report.h"
#include "harness/runner.h"
#include "harness/store.h"
#include "harness/tabulate.h"
#include "harness/version.h"
#include "landscape/landscape.h"
#include "objectives/trained/cache.h"
#include "re2/re2.h"

ABSL_FLAG(std::string, output_dir, "",
          "run: directory for the results (config.textproto, manifest.json, "
          "cells.rec, summary.csv, summary.json, leaderboard.md, report.html, "
          "plots/)");
ABSL_FLAG(int, threads, 0,
          "run: worker threads (0 = one per core). Results do not depend on "
          "it.");
ABSL_FLAG(std::string, data_dir, "",
          "Root of the benchmark tables (overrides the config's data_dir and "
          "$NAS_DATA_DIR; default ../shared/data)");
ABSL_FLAG(bool, overwrite, false,
          "run, merge: replace results already in the output directory");
ABSL_FLAG(bool, resume, false,
          "run: keep the cells already finished in --output_dir (same config "
          "only) and run the rest");
ABSL_FLAG(std::string, filter, "",
          "run: only cells whose 'benchmark/algorithm' label fully matches "
          "this RE2 pattern, e.g. 'cifar100/local_search.*'");
ABSL_FLAG(std::string, shard, "",
          "run: I/N runs the I-th (0-based) of N deterministic slices of the "
          "cells; combine the N output directories with `nas merge`");

ABSL_FLAG(std::string, cache_dir, "",
          "cache: the result cache directory of a trained objective");
ABSL_FLAG(double, older_than_days, 0,
          "cache gc: also remove entries older than this many days");

namespace nas {
namespace {

const std::map<std::string, std::string>& CommandHelp() {
  static const auto* help = new std::map<std::string, std::string>{
      {"run",
       "nas run CONFIG --output_dir DIR [--threads N] [--data_dir D]\n"
       "        [--resume | --overwrite] [--filter RE2] [--shard I/N]\n"
       "  Runs every (benchmark, algorithm, seed) cell of the experiment in\n"
       "  CONFIG (text-format nas.Experiment; see harness/experiment.proto\n"
       "  and configs/). Each finished cell is appended at once, as one\n"
       "  record, to the results store DIR/cells.rec; at the end the\n"
       "  reports are built from it and the leaderboard printed.\n"
       "  A killed run resumes with --resume, losing only the cells that\n"
       "  were in flight; the result is identical to an uninterrupted run.\n"
       "  Bad input is reported before anything is written.\n"},
      {"report",
       "nas report DIR\n"
       "  Rebuilds summary.csv, summary.json, leaderboard.md, report.html,\n"
       "  plots/*.svg and the manifest's results fingerprint from the cells\n"
       "  stored in DIR, without running anything.\n"},
      {"merge",
       "nas merge OUT SHARD_DIR... [--overwrite]\n"
       "  Combines the output directories of `nas run --shard I/N` (same\n"
       "  config) into OUT and builds the reports there. The merged\n"
       "  directory is byte-identical to an unsharded run's.\n"},
      {"export",
       "nas export DIR [--data_dir D]\n"
       "  Prints every query of every cell stored in DIR as one tidy CSV:\n"
       "  benchmark,algorithm,seed, then each query's architecture and\n"
       "  numbers (docs/harness.md). --data_dir only for spaces defined by\n"
       "  their tables (`table`).\n"},
      {"status",
       "nas status DIR\n"
       "  Prints \"<stored> of <total> cells stored in DIR\": how far a run\n"
       "  (or a shard) has got. Safe while the run is writing; checks the\n"
       "  store's framing, not the cells (report verifies those).\n"},
      {"list",
       "nas list\n  Lists the registered search spaces, objectives "
       "and algorithms.\n"},
      {"landscape",
       "nas landscape CONFIG --output_dir DIR [--threads N] [--data_dir D]\n"
       "        [--overwrite]\n"
       "nas landscape SPACE OBJECTIVE --output_dir DIR\n"
       "  The local-search landscape of each benchmark: exact local minima,\n"
       "  basins, LS-trees, the epsilon-curve, autocorrelation and\n"
       "  fitness-distance correlation; densities fitted to the data;\n"
       "  Theorem 5.1 and the preimage lemma evaluated for them; simulated\n"
       "  local search and the config's algorithms beside them. Writes\n"
       "  landscape.md/.csv/.json and SVG figures (docs/landscape.md).\n"},
      {"tabulate",
       "nas tabulate CONFIG --output_dir DIR [--shard I/N] [--threads N]\n"
       "        [--data_dir D] [--overwrite]\n"
       "  Evaluates budget.queries architectures of each benchmark (all of an\n"
       "  indexable space, else a seeded sample) at every fidelity and writes\n"
       "  DIR/<benchmark>.csv (architecture,fidelity,valid_error,test_error,\n"
       "  cost_seconds) for a tabular objective, with a manifest\n"
       "  (harness/tabulate.h; shards concatenate in order).\n"},
      {"cache",
       "nas cache stats|verify|gc --cache_dir DIR [--older_than_days D]\n"
       "  The trained objective's result cache: entries and bytes by space\n"
       "  and recipe; every entry's checksum (exit 1 naming damaged ones);\n"
       "  removal of damaged entries and stale temporary files (and entries\n"
       "  older than D days). Other files are never touched.\n"},
      {"correlate",
       "nas correlate CONFIG --output_dir DIR [--threads N] [--data_dir D]\n"
       "        [--overwrite]\n"
       "  Zero-cost proxy scores of each benchmark's architectures (cached)\n"
       "  and their rank correlations with its metrics: correlations.csv,\n"
       "  scores.csv, plots/*.svg, report.md (docs/proxies.md).\n"},
      {"describe",
       "nas describe NAME\n"
       "  Shows a plugin's description and parameter message with defaults.\n"},
  };
  return *help;
}

// The flags each command takes, with one line each, for `nas COMMAND
// --help` (absl's --helpfull lists every flag of every library).
struct FlagDoc {
  const char* name;
  const char* value;  // "" for booleans.
  std::vector<std::string> commands;
  const char* meaning;
};

const std::vector<FlagDoc>& FlagDocs() {
  static const auto* docs = new std::vector<FlagDoc>{
      {"output_dir",
       "DIR",
       {"run", "landscape", "tabulate", "correlate"},
       "where the results go (created; refused if it holds results, unless "
       "--resume or --overwrite)"},
      {"threads",
       "N",
       {"run", "landscape", "tabulate", "correlate"},
       "worker threads; 0 (default) = one per core, capped at the number of "
       "cells; results do not depend on it"},
      {"data_dir",
       "D",
       {"run", "landscape", "tabulate", "correlate", "export"},
       "root of the benchmark tables (default: the config's data_dir, then "
       "$NAS_DATA_DIR, then ../shared/data)"},
      {"resume",
       "",
       {"run"},
       "keep the cells already in --output_dir (same config, build, data) "
       "and run the rest"},
      {"overwrite",
       "",
       {"run", "merge", "landscape", "tabulate", "correlate"},
       "replace the results in the output directory (only files nas wrote "
       "are deleted)"},
      {"filter",
       "RE2",
       {"run"},
       "only cells whose 'benchmark/algorithm' label matches the whole "
       "pattern, e.g. 'cifar100/local_search.*' (labels, not plugin names)"},
      {"shard",
       "I/N",
       {"run", "tabulate"},
       "run the I-th (0-based) of N slices of the cells; combine with nas "
       "merge (run) or concatenate the tables (tabulate)"},
      {"cache_dir", "DIR", {"cache"}, "the trained objective's cache_dir"},
      {"older_than_days",
       "D",
       {"cache"},
       "gc: also remove entries older than D days"},
  };
  return *docs;
}

std::string FlagsHelp(const std::string& command) {
  std::string out;
  for (const FlagDoc& f : FlagDocs()) {
    if (std::find(f.commands.begin(), f.commands.end(), command) ==
        f.commands.end()) {
      continue;
    }
    const std::string spelled =
        absl::StrCat("--", f.name, *f.value ? " " : "", f.value);
    // Meanings wrapped to 80 columns, under their flag.
    std::string line = absl::StrFormat("  %-18s", spelled);
    for (absl::string_view word : absl::StrSplit(f.meaning, ' ')) {
      if (line.size() + 1 + word.size() > 79 && line.size() > 21) {
        absl::StrAppend(&out, line, "\n");
        line = std::string(20, ' ');
      }
      absl::StrAppend(&line, " ", word);
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out.empty() ? "" : absl::StrCat("Flags:\n", out);
}

// Levenshtein distance, for "did you mean".
int EditDistance(const std::string& a, const std::string& b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The command word: the first argument that is neither a flag nor a flag's
// value (`nas --data_dir D run ...` is a run).
std::string CommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') return arg;
    if (arg.find('=') != std::string::npos) continue;
    const absl::CommandLineFlag* flag =
        absl::FindCommandLineFlag(arg.substr(arg[1] == '-' ? 2 : 1));
    if (flag != nullptr && !flag->IsOfType<bool>()) ++i;  // Its value.
  }
  return "";
}

// Refuses a flag that no library defines before absl does (absl says only
// "Unknown command line flag"), suggesting the nearest of ours.
absl::Status CheckFlagNames(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    name = name.substr(0, name.find('='));
    if (name.empty()) continue;
    if (const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name)) {
      // `--threads -1`: the next word is the value, not a flag.
      if (arg.find('=') == std::string::npos && !flag->IsOfType<bool>()) ++i;
      continue;
    }
    if (name.rfind("no", 0) == 0 && absl::FindCommandLineFlag(name.substr(2))) {
      continue;  // --noresume
    }
    std::string best;
    int best_distance = 1 << 30;
    std::string normalised = name;
    std::replace(normalised.begin(), normalised.end(), '-', '_');
    for (const FlagDoc& f : FlagDocs()) {
      const int d = EditDistance(normalised, f.name);
      if (d < best_distance) {
        best_distance = d;
        best = f.name;
      }
    }
    const std::string command = CommandWord(argc, argv);
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown flag --", name,
        best_distance <= std::max<int>(2, name.size() / 3)
            ? absl::StrCat("; did you mean --", best, "?")
            : "",
        " (`nas ",
        CommandHelp().count(command) ? absl::StrCat(command, " ") : "",
        "--help` lists the flags)"));
  }
  return absl::OkStatus();
}

std::string VersionText() {
  return absl::StrCat(kBuildVersion, "\nbuild: ", BuildMode(),
                      "\ncommit: ", kGitCommit,
                      std::string(kGitDirty) == "true"
                          ? " (with uncommitted changes)"
                          : "",
                      "\nresults schema: ", kManifestSchema, "\n");
}

std::string Usage() {
  std::string usage =
      "nas: benchmark neural architecture search algorithms.\n\n";
  for (const auto& [name, text] : CommandHelp()) absl::StrAppend(&usage, text, "\n");
  absl::StrAppend(&usage, "`nas COMMAND --help` shows one command; "
                          "`nas --helpfull` every flag.\n");
  return usage;
}

int Fail(const absl::Status& status) {
  // Messages quote user input: never let it act on the terminal.
  std::fprintf(stderr, "nas: error: %s\n",
               EscapeForTerminal(status.message()).c_str());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
      return 2;
    default:
      return 1;
  }
}

std::string ResolveUserPath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (!path.empty() && path[0] != '/' && cwd != nullptr && *cwd != '\0') {
    return absl::StrCat(cwd, "/", path);
  }
  return path;
}

int List() {
  PrintRegistryEntries("search spaces", GlobalSearchSpaceRegistry());
  PrintRegistryEntries("objectives", GlobalObjectiveRegistry());
  PrintRegistryEntries("algorithms", GlobalAlgorithmRegistry());
  if (const LibtorchHooks* hooks = GetLibtorchHooks()) hooks->list();
  return 0;
}

std::string Decimal(absl::uint128 value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + value % 10));
    value /= 10;
  } while (value > 0);
  return digits;
}

// For a search space: facts of its default instance.
void DescribeSpace(const SearchSpaceRegistry::Entry& entry) {
  std::unique_ptr<google::protobuf::Message> params(
      entry.params_prototype ? entry.params_prototype->New() : nullptr);
  auto space = entry.factory(params.get());
  if (!space.ok()) return;
  const absl::Span<const int> genes = (*space)->gene_cardinalities();
  Rng rng(0);
  const Architecture example = (*space)->Sample(rng);
  std::vector<Architecture> neighbors;
  (*space)->Neighbors(example, &neighbors);
  std::printf(
      "\nWith default parameters: %s architectures, %zu genes, %s; e.g.\n"
      "  %s\n  (%zu neighbours)\n",
      Decimal((*space)->Size()).c_str(), genes.size(),
      (*space)->IsIndexable() ? "indexable" : "not indexable",
      (*space)->ToString(example).c_str(), neighbors.size());
}

template <typename Entry>
void DescribeExtra(const Entry&) {}
template <>
void DescribeExtra(const SearchSpaceRegistry::Entry& entry) {
  DescribeSpace(entry);
}

template <typename Registry>
bool DescribeIn(const char* kind, const Registry& registry,
                const std::string& name) {
  auto entry = registry.Find(name);
  if (!entry.ok()) return false;
  std::printf("%s %s: %s\n", kind, name.c_str(),
              (*entry)->description.c_str());
  DescribeExtra(**entry);
  const google::protobuf::Message* params = (*entry)->params_prototype;
  if (params == nullptr) {
    std::printf("\nTakes no parameters.\n");
    return true;
  }
  const google::protobuf::Descriptor* type = params->GetDescriptor();
  std::printf(
      "\nParameters: %s (defaults shown; documented in its .proto file)\n"
      "  params { [type.googleapis.com/%s] { ... } }\n\n%s",
      type->full_name().c_str(), type->full_name().c_str(),
      type->DebugString().c_str());
  return true;
}

int Describe(const std::string& name) {
  bool found = DescribeIn("search space", GlobalSearchSpaceRegistry(), name);
  found |= DescribeIn("objective", GlobalObjectiveRegistry(), name);
  found |= DescribeIn("algorithm", GlobalAlgorithmRegistry(), name);
  if (!found) {
    return Fail(absl::NotFoundError(absl::StrCat(
        "no plugin named '", name, "'; `nas list` shows them all")));
  }
  return 0;
}

// What the manifest records before any cell runs.
absl::StatusOr<Manifest> StartManifest(const LoadedExperiment& experiment) {
  Manifest manifest;
  manifest.set_schema(kManifestSchema);
  manifest.set_build(kBuildVersion);
  manifest.set_config_sha256(Sha256Hex(ConfigText(experiment.config)));
  std::vector<std::string> files;
  for (size_t b = 0; b < experiment.benchmarks.size(); ++b) {
    const LoadedBenchmark& loaded = experiment.benchmarks[b];
    const BenchmarkSpec& spec = experiment.config.benchmark(b);
    BenchmarkInfo* info = manifest.add_benchmark();
    info->set_name(loaded.name);
    info->set_space(spec.space().name());
    info->set_objective(spec.objective().name());
    info->set_error_unit(loaded.objective->error_unit());
    info->set_space_size(Decimal(loaded.space->Size()));
    if (auto optimum = loaded.objective->known_optimum()) {
      info->set_has_optimum(true);
      info->set_best_valid_error(optimum->best_valid_error);
      info->set_best_test_error(optimum->best_test_error);
      info->set_test_error_of_best_valid(optimum->test_error_of_best_valid);
    }
    if (loaded.multiobjective) {
      *info->mutable_multiobjective() = *loaded.multiobjective;
    }
    for (const std::string& file : loaded.objective->data_files()) {
      if (std::find(files.begin(), files.end(), file) == files.end()) {
        files.push_back(file);
      }
    }
  }
  // Which code produced the results: each plugin's package and a digest of
  // its sources (resume and merge refuse a mismatch).
  AddPluginProvenance(experiment.config, &manifest);
  std::sort(files.begin(), files.end());
  for (const std::string& file : files) {
    // Hashed by LoadExperiment, from the bytes it had read.
    const auto digest = experiment.data_file_digests.find(file);
    if (digest == experiment.data_file_digests.end()) {
      return absl::InternalError(
          absl::StrCat("data file '", file, "' was not hashed while loading"));
    }
    if (!digest->second.ok()) return digest->second.status();
    DataFile* data = manifest.add_data_file();
    data->set_path(file);
    data->set_sha256(digest->second->sha256);
    data->set_bytes(digest->second->bytes);
  }
  return manifest;
}

absl::StatusOr<std::pair<int, int>> ParseShard(const std::string& text) {
  std::vector<std::string> parts = absl::StrSplit(text, '/');
  int index, count;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &index) ||
      !absl::SimpleAtoi(parts[1], &count) || count < 1 || index < 0 ||
      index >= count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--shard '", text, "' must be I/N with 0 <= I < N, e.g. 0/3"));
  }
  return std::make_pair(index, count);
}

void PrintLeaderboard(const Reports& reports) {
  std::printf("%s", reports.leaderboard_md.c_str());
}

int Run(const std::string& config_path) {
  const std::string output_flag = absl::GetFlag(FLAGS_output_dir);
  if (output_flag.empty()) {
    return Fail(absl::InvalidArgumentError(
        "run needs --output_dir DIR (where the results go)"));
  }
  if (absl::GetFlag(FLAGS_resume) && absl::GetFlag(FLAGS_overwrite)) {
    return Fail(absl::InvalidArgumentError(
        "--resume keeps earlier results and --overwrite deletes them; pass "
        "one"));
  }
  const std::string dir = ResolveUserPath(output_flag);
  int threads = absl::GetFlag(FLAGS_threads);
  if (threads < 0) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "--threads ", threads,
        ": must be 0 (one per core) or a positive number of threads")));
  }
  std::pair<int, int> shard = {0, 1};
  if (!absl::GetFlag(FLAGS_shard).empty()) {
    auto parsed = ParseShard(absl::GetFlag(FLAGS_shard));
    if (!parsed.ok()) return Fail(parsed.status());
    shard = *parsed;
  }

  // Everything that can fail on bad input happens before the first write.
  LoadOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.threads =
      threads > 0
          ? threads
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  absl::StatusOr<LoadedExperiment> experiment =
      LoadExperiment(config_path, options);
  if (!experiment.ok()) return Fail(experiment.status());
  const Experiment& config = experiment->config;

  const std::vector<CellId> all = AllCells(config);
  std::vector<CellId> mine;
  const std::string filter = absl::GetFlag(FLAGS_filter);
  RE2::Options re2_options;
  re2_options.set_log_errors(false);  // The message below says it all.
  RE2 pattern(filter.empty() ? ".*" : filter, re2_options);
  if (!pattern.ok()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "--filter '", filter, "' is not a valid RE2 pattern: ",
        pattern.error())));
  }
  for (size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i % shard.second) != shard.first) continue;
    const std::string label =
        absl::StrCat(config.benchmark(all[i].benchmark).name(), "/",
                     config.algorithm(all[i].algorithm).label());
    if (RE2::FullMatch(label, pattern)) mine.push_back(all[i]);
  }
  if (mine.empty()) {
    std::vector<std::string> labels;
    for (const BenchmarkSpec& b : config.benchmark()) {
      for (const AlgorithmSpec& a : config.algorithm()) {
        labels.push_back(absl::StrCat(b.name(), "/", a.label()));
      }
    }
    if (labels.size() > 12) {
      labels.resize(12);
      labels.push_back("...");
    }
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "--filter '", filter,
        "' matches no 'benchmark/algorithm' cell of this experiment (or "
        "shard); the labels are ",
        absl::StrJoin(labels, ", "))));
  }
  absl::StatusOr<Manifest> manifest = StartManifest(*experiment);
  if (!manifest.ok()) return Fail(manifest.status());

  const OpenMode mode = absl::GetFlag(FLAGS_resume)      ? OpenMode::kResume
                        : absl::GetFlag(FLAGS_overwrite) ? OpenMode::kOverwrite
                                                         : OpenMode::kFresh;
  absl::StatusOr<std::unique_ptr<DirLock>> lock =
      OpenOutputDir(dir, config, *manifest, mode, "run");
  if (!lock.ok()) return Fail(lock.status());

  absl::StatusOr<std::unique_ptr<CellStoreWriter>> store =
      CellStoreWriter::Open(dir, config);
  if (!store.ok()) return Fail(store.status());
  const std::vector<CellId> todo = (*store)->Unfinished(mine);
  if (todo.size() < mine.size()) {
    std::fprintf(stderr, "nas: resuming: %zu of %zu cells already finished\n",
                 mine.size() - todo.size(), mine.size());
  }

  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // More threads than cells would only idle (and a huge count could exhaust
  // the process's thread limit).
  threads = static_cast<int>(
      std::min<size_t>(threads, std::max<size_t>(1, todo.size())));
  // Test hook: die by SIGKILL after this many cells, as a crash would.
  int kill_after = -1;
  if (const char* env = std::getenv("NAS_TEST_KILL_AFTER_CELLS")) {
    (void)absl::SimpleAtoi(env, &kill_after);
  }
  // Test hook: pause this many milliseconds after each cell, so that a test
  // can cancel a run mid-way however fast its cells are (a shard of 400
  // cells takes about 40 ms; tests/slurm_test.sh).
  int cell_delay_ms = 0;
  if (const char* env = std::getenv("NAS_TEST_CELL_DELAY_MS")) {
    (void)absl::SimpleAtoi(env, &cell_delay_ms);
  }
  const bool tty = ::isatty(STDERR_FILENO);
  const absl::Time start = absl::Now();
  // Position of each cell in the canonical order (the fingerprint's order).
  std::map<std::tuple<int, int, int>, int> position;
  for (size_t i = 0; i < all.size(); ++i) {
    position[{all[i].benchmark, all[i].algorithm, all[i].seed}] =
        static_cast<int>(i);
  }
  std::mutex preloaded_mu;
  PreloadedCells preloaded;
  absl::Status write_status;
  RunOptions run_options;
  run_options.threads = threads;
  // Formatting, hashing and writing happen in the workers, in parallel.
  run_options.finish_cell = [&](CellResult* result) {
    const std::string contents = FormatCellRecord(
        *result, static_cast<int>(experiment->benchmarks[result->id.benchmark]
                                      .objective->fidelities()
                                      .size()));
    absl::Status s = (*store)->Append(result->id, contents);
    // Kept for the reports by moving, not copying, the queries; the runner
    // still needs the id and status (progress).
    PreloadedCell cell{std::move(*result), ContentHash(contents)};
    cell.cell.ReleaseRecordsReportsDoNotRead();
    result->id = cell.cell.id;
    result->status = cell.cell.status;
    std::lock_guard<std::mutex> lock(preloaded_mu);
    if (!s.ok() && write_status.ok()) write_status = s;
    preloaded[position[{cell.cell.id.benchmark, cell.cell.id.algorithm,
                        cell.cell.id.seed}]] = std::move(cell);
  };

  // Destroyed (its ticker stopped) before the summary lines below.
  auto progress = std::make_unique<ProgressReporter>(
      *experiment, static_cast<int>(todo.size()), threads, tty);
  run_options.on_cell_start = [&](const CellId& id) {
    progress->CellStarted(id);
  };
  run_options.on_cell_done = [&](const CellResult& result, int done,
                                 int /*total*/) {
    if (done == kill_after) std::raise(SIGKILL);
    if (cell_delay_ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(cell_delay_ms));
    }
    progress->CellDone(result, done);
  };
  StreamCells(*experiment, todo, run_options);
  if (write_status.ok()) write_status = (*store)->Finish();
  const int failed = progress->failures().failed();
  const std::string failure_summary = progress->failures().Summary();
  progress.reset();
  if (!write_status.ok()) return Fail(write_status);
  std::fprintf(stderr, "%s", failure_summary.c_str());
  std::fprintf(stderr, "nas: %zu cells in %.2fs on %d threads; %d failed\n",
               todo.size(), absl::ToDoubleSeconds(absl::Now() - start),
               threads, failed);

  if (shard.second > 1) {
    std::fprintf(stderr,
                 "nas: shard %d/%d done in %s; combine all shards with "
                 "`nas merge OUT DIR...`\n",
                 shard.first, shard.second, output_flag.c_str());
    return failed == 0 ? 0 : 3;
  }
  absl::StatusOr<Reports> reports = WriteReports(dir, &preloaded);
  if (!reports.ok()) return Fail(reports.status());
  PrintLeaderboard(*reports);
  std::fprintf(stderr, "nas: results in %s (report.html, leaderboard.md)\n",
               output_flag.c_str());
  // Cells left out by --filter are not an error; failed ones (of this run
  // or of the run it resumed) are.
  return reports->failed_cells == 0 ? 0 : 3;
}

// Exit status 3, with a line saying why, when the stored results are not
// the whole experiment: a script must not take a partial leaderboard for a
// finished one.
int CompletenessStatus(const Reports& reports, const std::string& dir) {
  if (reports.failed_cells > 0) {
    std::fprintf(stderr,
                 "nas: %d of %d cells in %s failed (failed_seeds in the "
                 "leaderboard; each cell in cells.rec ends with its error)\n",
                 reports.failed_cells, reports.total_cells, dir.c_str());
  }
  if (reports.finished_cells < reports.total_cells) {
    std::fprintf(stderr,
                 "nas: %d of %d cells in %s are missing (missing_seeds in "
                 "the leaderboard): finish them with nas run --resume, or "
                 "merge the missing shards\n",
                 reports.total_cells - reports.finished_cells,
                 reports.total_cells, dir.c_str());
  }
  return reports.failed_cells > 0 ||
                 reports.finished_cells < reports.total_cells
             ? 3
             : 0;
}

absl::Status CheckIsResultsDir(const std::string& dir) {
  if (!IsDirectory(dir)) {
    return absl::NotFoundError(
        absl::StrCat("'", dir, "' is not a directory of nas results"));
  }
  if (!PathExists(absl::StrCat(dir, "/", kManifestFile))) {
    return absl::NotFoundError(absl::StrCat(
        "'", dir, "' is not a results directory (no ", kManifestFile,
        "); give a directory that nas run, merge or report wrote"));
  }
  if (!IsResultsDir(dir)) {
    // ReadManifest says why (unreadable, other schema).
    absl::Status why = ReadManifest(dir).status();
    return absl::FailedPreconditionError(absl::StrCat(
        "'", dir, "' is not a results directory of nas: ",
        why.ok() ? "its manifest is not one nas wrote" : why.message()));
  }
  return absl::OkStatus();
}

int Report(const std::string& dir_flag) {
  const std::string dir = ResolveUserPath(dir_flag);
  if (absl::Status s = CheckIsResultsDir(dir); !s.ok()) return Fail(s);
  absl::StatusOr<std::unique_ptr<DirLock>> lock = DirLock::Acquire(dir, "report");
  if (!lock.ok()) return Fail(lock.status());
  absl::StatusOr<Reports> reports = WriteReports(dir);
  if (!reports.ok()) return Fail(reports.status());
  PrintLeaderboard(*reports);
  return CompletenessStatus(*reports, dir_flag);
}

int Export(const std::string& dir_flag) {
  const std::string dir = ResolveUserPath(dir_flag);
  if (absl::Status s = CheckIsResultsDir(dir); !s.ok()) return Fail(s);
  absl::StatusOr<std::string> csv =
      TidyCellsCsv(dir, absl::GetFlag(FLAGS_data_dir));
  if (!csv.ok()) return Fail(csv.status());
  std::fwrite(csv->data(), 1, csv->size(), stdout);
  return 0;
}

int Status(const std::string& dir_flag) {
  const std::string dir = ResolveUserPath(dir_flag);
  if (absl::Status s = CheckIsResultsDir(dir); !s.ok()) return Fail(s);
  absl::StatusOr<StoreProgress> progress = CountStoredCells(dir);
  if (!progress.ok()) return Fail(progress.status());
  std::printf("%d of %d cells stored in %s\n", progress->stored,
              progress->total, dir_flag.c_str());
  return 0;
}

int Landscape(const std::vector<std::string>& args) {
  LandscapeOptions options;
  options.output_dir = absl::GetFlag(FLAGS_output_dir);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.overwrite = absl::GetFlag(FLAGS_overwrite);
  options.threads = absl::GetFlag(FLAGS_threads);
  if (options.output_dir.empty()) {
    return Fail(absl::InvalidArgumentError(
        "landscape needs --output_dir DIR (where the report goes)"));
  }
  const absl::Status status = RunLandscapeCommand(args, options);
  return status.ok() ? 0 : Fail(status);
}

int Tabulate(const std::string& config_path) {
  TabulateOptions options;
  options.output_dir = absl::GetFlag(FLAGS_output_dir);
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.overwrite = absl::GetFlag(FLAGS_overwrite);
  if (!absl::GetFlag(FLAGS_shard).empty()) {
    auto shard = ParseShard(absl::GetFlag(FLAGS_shard));
    if (!shard.ok()) return Fail(shard.status());
    std::tie(options.shard_index, options.shard_count) = *shard;
  }
  options.start_manifest = StartManifest;
  const absl::Status status = RunTabulateCommand(config_path, options);
  return status.ok() ? 0 : Fail(status);
}

int Cache(const std::string& action) {
  absl::StatusOr<CacheCommandOutput> out =
      RunCacheCommand(action, ResolveUserPath(absl::GetFlag(FLAGS_cache_dir)),
                      absl::GetFlag(FLAGS_older_than_days));
  if (!out.ok()) return Fail(out.status());
  std::printf("%s", out->text.c_str());
  return out->exit_code;
}

int Correlate(const std::string& config) {
  const LibtorchHooks* hooks = GetLibtorchHooks();
  if (hooks == nullptr) {
    return Fail(absl::FailedPreconditionError(
        absl::StrCat("correlate scores networks with libtorch, which this "
                     "nas does not link; build //harness:",
                     kFullBinaryName, " beside it")));
  }
  CorrelateFlags flags;
  flags.output_dir = absl::GetFlag(FLAGS_output_dir);
  flags.data_dir = absl::GetFlag(FLAGS_data_dir);
  flags.overwrite = absl::GetFlag(FLAGS_overwrite);
  flags.threads = absl::GetFlag(FLAGS_threads);
  const absl::Status status = hooks->correlate(config, flags);
  return status.ok() ? 0 : Fail(status);
}

bool IsRegisteredAnywhere(const std::string& name) {
  return IsPluginRegistered("space", name) ||
         IsPluginRegistered("objective", name) ||
         IsPluginRegistered("algorithm", name);
}

// What the command `args` needs that this binary lacks (for messages), in
// a binary without libtorch: plugins its config or arguments name that are
// not registered here, proxy channels, and the commands that show or use
// the libtorch registries. Empty when this binary can serve it, or cannot
// tell (a config that does not parse: its own checks then say why).
std::vector<std::string> NeededElsewhere(const std::vector<char*>& args) {
  std::vector<std::string> needed;
  if (GetLibtorchHooks() != nullptr || args.size() < 2) return needed;
  const std::string command = args[1];
  if (command == "list") {
    needed.push_back("the network builders and zero-cost proxies");
  } else if (command == "correlate") {
    needed.push_back("the zero-cost proxies");
  } else if (command == "describe" && args.size() == 3) {
    if (!IsRegisteredAnywhere(args[2])) {
      needed.push_back(absl::StrCat("plugin '", args[2], "'"));
    }
  } else if (command == "landscape" && args.size() == 4) {
    if (!IsPluginRegistered("space", args[2])) {
      needed.push_back(absl::StrCat("space '", args[2], "'"));
    }
    if (!IsPluginRegistered("objective", args[3])) {
      needed.push_back(absl::StrCat("objective '", args[3], "'"));
    }
  } else if ((command == "run" || command == "tabulate" ||
              command == "landscape") &&
             args.size() == 3) {
    absl::StatusOr<Experiment> config =
        ParseExperimentPlugins(ResolveUserPath(args[2]));
    if (!config.ok()) return needed;
    for (const auto& [kind, name] : PluginsNamedBy(*config)) {
      if (!IsPluginRegistered(kind, name)) {
        needed.push_back(absl::StrCat(kind, " '", name, "'"));
      }
    }
    for (const BenchmarkSpec& benchmark : config->benchmark()) {
      if (benchmark.has_proxy()) {
        needed.push_back(
            absl::StrCat("proxy '", benchmark.proxy().name(), "'"));
      }
    }
  }
  return needed;
}

int Merge(const std::string& out_flag, const std::vector<std::string>& shards) {
  const std::string out = ResolveUserPath(out_flag);
  absl::StatusOr<Experiment> config;
  std::string config_text;
  Manifest manifest;
  std::vector<std::string> dirs;
  for (const std::string& shard : shards) {
    const std::string dir = ResolveUserPath(shard);
    if (absl::Status s = CheckIsResultsDir(dir); !s.ok()) return Fail(s);
    if (SameFile(dir, out)) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "cannot merge into '", out_flag, "': it is also an input ('", shard,
          "'), whose cells would be deleted before they are read. Merge into "
          "a new directory")));
    }
    for (size_t i = 0; i < dirs.size(); ++i) {
      if (SameFile(dir, dirs[i])) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "'", shard, "' is given twice (also as '", shards[i],
            "'); list each shard directory once")));
      }
    }
    absl::StatusOr<Experiment> this_config = ReadStoredConfig(dir);
    if (!this_config.ok()) return Fail(this_config.status());
    absl::StatusOr<Manifest> this_manifest = ReadManifest(dir);
    if (!this_manifest.ok()) return Fail(this_manifest.status());
    if (absl::Status s = CheckSchemaWritable(*this_manifest, shard, "merge");
        !s.ok()) {
      return Fail(s);
    }
    Manifest inputs = *this_manifest;
    inputs.clear_num_cells();
    inputs.clear_num_finished_cells();
    inputs.clear_results_fingerprint();
    if (dirs.empty()) {
      config = this_config;
      config_text = ConfigText(*config);
      manifest = inputs;
    } else if (ConfigText(*this_config) != config_text) {
      return Fail(absl::FailedPreconditionError(absl::StrCat(
          "cannot merge: '", shard, "' ran a different experiment than '",
          shards[0], "' (compare their config.textproto); merge only the "
          "shards of one experiment, each made by nas run CONFIG --shard I/N "
          "with the same CONFIG")));
    } else if (std::vector<std::string> differences =
                   ManifestDifferences(manifest, inputs);
               !differences.empty()) {
      return Fail(absl::FailedPreconditionError(absl::StrCat(
          "cannot merge: '", shard, "' was made under other conditions than '",
          shards[0], "':\n  ", absl::StrJoin(differences, "\n  "),
          "\nRerun that shard with the same build and data")));
    }
    dirs.push_back(dir);
  }
  // Every input cell is read and checked before the output is touched.
  for (const std::string& dir : dirs) {
    Manifest checked = manifest;
    absl::StatusOr<std::vector<CellResult>> cells =
        LoadCells(dir, *config, &checked);
    if (!cells.ok()) return Fail(cells.status());
  }
  absl::StatusOr<std::unique_ptr<DirLock>> lock = OpenOutputDir(
      out, *config, manifest,
      absl::GetFlag(FLAGS_overwrite) ? OpenMode::kOverwrite : OpenMode::kFresh,
      "merge");
  if (!lock.ok()) return Fail(lock.status());
  absl::StatusOr<int> copied = MergeCellStores(out, *config, dirs, shards);
  if (!copied.ok()) return Fail(copied.status());
  absl::StatusOr<Reports> reports = WriteReports(out);
  if (!reports.ok()) return Fail(reports.status());
  PrintLeaderboard(*reports);
  std::fprintf(stderr, "nas: merged %d of %d cells into %s\n", *copied,
               reports->total_cells, out_flag.c_str());
  return CompletenessStatus(*reports, out_flag);
}

}  // namespace
}  // namespace nas

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(nas::Usage());
  // Per-command help before absl sees --help (which lists every flag).
  if (argc >= 2) {
    const std::string command = nas::CommandWord(argc, argv);
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--help" || arg == "-h" || arg == "help") {
        auto it = nas::CommandHelp().find(command);
        if (it == nas::CommandHelp().end()) {
          std::printf("%s", nas::Usage().c_str());
        } else {
          std::printf("%s\n%s", it->second.c_str(),
                      nas::FlagsHelp(command).c_str());
        }
        return 0;
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--version") {
      std::printf("%s", nas::VersionText().c_str());
      return 0;
    }
  }
  if (absl::Status s = nas::CheckFlagNames(argc, argv); !s.ok()) {
    return nas::Fail(s);
  }
  // A plugin the plugin list promises but the linker dropped must not
  // vanish silently from every command.
  if (absl::Status s = nas::CheckEveryPromisedPluginRegistered(); !s.ok()) {
    return nas::Fail(s);
  }
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fprintf(stderr, "%s", nas::Usage().c_str());
    return 2;
  }
  // The light binary hands what needs libtorch to the full one; returning
  // here means it could not, and the command runs as far as it can.
  if (const std::vector<std::string> needed = nas::NeededElsewhere(args);
      !needed.empty()) {
    const absl::Status why = nas::ExecFullBinary(argv);
    std::fprintf(stderr,
                 "nas: note: this nas links no libtorch and lacks %s; %s. "
                 "Build //harness:%s beside it (bazel build //:nas builds "
                 "both)\n",
                 absl::StrJoin(needed, ", ").c_str(),
                 nas::EscapeForTerminal(why.message()).c_str(),
                 nas::kFullBinaryName);
  }
  const std::string command = args[1];
  if (command == "list" && args.size() == 2) return nas::List();
  if (command == "describe" && args.size() == 3) return nas::Describe(args[2]);
  if (command == "run" && args.size() == 3) return nas::Run(args[2]);
  if (command == "report" && args.size() == 3) return nas::Report(args[2]);
  if (command == "export" && args.size() == 3) return nas::Export(args[2]);
  if (command == "status" && args.size() == 3) return nas::Status(args[2]);
  if (command == "landscape" && (args.size() == 3 || args.size() == 4)) {
    return nas::Landscape(std::vector<std::string>(args.begin() + 2, args.end()));
  }
  if (command == "tabulate" && args.size() == 3) return nas::Tabulate(args[2]);
  if (command == "cache" && args.size() == 3) return nas::Cache(args[2]);
  if (command == "correlate" && args.size() == 3) return nas::Correlate(args[2]);
  if (command == "merge" && args.size() >= 4) {
    return nas::Merge(args[2],
                      std::vector<std::string>(args.begin() + 3, args.end()));
  }
  if (nas::CommandHelp().count(command) == 0) {
    std::vector<std::string> commands;
    for (const auto& [name, help] : nas::CommandHelp())
      commands.push_back(name);
    std::fprintf(stderr,
                 "nas: error: unknown command '%s'; the commands are %s (nas "
                 "help)\n",
                 command.c_str(), absl::StrJoin(commands, ", ").c_str());
  } else {
    std::fprintf(stderr,
                 "nas: error: wrong arguments for '%s'; usage:\n\n%s",
                 command.c_str(), nas::CommandHelp().at(command).c_str());
  }
  return 2;
}
