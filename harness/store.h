#ifndef NASBENCH_HARNESS_STORE_H_
#define NASBENCH_HARNESS_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/cell_file.h"
#include "harness/experiment.pb.h"
#include "harness/results.pb.h"
#include "harness/runner.h"

namespace nas {

// The layout of an output directory:
//   config.textproto   the normalised experiment
//   manifest.json      build, checksums of config, data and results
//   cells/<benchmark>/<algorithm>/seed_<k>.csv   one file per finished cell
//   summary.csv, summary.json, leaderboard.md, report.html, plots/*.svg
// Every file is written atomically (temporary file + rename), so a run
// killed at any moment leaves only whole files behind.

constexpr char kConfigFile[] = "config.textproto";
constexpr char kManifestFile[] = "manifest.json";
constexpr char kManifestSchema[] = "nasbench-results/2";

std::string CellRelativePath(const Experiment& config, const CellId& id);

// Every cell of `config` in canonical order: benchmark, algorithm, seed.
std::vector<CellId> AllCells(const Experiment& config);

// Text form written to config.textproto.
std::string ConfigText(const Experiment& config);

enum class OpenMode {
  kFresh,      // The directory must not hold results yet.
  kOverwrite,  // Old results are deleted first.
  kResume,     // Existing cells are kept; the config must be the same.
};

// Prepares `dir` for a run of `config` and writes config.textproto. Refuses
// (FailedPrecondition, saying what to do) to touch results it would lose or
// mix: fresh runs into a directory with results, resumes of a different
// config. Removes temporary files left by a killed run.
absl::Status PrepareOutputDir(const std::string& dir, const Experiment& config,
                              OpenMode mode);

bool CellFinished(const std::string& dir, const Experiment& config,
                  const CellId& id);

absl::Status WriteCell(const std::string& dir, const Experiment& config,
                       const CellId& id, const std::string& contents);

// Reads config.textproto of an output directory.
absl::StatusOr<Experiment> ReadStoredConfig(const std::string& dir);

absl::StatusOr<Manifest> ReadManifest(const std::string& dir);
absl::Status WriteManifest(const std::string& dir, const Manifest& manifest);

// A cell this process has just written: its parsed form and the hash of the
// file's bytes, so reports need not read it back.
struct PreloadedCell {
  StoredCell cell;
  std::string content_hash;  // ContentHash of the file's bytes.
};
// Keyed by position in AllCells().
using PreloadedCells = std::map<int, PreloadedCell>;

// Loads every finished cell (in canonical order) and fills
// manifest->num_cells, num_finished_cells and results_fingerprint. Cells in
// `preloaded` (may be nullptr) are taken from there instead of the disk;
// the result is the same either way.
absl::StatusOr<std::vector<StoredCell>> LoadCells(
    const std::string& dir, const Experiment& config, Manifest* manifest,
    const PreloadedCells* preloaded = nullptr);

// SHA-256 of bytes, in hex (OpenSSL).
std::string Sha256Hex(absl::string_view bytes);

// XXH3-128 of bytes, in hex: the results fingerprint (fast enough to run
// over every cell file without showing up next to the searches).
std::string ContentHash(absl::string_view bytes);

absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace nas

#endif  // NASBENCH_HARNESS_STORE_H_
