#include "landscape/report.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/json_util.h"
#include "harness/plot/svg_plot.h"
#include "landscape/pareto_landscape.h"

namespace nas {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// Numbers for tables: integers as integers, others with 4 significant
// digits; NaN as a dash.
std::string Num(double v) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (std::fabs(v) < 1e15 && v == std::floor(v)) return absl::StrFormat("%.0f", v);
  return absl::StrFormat("%.4g", v);
}

std::string Est(const Estimate& e) {
  if (!e.has_value()) return "";
  if (e.has_ci_low() && std::isfinite(e.ci_low())) {
    return absl::StrCat(Num(e.value()), " [", Num(e.ci_low()), ", ",
                        Num(e.ci_high()), "]");
  }
  return Num(e.value());
}

std::string Cell(const std::string& s) {
  return absl::StrReplaceAll(s, {{"|", "\\|"}});
}

// Every tenth point of the dense epsilon grid: 0.001, 0.0032, 0.01, ...
bool TablePoint(int i) { return i % 10 == 0; }

PlotSeries Line(const std::string& label, std::vector<double> x,
                std::vector<double> y, bool dashed = false,
                const std::string& color = "") {
  PlotSeries s;
  s.label = label;
  s.x = std::move(x);
  s.y = std::move(y);
  s.dashed = dashed;
  s.color = color;
  return s;
}

constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string ShortModel(const std::string& name) { return name; }

const Quantity* FindQuantity(const BenchmarkLandscape& b,
                             const std::string& prefix) {
  for (const Quantity& q : b.quantity()) {
    if (q.name().rfind(prefix, 0) == 0) return &q;
  }
  return nullptr;
}

// One line per benchmark: the landscape in a few numbers, and the search.
std::string SummaryTable(const LandscapeReport& report) {
  std::string first, second;
  for (const BenchmarkLandscape& b : report.benchmark()) {
    if (b.search_size() >= 2) {
      first = b.search(0).label();
      second = b.search(1).label();
      break;
    }
  }
  std::string md =
      "\nSummary (local minima: exact count, or for sampled spaces the "
      "fraction of architectures that are local minima; theory: the fitted "
      "KDE + conditional KDE model; r(1): lag-1 walk autocorrelation";
  if (!first.empty()) {
    absl::StrAppend(&md, "; advantage: paired (", second, " - ", first,
                    ") final loss / loss sd");
  }
  md += "):\n\n| benchmark | mode | local minima | theory | r(1) | moves to LS* |";
  if (!first.empty()) absl::StrAppend(&md, " ", first, " | ", second, " | advantage |");
  md += "\n|---|---|---|---|---|---|";
  if (!first.empty()) md += "---|---|---|";
  md += "\n";
  for (const BenchmarkLandscape& b : report.benchmark()) {
    const Quantity* minima = FindQuantity(b, b.mode() == "exact"
                                                 ? "local minima"
                                                 : "P(architecture is a local minimum)");
    const Quantity* r1 = FindQuantity(b, "lag-1");
    const Quantity* moves = FindQuantity(b, "moves to");
    auto best = [&](const Quantity* q) {
      if (q == nullptr) return std::string("–");
      return q->has_exact() ? Est(q->exact()) : Est(q->simulated());
    };
    absl::StrAppend(&md, "| ", b.name(), " | ", b.mode(), " | ", best(minima),
                    " | ",
                    minima && minima->theory_size() > 0
                        ? Num(minima->theory(minima->theory_size() - 1))
                        : "–",
                    " | ", best(r1), " | ", best(moves), " |");
    if (!first.empty()) {
      if (b.search_size() >= 2) {
        absl::StrAppend(&md, " ", Est(b.search(0).final_loss()), " | ",
                        Est(b.search(1).final_loss()), " | ",
                        Est(b.search(1).first_algorithm_advantage()), " |");
      } else {
        md += " – | – | – |";
      }
    }
    md += "\n";
  }
  return md;
}

}  // namespace

