#include "harness/report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/output.h"
#include "harness/plot/svg_plot.h"
#include "harness/stats/comparisons.h"
#include "harness/store.h"
#include "spaces/random.h"

namespace nas {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kBootstrapResamples = 2000;

// Reports show 4 decimals: errors are percentages; more digits would be
// noise, fewer would hide real differences between algorithms.
std::string Num(double x) {
  if (std::isnan(x)) return "nan";
  return absl::StrFormat("%.4f", x);
}

std::string PValue(double p) {
  if (std::isnan(p)) return "-";
  if (p < 1e-4) return absl::StrFormat("%.1e", p);
  return absl::StrFormat("%.4f", p);
}

std::string JsonNumber(double x) {
  return std::isfinite(x) ? ExactDouble(x) : "null";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// Cells of one (benchmark, algorithm) pair by seed (nullptr: not run).
using PairCells = std::vector<const StoredCell*>;

class Aggregator {
 public:
  explicit Aggregator(const ReportInput& input) : input_(input) {
    const Experiment& c = input.config;
    cells_.assign(c.benchmark_size(),
                  std::vector<PairCells>(c.algorithm_size(),
                                         PairCells(c.num_seeds(), nullptr)));
    for (const StoredCell& cell : input.cells) {
      cells_[cell.id.benchmark][cell.id.algorithm][cell.id.seed] = &cell;
      max_queries_ = std::max(max_queries_, cell.num_queries());
    }
    for (const std::string& label : {c.reference_algorithm()}) {
      for (int a = 0; a < c.algorithm_size(); ++a) {
        if (c.algorithm(a).label() == label) reference_ = a;
      }
    }
    checkpoints_.assign(c.checkpoint().begin(), c.checkpoint().end());
    if (checkpoints_.empty()) checkpoints_.push_back(std::max<int64_t>(1, max_queries_));
  }

  const std::vector<int64_t>& checkpoints() const { return checkpoints_; }
  int reference() const { return reference_; }
  const PairCells& Pair(int b, int a) const { return cells_[b][a]; }

  // Target test error of benchmark b, or NaN without a known optimum.
  double Target(int b) const {
    const BenchmarkInfo* info = Info(b);
    if (info == nullptr || !info->has_optimum()) return kNaN;
    return info->test_error_of_best_valid() *
           (1 + input_.config.target_gap_percent() / 100);
  }

  const BenchmarkInfo* Info(int b) const {
    for (const BenchmarkInfo& info : input_.manifest.benchmark()) {
      if (info.name() == input_.config.benchmark(b).name()) return &info;
    }
    return nullptr;
  }

  std::vector<LeaderboardRow> Rows() const {
    const Experiment& c = input_.config;
    std::vector<LeaderboardRow> rows;
    for (int b = 0; b < c.benchmark_size(); ++b) {
      for (int a = 0; a < c.algorithm_size(); ++a) {
        for (int64_t checkpoint : checkpoints_) {
          rows.push_back(Row(b, a, checkpoint));
        }
      }
    }
    // Paired tests against the reference, Holm-adjusted per checkpoint
    // over all benchmarks and algorithms.
    for (int64_t checkpoint : checkpoints_) {
      std::vector<LeaderboardRow*> tested;
      std::vector<double> p_values;
      for (LeaderboardRow& row : rows) {
        if (row.queries != checkpoint) continue;
        if (row.algorithm == reference_) {
          row.p_value = row.p_holm = kNaN;
          continue;
        }
        std::vector<double> x, y;
        const PairCells& mine = Pair(row.benchmark, row.algorithm);
        const PairCells& ref = Pair(row.benchmark, reference_);
        for (int s = 0; s < c.num_seeds(); ++s) {
          if (!Usable(mine[s], checkpoint) || !Usable(ref[s], checkpoint)) {
            continue;
          }
          x.push_back(mine[s]->TestErrorAt(checkpoint));
          y.push_back(ref[s]->TestErrorAt(checkpoint));
        }
        if (x.empty()) {
          row.p_value = row.p_holm = kNaN;
          continue;
        }
        row.mean_difference_to_reference = Mean(x) - Mean(y);
        row.p_value = WilcoxonSignedRank(x, y).p_value;
        tested.push_back(&row);
        p_values.push_back(row.p_value);
      }
      const std::vector<double> adjusted = HolmAdjust(p_values);
      for (size_t i = 0; i < tested.size(); ++i) {
        tested[i]->p_holm = adjusted[i];
      }
    }
    return rows;
  }

  std::vector<AverageRank> Ranks(const std::vector<LeaderboardRow>& rows) const {
    const Experiment& c = input_.config;
    const int64_t last = checkpoints_.back();
    std::vector<AverageRank> ranks(c.algorithm_size());
    for (int a = 0; a < c.algorithm_size(); ++a) {
      ranks[a].algorithm = a;
      ranks[a].per_benchmark.assign(c.benchmark_size(), kNaN);
    }
    for (int b = 0; b < c.benchmark_size(); ++b) {
      std::vector<int> present;
      std::vector<double> means;
      for (const LeaderboardRow& row : rows) {
        if (row.benchmark == b && row.queries == last && row.test_error.n > 0) {
          present.push_back(row.algorithm);
          means.push_back(row.test_error.mean);
        }
      }
      const std::vector<double> within = AverageRanks(means);
      for (size_t i = 0; i < present.size(); ++i) {
        ranks[present[i]].per_benchmark[b] = within[i];
      }
    }
    for (AverageRank& r : ranks) {
      double sum = 0;
      for (double v : r.per_benchmark) {
        if (std::isnan(v)) continue;
        sum += v;
        ++r.benchmarks;
      }
      r.rank = r.benchmarks > 0 ? sum / r.benchmarks : kNaN;
    }
    return ranks;
  }

  // Mean and 95% t-interval of the incumbent's test error after each query
  // 1..horizon (NaN where fewer than two seeds have values).
  PlotSeries QueryCurve(int b, int a, int64_t horizon) const {
    PlotSeries series;
    series.label = input_.config.algorithm(a).label();
    for (int64_t q = 1; q <= horizon; ++q) {
      std::vector<double> values;
      for (const StoredCell* cell : Pair(b, a)) {
        if (Usable(cell, q)) values.push_back(cell->TestErrorAt(q));
      }
      AddPoint(static_cast<double>(q), values, &series);
    }
    return series;
  }

  // The same against simulated training seconds, on a grid of 120 points.
  PlotSeries TimeCurve(int b, int a, double max_seconds) const {
    PlotSeries series;
    series.label = input_.config.algorithm(a).label();
    constexpr int kPoints = 120;
    for (int i = 1; i <= kPoints; ++i) {
      const double t = max_seconds * i / kPoints;
      std::vector<double> values;
      for (const StoredCell* cell : Pair(b, a)) {
        if (cell == nullptr || !cell->ok) continue;
        const double v = cell->TestErrorAtSeconds(t);
        if (!std::isnan(v)) values.push_back(v);
      }
      AddPoint(t, values, &series);
    }
    return series;
  }

  double MaxSeconds(int b) const {
    double max_seconds = 0;
    for (const auto& pair : cells_[b]) {
      for (const StoredCell* cell : pair) {
        if (cell != nullptr && !cell->cumulative_seconds.empty()) {
          max_seconds = std::max(max_seconds, cell->cumulative_seconds.back());
        }
      }
    }
    return max_seconds;
  }

 private:
  static bool Usable(const StoredCell* cell, int64_t queries) {
    return cell != nullptr && cell->ok &&
           !std::isnan(cell->TestErrorAt(queries));
  }

  // Mean and t-interval only (plots need no medians), with the t quantile
  // cached per sample size: curves have hundreds of points.
  void AddPoint(double x, const std::vector<double>& values,
                PlotSeries* series) const {
    series->x.push_back(x);
    if (values.size() < 2) {
      series->y.push_back(values.empty() ? kNaN : values[0]);
      series->band_low.push_back(kNaN);
      series->band_high.push_back(kNaN);
      return;
    }
    const double mean = Mean(values);
    const double half = TCritical(static_cast<int>(values.size()) - 1) *
                        SampleStdDev(values) /
                        std::sqrt(static_cast<double>(values.size()));
    series->y.push_back(mean);
    series->band_low.push_back(mean - half);
    series->band_high.push_back(mean + half);
  }

  double TCritical(int degrees_of_freedom) const {
    auto it = t_critical_.find(degrees_of_freedom);
    if (it != t_critical_.end()) return it->second;
    const double t = StudentTCritical(0.95, degrees_of_freedom);
    t_critical_[degrees_of_freedom] = t;
    return t;
  }

  LeaderboardRow Row(int b, int a, int64_t checkpoint) const {
    const Experiment& c = input_.config;
    LeaderboardRow row;
    row.benchmark = b;
    row.algorithm = a;
    row.queries = checkpoint;
    std::vector<double> test, valid, areas;
    std::vector<int64_t> to_target;
    const double target = Target(b);
    for (const StoredCell* cell : Pair(b, a)) {
      if (cell == nullptr) {
        ++row.missing_seeds;
        continue;
      }
      if (!Usable(cell, checkpoint)) {
        ++row.failed_seeds;
        continue;
      }
      test.push_back(cell->TestErrorAt(checkpoint));
      valid.push_back(cell->ValidErrorAt(checkpoint));
      std::vector<double> curve(
          cell->incumbent_test_error.begin(),
          cell->incumbent_test_error.begin() +
              std::min<int64_t>(checkpoint, cell->num_queries()));
      // Before the first full-fidelity query there is no incumbent; the
      // area counts those queries at the first incumbent's value.
      double first = kNaN;
      for (double v : curve) {
        if (!std::isnan(v)) {
          first = v;
          break;
        }
      }
      for (double& v : curve) {
        if (std::isnan(v)) v = first;
      }
      areas.push_back(AreaUnderCurve(curve, checkpoint));
      if (!std::isnan(target)) {
        const int64_t q = QueriesToReach(curve, target);
        to_target.push_back(q < 0 ? std::numeric_limits<int64_t>::max() : q);
      }
    }
    if (test.empty()) return row;
    row.test_error = Summarize(test);
    row.q1 = Quantile(test, 0.25);
    row.q3 = Quantile(test, 0.75);
    // The bootstrap interval is for the headline (last) checkpoint only:
    // resampling at every checkpoint would cost more than the runs.
    if (checkpoint == checkpoints_.back()) {
      const Interval boot = BootstrapMeanInterval(
          test, 0.95, kBootstrapResamples,
          HashCombine(StableHash(absl::StrCat(c.benchmark(b).name(), "/",
                                              c.algorithm(a).label())),
                      static_cast<uint64_t>(checkpoint)));
      row.boot_low = boot.low;
      row.boot_high = boot.high;
    } else {
      row.boot_low = row.boot_high = kNaN;
    }
    row.mean_valid_error = Mean(valid);
    row.anytime_area = Mean(areas);
    if (!to_target.empty()) {
      std::sort(to_target.begin(), to_target.end());
      int reached = 0;
      for (int64_t q : to_target) {
        reached += q != std::numeric_limits<int64_t>::max();
      }
      row.fraction_reached_target =
          static_cast<double>(reached) / static_cast<double>(to_target.size());
      // Lower median; never-reached counts as infinitely many queries.
      const int64_t median = to_target[(to_target.size() - 1) / 2];
      row.median_queries_to_target =
          median == std::numeric_limits<int64_t>::max() ? -1 : median;
    }
    return row;
  }

  const ReportInput& input_;
  std::vector<std::vector<PairCells>> cells_;
  std::vector<int64_t> checkpoints_;
  int64_t max_queries_ = 0;
  int reference_ = 0;
  mutable std::map<int, double> t_critical_;
};

std::string SummaryCsv(const Experiment& c,
                       const std::vector<LeaderboardRow>& rows) {
  std::string out =
      "benchmark,algorithm,queries,seeds,mean_test_error,ci95_low,ci95_high,"
      "std_test_error,median_test_error,q1_test_error,q3_test_error,"
      "boot95_low,boot95_high,mean_valid_error,anytime_area,"
      "median_queries_to_target,fraction_reached_target,"
      "mean_diff_vs_reference,p_value_vs_reference,p_holm,failed_seeds,"
      "missing_seeds\n";
  for (const LeaderboardRow& r : rows) {
    const bool any = r.test_error.n > 0;
    auto v = [&](double x) { return Num(any ? x : kNaN); };
    absl::StrAppend(
        &out, c.benchmark(r.benchmark).name(), ",",
        c.algorithm(r.algorithm).label(), ",", r.queries, ",", r.test_error.n,
        ",", v(r.test_error.mean), ",", v(r.test_error.ci95_low), ",",
        v(r.test_error.ci95_high), ",", v(r.test_error.std_dev), ",",
        v(r.test_error.median), ",", v(r.q1), ",", v(r.q3), ",",
        v(r.boot_low), ",", v(r.boot_high), ",", v(r.mean_valid_error), ",",
        v(r.anytime_area), ",", r.median_queries_to_target, ",",
        v(r.fraction_reached_target), ",",
        v(r.mean_difference_to_reference),
        ",", std::isnan(r.p_value) ? "nan" : absl::StrFormat("%.6g", r.p_value),
        ",", std::isnan(r.p_holm) ? "nan" : absl::StrFormat("%.6g", r.p_holm),
        ",", r.failed_seeds, ",", r.missing_seeds, "\n");
  }
  return out;
}

std::string SummaryJson(const Experiment& c, const Manifest& manifest,
                        const std::vector<LeaderboardRow>& rows,
                        const std::vector<AverageRank>& ranks) {
  std::string out = absl::StrCat(
      "{\n  \"experiment\": ", JsonString(c.name()),
      ",\n  \"reference_algorithm\": ", JsonString(c.reference_algorithm()),
      ",\n  \"results_fingerprint\": ",
      JsonString(manifest.results_fingerprint()),
      ",\n  \"rows\": [");
  for (size_t i = 0; i < rows.size(); ++i) {
    const LeaderboardRow& r = rows[i];
    absl::StrAppend(
        &out, i == 0 ? "\n" : ",\n", "    {\"benchmark\": ",
        JsonString(c.benchmark(r.benchmark).name()),
        ", \"algorithm\": ", JsonString(c.algorithm(r.algorithm).label()),
        ", \"queries\": ", r.queries, ", \"seeds\": ", r.test_error.n,
        ", \"mean_test_error\": ", JsonNumber(r.test_error.n ? r.test_error.mean : kNaN),
        ", \"ci95\": [", JsonNumber(r.test_error.n ? r.test_error.ci95_low : kNaN), ", ",
        JsonNumber(r.test_error.n ? r.test_error.ci95_high : kNaN), "]",
        ", \"std_test_error\": ", JsonNumber(r.test_error.n ? r.test_error.std_dev : kNaN),
        ", \"median_test_error\": ", JsonNumber(r.test_error.n ? r.test_error.median : kNaN),
        ", \"quartiles\": [", JsonNumber(r.test_error.n ? r.q1 : kNaN), ", ",
        JsonNumber(r.test_error.n ? r.q3 : kNaN), "]",
        ", \"bootstrap95\": [", JsonNumber(r.test_error.n ? r.boot_low : kNaN), ", ",
        JsonNumber(r.test_error.n ? r.boot_high : kNaN), "]",
        ", \"mean_valid_error\": ", JsonNumber(r.test_error.n ? r.mean_valid_error : kNaN),
        ", \"anytime_area\": ", JsonNumber(r.test_error.n ? r.anytime_area : kNaN),
        ", \"median_queries_to_target\": ",
        r.median_queries_to_target < 0 ? "null" : absl::StrCat(r.median_queries_to_target),
        ", \"fraction_reached_target\": ", JsonNumber(r.fraction_reached_target),
        ", \"p_value_vs_reference\": ", JsonNumber(r.p_value),
        ", \"p_holm\": ", JsonNumber(r.p_holm),
        ", \"failed_seeds\": ", r.failed_seeds,
        ", \"missing_seeds\": ", r.missing_seeds, "}");
  }
  out += "\n  ],\n  \"average_ranks\": [";
  for (size_t i = 0; i < ranks.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "\n" : ",\n", "    {\"algorithm\": ",
                    JsonString(c.algorithm(ranks[i].algorithm).label()),
                    ", \"average_rank\": ", JsonNumber(ranks[i].rank),
                    ", \"benchmarks\": ", ranks[i].benchmarks, "}");
  }
  out += "\n  ]\n}\n";
  return out;
}

// Rows of one benchmark at the last checkpoint, best first.
std::vector<const LeaderboardRow*> Ranked(
    const std::vector<LeaderboardRow>& rows, int b, int64_t last) {
  std::vector<const LeaderboardRow*> ranked;
  for (const LeaderboardRow& r : rows) {
    if (r.benchmark == b && r.queries == last) ranked.push_back(&r);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const LeaderboardRow* x, const LeaderboardRow* y) {
                     const bool xs = x->test_error.n > 0;
                     const bool ys = y->test_error.n > 0;
                     if (xs != ys) return xs;
                     return xs && x->test_error.mean < y->test_error.mean;
                   });
  return ranked;
}

