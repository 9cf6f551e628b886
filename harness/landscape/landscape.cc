#include "harness/landscape/landscape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "harness/landscape/densities.h"
#include "harness/landscape/exact.h"
#include "harness/landscape/graph.h"
#include "harness/landscape/report.h"
#include "harness/landscape/sampling.h"
#include "harness/landscape/theory.h"
#include "harness/output.h"
#include "harness/runner.h"
#include "harness/stats/stats.h"

namespace nas {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

// How losses are normalised, and the densities the study used, if any.
struct Setting {
  bool fixed_window = false;
  double low = 0, high = 1;
  std::string source;
  std::string reference_name;  // Empty: no reference densities.
  std::unique_ptr<Density> reference_pdf_n;
  std::unique_ptr<NeighbourDensity> reference_pdf_e;
};

// The objective's declared reference (window and densities), if any.
Setting ReferenceSetting(const Objective& objective) {
  Setting setting;
  const std::optional<LandscapeReference> reference =
      objective.landscape_reference();
  if (!reference) {
    setting.source = "min-max of the data";
    return setting;
  }
  setting.fixed_window = true;
  setting.low = reference->low;
  setting.high = reference->high;
  setting.source = reference->source;
  setting.reference_name = reference->name;
  switch (reference->densities) {
    case LandscapeReference::Densities::kNone:
      setting.reference_name.clear();
      break;
    case LandscapeReference::Densities::kUniform:
      setting.reference_pdf_n = std::make_unique<UniformDensity>();
      setting.reference_pdf_e = std::make_unique<UniformNeighbourDensity>();
      break;
    case LandscapeReference::Densities::kTruncatedNormal:
      setting.reference_pdf_n = std::make_unique<TruncatedNormalDensity>(
          reference->pdf_n_mean, reference->pdf_n_sd);
      setting.reference_pdf_e =
          std::make_unique<TruncatedNormalNeighbourDensity>(
              reference->neighbour_sd);
      break;
  }
  return setting;
}

// ---------------------------------------------------------------------------
// Small helpers.

Estimate Single(double value) {
  Estimate e;
  e.set_value(value);
  e.set_samples(1);
  return e;
}

Estimate FromSamples(const std::vector<double>& values) {
  if (values.size() == 1) return Single(values[0]);
  const SampleSummary s = Summarize(values);
  Estimate e;
  e.set_value(s.mean);
  e.set_ci_low(s.ci95_low);
  e.set_ci_high(s.ci95_high);
  e.set_sd(s.std_dev);
  e.set_samples(s.n);
  return e;
}

// A proportion from `count` of `n` trials with its normal-approximation 95%
// interval (Wilson's when the count is small).
Estimate Proportion(int64_t count, int64_t n, double scale = 1) {
  Estimate e;
  if (n == 0) {
    e.set_value(kNan);
    return e;
  }
  const double z = 1.959964;
  const double p = static_cast<double>(count) / n;
  const double denom = 1 + z * z / n;
  const double centre = (p + z * z / (2.0 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
  e.set_value(p * scale);
  e.set_ci_low(count == 0 ? 0 : std::max(0.0, centre - half) * scale);
  e.set_ci_high(std::min(1.0, centre + half) * scale);
  e.set_samples(static_cast<int32_t>(std::min<int64_t>(n, INT32_MAX)));
  return e;
}

Estimate MeanOf(const std::vector<double>& values) {
  Estimate e;
  if (values.empty()) {
    e.set_value(kNan);
    return e;
  }
  if (values.size() == 1) return Single(values[0]);
  const SampleSummary s = Summarize(values);
  e.set_value(s.mean);
  e.set_ci_low(s.ci95_low);
  e.set_ci_high(s.ci95_high);
  e.set_sd(s.std_dev);
  e.set_samples(s.n);
  return e;
}

double CorrelationLength(double r1) {
  return r1 > 0 && r1 < 1 ? -1 / std::log(r1) : kNan;
}

std::vector<double> EpsilonGrid() {
  std::vector<double> grid;
  for (int k = 0; k <= 54; ++k) grid.push_back(std::pow(10.0, -3 + 0.05 * k));
  return grid;
}

double Sd(absl::Span<const double> v) {
  if (v.size() < 2) return kNan;
  return SampleStdDev(v);
}

// The theory models of one benchmark, built once.
struct Model {
  std::string name;
  const Density* pdf_n;
  const NeighbourDensity* pdf_e;
  std::unique_ptr<PreimageModel> preimage;
};

// Shared between benchmarks with the same space configuration.
struct GraphCache {
  std::map<std::string, std::shared_ptr<const NeighbourGraph>> graphs;
};

std::string SpaceKey(const BenchmarkSpec& spec) {
  return absl::StrCat(spec.space().name(), "\n",
                      spec.space().params().SerializeAsString());
}

void Log(const LandscapeOptions& options, const std::string& message) {
  static const absl::Time start = absl::Now();
  if (options.print) {
    std::fprintf(stderr, "landscape: [%6.1fs] %s\n",
                 absl::ToDoubleSeconds(absl::Now() - start), message.c_str());
  }
}

// Everything computed for one benchmark, before it becomes proto and SVG.
struct Analysed {
  BenchmarkLandscape proto;
  std::vector<std::pair<std::string, std::string>> figures;
  // For the cross-benchmark figures.
  std::vector<double> dense_eps, dense_exact, dense_theory;
  std::string theory_label;
};

}  // namespace

// ---------------------------------------------------------------------------

namespace {

absl::StatusOr<Analysed> AnalyzeBenchmark(const LoadedExperiment& experiment,
                                          int b, const LandscapeOptions& options,
                                          int threads, GraphCache* cache) {
  const LoadedBenchmark& bench = experiment.benchmarks[b];
  const BenchmarkSpec& spec = experiment.config.benchmark(b);
  const SearchSpace& space = *bench.space;
  const Objective& objective = *bench.objective;
  Analysed out;
  BenchmarkLandscape& p = out.proto;
  p.set_name(bench.name);
  p.set_space(spec.space().name());
  p.set_objective(spec.objective().name());
  p.set_num_architectures(static_cast<double>(space.Size()));

  const Setting setting = ReferenceSetting(objective);

  // Replicates: the configured objective, then the landscapes it declares
  // as its replicates (synthetic objectives: seed + 1, ...).
  std::vector<std::shared_ptr<const Objective>> replicate_objectives = {
      bench.objective};
  if (std::shared_ptr<const Objective> second = objective.Replicate(1)) {
    const int replicates = options.replicates > 0
                               ? options.replicates
                               : experiment.config.num_seeds();
    if (replicates > 1) replicate_objectives.push_back(std::move(second));
    for (int r = 2; r < replicates; ++r) {
      std::shared_ptr<const Objective> other = objective.Replicate(r);
      if (other == nullptr) {
        return absl::InternalError(absl::StrCat(
            "objective '", spec.objective().name(), "' gave replicate 1 but "
            "not replicate ", r));
      }
      replicate_objectives.push_back(std::move(other));
    }
  }
  const int replicates = static_cast<int>(replicate_objectives.size());
  p.set_replicates(replicates);
  std::vector<const Objective*> replicate_pointers;
  for (const auto& o : replicate_objectives) replicate_pointers.push_back(o.get());

  const absl::Status enumerable = CheckEnumerable(space);
  const bool exact = enumerable.ok();
  p.set_mode(exact ? "exact" : "sampled");
  if (!exact) p.set_why_sampled(std::string(enumerable.message()));

  // ---- Exact enumeration.
  std::shared_ptr<const NeighbourGraph> graph;
  std::vector<double> loss;
  ExactAnalysis analysis;
  std::vector<double> exact_r;
  FitnessDistance fdc;
  if (exact) {
    const std::string key = SpaceKey(spec);
    if (cache->graphs.count(key) == 0) {
      Log(options, absl::StrCat(bench.name, ": enumerating space '",
                                space.name(), "'"));
      auto built = BuildNeighbourGraph(space, threads);
      if (!built.ok()) return built.status();
      cache->graphs[key] = std::make_shared<const NeighbourGraph>(*std::move(built));
    }
    graph = cache->graphs[key];
    loss = EvaluateAll(objective, *graph, threads);
    for (int64_t v = 0; v < graph->size(); ++v) {
      if (!std::isfinite(loss[v])) {
        return absl::InvalidArgumentError(absl::StrCat(
            "benchmark '", bench.name, "': the objective's validation error of ",
            space.ToString(graph->architectures[v]), " is ", loss[v],
            "; the landscape needs finite losses"));
      }
    }
    analysis = AnalyzeExact(*graph, loss);
    fdc = ComputeFitnessDistance(*graph, loss, analysis.global_minimum());
    exact_r = ExactWalkAutocorrelation(*graph, loss, options.max_lag, threads);
    p.set_mean_degree(graph->MeanDegree());
    p.set_min_degree(graph->MinDegree());
    p.set_max_degree(graph->MaxDegree());
    p.set_symmetric(graph->IsSymmetric());
    p.set_numbering(graph->numbering);
    p.set_tied_moves(analysis.tied_moves);
    p.set_fitness_distance_correlation(fdc.correlation);
    p.set_loss_sd(Sd(loss));
  }

  // ---- Simulation (also the only data on sampled benchmarks).
  SamplingOptions sampling;
  sampling.climbs = options.climbs;
  sampling.walks = options.walks;
  sampling.max_lag = options.max_lag;
  sampling.seed = HashCombine(experiment.config.seed(), StableHash(bench.name));
  sampling.threads = threads;
  if (exact) sampling.population = &graph->architectures;
  sampling.objectives = replicate_pointers;
  Log(options, absl::StrCat(bench.name, ": ", options.climbs,
                            " simulated climbs, ", options.walks, " walks"));
  const SampledLandscape sampled = SampleLandscape(space, objective, sampling);
  if (!exact) {
    p.set_mean_degree(sampled.mean_degree);
    p.set_loss_sd(Sd(sampled.start_losses));
  }

  // ---- Normalisation.
  double low = setting.low, high = setting.high;
  if (!setting.fixed_window) {
    const std::vector<double>& values = exact ? loss : sampled.start_losses;
    low = *std::min_element(values.begin(), values.end());
    high = *std::max_element(values.begin(), values.end());
    if (!exact) {
      for (const auto& [x, y] : sampled.neighbour_pairs) {
        low = std::min(low, y);
        high = std::max(high, y);
      }
    }
    if (!(high > low)) high = low + 1;
  }
  auto normalise = [&](double l) { return (l - low) / (high - low); };
  auto kept = [](double x) { return x >= 0 && x <= 1; };
  Normalisation* norm = p.mutable_normalisation();
  norm->set_low(low);
  norm->set_high(high);
  norm->set_source(setting.source);

  // Samples for pdf_n and pairs for pdf_e.
  std::vector<double> samples;
  std::vector<LossPair> pairs;
  std::vector<double> x;  // Normalised loss per vertex (exact mode).
  int64_t dropped = 0;
  if (exact) {
    x.resize(loss.size());
    for (size_t v = 0; v < loss.size(); ++v) {
      x[v] = normalise(loss[v]);
      if (kept(x[v])) {
        samples.push_back(x[v]);
      } else {
        ++dropped;
      }
    }
    for (int64_t v = 0; v < graph->size(); ++v) {
      if (!kept(x[v])) continue;
      for (int32_t u : graph->Neighbors(v)) {
        if (kept(x[u])) {
          pairs.push_back({static_cast<float>(x[v]), static_cast<float>(x[u])});
        }
      }
    }
  } else {
    for (double l : sampled.start_losses) {
      if (kept(normalise(l))) {
        samples.push_back(normalise(l));
      } else {
        ++dropped;
      }
    }
    for (const auto& [a, c] : sampled.neighbour_pairs) {
      if (kept(normalise(a)) && kept(normalise(c))) {
        pairs.push_back(
            {static_cast<float>(normalise(a)), static_cast<float>(normalise(c))});
      }
    }
  }
  norm->set_kept(static_cast<int64_t>(samples.size()));
  norm->set_dropped(dropped);
  if (samples.size() < 10 || pairs.size() < 10) {
    return absl::FailedPreconditionError(absl::StrCat(
        "benchmark '", bench.name, "': only ", samples.size(), " losses and ",
        pairs.size(), " neighbour pairs fall inside the normalisation window [",
        low, ", ", high, "]; too few to fit densities"));
  }

  // ---- Fits.
  Log(options, absl::StrCat(bench.name, ": fitting densities to ",
                            samples.size(), " losses and ", pairs.size(),
                            " neighbour pairs"));
  const auto kde_n = FitKernelDensity(samples);
  const auto tn_n = FitTruncatedNormal(samples);
  const auto tn_e = FitTruncatedNormalNeighbour(pairs);
  const auto kde_e = FitConditionalKernelDensity(pairs);
  auto add_fit = [&](const std::string& density, const std::string& estimator,
                     const std::string& description, double ks, int64_t n) {
    DensityFit* fit = p.add_fit();
    fit->set_density(density);
    fit->set_estimator(estimator);
    fit->set_description(description);
    fit->set_ks(ks);
    fit->set_ks_p_value(KolmogorovSmirnovPValue(ks, n));
    fit->set_samples(n);
  };
  const int64_t pit_pairs = std::min<int64_t>(pairs.size(), 1000000);
  add_fit("pdf_n", "kernel density (KDE)", kde_n->Describe(),
          KolmogorovSmirnov(samples, *kde_n), samples.size());
  add_fit("pdf_n", "truncated normal (MLE)", tn_n->Describe(),
          KolmogorovSmirnov(samples, *tn_n), samples.size());
  if (setting.reference_pdf_n) {
    add_fit("pdf_n", setting.reference_name, setting.reference_pdf_n->Describe(),
            KolmogorovSmirnov(samples, *setting.reference_pdf_n), samples.size());
  }
  add_fit("pdf_e", "truncated normal around x (MLE)", tn_e->Describe(),
          NeighbourKolmogorovSmirnov(pairs, *tn_e), pit_pairs);
  add_fit("pdf_e", "conditional KDE", kde_e->Describe(),
          NeighbourKolmogorovSmirnov(pairs, *kde_e), pit_pairs);
  if (setting.reference_pdf_e) {
    add_fit("pdf_e", setting.reference_name, setting.reference_pdf_e->Describe(),
            NeighbourKolmogorovSmirnov(pairs, *setting.reference_pdf_e),
            pit_pairs);
  }

  Log(options, absl::StrCat(bench.name, ": goodness of fit done"));
  // ---- Theory.
  const double n_theory = exact ? static_cast<double>(samples.size()) : 1.0;
  const double s_theory = p.mean_degree();
  std::vector<Model> models;
  if (setting.reference_pdf_n) {
    models.push_back({setting.reference_name, setting.reference_pdf_n.get(),
                      setting.reference_pdf_e.get(), nullptr});
  }
  // Short names: they label plot legends; the theory table spells them out.
  models.push_back({"fit KDE+TN", kde_n.get(), tn_e.get(), nullptr});
  models.push_back({"fit KDE+cKDE", kde_n.get(), kde_e.get(), nullptr});
  const double x_star = exact ? x[analysis.global_minimum()] : 0;
  std::vector<std::pair<int, double>> degrees;  // Empty for regular graphs.
  if (exact && graph->MinDegree() != graph->MaxDegree()) {
    std::map<int, int64_t> counts;
    for (int64_t v = 0; v < graph->size(); ++v) ++counts[graph->Degree(v)];
    for (const auto& [d, c] : counts) {
      degrees.emplace_back(d, static_cast<double>(c) / graph->size());
    }
  }
  const std::vector<double> dense = EpsilonGrid();
  std::vector<std::vector<double>> theory_curves, theory_curves_zero;
  Log(options, absl::StrCat(bench.name, ": evaluating the theory for ",
                            models.size(), " density pairs"));
  for (Model& m : models) {
    TheoryPrediction* t = p.add_theory();
    t->set_name(m.name);
    t->set_pdf_n(m.pdf_n->Describe());
    t->set_pdf_e(m.pdf_e->Describe());
    t->set_n(n_theory);
    t->set_s(s_theory);
    TheoryModel model{n_theory, s_theory, m.pdf_n, m.pdf_e, degrees};
    t->set_expected_local_minima(ExpectedLocalMinima(model));
    if (exact) {
      m.preimage = std::make_unique<PreimageModel>(
          PreimageModel::Compute(s_theory, *m.pdf_e));
      t->set_preimage_levels(m.preimage->num_levels());
      t->set_converged(m.preimage->converged());
      t->set_basin_at_optimum(m.preimage->Total(std::max(0.0, x_star)));
      const EpsilonPrediction at_optimum =
          PredictEpsilonCurve(model, *m.preimage, dense, std::max(0.0, x_star));
      const EpsilonPrediction from_zero =
          PredictEpsilonCurve(model, *m.preimage, dense, 0);
      t->set_basin_mass(at_optimum.basin_mass);
      theory_curves.push_back(at_optimum.probability);
      theory_curves_zero.push_back(from_zero.probability);
    }
  }
  auto theory_values = [&](auto f) {
    std::vector<double> v;
    for (size_t i = 0; i < models.size(); ++i) v.push_back(f(i));
    return v;
  };
  auto add_quantity = [&](const std::string& name, const Estimate* exact_value,
                          const Estimate* simulated,
                          const std::vector<double>& theory) {
    Quantity* q = p.add_quantity();
    q->set_name(name);
    if (exact_value) *q->mutable_exact() = *exact_value;
    if (simulated) *q->mutable_simulated() = *simulated;
    for (double t : theory) q->add_theory(t);
  };
  const std::vector<double> no_theory(models.size(), kNan);

  Log(options, absl::StrCat(bench.name, ": theory done"));
  // ---- Simulated statistics.
  const int64_t climbs = static_cast<int64_t>(sampled.climbs.size());
  int64_t climbs_at_minimum = 0;
  std::vector<double> climb_steps, climb_evaluations, end_losses, start_losses;
  for (const Climb& c : sampled.climbs) {
    climbs_at_minimum += c.steps == 0;
    climb_steps.push_back(c.steps);
    climb_evaluations.push_back(static_cast<double>(c.evaluations));
    end_losses.push_back(c.end_loss);
    start_losses.push_back(c.start_loss);
  }
  const double walk_r1 =
      sampled.walk_autocorrelation.empty() ? kNan : sampled.walk_autocorrelation[0];

  if (exact) {
    // ---- Exact statistics of every replicate (the normalisation is the
    // configured objective's).
    const int64_t n = graph->size();
    std::vector<double> r_minima, r_global_basin, r_global_fraction, r_steps,
        r_r1, r_fdc;
    std::vector<std::vector<double>> r_eps(dense.size());
    std::vector<Architecture> r_global_arch;
    std::vector<double> r_x_star;
    std::vector<std::pair<double, double>> minima_basins;  // (x, basin), pooled.
    auto record = [&](const ExactAnalysis& a, const std::vector<double>& xs,
                      double r1, double fd) {
      r_minima.push_back(static_cast<double>(a.minima.size()));
      r_global_basin.push_back(static_cast<double>(a.tree_size[a.global_minimum()]));
      r_global_fraction.push_back(
          static_cast<double>(a.tree_size[a.global_minimum()]) / n);
      double steps = 0;
      for (int32_t s : a.steps) steps += s;
      r_steps.push_back(steps / n);
      r_r1.push_back(r1);
      r_fdc.push_back(fd);
      const std::vector<double> curve = EpsilonCurve(a, xs, dense);
      for (size_t i = 0; i < dense.size(); ++i) r_eps[i].push_back(curve[i]);
      r_global_arch.push_back(graph->architectures[a.global_minimum()]);
      r_x_star.push_back(xs[a.global_minimum()]);
      for (int32_t m : a.minima) {
        minima_basins.emplace_back(xs[m], static_cast<double>(a.tree_size[m]));
      }
    };
    record(analysis, x, exact_r.empty() ? kNan : exact_r[0], fdc.correlation);
    if (replicates > 1) {
      Log(options, absl::StrCat(bench.name, ": ", replicates - 1,
                                " more objective seeds"));
    }
    for (int r = 1; r < replicates; ++r) {
      const std::vector<double> l =
          EvaluateAll(*replicate_objectives[r], *graph, threads);
      const ExactAnalysis a = AnalyzeExact(*graph, l);
      std::vector<double> xs(l.size());
      for (size_t v = 0; v < l.size(); ++v) xs[v] = normalise(l[v]);
      const std::vector<double> r1 = ExactWalkAutocorrelation(*graph, l, 1, threads);
      record(a, xs, r1[0],
             ComputeFitnessDistance(*graph, l, a.global_minimum()).correlation);
    }

    // ---- Quantities, side by side.
    // Climb i ran on replicate i mod replicates.
    int64_t climbs_at_global = 0;
    for (int64_t i = 0; i < climbs; ++i) {
      climbs_at_global += sampled.climbs[i].end == r_global_arch[i % replicates];
    }
    const Estimate e_minima = FromSamples(r_minima);
    const Estimate s_minima = Proportion(climbs_at_minimum, climbs, n);
    add_quantity("local minima", &e_minima, &s_minima, theory_values([&](size_t i) {
                   return p.theory(i).expected_local_minima();
                 }));
    const Estimate e_basin = FromSamples(r_global_basin);
    const Estimate s_basin = Proportion(climbs_at_global, climbs, n);
    add_quantity("basin of the global minimum", &e_basin, &s_basin,
                 theory_values([&](size_t i) { return p.theory(i).basin_at_optimum(); }));
    const Estimate e_fraction = FromSamples(r_global_fraction);
    const Estimate s_fraction = Proportion(climbs_at_global, climbs);
    add_quantity("P(LS* = global minimum)", &e_fraction, &s_fraction, no_theory);
    const Estimate e_steps = FromSamples(r_steps);
    const Estimate s_steps = MeanOf(climb_steps);
    add_quantity("moves to a local minimum (mean)", &e_steps, &s_steps, no_theory);
    const Estimate s_evals = MeanOf(climb_evaluations);
    add_quantity("evaluations per climb (mean)", nullptr, &s_evals, no_theory);
    const Estimate e_r1 = FromSamples(r_r1);
    const Estimate s_r1 = Single(walk_r1);
    add_quantity("lag-1 walk autocorrelation", &e_r1, &s_r1, no_theory);
    const Estimate e_len = Single(CorrelationLength(e_r1.value()));
    const Estimate s_len = Single(CorrelationLength(walk_r1));
    add_quantity("correlation length -1/ln r(1)", &e_len, &s_len, no_theory);
    const Estimate e_fdc = FromSamples(r_fdc);
    add_quantity("fitness-distance correlation", &e_fdc, nullptr, no_theory);

    // ---- Epsilon curve (dense grid; the report shows every tenth point).
    for (size_t i = 0; i < dense.size(); ++i) {
      EpsilonPoint* point = p.add_epsilon_curve();
      point->set_epsilon(dense[i]);
      *point->mutable_exact() = FromSamples(r_eps[i]);
      int64_t within = 0;
      for (int64_t c = 0; c < climbs; ++c) {
        within += normalise(sampled.climbs[c].end_loss) - r_x_star[c % replicates] <=
                  dense[i];
      }
      *point->mutable_simulated() = Proportion(within, climbs);
      for (size_t m = 0; m < models.size(); ++m) {
        point->add_theory(theory_curves_zero[m][i]);
        point->add_theory_at_optimum(theory_curves[m][i]);
      }
    }
    out.dense_eps = dense;
    for (const EpsilonPoint& point : p.epsilon_curve()) {
      out.dense_exact.push_back(point.exact().value());
    }
    // The model compared across benchmarks: the data-driven one that fits
    // best (KDE + conditional KDE), in the published form.
    const size_t compared = models.size() - 1;
    out.dense_theory = theory_curves_zero[compared];
    out.theory_label = models[compared].name;

    // ---- Best local minima and their trees.
    const int shown = std::min<int>(10, analysis.minima.size());
    std::vector<LsTree> trees;
    for (int i = 0; i < shown; ++i) {
      const int32_t m = analysis.minima[i];
      const LsTree tree = ExtractLsTree(analysis, m, options.max_tree_nodes);
      LocalMinimumInfo* info = p.add_best_minima();
      info->set_rank(i + 1);
      info->set_architecture(space.ToString(graph->architectures[m]));
      info->set_loss(loss[m]);
      info->set_normalised_loss(x[m]);
      info->set_basin_size(analysis.tree_size[m]);
      info->set_basin_depth(static_cast<int32_t>(tree.level_sizes.size()) - 1);
      info->set_preimage(analysis.preimage[m]);
      if (i < options.trees) trees.push_back(tree);
    }
    out.figures.emplace_back(absl::StrCat("ls_trees_", bench.name, ".svg"),
                             LsTreesSvg(p, trees, loss, objective.error_unit()));

    // ---- Basins against loss (pooled over replicates), and the lemma.
    constexpr int kBins = 25;
    double top = 1e-3;
    for (const auto& [xm, unused] : minima_basins) {
      if (kept(xm)) top = std::max(top, xm);
    }
    std::vector<double> basin_sum(kBins, 0);
    std::vector<int64_t> minima_count(kBins, 0);
    for (const auto& [xm, basin] : minima_basins) {
      if (!kept(xm)) continue;
      const int bin = std::min(kBins - 1, static_cast<int>(xm / top * kBins));
      basin_sum[bin] += basin;
      ++minima_count[bin];
    }
    for (int bin = 0; bin < kBins; ++bin) {
      PreimagePoint* point = p.add_preimage();
      const double centre = (bin + 0.5) * top / kBins;
      point->set_x(centre);
      point->set_minima(minima_count[bin]);
      point->set_mean_basin(minima_count[bin] ? basin_sum[bin] / minima_count[bin]
                                              : kNan);
      for (const Model& m : models) point->add_theory(m.preimage->Total(centre));
    }
  } else {
    // ---- Sampled quantities: per-architecture probabilities.
    const Estimate s_fraction = Proportion(climbs_at_minimum, climbs);
    add_quantity("P(architecture is a local minimum)", nullptr, &s_fraction,
                 theory_values([&](size_t i) {
                   return p.theory(i).expected_local_minima();
                 }));
    const Estimate s_steps = MeanOf(climb_steps);
    add_quantity("moves to a local minimum (mean)", nullptr, &s_steps, no_theory);
    const Estimate s_evals = MeanOf(climb_evaluations);
    add_quantity("evaluations per climb (mean)", nullptr, &s_evals, no_theory);
    const Estimate s_start = MeanOf(start_losses);
    add_quantity("loss of a random architecture (mean)", nullptr, &s_start,
                 no_theory);
    const Estimate s_end = MeanOf(end_losses);
    add_quantity("loss of LS* from a random start (mean)", nullptr, &s_end,
                 no_theory);
    const Estimate s_r1 = Single(walk_r1);
    add_quantity("lag-1 walk autocorrelation", nullptr, &s_r1, no_theory);
    const Estimate s_len = Single(CorrelationLength(walk_r1));
    add_quantity("correlation length -1/ln r(1)", nullptr, &s_len, no_theory);
  }

  // ---- Autocorrelation by lag.
  for (int k = 1; k <= options.max_lag; ++k) {
    LagCorrelation* lag = p.add_autocorrelation();
    lag->set_lag(k);
    if (exact) *lag->mutable_exact() = Single(exact_r[k - 1]);
    lag->set_walk(k - 1 < static_cast<int>(sampled.walk_autocorrelation.size())
                      ? sampled.walk_autocorrelation[k - 1]
                      : kNan);
  }

  // ---- Figures from the data.
  std::vector<const Density*> pdf_n_models = {kde_n.get(), tn_n.get()};
  std::vector<std::string> pdf_n_names = {"KDE", "TN (MLE)"};
  if (setting.reference_pdf_n) {
    pdf_n_models.push_back(setting.reference_pdf_n.get());
    pdf_n_names.push_back(setting.reference_name);
  }
  out.figures.emplace_back(
      absl::StrCat("densities_", bench.name, ".svg"),
      DensitiesSvg(bench.name, samples, pdf_n_models, pdf_n_names));
  std::vector<const NeighbourDensity*> pdf_e_models = {tn_e.get(), kde_e.get()};
  std::vector<std::string> pdf_e_names = {"TN (MLE)", "cKDE"};
  if (setting.reference_pdf_e) {
    pdf_e_models.push_back(setting.reference_pdf_e.get());
    pdf_e_names.push_back(setting.reference_name);
  }
  out.figures.emplace_back(
      absl::StrCat("neighbour_densities_", bench.name, ".svg"),
      NeighbourDensitiesSvg(bench.name, pairs, pdf_e_models, pdf_e_names));
  out.figures.emplace_back(absl::StrCat("autocorrelation_", bench.name, ".svg"),
                           AutocorrelationSvg(p));
  if (exact) {
    out.figures.emplace_back(absl::StrCat("epsilon_curve_", bench.name, ".svg"),
                             EpsilonCurveSvg(p));
    out.figures.emplace_back(absl::StrCat("preimage_", bench.name, ".svg"),
                             PreimageSvg(p));
  }
  for (const auto& [name, unused] : out.figures) p.add_figure(name);
  return out;
}

// Runs the config's algorithms on benchmark b (same cells and seeds as
// `nas run`) and summarises them.
void SearchComparison(const LoadedExperiment& experiment, int b, int threads,
                      BenchmarkLandscape* p, double global_minimum_loss) {
  if (experiment.algorithms.empty()) return;
  std::vector<CellId> cells;
  for (int a = 0; a < static_cast<int>(experiment.algorithms.size()); ++a) {
    for (int s = 0; s < experiment.config.num_seeds(); ++s) {
      cells.push_back({b, a, s});
    }
  }
  RunOptions run_options;
  run_options.threads = threads;
  const std::vector<CellResult> results = RunCells(experiment, cells, run_options);
  const int64_t budget = experiment.config.budget().has_queries()
                             ? experiment.config.budget().queries()
                             : std::numeric_limits<int64_t>::max();
  const int seeds = experiment.config.num_seeds();
  std::vector<std::vector<double>> final_loss(experiment.algorithms.size(),
                                              std::vector<double>(seeds, kNan));
  std::vector<std::vector<double>> final_valid = final_loss;
  std::vector<int64_t> queries(experiment.algorithms.size(), 0);
  std::vector<int> failed(experiment.algorithms.size(), 0);
  for (const CellResult& r : results) {
    if (!r.status.ok()) {
      ++failed[r.id.algorithm];
      continue;
    }
    final_loss[r.id.algorithm][r.id.seed] = r.TestErrorAt(budget);
    final_valid[r.id.algorithm][r.id.seed] = r.ValidErrorAt(budget);
    queries[r.id.algorithm] =
        std::max<int64_t>(queries[r.id.algorithm], r.records.size());
  }
  const double sd = p->loss_sd();
  for (size_t a = 0; a < experiment.algorithms.size(); ++a) {
    AlgorithmSummary* s = p->add_search();
    s->set_label(experiment.algorithms[a].label);
    s->set_queries(queries[a]);
    s->set_seeds(seeds);
    s->set_failed_seeds(failed[a]);
    std::vector<double> values, advantage;
    int at_global = 0, valid_count = 0;
    for (int k = 0; k < seeds; ++k) {
      if (std::isnan(final_loss[a][k])) continue;
      values.push_back(final_loss[a][k]);
      ++valid_count;
      at_global += final_valid[a][k] == global_minimum_loss;
      if (!std::isnan(final_loss[0][k])) {
        advantage.push_back((final_loss[a][k] - final_loss[0][k]) / sd);
      }
    }
    *s->mutable_final_loss() = MeanOf(values);
    s->set_fraction_at_global_minimum(
        std::isnan(global_minimum_loss) || valid_count == 0
            ? kNan
            : static_cast<double>(at_global) / valid_count);
    if (a > 0) *s->mutable_first_algorithm_advantage() = MeanOf(advantage);
  }
}

}  // namespace

absl::StatusOr<LandscapeOutput> ComputeLandscape(
    const LoadedExperiment& experiment, const LandscapeOptions& options) {
  if (options.climbs < 1 || options.walks < 2 || options.max_lag < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "landscape: climbs (", options.climbs, ") must be at least 1, walks (",
        options.walks, ") at least 2 and max_lag (", options.max_lag,
        ") at least 1"));
  }
  const int threads =
      options.threads > 0
          ? options.threads
          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  LandscapeOutput out;
  LandscapeReport& report = out.report;
  report.set_source(experiment.config_path);
  report.set_experiment_name(experiment.config.name());
  LandscapeSettings* settings = report.mutable_settings();
  settings->set_climbs(options.climbs);
  settings->set_walks(options.walks);
  settings->set_max_lag(options.max_lag);
  settings->set_seed(experiment.config.seed());
  settings->set_replicates(options.replicates > 0 ? options.replicates
                                                  : experiment.config.num_seeds());
  GraphCache cache;
  std::vector<Analysed> analysed;
  for (int b = 0; b < static_cast<int>(experiment.benchmarks.size()); ++b) {
    auto result = AnalyzeBenchmark(experiment, b, options, threads, &cache);
    if (!result.ok()) return result.status();
    if (options.run_algorithms && !experiment.algorithms.empty()) {
      Log(options, absl::StrCat(experiment.benchmarks[b].name, ": running ",
                                experiment.algorithms.size(), " algorithms x ",
                                experiment.config.num_seeds(), " seeds"));
      double global = kNan;
      if (result->proto.mode() == "exact" && result->proto.best_minima_size() > 0) {
        global = result->proto.best_minima(0).loss();
      }
      SearchComparison(experiment, b, threads, &result->proto, global);
    }
    *report.add_benchmark() = result->proto;
    for (auto& figure : result->figures) out.figures.push_back(figure);
    analysed.push_back(*std::move(result));
  }