std::string LandscapeMarkdown(const LandscapeReport& report) {
  std::string md = absl::StrCat("# Local-search landscape: ",
                                report.experiment_name(), "\n\n");
  const LandscapeSettings& st = report.settings();
  absl::StrAppend(
      &md, "Source: `", report.source(), "`. Simulation: ", st.climbs(),
      " climbs from uniform random starts, ", st.walks(), " random walks of ",
      st.max_lag(), " steps from uniform starts, seed ", st.seed(),
      ". Losses x are normalised to [0, 1]; epsilon is in those units. "
      "Intervals are 95%. Tie rule: stay unless a neighbour is strictly "
      "better; among equally good neighbours the smallest canonical genes.\n");
  if (report.benchmark_size() > 1) md += SummaryTable(report);
  for (const BenchmarkLandscape& b : report.benchmark()) {
    absl::StrAppend(&md, "\n## ", b.name(), " (", b.space(), ", ", b.objective(),
                    "): ", b.mode(), "\n\n");
    if (b.mode() == "sampled") {
      absl::StrAppend(&md, "Not enumerable: ", b.why_sampled(), ".\n\n");
      absl::StrAppend(&md, Num(b.num_architectures()),
                      " architectures; mean neighbourhood ",
                      Num(b.mean_degree()), " (at the sampled starts).");
    } else {
      absl::StrAppend(&md, Num(b.num_architectures()), " architectures (",
                      b.numbering(), "), ", Num(b.mean_degree()),
                      " neighbours on average (", b.min_degree(), " to ",
                      b.max_degree(), "), neighbourhood ",
                      b.symmetric() ? "symmetric" : "not symmetric", "; ",
                      b.tied_moves(), " moves decided by the tie rule.");
      if (b.replicates() > 1) {
        absl::StrAppend(&md, " Exact values are means over ", b.replicates(),
                        " objective seeds.");
      }
    }
    const Normalisation& n = b.normalisation();
    absl::StrAppend(&md, " Normalisation: ", n.source(), ", x = (loss - ",
                    Num(n.low()), ") / ", Num(n.high() - n.low()), "; ",
                    n.kept(), " losses inside [0, 1] are fitted",
                    n.dropped() > 0 ? absl::StrCat(", ", n.dropped(), " outside dropped")
                                    : "",
                    ".\n\n");

    // Side-by-side table.
    absl::StrAppend(&md, "| quantity | exact | simulated |");
    for (const TheoryPrediction& t : b.theory()) {
      absl::StrAppend(&md, " theory: ", Cell(t.name()), " |");
    }
    absl::StrAppend(&md, "\n|---|---|---|");
    for (int i = 0; i < b.theory_size(); ++i) md += "---|";
    md += "\n";
    for (const Quantity& q : b.quantity()) {
      absl::StrAppend(&md, "| ", q.name(), " | ", Est(q.exact()), " | ",
                      Est(q.simulated()), " |");
      for (double t : q.theory()) absl::StrAppend(&md, " ", Num(t), " |");
      md += "\n";
    }

    if (b.epsilon_curve_size() > 0) {
      absl::StrAppend(
          &md,
          "\nEpsilon-curve: fraction of uniform start points v with x(LS*(v)) - "
          "x* <= epsilon (x* = ",
          Num(b.best_minima_size() ? b.best_minima(0).normalised_loss() : kNan),
          "). Theory: Theorem 5.1 as published, P(x(LS*) <= epsilon) with the "
          "minimum at x = 0; \"@x*\": anchored at the data's optimum, "
          "P(x(LS*) <= x* + epsilon).\n\n| epsilon | exact | simulated |");
      for (const TheoryPrediction& t : b.theory()) {
        absl::StrAppend(&md, " ", Cell(t.name()), " |");
      }
      for (const TheoryPrediction& t : b.theory()) {
        absl::StrAppend(&md, " ", Cell(t.name()), " @x* |");
      }
      absl::StrAppend(&md, "\n|---|---|---|");
      for (int i = 0; i < 2 * b.theory_size(); ++i) md += "---|";
      md += "\n";
      for (int i = 0; i < b.epsilon_curve_size(); ++i) {
        if (!TablePoint(i)) continue;
        const EpsilonPoint& e = b.epsilon_curve(i);
        absl::StrAppend(&md, "| ", Num(e.epsilon()), " | ", Est(e.exact()),
                        " | ", Est(e.simulated()), " |");
        for (double t : e.theory()) absl::StrAppend(&md, " ", Num(t), " |");
        for (double t : e.theory_at_optimum()) absl::StrAppend(&md, " ", Num(t), " |");
        md += "\n";
      }
    }

    if (b.best_minima_size() > 0) {
      absl::StrAppend(&md,
                      "\nBest local minima (basin: |LS^-*|, the minimum "
                      "included; depth: most moves into it):\n\n"
                      "| rank | architecture | loss | x | basin | depth | "
                      "\\|LS^-1\\| |\n|---|---|---|---|---|---|---|\n");
      for (const LocalMinimumInfo& m : b.best_minima()) {
        absl::StrAppend(&md, "| ", m.rank(), " | `", Cell(m.architecture()),
                        "` | ", Num(m.loss()), " | ", Num(m.normalised_loss()),
                        " | ", m.basin_size(), " | ", m.basin_depth(), " | ",
                        m.preimage(), " |\n");
      }
    }

    absl::StrAppend(&md,
                    "\nFitted densities (KS: Kolmogorov-Smirnov distance; for "
                    "pdf_e of the probability integral transform F_e(y | x) "
                    "from uniform):\n\n| density | estimator | fit | KS | "
                    "p-value | n |\n|---|---|---|---|---|---|\n");
    for (const DensityFit& f : b.fit()) {
      absl::StrAppend(&md, "| ", f.density(), " | ", Cell(f.estimator()), " | ",
                      Cell(f.description()), " | ", Num(f.ks()), " | ",
                      Num(f.ks_p_value()), " | ", f.samples(), " |\n");
    }

    absl::StrAppend(&md,
                    "\nTheory (n: losses inside the window; s: mean "
                    "neighbourhood; basin mass: fraction of all architectures "
                    "the predicted basins account for):\n\n| model | pdf_n | "
                    "pdf_e | n | s | E[#local minima] | basin mass | "
                    "E\\|LS^-*\\| at x* | levels |\n|---|---|---|---|---|---|---|---|---|\n");
    for (const TheoryPrediction& t : b.theory()) {
      absl::StrAppend(&md, "| ", Cell(t.name()), " | ", Cell(t.pdf_n()), " | ",
                      Cell(t.pdf_e()), " | ", Num(t.n()), " | ", Num(t.s()),
                      " | ", Num(t.expected_local_minima()), " | ",
                      t.has_basin_mass() ? Num(t.basin_mass()) : "–", " | ",
                      t.has_basin_at_optimum() ? Num(t.basin_at_optimum()) : "–",
                      " | ",
                      t.has_preimage_levels()
                          ? absl::StrCat(t.preimage_levels(),
                                         t.converged() ? "" : " (not converged)")
                          : "–",
                      " |\n");
    }

    absl::StrAppend(&md, "\nRandom-walk autocorrelation r(k):\n\n| k |");
    for (const LagCorrelation& l : b.autocorrelation()) {
      absl::StrAppend(&md, " ", l.lag(), " |");
    }
    md += "\n|---|";
    for (int i = 0; i < b.autocorrelation_size(); ++i) md += "---|";
    if (b.mode() == "exact") {
      md += "\n| exact (uniform start) |";
      for (const LagCorrelation& l : b.autocorrelation()) {
        absl::StrAppend(&md, " ", absl::StrFormat("%.3f", l.exact().value()), " |");
      }
    }
    md += "\n| simulated walks |";
    for (const LagCorrelation& l : b.autocorrelation()) {
      absl::StrAppend(&md, " ", absl::StrFormat("%.3f", l.walk()), " |");
    }
    md += "\n";

    if (b.search_size() > 0) {
      absl::StrAppend(&md, "\nSearch (the config's algorithms, ",
                      b.search(0).seeds(), " seeds; final loss = incumbent's "
                      "test error at the budget; advantage = paired (loss - "
                      "loss of ", b.search(0).label(), ") / loss sd ",
                      Num(b.loss_sd()), "):\n\n| algorithm | queries | final "
                      "loss | at global minimum | advantage of ",
                      b.search(0).label(), " | failed |\n|---|---|---|---|---|---|\n");
      for (const AlgorithmSummary& s : b.search()) {
        absl::StrAppend(&md, "| ", s.label(), " | ", s.queries(), " | ",
                        Est(s.final_loss()), " | ",
                        Num(s.fraction_at_global_minimum()), " | ",
                        s.has_first_algorithm_advantage()
                            ? Est(s.first_algorithm_advantage())
                            : "–",
                        " | ", s.failed_seeds(), " |\n");
      }
    }
    md += ParetoLandscapeMarkdown(b);
    md += "\nFigures: ";
    std::vector<std::string> links;
    for (const std::string& f : b.figure()) {
      links.push_back(absl::StrCat("[", f, "](", f, ")"));
    }
    absl::StrAppend(&md, absl::StrJoin(links, ", "), "\n");
  }
  return md;
}

