#include "landscape/landscape.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "harness/output.h"
#include "harness/runner.h"
#include "harness/stats/stats.h"
#include "landscape/densities.h"
#include "landscape/exact.h"
#include "landscape/graph.h"
#include "landscape/pareto_landscape.h"
#include "landscape/report.h"
#include "landscape/sampling.h"
#include "landscape/theory.h"

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

// Runs independent tasks on up to `threads` threads, each thread taking the
// next task not yet started (their costs differ widely). Each task writes
// only its own results, so they do not depend on the count.
void RunTasks(int threads, const std::vector<std::function<void()>>& tasks) {
  std::atomic<size_t> next{0};
  ParallelFor(threads, threads, [&](int64_t, int64_t) {
    for (size_t i; (i = next++) < tasks.size();) tasks[i]();
  });
}

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
  // Reversed() of each graph: every fitness-distance search uses it.
  std::map<std::string, std::shared_ptr<const NeighbourGraph>> reversed;
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

// ---------------------------------------------------------------------------
// The stages of one benchmark's analysis, in order. Each takes what the
// earlier ones produced and adds its results to the BenchmarkLandscape.

// Stage 1: the objectives analysed: the configured one, then the landscapes
// it declares as its replicates (synthetic objectives: seed + 1, ...).
absl::StatusOr<std::vector<std::shared_ptr<const Objective>>>
ReplicateObjectives(const LoadedExperiment& experiment, int b,
                    const LandscapeOptions& options) {
  const LoadedBenchmark& bench = experiment.benchmarks[b];
  const Objective& objective = *bench.objective;
  std::vector<std::shared_ptr<const Objective>> objectives = {bench.objective};
  if (std::shared_ptr<const Objective> second = objective.Replicate(1)) {
    const int replicates = options.replicates > 0
                               ? options.replicates
                               : experiment.config.num_seeds();
    if (replicates > 1) objectives.push_back(std::move(second));
    for (int r = 2; r < replicates; ++r) {
      std::shared_ptr<const Objective> other = objective.Replicate(r);
      if (other == nullptr) {
        return absl::InternalError(absl::StrCat(
            "objective '", experiment.config.benchmark(b).objective().name(),
            "' gave replicate 1 but not replicate ", r));
      }
      objectives.push_back(std::move(other));
    }
  }
  return objectives;
}

// Stage 2 (enumerable spaces): every architecture, the move graph, the
// losses, LS/LS*, local minima and basins.
struct Enumerated {
  std::shared_ptr<const NeighbourGraph> graph;
  std::shared_ptr<const NeighbourGraph> reversed;  // graph->Reversed()
  std::vector<double> loss;
  ExactAnalysis analysis;
  std::vector<double> walk_autocorrelation;  // By lag, 1..max_lag.
  FitnessDistance fdc;
};

absl::StatusOr<Enumerated> Enumerate(const LoadedBenchmark& bench,
                                     const BenchmarkSpec& spec,
                                     const LandscapeOptions& options,
                                     int threads, GraphCache* cache,
                                     BenchmarkLandscape* p) {
  const SearchSpace& space = *bench.space;
  Enumerated e;
  const std::string key = SpaceKey(spec);
  if (cache->graphs.count(key) == 0) {
    Log(options, absl::StrCat(bench.name, ": enumerating space '",
                              space.name(), "'"));
    auto built = BuildNeighbourGraph(space, threads);
    if (!built.ok()) return built.status();
    cache->graphs[key] =
        std::make_shared<const NeighbourGraph>(*std::move(built));
    cache->reversed[key] =
        std::make_shared<const NeighbourGraph>(cache->graphs[key]->Reversed());
  }
  e.graph = cache->graphs[key];
  e.reversed = cache->reversed[key];
  const NeighbourGraph& graph = *e.graph;
  e.loss = EvaluateAll(*bench.objective, graph, threads);
  for (int64_t v = 0; v < graph.size(); ++v) {
    if (!std::isfinite(e.loss[v])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "benchmark '", bench.name, "': the objective's validation error of ",
          space.ToString(graph.architectures[v]), " is ", e.loss[v],
          "; the landscape needs finite losses"));
    }
  }
  e.analysis = AnalyzeExact(graph, e.loss);
  if (absl::Status s =
          AddParetoLandscape(*bench.objective, graph, threads, space, p);
      !s.ok()) {
    return s;
  }
  e.fdc = ComputeFitnessDistance(graph, e.loss, e.analysis.global_minimum(),
                                 e.reversed.get());
  e.walk_autocorrelation =
      ExactWalkAutocorrelation(graph, e.loss, options.max_lag, threads);
  p->set_mean_degree(graph.MeanDegree());
  p->set_min_degree(graph.MinDegree());
  p->set_max_degree(graph.MaxDegree());
  p->set_symmetric(graph.IsSymmetric(e.reversed.get()));
  p->set_numbering(graph.numbering);
  p->set_tied_moves(e.analysis.tied_moves);
  p->set_fitness_distance_correlation(e.fdc.correlation);
  p->set_loss_sd(Sd(e.loss));
  return e;
}

