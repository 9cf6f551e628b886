#include "harness/report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace nas {
namespace {

// Fixed notation with 4 decimals: errors are percentages; more digits would
// be noise, fewer would hide real differences between algorithms.
std::string Num(double x) {
  if (std::isnan(x)) return "nan";
  return absl::StrFormat("%.4f", x);
}

// RFC 4180 quoting for free text (DARTS genotypes contain commas).
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<LeaderboardRow> Aggregate(const LoadedExperiment& experiment,
                                      const std::vector<CellResult>& results) {
  // (benchmark, algorithm) -> that pair's cells.
  std::map<std::pair<int, int>, std::vector<const CellResult*>> by_pair;
  for (const CellResult& r : results) {
    by_pair[{r.id.benchmark, r.id.algorithm}].push_back(&r);
  }
  std::vector<LeaderboardRow> rows;
  const Experiment& config = experiment.config;
  for (int b = 0; b < static_cast<int>(experiment.benchmarks.size()); ++b) {
    for (int a = 0; a < static_cast<int>(experiment.algorithms.size()); ++a) {
      std::vector<const CellResult*> cells = by_pair[{b, a}];
      std::sort(cells.begin(), cells.end(),
                [](const CellResult* x, const CellResult* y) {
                  return x->id.seed < y->id.seed;
                });
      for (int64_t checkpoint : config.checkpoint()) {
        LeaderboardRow row;
        row.benchmark = experiment.benchmarks[b].name;
        row.algorithm = experiment.algorithms[a].label;
        row.queries = checkpoint;
        std::vector<double> test, valid;
        for (const CellResult* cell : cells) {
          const double t = cell->TestErrorAt(checkpoint);
          if (!cell->status.ok() || std::isnan(t)) {
            ++row.failed_seeds;
            continue;
          }
          test.push_back(t);
          valid.push_back(cell->ValidErrorAt(checkpoint));
        }
        if (!test.empty()) {
          row.test_error = Summarize(test);
          row.mean_valid_error = Mean(valid);
        }
        rows.push_back(row);
      }
    }
  }
  return rows;
}

std::string SummaryCsv(const std::vector<LeaderboardRow>& rows) {
  std::string out =
      "benchmark,algorithm,queries,seeds,mean_test_error,ci95_low,ci95_high,"
      "std_test_error,median_test_error,mean_valid_error,failed_seeds\n";
  for (const LeaderboardRow& r : rows) {
    const bool any = r.test_error.n > 0;
    const double nan = std::nan("");
    absl::StrAppend(
        &out, r.benchmark, ",", r.algorithm, ",", r.queries, ",",
        r.test_error.n, ",", Num(any ? r.test_error.mean : nan), ",",
        Num(any ? r.test_error.ci95_low : nan), ",",
        Num(any ? r.test_error.ci95_high : nan), ",",
        Num(any ? r.test_error.std_dev : nan), ",",
        Num(any ? r.test_error.median : nan), ",",
        Num(any ? r.mean_valid_error : nan), ",", r.failed_seeds, "\n");
  }
  return out;
}

std::string LeaderboardMarkdown(const LoadedExperiment& experiment,
                                const std::vector<LeaderboardRow>& rows) {
  const Experiment& config = experiment.config;
  const std::vector<int64_t> checkpoints(config.checkpoint().begin(),
                                         config.checkpoint().end());
  const int64_t last = checkpoints.back();
  std::string out = absl::StrCat(
      "# Leaderboard", config.name().empty() ? "" : ": ", config.name(),
      "\n\nTest error of the architecture with the best validation error "
      "found so far (lower is better): mean over seeds, with its 95% "
      "Student-t interval, after ",
      last, " queries; earlier checkpoints give the mean only.\n");
  for (const LoadedBenchmark& benchmark : experiment.benchmarks) {
    std::vector<const LeaderboardRow*> final_rows;
    std::map<std::pair<std::string, int64_t>, const LeaderboardRow*> index;
    for (const LeaderboardRow& r : rows) {
      if (r.benchmark != benchmark.name) continue;
      index[{r.algorithm, r.queries}] = &r;
      if (r.queries == last) final_rows.push_back(&r);
    }
    std::stable_sort(final_rows.begin(), final_rows.end(),
                     [](const LeaderboardRow* x, const LeaderboardRow* y) {
                       const bool xs = x->test_error.n > 0;
                       const bool ys = y->test_error.n > 0;
                       if (xs != ys) return xs;
                       return xs && x->test_error.mean < y->test_error.mean;
                     });
    absl::StrAppend(&out, "\n## ", benchmark.name, "\n\n");
    if (auto opt = benchmark.objective->known_optimum()) {
      absl::StrAppend(&out, "Optimum: best validation error ",
                      Num(opt->best_valid_error),
                      ", whose test error is ",
                      Num(opt->test_error_of_best_valid),
                      "; best test error ", Num(opt->best_test_error), ".\n\n");
    }
    std::vector<std::string> header = {"rank", "algorithm",
                                       absl::StrCat(last, " queries"),
                                       "95% CI"};
    for (int64_t c : checkpoints) {
      if (c != last) header.push_back(absl::StrCat("@", c));
    }
    header.push_back("seeds");
    absl::StrAppend(&out, "| ", absl::StrJoin(header, " | "), " |\n|");
    for (size_t i = 0; i < header.size(); ++i) {
      absl::StrAppend(&out, i < 2 ? "---|" : "---:|");
    }
    out += "\n";
    int rank = 0;
    for (const LeaderboardRow* r : final_rows) {
      ++rank;
      std::vector<std::string> cells = {
          std::to_string(rank), r->algorithm,
          r->test_error.n > 0 ? Num(r->test_error.mean) : "failed",
          r->test_error.n > 1 ? absl::StrCat("[", Num(r->test_error.ci95_low),
                                             ", ", Num(r->test_error.ci95_high),
                                             "]")
                              : "-"};
      for (int64_t c : checkpoints) {
        if (c == last) continue;
        const LeaderboardRow* earlier = index[{r->algorithm, c}];
        cells.push_back(earlier && earlier->test_error.n > 0
                            ? Num(earlier->test_error.mean)
                            : "-");
      }
      cells.push_back(r->failed_seeds == 0
                          ? std::to_string(r->test_error.n)
                          : absl::StrCat(r->test_error.n, " (",
                                         r->failed_seeds, " failed)"));
      absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
    }
  }
  return out;
}

std::string CellCsv(const LoadedExperiment& experiment,
                    const CellResult& result) {
  const SearchSpace& space = *experiment.benchmarks[result.id.benchmark].space;
  std::string out =
      "query,arch,fidelity,valid_error,test_error,cost_seconds,"
      "cumulative_seconds,incumbent_valid_error,incumbent_test_error\n";
  for (size_t i = 0; i < result.records.size(); ++i) {
    const QueryRecord& r = result.records[i];
    absl::StrAppend(&out, i + 1, ",", CsvField(space.ToString(r.arch)), ",", r.fidelity,
                    ",", Num(r.evaluation.valid_error), ",",
                    Num(r.evaluation.test_error), ",",
                    Num(r.evaluation.cost_seconds), ",",
                    Num(r.cumulative_seconds), ",",
                    Num(result.incumbent_valid_error[i]), ",",
                    Num(result.incumbent_test_error[i]), "\n");
  }
  if (!result.status.ok()) {
    absl::StrAppend(&out, "# failed: ", result.status.message(), "\n");
  }
  return out;
}

std::string CellPath(const LoadedExperiment& experiment, const CellId& id) {
  return absl::StrCat("cells/", experiment.benchmarks[id.benchmark].name, "/",
                      experiment.algorithms[id.algorithm].label, "/seed_",
                      id.seed, ".csv");
}

}  // namespace nas