std::string LandscapeCsv(const LandscapeReport& report) {
  std::string csv = "benchmark,table,row,column,value\n";
  auto quote = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
  };
  auto row = [&](const std::string& b, const std::string& table,
                 const std::string& r, const std::string& column, double v) {
    absl::StrAppend(&csv, quote(b), ",", table, ",", quote(r), ",", quote(column),
                    ",", absl::StrFormat("%.10g", v), "\n");
  };
  auto estimate = [&](const std::string& b, const std::string& table,
                      const std::string& r, const std::string& column,
                      const Estimate& e) {
    if (!e.has_value()) return;
    row(b, table, r, column, e.value());
    if (e.has_ci_low()) {
      row(b, table, r, column + "_ci_low", e.ci_low());
      row(b, table, r, column + "_ci_high", e.ci_high());
    }
  };
  for (const BenchmarkLandscape& b : report.benchmark()) {
    for (const Quantity& q : b.quantity()) {
      estimate(b.name(), "quantity", q.name(), "exact", q.exact());
      estimate(b.name(), "quantity", q.name(), "simulated", q.simulated());
      for (int i = 0; i < q.theory_size(); ++i) {
        row(b.name(), "quantity", q.name(), "theory: " + b.theory(i).name(),
            q.theory(i));
      }
    }
    for (const EpsilonPoint& e : b.epsilon_curve()) {
      const std::string r = absl::StrFormat("%.6g", e.epsilon());
      estimate(b.name(), "epsilon", r, "exact", e.exact());
      estimate(b.name(), "epsilon", r, "simulated", e.simulated());
      for (int i = 0; i < e.theory_size(); ++i) {
        row(b.name(), "epsilon", r, "theory: " + b.theory(i).name(), e.theory(i));
        row(b.name(), "epsilon", r, "theory @x*: " + b.theory(i).name(),
            e.theory_at_optimum(i));
      }
    }
    for (const LocalMinimumInfo& m : b.best_minima()) {
      const std::string r = absl::StrCat(m.rank(), " ", m.architecture());
      row(b.name(), "minima", r, "loss", m.loss());
      row(b.name(), "minima", r, "basin", static_cast<double>(m.basin_size()));
      row(b.name(), "minima", r, "depth", m.basin_depth());
    }
    for (const DensityFit& f : b.fit()) {
      const std::string r = absl::StrCat(f.density(), " ", f.estimator());
      row(b.name(), "fit", r, "ks", f.ks());
      row(b.name(), "fit", r, "ks_p_value", f.ks_p_value());
    }
    for (const TheoryPrediction& t : b.theory()) {
      row(b.name(), "theory", t.name(), "expected_local_minima",
          t.expected_local_minima());
      if (t.has_basin_mass()) row(b.name(), "theory", t.name(), "basin_mass", t.basin_mass());
      if (t.has_basin_at_optimum()) {
        row(b.name(), "theory", t.name(), "basin_at_optimum", t.basin_at_optimum());
      }
    }
    for (const LagCorrelation& l : b.autocorrelation()) {
      const std::string r = absl::StrCat(l.lag());
      estimate(b.name(), "autocorrelation", r, "exact", l.exact());
      row(b.name(), "autocorrelation", r, "walk", l.walk());
    }
    for (const AlgorithmSummary& s : b.search()) {
      estimate(b.name(), "search", s.label(), "final_loss", s.final_loss());
      row(b.name(), "search", s.label(), "at_global_minimum",
          s.fraction_at_global_minimum());
      estimate(b.name(), "search", s.label(), "first_algorithm_advantage",
               s.first_algorithm_advantage());
    }
  }
  return csv;
}

