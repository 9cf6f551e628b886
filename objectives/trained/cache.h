#ifndef NASBENCH_OBJECTIVES_TRAINED_CACHE_H_
#define NASBENCH_OBJECTIVES_TRAINED_CACHE_H_

// The content-addressed result cache of trained objectives.
//
// An entry is the evaluation of one key: the text naming everything the
// result depends on (space, canonical architecture, recipe, data checksums,
// seed, epochs, library versions). Its file is
//   <dir>/<first 2 hex digits>/<SHA-256 of the key>.entry
// in text format (TrainedCacheEntry), holding the key itself, so a lookup
// checks it is the right entry and `verify` can recompute every name.
//
// Safe under concurrent writers on one machine or across a cluster's shared
// file system: an entry is written to a temporary file of a name only its
// writer uses (.<hash>.tmp-<host>-<pid>-<n>) in the entry's directory and
// renamed into place; rename is atomic, so readers see a whole entry or
// none. No lock is taken, so none is held while training. Two writers of one
// key (two shards training the same architecture at once) both succeed; the
// errors they store are equal (training is deterministic), the measured
// seconds may differ, and the last rename wins.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/trained/trained.pb.h"

namespace nas {

class ResultCache {
 public:
  explicit ResultCache(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }

  static std::string KeyHash(const std::string& key);
  std::string EntryPath(const std::string& key) const;

  // The stored entry of `key`, nullopt when there is none. An entry that
  // cannot be read or holds another key is an error naming its path (and
  // `nas cache verify`).
  absl::StatusOr<std::optional<TrainedCacheEntry>> Lookup(
      const std::string& key) const;

  // Stores `entry` (whose key() names it) atomically.
  absl::Status Store(const TrainedCacheEntry& entry) const;

  struct Stats {
    // Files named like entries (damaged ones included) and their bytes.
    int64_t entries = 0;
    int64_t bytes = 0;
    int64_t damaged = 0;
    double train_seconds = 0;  // Total training time the entries hold.
    int64_t temporary_files = 0;
    struct Group {
      std::string name;  // "space, dataset, recipe <hash>, N epochs"
      int64_t entries = 0;
      int64_t bytes = 0;
      double train_seconds = 0;
    };
    std::vector<Group> groups;  // Sorted by name; damaged entries in none.
  };
  absl::StatusOr<Stats> ComputeStats() const;

  // Every entry readable, its checksum matching its contents, named by its
  // key's hash, with finite errors. Returns the problems found, one line
  // each naming the file (empty: all good).
  absl::StatusOr<std::vector<std::string>> Verify() const;

  struct GcOptions {
    // Also remove entries written with other library versions ("" keeps
    // them).
    std::string libraries;
    // Also remove entries older than this (file modification time); 0 keeps
    // them.
    double older_than_seconds = 0;
  };
  struct GcResult {
    int64_t removed_entries = 0;
    int64_t removed_temporary = 0;
    std::vector<std::string> removed;
  };
  // Removes damaged entries, temporary files older than an hour (left by
  // killed writers) and what `options` asks for. Only files named as the
  // cache names its own are considered: nothing else is touched.
  absl::StatusOr<GcResult> Collect(const GcOptions& options) const;

 private:
  std::string dir_;
};

// `nas cache ACTION --cache_dir DIR [--older_than_days D]`, ACTION one of
// stats, verify, gc: what to print and the exit status (1 when verify finds
// a damaged entry). InvalidArgument for an unknown action or a negative
// age, NotFound for a missing directory.
struct CacheCommandOutput {
  std::string text;
  int exit_code = 0;
};
absl::StatusOr<CacheCommandOutput> RunCacheCommand(const std::string& action,
                                                   const std::string& dir,
                                                   double older_than_days);

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TRAINED_CACHE_H_
