#include "harness/hypervolume_report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "harness/multiobjective.h"
#include "harness/plot/svg_plot.h"
#include "harness/report_table.h"

namespace nas {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr FrontSide kSides[] = {FrontSide::kValid, FrontSide::kTest};

const char* SideName(FrontSide side) {
  return side == FrontSide::kValid ? "valid" : "test";
}

// Full precision where machines read it, 4 decimals where people do.
std::string CsvNumber(double x) {
  return std::isnan(x) ? "nan" : absl::StrFormat("%.6g", x);
}
std::string Shown(double x) {
  return std::isnan(x) ? "-" : absl::StrFormat("%.4f", x);
}

// The reported value of coordinate k of a stored objective vector (the
// error, or a metric in its own sense).
double Reported(const MultiObjectiveInfo& info, int k, double stored) {
  return k > 0 && info.metric(k - 1).higher_is_better() ? -stored : stored;
}

std::string AxisName(const MultiObjectiveInfo& info, int k,
                     const std::string& error_unit) {
  if (k == 0) return absl::StrCat("validation ", error_unit);
  const MultiObjectiveInfo::Metric& m = info.metric(k - 1);
  return m.unit().empty() ? m.name()
                          : absl::StrCat(m.name(), " (", m.unit(), ")");
}

// The hypervolumes of every cell: [side][algorithm][checkpoint][seed] of
// one benchmark, NaN where the cell is missing or failed.
using CellVolumes = std::vector<std::vector<std::vector<std::vector<double>>>>;

// A front as a staircase in the plane of the error (y) and the first
// metric (x): the region it dominates has this outline. With two metrics
// the points are a projection and are drawn unconnected.
PlotSeries FrontSeries(const std::string& label,
                       const std::vector<ObjectiveVector>& front,
                       const MultiObjectiveInfo& info) {
  std::vector<ObjectiveVector> sorted = front;
  std::sort(sorted.begin(), sorted.end(),
            [](const ObjectiveVector& a, const ObjectiveVector& b) {
              return std::make_pair(a[1], a[0]) < std::make_pair(b[1], b[0]);
            });
  PlotSeries series;
  series.label = label;
  series.markers = true;
  const bool staircase = info.metric_size() == 1;
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (staircase && i > 0) {
      series.x.push_back(Reported(info, 1, sorted[i][1]));
      series.y.push_back(sorted[i - 1][0]);
    }
    series.x.push_back(Reported(info, 1, sorted[i][1]));
    series.y.push_back(sorted[i][0]);
  }
  if (staircase) {
    series.marker_every = 2;  // The corners between points are not points.
  } else {
    series.line = false;
  }
  return series;
}

// Every cell's hypervolumes on one benchmark (cells[a][s]).
absl::StatusOr<CellVolumes> ComputeVolumes(
    const Experiment& c, const MultiObjectiveInfo& info,
    const std::vector<int64_t>& checkpoints,
    const std::vector<std::vector<const CellResult*>>& cells) {
  const int na = c.algorithm_size(), ns = c.num_seeds();
  const int nc = static_cast<int>(checkpoints.size());
  CellVolumes volumes(2, std::vector<std::vector<std::vector<double>>>(
                             na, std::vector<std::vector<double>>(
                                     nc, std::vector<double>(ns, kNaN))));
  for (int a = 0; a < na; ++a) {
    for (int s = 0; s < ns; ++s) {
      const CellResult* cell = cells[a][s];
      if (cell == nullptr || !cell->ok()) continue;
      for (int k = 0; k < nc; ++k) {
        absl::StatusOr<CellFronts> fronts =
            FrontsOf(*cell, info, checkpoints[k]);
        if (!fronts.ok()) return fronts.status();
        volumes[0][a][k][s] =
            NormalisedHypervolume(fronts->valid_points, info.valid_reference(),
                                  info.valid_front_hypervolume());
        volumes[1][a][k][s] =
            NormalisedHypervolume(fronts->test_points, info.test_reference(),
                                  info.test_front_hypervolume());
      }
    }
  }
  return volumes;
}

