#ifndef NASBENCH_HARNESS_CONFIG_H_
#define NASBENCH_HARNESS_CONFIG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "harness/experiment.pb.h"
#include "harness/oracle.h"
#include "harness/results.pb.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {

struct LoadedBenchmark {
  std::string name;
  std::shared_ptr<const SearchSpace> space;
  std::shared_ptr<const Objective> objective;
  // The benchmark's `proxy`, served through the oracle; null for none.
  std::shared_ptr<const ProxyScorer> proxy;
  // The `multiobjective` block resolved (metrics, reference points, exact
  // fronts) for the manifest; nullopt without one.
  std::optional<MultiObjectiveInfo> multiobjective;
};

struct LoadedAlgorithm {
  std::string label;
  std::string plugin;
  const AlgorithmRegistry::Entry* entry = nullptr;
  // The parsed parameter message (nullptr when the plugin takes none).
  std::shared_ptr<const google::protobuf::Message> params;

  // A fresh instance for one cell.
  absl::StatusOr<std::unique_ptr<Algorithm>> Make() const {
    return entry->factory(params.get());
  }
};

// A data file as the manifest records it.
struct DataFileDigest {
  std::string sha256;  // Hex.
  int64_t bytes = 0;
};

// A validated experiment with its plugins built and data loaded, ready to
// run. Nothing has been written anywhere.
struct LoadedExperiment {
  // Normalised: labels, reference and checkpoints filled in; data_dir
  // cleared (see data_dir below).
  Experiment config;
  std::string config_path;
  // Resolved root of the benchmark tables.
  std::string data_dir;
  std::vector<LoadedBenchmark> benchmarks;
  std::vector<LoadedAlgorithm> algorithms;
  // Every benchmark's Objective::data_files(), by that name, hashed while
  // loading (from the bytes the objective read, not a second read); the
  // error of a file that could not be hashed.
  std::map<std::string, absl::StatusOr<DataFileDigest>> data_file_digests;
};

// Options that override or complete the config file.
struct LoadOptions {
  // --data_dir; empty to use the config's, then $NAS_DATA_DIR, then
  // ../shared/data. Relative paths are taken from the working directory.
  std::string data_dir;
  // Threads loading the benchmarks (at least one); results do not depend
  // on it.
  int threads = 1;
};

// Parses a text-format Experiment. Errors name the file, line and column
// and say how to fix the problem: syntax, unknown or ill-typed fields,
// missing required fields, unknown plugins (listing the registered ones),
// parameters of the wrong type, duplicate names, bad seeds, budgets and
// checkpoints.
absl::StatusOr<Experiment> ParseExperiment(const std::string& text,
                                           const std::string& path);

// Positions ("path:line:column") of the parts of a parsed experiment, for
// messages about problems found after parsing (unknown plugins, bad
// parameters, data). Entries without a position hold just the path.
struct ExperimentLocations {
  std::vector<std::string> benchmark;  // Per benchmark block.
  std::vector<std::string> algorithm;  // Per algorithm block.
  std::string budget_queries;
  std::string budget_seconds;
};
absl::StatusOr<Experiment> ParseExperiment(const std::string& text,
                                           const std::string& path,
                                           ExperimentLocations* locations);

// ParseExperiment on a file, then builds every space and objective (loading
// their data) and checks every algorithm's parameters.
absl::StatusOr<LoadedExperiment> LoadExperiment(const std::string& path,
                                                const LoadOptions& options);

}  // namespace nas

#endif  // NASBENCH_HARNESS_CONFIG_H_