std::string LandscapeJson(const LandscapeReport& report) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  google::protobuf::util::MessageToJsonString(report, &json, options);
  return json;
}

std::string EpsilonCurveSvg(const BenchmarkLandscape& b) {
  LinePlot plot;
  plot.title = absl::StrCat(b.name(), ": P(x(LS*) - x* <= epsilon)");
  plot.x.label = "epsilon (normalised loss)";
  plot.x.log_scale = true;
  plot.y.label = "fraction of start points";
  plot.y.min = 0;
  plot.y.max = 1.02;
  plot.width = 860;
  std::vector<double> eps, exact, simulated;
  for (const EpsilonPoint& e : b.epsilon_curve()) {
    eps.push_back(e.epsilon());
    exact.push_back(e.exact().value());
    simulated.push_back(e.simulated().value());
  }
  plot.series.push_back(Line("exact", eps, exact, false, "#000000"));
  PlotSeries sim = Line("simulated", eps, simulated, true, "#777777");
  sim.markers = true;
  plot.series.push_back(sim);
  for (int m = 0; m < b.theory_size(); ++m) {
    std::vector<double> t;
    for (const EpsilonPoint& e : b.epsilon_curve()) t.push_back(e.theory(m));
    plot.series.push_back(
        Line(absl::StrCat("th: ", ShortModel(b.theory(m).name())), eps, t,
             true, kPalette[m]));
  }
  if (b.theory_size() > 0) {
    // The best data-driven model (the last) anchored at the data's optimum.
    const int last = b.theory_size() - 1;
    std::vector<double> t;
    for (const EpsilonPoint& e : b.epsilon_curve()) {
      t.push_back(e.theory_at_optimum(last));
    }
    plot.series.push_back(Line(absl::StrCat("th: ", b.theory(last).name(), " @x*"),
                               eps, t, true, kPalette[4]));
  }
  return RenderSvg(plot);
}