// The seed whose validation hypervolume at the last checkpoint is the
// median of the algorithm's (the lower middle one for an even count, the
// lowest seed among equals); -1 without any.
int MedianSeed(const std::vector<double>& volumes) {
  std::vector<std::pair<double, int>> present;
  for (size_t s = 0; s < volumes.size(); ++s) {
    if (!std::isnan(volumes[s]))
      present.push_back({volumes[s], static_cast<int>(s)});
  }
  if (present.empty()) return -1;
  std::sort(present.begin(), present.end());
  return present[(present.size() - 1) / 2].second;
}

std::string ParetoPlot(const Experiment& c, const BenchmarkInfo& info_b,
                       const std::vector<std::vector<const CellResult*>>& cells,
                       const CellVolumes& volumes, int64_t last) {
  const MultiObjectiveInfo& info = info_b.multiobjective();
  const std::string error_unit =
      info_b.error_unit().empty() ? "error" : info_b.error_unit();
  LinePlot plot;
  plot.id = absl::StrCat(info_b.name(), "_pareto");
  plot.title = absl::StrCat(info_b.name(), ": validation fronts after ", last,
                            " queries (median-hypervolume seed)");
  plot.x.label = AxisName(info, 1, error_unit);
  plot.y.label = AxisName(info, 0, error_unit);
  std::vector<ObjectiveVector> all_found;
  for (int a = 0; a < c.algorithm_size(); ++a) {
    const int seed = MedianSeed(volumes[0][a].back());
    PlotSeries series;
    if (seed >= 0) {
      // Computed before without error for this cell.
      const CellFronts fronts = *FrontsOf(*cells[a][seed], info, last);
      series = FrontSeries(
          absl::StrCat(c.algorithm(a).label(), " (seed ", seed, ")"),
          fronts.valid_points, info);
      all_found.insert(all_found.end(), fronts.valid_points.begin(),
                       fronts.valid_points.end());
    } else {
      series.label = c.algorithm(a).label();
    }
    ApplyStyle(a, &series);
    plot.series.push_back(series);
  }
  PlotSeries truth;
  if (info.valid_front_size() > 0) {
    std::vector<ObjectiveVector> front;
    for (const MultiObjectiveInfo::Point& p : info.valid_front()) {
      front.emplace_back(p.value().begin(), p.value().end());
    }
    truth = FrontSeries("exact front", front, info);
    plot.note =
        absl::StrCat("Exact front: the ", info.valid_front_size(),
                     " non-dominated architectures of the whole space.");
  } else {
    std::vector<ObjectiveVector> front;
    for (int i : NonDominatedIndices(all_found)) front.push_back(all_found[i]);
    truth = FrontSeries("front of all found", front, info);
    plot.note =
        "The space cannot be enumerated: the grey front is that of "
        "the plotted points together.";
  }
  truth.color = "#777777";
  truth.dash = "2,3";
  truth.marker = Marker::kCross;
  plot.series.insert(plot.series.begin(), truth);
  if (info.metric_size() > 1) {
    absl::StrAppend(&plot.note,
                    " Three objectives: points projected onto the "
                    "first metric, without their staircase.");
  }
  return RenderSvg(plot);
}

}  // namespace

absl::StatusOr<CellFronts> FrontsOf(const CellResult& cell,
                                    const MultiObjectiveInfo& info,
                                    int64_t queries) {
  std::vector<int> positions;
  for (const MultiObjectiveInfo::Metric& metric : info.metric()) {
    const auto it = std::find(cell.metric_names.begin(),
                              cell.metric_names.end(), metric.name());
    if (it == cell.metric_names.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the cell file of benchmark ", cell.id.benchmark, ", algorithm ",
          cell.id.algorithm, ", seed ", cell.id.seed,
          " has no column for metric '", metric.name(),
          "' (written by an older nas?); rerun the experiment with "
          "--overwrite"));
    }
    positions.push_back(static_cast<int>(it - cell.metric_names.begin()));
  }
  const int64_t n =
      std::min<int64_t>(queries, static_cast<int64_t>(cell.records.size()));
  std::vector<int> candidates;
  std::vector<ObjectiveVector> valid;
  for (int64_t q = 0; q < n; ++q) {
    const QueryRecord& record = cell.records[q];
    if (record.fidelity != info.full_fidelity()) continue;
    candidates.push_back(static_cast<int>(q));
    valid.push_back(MultiObjectivePoint(record.evaluation.valid_error,
                                        record.evaluation.metrics, positions));
  }
  CellFronts fronts;
  for (int i : NonDominatedIndices(valid)) {
    const int q = candidates[i];
    fronts.members.push_back(q);
    fronts.valid_points.push_back(valid[i]);
    const Evaluation& evaluation = cell.records[q].evaluation;
    fronts.test_points.push_back(MultiObjectivePoint(
        evaluation.test_error, evaluation.metrics, positions));
  }
  return fronts;
}

