// Proves that every conformance check (tests/conformance.h) fires: each
// deliberately broken plugin below breaks one promise, and the check named
// after that promise must fail on it with a message that says what went
// wrong. Each check also passes on the well-behaved plugin the broken one is
// derived from, so a failure is due to the fault and nothing else. None of
// these plugins is registered.

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "algorithms/algorithm.h"
#include "algorithms/common/distinct_sampler.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/oracle.h"
#include "tests/conformance.h"
#include "tests/test_plugins.h"

namespace nas {
namespace {

namespace cf = ::nas::conformance;
using ::testing::HasSubstr;

// TableObjective's data file, relative to the data directory.
constexpr char kTableFile[] = "tiny/table.csv";

// ---------------------------------------------------------------------------
// Worlds: hash objectives over the test spaces (no data files needed).

std::shared_ptr<const Objective> Over(std::shared_ptr<const SearchSpace> space) {
  return std::make_shared<HashObjective>(std::move(space), 21, 22);
}

// 1,000 architectures: more than any budget below except the tiny-space one.
std::shared_ptr<const Objective> Big() {
  static const auto* objective =
      new std::shared_ptr<const Objective>(Over(std::make_shared<TinySpace>(3, 10)));
  return *objective;
}
// 9 architectures.
std::shared_ptr<const Objective> Tiny() {
  static const auto* objective =
      new std::shared_ptr<const Objective>(Over(std::make_shared<TinySpace>(2, 3)));
  return *objective;
}
// 1,275 unordered pairs: architectures have a canonical form.
std::shared_ptr<const Objective> Pairs() {
  static const auto* objective = new std::shared_ptr<const Objective>(
      Over(std::make_shared<UnorderedPairSpace>(50)));
  return *objective;
}

// ---------------------------------------------------------------------------
// Algorithms: random search without replacement, and the same with one fault.

enum class Fault {
  kNone,
  kQueriesAfterBudget,   // Three more queries after ResourceExhausted.
  kIgnoresBudget,        // Treats ResourceExhausted like a bad sample: forever.
  kStopsEarly,           // Returns after half the budget.
  kQueriesInvalid,       // Third query has a gene out of range.
  kQueriesNonCanonical,  // Queries architectures with their genes reversed.
  kReadsTestMetrics,     // Reads the harness's records from memory to steer.
  kNonDeterministic,     // Skips a draw on every other run (static counter).
  kNeverStops,           // Samples with replacement once the space is used up.
  kFailsOnBudgetOfOne,   // Returns the error of its initial queries.
  kReadsTableFile,       // Starts from the best test error in the data file.
};

class TestAlgorithm : public Algorithm {
 public:
  explicit TestAlgorithm(Fault fault) : fault_(fault) {}