// Stage 3: simulated climbs and walks (the only data on sampled spaces).
SampledLandscape Simulate(
    const LoadedExperiment& experiment, const LoadedBenchmark& bench,
    const LandscapeOptions& options, int threads, const Enumerated* enumerated,
    const std::vector<std::shared_ptr<const Objective>>& replicates,
    BenchmarkLandscape* p) {
  SamplingOptions sampling;
  sampling.climbs = options.climbs;
  sampling.walks = options.walks;
  sampling.max_lag = options.max_lag;
  sampling.seed = HashCombine(experiment.config.seed(), StableHash(bench.name));
  sampling.threads = threads;
  if (enumerated) sampling.population = &enumerated->graph->architectures;
  for (const auto& o : replicates) sampling.objectives.push_back(o.get());
  Log(options, absl::StrCat(bench.name, ": ", options.climbs,
                            " simulated climbs, ", options.walks, " walks"));
  SampledLandscape sampled =
      SampleLandscape(*bench.space, *bench.objective, sampling);
  if (!enumerated) {
    p->set_mean_degree(sampled.mean_degree);
    p->set_loss_sd(Sd(sampled.start_losses));
  }
  return sampled;
}

// Stage 4: losses mapped onto [0, 1] (the objective's declared window, or
// the data's range), the samples for pdf_n and the neighbour pairs for
// pdf_e.
struct Normalised {
  double low = 0, high = 1;
  std::vector<double> samples;
  std::vector<LossPair> pairs;
  std::vector<double> x;  // Normalised loss per vertex (exact mode).

  double operator()(double loss) const { return (loss - low) / (high - low); }
  static bool Kept(double x) { return x >= 0 && x <= 1; }
};

absl::StatusOr<Normalised> Normalise(const std::string& benchmark,
                                     const Setting& setting,
                                     const Enumerated* enumerated,
                                     const SampledLandscape& sampled,
                                     BenchmarkLandscape* p) {
  Normalised n;
  n.low = setting.low;
  n.high = setting.high;
  if (!setting.fixed_window) {
    const std::vector<double>& values =
        enumerated ? enumerated->loss : sampled.start_losses;
    n.low = *std::min_element(values.begin(), values.end());
    n.high = *std::max_element(values.begin(), values.end());
    if (!enumerated) {
      for (const auto& [x, y] : sampled.neighbour_pairs) {
        n.low = std::min(n.low, y);
        n.high = std::max(n.high, y);
      }
    }
    if (!(n.high > n.low)) n.high = n.low + 1;
  }
  Normalisation* norm = p->mutable_normalisation();
  norm->set_low(n.low);
  norm->set_high(n.high);
  norm->set_source(setting.source);

  int64_t dropped = 0;
  if (enumerated) {
    const std::vector<double>& loss = enumerated->loss;
    const NeighbourGraph& graph = *enumerated->graph;
    n.x.resize(loss.size());
    for (size_t v = 0; v < loss.size(); ++v) {
      n.x[v] = n(loss[v]);
      if (Normalised::Kept(n.x[v])) {
        n.samples.push_back(n.x[v]);
      } else {
        ++dropped;
      }
    }
    for (int64_t v = 0; v < graph.size(); ++v) {
      if (!Normalised::Kept(n.x[v])) continue;
      for (int32_t u : graph.Neighbors(v)) {
        if (Normalised::Kept(n.x[u])) {
          n.pairs.push_back(
              {static_cast<float>(n.x[v]), static_cast<float>(n.x[u])});
        }
      }
    }
  } else {
    for (double l : sampled.start_losses) {
      if (Normalised::Kept(n(l))) {
        n.samples.push_back(n(l));
      } else {
        ++dropped;
      }
    }
    for (const auto& [a, c] : sampled.neighbour_pairs) {
      if (Normalised::Kept(n(a)) && Normalised::Kept(n(c))) {
        n.pairs.push_back(
            {static_cast<float>(n(a)), static_cast<float>(n(c))});
      }
    }
  }
  norm->set_kept(static_cast<int64_t>(n.samples.size()));
  norm->set_dropped(dropped);
  if (n.samples.size() < 10 || n.pairs.size() < 10) {
    return absl::FailedPreconditionError(absl::StrCat(
        "benchmark '", benchmark, "': only ", n.samples.size(), " losses and ",
        n.pairs.size(),
        " neighbour pairs fall inside the normalisation window [", n.low, ", ",
        n.high, "]; too few to fit densities"));
  }
  return n;
}

