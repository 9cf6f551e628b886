#ifndef NASBENCH_HARNESS_TABULATE_H_
#define NASBENCH_HARNESS_TABULATE_H_

// `nas tabulate CONFIG --output_dir DIR [--shard I/N]`: turns any objective
// (a trained one above all) into a table that a tabular objective loads
// back, so a user builds their own benchmark.
//
// CONFIG is an Experiment (harness/experiment.proto), the same file `nas
// run` takes. Per benchmark it evaluates budget.queries architectures at
// every fidelity of the objective:
//   - budget.queries equal to the size of an indexable space: every
//     architecture, in index order;
//   - fewer: a sample of distinct architectures drawn from a stream seeded
//     by (config seed, benchmark name), sorted by index on an indexable
//     space and in draw order otherwise.
// The config's algorithms and num_seeds are not used (a config written for
// `nas run` can be tabulated as it is).
//
// Output, per benchmark B: DIR/B.csv with the header
//   architecture,fidelity,valid_error,test_error,cost_seconds
// (architecture: the space's canonical string, quoted as RFC 4180 says when
// it holds a comma, as DARTS genotypes do; fidelity: the fidelity's
// epochs; errors as the objective reports them, in percent for the image
// benchmarks; numbers in shortest round-trip form), one row per
// (architecture, fidelity), architectures in the order above, fidelities
// cheapest first. Plus DIR/config.textproto and DIR/manifest.json (schema
// "nasbench-table/1": build, config and data checksums, plugin sources,
// rows and the SHA-256 of each table). Everything is written atomically at
// the end, after every evaluation succeeded.
//
// Sharding: --shard I/N evaluates the I-th of N contiguous slices of each
// benchmark's architectures. The unsharded table is shard 0's file followed
// by the data rows (all lines but the header) of shards 1 .. N-1:
//   { cat S0/B.csv; for i in 1 .. N-1; do tail -n +2 Si/B.csv; done; } > B.csv
//
// Resuming: nothing is kept in DIR until the end; an objective with a
// result cache (trained) makes a rerun of a killed tabulate retrain only the
// architecture that was in flight.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/config.h"
#include "harness/results.pb.h"

namespace nas {

constexpr char kTableHeader[] =
    "architecture,fidelity,valid_error,test_error,cost_seconds";
constexpr char kTableManifestSchema[] = "nasbench-table/1";

struct TabulateOptions {
  std::string output_dir;  // Required; created.
  std::string data_dir;    // As `nas run --data_dir`.
  int shard_index = 0;
  int shard_count = 1;
  // Worker threads (0: one per core). Tables do not depend on it.
  int threads = 1;
  // Replace the tables of an earlier tabulate in output_dir (only the files
  // tabulate writes).
  bool overwrite = false;
  // Progress lines on stderr (ETA from the measured evaluation times).
  bool progress = true;
  // The manifest `nas run` would start with (build, data checksums, plugin
  // sources); the CLI passes its own so both record the same facts.
  std::function<absl::StatusOr<Manifest>(const LoadedExperiment&)>
      start_manifest;
};

// The architectures tabulated for benchmark `b` (all shards), canonical.
absl::StatusOr<std::vector<Architecture>> TabulatedArchitectures(
    const LoadedExperiment& experiment, int b);

// One benchmark's table text for shard (index, count).
std::string TableText(const LoadedExperiment& experiment, int b,
                      const std::vector<Architecture>& architectures,
                      const std::vector<std::vector<Evaluation>>& rows);

// Loads CONFIG, evaluates and writes the tables. Bad input (config, flags,
// an output directory holding other files) fails before anything is
// written.
absl::Status RunTabulateCommand(const std::string& config_path,
                                const TabulateOptions& options);

}  // namespace nas

#endif  // NASBENCH_HARNESS_TABULATE_H_
