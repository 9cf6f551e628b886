#ifndef NASBENCH_HARNESS_STORE_H_
#define NASBENCH_HARNESS_STORE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "harness/cell_file.h"
#include "harness/output.h"
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
// Version 3: cell files end with a line holding their query count and
// checksum, so that a truncated, extended or edited cell is detected.
constexpr char kManifestSchema[] = "nasbench-results/3";
constexpr char kManifestSchemaFamily[] = "nasbench-results/";

std::string CellRelativePath(const Experiment& config, const CellId& id);

// Every cell of `config` in canonical order: benchmark, algorithm, seed.
std::vector<CellId> AllCells(const Experiment& config);

// Text form written to config.textproto.
std::string ConfigText(const Experiment& config);

enum class OpenMode {
  kFresh,      // The directory must not hold results yet.
  kOverwrite,  // Old results (of this tool, by name) are deleted first.
  kResume,     // Existing cells are kept; everything that determines a
               // result must be the same.
};

// Every path a run of `config` may write, relative to the output directory:
// files, then directories (deepest first). Nothing outside this list is
// ever written or deleted in an output directory.
struct OutputPaths {
  std::vector<std::string> files;
  std::vector<std::string> dirs;
};
OutputPaths OutputPathsOf(const Experiment& config);

// A results directory is one that holds a manifest.json this tool wrote
// (its schema is one of ours). Only such a directory is ever cleaned.
bool IsResultsDir(const std::string& dir);

// What would stop a resume: the differences, one per line, between the
// manifest a directory's results were made with and the one a run would
// make now (build, schema, data checksums, plugin sources, config; not the
// results fields). Empty when they agree.
std::vector<std::string> ManifestDifferences(const Manifest& stored,
                                             const Manifest& now);

// Prepares `dir` for writing `config`'s results and returns the lock that
// makes this process its only writer (hold it until done). Checks first,
// writes nothing when a check fails, and never touches a file it did not
// write:
//   - kFresh refuses a directory with results, or with files named like
//     the outputs it would write;
//   - kOverwrite refuses a non-empty directory that is not a results
//     directory, and deletes only the files the stored run wrote;
//   - kResume refuses a different config, a manifest that differs from
//     `manifest` (other data, build or plugin sources) and damaged cells.
// Then removes temporary files of a killed run (only names this tool makes)
// and writes manifest.json and config.textproto.
absl::StatusOr<std::unique_ptr<DirLock>> OpenOutputDir(
    const std::string& dir, const Experiment& config, const Manifest& manifest,
    OpenMode mode, const std::string& command);

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

// A stored cell's query count must fit the experiment's query budget: never
// more, and for a cell that did not fail, all of it unless the space (size
// from `manifest`) is smaller. Otherwise DataLoss naming `path`: the file
// was cut or came from another experiment.
absl::Status CheckCellAgainstBudget(const StoredCell& cell,
                                    const Experiment& config,
                                    const Manifest& manifest,
                                    const std::string& path);

// SHA-256 of bytes, in hex (OpenSSL).
std::string Sha256Hex(absl::string_view bytes);


}  // namespace nas

#endif  // NASBENCH_HARNESS_STORE_H_