// Stage 5: the densities fitted to the data, with goodness of fit.
struct Fits {
  std::unique_ptr<Density> kde_n, tn_n;
  std::unique_ptr<NeighbourDensity> tn_e, kde_e;
};

Fits FitDensities(const std::string& benchmark, const Setting& setting,
                  const Normalised& n, const LandscapeOptions& options,
                  int threads, BenchmarkLandscape* p) {
  Log(options, absl::StrCat(benchmark, ": fitting densities to ",
                            n.samples.size(), " losses and ", n.pairs.size(),
                            " neighbour pairs"));
  Fits fits;
  std::unique_ptr<TruncatedNormalNeighbourDensity> tn_e;
  std::unique_ptr<GridNeighbourDensity> kde_e;
  // Independent computations, each writing only its own result, spread
  // over the threads (the same values whatever their number).
  RunTasks(threads, {[&] { fits.kde_n = FitKernelDensity(n.samples); },
                     [&] { fits.tn_n = FitTruncatedNormal(n.samples); },
                     [&] { tn_e = FitTruncatedNormalNeighbour(n.pairs); },
                     [&] { kde_e = FitConditionalKernelDensity(n.pairs); }});
  fits.tn_e = std::move(tn_e);
  fits.kde_e = std::move(kde_e);
  const int64_t pit_pairs = std::min<int64_t>(n.pairs.size(), 1000000);
  double ks_kde_n = 0, ks_tn_n = 0, ks_ref_n = 0, ks_tn_e = 0, ks_kde_e = 0,
         ks_ref_e = 0;
  RunTasks(
      threads,
      {[&] { ks_kde_n = KolmogorovSmirnov(n.samples, *fits.kde_n); },
       [&] { ks_tn_n = KolmogorovSmirnov(n.samples, *fits.tn_n); },
       [&] {
         if (setting.reference_pdf_n) {
           ks_ref_n = KolmogorovSmirnov(n.samples, *setting.reference_pdf_n);
         }
       },
       [&] { ks_tn_e = NeighbourKolmogorovSmirnov(n.pairs, *fits.tn_e); },
       [&] { ks_kde_e = NeighbourKolmogorovSmirnov(n.pairs, *fits.kde_e); },
       [&] {
         if (setting.reference_pdf_e) {
           ks_ref_e =
               NeighbourKolmogorovSmirnov(n.pairs, *setting.reference_pdf_e);
         }
       }});
  auto add_fit = [&](const std::string& density, const std::string& estimator,
                     const std::string& description, double ks, int64_t count) {
    DensityFit* fit = p->add_fit();
    fit->set_density(density);
    fit->set_estimator(estimator);
    fit->set_description(description);
    fit->set_ks(ks);
    fit->set_ks_p_value(KolmogorovSmirnovPValue(ks, count));
    fit->set_samples(count);
  };
  add_fit("pdf_n", "kernel density (KDE)", fits.kde_n->Describe(), ks_kde_n,
          n.samples.size());
  add_fit("pdf_n", "truncated normal (MLE)", fits.tn_n->Describe(), ks_tn_n,
          n.samples.size());
  if (setting.reference_pdf_n) {
    add_fit("pdf_n", setting.reference_name,
            setting.reference_pdf_n->Describe(), ks_ref_n, n.samples.size());
  }
  add_fit("pdf_e", "truncated normal around x (MLE)", fits.tn_e->Describe(),
          ks_tn_e, pit_pairs);
  add_fit("pdf_e", "conditional KDE", fits.kde_e->Describe(), ks_kde_e,
          pit_pairs);
  if (setting.reference_pdf_e) {
    add_fit("pdf_e", setting.reference_name,
            setting.reference_pdf_e->Describe(), ks_ref_e, pit_pairs);
  }
  Log(options, absl::StrCat(benchmark, ": goodness of fit done"));
  return fits;
}

