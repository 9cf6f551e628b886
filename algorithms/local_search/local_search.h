#ifndef NASBENCH_ALGORITHMS_LOCAL_SEARCH_LOCAL_SEARCH_H_
#define NASBENCH_ALGORITHMS_LOCAL_SEARCH_LOCAL_SEARCH_H_

#include <memory>

#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "algorithms/local_search/local_search.pb.h"

namespace nas {

// Local search (hill climbing) over the space's neighbourhood. Never queries
// an architecture twice: neighbours queried before (in this or an earlier
// climb) are skipped, as in the study's implementation, so a climb moves
// only to newly queried neighbours.
class LocalSearch : public Algorithm {
 public:
  static absl::StatusOr<std::unique_ptr<LocalSearch>> New(
      const LocalSearchParams& params);

  absl::Status Run(Oracle& oracle, Rng& rng) override;
  // Refuses the proxy options on a benchmark that serves no proxy.
  absl::Status CheckBenchmark(const BenchmarkFacts& facts) const override;

 private:
  explicit LocalSearch(const LocalSearchParams& params) : params_(params) {}

  LocalSearchParams params_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_LOCAL_SEARCH_LOCAL_SEARCH_H_