std::string AllEpsilonCurvesSvg(const std::vector<EpsilonSeries>& series) {
  LinePlot plot;
  plot.title = series.empty() ? "" : absl::StrCat(
      "LS from a random start: data (solid), theory ",
      ShortModel(series[0].theory_label), " (dashed)");
  plot.x.label = "epsilon (normalised loss)";
  plot.x.log_scale = true;
  plot.y.label = "P(x(LS*) - x* <= epsilon)";
  plot.y.min = 0;
  plot.y.max = 1.02;
  plot.width = 860;
  for (size_t i = 0; i < series.size(); ++i) {
    const EpsilonSeries& s = series[i];
    const char* color = kPalette[i % std::size(kPalette)];
    plot.series.push_back(Line(absl::StrCat(s.benchmark, " data"), s.epsilon,
                               s.data, false, color));
    plot.series.push_back(Line(absl::StrCat(s.benchmark, " theory"),
                               s.epsilon, s.theory, true, color));
  }
  return RenderSvg(plot);
}

std::string LsTreesSvg(const BenchmarkLandscape& b,
                       const std::vector<LsTree>& trees,
                       absl::Span<const double> loss,
                       const std::string& loss_unit) {
  LinePlot plot;
  // Trees larger than the drawing limit show their shallowest vertices.
  size_t drawn = 0;
  bool truncated = false;
  for (const LsTree& tree : trees) {
    drawn = std::max(drawn, tree.vertices.size());
    truncated |= static_cast<int64_t>(tree.vertices.size()) < tree.full_size;
  }
  plot.title = absl::StrCat(b.name(), ": LS-trees of the best local minima",
                            truncated ? absl::StrCat(" (first ", drawn,
                                                     " vertices by depth)")
                                      : "");
  plot.x.label = "basin vertices (leaves side by side)";
  plot.y.label = absl::StrCat("validation loss, ", loss_unit);
  // The normalisation window: NAS-Bench-201's study windows cut off the
  // degenerate cells (90% error) that would flatten everything else.
  const double low = b.normalisation().low(), high = b.normalisation().high();
  plot.y.min = low - 0.02 * (high - low);
  plot.y.max = high;
  plot.width = 860;
  double offset = 0;
  PlotSeries roots;
  roots.label = "local minima";
  roots.markers = true;
  roots.color = "#000000";
  for (size_t t = 0; t < trees.size(); ++t) {
    const LsTree& tree = trees[t];
    const size_t n = tree.vertices.size();
    std::vector<std::vector<int>> children(n);
    for (size_t i = 1; i < n; ++i) children[tree.parent[i]].push_back(static_cast<int>(i));
    // Leaves get consecutive positions in depth-first order; a parent sits
    // at the mean of its children.
    std::vector<double> x(n, 0);
    double next_leaf = offset;
    std::vector<std::pair<int, bool>> stack = {{0, false}};
    while (!stack.empty()) {
      auto [v, expanded] = stack.back();
      stack.pop_back();
      if (children[v].empty()) {
        x[v] = next_leaf;
        next_leaf += 1;
        continue;
      }
      if (!expanded) {
        stack.push_back({v, true});
        for (auto it = children[v].rbegin(); it != children[v].rend(); ++it) {
          stack.push_back({*it, false});
        }
        continue;
      }
      double sum = 0;
      for (int c : children[v]) sum += x[c];
      x[v] = sum / children[v].size();
    }
    PlotSeries edges;
    const LocalMinimumInfo& info = b.best_minima(static_cast<int>(t));
    // Short: the legend is narrow. The report's table has the details.
    edges.label = absl::StrCat("#", info.rank(), " ", Num(info.loss()),
                               ", basin ", tree.full_size);
    edges.color = kPalette[t % std::size(kPalette)];
    for (size_t i = 1; i < n; ++i) {
      const int parent = tree.parent[i];
      edges.x.insert(edges.x.end(), {x[i], x[parent], kNan});
      edges.y.insert(edges.y.end(),
                     {loss[tree.vertices[i]], loss[tree.vertices[parent]], kNan});
    }
    if (n == 1) {  // A lone minimum: a short stub so it shows.
      edges.x = {x[0] - 0.3, x[0] + 0.3};
      edges.y = {loss[tree.root], loss[tree.root]};
    }
    plot.series.push_back(std::move(edges));
    roots.x.push_back(x[0]);
    roots.y.push_back(loss[tree.root]);
    roots.x.push_back(kNan);
    roots.y.push_back(kNan);
    offset = next_leaf + std::max(2.0, 0.04 * next_leaf);
  }
  plot.series.push_back(std::move(roots));
  return RenderSvg(plot);
}

