// NAS-Bench-101 searched as the local-search study searched it, end to end:
// local search through the harness's oracle on raw specs, and the exact
// landscape under the pruned and the study neighbourhood, checked against a
// brute-force count.

#include "spaces/nasbench101/nasbench101_study.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/config.h"
#include "landscape/landscape.h"
#include "objectives/table/table.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench101/nasbench101_test_util.h"
#include "tests/conformance.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;
using nasbench101::Cell;
using Params = Nasbench101SpaceParams;

std::shared_ptr<const Nasbench101Space> MakeSpace(
    int max_vertices, Params::Neighborhood neighborhood) {
  return MakeNasbench101Space(max_vertices, /*max_edges=*/9, neighborhood);
}

std::string Scratch(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp && *tmp ? tmp : "/tmp", "/", name);
}

// The study's local search on the default 7-vertex space (the study's
// neighbourhood), losses iid per pruned cell (HashObjective keys them by
// the space's Hash(), the pruned cell's module hash), run as `nas run` runs
// it.
TEST(StudySearchTest, LocalSearchClimbsRawSpecsThroughTheHarness) {
  auto space = MakeSpace(7, Params::NEIGHBORHOOD_DEFAULT);
  ASSERT_EQ(space->neighborhood(), Params::STUDY);
  const HashObjective objective(space, /*valid_salt=*/11, /*test_salt=*/12);
  const cf::AlgorithmMaker local_search =
      cf::RegisteredAlgorithm("local_search");
  EXPECT_TRUE(cf::SpendsExactlyTheBudget(local_search, objective, 300, 5));
  EXPECT_TRUE(
      cf::QueriesOnlyValidArchitectures(local_search, objective, 300, 5));
  EXPECT_TRUE(cf::DeterministicForASeed(local_search, objective, 300, 5));

  const cf::RunOutcome run = cf::RunOnce(local_search, objective, 300, 5);
  ASSERT_TRUE(run.status.ok()) << run.status;
  ASSERT_EQ(run.records.size(), 300);
  auto pruned_space = MakeSpace(7, Params::PRUNED);
  absl::flat_hash_set<uint64_t> hashes;
  int dangling = 0, moves = 0, grew = 0;
  std::vector<Architecture> neighbours;
  for (size_t k = 0; k < run.records.size(); ++k) {
    const Architecture& arch = run.records[k].arch;
    // Each pruned cell is evaluated once, as the study's search did.
    EXPECT_TRUE(hashes.insert(space->Hash(arch)).second) << k;
    dangling += pruned_space->Canonicalize(arch) != arch &&
                space->PrunedCell(arch).num_vertices < 7;
    // Is it a study move from an earlier query (not a fresh sample)?
    for (size_t j = 0; j < k; ++j) {
      space->Neighbors(run.records[j].arch, &neighbours);
      if (std::find(neighbours.begin(), neighbours.end(), arch) ==
          neighbours.end()) {
        continue;
      }
      ++moves;
      grew += space->PrunedCell(arch).num_vertices >
              space->PrunedCell(run.records[j].arch).num_vertices;
      break;
    }
  }
  // The search state carries dangling vertices, most queries after the ten
  // starting samples are moves, and some moves attach a dangling vertex.
  EXPECT_GT(dangling, 0);
  EXPECT_GE(moves, 200);
  EXPECT_GT(grew, 0);
}

// A user's table (rows keyed by the canonical pruned cell, as the tfrecord
// converter writes them) serves the study's raw specs: each is evaluated
// through its pruned cell. On the 4-vertex space, 91 cells, with STUDY set.
TEST(StudySearchTest, TableRowsServeRawSpecsThroughThePrunedCell) {
  auto study = MakeSpace(4, Params::STUDY);
  auto pruned = MakeSpace(4, Params::PRUNED);
  const std::vector<Architecture> cells = nasbench101::EnumerateAll(4, 9);
  ASSERT_EQ(cells.size(), 91);
  const std::string dir = Scratch("nb101_table");
  std::filesystem::create_directories(dir);
  absl::flat_hash_map<uint64_t, double> accuracy;
  {
    std::ofstream csv(dir + "/cells.csv");
    csv << "architecture,accuracy\n";
    for (size_t i = 0; i < cells.size(); ++i) {
      accuracy[pruned->Hash(cells[i])] = 0.5 + 0.001 * i;
      csv << pruned->ToString(cells[i]) << "," << 0.5 + 0.001 * i << "\n";
    }
  }
  TableObjectiveParams params;
  params.add_table("cells.csv");
  params.set_architecture("{architecture}");
  params.mutable_valid()->set_column("accuracy");
  params.mutable_valid()->set_kind(TableMetric::ACCURACY_FRACTION);
  auto objective = TableObjective::New(study, params, {dir});
  ASSERT_TRUE(objective.ok()) << objective.status();
  Rng rng(3);
  int dangling = 0;
  for (int i = 0; i < 200; ++i) {
    const Architecture raw = study->Sample(rng);
    dangling += pruned->Canonicalize(raw) != raw;
    EXPECT_NEAR((*objective)->Evaluate(raw, 0, nullptr).valid_error,
                100 * (1 - accuracy.at(study->Hash(raw))), 1e-9);
  }
  EXPECT_GT(dangling, 0);
}

// For each benchmark of `report`, the exact number of local minima.
double LocalMinima(const BenchmarkLandscape& b) {
  for (const Quantity& q : b.quantity()) {
    if (q.name() == "local minima") return q.exact().value();
  }
  ADD_FAILURE() << "no local minima in " << b.name();
  return -1;
}