struct Table {
  std::vector<std::string> header;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
};

std::string MarkdownTable(const Table& t) {
  std::string out = absl::StrCat("| ", absl::StrJoin(t.header, " | "), " |\n|");
  for (bool numeric : t.numeric) out += numeric ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : t.rows) {
    absl::StrAppend(&out, "| ", absl::StrJoin(row, " | "), " |\n");
  }
  return out;
}

std::string HtmlTable(const Table& t) {
  std::string out = "<table>\n<tr>";
  for (const std::string& h : t.header) {
    absl::StrAppend(&out, "<th>", XmlEscape(h), "</th>");
  }
  out += "</tr>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&out, t.numeric[i] ? "<td class=\"n\">" : "<td>",
                      XmlEscape(row[i]), "</td>");
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

Table BenchmarkTable(const Experiment& c, const Aggregator& agg,
                     const std::vector<LeaderboardRow>& rows, int b) {
  const std::vector<int64_t>& checkpoints = agg.checkpoints();
  const int64_t last = checkpoints.back();
  std::map<std::pair<int, int64_t>, const LeaderboardRow*> index;
  for (const LeaderboardRow& r : rows) {
    if (r.benchmark == b) index[{r.algorithm, r.queries}] = &r;
  }
  Table t;
  t.header = {"rank", "algorithm", absl::StrCat("@", last), "95% CI",
              "median [IQR]", "anytime", "to target",
              absl::StrCat("p vs ", c.reference_algorithm())};
  t.numeric = {true, false, true, true, true, true, true, true};
  for (int64_t cp : checkpoints) {
    if (cp == last) continue;
    t.header.push_back(absl::StrCat("@", cp));
    t.numeric.push_back(true);
  }
  t.header.push_back("seeds");
  t.numeric.push_back(true);
  int rank = 0;
  for (const LeaderboardRow* r : Ranked(rows, b, last)) {
    ++rank;
    const bool any = r->test_error.n > 0;
    std::vector<std::string> cells = {
        std::to_string(rank), c.algorithm(r->algorithm).label(),
        any ? Num(r->test_error.mean) : "-",
        r->test_error.n > 1 ? absl::StrCat("[", Num(r->test_error.ci95_low),
                                           ", ", Num(r->test_error.ci95_high),
                                           "]")
                            : "-",
        any ? absl::StrCat(Num(r->test_error.median), " [", Num(r->q1), ", ",
                           Num(r->q3), "]")
            : "-",
        any ? Num(r->anytime_area) : "-",
        r->median_queries_to_target < 0
            ? (any && r->fraction_reached_target > 0
                   ? absl::StrFormat("- (%.0f%%)",
                                     100 * r->fraction_reached_target)
                   : "-")
            : absl::StrFormat("%d (%.0f%%)", r->median_queries_to_target,
                              100 * r->fraction_reached_target),
        r->algorithm == agg.reference() ? "reference" : PValue(r->p_holm)};
    for (int64_t cp : checkpoints) {
      if (cp == last) continue;
      const LeaderboardRow* earlier = index[{r->algorithm, cp}];
      cells.push_back(earlier && earlier->test_error.n > 0
                          ? Num(earlier->test_error.mean)
                          : "-");
    }
    std::string seeds = std::to_string(r->test_error.n);
    if (r->failed_seeds > 0) absl::StrAppend(&seeds, ", ", r->failed_seeds, " failed");
    if (r->missing_seeds > 0) absl::StrAppend(&seeds, ", ", r->missing_seeds, " missing");
    cells.push_back(seeds);
    t.rows.push_back(cells);
  }
  return t;
}