  absl::Status Run(Oracle& oracle, Rng& rng) override {
    const SearchSpace& space = oracle.space();
    DistinctSampler sampler(space);
    if (fault_ == Fault::kNonDeterministic) {
      // State that outlives the run: every other run with the same seed
      // skips one draw, so it starts elsewhere.
      static std::atomic<int> runs{0};
      if (runs++ % 2 == 1) sampler.Next(rng);
    }
    std::optional<Architecture> steer;
    if (fault_ == Fault::kReadsTableFile) steer = BestInTable(space);
    int extra_after_budget = 0;
    for (int64_t made = 0;; ++made) {
      std::optional<Architecture> arch = steer ? steer : sampler.Next(rng);
      steer.reset();
      if (!arch.has_value()) {
        if (fault_ != Fault::kNeverStops && fault_ != Fault::kIgnoresBudget) {
          return absl::OkStatus();
        }
        arch = space.Sample(rng);  // Repeats, until the budget runs out.
      }
      if (fault_ == Fault::kQueriesInvalid && made == 2) {
        (*arch)[0] = static_cast<uint8_t>(space.gene_cardinalities()[0]);
      }
      if (fault_ == Fault::kQueriesNonCanonical) {
        *arch = Architecture({(*arch)[1], (*arch)[0]});
      }
      sampler.MarkSeen(space.Canonicalize(*arch));
      absl::StatusOr<Observation> obs = oracle.Query(*arch);
      if (IsBudgetExhausted(obs.status())) {
        if (fault_ == Fault::kIgnoresBudget) continue;
        if (fault_ == Fault::kQueriesAfterBudget && ++extra_after_budget <= 3) {
          continue;
        }
        if (fault_ == Fault::kFailsOnBudgetOfOne && made < 2) {
          return obs.status();  // "Initialisation failed".
        }
        return absl::OkStatus();
      }
      if (!obs.ok()) return obs.status();
      if (fault_ == Fault::kStopsEarly &&
          oracle.queries_used() * 2 >= oracle.query_budget()) {
        return absl::OkStatus();
      }
      if (fault_ == Fault::kReadsTestMetrics) {
        // The Oracle an algorithm receives is a facade whose only data
        // member, right after its vtable pointer, points to the harness's
        // BudgetedOracle (harness/oracle.cc); no cast reaches it, but raw
        // memory does, as any in-process code can. Move to a neighbour when
        // the recorded test error looks good: what the behavioural check
        // must catch, whatever the route.
        const BudgetedOracle* harness;
        std::memcpy(&harness,
                    reinterpret_cast<const char*>(&oracle) + sizeof(void*),
                    sizeof(harness));
        if (harness->records().back().evaluation.test_error < 50) {
          std::vector<Architecture> neighbors;
          space.Neighbors(*arch, &neighbors);
          for (const Architecture& n : neighbors) {
            if (!sampler.Seen(n)) {
              steer = n;
              break;
            }
          }
        }
      }
    }
  }

 private:
  // The architecture with the lowest test error in $NAS_DATA_DIR's
  // TableObjective file (below), as a plugin that opens files could find.
  static std::optional<Architecture> BestInTable(const SearchSpace& space) {
    const char* dir = std::getenv("NAS_DATA_DIR");
    std::ifstream in(absl::StrCat(dir ? dir : ".", "/", kTableFile));
    std::string line;
    std::getline(in, line);  // index,valid,test,train
    std::optional<Architecture> best;
    double best_test = 1e300;
    while (std::getline(in, line)) {
      const std::vector<std::string> row = absl::StrSplit(line, ',');
      int64_t index;
      double test;
      if (row.size() == 4 && absl::SimpleAtoi(row[0], &index) &&
          absl::SimpleAtod(row[2], &test) && test < best_test) {
        best_test = test;
        best = space.FromIndex(index);
      }
    }
    return best;
  }

