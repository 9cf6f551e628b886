#ifndef NASBENCH_HARNESS_STORE_H_
#define NASBENCH_HARNESS_STORE_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "harness/cell_file.h"
#include "harness/experiment.pb.h"
#include "harness/output.h"
#include "harness/results.pb.h"
#include "harness/runner.h"

namespace nas {

// The layout of an output directory:
//   config.textproto   the normalised experiment
//   manifest.json      build, checksums of config, data and results
//   cells.rec          the results store: every finished cell, one record
//                      each (below)
//   summary.csv, summary.json, leaderboard.md, report.html, plots/*.svg
// Every other file is written atomically (temporary file + rename), so a
// run killed at any moment leaves only whole files behind.
//
// The results store, cells.rec, is append-only. A record is one cell:
//   "#cell <bytes> <benchmark>/<algorithm>/seed_<k>\n" and then <bytes>
//   bytes of the cell record (harness/cell_file.h: binary, every query's
//   genes and numbers, ending with its checksum; schema 4 stored a CSV
//   cell file there instead).
// Each record goes to the file in a single write(2) as its cell finishes;
// a run that ends with them out of canonical order rewrites the store in
// that order from the records it holds in memory (CellStoreWriter::Finish),
// and readers do not depend on the
// order (reports and the fingerprint take cells in canonical order). A run
// killed mid-write can leave only the start of a record at the end: readers
// ignore such a torn tail and the next --resume cuts it off. Anything else
// that is not a whole record (damage, appended garbage, a record of a cell
// the experiment does not have, a cell recorded twice) is refused with its
// offset. No fsync: as with the other files, a kill never loses a finished
// cell, a power cut may.

constexpr char kConfigFile[] = "config.textproto";
constexpr char kManifestFile[] = "manifest.json";
constexpr char kCellStoreFile[] = "cells.rec";
// Version 5: binary cell records (harness/cell_file.h) in the store.
// Version 4 stored CSV cell files there: such directories are still read by
// `nas report` and `nas export`, not resumed or merged (CheckSchemaWritable).
// Version 3 kept one file per cell and is not read.
constexpr char kManifestSchema[] = "nasbench-results/5";
constexpr char kVersion4Schema[] = "nasbench-results/4";
constexpr char kManifestSchemaFamily[] = "nasbench-results/";

// The name of a cell in the store: "<benchmark>/<algorithm>/seed_<k>".
std::string CellName(const Experiment& config, const CellId& id);

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
// ever written or deleted in an output directory (except that --overwrite of
// a directory of the one-file-per-cell layout, schema version 3, also
// deletes the cell files that run wrote).
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

// Appends cells to a directory's store, cells.rec, for the process that
// holds the directory's lock (OpenOutputDir). Each finished cell is written
// at once, so a kill loses only the cells in flight. Cells are written in
// the order they finish; Finish() puts them in the experiment's canonical
// order when that differs, so the store's bytes do not depend on --threads
// or on how a run was interrupted and resumed.
class CellStoreWriter {
 public:
  // Reads the store (if any) to learn which cells are finished, cuts off a
  // torn tail a killed run left (saying so on stderr), and opens the file
  // for appending. DataLoss when the store is damaged (OpenOutputDir has
  // checked that already for --resume).
  static absl::StatusOr<std::unique_ptr<CellStoreWriter>> Open(
      const std::string& dir, const Experiment& config);

  CellStoreWriter(const CellStoreWriter&) = delete;
  CellStoreWriter& operator=(const CellStoreWriter&) = delete;
  ~CellStoreWriter();

  // The cells of `cells` that the store does not hold yet: the ones this
  // run computes and Append()s.
  std::vector<CellId> Unfinished(const std::vector<CellId>& cells) const;

  // Appends the record of cell `id` (`cell_record` from FormatCellRecord) in
  // one write(2), and keeps it for Finish. Thread-safe. After a failed write
  // every later Append fails too, so a torn record stays the last.
  absl::Status Append(const CellId& id, absl::string_view cell_record);

  // After the last Append: when the records are not in canonical order
  // (threads finished cells out of order, a resumed or --filter run),
  // rewrites the store in that order, atomically, from the records read at
  // Open and those appended since (the file is not read again).
  absl::Status Finish();

