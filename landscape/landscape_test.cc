#include "landscape/landscape.h"

#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "boost/math/quadrature/gauss.hpp"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "landscape/densities.h"
#include "landscape/exact.h"
#include "landscape/graph.h"
#include "landscape/sampling.h"
#include "objectives/nasbench201/nasbench201.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

using ::testing::HasSubstr;

std::string TempDir(const std::string& name) {
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string WriteConfig(const std::string& name, const std::string& text) {
  const std::string path = TempDir(name);
  std::ofstream(path) << text;
  return path;
}

LandscapeOptions Quick() {
  LandscapeOptions options;
  options.print = false;
  options.climbs = 2000;
  options.walks = 2000;
  options.threads = 2;
  return options;
}

const Quantity& Find(const BenchmarkLandscape& b, const std::string& name) {
  for (const Quantity& q : b.quantity()) {
    if (q.name() == name) return q;
  }
  ADD_FAILURE() << "no quantity " << name;
  static const Quantity* none = new Quantity;
  return *none;
}

// The brief's check: iid uniform losses on NAS-Bench-201 (n = 15,625,
// s = 24). Over 100 objective seeds the mean number of local minima is
// n/(s+1) = 625 within sampling error, and Theorem 5.1 with uniform
// densities gives exactly 625.
TEST(LandscapeTest, IidUniformOnNasbench201HasNOverSPlusOneMinima) {
  const std::string config = WriteConfig("uniform.textproto", R"(
    name: "iid uniform"
    num_seeds: 100
    budget { queries: 100 }
    benchmark {
      name: "uniform"
      space { name: "nasbench201" }
      objective { name: "random_uniform" }
    }
    algorithm { plugin: "random_search" }
  )");
  auto experiment = LoadExperiment(config, {TestDataDir()});
  ASSERT_TRUE(experiment.ok()) << experiment.status();
  LandscapeOptions options = Quick();
  options.run_algorithms = false;
  auto out = ComputeLandscape(*experiment, options);
  ASSERT_TRUE(out.ok()) << out.status();
  const BenchmarkLandscape& b = out->report.benchmark(0);
  EXPECT_EQ(b.mode(), "exact");
  EXPECT_EQ(b.replicates(), 100);
  const Quantity& minima = Find(b, "local minima");
  EXPECT_EQ(minima.exact().samples(), 100);
  const double se = minima.exact().sd() / 10;
  EXPECT_NEAR(minima.exact().value(), 625, 4 * se);
  EXPECT_LT(minima.exact().ci_low(), 625 + 2 * se);
  EXPECT_LT(se, 3);  // The count varies by ~20 from seed to seed.
  ASSERT_EQ(b.theory(0).name(), "uniform");
  EXPECT_NEAR(b.theory(0).expected_local_minima(), 625, 1e-6);
  EXPECT_NEAR(minima.theory(0), 625, 1e-6);
  // The simulated climbs (over the same 100 landscapes) see 1 in 25 starts
  // already at a local minimum.
  EXPECT_NEAR(minima.simulated().value() / 15625, 1.0 / 25, 4 * std::sqrt(0.04 * 0.96 / 2000));
}

// Exact LS* of every one of the 15,625 cells equals where a simulated climb
// through the objective and the space's Neighbors() ends (same tie rule),
// on real data; and the minima count equals a brute-force count.
TEST(LandscapeTest, ExactAnalysisAgreesWithClimbsFromEveryCell) {
  auto space = std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
  Nasbench201ObjectiveParams params;
  params.set_dataset("cifar100");
  auto objective = *Nasbench201Objective::New(space, params, {TestDataDir()});
  const NeighbourGraph graph = *BuildNeighbourGraph(*space, 2);
  const std::vector<double> loss = EvaluateAll(*objective, graph);
  const ExactAnalysis a = AnalyzeExact(graph, loss);
  int brute_force_minima = 0;
  std::vector<Architecture> neighbors;
  for (int64_t v = 0; v < graph.size(); ++v) {
    const Climb climb = ClimbFrom(*space, *objective, graph.architectures[v], nullptr);
    ASSERT_EQ(climb.end, graph.architectures[a.ls_star[v]]) << v;
    ASSERT_EQ(climb.steps, a.steps[v]) << v;
    space->Neighbors(graph.architectures[v], &neighbors);
    bool minimum = true;
    for (const Architecture& n : neighbors) {
      minimum &= !(objective->Evaluate(n, 0, nullptr).valid_error < loss[v]);
    }
    brute_force_minima += minimum;
  }
  EXPECT_EQ(static_cast<int>(a.minima.size()), brute_force_minima);
}

// Simulated walks estimate what the exact computation gives: r(k) of
// f(X_0), f(X_k) from a uniform start.
TEST(LandscapeTest, SimulatedWalksMatchExactAutocorrelation) {
  auto space = std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
  Nasbench201ObjectiveParams params;
  params.set_dataset("cifar100");
  auto objective = *Nasbench201Objective::New(space, params, {TestDataDir()});
  const NeighbourGraph graph = *BuildNeighbourGraph(*space, 2);
  const std::vector<double> exact =
      ExactWalkAutocorrelation(graph, EvaluateAll(*objective, graph), 4);
  SamplingOptions options;
  options.climbs = 1;
  options.walks = 40000;
  options.max_lag = 4;
  options.threads = 2;
  options.population = &graph.architectures;
  const SampledLandscape sampled = SampleLandscape(*space, *objective, options);
  ASSERT_EQ(sampled.walk_autocorrelation.size(), 4u);
  for (int k = 0; k < 4; ++k) {
    // Standard error about (1 - r^2) / sqrt(40000) = 0.004 for normal data;
    // these losses are heavy-tailed (degenerate cells near 99% error).
    EXPECT_NEAR(sampled.walk_autocorrelation[k], exact[k], 0.03) << k + 1;
  }
  EXPECT_NEAR(exact[0], 0.611, 0.001);  // As documented.
}

// The three datasets' exact figures, as documented in docs/landscape.md
// (validation error of the 200-epoch table, the tie rule of exact.h).
TEST(LandscapeTest, Nasbench201ExactCountsAndBasins) {
  const std::string config = WriteConfig("nb201.textproto", R"(
    name: "nb201"
    num_seeds: 1
    budget { queries: 100 }
    benchmark { name: "c10" space { name: "nasbench201" } objective { name: "nasbench201" params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar10-valid" } } } }
    benchmark { name: "c100" space { name: "nasbench201" } objective { name: "nasbench201" params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar100" } } } }
    benchmark { name: "in16" space { name: "nasbench201" } objective { name: "nasbench201" params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "ImageNet16-120" } } } }
    algorithm { plugin: "random_search" }
  )");
  auto experiment = LoadExperiment(config, {TestDataDir()});
  ASSERT_TRUE(experiment.ok()) << experiment.status();
  LandscapeOptions options = Quick();
  options.run_algorithms = false;
  auto out = ComputeLandscape(*experiment, options);
  ASSERT_TRUE(out.ok()) << out.status();
  struct Expected {
    int minima;
    int global_basin;
    double window_low, window_high;
  };
  const Expected expected[] = {{18, 7850, 8, 20}, {27, 9661, 25, 55}, {45, 800, 53, 82}};
  for (int i = 0; i < 3; ++i) {
    const BenchmarkLandscape& b = out->report.benchmark(i);
    SCOPED_TRACE(b.name());
    EXPECT_EQ(Find(b, "local minima").exact().value(), expected[i].minima);
    EXPECT_EQ(Find(b, "basin of the global minimum").exact().value(),
              expected[i].global_basin);
    EXPECT_EQ(b.best_minima(0).basin_size(), expected[i].global_basin);
    EXPECT_EQ(b.normalisation().low(), expected[i].window_low);
    EXPECT_EQ(b.normalisation().high(), expected[i].window_high);
    // Every start point ends somewhere: the curve reaches 1.
    EXPECT_EQ(b.epsilon_curve(b.epsilon_curve_size() - 1).exact().value(), 1);
    // The study's densities are the first theory model.
    EXPECT_EQ(b.theory(0).name(), "study");
  }
  // The best cifar100 cell is the table's best validation architecture.
  EXPECT_NEAR(out->report.benchmark(1).best_minima(0).loss(), 100 - 73.493, 5e-4);
}

// Densities fitted to real data are densities: each integrates to 1.
TEST(LandscapeTest, DensitiesFittedToNasbench201IntegrateToOne) {
  auto space = std::shared_ptr<const SearchSpace>(*Nasbench201Space::New());
  Nasbench201ObjectiveParams params;
  params.set_dataset("ImageNet16-120");
  auto objective = *Nasbench201Objective::New(space, params, {TestDataDir()});
  const NeighbourGraph graph = *BuildNeighbourGraph(*space);
  const std::vector<double> loss = EvaluateAll(*objective, graph);
  std::vector<double> x(loss.size()), samples;
  for (size_t v = 0; v < loss.size(); ++v) {
    x[v] = (loss[v] - 53) / 29;
    if (x[v] >= 0 && x[v] <= 1) samples.push_back(x[v]);
  }
  std::vector<LossPair> pairs;
  for (int64_t v = 0; v < graph.size(); ++v) {
    for (int32_t u : graph.Neighbors(v)) {
      if (x[v] >= 0 && x[v] <= 1 && x[u] >= 0 && x[u] <= 1) {
        pairs.push_back({static_cast<float>(x[v]), static_cast<float>(x[u])});
      }
    }
  }
  auto integrate = [](const std::function<double(double)>& f) {
    double total = 0;
    for (int i = 0; i < 1024; ++i) {
      total += boost::math::quadrature::gauss<double, 7>::integrate(
          f, i / 1024.0, (i + 1) / 1024.0);
    }
    return total;
  };
  const auto kde = FitKernelDensity(samples);
  const auto tn = FitTruncatedNormal(samples);
  EXPECT_NEAR(integrate([&](double t) { return kde->Pdf(t); }), 1, 1e-9);
  EXPECT_NEAR(integrate([&](double t) { return tn->Pdf(t); }), 1, 1e-9);
  const auto tn_e = FitTruncatedNormalNeighbour(pairs);
  const auto kde_e = FitConditionalKernelDensity(pairs);
  for (double at : {0.0, 0.01, 0.3, 0.95}) {
    EXPECT_NEAR(integrate([&](double y) { return tn_e->Pdf(at, y); }), 1, 1e-9);
    EXPECT_NEAR(integrate([&](double y) { return kde_e->Pdf(at, y); }), 1, 1e-9);
  }
  // The conditional KDE describes the neighbours far better than a normal
  // centred at x (probability-integral-transform KS distance).
  EXPECT_LT(NeighbourKolmogorovSmirnov(pairs, *kde_e),
            NeighbourKolmogorovSmirnov(pairs, *tn_e) / 4);
}

// A space too large to enumerate: the report says why and what it does
// instead, and the per-vertex quantities still match: under iid losses an
// architecture with 120 neighbours is a local minimum with probability
// 1/121.
TEST(LandscapeTest, DartsIsSampledAndSaysWhy) {
  auto experiment = ExperimentFromNames("darts", "random_uniform", "");
  ASSERT_TRUE(experiment.ok()) << experiment.status();
  auto out = ComputeLandscape(*experiment, Quick());
  ASSERT_TRUE(out.ok()) << out.status();
  const BenchmarkLandscape& b = out->report.benchmark(0);
  EXPECT_EQ(b.mode(), "sampled");
  EXPECT_THAT(b.why_sampled(), HasSubstr("cannot be computed exactly"));
  EXPECT_THAT(out->markdown, HasSubstr("Not enumerable"));
  const Quantity& p = Find(b, "P(architecture is a local minimum)");
  EXPECT_NEAR(p.theory(0), 1.0 / 121, 1e-9);  // Uniform densities.
  EXPECT_NEAR(p.simulated().value(), 1.0 / 121,
              4 * std::sqrt(1.0 / 121 / 2000));
  for (const std::string& f : b.figure()) {
    EXPECT_THAT(f, ::testing::Not(HasSubstr("epsilon_curve")));
  }
}

TEST(LandscapeTest, CommandWritesEverythingAndKeepsAnExistingReport) {
  const std::string dir = TempDir("out_command");
  LandscapeOptions options = Quick();
  options.output_dir = dir;
  ASSERT_TRUE(RunLandscapeCommand({"nasbench201", "random_uniform"}, options).ok());
  for (const char* file :
       {"landscape.md", "landscape.csv", "landscape.json",
        "epsilon_curve_nasbench201-random_uniform.svg",
        "ls_trees_nasbench201-random_uniform.svg",
        "densities_nasbench201-random_uniform.svg",
        "neighbour_densities_nasbench201-random_uniform.svg",
        "preimage_nasbench201-random_uniform.svg", "epsilon_curves.svg"}) {
    EXPECT_TRUE(Exists(absl::StrCat(dir, "/", file))) << file;
  }
  std::ifstream md(dir + "/landscape.md");
  std::stringstream text;
  text << md.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("| local minima |"));
  const absl::Status again =
      RunLandscapeCommand({"nasbench201", "random_uniform"}, options);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.message(), HasSubstr("--overwrite"));
  options.overwrite = true;
  EXPECT_TRUE(RunLandscapeCommand({"nasbench201", "random_uniform"}, options).ok());
}

// The same input gives the same bytes, whatever the thread count.
TEST(LandscapeTest, Deterministic) {
  auto experiment = ExperimentFromNames("nasbench201", "random_uniform", "");
  ASSERT_TRUE(experiment.ok());
  LandscapeOptions one = Quick(), two = Quick();
  one.threads = 1;
  two.threads = 2;
  auto a = ComputeLandscape(*experiment, one);
  auto b = ComputeLandscape(*experiment, two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->json == b->json);
  EXPECT_TRUE(a->markdown == b->markdown);
  EXPECT_TRUE(a->figures == b->figures);
}

TEST(LandscapeTest, BadInputIsAnErrorAndWritesNothing) {
  LandscapeOptions options = Quick();
  options.output_dir = TempDir("out_bad");
  EXPECT_EQ(RunLandscapeCommand({}, options).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RunLandscapeCommand({"a", "b", "c"}, options).code(),
            absl::StatusCode::kInvalidArgument);
  const absl::Status missing = RunLandscapeCommand({"no/such.textproto"}, options);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  const absl::Status unknown =
      RunLandscapeCommand({"nasbench201", "no_such_objective"}, options);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("random_uniform"));
  const absl::Status mismatch =
      RunLandscapeCommand({"darts", "nasbench201"}, options);
  EXPECT_EQ(mismatch.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Exists(options.output_dir));
  LandscapeOptions no_dir = Quick();
  EXPECT_THAT(RunLandscapeCommand({"nasbench201", "random_uniform"}, no_dir)
                  .message(),
              HasSubstr("--output_dir"));
}

}  // namespace
}  // namespace nas