  const Fault fault_;
};

cf::AlgorithmMaker Make(Fault fault) {
  return [fault]() -> absl::StatusOr<std::unique_ptr<Algorithm>> {
    return std::unique_ptr<Algorithm>(new TestAlgorithm(fault));
  };
}

// The reference algorithm passes every check, on every world.
TEST(WellBehavedAlgorithm, PassesEveryCheck) {
  const cf::AlgorithmMaker good = Make(Fault::kNone);
  for (const auto& world : {Big(), Pairs()}) {
    EXPECT_TRUE(cf::SpendsExactlyTheBudget(good, *world, 60, 1));
    EXPECT_TRUE(cf::QueriesOnlyValidArchitectures(good, *world, 60, 1));
    EXPECT_TRUE(cf::DeterministicForASeed(good, *world, 80, 1));
    EXPECT_TRUE(cf::NeverReadsTestMetrics(good, world, 80, 1));
    EXPECT_TRUE(cf::BehavesOnABudgetOfOne(good, *world, 1));
  }
  EXPECT_TRUE(cf::TerminatesOnAnExhaustedSpace(good, *Tiny(), 1000, 1));
}

TEST(BrokenAlgorithm, QueryingAfterTheBudgetFailsTheBudgetCheck) {
  const auto r = cf::SpendsExactlyTheBudget(Make(Fault::kQueriesAfterBudget),
                                            *Big(), 60, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(),
              HasSubstr("made 4 queries after the budget was spent"));
}

TEST(BrokenAlgorithm, IgnoringTheBudgetIsStoppedNotHung) {
  const auto r =
      cf::SpendsExactlyTheBudget(Make(Fault::kIgnoresBudget), *Big(), 60, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(),
              HasSubstr("kept calling Query() after it was refused: stopped "
                        "by the test after 10000 refusals"));
}

TEST(BrokenAlgorithm, StoppingEarlyFailsTheBudgetCheck) {
  const auto r =
      cf::SpendsExactlyTheBudget(Make(Fault::kStopsEarly), *Big(), 60, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("stopped after 30 of 60 queries although "
                                     "the space holds 1000 architectures"));
}

TEST(BrokenAlgorithm, AnInvalidArchitectureFailsTheValidityCheck) {
  const auto r = cf::QueriesOnlyValidArchitectures(
      Make(Fault::kQueriesInvalid), *Big(), 60, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("the first invalid [10,"));
  EXPECT_THAT(r.message(), HasSubstr("gene range"));
  // The run itself ends with the oracle's InvalidArgument.
  EXPECT_FALSE(cf::SpendsExactlyTheBudget(Make(Fault::kQueriesInvalid), *Big(),
                                          60, 1));
}

TEST(BrokenAlgorithm, ANonCanonicalArchitectureFailsTheValidityCheck) {
  const auto r = cf::QueriesOnlyValidArchitectures(
      Make(Fault::kQueriesNonCanonical), *Pairs(), 60, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("the first non-canonical ["));
  EXPECT_THAT(r.message(), HasSubstr("(its canonical form is ["));
}

TEST(BrokenAlgorithm, ReadingTestMetricsFailsTheBlindnessCheck) {
  const auto r = cf::NeverReadsTestMetrics(Make(Fault::kReadsTestMetrics),
                                           Big(), 80, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(),
              HasSubstr("the queries changed when only the test errors "
                        "changed: query #"));
  // It is otherwise well behaved.
  EXPECT_TRUE(cf::SpendsExactlyTheBudget(Make(Fault::kReadsTestMetrics),
                                         *Big(), 60, 1));
  EXPECT_TRUE(cf::DeterministicForASeed(Make(Fault::kReadsTestMetrics),
                                        *Big(), 80, 1));
}

TEST(BrokenAlgorithm, HiddenStateFailsTheDeterminismCheck) {
  const auto r = cf::DeterministicForASeed(Make(Fault::kNonDeterministic),
                                           *Big(), 80, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("two runs with seed 1 differ: query #"));
  EXPECT_THAT(r.message(), HasSubstr("Draw every random number from the Rng"));
}

TEST(BrokenAlgorithm, NotStoppingOnAnExhaustedSpaceFailsTheTerminationCheck) {
  const auto r = cf::TerminatesOnAnExhaustedSpace(Make(Fault::kNeverStops),
                                                  *Tiny(), 1000, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(),
              HasSubstr("did not stop after the space was exhausted: it spent "
                        "the whole budget of 1000 queries on a space of 9 "
                        "architectures (9 distinct ones queried)"));
  // On a big space the same algorithm conforms.
  EXPECT_TRUE(
      cf::SpendsExactlyTheBudget(Make(Fault::kNeverStops), *Big(), 60, 1));
}

TEST(BrokenAlgorithm, FailingOnABudgetOfOneFailsThatCheck) {
  const auto r = cf::BehavesOnABudgetOfOne(Make(Fault::kFailsOnBudgetOfOne),
                                           *Big(), 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("Run() failed: RESOURCE_EXHAUSTED"));
  EXPECT_THAT(r.message(), HasSubstr("[with a budget of 1]"));
  // With a real budget it conforms.
  EXPECT_TRUE(cf::SpendsExactlyTheBudget(Make(Fault::kFailsOnBudgetOfOne),
                                         *Big(), 60, 1));
}

// ---------------------------------------------------------------------------
// Spaces: TinySpace and UnorderedPairSpace with one fault each.

class DuplicateNeighbours : public TinySpace {
 public:
  DuplicateNeighbours() : TinySpace(3, 4) {}
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override {
    TinySpace::Neighbors(arch, out);
    out->push_back(out->front());
  }
};

// Replaces one gene without canonicalising.
class NonCanonicalNeighbours : public UnorderedPairSpace {
 public:
  NonCanonicalNeighbours() : UnorderedPairSpace(10) {}
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override {
    out->clear();
    for (int v = 0; v < 10; ++v) {
      if (v != arch[0]) out->push_back(Architecture({v, arch[1]}));
    }
  }
};

// Prints the index off by one.
class NoRoundTrip : public TinySpace {
 public:
  NoRoundTrip() : TinySpace(3, 4) {}
  std::string ToString(const Architecture& arch) const override {
    return absl::StrCat(ToIndex(arch) + 1);
  }
};

// Draws from a counter shared by every call, not only from the Rng.
class NonDeterministicSampling : public TinySpace {
 public:
  NonDeterministicSampling() : TinySpace(3, 4) {}
  Architecture Sample(Rng& rng) const override {
    Architecture arch = TinySpace::Sample(rng);
    arch[0] = static_cast<uint8_t>((arch[0] + calls_++) % 4);
    return arch;
  }