  // Across benchmarks.
  std::vector<EpsilonSeries> series;
  for (const Analysed& a : analysed) {
    if (a.dense_eps.empty()) continue;
    series.push_back({a.proto.name(), a.dense_eps, a.dense_exact,
                      a.dense_theory, a.theory_label});
  }
  if (!series.empty()) {
    out.figures.emplace_back("epsilon_curves.svg", AllEpsilonCurvesSvg(series));
  }
  bool any_comparison = false;
  for (const BenchmarkLandscape& bl : report.benchmark()) {
    any_comparison |= bl.search_size() >= 2;
  }
  if (any_comparison) {
    out.figures.emplace_back("search_comparison.svg", SearchComparisonSvg(report));
  }
  out.markdown = LandscapeMarkdown(report);
  out.csv = LandscapeCsv(report);
  out.json = LandscapeJson(report);
  return out;
}

absl::StatusOr<LoadedExperiment> ExperimentFromNames(
    const std::string& space_name, const std::string& objective_name,
    const std::string& data_dir) {
  auto space_entry = GlobalSearchSpaceRegistry().Find(space_name);
  if (!space_entry.ok()) return space_entry.status();
  auto objective_entry = GlobalObjectiveRegistry().Find(objective_name);
  if (!objective_entry.ok()) return objective_entry.status();
  LoadedExperiment loaded;
  loaded.config_path = absl::StrCat(space_name, " ", objective_name);
  Experiment& config = loaded.config;
  config.set_name(absl::StrCat(objective_name, " on ", space_name));
  config.set_num_seeds(1);
  BenchmarkSpec* spec = config.add_benchmark();
  spec->set_name(absl::StrCat(space_name, "-", objective_name));
  spec->mutable_space()->set_name(space_name);
  spec->mutable_objective()->set_name(objective_name);
  // The same data directory rules as configs.
  LoadOptions load_options;
  load_options.data_dir = data_dir;
  std::string dir = data_dir;
  if (dir.empty()) {
    const char* env = std::getenv("NAS_DATA_DIR");
    dir = env != nullptr && *env != '\0' ? env : "../shared/data";
  }
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (!dir.empty() && dir[0] != '/' && cwd != nullptr && *cwd != '\0') {
    dir = absl::StrCat(cwd, "/", dir);
  }
  config.set_data_dir(dir);

  const google::protobuf::Message* space_prototype = (*space_entry)->params_prototype;
  std::unique_ptr<google::protobuf::Message> space_params(
      space_prototype ? space_prototype->New() : nullptr);
  auto space = (*space_entry)->factory(space_params.get());
  if (!space.ok()) return space.status();
  std::shared_ptr<const SearchSpace> shared_space = std::move(*space);
  const google::protobuf::Message* objective_prototype =
      (*objective_entry)->params_prototype;
  std::unique_ptr<google::protobuf::Message> objective_params(
      objective_prototype ? objective_prototype->New() : nullptr);
  auto objective = (*objective_entry)->factory(shared_space, objective_params.get(),
                                               {dir});
  if (!objective.ok()) {
    return absl::Status(objective.status().code(),
                        absl::StrCat("objective '", objective_name, "' on space '",
                                     space_name, "': ",
                                     objective.status().message()));
  }
  loaded.benchmarks.push_back(
      {spec->name(), shared_space, std::move(*objective)});
  return loaded;
}

