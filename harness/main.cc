// The `nas` command line: runs experiments and lists plugins.
//
//   nas run CONFIG --output_dir DIR [--threads N] [--data_dir D]
//   nas list
//   nas describe NAME
//
// See README.md and docs/ for the whole workflow.

#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "harness/config.h"
#include "harness/output.h"
#include "harness/report.h"
#include "harness/runner.h"
#include "re2/re2.h"

ABSL_FLAG(std::string, output_dir, "",
          "run: directory for summary.csv, leaderboard.md, config.textproto "
          "and cells/ (created; must not already hold results unless "
          "--overwrite)");
ABSL_FLAG(int, threads, 0,
          "run: worker threads (0 = one per core). Results do not depend on "
          "it.");
ABSL_FLAG(std::string, data_dir, "",
          "Root of the benchmark tables (overrides the config's data_dir and "
          "$NAS_DATA_DIR; default ../shared/data)");
ABSL_FLAG(bool, overwrite, false,
          "run: replace the results already in --output_dir");
ABSL_FLAG(std::string, filter, "",
          "run: only cells whose 'benchmark/algorithm' label fully matches "
          "this RE2 pattern, e.g. 'cifar100/local_search.*'");

namespace nas {
namespace {

constexpr char kUsage[] =
    "nas: benchmark neural architecture search algorithms.\n\n"
    "  nas run CONFIG --output_dir DIR [--threads N] [--data_dir D]\n"
    "      Runs every (benchmark, algorithm, seed) cell of the experiment in\n"
    "      CONFIG (text-format nas.Experiment, see configs/), prints the\n"
    "      Markdown leaderboard and writes DIR/summary.csv, leaderboard.md,\n"
    "      config.textproto and cells/<benchmark>/<algorithm>/seed_<k>.csv.\n"
    "  nas list\n"
    "      Lists the registered search spaces, objectives and algorithms.\n"
    "  nas describe NAME\n"
    "      Shows a plugin's parameter message, its fields and defaults.\n";

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "nas: error: %s\n",
               std::string(status.message()).c_str());
  return status.code() == absl::StatusCode::kInvalidArgument ||
                 status.code() == absl::StatusCode::kNotFound
             ? 2
             : 1;
}

std::string ResolveUserPath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (!path.empty() && path[0] != '/' && cwd != nullptr && *cwd != '\0') {
    return absl::StrCat(cwd, "/", path);
  }
  return path;
}

template <typename Registry>
void ListKind(const char* title, const Registry& registry) {
  std::printf("%s:\n", title);
  for (const auto* entry : registry.Entries()) {
    std::printf("  %-22s %s\n", entry->name.c_str(),
                entry->description.c_str());
  }
}

int List() {
  ListKind("search spaces", GlobalSearchSpaceRegistry());
  ListKind("objectives", GlobalObjectiveRegistry());
  ListKind("algorithms", GlobalAlgorithmRegistry());
  return 0;
}