 private:
  mutable std::atomic<int> calls_{0};
};

// Samples in the non-canonical orientation.
class NonCanonicalSamples : public UnorderedPairSpace {
 public:
  NonCanonicalSamples() : UnorderedPairSpace(10) {}
  Architecture Sample(Rng& rng) const override {
    const Architecture arch = UnorderedPairSpace::Sample(rng);
    return Architecture({arch[1], arch[0]});
  }
};

// Reads any text it cannot parse as architecture 0.
class LenientParser : public TinySpace {
 public:
  LenientParser() : TinySpace(3, 4) {}
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override {
    absl::StatusOr<Architecture> parsed = TinySpace::Parse(text);
    return parsed.ok() ? parsed : FromIndex(0);
  }
};

// Declares no symmetries but has them: the oracle would then accept the
// non-canonical (b, a).
class HidesItsSymmetries : public UnorderedPairSpace {
 public:
  HidesItsSymmetries() : UnorderedPairSpace(10) {}
  bool HasSymmetries() const override { return false; }
};

// A cheap validity check that accepts everything: the oracle would pass
// out-of-range genes to the objective.
class LenientIsValid : public TinySpace {
 public:
  LenientIsValid() : TinySpace(3, 4) {}
  bool IsValid(const Architecture&) const override { return true; }
};

TEST(BrokenSpace, HiddenSymmetriesFailTheCheapChecks) {
  const auto r = cf::CheapChecksAgree(HidesItsSymmetries());
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("HasSymmetries() is false"));
}

TEST(BrokenSpace, ALenientIsValidFailsTheCheapChecks) {
  const auto r = cf::CheapChecksAgree(LenientIsValid());
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("IsValid must agree with Validate"));
}

TEST(WellBehavedSpaces, PassEveryCheck) {
  const TinySpace tiny(3, 4);
  const UnorderedPairSpace pairs(10);
  for (const SearchSpace* space :
       std::vector<const SearchSpace*>{&tiny, &pairs}) {
    EXPECT_TRUE(cf::SamplesAreValidAndCanonical(*space));
    EXPECT_TRUE(cf::TextRoundTrips(*space));
    EXPECT_TRUE(cf::NeighboursAreDistinctValidCanonicalAndStable(*space));
    EXPECT_TRUE(cf::GarbageTextIsAnError(*space));
    EXPECT_TRUE(cf::SameSeedSameSamples(*space));
    EXPECT_TRUE(cf::CheapChecksAgree(*space));
  }
  EXPECT_TRUE(cf::NameIs(tiny, "tiny"));
}