// Stage 6: the theory (Theorem 5.1 and the preimage lemma) for each pair of
// densities: the reference one if the objective declares it, then the fits.
struct Theory {
  std::vector<Model> models;
  std::vector<double> dense;  // The epsilon grid.
  // P(LS* within epsilon) per model on the grid, from the optimum's level
  // and from zero.
  std::vector<std::vector<double>> curves, curves_zero;
};

Theory EvaluateTheory(const std::string& benchmark, const Setting& setting,
                      const Fits& fits, const Normalised& n,
                      const Enumerated* enumerated,
                      const LandscapeOptions& options, int threads,
                      BenchmarkLandscape* p) {
  Theory theory;
  const double n_theory =
      enumerated ? static_cast<double>(n.samples.size()) : 1.0;
  const double s_theory = p->mean_degree();
  if (setting.reference_pdf_n) {
    theory.models.push_back({setting.reference_name,
                             setting.reference_pdf_n.get(),
                             setting.reference_pdf_e.get(), nullptr});
  }
  // Short names: they label plot legends; the theory table spells them out.
  theory.models.push_back(
      {"fit KDE+TN", fits.kde_n.get(), fits.tn_e.get(), nullptr});
  theory.models.push_back(
      {"fit KDE+cKDE", fits.kde_n.get(), fits.kde_e.get(), nullptr});
  const double x_star =
      enumerated ? n.x[enumerated->analysis.global_minimum()] : 0;
  std::vector<std::pair<int, double>> degrees;  // Empty for regular graphs.
  if (enumerated) {
    const NeighbourGraph& graph = *enumerated->graph;
    if (graph.MinDegree() != graph.MaxDegree()) {
      std::map<int, int64_t> counts;
      for (int64_t v = 0; v < graph.size(); ++v) ++counts[graph.Degree(v)];
      for (const auto& [d, c] : counts) {
        degrees.emplace_back(d, static_cast<double>(c) / graph.size());
      }
    }
  }
  theory.dense = EpsilonGrid();
  Log(options, absl::StrCat(benchmark, ": evaluating the theory for ",
                            theory.models.size(), " density pairs"));
  // The models are independent: each is evaluated into its own slot, in
  // parallel, and the report filled in model order.
  const size_t num_models = theory.models.size();
  std::vector<TheoryPrediction> predictions(num_models);
  theory.curves.resize(enumerated ? num_models : 0);
  theory.curves_zero.resize(enumerated ? num_models : 0);
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < num_models; ++i) {
    tasks.push_back([&, i] {
      Model& m = theory.models[i];
      TheoryPrediction* t = &predictions[i];
      t->set_name(m.name);
      t->set_pdf_n(m.pdf_n->Describe());
      t->set_pdf_e(m.pdf_e->Describe());
      t->set_n(n_theory);
      t->set_s(s_theory);
      TheoryModel model{n_theory, s_theory, m.pdf_n, m.pdf_e, degrees};
      t->set_expected_local_minima(ExpectedLocalMinima(model));
      if (enumerated) {
        m.preimage = std::make_unique<PreimageModel>(
            PreimageModel::Compute(s_theory, *m.pdf_e));
        t->set_preimage_levels(m.preimage->num_levels());
        t->set_converged(m.preimage->converged());
        t->set_basin_at_optimum(m.preimage->Total(std::max(0.0, x_star)));
        const EpsilonPrediction at_optimum = PredictEpsilonCurve(
            model, *m.preimage, theory.dense, std::max(0.0, x_star));
        const EpsilonPrediction from_zero =
            PredictEpsilonCurve(model, *m.preimage, theory.dense, 0);
        t->set_basin_mass(at_optimum.basin_mass);
        theory.curves[i] = at_optimum.probability;
        theory.curves_zero[i] = from_zero.probability;
      }
    });
  }
  RunTasks(threads, tasks);
  for (TheoryPrediction& t : predictions) *p->add_theory() = std::move(t);
  Log(options, absl::StrCat(benchmark, ": theory done"));
  return theory;
}

// Stage 7: the quantities side by side (exact, simulated, theory).
class QuantityTable {
 public:
  QuantityTable(BenchmarkLandscape* p) : p_(p) {}