Table RankTable(const Experiment& c, const std::vector<AverageRank>& ranks) {
  Table t;
  t.header = {"algorithm", "average rank"};
  t.numeric = {false, true};
  for (const BenchmarkSpec& b : c.benchmark()) {
    t.header.push_back(b.name());
    t.numeric.push_back(true);
  }
  std::vector<const AverageRank*> sorted;
  for (const AverageRank& r : ranks) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const AverageRank* x, const AverageRank* y) {
                     if (std::isnan(x->rank) != std::isnan(y->rank)) {
                       return !std::isnan(x->rank);
                     }
                     return x->rank < y->rank;
                   });
  for (const AverageRank* r : sorted) {
    std::vector<std::string> row = {c.algorithm(r->algorithm).label(),
                                    std::isnan(r->rank)
                                        ? "-"
                                        : absl::StrFormat("%.2f", r->rank)};
    for (double v : r->per_benchmark) {
      row.push_back(std::isnan(v) ? "-" : absl::StrFormat("%.1f", v));
    }
    t.rows.push_back(row);
  }
  return t;
}

// Limits the y axis to the curves after their first 5% of points: the first
// few queries' errors are an order of magnitude above the rest and would
// flatten everything that distinguishes the algorithms.
void FocusYAxis(LinePlot* plot) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  for (const PlotSeries& s : plot->series) {
    const size_t skip = s.x.size() / 20;
    for (size_t i = skip; i < s.x.size(); ++i) {
      for (double v : {s.y[i], s.band_low.empty() ? s.y[i] : s.band_low[i],
                       s.band_high.empty() ? s.y[i] : s.band_high[i]}) {
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
        }
      }
    }
  }
  if (!(hi > lo)) return;
  const double pad = (hi - lo) * 0.05;
  plot->y.min = lo - pad;
  plot->y.max = hi + pad;
}