TEST(BrokenSpace, ADifferentNameFailsTheNameCheck) {
  const auto r = cf::NameIs(TinySpace(2, 2), "tiny_space");
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("name() is 'tiny' but the space is "
                                     "registered as 'tiny_space'"));
}

TEST(BrokenSpace, RepeatedNeighboursFailTheNeighbourCheck) {
  const DuplicateNeighbours space;
  const auto r = cf::NeighboursAreDistinctValidCanonicalAndStable(space);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("appears twice (equal Hash); neighbours "
                                     "must be distinct"));
  EXPECT_TRUE(cf::TextRoundTrips(space));
}

TEST(BrokenSpace, NonCanonicalNeighboursFailTheNeighbourCheck) {
  const NonCanonicalNeighbours space;
  const auto r = cf::NeighboursAreDistinctValidCanonicalAndStable(space);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("is not canonical (canonical form ["));
  EXPECT_THAT(r.message(), HasSubstr("pass neighbours through Canonicalize"));
}

TEST(BrokenSpace, TextThatDoesNotRoundTripFailsTheTextCheck) {
  const NoRoundTrip space;
  const auto r = cf::TextRoundTrips(space);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("Parse(ToString(a))"));
  EXPECT_TRUE(cf::SamplesAreValidAndCanonical(space));
}

TEST(BrokenSpace, HiddenSamplingStateFailsTheSeedCheck) {
  const NonDeterministicSampling space;
  const auto r = cf::SameSeedSameSamples(space);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(),
              HasSubstr("two streams with seed 3 gave different sample #0"));
  EXPECT_THAT(r.message(), HasSubstr("Sample must draw only from its Rng"));
}

TEST(BrokenSpace, NonCanonicalSamplesFailTheSampleCheck) {
  const NonCanonicalSamples space;
  const auto r = cf::SamplesAreValidAndCanonical(space);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("is not canonical (Canonicalize gives"));
}

TEST(BrokenSpace, AcceptingGarbageFailsTheParseCheck) {
  const LenientParser space;
  const auto r = cf::GarbageTextIsAnError(space);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("Parse(\"\") accepted it as [0,0,0]"));
}

// ---------------------------------------------------------------------------
// Objectives: HashObjective with one fault each.

// Claims to be deterministic but drifts with every call.
class DriftingObjective : public HashObjective {
 public:
  explicit DriftingObjective(std::shared_ptr<const SearchSpace> space)
      : HashObjective(std::move(space), 1, 2) {}
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override {
    Evaluation e = HashObjective::Evaluate(arch, fidelity, noise);
    e.valid_error += 1e-3 * (calls_++ % 7);
    return e;
  }

 private:
  mutable std::atomic<int> calls_{0};
};

// A validation error of NaN for one architecture in eight (say, a failed
// training run written into the table as "nan").
class NanObjective : public HashObjective {
 public:
  explicit NanObjective(std::shared_ptr<const SearchSpace> space)
      : HashObjective(std::move(space), 1, 2) {}
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override {
    Evaluation e = HashObjective::Evaluate(arch, fidelity, noise);
    if (space().Hash(arch) % 8 == 0) {
      e.valid_error = std::numeric_limits<double>::quiet_NaN();
    }
    return e;
  }
};

// Claims an optimum its own values beat.
class WrongOptimum : public HashObjective {
 public:
  explicit WrongOptimum(std::shared_ptr<const SearchSpace> space)
      : HashObjective(std::move(space), 1, 2) {}
  std::optional<KnownOptimum> known_optimum() const override {
    return KnownOptimum{/*best_valid_error=*/50, /*best_test_error=*/50,
                        /*test_error_of_best_valid=*/50};
  }
};