absl::StatusOr<HypervolumeReports> BuildHypervolumeReports(
    const Experiment& c, const Manifest& manifest,
    const std::vector<CellResult>& cells) {
  HypervolumeReports reports;
  const int nb = c.benchmark_size(), na = c.algorithm_size(),
            ns = c.num_seeds();
  std::vector<const BenchmarkInfo*> infos(nb, nullptr);
  bool any = false;
  for (int b = 0; b < nb; ++b) {
    for (const BenchmarkInfo& info : manifest.benchmark()) {
      if (info.name() == c.benchmark(b).name() && info.has_multiobjective()) {
        infos[b] = &info;
        any = true;
      }
    }
  }
  if (!any) return reports;

  // cells_by[b][a][s]
  std::vector<std::vector<std::vector<const CellResult*>>> cells_by(
      nb, std::vector<std::vector<const CellResult*>>(
              na, std::vector<const CellResult*>(ns, nullptr)));
  int64_t max_queries = 1;
  for (const CellResult& cell : cells) {
    cells_by[cell.id.benchmark][cell.id.algorithm][cell.id.seed] = &cell;
    max_queries = std::max(max_queries, cell.num_queries());
  }
  std::vector<int64_t> checkpoints(c.checkpoint().begin(),
                                   c.checkpoint().end());
  if (checkpoints.empty()) checkpoints.push_back(max_queries);
  const int nc = static_cast<int>(checkpoints.size());
  int reference = 0;
  for (int a = 0; a < na; ++a) {
    if (c.algorithm(a).label() == c.reference_algorithm()) reference = a;
  }

  // volumes[b]: empty for a benchmark without the block.
  std::vector<CellVolumes> volumes(nb);
  for (int b = 0; b < nb; ++b) {
    if (infos[b] == nullptr) continue;
    absl::StatusOr<CellVolumes> v =
        ComputeVolumes(c, infos[b]->multiobjective(), checkpoints, cells_by[b]);
    if (!v.ok()) return v.status();
    volumes[b] = *std::move(v);
  }

  // Rows: the tests are Holm-adjusted per side and checkpoint over every
  // benchmark and algorithm, as the single-objective leaderboard's are per
  // checkpoint.
  reports.average_rank.assign(2, std::vector<double>(na, kNaN));
  for (FrontSide side : kSides) {
    const int si = static_cast<int>(side);
    std::vector<double> rank_sum(na, 0);
    std::vector<int> rank_count(na, 0);
    for (int k = 0; k < nc; ++k) {
      SeedValues values(nb);
      for (int b = 0; b < nb; ++b) {
        if (infos[b] == nullptr) continue;
        for (int a = 0; a < na; ++a) values[b].push_back(volumes[b][si][a][k]);
      }
      const std::vector<std::vector<PairedComparison>> tests =
          CompareWithReference(values, reference);
      for (int b = 0; b < nb; ++b) {
        if (infos[b] == nullptr) continue;
        std::vector<HypervolumeRow> rows(na);
        std::vector<double> negated_means(na, kNaN);
        for (int a = 0; a < na; ++a) {
          HypervolumeRow& row = rows[a];
          row.benchmark = b;
          row.side = side;
          row.algorithm = a;
          row.queries = checkpoints[k];
          row.versus_reference = tests[b][a];
          std::vector<double> present;
          for (int s = 0; s < ns; ++s) {
            const CellResult* cell = cells_by[b][a][s];
            if (cell == nullptr) {
              ++row.missing_seeds;
            } else if (!cell->ok()) {
              ++row.failed_seeds;
            } else {
              present.push_back(values[b][a][s]);
            }
          }
          if (!present.empty()) {
            row.hypervolume = Summarize(present);
            negated_means[a] = -row.hypervolume.mean;
          }
        }
        const std::vector<double> ranks = AverageRanksOfPresent(negated_means);
        for (int a = 0; a < na; ++a) {
          rows[a].rank = ranks[a];
          if (k + 1 == nc && !std::isnan(ranks[a])) {
            rank_sum[a] += ranks[a];
            ++rank_count[a];
          }
          reports.rows.push_back(rows[a]);
        }
      }
    }
    for (int a = 0; a < na; ++a) {
      if (rank_count[a] > 0) {
        reports.average_rank[si][a] = rank_sum[a] / rank_count[a];
      }
    }
  }
  // Benchmark-major, then side, algorithm and checkpoint, as people read.
  std::stable_sort(
      reports.rows.begin(), reports.rows.end(),
      [](const HypervolumeRow& x, const HypervolumeRow& y) {
        return std::make_tuple(x.benchmark, x.side, x.algorithm, x.queries) <
               std::make_tuple(y.benchmark, y.side, y.algorithm, y.queries);
      });

  reports.csv =
      "benchmark,side,algorithm,queries,seeds,hypervolume_normalised,"
      "mean_hypervolume,ci95_low,ci95_high,median_hypervolume,"
      "mean_difference_to_reference,p_value,p_holm,rank,failed_seeds,"
      "missing_seeds\n";
  for (const HypervolumeRow& r : reports.rows) {
    const bool has = r.hypervolume.n > 0;
    const bool normalised =
        infos[r.benchmark]->multiobjective().valid_front_hypervolume() > 0;
    absl::StrAppend(
        &reports.csv, c.benchmark(r.benchmark).name(), ",", SideName(r.side),
        ",", c.algorithm(r.algorithm).label(), ",", r.queries, ",",
        r.hypervolume.n, ",", normalised ? "true" : "false", ",",
        CsvNumber(has ? r.hypervolume.mean : kNaN), ",",
        CsvNumber(has ? r.hypervolume.ci95_low : kNaN), ",",
        CsvNumber(has ? r.hypervolume.ci95_high : kNaN), ",",
        CsvNumber(has ? r.hypervolume.median : kNaN), ",",
        CsvNumber(r.versus_reference.n > 0 ? r.versus_reference.mean_difference
                                           : kNaN),
        ",", CsvNumber(r.versus_reference.p_value), ",",
        CsvNumber(r.versus_reference.p_holm), ",", CsvNumber(r.rank), ",",
        r.failed_seeds, ",", r.missing_seeds, "\n");
  }

  const int64_t last = checkpoints.back();
  std::string& md = reports.md;
  absl::StrAppend(
      &md, "# Hypervolume leaderboard", c.name().empty() ? "" : ": ", c.name(),
      "\n\nPer run, the front of the architectures it queried (at full "
      "fidelity) by validation error and the benchmark's metrics; its "
      "hypervolume against the benchmark's reference point, divided by that "
      "of the exact front of the whole space where the space can be "
      "enumerated (1 = the exact front; higher is better). \"valid\": the "
      "front's own hypervolume, what the searcher optimised; \"test\": the "
      "same architectures scored by their test errors, against the exact "
      "test front. At every checkpoint (the anytime view): mean over seeds "
      "with its 95% Student-t interval, median; "
      "p is a paired Wilcoxon signed-rank test over seeds against ",
      c.reference_algorithm(),
      ", Holm-corrected over every benchmark and algorithm of a side and "
      "checkpoint; ranks are by mean hypervolume within the benchmark. "
      "hypervolume.csv has the numbers at full precision.\n");
  for (int b = 0; b < nb; ++b) {
    if (infos[b] == nullptr) continue;
    const MultiObjectiveInfo& info = infos[b]->multiobjective();
    const std::string error_unit =
        infos[b]->error_unit().empty() ? "error" : infos[b]->error_unit();
    std::vector<std::string> axes, valid_ref, test_ref;
    for (int k = 0; k <= info.metric_size(); ++k) {
      axes.push_back(AxisName(info, k, error_unit));
      valid_ref.push_back(
          absl::StrFormat("%g", Reported(info, k, info.valid_reference(k))));
      test_ref.push_back(
          absl::StrFormat("%g", Reported(info, k, info.test_reference(k))));
    }
    absl::StrAppend(&md, "\n## ", c.benchmark(b).name(),
                    "\n\nObjectives: ", absl::StrJoin(axes, ", "),
                    ". Reference point (", info.reference_source(), "): (",
                    absl::StrJoin(valid_ref, ", "), ")");
    if (valid_ref != test_ref) {
      absl::StrAppend(&md, ", test side (", absl::StrJoin(test_ref, ", "), ")");
    }
    if (info.valid_front_size() > 0) {
      absl::StrAppend(&md, ". Exact front: ", info.valid_front_size(),
                      " architectures by validation error (hypervolume ",
                      absl::StrFormat("%g", info.valid_front_hypervolume()),
                      "), ", info.test_front_size(), " by test error (",
                      absl::StrFormat("%g", info.test_front_hypervolume()),
                      ").\n");
    } else {
      absl::StrAppend(&md,
                      ". The space cannot be enumerated: hypervolumes "
                      "are not normalised.\n");
    }
    for (FrontSide side : kSides) {
      Table table;
      table.header = {"queries", "algorithm",
                      "seeds",   "hypervolume [95% CI]",
                      "median",  absl::StrCat("- ", c.reference_algorithm()),
                      "p",       "Holm p",
                      "rank"};
      table.numeric = {true, false, true, true, true, true, true, true, true};
      for (int64_t checkpoint : checkpoints) {
        for (const HypervolumeRow& r : reports.rows) {
          if (r.benchmark != b || r.side != side || r.queries != checkpoint) {
            continue;
          }
          const SampleSummary& h = r.hypervolume;
          const PairedComparison& v = r.versus_reference;
          table.rows.push_back(
              {absl::StrCat(checkpoint), c.algorithm(r.algorithm).label(),
               absl::StrCat(h.n),
               h.n > 0 ? absl::StrCat(Shown(h.mean), " [", Shown(h.ci95_low),
                                      ", ", Shown(h.ci95_high), "]")
                       : "-",
               h.n > 0 ? Shown(h.median) : "-",
               v.n > 0 ? absl::StrFormat("%+.4f", v.mean_difference) : "-",
               PValue(v.p_value), PValue(v.p_holm),
               std::isnan(r.rank) ? "-" : absl::StrFormat("%g", r.rank)});
        }
      }
      absl::StrAppend(&md, "\n### ", SideName(side), " side\n\n",
                      MarkdownTable(table));
    }
    const std::string plot_name =
        absl::StrCat(c.benchmark(b).name(), "_pareto");
    reports.plots.push_back(
        {plot_name, ParetoPlot(c, *infos[b], cells_by[b], volumes[b], last)});
    absl::StrAppend(&md, "\n![", c.benchmark(b).name(),
                    ": validation fronts](plots/", plot_name, ".svg)\n");
  }
  Table ranks;
  ranks.header = {"algorithm", "valid side", "test side"};
  ranks.numeric = {false, true, true};
  for (int a = 0; a < na; ++a) {
    ranks.rows.push_back({c.algorithm(a).label(),
                          Shown(reports.average_rank[0][a]),
                          Shown(reports.average_rank[1][a])});
  }
  absl::StrAppend(&md,
                  "\n## Average rank across benchmarks\n\nBy mean "
                  "hypervolume after ",
                  last, " queries (1 = best; ties share ranks).\n\n",
                  MarkdownTable(ranks));
  return reports;
}

}  // namespace nas