std::string BenchmarkPreamble(const Aggregator& agg, const Experiment& c,
                              int b) {
  const BenchmarkInfo* info = agg.Info(b);
  if (info == nullptr || !info->has_optimum()) return "";
  return absl::StrCat(
      "Optimum: best validation error ", Num(info->best_valid_error()),
      ", whose test error is ", Num(info->test_error_of_best_valid()),
      "; best test error ", Num(info->best_test_error()),
      ". Target for \"to target\": test error <= ", Num(agg.Target(b)),
      " (within ", absl::StrFormat("%g", c.target_gap_percent()),
      "%); median queries (share of seeds that got there).");
}

}  // namespace

Reports BuildReports(const ReportInput& input) {
  const Experiment& c = input.config;
  Aggregator agg(input);
  Reports reports;
  reports.rows = agg.Rows();
  reports.ranks = agg.Ranks(reports.rows);
  reports.summary_csv = SummaryCsv(c, reports.rows);
  reports.summary_json =
      SummaryJson(c, input.manifest, reports.rows, reports.ranks);

  const int64_t last = agg.checkpoints().back();
  const std::string intro = absl::StrCat(
      "Test error of the architecture with the best validation error found "
      "so far (lower is better), after ", last,
      " queries: mean over seeds with its 95% Student-t interval, median "
      "and quartiles; \"anytime\" is the mean best-so-far error over the "
      "first ", last, " queries (area under the curve); p is a paired "
      "Wilcoxon signed-rank test over seeds against ", c.reference_algorithm(),
      ", Holm-corrected over all comparisons. Earlier checkpoints give the "
      "mean only.");
  std::string md = absl::StrCat("# Leaderboard", c.name().empty() ? "" : ": ",
                                c.name(), "\n\n", intro, "\n");
  std::string html_body;
  for (int b = 0; b < c.benchmark_size(); ++b) {
    const std::string& name = c.benchmark(b).name();
    const Table table = BenchmarkTable(c, agg, reports.rows, b);
    const std::string preamble = BenchmarkPreamble(agg, c, b);
    absl::StrAppend(&md, "\n## ", name, "\n\n",
                    preamble.empty() ? "" : preamble + "\n\n",
                    MarkdownTable(table));
    absl::StrAppend(&html_body, "<h2>", XmlEscape(name), "</h2>\n",
                    preamble.empty() ? "" : "<p>" + XmlEscape(preamble) + "</p>\n",
                    HtmlTable(table));

    LinePlot by_queries;
    by_queries.title = absl::StrCat(name, ": best-so-far test error");
    by_queries.x.label = "queries";
    const BenchmarkInfo* info = agg.Info(b);
    by_queries.y.label = absl::StrCat(
        "test ",
        info && !info->error_unit().empty() ? info->error_unit() : "error",
        ", mean and 95% CI");
    for (int a = 0; a < c.algorithm_size(); ++a) {
      by_queries.series.push_back(agg.QueryCurve(b, a, last));
    }
    if (info && info->has_optimum()) {
      PlotSeries optimum;
      optimum.label = "best-valid arch";
      optimum.x = {1, static_cast<double>(last)};
      optimum.y = {info->test_error_of_best_valid(),
                   info->test_error_of_best_valid()};
      optimum.dashed = true;
      optimum.color = "#777777";
      by_queries.series.push_back(optimum);
    }
    FocusYAxis(&by_queries);
    const std::string queries_name = absl::StrCat(name, "_queries");
    const std::string queries_svg = RenderSvg(by_queries);
    reports.plots.push_back({queries_name, queries_svg});
    absl::StrAppend(&md, "\n![", name, ": best-so-far test error](plots/",
                    queries_name, ".svg)\n");
    absl::StrAppend(&html_body, "<div class=\"plot\">", queries_svg, "</div>\n");

    const double max_seconds = agg.MaxSeconds(b);
    if (max_seconds > 0) {
      LinePlot by_time = by_queries;
      by_time.series.clear();
      by_time.title = absl::StrCat(name, ": best-so-far test error by time");
      by_time.x.label = "simulated training time (s)";
      for (int a = 0; a < c.algorithm_size(); ++a) {
        by_time.series.push_back(agg.TimeCurve(b, a, max_seconds));
      }
      by_time.y.min = by_time.y.max = std::numeric_limits<double>::quiet_NaN();
      FocusYAxis(&by_time);
      const std::string time_name = absl::StrCat(name, "_seconds");
      const std::string time_svg = RenderSvg(by_time);
      reports.plots.push_back({time_name, time_svg});
      absl::StrAppend(&md, "\n![", name, ": by simulated time](plots/",
                      time_name, ".svg)\n");
      absl::StrAppend(&html_body, "<div class=\"plot\">", time_svg, "</div>\n");
    }
  }

  const Table rank_table = RankTable(c, reports.ranks);
  absl::StrAppend(&md, "\n## Average rank across benchmarks\n\n",
                  "Within each benchmark, algorithms are ranked by mean test "
                  "error after ", last, " queries (ties share ranks).\n\n",
                  MarkdownTable(rank_table));
  absl::StrAppend(&html_body, "<h2>Average rank across benchmarks</h2>\n",
                  HtmlTable(rank_table));
  if (c.benchmark_size() > 1) {
    LinePlot rank_plot;
    rank_plot.title = "Rank per benchmark (1 = best)";
    rank_plot.y.label = "rank";
    rank_plot.y.min = 0.5;
    rank_plot.y.max = c.algorithm_size() + 0.5;
    rank_plot.y.integer_ticks = true;
    for (const BenchmarkSpec& b : c.benchmark()) {
      rank_plot.x.categories.push_back(b.name());
    }
    for (const AverageRank& r : reports.ranks) {
      PlotSeries s;
      s.label = c.algorithm(r.algorithm).label();
      s.markers = true;
      for (int b = 0; b < c.benchmark_size(); ++b) {
        s.x.push_back(b);
        s.y.push_back(r.per_benchmark[b]);
      }
      rank_plot.series.push_back(s);
    }
    const std::string svg = RenderSvg(rank_plot);
    reports.plots.push_back({"ranks", svg});
    absl::StrAppend(&md, "\n![Ranks](plots/ranks.svg)\n");
    absl::StrAppend(&html_body, "<div class=\"plot\">", svg, "</div>\n");
  }
  reports.leaderboard_md = md;

  const Manifest& m = input.manifest;
  std::string provenance = absl::StrCat(
      "<p class=\"meta\">", XmlEscape(m.build()), " &middot; config sha256 ",
      m.config_sha256().substr(0, 12), " &middot; results fingerprint ",
      m.results_fingerprint().substr(0, 12), " &middot; ", m.num_finished_cells(),
      " of ", m.num_cells(), " cells");
  for (const DataFile& f : m.data_file()) {
    absl::StrAppend(&provenance, " &middot; ", XmlEscape(f.path()), " ",
                    f.sha256().substr(0, 12));
  }
  provenance += "</p>\n";
  reports.report_html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>", XmlEscape(c.name().empty() ? "NAS leaderboard" : c.name()),
      "</title>\n<style>\n"
      "body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;"
      "max-width:1100px;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0;font-size:13px}\n"
      "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f2f2f2}\n"
      "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
      ".meta{color:#666;font-size:12px}.plot{margin:1em 0}\n"
      "</style>\n</head>\n<body>\n<h1>Leaderboard",
      c.name().empty() ? "" : ": ", XmlEscape(c.name()), "</h1>\n", provenance,
      "<p>", XmlEscape(intro), "</p>\n", html_body, "</body>\n</html>\n");
  return reports;
}

