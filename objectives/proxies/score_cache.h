#ifndef NASBENCH_OBJECTIVES_PROXIES_SCORE_CACHE_H_
#define NASBENCH_OBJECTIVES_PROXIES_SCORE_CACHE_H_

// Content-addressed proxy scores, laid out as the trained objective's
// results: <dir>/<2 hex>/<SHA-256 of key>.score, a text file holding the
// key (proxy, space, canonical architecture, settings, minibatch digest,
// library versions) and the score, so a lookup checks it read the right
// entry. Written to a private temporary name and renamed (atomic); no locks
// (two writers of one key store equal scores).

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace nas {

class ScoreCache {
 public:
  explicit ScoreCache(std::string dir) : dir_(std::move(dir)) {}
  const std::string& dir() const { return dir_; }

  std::string EntryPath(const std::string& key) const;

  // nullopt when there is no entry; an error naming the file when it is
  // damaged or holds another key.
  absl::StatusOr<std::optional<double>> Lookup(const std::string& key) const;
  absl::Status Store(const std::string& key, double score) const;

 private:
  std::string dir_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_PROXIES_SCORE_CACHE_H_