std::string DensitiesSvg(const std::string& benchmark,
                         absl::Span<const double> samples,
                         const std::vector<const Density*>& models,
                         const std::vector<std::string>& names) {
  LinePlot plot;
  plot.title = absl::StrCat(benchmark, ": pdf_n, losses against fits");
  plot.x.label = "normalised loss x";
  plot.y.label = "density";
  plot.y.min = 0;
  plot.width = 860;
  constexpr int kBins = 50;
  std::vector<double> counts(kBins, 0), centres;
  for (double s : samples) {
    counts[std::min(kBins - 1, static_cast<int>(s * kBins))] += 1;
  }
  for (int i = 0; i < kBins; ++i) {
    centres.push_back((i + 0.5) / kBins);
    counts[i] *= kBins / static_cast<double>(samples.size());
  }
  PlotSeries histogram = Line("data", centres, counts, false, "#000000");
  histogram.markers = true;
  plot.series.push_back(histogram);
  std::vector<double> grid;
  for (int i = 0; i <= 400; ++i) grid.push_back(i / 400.0);
  for (size_t m = 0; m < models.size(); ++m) {
    std::vector<double> y;
    for (double g : grid) y.push_back(models[m]->Pdf(g));
    plot.series.push_back(Line(names[m], grid, y, m > 0, kPalette[m]));
  }
  return RenderSvg(plot);
}

std::string NeighbourDensitiesSvg(
    const std::string& benchmark, absl::Span<const LossPair> pairs,
    const std::vector<const NeighbourDensity*>& models,
    const std::vector<std::string>& names) {
  LinePlot plot;
  plot.title = absl::StrCat(benchmark, ": pdf_e, neighbour differences y - x");
  plot.x.label = "y - x (normalised loss of a neighbour minus own)";
  plot.y.label = "density";
  plot.y.min = 0;
  plot.width = 860;
  constexpr int kBins = 80;
  std::vector<double> counts(kBins, 0), centres;
  for (const LossPair& p : pairs) {
    const double d = static_cast<double>(p.y) - p.x;
    counts[std::min(kBins - 1, std::max(0, static_cast<int>((d + 1) / 2 * kBins)))] += 1;
  }
  for (int i = 0; i < kBins; ++i) {
    centres.push_back(-1 + (i + 0.5) * 2.0 / kBins);
    counts[i] *= kBins / 2.0 / pairs.size();
  }
  PlotSeries histogram = Line("data", centres, counts, false, "#000000");
  histogram.markers = true;
  plot.series.push_back(histogram);
  // The implied density of y - x, averaged over (up to) 400 of the data's x.
  std::vector<double> xs;
  const size_t stride = std::max<size_t>(1, pairs.size() / 400);
  for (size_t k = 0; k < pairs.size(); k += stride) xs.push_back(pairs[k].x);
  std::vector<double> grid;
  for (int i = 0; i <= 200; ++i) grid.push_back(-1 + i / 100.0);
  for (size_t m = 0; m < models.size(); ++m) {
    std::vector<double> y;
    for (double d : grid) {
      double sum = 0;
      for (double x : xs) sum += models[m]->Pdf(x, x + d);
      y.push_back(sum / xs.size());
    }
    plot.series.push_back(Line(names[m], grid, y, true, kPalette[m]));
  }
  return RenderSvg(plot);
}