absl::Status RunLandscapeCommand(const std::vector<std::string>& args,
                                 const LandscapeOptions& options) {
  if (args.empty() || args.size() > 2) {
    return absl::InvalidArgumentError(
        "landscape takes CONFIG (an experiment textproto) or SPACE OBJECTIVE "
        "(registered names), e.g. `nas landscape configs/landscape/"
        "nasbench201.textproto --output_dir out/landscape`");
  }
  if (options.output_dir.empty()) {
    return absl::InvalidArgumentError(
        "landscape needs --output_dir DIR (where the report and figures go)");
  }
  std::string output_dir = options.output_dir;
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (output_dir[0] != '/' && cwd != nullptr && *cwd != '\0') {
    output_dir = absl::StrCat(cwd, "/", output_dir);
  }
  if (PathExists(output_dir + "/landscape.md") && !options.overwrite) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", options.output_dir,
        "' already holds a landscape report (landscape.md); choose another "
        "--output_dir or pass --overwrite to replace it"));
  }
  absl::StatusOr<LoadedExperiment> experiment;
  if (args.size() == 1) {
    LoadOptions load_options;
    load_options.data_dir = options.data_dir;
    experiment = LoadExperiment(args[0], load_options);
  } else {
    experiment = ExperimentFromNames(args[0], args[1], options.data_dir);
  }
  if (!experiment.ok()) return experiment.status();
  auto output = ComputeLandscape(*experiment, options);
  if (!output.ok()) return output.status();

  if (absl::Status s = MakeDirectories(output_dir); !s.ok()) return s;
  // landscape.md last: its presence marks a complete report.
  std::vector<std::pair<std::string, std::string>> files = output->figures;
  files.push_back({"landscape.csv", output->csv});
  files.push_back({"landscape.json", output->json});
  files.push_back({"landscape.md", output->markdown});
  for (const auto& [name, contents] : files) {
    if (absl::Status s = WriteFileAtomically(absl::StrCat(output_dir, "/", name),
                                             contents);
        !s.ok()) {
      return s;
    }
  }
  if (options.print) std::printf("%s", output->markdown.c_str());
  return absl::OkStatus();
}

}  // namespace nas
