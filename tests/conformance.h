#ifndef NASBENCH_TESTS_CONFORMANCE_H_
#define NASBENCH_TESTS_CONFORMANCE_H_

// The conformance checks every plugin must pass, as functions returning
// ::testing::AssertionResult so that one library serves two tests:
// tests/conformance_test.cc sweeps every registered plugin with them, and
// tests/conformance_broken_test.cc proves that each check fails, with a
// useful message, on a plugin broken in exactly the way it looks for.
//
// Algorithms are run exactly as `nas run` runs them: RunAlgorithm
// (harness/oracle.h) over the harness's BudgetedOracle, so the Oracle an
// algorithm receives here is the one it receives in a real run (whatever it
// could reach or detect there, it reaches or detects here). The
// BudgetedOracle counts what the algorithm attempted (refused queries,
// invalid or non-canonical architectures) and, with the cap set below,
// stops a runaway algorithm instead of hanging the test.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "algorithms/algorithm.h"
#include "gtest/gtest.h"
#include "harness/oracle.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {
namespace conformance {

// ---------------------------------------------------------------------------
// Search spaces. Each takes a constructed space and checks one promise of
// the SearchSpace contract (spaces/search_space.h).

// name() is the name the space is registered under.
::testing::AssertionResult NameIs(const SearchSpace& space,
                                  const std::string& registered_name);

// Sample() returns valid, canonical architectures with one gene per
// gene_cardinalities() entry, each in range, and (for indexable spaces)
// ToIndex/FromIndex are inverse on them.
::testing::AssertionResult SamplesAreValidAndCanonical(const SearchSpace& space,
                                                       int samples = 300);

// Parse(ToString(a)) == a with the same Hash(), for sampled `a`.
::testing::AssertionResult TextRoundTrips(const SearchSpace& space,
                                          int samples = 300);

// Neighbors() are valid, canonical, distinct (by Hash), never the
// architecture itself, in a fixed order; Mutate() is valid and canonical;
// at most `max_isolated` of the sampled architectures have no neighbour.
::testing::AssertionResult NeighboursAreDistinctValidCanonicalAndStable(
    const SearchSpace& space, int samples = 50, int max_isolated = 5);

// Parse() rejects garbage with a status instead of crashing or accepting.
::testing::AssertionResult GarbageTextIsAnError(const SearchSpace& space);

// The cheap checks the oracle trusts agree with the full ones: IsValid(a)
// == Validate(a).ok() for samples, for samples with one gene set to each
// value in range, the first out of range and 255, and for samples cut one
// gene short; IndexIfValid(a) is ToIndex(a) exactly for the valid ones of
// an indexable space and -1 otherwise; and a space declaring
// !HasSymmetries() maps every valid one of them to itself under
// Canonicalize.
::testing::AssertionResult CheapChecksAgree(const SearchSpace& space,
                                            int samples = 50);

// Two streams with one seed give the same samples (no hidden state).
::testing::AssertionResult SameSeedSameSamples(const SearchSpace& space,
                                               int samples = 20);

// ---------------------------------------------------------------------------
// Objectives. Each evaluates `samples` sampled architectures of the
// objective's space at every fidelity.

// Validation and test errors are finite, costs finite and >= 0.
::testing::AssertionResult ValuesAreFinite(const Objective& objective,
                                           int samples = 200);

// An objective that does not declare itself noisy returns the same
// evaluation every time it is asked.
::testing::AssertionResult DeterministicUnlessNoisy(const Objective& objective,
                                                    int samples = 200);

// No full-fidelity evaluation beats known_optimum() (when there is one).
::testing::AssertionResult NothingBeatsTheKnownOptimum(
    const Objective& objective, int samples = 200);

// ---------------------------------------------------------------------------
// Algorithms.

// Builds a fresh algorithm instance (one per run, as the harness does).
using AlgorithmMaker =
    std::function<absl::StatusOr<std::unique_ptr<Algorithm>>()>;

// A registered algorithm with its default parameters.
AlgorithmMaker RegisteredAlgorithm(const std::string& name);

// How many refused queries the oracle tolerates before it stops an
// algorithm that ignores ResourceExhausted (or InvalidArgument)
// (BudgetLimits::max_refused_queries). Checks report it as a failure.
inline constexpr int64_t kRunawayQueries = 10000;

// What one run did.
struct RunOutcome {
  absl::Status status;                // What Run() returned.
  std::vector<QueryRecord> records;   // Charged queries, in order.
  int64_t refused_after_budget = 0;
  int64_t invalid_queries = 0;
  std::string first_invalid;
  bool runaway = false;  // Stopped by the oracle's cap (see kRunawayQueries).
};

// The objective and the environment of one run: NAS_DATA_DIR is set to
// `data_dir` while the algorithm runs (and restored after), as `nas run`
// sees its data directory. Empty `data_dir`: the environment is untouched.
struct RunWorld {
  const Objective* objective = nullptr;
  std::string data_dir;
};

// Runs a fresh instance with a query budget; `seed` seeds the algorithm's
// stream, seed + 1 the objective's noise (as in a real cell).
RunOutcome RunOnce(const AlgorithmMaker& make, const Objective& objective,
                   int64_t budget, uint64_t seed);
RunOutcome RunOnce(const AlgorithmMaker& make, const RunWorld& world,
                   int64_t budget, uint64_t seed);

// Run() returns OK, every query is valid and canonical, the run spends
// exactly `budget` queries (the objective's space must hold more
// architectures than that) and makes at most one query after the budget is
// spent.
::testing::AssertionResult SpendsExactlyTheBudget(const AlgorithmMaker& make,
                                                  const Objective& objective,
                                                  int64_t budget,
                                                  uint64_t seed);

// Every architecture the algorithm queries is valid and canonical (the
// harness would fail the cell; an algorithm that swallows the error would
// still be wrong).
::testing::AssertionResult QueriesOnlyValidArchitectures(
    const AlgorithmMaker& make, const Objective& objective, int64_t budget,
    uint64_t seed);

// Two runs with one seed make the same queries (architectures and
// fidelities, in order).
::testing::AssertionResult DeterministicForASeed(const AlgorithmMaker& make,
                                                 const Objective& objective,
                                                 int64_t budget,
                                                 uint64_t seed);

// The queries do not change when only the test errors change in memory (the
// objective is wrapped by ScrambledTestObjective): the algorithm cannot be
// reading them from the objective, by whatever route (through the oracle, or
// from memory it should not touch).
::testing::AssertionResult NeverReadsTestMetrics(
    const AlgorithmMaker& make, std::shared_ptr<const Objective> objective,
    int64_t budget, uint64_t seed);

// Builds an objective from the tables under a data directory (a registered
// objective's factory with fixed space and parameters).
using ObjectiveBuilder =
    std::function<absl::StatusOr<std::shared_ptr<const Objective>>(
        const ObjectiveContext& context)>;

// Copies `objective`'s data_files() from `data_dir` to `scrambled_dir`
// (created if needed), with the columns its hidden_test_columns() names
// permuted across rows by a fixed shuffle per file; other columns and files
// are copied as they are. Errors name the file and the missing column.
absl::Status WriteScrambledTables(const Objective& objective,
                                  const std::string& data_dir,
                                  const std::string& scrambled_dir);

// The objective's hidden_test_columns() are test metrics and only those:
// built from a scrambled copy (WriteScrambledTables) it gives the same
// validation errors and costs and different test errors.
::testing::AssertionResult HiddenColumnsAreExactlyTheTestMetrics(
    const ObjectiveBuilder& build, const std::string& data_dir,
    const std::string& scrambled_dir, int samples = 200);

// The queries do not change when the test metrics change on disk: one run
// on the objective built from `data_dir` with NAS_DATA_DIR=data_dir, one on
// the objective built from `scrambled_dir` (WriteScrambledTables) with
// NAS_DATA_DIR=scrambled_dir. Catches an algorithm that reads the tables
// itself, which no in-memory wrapper can.
::testing::AssertionResult NeverReadsTestMetricsOnDisk(
    const AlgorithmMaker& make, const ObjectiveBuilder& build,
    const std::string& data_dir, const std::string& scrambled_dir,
    int64_t budget, uint64_t seed);

// On a space with fewer architectures than `budget`, the algorithm returns
// OK before the budget is spent instead of re-querying forever.
::testing::AssertionResult TerminatesOnAnExhaustedSpace(
    const AlgorithmMaker& make, const Objective& small_objective,
    int64_t budget, uint64_t seed);

// With a budget of one query: Run() returns OK after exactly one query and
// at most one refused one.
::testing::AssertionResult BehavesOnABudgetOfOne(const AlgorithmMaker& make,
                                                 const Objective& objective,
                                                 uint64_t seed);

}  // namespace conformance
}  // namespace nas

#endif  // NASBENCH_TESTS_CONFORMANCE_H_