template <typename Registry>
bool DescribeIn(const char* kind, const Registry& registry,
                const std::string& name) {
  auto entry = registry.Find(name);
  if (!entry.ok()) return false;
  std::printf("%s %s: %s\n", kind, name.c_str(),
              (*entry)->description.c_str());
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

int Run(const std::string& config_path) {
  const std::string output_flag = absl::GetFlag(FLAGS_output_dir);
  if (output_flag.empty()) {
    return Fail(absl::InvalidArgumentError(
        "run needs --output_dir DIR (where the results go)"));
  }
  const std::string output_dir = ResolveUserPath(output_flag);
  if (PathExists(output_dir + "/summary.csv") &&
      !absl::GetFlag(FLAGS_overwrite)) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "'", output_flag,
        "' already holds results (summary.csv); choose another --output_dir "
        "or pass --overwrite to replace them")));
  }

  // Everything that can fail on bad input happens before the first write.
  LoadOptions options;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  absl::StatusOr<LoadedExperiment> experiment =
      LoadExperiment(config_path, options);
  if (!experiment.ok()) return Fail(experiment.status());

  std::vector<CellId> cells = EnumerateCells(*experiment);
  const std::string filter = absl::GetFlag(FLAGS_filter);
  if (!filter.empty()) {
    RE2 pattern(filter);
    if (!pattern.ok()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--filter '", filter, "' is not a valid RE2 pattern: ",
          pattern.error())));
    }
    std::vector<CellId> kept;
    for (const CellId& id : cells) {
      const std::string label =
          absl::StrCat(experiment->benchmarks[id.benchmark].name, "/",
                       experiment->algorithms[id.algorithm].label);
      if (RE2::FullMatch(label, pattern)) kept.push_back(id);
    }
    if (kept.empty()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--filter '", filter,
          "' matches no 'benchmark/algorithm' cell of the experiment")));
    }
    cells = std::move(kept);
  }

  if (absl::Status s = MakeDirectories(output_dir); !s.ok()) return Fail(s);
  std::string normalised;
  google::protobuf::TextFormat::PrintToString(experiment->config, &normalised);
  if (absl::Status s =
          WriteFileAtomically(output_dir + "/config.textproto", normalised);
      !s.ok()) {
    return Fail(s);
  }

  int threads = absl::GetFlag(FLAGS_threads);
  if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const bool tty = ::isatty(STDERR_FILENO);
  const absl::Time start = absl::Now();
  absl::Status write_status;
  RunOptions run_options;
  run_options.threads = threads;
  run_options.on_cell_done = [&](const CellResult& result, int done,
                                 int total) {
    const std::string path =
        absl::StrCat(output_dir, "/", CellPath(*experiment, result.id));
    absl::Status s = MakeDirectories(path.substr(0, path.rfind('/')));
    if (s.ok()) s = WriteFileAtomically(path, CellCsv(*experiment, result));
    if (!s.ok() && write_status.ok()) write_status = s;
    if (!result.status.ok()) {
      std::fprintf(stderr, "%snas: cell failed: %s\n", tty ? "\r\033[K" : "",
                   std::string(result.status.message()).c_str());
    }
    const double elapsed = absl::ToDoubleSeconds(absl::Now() - start);
    if (tty) {
      const double eta = elapsed / done * (total - done);
      std::fprintf(stderr, "\r\033[K[%d/%d cells] %.1fs elapsed, ETA %.1fs",
                   done, total, elapsed, eta);
      if (done == total) std::fprintf(stderr, "\n");
    } else if (done == total || done % std::max(1, total / 10) == 0) {
      std::fprintf(stderr, "nas: %d/%d cells done (%.1fs)\n", done, total,
                   elapsed);
    }
  };
  const std::vector<CellResult> results =
      RunCells(*experiment, cells, run_options);
  if (!write_status.ok()) return Fail(write_status);

  const std::vector<LeaderboardRow> rows = Aggregate(*experiment, results);
  const std::string leaderboard = LeaderboardMarkdown(*experiment, rows);
  for (const auto& [name, contents] :
       {std::pair<std::string, std::string>{"summary.csv", SummaryCsv(rows)},
        {"leaderboard.md", leaderboard}}) {
    if (absl::Status s =
            WriteFileAtomically(absl::StrCat(output_dir, "/", name), contents);
        !s.ok()) {
      return Fail(s);
    }
  }
  std::printf("%s", leaderboard.c_str());
  int failed = 0;
  for (const CellResult& r : results) failed += !r.status.ok();
  std::fprintf(stderr, "nas: %zu cells in %.2fs on %d threads; %d failed; "
               "results in %s\n",
               results.size(), absl::ToDoubleSeconds(absl::Now() - start),
               threads, failed, output_flag.c_str());
  return failed == 0 ? 0 : 3;
}

}  // namespace
}  // namespace nas

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(nas::kUsage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() < 2) {
    std::fprintf(stderr, "%s", nas::kUsage);
    return 2;
  }
  const std::string command = args[1];
  if (command == "list" && args.size() == 2) return nas::List();
  if (command == "describe" && args.size() == 3) return nas::Describe(args[2]);
  if (command == "run" && args.size() == 3) return nas::Run(args[2]);
  std::fprintf(stderr, "nas: error: unknown command line '%s'\n\n%s",
               command.c_str(), nas::kUsage);
  return 2;
}