// Brute force over the 2,532 cells of the 5-vertex space: losses by module
// hash; neighbours of a cell by the space's PRUNED moves, or by the raw
// study moves of its canonical spec (nasbench101::StudyNeighbours, pruned
// and hashed here, without the space's canonical forms); a cell is a local
// minimum when no neighbour has a strictly lower loss.
struct BruteForce {
  int64_t local_minima = 0;
  int min_degree = 1 << 30, max_degree = 0;
  bool symmetric = true;
};

BruteForce Count(const Objective& objective,
                 Params::Neighborhood neighborhood) {
  auto pruned_space = MakeSpace(5, Params::PRUNED);
  const std::vector<Architecture> cells = nasbench101::EnumerateAll(5, 9);
  absl::flat_hash_map<std::string, double> loss;
  for (const Architecture& cell : cells) {
    loss[pruned_space->ModuleHash(cell)] =
        objective.Evaluate(cell, 0, nullptr).valid_error;
  }
  absl::flat_hash_map<std::string, absl::flat_hash_set<std::string>> edges;
  for (const Architecture& cell : cells) {
    const std::string self = pruned_space->ModuleHash(cell);
    absl::flat_hash_set<std::string>& out = edges[self];
    if (neighborhood == Params::PRUNED) {
      std::vector<Architecture> neighbours;
      pruned_space->Neighbors(cell, &neighbours);
      for (const Architecture& n : neighbours) {
        out.insert(pruned_space->ModuleHash(n));
      }
    } else {
      Cell raw;
      raw.num_vertices = 5;
      const Cell pruned = pruned_space->PrunedCell(cell);
      // The canonical spec: vertex i < n-1 at i, the output at 4.
      auto frame = [&](int v) { return v == pruned.num_vertices - 1 ? 4 : v; };
      for (int v = 0; v < pruned.num_vertices; ++v) {
        if (v > 0 && v < pruned.num_vertices - 1) raw.ops[v] = pruned.ops[v];
        for (int w = 0; w < pruned.num_vertices; ++w) {
          if (pruned.HasEdge(v, w)) raw.SetEdge(frame(v), frame(w), true);
        }
      }
      for (const Cell& n : nasbench101::StudyNeighbours(raw, 9)) {
        out.insert(nasbench101::ModuleHash(*nasbench101::Prune(n)));
      }
    }
    out.erase(self);
  }
  BruteForce result;
  for (const auto& [self, out] : edges) {
    bool minimum = true;
    for (const std::string& n : out) {
      minimum &= !(loss.at(n) < loss.at(self));
      result.symmetric &= edges.at(n).contains(self);
    }
    result.local_minima += minimum;
    result.min_degree = std::min<int>(result.min_degree, out.size());
    result.max_degree = std::max<int>(result.max_degree, out.size());
  }
  return result;
}

TEST(StudyLandscapeTest, ExactCountsMatchBruteForceUnderBothNeighbourhoods) {
  const std::string config = Scratch("nb101_5v.textproto");
  std::ofstream(config) << R"(
    name: "nb101 5 vertices, both neighbourhoods"
    num_seeds: 1
    budget { queries: 100 }
    benchmark {
      name: "pruned"
      space { name: "nasbench101" params { [type.googleapis.com/nas.Nasbench101SpaceParams] { max_vertices: 5 neighborhood: PRUNED } } }
      objective { name: "random_uniform" params { [type.googleapis.com/nas.RandomUniformObjectiveParams] { seed: 3 } } }
    }
    benchmark {
      name: "study"
      space { name: "nasbench101" params { [type.googleapis.com/nas.Nasbench101SpaceParams] { max_vertices: 5 neighborhood: STUDY_ON_CELLS } } }
      objective { name: "random_uniform" params { [type.googleapis.com/nas.RandomUniformObjectiveParams] { seed: 3 } } }
    }
    algorithm { plugin: "random_search" }
  )";
  auto experiment = LoadExperiment(config, {Scratch("")});
  ASSERT_TRUE(experiment.ok()) << experiment.status();
  LandscapeOptions options;
  options.print = false;
  options.climbs = 200;
  options.walks = 200;
  options.run_algorithms = false;
  auto out = ComputeLandscape(*experiment, options);
  ASSERT_TRUE(out.ok()) << out.status();
  const Params::Neighborhood kinds[] = {Params::PRUNED, Params::STUDY_ON_CELLS};
  std::vector<double> minima;
  for (int i = 0; i < 2; ++i) {
    const BenchmarkLandscape& b = out->report.benchmark(i);
    SCOPED_TRACE(b.name());
    const BruteForce expected =
        Count(*experiment->benchmarks[i].objective, kinds[i]);
    EXPECT_EQ(LocalMinima(b), expected.local_minima);
    EXPECT_EQ(b.min_degree(), expected.min_degree);
    EXPECT_EQ(b.max_degree(), expected.max_degree);
    EXPECT_EQ(b.symmetric(), expected.symmetric);
    minima.push_back(LocalMinima(b));
  }
  // From a canonical spec (no dangling vertex) the study's moves are the
  // pruned ones without the additions that point downwards in canonical
  // order: a sub-neighbourhood, so at least as many local minima.
  EXPECT_GE(minima[1], minima[0]);
}

}  // namespace
}  // namespace nas