std::string AutocorrelationSvg(const BenchmarkLandscape& b) {
  LinePlot plot;
  plot.title = absl::StrCat(b.name(), ": random-walk autocorrelation");
  plot.x.label = "lag k (steps)";
  plot.y.label = "r(k)";
  plot.width = 860;
  std::vector<double> lag, exact, walk;
  for (const LagCorrelation& l : b.autocorrelation()) {
    lag.push_back(l.lag());
    exact.push_back(l.exact().value());
    walk.push_back(l.walk());
  }
  if (b.mode() == "exact") {
    PlotSeries s = Line("exact", lag, exact, false, kPalette[0]);
    s.markers = true;
    plot.series.push_back(s);
  }
  PlotSeries w = Line("simulated", lag, walk, true, kPalette[1]);
  w.markers = true;
  plot.series.push_back(w);
  return RenderSvg(plot);
}

std::string PreimageSvg(const BenchmarkLandscape& b) {
  LinePlot plot;
  plot.title = absl::StrCat(b.name(), ": basin size of local minima against loss");
  plot.x.label = "normalised loss x of the local minimum";
  plot.y.label = "basin size |LS^-*| (mean per bin)";
  plot.y.log_scale = true;
  plot.width = 860;
  std::vector<double> x, data;
  for (const PreimagePoint& p : b.preimage()) {
    x.push_back(p.x());
    data.push_back(p.minima() > 0 ? p.mean_basin() : kNan);
  }
  PlotSeries d = Line("data", x, data, false, "#000000");
  d.markers = true;
  plot.series.push_back(d);
  for (int m = 0; m < b.theory_size(); ++m) {
    std::vector<double> t;
    for (const PreimagePoint& p : b.preimage()) t.push_back(p.theory(m));
    plot.series.push_back(Line(
        absl::StrCat("lemma: ", ShortModel(b.theory(m).name())), x, t, true,
        kPalette[m]));
  }
  return RenderSvg(plot);
}

std::string SearchComparisonSvg(const LandscapeReport& report) {
  LinePlot plot;
  std::string first;
  std::vector<std::string> others;
  for (const BenchmarkLandscape& b : report.benchmark()) {
    plot.x.categories.push_back(b.name());
    if (b.search_size() >= 2 && first.empty()) {
      first = b.search(0).label();
      for (int a = 1; a < b.search_size(); ++a) others.push_back(b.search(a).label());
    }
  }
  plot.title = absl::StrCat("Advantage of ", first, " (loss difference / loss sd)");
  plot.x.label = "benchmark";
  plot.y.label = absl::StrCat("(loss of other - loss of ", first, ") / sd");
  plot.width = 860;
  for (size_t o = 0; o < others.size(); ++o) {
    PlotSeries s;
    s.label = absl::StrCat("vs ", others[o]);
    s.color = kPalette[o % std::size(kPalette)];
    s.markers = true;
    for (int i = 0; i < report.benchmark_size(); ++i) {
      const BenchmarkLandscape& b = report.benchmark(i);
      s.x.push_back(i);
      const AlgorithmSummary* found = nullptr;
      for (const AlgorithmSummary& a : b.search()) {
        if (a.label() == others[o]) found = &a;
      }
      if (found == nullptr || !found->has_first_algorithm_advantage()) {
        s.y.push_back(kNan);
        s.band_low.push_back(kNan);
        s.band_high.push_back(kNan);
        continue;
      }
      const Estimate& e = found->first_algorithm_advantage();
      s.y.push_back(e.value());
      s.band_low.push_back(e.has_ci_low() ? e.ci_low() : e.value());
      s.band_high.push_back(e.has_ci_high() ? e.ci_high() : e.value());
    }
    plot.series.push_back(std::move(s));
  }
  PlotSeries zero = Line("no advantage", {-0.5, report.benchmark_size() - 0.5},
                         {0, 0}, true, "#777777");
  plot.series.push_back(zero);
  return RenderSvg(plot);
}

}  // namespace nas