  std::vector<double> TheoryMinima() const {
    std::vector<double> v;
    for (const TheoryPrediction& t : p_->theory()) {
      v.push_back(t.expected_local_minima());
    }
    return v;
  }
  std::vector<double> TheoryBasinAtOptimum() const {
    std::vector<double> v;
    for (const TheoryPrediction& t : p_->theory()) {
      v.push_back(t.basin_at_optimum());
    }
    return v;
  }
  std::vector<double> NoTheory() const {
    return std::vector<double>(p_->theory_size(), kNan);
  }
  void Add(const std::string& name, const Estimate* exact_value,
           const Estimate* simulated, const std::vector<double>& theory) {
    Quantity* q = p_->add_quantity();
    q->set_name(name);
    if (exact_value) *q->mutable_exact() = *exact_value;
    if (simulated) *q->mutable_simulated() = *simulated;
    for (double t : theory) q->add_theory(t);
  }

 private:
  BenchmarkLandscape* p_;
};

// What the simulated climbs and walks say, summarised.
struct ClimbSummary {
  int64_t climbs = 0;
  int64_t climbs_at_minimum = 0;  // Started at a local minimum.
  std::vector<double> steps, evaluations, end_losses, start_losses;
  double walk_r1 = kNan;
};

ClimbSummary SummariseClimbs(const SampledLandscape& sampled) {
  ClimbSummary s;
  s.climbs = static_cast<int64_t>(sampled.climbs.size());
  for (const Climb& c : sampled.climbs) {
    s.climbs_at_minimum += c.steps == 0;
    s.steps.push_back(c.steps);
    s.evaluations.push_back(static_cast<double>(c.evaluations));
    s.end_losses.push_back(c.end_loss);
    s.start_losses.push_back(c.start_loss);
  }
  if (!sampled.walk_autocorrelation.empty()) {
    s.walk_r1 = sampled.walk_autocorrelation[0];
  }
  return s;
}