 private:
  CellStoreWriter(const Experiment& config, std::string path, int fd,
                  std::vector<std::string> records, bool in_order,
                  size_t last_position);

  absl::Status WriteLocked(const std::string& record);

  const Experiment& config_;
  const std::string path_;
  const int fd_;
  const std::vector<bool> finished_;  // By position in AllCells(), at Open.
  std::mutex mu_;
  // Guarded by mu_: every whole record in the file ("#cell" line and cell
  // record) by position in AllCells() ("" for none), whether they are in
  // canonical order in the file, the position of the last, and a sticky
  // write error.
  std::vector<std::string> records_;
  bool in_order_;
  size_t last_position_;
  absl::Status failed_;
};

// Copies every cell of the shard directories `dirs` (each already checked
// to hold results of `config`) into `out`'s store in canonical order, and
// returns how many it copied. `labels` name the directories in messages.
// DataLoss when two shards hold different results for one cell.
absl::StatusOr<int> MergeCellStores(const std::string& out,
                                    const Experiment& config,
                                    const std::vector<std::string>& dirs,
                                    const std::vector<std::string>& labels);

// The stored bytes of every cell in `dir`'s store (its record; in schema 4
// its CSV cell file) with its CellName, in canonical order (for tests and
// tools). DataLoss when the store's framing is damaged.
// How many cells `dir`'s store holds as whole records, and how many the
// experiment has: progress for `nas status` and tools/slurm_array.sh, which
// cannot count binary records with grep. Checks the records' framing, not
// their contents (report does that), and reads safely while a run appends: a
// record being written is a torn tail, not counted.
struct StoreProgress {
  int stored = 0;
  int total = 0;
};
absl::StatusOr<StoreProgress> CountStoredCells(const std::string& dir);

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ReadCellFiles(
    const std::string& dir);

// Every query of every cell stored in `dir`, as one tidy CSV
// (TidyCellsHeader in harness/cell_file.h), cells in canonical order, each
// verified as reports verify it. A failed cell's queries are included, its
// message is not (the leaderboard counts failed seeds). Architectures are
// printed by the spaces of the stored config, built without benchmark data
// unless a space is empty without it (`table`): then the experiment is
// loaded from `data_dir` (LoadOptions::data_dir).
absl::StatusOr<std::string> TidyCellsCsv(const std::string& dir,
                                         const std::string& data_dir);

// Reads config.textproto of an output directory.
absl::StatusOr<Experiment> ReadStoredConfig(const std::string& dir);

// The manifest of `dir`, of schema kManifestSchema or kVersion4Schema.
absl::StatusOr<Manifest> ReadManifest(const std::string& dir);
// FailedPrecondition, saying what to do, unless `manifest` (of `dir`) is of
// the schema this nas writes: `what` ("resume", "merge") would mix records
// of two formats.
absl::Status CheckSchemaWritable(const Manifest& manifest,
                                 const std::string& dir,
                                 const std::string& what);
absl::Status WriteManifest(const std::string& dir, const Manifest& manifest);

// A cell this process has just written: its result and the hash of its
// cell file, so reports need not read it back.
struct PreloadedCell {
  CellResult cell;
  std::string content_hash;  // ContentHash of the cell file.
};
// Keyed by position in AllCells().
using PreloadedCells = std::map<int, PreloadedCell>;

// Loads every finished cell (in canonical order) and fills
// manifest->num_cells, num_finished_cells and results_fingerprint. Cells in
// `preloaded` (may be nullptr) are moved out of there instead of read from
// the disk; the result is the same either way.
absl::StatusOr<std::vector<CellResult>> LoadCells(
    const std::string& dir, const Experiment& config, Manifest* manifest,
    PreloadedCells* preloaded = nullptr);

// A stored cell's query count must fit the experiment's query budget: never
// more, and for a cell that did not fail, all of it unless the space (size
// from `manifest`) is smaller. Otherwise DataLoss naming `where`: the record
// was cut or came from another experiment.
absl::Status CheckCellAgainstBudget(const CellResult& cell,
                                    const Experiment& config,
                                    const Manifest& manifest,
                                    const std::string& where);

}  // namespace nas

#endif  // NASBENCH_HARNESS_STORE_H_