TEST(WellBehavedObjective, PassesEveryCheck) {
  const HashObjective objective(std::make_shared<TinySpace>(3, 10), 1, 2);
  EXPECT_TRUE(cf::ValuesAreFinite(objective));
  EXPECT_TRUE(cf::DeterministicUnlessNoisy(objective));
  EXPECT_TRUE(cf::NothingBeatsTheKnownOptimum(objective));
}

TEST(BrokenObjective, DriftingValuesFailTheDeterminismCheck) {
  const DriftingObjective objective(std::make_shared<TinySpace>(3, 10));
  const auto r = cf::DeterministicUnlessNoisy(objective);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("hash says is_noisy() == false but "
                                     "Evaluate("));
  EXPECT_TRUE(cf::ValuesAreFinite(objective));
}

TEST(BrokenObjective, NanFailsTheFinitenessCheck) {
  const NanObjective objective(std::make_shared<TinySpace>(3, 10));
  const auto r = cf::ValuesAreFinite(objective);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("fidelity 0) gave valid_error nan"));
  // NaN is the same NaN every time: not a determinism failure.
  EXPECT_TRUE(cf::DeterministicUnlessNoisy(objective));
}

TEST(BrokenObjective, BeatingTheKnownOptimumFailsThatCheck) {
  const WrongOptimum objective(std::make_shared<TinySpace>(3, 10));
  const auto r = cf::NothingBeatsTheKnownOptimum(objective);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("below the known optimum (valid 50"));
}

// ---------------------------------------------------------------------------
// The on-disk checks: a tabular objective over TinySpace(3, 10) whose table
// is written by the test, declaring chosen hidden columns.

// One row per architecture: index, valid, test, train (hash-valued; the
// objective reads no train error).
absl::Status WriteTable(const std::string& data_dir) {
  std::string csv = "index,valid,test,train\n";
  for (int i = 0; i < 1000; ++i) {
    absl::StrAppend(&csv, i, ",", HashCombine(31, i) % 1000 / 10.0, ",",
                    HashCombine(32, i) % 1000 / 10.0, ",",
                    HashCombine(33, i) % 1000 / 10.0, "\n");
  }
  std::filesystem::create_directories(
      std::filesystem::path(absl::StrCat(data_dir, "/", kTableFile))
          .parent_path());
  std::ofstream out(absl::StrCat(data_dir, "/", kTableFile));
  out << csv;
  return out ? absl::OkStatus() : absl::InternalError("cannot write table");
}

class TableObjective : public Objective {
 public:
  static absl::StatusOr<std::shared_ptr<const Objective>> Load(
      const ObjectiveContext& context, std::vector<std::string> hidden) {
    auto objective = std::make_shared<TableObjective>();
    objective->hidden_ = std::move(hidden);
    std::ifstream in(absl::StrCat(context.data_dir, "/", kTableFile));
    std::string line;
    if (!std::getline(in, line)) return absl::NotFoundError("no table");
    while (std::getline(in, line)) {
      const std::vector<std::string> row = absl::StrSplit(line, ',');
      int64_t index;
      double valid, test;
      if (row.size() != 4 || !absl::SimpleAtoi(row[0], &index) ||
          !absl::SimpleAtod(row[1], &valid) ||
          !absl::SimpleAtod(row[2], &test) || index < 0 || index >= 1000) {
        return absl::InvalidArgumentError(absl::StrCat("bad row ", line));
      }
      objective->values_[index] = {valid, test};
    }
    return objective;
  }

  std::string name() const override { return "table"; }
  const SearchSpace& space() const override { return space_; }
  absl::Span<const Fidelity> fidelities() const override {
    return fidelities_;
  }
  Evaluation Evaluate(const Architecture& arch, int, Rng*) const override {
    const auto& [valid, test] = values_[space_.ToIndex(arch)];
    return Evaluation{valid, test, 0};
  }
  std::vector<std::string> data_files() const override { return {kTableFile}; }
  std::vector<HiddenColumns> hidden_test_columns() const override {
    return {{kTableFile, hidden_}};
  }