// Stage 7, enumerable spaces: exact statistics of every replicate (the
// normalisation is the configured objective's), the epsilon curve, the best
// local minima with their LS-trees, and basins against loss.
void ExactStatistics(
    const LoadedBenchmark& bench, const LandscapeOptions& options, int threads,
    const std::vector<std::shared_ptr<const Objective>>& replicate_objectives,
    const Enumerated& e, const SampledLandscape& sampled,
    const Normalised& n, const Theory& theory, Analysed* out) {
  BenchmarkLandscape& p = out->proto;
  const NeighbourGraph& graph = *e.graph;
  const int replicates = static_cast<int>(replicate_objectives.size());
  const std::vector<double>& dense = theory.dense;
  const ClimbSummary climbs = SummariseClimbs(sampled);
  QuantityTable table(&p);

  const int64_t size = graph.size();
  std::vector<double> r_minima, r_global_basin, r_global_fraction, r_steps,
      r_r1, r_fdc;
  std::vector<std::vector<double>> r_eps(dense.size());
  std::vector<Architecture> r_global_arch;
  std::vector<double> r_x_star;
  std::vector<std::pair<double, double>> minima_basins;  // (x, basin), pooled.
  auto record = [&](const ExactAnalysis& a, const std::vector<double>& xs,
                    double r1, double fd) {
    r_minima.push_back(static_cast<double>(a.minima.size()));
    r_global_basin.push_back(
        static_cast<double>(a.tree_size[a.global_minimum()]));
    r_global_fraction.push_back(
        static_cast<double>(a.tree_size[a.global_minimum()]) / size);
    double steps = 0;
    for (int32_t s : a.steps) steps += s;
    r_steps.push_back(steps / size);
    r_r1.push_back(r1);
    r_fdc.push_back(fd);
    const std::vector<double> curve = EpsilonCurve(a, xs, dense);
    for (size_t i = 0; i < dense.size(); ++i) r_eps[i].push_back(curve[i]);
    r_global_arch.push_back(graph.architectures[a.global_minimum()]);
    r_x_star.push_back(xs[a.global_minimum()]);
    for (int32_t m : a.minima) {
      minima_basins.emplace_back(xs[m], static_cast<double>(a.tree_size[m]));
    }
  };
  record(e.analysis, n.x,
         e.walk_autocorrelation.empty() ? kNan : e.walk_autocorrelation[0],
         e.fdc.correlation);
  if (replicates > 1) {
    Log(options, absl::StrCat(bench.name, ": ", replicates - 1,
                              " more objective seeds"));
  }
  // Replicates are analysed in parallel, one thread each, a batch of
  // `threads` at a time, and recorded in seed order.
  struct Replicate {
    ExactAnalysis analysis;
    std::vector<double> xs;
    double r1 = 0, fdc = 0;
  };
  for (int first = 1; first < replicates; first += threads) {
    const int batch = std::min(threads, replicates - first);
    std::vector<Replicate> done(batch);
    ParallelFor(batch, threads, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const std::vector<double> l =
            EvaluateAll(*replicate_objectives[first + i], graph, 1);
        Replicate& r = done[i];
        r.analysis = AnalyzeExact(graph, l);
        r.xs.resize(l.size());
        for (size_t v = 0; v < l.size(); ++v) r.xs[v] = n(l[v]);
        r.r1 = ExactWalkAutocorrelation(graph, l, 1, 1)[0];
        r.fdc = ComputeFitnessDistance(graph, l, r.analysis.global_minimum(),
                                       e.reversed.get())
                    .correlation;
      }
    });
    for (const Replicate& r : done) record(r.analysis, r.xs, r.r1, r.fdc);
  }

  // Climb i ran on replicate i mod replicates.
  int64_t climbs_at_global = 0;
  for (int64_t i = 0; i < climbs.climbs; ++i) {
    climbs_at_global += sampled.climbs[i].end == r_global_arch[i % replicates];
  }
  const Estimate e_minima = FromSamples(r_minima);
  const Estimate s_minima =
      Proportion(climbs.climbs_at_minimum, climbs.climbs, size);
  table.Add("local minima", &e_minima, &s_minima, table.TheoryMinima());
  const Estimate e_basin = FromSamples(r_global_basin);
  const Estimate s_basin = Proportion(climbs_at_global, climbs.climbs, size);
  table.Add("basin of the global minimum", &e_basin, &s_basin,
            table.TheoryBasinAtOptimum());
  const Estimate e_fraction = FromSamples(r_global_fraction);
  const Estimate s_fraction = Proportion(climbs_at_global, climbs.climbs);
  table.Add("P(LS* = global minimum)", &e_fraction, &s_fraction,
            table.NoTheory());
  const Estimate e_steps = FromSamples(r_steps);
  const Estimate s_steps = MeanOf(climbs.steps);
  table.Add("moves to a local minimum (mean)", &e_steps, &s_steps,
            table.NoTheory());
  const Estimate s_evals = MeanOf(climbs.evaluations);
  table.Add("evaluations per climb (mean)", nullptr, &s_evals,
            table.NoTheory());
  const Estimate e_r1 = FromSamples(r_r1);
  const Estimate s_r1 = Single(climbs.walk_r1);
  table.Add("lag-1 walk autocorrelation", &e_r1, &s_r1, table.NoTheory());
  const Estimate e_len = Single(CorrelationLength(e_r1.value()));
  const Estimate s_len = Single(CorrelationLength(climbs.walk_r1));
  table.Add("correlation length -1/ln r(1)", &e_len, &s_len, table.NoTheory());
  const Estimate e_fdc = FromSamples(r_fdc);
  table.Add("fitness-distance correlation", &e_fdc, nullptr, table.NoTheory());

  // The epsilon curve (dense grid; the report shows every tenth point).
  for (size_t i = 0; i < dense.size(); ++i) {
    EpsilonPoint* point = p.add_epsilon_curve();
    point->set_epsilon(dense[i]);
    *point->mutable_exact() = FromSamples(r_eps[i]);
    int64_t within = 0;
    for (int64_t c = 0; c < climbs.climbs; ++c) {
      within += n(sampled.climbs[c].end_loss) - r_x_star[c % replicates] <=
                dense[i];
    }
    *point->mutable_simulated() = Proportion(within, climbs.climbs);
    for (size_t m = 0; m < theory.models.size(); ++m) {
      point->add_theory(theory.curves_zero[m][i]);
      point->add_theory_at_optimum(theory.curves[m][i]);
    }
  }
  out->dense_eps = dense;
  for (const EpsilonPoint& point : p.epsilon_curve()) {
    out->dense_exact.push_back(point.exact().value());
  }
  // The model compared across benchmarks: the data-driven one that fits
  // best (KDE + conditional KDE), in the published form.
  const size_t compared = theory.models.size() - 1;
  out->dense_theory = theory.curves_zero[compared];
  out->theory_label = theory.models[compared].name;

  // The best local minima and their trees.
  const int shown = std::min<int>(10, e.analysis.minima.size());
  std::vector<LsTree> trees;
  for (int i = 0; i < shown; ++i) {
    const int32_t m = e.analysis.minima[i];
    const LsTree tree = ExtractLsTree(e.analysis, m, options.max_tree_nodes);
    LocalMinimumInfo* info = p.add_best_minima();
    info->set_rank(i + 1);
    info->set_architecture(bench.space->ToString(graph.architectures[m]));
    info->set_loss(e.loss[m]);
    info->set_normalised_loss(n.x[m]);
    info->set_basin_size(e.analysis.tree_size[m]);
    info->set_basin_depth(static_cast<int32_t>(tree.level_sizes.size()) - 1);
    info->set_preimage(e.analysis.preimage[m]);
    if (i < options.trees) trees.push_back(tree);
  }
  out->figures.emplace_back(
      absl::StrCat("ls_trees_", bench.name, ".svg"),
      LsTreesSvg(p, trees, e.loss, bench.objective->error_unit()));

  // Basins against loss (pooled over replicates), and the lemma.
  constexpr int kBins = 25;
  double top = 1e-3;
  for (const auto& [xm, unused] : minima_basins) {
    if (Normalised::Kept(xm)) top = std::max(top, xm);
  }
  std::vector<double> basin_sum(kBins, 0);
  std::vector<int64_t> minima_count(kBins, 0);
  for (const auto& [xm, basin] : minima_basins) {
    if (!Normalised::Kept(xm)) continue;
    const int bin = std::min(kBins - 1, static_cast<int>(xm / top * kBins));
    basin_sum[bin] += basin;
    ++minima_count[bin];
  }
  for (int bin = 0; bin < kBins; ++bin) {
    PreimagePoint* point = p.add_preimage();
    const double centre = (bin + 0.5) * top / kBins;
    point->set_x(centre);
    point->set_minima(minima_count[bin]);
    point->set_mean_basin(
        minima_count[bin] ? basin_sum[bin] / minima_count[bin] : kNan);
    for (const Model& m : theory.models) {
      point->add_theory(m.preimage->Total(centre));
    }
  }
}

