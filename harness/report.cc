#include "harness/report.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <system_error>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/random.h"
#include "harness/cell_file.h"
#include "harness/hypervolume_report.h"
#include "harness/output.h"
#include "harness/plot/svg_plot.h"
#include "harness/report_table.h"
#include "harness/stats/comparisons.h"
#include "harness/store.h"

namespace nas {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kBootstrapResamples = 2000;

// summary.csv shows 4 decimals (machine-readable; kept as it always was).
std::string Num(double x) {
  if (std::isnan(x)) return "nan";
  return absl::StrFormat("%.4f", x);
}

// Tables for people show as many decimals as the intervals support
// (TableDecimals).
std::string Num(double x, int decimals) {
  if (std::isnan(x)) return "nan";
  return absl::StrFormat("%.*f", decimals, x);
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
using PairCells = std::vector<const CellResult*>;

class Aggregator {
 public:
  explicit Aggregator(const ReportInput& input) : input_(input) {
    const Experiment& c = input.config;
    cells_.assign(c.benchmark_size(),
                  std::vector<PairCells>(c.algorithm_size(),
                                         PairCells(c.num_seeds(), nullptr)));
    for (const CellResult& cell : input.cells) {
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

  // The rows, their bootstrap intervals left NaN (HeadlineInterval).
  std::vector<LeaderboardRow> Rows() const {
    const Experiment& c = input_.config;
    const CheckpointSums sums = SumsAtCheckpoints();
    std::vector<LeaderboardRow> rows;
    for (int b = 0; b < c.benchmark_size(); ++b) {
      for (int a = 0; a < c.algorithm_size(); ++a) {
        for (int64_t checkpoint : checkpoints_) {
          rows.push_back(Row(b, a, checkpoint, sums));
        }
      }
    }
    // Paired tests against the reference, Holm-adjusted per checkpoint
    // over all benchmarks and algorithms.
    for (int64_t checkpoint : checkpoints_) {
      const std::vector<std::vector<PairedComparison>> tests =
          CompareWithReference(TestErrors(checkpoint), reference_);
      for (LeaderboardRow& row : rows) {
        if (row.queries != checkpoint) continue;
        const PairedComparison& test = tests[row.benchmark][row.algorithm];
        row.p_value = test.p_value;
        row.p_holm = test.p_holm;
        if (test.n > 0) row.mean_difference_to_reference = test.mean_difference;
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
      std::vector<double> means(c.algorithm_size(), kNaN);
      for (const LeaderboardRow& row : rows) {
        if (row.benchmark == b && row.queries == last && row.test_error.n > 0) {
          means[row.algorithm] = row.test_error.mean;
        }
      }
      const std::vector<double> within = AverageRanksOfPresent(means);
      for (int a = 0; a < c.algorithm_size(); ++a) {
        ranks[a].per_benchmark[b] = within[a];
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

  // The bootstrap interval of pair (b, a)'s mean test error at the last
  // checkpoint, the headline; no other checkpoint has one (resampling at
  // every checkpoint would cost more than the runs). NaN without values.
  Interval HeadlineInterval(int b, int a) const {
    const Experiment& c = input_.config;
    const int64_t checkpoint = checkpoints_.back();
    std::vector<double> test;
    for (const CellResult* cell : Pair(b, a)) {
      if (Usable(cell, checkpoint))
        test.push_back(cell->TestErrorAt(checkpoint));
    }
    if (test.empty()) return Interval{kNaN, kNaN};
    return BootstrapMeanInterval(
        test, 0.95, kBootstrapResamples,
        HashCombine(StableHash(absl::StrCat(c.benchmark(b).name(), "/",
                                            c.algorithm(a).label())),
                    static_cast<uint64_t>(checkpoint)));
  }

  // Mean and 95% t-interval of the incumbent's test error after each query
  // 1..horizon (NaN where fewer than two seeds have values).
  PlotSeries QueryCurve(int b, int a, int64_t horizon) const {
    PlotSeries series;
    series.label = input_.config.algorithm(a).label();
    std::vector<const CellResult*> finished;
    for (const CellResult* cell : Pair(b, a)) {
      if (cell != nullptr && cell->ok()) finished.push_back(cell);
    }
    std::vector<double> values;  // Reused: a curve has hundreds of points.
    for (int64_t q = 1; q <= horizon; ++q) {
      values.clear();
      for (const CellResult* cell : finished) {  // Those Usable(cell, q).
        const double v = cell->TestErrorAt(q);
        if (!std::isnan(v)) values.push_back(v);
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
      for (const CellResult* cell : Pair(b, a)) {
        if (cell == nullptr || !cell->ok()) continue;
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
      for (const CellResult* cell : pair) {
        if (cell != nullptr && !cell->cumulative_seconds.empty()) {
          max_seconds = std::max(max_seconds, cell->cumulative_seconds.back());
        }
      }
    }
    return max_seconds;
  }

  // 95% percentile-bootstrap intervals of every algorithm's rank at the
  // last checkpoint, per benchmark (index b) and averaged over benchmarks
  // (index benchmark_size()): seeds are resampled with replacement, the
  // same draw for every algorithm (seeds pair: common random numbers), and
  // the ranks recomputed. Deterministic (fixed stream). NaN where absent.
  std::vector<std::vector<Interval>> RankIntervals(int resamples) const {
    const Experiment& c = input_.config;
    const int nb = c.benchmark_size(), na = c.algorithm_size(),
              ns = c.num_seeds();
    const int64_t last = checkpoints_.back();
    const SeedValues error = TestErrors(last);
    // samples[a][b]: the resampled ranks (b == nb: the average).
    std::vector<std::vector<std::vector<double>>> samples(
        na, std::vector<std::vector<double>>(nb + 1));
    for (auto& per_benchmark : samples) {
      for (std::vector<double>& s : per_benchmark) s.reserve(resamples);
    }
    // Seed by seed, the values of all pairs (b, a) side by side, so that a
    // resample adds to every pair's sum at once (independent adds overlap;
    // pair by pair each sum was a chain of dependent adds). A NaN (no
    // value) is stored as +0, not counted: adding +0 leaves a sum that
    // started at +0 unchanged, bit for bit (such a sum is never -0).
    const int pairs = nb * na;
    std::vector<double> value_by_seed(static_cast<size_t>(ns) * pairs);
    std::vector<int> has_value_by_seed(value_by_seed.size());
    for (int s = 0; s < ns; ++s) {
      for (int b = 0; b < nb; ++b) {
        for (int a = 0; a < na; ++a) {
          const double v = error[b][a][s];
          const size_t at = static_cast<size_t>(s) * pairs + b * na + a;
          value_by_seed[at] = std::isnan(v) ? 0.0 : v;
          has_value_by_seed[at] = std::isnan(v) ? 0 : 1;
        }
      }
    }
    Rng rng(HashCombine(StableHash("rank-bootstrap"), c.seed()));
    std::vector<int> draw(ns);
    // Reused across resamples (2,000 of them).
    std::vector<double> sum(na), means, total(pairs);
    std::vector<int> count(na), present, counted(pairs);
    for (int r = 0; r < resamples; ++r) {
      for (int& d : draw) d = static_cast<int>(rng.UniformInt(ns));
      std::fill(sum.begin(), sum.end(), 0);
      std::fill(count.begin(), count.end(), 0);
      std::fill(total.begin(), total.end(), 0);
      std::fill(counted.begin(), counted.end(), 0);
      for (int d : draw) {
        const double* value = &value_by_seed[static_cast<size_t>(d) * pairs];
        const int* has_value =
            &has_value_by_seed[static_cast<size_t>(d) * pairs];
        for (int p = 0; p < pairs; ++p) {
          total[p] += value[p];
          counted[p] += has_value[p];
        }
      }
      for (int b = 0; b < nb; ++b) {
        present.clear();
        means.clear();
        for (int a = 0; a < na; ++a) {
          const int p = b * na + a;
          if (counted[p] == 0) continue;
          present.push_back(a);
          means.push_back(total[p] / counted[p]);
        }
        const std::vector<double> within = AverageRanks(means);
        for (size_t i = 0; i < present.size(); ++i) {
          samples[present[i]][b].push_back(within[i]);
          sum[present[i]] += within[i];
          ++count[present[i]];
        }
      }
      for (int a = 0; a < na; ++a) {
        if (count[a] > 0) samples[a][nb].push_back(sum[a] / count[a]);
      }
    }
    std::vector<std::vector<Interval>> out(
        na, std::vector<Interval>(nb + 1, Interval{kNaN, kNaN}));
    for (int a = 0; a < na; ++a) {
      for (int b = 0; b <= nb; ++b) {
        if (samples[a][b].empty()) continue;
        out[a][b] = Interval{Quantile(samples[a][b], 0.025),
                             Quantile(samples[a][b], 0.975)};
      }
    }
    return out;
  }

 private:
  // error[b][a][s] after `queries`, NaN where the cell is missing or failed.
  SeedValues TestErrors(int64_t queries) const {
    const Experiment& c = input_.config;
    SeedValues error(
        c.benchmark_size(),
        std::vector<std::vector<double>>(
            c.algorithm_size(), std::vector<double>(c.num_seeds(), kNaN)));
    for (int b = 0; b < c.benchmark_size(); ++b) {
      for (int a = 0; a < c.algorithm_size(); ++a) {
        for (int s = 0; s < c.num_seeds(); ++s) {
          const CellResult* cell = cells_[b][a][s];
          if (Usable(cell, queries))
            error[b][a][s] = cell->TestErrorAt(queries);
        }
      }
    }
    return error;
  }

  static bool Usable(const CellResult* cell, int64_t queries) {
    return cell != nullptr && cell->ok() &&
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
                        SampleStdDev(values, mean) /
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

  // For each cell of input_.cells, the running sum of its incumbent's test
  // error at each of `checkpoints` (sorted), when its curve has no NaN up
  // to the last: one pass gives the anytime areas of every checkpoint, with
  // the adds of AreaUnderCurve on each in the same order (the same bits).
  // Empty for a cell with NaNs: Row takes the long way.
  struct CheckpointSums {
    std::vector<int64_t> checkpoints;
    std::vector<std::vector<double>> by_cell;
  };
  CheckpointSums SumsAtCheckpoints() const {
    CheckpointSums sums;
    sums.checkpoints = checkpoints_;
    std::sort(sums.checkpoints.begin(), sums.checkpoints.end());
    sums.checkpoints.erase(
        std::unique(sums.checkpoints.begin(), sums.checkpoints.end()),
        sums.checkpoints.end());
    sums.by_cell.resize(input_.cells.size());
    const int64_t horizon = sums.checkpoints.back();
    if (sums.checkpoints.front() < 1) return sums;
    for (size_t i = 0; i < input_.cells.size(); ++i) {
      const std::vector<double>& curve = input_.cells[i].incumbent_test_error;
      const int64_t n = static_cast<int64_t>(curve.size());
      if (n == 0 ||
          std::any_of(curve.begin(), curve.begin() + std::min(horizon, n),
                      [](double v) { return std::isnan(v); })) {
        continue;
      }
      std::vector<double>& at = sums.by_cell[i];
      double sum = 0;
      size_t next = 0;
      for (int64_t q = 0; q < horizon; ++q) {
        sum += curve[std::min(q, n - 1)];
        if (q + 1 == sums.checkpoints[next]) {
          at.push_back(sum);
          ++next;
        }
      }
    }
    return sums;
  }

  LeaderboardRow Row(int b, int a, int64_t checkpoint,
                     const CheckpointSums& sums) const {
    const size_t checkpoint_index =
        std::lower_bound(sums.checkpoints.begin(), sums.checkpoints.end(),
                         checkpoint) -
        sums.checkpoints.begin();
    LeaderboardRow row;
    row.benchmark = b;
    row.algorithm = a;
    row.queries = checkpoint;
    std::vector<double> test, valid, areas;
    std::vector<int64_t> to_target;
    const double target = Target(b);
    for (const CellResult* cell : Pair(b, a)) {
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
      const std::vector<double>& sums_of_cell =
          sums.by_cell[cell - input_.cells.data()];
      if (!sums_of_cell.empty()) {  // No NaN: the curve as it is.
        areas.push_back(sums_of_cell[checkpoint_index] /
                        static_cast<double>(checkpoint));
        if (!std::isnan(target)) {
          const int64_t q = QueriesToReach(
              absl::MakeConstSpan(cell->incumbent_test_error)
                  .first(std::min<int64_t>(checkpoint, cell->num_queries())),
              target);
          to_target.push_back(q < 0 ? std::numeric_limits<int64_t>::max() : q);
        }
        continue;
      }
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
    row.boot_low = row.boot_high = kNaN;
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

// Decimals of one benchmark's table: TableDecimals of the narrowest 95%
// interval among its rows, so that no row is shown coarser than its
// interval supports and a column keeps one format.
int BenchmarkDecimals(const std::vector<LeaderboardRow>& rows, int b) {
  double narrowest = std::numeric_limits<double>::infinity();
  for (const LeaderboardRow& r : rows) {
    if (r.benchmark != b || r.test_error.n < 2) continue;
    const double half = (r.test_error.ci95_high - r.test_error.ci95_low) / 2;
    if (half > 0 && half < narrowest) narrowest = half;
  }
  return TableDecimals(std::isfinite(narrowest) ? narrowest : kNaN);
}

// The "to target" cell: median queries and the share of seeds that got
// there, or why there is no median.
std::string ToTarget(const LeaderboardRow& r, bool has_target) {
  if (!has_target) return "n/a";
  if (r.test_error.n == 0) return "-";
  const std::string share =
      absl::StrFormat("%.0f%%", 100 * r.fraction_reached_target);
  if (r.median_queries_to_target >= 0) {
    return absl::StrCat(r.median_queries_to_target, " (", share, ")");
  }
  return r.fraction_reached_target > 0
             ? absl::StrCat("not reached (", share, " of seeds did)")
             : "not reached (no seed did)";
}

Table BenchmarkTable(const Experiment& c, const Aggregator& agg,
                     const std::vector<LeaderboardRow>& rows, int b,
                     int decimals) {
  const int64_t last = agg.checkpoints().back();
  auto num = [decimals](double x) { return Num(x, decimals); };
  Table t;
  t.header = {"rank", "algorithm", absl::StrCat("@", last), "95% CI",
              "median [IQR]", "anytime", "queries to target",
              absl::StrCat("p vs ", c.reference_algorithm())};
  t.numeric = {true, false, true, true, true, true, true, true};
  t.header.push_back("seeds");
  t.numeric.push_back(true);
  const bool has_target = !std::isnan(agg.Target(b));
  int rank = 0;
  for (const LeaderboardRow* r : Ranked(rows, b, last)) {
    const bool any = r->test_error.n > 0;
    // Algorithms without a finished seed here (filtered out, missing
    // shards) stay listed but outside the ranking.
    if (any) ++rank;
    std::vector<std::string> cells = {
        any ? std::to_string(rank) : "not run", c.algorithm(r->algorithm).label(),
        any ? num(r->test_error.mean) : "-",
        r->test_error.n > 1 ? absl::StrCat("[", num(r->test_error.ci95_low),
                                           ", ", num(r->test_error.ci95_high),
                                           "]")
                            : "-",
        any ? absl::StrCat(num(r->test_error.median), " [", num(r->q1), ", ",
                           num(r->q3), "]")
            : "-",
        any ? num(r->anytime_area) : "-", ToTarget(*r, has_target),
        r->algorithm == agg.reference() ? "reference" : PValue(r->p_holm)};
    std::string seeds = std::to_string(r->test_error.n);
    if (r->failed_seeds > 0) absl::StrAppend(&seeds, ", ", r->failed_seeds, " failed");
    if (r->missing_seeds > 0) absl::StrAppend(&seeds, ", ", r->missing_seeds, " missing");
    cells.push_back(seeds);
    t.rows.push_back(cells);
  }
  return t;
}

// Mean test error at every checkpoint, algorithms in the order of the main
// table (kept apart so that neither table is too wide to read).
Table CheckpointTable(const Experiment& c, const Aggregator& agg,
                      const std::vector<LeaderboardRow>& rows, int b,
                      int decimals) {
  const std::vector<int64_t>& checkpoints = agg.checkpoints();
  std::map<std::pair<int, int64_t>, const LeaderboardRow*> index;
  for (const LeaderboardRow& r : rows) {
    if (r.benchmark == b) index[{r.algorithm, r.queries}] = &r;
  }
  Table t;
  t.header = {"algorithm"};
  t.numeric = {false};
  for (int64_t cp : checkpoints) {
    t.header.push_back(absl::StrCat("@", cp));
    t.numeric.push_back(true);
  }
  for (const LeaderboardRow* r : Ranked(rows, b, checkpoints.back())) {
    std::vector<std::string> cells = {c.algorithm(r->algorithm).label()};
    for (int64_t cp : checkpoints) {
      const LeaderboardRow* at = index[{r->algorithm, cp}];
      cells.push_back(at && at->test_error.n > 0
                          ? Num(at->test_error.mean, decimals)
                          : "-");
    }
    t.rows.push_back(cells);
  }
  return t;
}

// `intervals[a]`: per benchmark, then the average (Aggregator::RankIntervals).
Table RankTable(const Experiment& c, const std::vector<AverageRank>& ranks,
                const std::vector<std::vector<Interval>>& intervals) {
  Table t;
  t.header = {"algorithm", "average rank", "95% bootstrap"};
  t.numeric = {false, true, true};
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
    const Interval& avg = intervals[r->algorithm].back();
    std::vector<std::string> row = {
        c.algorithm(r->algorithm).label(),
        std::isnan(r->rank) ? "-" : absl::StrFormat("%.2f", r->rank),
        std::isnan(avg.low)
            ? "-"
            : absl::StrFormat("[%.2f, %.2f]", avg.low, avg.high)};
    for (double v : r->per_benchmark) {
      row.push_back(std::isnan(v) ? "-" : absl::StrFormat("%.1f", v));
    }
    t.rows.push_back(row);
  }
  return t;
}

std::string BenchmarkPreamble(const Aggregator& agg, const Experiment& c,
                              int b, int decimals) {
  const BenchmarkInfo* info = agg.Info(b);
  if (info == nullptr || !info->has_optimum()) {
    return "No known optimum: \"queries to target\" is n/a.";
  }
  // One more decimal than the table: the target is a threshold, not an
  // estimate, and rounding it could put a value on the wrong side.
  auto num = [decimals](double x) { return Num(x, decimals + 1); };
  return absl::StrCat(
      "Optimum: best validation error ", num(info->best_valid_error()),
      ", whose test error is ", num(info->test_error_of_best_valid()),
      "; best test error ", num(info->best_test_error()),
      ". Queries to target: median number of queries until the incumbent's "
      "test error is <= ", num(agg.Target(b)), " (within ",
      absl::StrFormat("%g", c.target_gap_percent()),
      "% of the best-validation architecture's), never-reached seeds "
      "counting as infinite; in brackets the share of seeds that got there; "
      "\"not reached\" when fewer than half did.");
}

// Axis positions in titles: whole numbers from 10 on, else 3 digits.
std::string ShortNumber(double x) {
  return std::fabs(x) >= 10 ? absl::StrFormat("%.0f", x)
                            : absl::StrFormat("%.3g", x);
}

// What a curve figure shows on its y axis.
struct YMode {
  bool regret = false;  // Test error minus `shift`.
  double shift = 0;
  bool log = false;
  std::string note;     // Why the requested mode was not used, if so.
};

YMode YModeFor(const ReportOptions& options, const BenchmarkInfo* info) {
  YMode mode;
  if (options.y_axis() == ReportOptions::TEST_ERROR) return mode;
  if (info == nullptr || !info->has_optimum()) {
    if (options.y_axis() == ReportOptions::REGRET) {
      mode.note = "No known optimum: test error shown instead of regret.";
    }
    return mode;
  }
  mode.regret = true;
  mode.shift = info->best_test_error();
  mode.log = options.log_regret();
  return mode;
}

void Shift(double by, std::vector<double>* values) {
  for (double& v : *values) v -= by;
}

// Limits of the series' values (bands included) over x in [x_lo, x_hi],
// padded by 5% (of the range, or of the decades on a log axis); values a
// log axis cannot show are left out.
std::pair<double, double> YRangeOver(const std::vector<PlotSeries>& series,
                                     double x_lo, double x_hi, bool log) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const PlotSeries& s : series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (s.x[i] < x_lo || s.x[i] > x_hi) continue;
      for (double v : {s.y[i], s.band_low.empty() ? s.y[i] : s.band_low[i],
                       s.band_high.empty() ? s.y[i] : s.band_high[i]}) {
        if (!std::isfinite(v) || (log && v <= 0)) continue;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  if (!(hi > lo)) return {kNaN, kNaN};
  if (log) {
    const double pad = std::pow(hi / lo, 0.05);
    return {lo / pad, hi * pad};
  }
  const double pad = (hi - lo) * 0.05;
  return {lo - pad, hi + pad};
}

// A curve figure: the full range, and (with options.zoom_from() in (0, 1))
// a second panel enlarging x >= zoom_from * x_end with its y axis fitted
// to that part, outlined and labelled in the first panel.
std::string CurveFigure(const std::string& id, const std::string& title,
                        const std::string& x_noun, const std::string& x_label,
                        double x_end,
                        const YMode& mode, const std::string& y_label,
                        const ReportOptions& options, const std::string& note,
                        std::vector<PlotSeries> curves) {
  const int algorithms = static_cast<int>(curves.size());
  for (int a = 0; a < algorithms; ++a) {
    PlotSeries& s = curves[a];
    if (!s.color.empty()) continue;  // Reference lines keep their style.
    ApplyStyle(a, &s);
    // About eight markers a curve, staggered so that coinciding curves
    // show every series' markers side by side.
    s.marker_every = std::max<int>(1, static_cast<int>(s.x.size()) / 8);
    s.marker_offset = s.marker_every * a / std::max(1, algorithms) +
                      s.marker_every / (2 * std::max(1, algorithms));
  }
  if (mode.regret) {
    for (PlotSeries& s : curves) {
      Shift(mode.shift, &s.y);
      Shift(mode.shift, &s.band_low);
      Shift(mode.shift, &s.band_high);
    }
  }
  Figure figure;
  figure.id = id;
  figure.title = title;
  LinePlot full;
  full.x.label = absl::StrCat(x_label, options.log_x() ? ", log scale" : "");
  full.x.log_scale = options.log_x();
  full.y.label = y_label;
  full.y.log_scale = mode.log;
  full.x.min_log_ticks = full.y.min_log_ticks = 3;  // Never just "1, 10".
  full.series = curves;
  figure.note = note;
  const double zoom_from = options.zoom_from();
  if (!(zoom_from > 0 && zoom_from < 1)) {
    full.title = "all points";
    figure.panels.push_back(full);
    figure.width = 760;
    return RenderFigure(figure);
  }
  // The zoom starts at a whole query (or the grid point) at or after
  // zoom_from * x_end.
  double x_lo = x_end;
  for (const PlotSeries& s : curves) {
    for (double x : s.x) {
      if (x >= zoom_from * x_end) {
        x_lo = std::min(x_lo, x);
        break;
      }
    }
  }
  const auto [y_lo, y_hi] = YRangeOver(curves, x_lo, x_end, mode.log);
  LinePlot zoom = full;
  zoom.note.clear();
  full.title = "full range";
  zoom.title = absl::StrCat("zoom: ", x_noun, " ", ShortNumber(x_lo), " to ",
                            ShortNumber(x_end), " (dashed box at left)");
  zoom.x.min = x_lo;
  zoom.x.max = x_end;
  if (!std::isnan(y_lo)) {
    zoom.y.min = y_lo;
    zoom.y.max = y_hi;
    PlotRegion box;
    box.x_lo = x_lo;
    box.x_hi = x_end;
    box.y_lo = y_lo;
    box.y_hi = y_hi;
    box.label = "zoomed at right";
    full.regions.push_back(box);
  }
  figure.panels = {full, zoom};
  return RenderFigure(figure);
}

// Ranks as a dot chart: one column per benchmark and one for the average,
// one marker per algorithm (side by side), 95% bootstrap whiskers, no line
// between the categories; rank 1 on top.
std::string RankFigure(const Experiment& c,
                       const std::vector<AverageRank>& ranks,
                       const std::vector<std::vector<Interval>>& intervals) {
  LinePlot plot;
  plot.id = "ranks";
  plot.title = "Rank per benchmark and on average (1 = best)";
  plot.y.label = "rank at the last checkpoint";
  plot.y.min = 0.5;
  plot.y.max = c.algorithm_size() + 0.5;
  plot.y.integer_ticks = true;
  plot.y.reversed = true;
  plot.note =
      "Whiskers: 95% bootstrap intervals (seeds resampled); none visible "
      "where every resample gives the same rank.";
  for (const BenchmarkSpec& b : c.benchmark()) {
    plot.x.categories.push_back(b.name());
  }
  plot.x.categories.push_back("average");
  const int na = c.algorithm_size(), nb = c.benchmark_size();
  const double spread = 0.6 / std::max(1, na);
  for (const AverageRank& r : ranks) {
    PlotSeries s;
    s.label = c.algorithm(r.algorithm).label();
    ApplyStyle(r.algorithm, &s);
    s.line = false;
    s.error_bars = true;
    const double dodge = (r.algorithm - (na - 1) / 2.0) * spread;
    for (int b = 0; b <= nb; ++b) {
      s.x.push_back(b + dodge);
      s.y.push_back(b < nb ? r.per_benchmark[b] : r.rank);
      s.band_low.push_back(intervals[r.algorithm][b].low);
      s.band_high.push_back(intervals[r.algorithm][b].high);
    }
    plot.series.push_back(s);
  }
  plot.width = std::max(720, 170 + 72 + 110 * (nb + 1));
  return RenderSvg(plot);
}

}  // namespace

int TableDecimals(double ci_half_width) {
  constexpr int kMax = 4;  // What the tables always showed.
  if (!(ci_half_width > 0) || !std::isfinite(ci_half_width)) return kMax;
  // The fewest decimals d with 10^-d <= h / 2: rounding moves a value by at
  // most half a unit in the last place, a quarter of the half-width h.
  const int d = static_cast<int>(std::ceil(std::log10(2 / ci_half_width) - 1e-9));
  return std::clamp(d, 0, kMax);
}

Reports BuildReports(const ReportInput& input) {
  const Experiment& c = input.config;
  const ReportOptions& options = c.report();
  Aggregator agg(input);
  const int nb = c.benchmark_size(), na = c.algorithm_size();
  const int64_t last = agg.checkpoints().back();
  // The bootstraps (rank intervals, each pair's headline interval) are
  // most of the work and need nothing else computed here: a second thread
  // takes them one by one while this one computes the rows and curves,
  // then helps with what is left. Same numbers either way: each has its
  // own fixed stream.
  std::vector<std::vector<Interval>> rank_intervals;
  std::vector<Interval> headline(static_cast<size_t>(nb) * na);
  std::atomic<int> next_bootstrap{0};
  auto run_bootstraps = [&] {
    for (int task; (task = next_bootstrap.fetch_add(1)) <= nb * na;) {
      if (task == 0) {
        rank_intervals = agg.RankIntervals(kBootstrapResamples);
      } else {
        headline[task - 1] =
            agg.HeadlineInterval((task - 1) / na, (task - 1) % na);
      }
    }
  };
  std::thread bootstrap_thread;
  try {
    bootstrap_thread = std::thread(run_bootstraps);
  } catch (const std::system_error&) {
    // No thread to spare: this thread runs them all below.
  }
  Reports reports;
  reports.rows = agg.Rows();
  // The figures, while the bootstraps run.
  struct Figure {
    std::string file, alt, svg;
  };
  std::vector<std::vector<Figure>> figures(nb);
  for (int b = 0; b < nb; ++b) {
    const std::string& name = c.benchmark(b).name();
    const double max_seconds = agg.MaxSeconds(b);
    std::vector<PlotSeries> curves, time_curves;
    for (int a = 0; a < na; ++a) {
      curves.push_back(agg.QueryCurve(b, a, last));
      if (max_seconds > 0) {
        time_curves.push_back(agg.TimeCurve(b, a, max_seconds));
      }
    }
    const BenchmarkInfo* info = agg.Info(b);
    const YMode mode = YModeFor(options, info);
    const std::string unit =
        info && !info->error_unit().empty() ? info->error_unit() : "error";
    const std::string what =
        mode.regret ? "test regret of the best-validation architecture so far"
                    : "test error of the best-validation architecture so far";
    const std::string y_label =
        mode.regret ? absl::StrCat("test regret", mode.log ? ", log scale" : "")
                    : absl::StrCat("test ", unit);
    std::string note = absl::StrCat("Mean over up to ", c.num_seeds(),
                                    " seeds, 95% t-interval band.");
    if (mode.regret) {
      absl::StrAppend(&note, " Regret: test ", unit, " minus ",
                      absl::StrFormat("%g", mode.shift),
                      ", the best test error of the benchmark.");
    }
    if (!mode.note.empty()) absl::StrAppend(&note, "\n", mode.note);

    const double best_valid_regret =
        info ? info->test_error_of_best_valid() - info->best_test_error() : 0;
    if (mode.regret && mode.log && best_valid_regret <= 0) {
      absl::StrAppend(&note,
                      "\nThe best-validation architecture is also the "
                      "best on test (regret 0, below any log axis).");
    } else if (info && info->has_optimum()) {
      PlotSeries optimum;
      optimum.label = "best-valid arch";
      optimum.x = {1, static_cast<double>(last)};
      optimum.y = {info->test_error_of_best_valid(),
                   info->test_error_of_best_valid()};
      optimum.dash = "2,3";
      optimum.color = "#777777";
      curves.push_back(optimum);
    }
    figures[b].push_back({absl::StrCat(name, "_queries"),
                          absl::StrCat(name, ": ", what),
                          CurveFigure(absl::StrCat(name, "_queries"),
                                      absl::StrCat(name, ": ", what), "queries",
                                      "queries", static_cast<double>(last),
                                      mode, y_label, options, note, curves)});

    if (max_seconds > 0) {
      figures[b].push_back(
          {absl::StrCat(name, "_seconds"),
           absl::StrCat(name, ": ", what, ", by simulated time"),
           CurveFigure(absl::StrCat(name, "_seconds"),
                       absl::StrCat(name, ": ", what, ", by time"), "seconds",
                       "simulated training time (s)", max_seconds, mode,
                       y_label, options, note, time_curves)});
    }
  }
  run_bootstraps();
  if (bootstrap_thread.joinable()) bootstrap_thread.join();
  for (LeaderboardRow& row : reports.rows) {
    if (row.queries != last || row.test_error.n == 0) continue;
    const Interval& boot = headline[row.benchmark * na + row.algorithm];
    row.boot_low = boot.low;
    row.boot_high = boot.high;
  }
  reports.ranks = agg.Ranks(reports.rows);
  reports.summary_csv = SummaryCsv(c, reports.rows);
  reports.summary_json =
      SummaryJson(c, input.manifest, reports.rows, reports.ranks);

  const std::string intro = absl::StrCat(
      "Test error of the architecture with the best validation error found "
      "so far (lower is better), after ", last,
      " queries: mean over seeds with its 95% Student-t interval, median "
      "and quartiles; \"anytime\" is the mean of that test error over the "
      "first ", last, " queries (area under the curve); p is a paired "
      "Wilcoxon signed-rank test over seeds against ", c.reference_algorithm(),
      ", Holm-corrected over all comparisons. A second table gives the mean "
      "at every checkpoint. Errors are shown to the decimals the narrowest interval "
      "of each table supports (rounding moves a value by at most a quarter "
      "of that interval's half-width); summary.csv has them all. The curve "
      "is not monotone: a new incumbent has a lower validation error, not "
      "necessarily a lower test error.");
  // The leaderboard as data; Markdown and HTML render the same document.
  ReportDocument doc;
  doc.title =
      absl::StrCat("Leaderboard", c.name().empty() ? "" : ": ", c.name());
  doc.intro = intro;
  auto add_figure = [&](const std::string& file, const std::string& alt,
                        const std::string& svg) {
    reports.plots.push_back({file, svg});
    doc.Figure(file, alt, svg);
  };
  for (int b = 0; b < c.benchmark_size(); ++b) {
    const std::string& name = c.benchmark(b).name();
    const int decimals = BenchmarkDecimals(reports.rows, b);
    const Table table = BenchmarkTable(c, agg, reports.rows, b, decimals);
    const std::string preamble = BenchmarkPreamble(agg, c, b, decimals);
    doc.Heading(name);
    if (!preamble.empty()) doc.Paragraph(preamble);
    doc.AddTable(table);
    if (agg.checkpoints().size() > 1) {
      const Table by_checkpoint =
          CheckpointTable(c, agg, reports.rows, b, decimals);
      doc.Paragraph("Mean test error after each checkpoint:");
      doc.AddTable(by_checkpoint);
    }

    for (const Figure& f : figures[b]) add_figure(f.file, f.alt, f.svg);
  }

  const Table rank_table = RankTable(c, reports.ranks, rank_intervals);
  const std::string rank_intro = absl::StrCat(
      "Within each benchmark, algorithms are ranked by mean test error after ",
      last, " queries (ties share ranks). The interval is a 95% percentile "
      "bootstrap over seeds (resampled together for all algorithms).");
  doc.Heading("Average rank across benchmarks");
  doc.Paragraph(rank_intro);
  doc.AddTable(rank_table);
  if (c.benchmark_size() > 1) {
    add_figure("ranks", "Ranks", RankFigure(c, reports.ranks, rank_intervals));
  }
  // Multi-objective benchmarks: their own leaderboard beside this one.
  for (const BenchmarkInfo& info : input.manifest.benchmark()) {
    if (!info.has_multiobjective()) continue;
    doc.Paragraph(
        "Benchmarks with a multiobjective block are also ranked by "
        "hypervolume: see hypervolume.md and hypervolume.csv.");
    break;
  }
  reports.leaderboard_md = RenderMarkdown(doc);

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
      "<title>",
      XmlEscape(c.name().empty() ? "NAS leaderboard" : c.name()),
      "</title>\n<style>\n"
      "body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;"
      "max-width:1100px;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0;font-size:13px}\n"
      "th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f2f2f2}\n"
      "td.n{text-align:right;font-variant-numeric:tabular-nums;"
      "white-space:nowrap}\n"
      "th{white-space:nowrap}.wide{overflow-x:auto}\n"
      ".meta{color:#666;font-size:12px}.plot{margin:1em 0}\n"
      "</style>\n</head>\n<body>\n<h1>",
      XmlEscape(doc.title), "</h1>\n", provenance, "<p>", XmlEscape(doc.intro),
      "</p>\n", RenderHtmlBlocks(doc), "</body>\n</html>\n");
  return reports;
}

absl::StatusOr<Reports> WriteReports(const std::string& dir,
                                     PreloadedCells* preloaded) {
  absl::StatusOr<Experiment> config = ReadStoredConfig(dir);
  if (!config.ok()) return config.status();
  absl::StatusOr<Manifest> manifest = ReadManifest(dir);
  if (!manifest.ok()) return manifest.status();
  ReportInput input;
  input.config = *config;
  input.manifest = *manifest;
  absl::StatusOr<std::vector<CellResult>> cells =
      LoadCells(dir, input.config, &input.manifest, preloaded);
  if (!cells.ok()) return cells.status();
  input.cells = *std::move(cells);
  Reports reports = BuildReports(input);
  // Benchmarks with a `multiobjective` block: hypervolume.{csv,md} and the
  // Pareto-front plots beside the leaderboard.
  absl::StatusOr<HypervolumeReports> hypervolume =
      BuildHypervolumeReports(input.config, input.manifest, input.cells);
  if (!hypervolume.ok()) return hypervolume.status();
  reports.plots.insert(reports.plots.end(), hypervolume->plots.begin(),
                       hypervolume->plots.end());
  reports.total_cells = input.manifest.num_cells();
  reports.finished_cells = input.manifest.num_finished_cells();
  for (const CellResult& cell : input.cells) {
    if (!cell.ok()) ++reports.failed_cells;
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
           {"report.html", reports.report_html},
           {"hypervolume.csv", hypervolume->csv},
           {"hypervolume.md", hypervolume->md}}) {
    if (contents.empty()) continue;  // No multiobjective block.
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