 private:
  TinySpace space_{3, 10};
  std::vector<Fidelity> fidelities_ = {{"full", 1}};
  std::pair<double, double> values_[1000];
  std::vector<std::string> hidden_;
};

cf::ObjectiveBuilder TableWithHidden(std::vector<std::string> hidden) {
  return [hidden](const ObjectiveContext& context) {
    return TableObjective::Load(context, hidden);
  };
}

// The original table and a scrambled copy of it with `hidden` permuted.
struct Tables {
  std::string data_dir, scrambled_dir;
};

Tables WriteTables(const std::string& name,
                   const std::vector<std::string>& hidden) {
  const Tables tables{absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name),
                      absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name,
                                   "_scrambled")};
  EXPECT_TRUE(WriteTable(tables.data_dir).ok());
  auto objective = TableWithHidden(hidden)({tables.data_dir});
  EXPECT_TRUE(objective.ok()) << objective.status();
  const absl::Status scrambled = cf::WriteScrambledTables(
      **objective, tables.data_dir, tables.scrambled_dir);
  EXPECT_TRUE(scrambled.ok()) << scrambled;
  return tables;
}

TEST(WellBehavedTable, PassesTheOnDiskChecks) {
  const Tables tables = WriteTables("good", {"test"});
  EXPECT_TRUE(cf::HiddenColumnsAreExactlyTheTestMetrics(
      TableWithHidden({"test"}), tables.data_dir, tables.scrambled_dir));
  EXPECT_TRUE(cf::NeverReadsTestMetricsOnDisk(
      Make(Fault::kNone), TableWithHidden({"test"}), tables.data_dir,
      tables.scrambled_dir, 80, 1));
}

TEST(BrokenAlgorithm, ReadingTheTableFileFailsTheOnDiskBlindnessCheck) {
  const Tables tables = WriteTables("cheat", {"test"});
  const auto r = cf::NeverReadsTestMetricsOnDisk(
      Make(Fault::kReadsTableFile), TableWithHidden({"test"}),
      tables.data_dir, tables.scrambled_dir, 80, 1);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("the queries changed when only the test "
                                     "metrics in the table files changed"));
  EXPECT_THAT(r.message(), HasSubstr("query #0 was"));
  // The in-memory check cannot see it.
  auto objective = TableWithHidden({"test"})({tables.data_dir});
  ASSERT_TRUE(objective.ok());
  EXPECT_TRUE(cf::NeverReadsTestMetrics(Make(Fault::kReadsTableFile),
                                        *objective, 80, 1));
}

TEST(BrokenObjective, HidingAValidationColumnFailsTheHiddenColumnsCheck) {
  const Tables tables = WriteTables("hides_valid", {"valid", "test"});
  const auto r = cf::HiddenColumnsAreExactlyTheTestMetrics(
      TableWithHidden({"valid", "test"}), tables.data_dir,
      tables.scrambled_dir);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("a column it declares hidden feeds what "
                                     "searchers see"));
}

TEST(BrokenObjective, NotHidingItsTestColumnFailsTheHiddenColumnsCheck) {
  const Tables tables = WriteTables("hides_train", {"train"});
  const auto r = cf::HiddenColumnsAreExactlyTheTestMetrics(
      TableWithHidden({"train"}), tables.data_dir, tables.scrambled_dir);
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("changed no test error"));
}

TEST(BrokenObjective, AnUnknownHiddenColumnIsAnErrorNamingTheHeader) {
  const std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/typo");
  ASSERT_TRUE(WriteTable(dir).ok());
  auto objective = TableWithHidden({"tset"})({dir});
  ASSERT_TRUE(objective.ok());
  const absl::Status status =
      cf::WriteScrambledTables(**objective, dir, dir + "_scrambled");
  EXPECT_THAT(status.message(),
              HasSubstr("table.csv: hidden_test_columns() names column "
                        "'tset', which is not in the header (index, valid, "
                        "test, train)"));
}

}  // namespace
}  // namespace nas
