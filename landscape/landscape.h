#ifndef NASBENCH_LANDSCAPE_LANDSCAPE_H_
#define NASBENCH_LANDSCAPE_LANDSCAPE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/config.h"
#include "landscape/landscape.pb.h"

namespace nas {

// Settings of the landscape command. The library defines no flags: the CLI
// maps its own flags onto these fields.
struct LandscapeOptions {
  // Where landscape.md/.csv/.json and the SVG figures go (created). Required
  // by RunLandscapeCommand.
  std::string output_dir;
  // Root of the benchmark tables; empty: the config's data_dir, then
  // $NAS_DATA_DIR, then ../shared/data (as `nas run`).
  std::string data_dir;
  // Replace an earlier landscape report in output_dir.
  bool overwrite = false;
  // Worker threads (0: one per core). Results do not depend on it.
  int threads = 0;
  // Objective seeds analysed exactly for objectives with a `seed` parameter
  // (the configured seed, seed + 1, ...): 0 means the config's num_seeds.
  // Objectives without a seed parameter are analysed once.
  int replicates = 0;
  // Simulated local search: climbs from uniform random starts, and random
  // walks of max_lag steps from uniform starts for the autocorrelation.
  int climbs = 10000;
  int walks = 10000;
  int max_lag = 10;
  // Run the config's algorithms (as `nas run` would, same seeds) and put
  // their results beside the landscape: the "search" section.
  bool run_algorithms = true;
  // LS-trees drawn: of the best `trees` local minima, at most
  // `max_tree_nodes` vertices each.
  int trees = 3;
  int max_tree_nodes = 300;
  // Print the Markdown report to stdout.
  bool print = true;
};

// Everything the command produces, in memory.
struct LandscapeOutput {
  LandscapeReport report;
  std::string markdown;  // landscape.md
  std::string csv;       // landscape.csv
  std::string json;      // landscape.json
  // (file name, contents) of every figure, e.g. epsilon_curve_cifar100.svg.
  std::vector<std::pair<std::string, std::string>> figures;
};

// The `landscape` subcommand:
//
//   nas landscape CONFIG --output_dir DIR
//   nas landscape SPACE OBJECTIVE --output_dir DIR
//
// CONFIG is an Experiment (harness/experiment.proto): each benchmark's
// space and objective are analysed; its algorithms, budget and num_seeds
// drive the search comparison. SPACE OBJECTIVE name registered plugins,
// built with default parameters (no search comparison).
//
// For each benchmark, on a space that can be enumerated (indexable, NAS-
// Bench-101, or small; see graph.h) it computes exactly: LS, the local
// minima, their basins, LS-trees, the epsilon-curve, walk autocorrelation
// and fitness-distance correlation; fits pdf_n and pdf_e to the data (see
// densities.h) with Kolmogorov-Smirnov distances; evaluates Theorem 5.1 and
// the preimage lemma for the study's densities (NAS-Bench-201, iid
// uniform) and for the fitted ones; and measures the same quantities by
// simulated climbs and walks. On spaces that cannot be enumerated (DARTS)
// it says so and does what is possible: the simulated statistics, fits to
// sampled losses, and the theory's per-vertex predictions.
//
// Prints the Markdown report (unless options.print is false) and writes
// DIR/landscape.md, landscape.csv, landscape.json and the figures
// (epsilon_curve_<benchmark>.svg, ls_trees_<benchmark>.svg,
// densities_<benchmark>.svg, neighbour_densities_<benchmark>.svg,
// preimage_<benchmark>.svg, autocorrelation_<benchmark>.svg, and across
// benchmarks epsilon_curves.svg and search_comparison.svg). Everything is
// computed before the first write: bad input leaves nothing behind, and an
// existing report is kept unless options.overwrite. Errors: InvalidArgument
// for a bad command line or config, NotFound for unknown files or plugins,
// FailedPrecondition for an existing report.
absl::Status RunLandscapeCommand(const std::vector<std::string>& args,
                                 const LandscapeOptions& options);

// The computation alone (no files, no printing).
absl::StatusOr<LandscapeOutput> ComputeLandscape(
    const LoadedExperiment& experiment, const LandscapeOptions& options);

// A one-benchmark experiment from registered names with default parameters
// (no algorithms).
absl::StatusOr<LoadedExperiment> ExperimentFromNames(
    const std::string& space, const std::string& objective,
    const std::string& data_dir);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_LANDSCAPE_H_
