// A test-only algorithm with a bug: after a few queries it fails with a
// message that differs from cell to cell only in its numbers, as a real
// plugin bug does (an index, an architecture id). Linked only into
// //tests:nas_with_failing_algorithm, never into //harness:nas.

#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"

namespace nas {
namespace {

class FailsAfterFiveQueries : public Algorithm {
 public:
  absl::Status Run(Oracle& oracle, Rng& rng) override {
    for (int i = 0; i < 5; ++i) {
      absl::StatusOr<Observation> o = oracle.Query(oracle.space().Sample(rng));
      if (!o.ok()) return IsBudgetExhausted(o.status()) ? absl::OkStatus()
                                                        : o.status();
    }
    return absl::InternalError(absl::StrCat(
        "index ", rng.UniformInt(1000), " out of range in the population"));
  }
};

absl::StatusOr<std::unique_ptr<Algorithm>> Make(
    const google::protobuf::Message*) {
  return std::unique_ptr<Algorithm>(new FailsAfterFiveQueries());
}

NAS_REGISTER_ALGORITHM("fails_after_five_queries",
                       "Test only: fails every cell after five queries",
                       nullptr, &Make);

}  // namespace
}  // namespace nas