// Stage 7, sampled spaces: per-architecture probabilities from the climbs.
void SampledStatistics(const SampledLandscape& sampled,
                       BenchmarkLandscape* p) {
  const ClimbSummary climbs = SummariseClimbs(sampled);
  QuantityTable table(p);
  const Estimate s_fraction =
      Proportion(climbs.climbs_at_minimum, climbs.climbs);
  table.Add("P(architecture is a local minimum)", nullptr, &s_fraction,
            table.TheoryMinima());
  const Estimate s_steps = MeanOf(climbs.steps);
  table.Add("moves to a local minimum (mean)", nullptr, &s_steps,
            table.NoTheory());
  const Estimate s_evals = MeanOf(climbs.evaluations);
  table.Add("evaluations per climb (mean)", nullptr, &s_evals,
            table.NoTheory());
  const Estimate s_start = MeanOf(climbs.start_losses);
  table.Add("loss of a random architecture (mean)", nullptr, &s_start,
            table.NoTheory());
  const Estimate s_end = MeanOf(climbs.end_losses);
  table.Add("loss of LS* from a random start (mean)", nullptr, &s_end,
            table.NoTheory());
  const Estimate s_r1 = Single(climbs.walk_r1);
  table.Add("lag-1 walk autocorrelation", nullptr, &s_r1, table.NoTheory());
  const Estimate s_len = Single(CorrelationLength(climbs.walk_r1));
  table.Add("correlation length -1/ln r(1)", nullptr, &s_len,
            table.NoTheory());
}