absl::StatusOr<Reports> WriteReports(const std::string& dir,
                                     const PreloadedCells* preloaded) {
  absl::StatusOr<Experiment> config = ReadStoredConfig(dir);
  if (!config.ok()) return config.status();
  absl::StatusOr<Manifest> manifest = ReadManifest(dir);
  if (!manifest.ok()) return manifest.status();
  ReportInput input;
  input.config = *config;
  input.manifest = *manifest;
  absl::StatusOr<std::vector<StoredCell>> cells =
      LoadCells(dir, input.config, &input.manifest, preloaded);
  if (!cells.ok()) return cells.status();
  input.cells = *std::move(cells);
  Reports reports = BuildReports(input);
  reports.total_cells = input.manifest.num_cells();
  reports.finished_cells = input.manifest.num_finished_cells();
  for (const StoredCell& cell : input.cells) {
    if (!cell.ok) ++reports.failed_cells;
  }
  if (absl::Status s = MakeDirectories(absl::StrCat(dir, "/plots")); !s.ok()) {
    return s;
  }
  for (const auto& [name, svg] : reports.plots) {
    if (absl::Status s = WriteFileAtomically(
            absl::StrCat(dir, "/plots/", name, ".svg"), svg);
        !s.ok()) {
      return s;
    }
  }
  for (const auto& [name, contents] :
       std::vector<std::pair<std::string, std::string>>{
           {"summary.csv", reports.summary_csv},
           {"summary.json", reports.summary_json},
           {"leaderboard.md", reports.leaderboard_md},
           {"report.html", reports.report_html}}) {
    if (absl::Status s =
            WriteFileAtomically(absl::StrCat(dir, "/", name), contents);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = WriteManifest(dir, input.manifest); !s.ok()) return s;
  return reports;
}

}  // namespace nas