// Stage 8: the autocorrelation by lag, and the figures drawn from the data.
void AutocorrelationAndFigures(const std::string& benchmark,
                               const Setting& setting, const Fits& fits,
                               const Normalised& n,
                               const Enumerated* enumerated,
                               const SampledLandscape& sampled,
                               const LandscapeOptions& options,
                               Analysed* out) {
  BenchmarkLandscape& p = out->proto;
  for (int k = 1; k <= options.max_lag; ++k) {
    LagCorrelation* lag = p.add_autocorrelation();
    lag->set_lag(k);
    if (enumerated) {
      *lag->mutable_exact() = Single(enumerated->walk_autocorrelation[k - 1]);
    }
    lag->set_walk(k - 1 < static_cast<int>(sampled.walk_autocorrelation.size())
                      ? sampled.walk_autocorrelation[k - 1]
                      : kNan);
  }

  std::vector<const Density*> pdf_n_models = {fits.kde_n.get(),
                                              fits.tn_n.get()};
  std::vector<std::string> pdf_n_names = {"KDE", "TN (MLE)"};
  if (setting.reference_pdf_n) {
    pdf_n_models.push_back(setting.reference_pdf_n.get());
    pdf_n_names.push_back(setting.reference_name);
  }
  out->figures.emplace_back(
      absl::StrCat("densities_", benchmark, ".svg"),
      DensitiesSvg(benchmark, n.samples, pdf_n_models, pdf_n_names));
  std::vector<const NeighbourDensity*> pdf_e_models = {fits.tn_e.get(),
                                                       fits.kde_e.get()};
  std::vector<std::string> pdf_e_names = {"TN (MLE)", "cKDE"};
  if (setting.reference_pdf_e) {
    pdf_e_models.push_back(setting.reference_pdf_e.get());
    pdf_e_names.push_back(setting.reference_name);
  }
  out->figures.emplace_back(
      absl::StrCat("neighbour_densities_", benchmark, ".svg"),
      NeighbourDensitiesSvg(benchmark, n.pairs, pdf_e_models, pdf_e_names));
  out->figures.emplace_back(absl::StrCat("autocorrelation_", benchmark, ".svg"),
                            AutocorrelationSvg(p));
  if (enumerated) {
    out->figures.emplace_back(absl::StrCat("epsilon_curve_", benchmark, ".svg"),
                              EpsilonCurveSvg(p));
    out->figures.emplace_back(absl::StrCat("preimage_", benchmark, ".svg"),
                              PreimageSvg(p));
  }
  for (const auto& [name, unused] : out->figures) p.add_figure(name);
}

// One benchmark: the stages above, in order.
absl::StatusOr<Analysed> AnalyzeBenchmark(const LoadedExperiment& experiment,
                                          int b, const LandscapeOptions& options,
                                          int threads, GraphCache* cache) {
  const LoadedBenchmark& bench = experiment.benchmarks[b];
  const BenchmarkSpec& spec = experiment.config.benchmark(b);
  Analysed out;
  BenchmarkLandscape& p = out.proto;
  p.set_name(bench.name);
  p.set_space(spec.space().name());
  p.set_objective(spec.objective().name());
  p.set_num_architectures(static_cast<double>(bench.space->Size()));
  const Setting setting = ReferenceSetting(*bench.objective);

  auto replicates = ReplicateObjectives(experiment, b, options);
  if (!replicates.ok()) return replicates.status();
  p.set_replicates(static_cast<int>(replicates->size()));

  const absl::Status enumerable = CheckEnumerable(*bench.space);
  p.set_mode(enumerable.ok() ? "exact" : "sampled");
  if (!enumerable.ok()) p.set_why_sampled(std::string(enumerable.message()));
  std::optional<Enumerated> enumerated;
  if (enumerable.ok()) {
    auto e = Enumerate(bench, spec, options, threads, cache, &p);
    if (!e.ok()) return e.status();
    enumerated = *std::move(e);
  }
  const Enumerated* exact = enumerated ? &*enumerated : nullptr;

  const SampledLandscape sampled =
      Simulate(experiment, bench, options, threads, exact, *replicates, &p);
  auto normalised = Normalise(bench.name, setting, exact, sampled, &p);
  if (!normalised.ok()) return normalised.status();
  const Fits fits =
      FitDensities(bench.name, setting, *normalised, options, threads, &p);
  const Theory theory = EvaluateTheory(bench.name, setting, fits, *normalised,
                                       exact, options, threads, &p);
  if (exact) {
    ExactStatistics(bench, options, threads, *replicates, *exact, sampled,
                    *normalised, theory, &out);
  } else {
    SampledStatistics(sampled, &p);
  }
  AutocorrelationAndFigures(bench.name, setting, fits, *normalised, exact,
                            sampled, options, &out);
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
        "(registered names, see `nas list`), e.g. `nas landscape "
        "configs/landscape/<config>.textproto --output_dir out/landscape`");
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
