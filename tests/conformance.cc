#include "tests/conformance.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "tests/test_plugins.h"

namespace nas {
namespace conformance {
namespace {

using ::testing::AssertionFailure;
using ::testing::AssertionResult;
using ::testing::AssertionSuccess;

// Gene-wise form for architectures that may be invalid, plus the space's own
// text for valid ones.
std::string Describe(const SearchSpace& space, const Architecture& arch) {
  if (!space.Validate(arch).ok()) return arch.DebugString();
  return absl::StrCat(space.ToString(arch), " ", arch.DebugString());
}

std::string SizeText(absl::uint128 size) {
  if (absl::Uint128High64(size) != 0) return "more than 2^64";
  return absl::StrCat(absl::Uint128Low64(size));
}

// Equal, with NaN equal to NaN: a NaN is ValuesAreFinite's business, not a
// sign of non-determinism.
bool SameValue(double a, double b) {
  return a == b || (std::isnan(a) && std::isnan(b));
}

// What a failed run looked like, for messages.
std::string Summary(const RunOutcome& outcome, int64_t budget) {
  return absl::StrCat("(budget ", budget, ": ", outcome.records.size(),
                      " queries charged, ", outcome.refused_after_budget,
                      " refused after the budget, ", outcome.invalid_queries,
                      " invalid; Run() returned ", outcome.status.ToString(),
                      ")");
}

// The failures every algorithm check shares: a runaway, a failed Run(),
// an invalid query.
std::optional<AssertionResult> CommonFailure(const RunOutcome& outcome,
                                             int64_t budget) {
  if (outcome.runaway) {
    return AssertionFailure()
           << "kept calling Query() after it was refused: stopped by the "
              "test after "
           << kRunawayQueries
           << " refusals. On ResourceExhausted, Run() must return OK; on any "
              "other error, return it "
           << Summary(outcome, budget);
  }
  if (outcome.invalid_queries > 0) {
    return AssertionFailure()
           << "queried " << outcome.invalid_queries
           << " invalid or non-canonical architecture(s), the first "
           << outcome.first_invalid
           << ". Query only architectures that come from the space "
              "(Sample, Neighbors, Mutate, Parse, FromIndex) or pass your own "
              "through Validate and Canonicalize "
           << Summary(outcome, budget);
  }
  if (!outcome.status.ok()) {
    return AssertionFailure()
           << "Run() failed: " << outcome.status.ToString()
           << ". It must return OK when the oracle answers ResourceExhausted, "
              "including during initialisation "
           << Summary(outcome, budget);
  }
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------
// Search spaces.

AssertionResult NameIs(const SearchSpace& space,
                       const std::string& registered_name) {
  if (space.name() == registered_name) return AssertionSuccess();
  return AssertionFailure() << "name() is '" << space.name()
                            << "' but the space is registered as '"
                            << registered_name << "'";
}

AssertionResult SamplesAreValidAndCanonical(const SearchSpace& space,
                                            int samples) {
  Rng rng(1);
  const auto cardinalities = space.gene_cardinalities();
  for (int i = 0; i < samples; ++i) {
    const Architecture arch = space.Sample(rng);
    if (absl::Status valid = space.Validate(arch); !valid.ok()) {
      return AssertionFailure() << "sample #" << i << " " << arch.DebugString()
                                << " is invalid: " << valid.message();
    }
    const Architecture canonical = space.Canonicalize(arch);
    if (canonical != arch) {
      return AssertionFailure()
             << "sample #" << i << " " << arch.DebugString()
             << " is not canonical (Canonicalize gives "
             << canonical.DebugString() << "); Sample must return canonical "
             << "architectures";
    }
    if (arch.size() != static_cast<int>(cardinalities.size())) {
      return AssertionFailure()
             << "sample #" << i << " has " << arch.size() << " genes but "
             << "gene_cardinalities() lists " << cardinalities.size();
    }
    for (int g = 0; g < arch.size(); ++g) {
      if (arch[g] >= cardinalities[g]) {
        return AssertionFailure()
               << "sample #" << i << " " << arch.DebugString() << ": gene "
               << g << " is " << int{arch[g]} << " but its cardinality is "
               << cardinalities[g];
      }
    }
    if (space.IsIndexable()) {
      const int64_t index = space.ToIndex(arch);
      if (index < 0 || absl::uint128(index) >= space.Size()) {
        return AssertionFailure() << "ToIndex(" << Describe(space, arch)
                                  << ") is " << index << ", outside [0, "
                                  << SizeText(space.Size()) << ")";
      }
      if (space.FromIndex(index) != arch) {
        return AssertionFailure()
               << "FromIndex(ToIndex(a)) != a for a = " << Describe(space, arch)
               << " (index " << index << " gives "
               << space.FromIndex(index).DebugString() << ")";
      }
    }
  }
  return AssertionSuccess();
}

AssertionResult TextRoundTrips(const SearchSpace& space, int samples) {
  Rng rng(1);
  for (int i = 0; i < samples; ++i) {
    const Architecture arch = space.Sample(rng);
    const std::string text = space.ToString(arch);
    absl::StatusOr<Architecture> parsed = space.Parse(text);
    if (!parsed.ok()) {
      return AssertionFailure() << "Parse(ToString(a)) fails for a = "
                                << arch.DebugString() << ", text \"" << text
                                << "\": " << parsed.status().message();
    }
    if (*parsed != arch) {
      return AssertionFailure()
             << "Parse(ToString(a)) != a: a = " << arch.DebugString()
             << " prints as \"" << text << "\", which parses to "
             << parsed->DebugString();
    }
    if (space.Hash(*parsed) != space.Hash(arch)) {
      return AssertionFailure() << "Hash differs after a text round trip of \""
                                << text << "\"";
    }
  }
  return AssertionSuccess();
}

AssertionResult NeighboursAreDistinctValidCanonicalAndStable(
    const SearchSpace& space, int samples, int max_isolated) {
  Rng rng(2);
  std::vector<Architecture> neighbors, again;
  int isolated = 0;
  for (int i = 0; i < samples; ++i) {
    const Architecture arch = space.Sample(rng);
    space.Neighbors(arch, &neighbors);
    isolated += neighbors.empty();
    absl::flat_hash_set<uint64_t> hashes;
    for (size_t k = 0; k < neighbors.size(); ++k) {
      const Architecture& n = neighbors[k];
      const std::string where = absl::StrCat(
          "neighbour #", k, " of ", Describe(space, arch), ", ");
      if (absl::Status valid = space.Validate(n); !valid.ok()) {
        return AssertionFailure() << where << n.DebugString()
                                  << ", is invalid: " << valid.message();
      }
      if (space.Canonicalize(n) != n) {
        return AssertionFailure()
               << where << n.DebugString() << ", is not canonical (canonical "
               << "form " << space.Canonicalize(n).DebugString()
               << "); pass neighbours through Canonicalize";
      }
      if (n == arch || space.Hash(n) == space.Hash(arch)) {
        return AssertionFailure() << where << "is the architecture itself";
      }
      if (!hashes.insert(space.Hash(n)).second) {
        return AssertionFailure()
               << where << Describe(space, n)
               << ", appears twice (equal Hash); neighbours must be distinct";
      }
    }
    space.Neighbors(arch, &again);
    if (again != neighbors) {
      return AssertionFailure() << "Neighbors(" << Describe(space, arch)
                                << ") gave a different list the second time; "
                                   "the order must be fixed";
    }
    const Architecture mutated = space.Mutate(arch, rng);
    if (absl::Status valid = space.Validate(mutated); !valid.ok()) {
      return AssertionFailure() << "Mutate(" << Describe(space, arch)
                                << ") is invalid: " << valid.message();
    }
    if (space.Canonicalize(mutated) != mutated) {
      return AssertionFailure() << "Mutate(" << Describe(space, arch)
                                << ") = " << mutated.DebugString()
                                << " is not canonical";
    }
  }
  // A space may have isolated architectures (NAS-Bench-101's bare
  // input->output cell), but not many.
  if (isolated > max_isolated) {
    return AssertionFailure() << isolated << " of " << samples
                              << " sampled architectures have no neighbour";
  }
  return AssertionSuccess();
}

AssertionResult GarbageTextIsAnError(const SearchSpace& space) {
  for (const char* text : {"", "x", "|||", "Genotype(", "adj=", "\xff\xfe",
                           "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"}) {
    absl::StatusOr<Architecture> parsed = space.Parse(text);
    if (parsed.ok()) {
      return AssertionFailure() << "Parse(\"" << text << "\") accepted it as "
                                << parsed->DebugString();
    }
    if (parsed.status().message().empty()) {
      return AssertionFailure() << "Parse(\"" << text
                                << "\") failed without saying why";
    }
  }
  return AssertionSuccess();
}

AssertionResult CheapChecksAgree(const SearchSpace& space, int samples) {
  Rng rng(5);
  auto check = [&space](const Architecture& arch) -> AssertionResult {
    const absl::Status valid = space.Validate(arch);
    if (space.IsValid(arch) != valid.ok()) {
      return AssertionFailure() << "IsValid(" << arch.DebugString() << ") is "
                                << space.IsValid(arch) << " but Validate says "
                                << (valid.ok() ? "OK" : valid.message())
                                << "; IsValid must agree with Validate";
    }
    const int64_t expected_index =
        valid.ok() && space.IsIndexable() ? space.ToIndex(arch) : -1;
    if (space.IndexIfValid(arch) != expected_index) {
      return AssertionFailure()
             << "IndexIfValid(" << arch.DebugString() << ") is "
             << space.IndexIfValid(arch) << " but "
             << (expected_index < 0 ? "the architecture is invalid or the "
                                      "space not indexable, so it must be -1"
                                    : "ToIndex gives ")
             << (expected_index < 0 ? "" : std::to_string(expected_index));
    }
    if (valid.ok() && !space.HasSymmetries() &&
        space.Canonicalize(arch) != arch) {
      return AssertionFailure() << "HasSymmetries() is false but Canonicalize("
                                << arch.DebugString() << ") is "
                                << space.Canonicalize(arch).DebugString()
                                << "; a space with symmetries must return true";
    }
    return AssertionSuccess();
  };
  for (int i = 0; i < samples; ++i) {
    const Architecture arch = space.Sample(rng);
    if (AssertionResult r = check(arch); !r) return r;
    if (arch.size() > 0) {
      if (AssertionResult r =
              check(Architecture(arch.genes().subspan(0, arch.size() - 1)));
          !r) {
        return r;
      }
    }
    const absl::Span<const int> cardinalities = space.gene_cardinalities();
    for (int g = 0; g < arch.size(); ++g) {
      // Every value in range, the first out of it, and the largest.
      const int first_invalid = std::min(
          255, g < static_cast<int>(cardinalities.size()) ? cardinalities[g]
                                                          : 0);
      std::vector<int> values;
      for (int value = 0; value <= first_invalid; ++value) {
        values.push_back(value);
      }
      if (first_invalid < 255) values.push_back(255);
      for (int value : values) {
        Architecture changed = arch;
        changed[g] = static_cast<uint8_t>(value);
        if (AssertionResult r = check(changed); !r) return r;
      }
    }
  }
  return AssertionSuccess();
}

AssertionResult SameSeedSameSamples(const SearchSpace& space, int samples) {
  Rng a(3), b(3);
  for (int i = 0; i < samples; ++i) {
    const Architecture x = space.Sample(a);
    const Architecture y = space.Sample(b);
    if (x != y) {
      return AssertionFailure()
             << "two streams with seed 3 gave different sample #" << i << ": "
             << x.DebugString() << " and " << y.DebugString()
             << "; Sample must draw only from its Rng";
    }
  }
  return AssertionSuccess();
}

// ---------------------------------------------------------------------------
// Objectives.

namespace {

// Calls `visit(arch, fidelity, evaluation)` for sampled architectures at
// every fidelity until it returns a failure.
template <typename Visit>
AssertionResult ForEachEvaluation(const Objective& objective, int samples,
                                  Visit visit) {
  Rng rng(4), noise(5);
  const int num_fidelities = static_cast<int>(objective.fidelities().size());
  if (num_fidelities == 0) {
    return AssertionFailure() << "fidelities() is empty; list at least one";
  }
  for (int i = 0; i < samples; ++i) {
    const Architecture arch = objective.space().Sample(rng);
    for (int f = 0; f < num_fidelities; ++f) {
      const Evaluation e = objective.Evaluate(arch, f, &noise);
      AssertionResult result = visit(arch, f, e);
      if (!result) return result;
    }
  }
  return AssertionSuccess();
}

}  // namespace

AssertionResult ValuesAreFinite(const Objective& objective, int samples) {
  const SearchSpace& space = objective.space();
  const std::vector<MetricInfo> declared = objective.metrics();
  const size_t num_metrics = declared.size();
  return ForEachEvaluation(
      objective, samples,
      [&](const Architecture& arch, int f,
          const Evaluation& e) -> AssertionResult {
        const std::string where = absl::StrCat(
            objective.name(), ".Evaluate(", Describe(space, arch),
            ", fidelity ", f, ") gave ");
        if (!std::isfinite(e.valid_error)) {
          return AssertionFailure() << where << "valid_error " << e.valid_error;
        }
        if (!std::isfinite(e.test_error)) {
          return AssertionFailure() << where << "test_error " << e.test_error;
        }
        if (!std::isfinite(e.cost_seconds) || e.cost_seconds < 0) {
          return AssertionFailure()
                 << where << "cost_seconds " << e.cost_seconds
                 << "; costs are finite and >= 0 (0 when unknown)";
        }
        if (e.metrics.size() != num_metrics) {
          return AssertionFailure()
                 << where << e.metrics.size() << " metric values; metrics() "
                 << "declares " << num_metrics << ", one value each";
        }
        for (size_t m = 0; m < num_metrics; ++m) {
          if (!std::isfinite(e.metrics[m])) {
            return AssertionFailure() << where << "metric "
                                      << declared[m].name << " " << e.metrics[m];
          }
        }
        return AssertionSuccess();
      });
}

AssertionResult DeterministicUnlessNoisy(const Objective& objective,
                                         int samples) {
  if (objective.is_noisy()) return AssertionSuccess();
  const SearchSpace& space = objective.space();
  return ForEachEvaluation(
      objective, samples,
      [&](const Architecture& arch, int f,
          const Evaluation& e) -> AssertionResult {
        const Evaluation again = objective.Evaluate(arch, f, nullptr);
        if (!SameValue(again.valid_error, e.valid_error) ||
            !SameValue(again.test_error, e.test_error) ||
            !SameValue(again.cost_seconds, e.cost_seconds)) {
          return AssertionFailure()
                 << objective.name() << " says is_noisy() == false but "
                 << "Evaluate(" << Describe(space, arch) << ", fidelity " << f
                 << ") gave (valid " << e.valid_error << ", test "
                 << e.test_error << ", cost " << e.cost_seconds
                 << ") and then (valid " << again.valid_error << ", test "
                 << again.test_error << ", cost " << again.cost_seconds
                 << "); return true from is_noisy() and draw noise only from "
                    "the Rng passed in";
        }
        return AssertionSuccess();
      });
}

AssertionResult NothingBeatsTheKnownOptimum(const Objective& objective,
                                            int samples) {
  const auto optimum = objective.known_optimum();
  if (!optimum || objective.is_noisy()) return AssertionSuccess();
  const SearchSpace& space = objective.space();
  const int full = static_cast<int>(objective.fidelities().size()) - 1;
  return ForEachEvaluation(
      objective, samples,
      [&](const Architecture& arch, int f,
          const Evaluation& e) -> AssertionResult {
        if (f != full) return AssertionSuccess();
        if (e.valid_error < optimum->best_valid_error ||
            e.test_error < optimum->best_test_error) {
          return AssertionFailure()
                 << objective.name() << ": " << Describe(space, arch)
                 << " has (valid " << e.valid_error << ", test "
                 << e.test_error << "), below the known optimum (valid "
                 << optimum->best_valid_error << ", test "
                 << optimum->best_test_error << ")";
        }
        return AssertionSuccess();
      });
}

// ---------------------------------------------------------------------------
// Algorithms.

AlgorithmMaker RegisteredAlgorithm(const std::string& name) {
  return [name]() -> absl::StatusOr<std::unique_ptr<Algorithm>> {
    auto entry = GlobalAlgorithmRegistry().Find(name);
    if (!entry.ok()) return entry.status();
    const google::protobuf::Message* prototype = (*entry)->params_prototype;
    std::unique_ptr<google::protobuf::Message> params(
        prototype ? prototype->New() : nullptr);
    return (*entry)->factory(params.get());
  };
}

namespace {

// Sets an environment variable for the lifetime of the object, then puts
// back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (!value.empty()) setenv(name, value.c_str(), /*overwrite=*/1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// The proxy every run is served, so proxy-guided settings are checked too:
// a hash of the architecture, which knows nothing of any metric.
class HashProxy final : public ProxyScorer {
 public:
  explicit HashProxy(const SearchSpace& space) : space_(space) {}
  const std::string& name() const override { return name_; }
  absl::StatusOr<double> Score(const Architecture& arch) const override {
    return static_cast<double>(HashCombine(5, space_.Hash(arch)) % 100000);
  }

 private:
  const SearchSpace& space_;
  const std::string name_ = "conformance_hash";
};

}  // namespace

RunOutcome RunOnce(const AlgorithmMaker& make, const Objective& objective,
                   int64_t budget, uint64_t seed) {
  return RunOnce(make, RunWorld{&objective, ""}, budget, seed);
}

RunOutcome RunOnce(const AlgorithmMaker& make, const RunWorld& world,
                   int64_t budget, uint64_t seed) {
  RunOutcome outcome;
  absl::StatusOr<std::unique_ptr<Algorithm>> algorithm = make();
  if (!algorithm.ok()) {
    outcome.status = absl::Status(
        algorithm.status().code(),
        absl::StrCat("the factory failed with default parameters: ",
                     algorithm.status().message()));
    return outcome;
  }
  BudgetLimits limits;
  limits.queries = budget;
  limits.max_refused_queries = kRunawayQueries;
  const HashProxy proxy(world.objective->space());
  BudgetedOracle oracle(*world.objective, limits, Rng(seed + 1), &proxy);
  Rng rng(seed);
  {
    const ScopedEnv data_dir("NAS_DATA_DIR", world.data_dir);
    outcome.status = RunAlgorithm(**algorithm, oracle, rng);
  }
  outcome.runaway = oracle.stopped_runaway();
  outcome.refused_after_budget = oracle.refused_after_budget();
  outcome.invalid_queries = oracle.invalid_queries();
  outcome.first_invalid = oracle.first_invalid();
  outcome.records = oracle.TakeRecords();
  return outcome;
}

AssertionResult SpendsExactlyTheBudget(const AlgorithmMaker& make,
                                       const Objective& objective,
                                       int64_t budget, uint64_t seed) {
  if (objective.space().Size() <= absl::uint128(budget)) {
    return AssertionFailure() << "test set-up: the space must hold more than "
                              << budget << " architectures";
  }
  const RunOutcome outcome = RunOnce(make, objective, budget, seed);
  if (auto failure = CommonFailure(outcome, budget)) return *failure;
  if (outcome.refused_after_budget > 1) {
    return AssertionFailure()
           << "made " << outcome.refused_after_budget
           << " queries after the budget was spent; return OK at the first "
              "ResourceExhausted (IsBudgetExhausted(status)) "
           << Summary(outcome, budget);
  }
  if (static_cast<int64_t>(outcome.records.size()) != budget) {
    return AssertionFailure()
           << "stopped after " << outcome.records.size() << " of " << budget
           << " queries although the space holds "
           << SizeText(objective.space().Size())
           << " architectures; keep searching until the oracle answers "
              "ResourceExhausted "
           << Summary(outcome, budget);
  }
  return AssertionSuccess();
}

AssertionResult QueriesOnlyValidArchitectures(const AlgorithmMaker& make,
                                              const Objective& objective,
                                              int64_t budget, uint64_t seed) {
  const RunOutcome outcome = RunOnce(make, objective, budget, seed);
  if (outcome.invalid_queries > 0 || outcome.runaway) {
    return *CommonFailure(outcome, budget);
  }
  return AssertionSuccess();
}

namespace {

// Describes the first difference between two runs' queries, or "" if none.
std::string FirstDifference(const SearchSpace& space, const RunOutcome& a,
                            const RunOutcome& b, const char* a_name,
                            const char* b_name) {
  const size_t common = std::min(a.records.size(), b.records.size());
  for (size_t i = 0; i < common; ++i) {
    const QueryRecord& x = a.records[i];
    const QueryRecord& y = b.records[i];
    if (x.arch != y.arch || x.fidelity != y.fidelity) {
      return absl::StrCat("query #", i, " was ", Describe(space, x.arch),
                          " at fidelity ", x.fidelity, " in the ", a_name,
                          " run and ", Describe(space, y.arch),
                          " at fidelity ", y.fidelity, " in the ", b_name,
                          " run");
    }
  }
  if (a.records.size() != b.records.size()) {
    return absl::StrCat("the ", a_name, " run made ", a.records.size(),
                        " queries and the ", b_name, " run ",
                        b.records.size());
  }
  if (a.status != b.status) {
    return absl::StrCat("the ", a_name, " run returned ", a.status.ToString(),
                        " and the ", b_name, " run ", b.status.ToString());
  }
  return "";
}

}  // namespace

AssertionResult DeterministicForASeed(const AlgorithmMaker& make,
                                      const Objective& objective,
                                      int64_t budget, uint64_t seed) {
  const RunOutcome first = RunOnce(make, objective, budget, seed);
  const RunOutcome second = RunOnce(make, objective, budget, seed);
  const std::string difference =
      FirstDifference(objective.space(), first, second, "first", "second");
  if (difference.empty()) return AssertionSuccess();
  return AssertionFailure()
         << "two runs with seed " << seed << " differ: " << difference
         << ". Draw every random number from the Rng passed to Run(); no "
            "static state, clocks, addresses or std::random_device";
}

AssertionResult NeverReadsTestMetrics(const AlgorithmMaker& make,
                                      std::shared_ptr<const Objective> objective,
                                      int64_t budget, uint64_t seed) {
  const ScrambledTestObjective scrambled(objective);
  const RunOutcome honest = RunOnce(make, *objective, budget, seed);
  const RunOutcome blind = RunOnce(make, scrambled, budget, seed);
  const std::string difference = FirstDifference(
      objective->space(), honest, blind, "real-test-error", "scrambled");
  if (difference.empty()) return AssertionSuccess();
  return AssertionFailure()
         << "the queries changed when only the test errors changed: "
         << difference
         << ". An algorithm may use only what Oracle::Query returns "
            "(validation error and cost)";
}

namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::Status WriteWholeFile(const std::string& path,
                            const std::string& content) {
  std::error_code error;
  std::filesystem::create_directories(
      std::filesystem::path(path).parent_path(), error);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// `csv` (header line, then one row per line, no quoting: the tables'
// format) with `columns` permuted across the rows by one fixed shuffle.
absl::StatusOr<std::string> PermuteColumns(
    const std::string& path, const std::string& csv,
    const std::vector<std::string>& columns) {
  std::vector<std::string> lines = absl::StrSplit(csv, '\n');
  if (lines.empty()) return absl::InvalidArgumentError(path + " is empty");
  auto split = [](std::string line) {
    const bool crlf = !line.empty() && line.back() == '\r';
    if (crlf) line.pop_back();
    return std::make_pair(std::vector<std::string>(absl::StrSplit(line, ',')),
                          crlf);
  };
  const std::vector<std::string> header = split(lines[0]).first;
  std::vector<int> positions;
  for (const std::string& column : columns) {
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": hidden_test_columns() names column '", column,
          "', which is not in the header (", absl::StrJoin(header, ", "),
          ")"));
    }
    positions.push_back(static_cast<int>(it - header.begin()));
  }
  std::vector<size_t> rows;  // Line numbers of the data rows.
  std::vector<std::pair<std::vector<std::string>, bool>> fields(lines.size());
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty() || lines[i] == "\r") continue;
    fields[i] = split(lines[i]);
    if (fields[i].first.size() != header.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", i + 1, ": ", fields[i].first.size(), " fields, ",
          header.size(), " in the header"));
    }
    rows.push_back(i);
  }
  std::vector<size_t> from = rows;
  Rng rng(StableHash(path.substr(path.rfind('/') + 1)));
  rng.Shuffle(&from);
  const auto original = fields;
  for (size_t r = 0; r < rows.size(); ++r) {
    for (int p : positions) {
      fields[rows[r]].first[p] = original[from[r]].first[p];
    }
  }
  for (size_t line : rows) {
    lines[line] = absl::StrCat(absl::StrJoin(fields[line].first, ","),
                               fields[line].second ? "\r" : "");
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

absl::Status WriteScrambledTables(const Objective& objective,
                                  const std::string& data_dir,
                                  const std::string& scrambled_dir) {
  const std::vector<HiddenColumns> hidden = objective.hidden_test_columns();
  for (const HiddenColumns& h : hidden) {
    const std::vector<std::string> files = objective.data_files();
    if (std::find(files.begin(), files.end(), h.data_file) == files.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          objective.name(), ": hidden_test_columns() names '", h.data_file,
          "', which is not one of its data_files() (",
          absl::StrJoin(files, ", "), ")"));
    }
  }
  for (const std::string& file : objective.data_files()) {
    const std::string source = absl::StrCat(data_dir, "/", file);
    absl::StatusOr<std::string> content = ReadWholeFile(source);
    if (!content.ok()) return content.status();
    for (const HiddenColumns& h : hidden) {
      if (h.data_file != file) continue;
      content = PermuteColumns(source, *content, h.columns);
      if (!content.ok()) return content.status();
    }
    if (absl::Status written =
            WriteWholeFile(absl::StrCat(scrambled_dir, "/", file), *content);
        !written.ok()) {
      return written;
    }
  }
  return absl::OkStatus();
}

namespace {

// The objective built from the original and from the scrambled tables.
struct ObjectivePair {
  std::shared_ptr<const Objective> original, scrambled;
};

absl::StatusOr<ObjectivePair> BuildBoth(const ObjectiveBuilder& build,
                                        const std::string& data_dir,
                                        const std::string& scrambled_dir) {
  ObjectivePair pair;
  for (auto [dir, slot] : {std::make_pair(&data_dir, &pair.original),
                           std::make_pair(&scrambled_dir, &pair.scrambled)}) {
    auto objective = build(ObjectiveContext{*dir});
    if (!objective.ok()) {
      return absl::Status(objective.status().code(),
                          absl::StrCat("building the objective from ", *dir,
                                       " failed: ",
                                       objective.status().message()));
    }
    *slot = std::move(*objective);
  }
  if (pair.original->hidden_test_columns().empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "test set-up: ", pair.original->name(),
        " declares no hidden_test_columns(), so a scrambled copy of its "
        "tables hides nothing"));
  }
  return pair;
}

}  // namespace

AssertionResult HiddenColumnsAreExactlyTheTestMetrics(
    const ObjectiveBuilder& build, const std::string& data_dir,
    const std::string& scrambled_dir, int samples) {
  auto pair = BuildBoth(build, data_dir, scrambled_dir);
  if (!pair.ok()) return AssertionFailure() << pair.status().message();
  const Objective& original = *pair->original;
  const Objective& scrambled = *pair->scrambled;
  const SearchSpace& space = original.space();
  Rng rng(6);
  int test_changed = 0;
  const std::vector<MetricInfo> metrics = original.metrics();
  std::vector<int> metric_changed(metrics.size(), 0);
  for (int i = 0; i < samples; ++i) {
    const Architecture arch = space.Sample(rng);
    for (int f = 0; f < static_cast<int>(original.fidelities().size()); ++f) {
      Rng noise_a(7 + i), noise_b(7 + i);
      const Evaluation a = original.Evaluate(arch, f, &noise_a);
      const Evaluation b = scrambled.Evaluate(arch, f, &noise_b);
      if (!SameValue(a.valid_error, b.valid_error) ||
          !SameValue(a.cost_seconds, b.cost_seconds)) {
        return AssertionFailure()
               << original.name() << ": with its hidden_test_columns() "
               << "permuted, Evaluate(" << Describe(space, arch)
               << ", fidelity " << f << ") changed from (valid "
               << a.valid_error << ", cost " << a.cost_seconds << ") to (valid "
               << b.valid_error << ", cost " << b.cost_seconds
               << "): a column it declares hidden feeds what searchers see";
      }
      test_changed += !SameValue(a.test_error, b.test_error);
      for (size_t m = 0; m < metrics.size(); ++m) {
        const bool changed = !SameValue(a.metrics.at(m), b.metrics.at(m));
        if (changed && metrics[m].visible()) {
          return AssertionFailure()
                 << original.name() << ": with its hidden_test_columns() "
                 << "permuted, visible metric '" << metrics[m].name << "' of "
                 << Describe(space, arch) << " changed from " << a.metrics[m]
                 << " to " << b.metrics[m]
                 << ": a column it declares hidden feeds what searchers see";
        }
        metric_changed[m] += changed;
      }
    }
  }
  if (test_changed == 0) {
    return AssertionFailure()
           << original.name() << ": permuting its hidden_test_columns() "
           << "changed no test error of " << samples
           << " sampled architectures: the column it reports is not declared";
  }
  for (size_t m = 0; m < metrics.size(); ++m) {
    if (!metrics[m].visible() && metric_changed[m] == 0) {
      return AssertionFailure()
             << original.name() << ": permuting its hidden_test_columns() "
             << "changed no value of hidden metric '" << metrics[m].name
             << "' of " << samples
             << " sampled architectures: its column is not declared hidden";
    }
  }
  return AssertionSuccess();
}

AssertionResult NeverReadsTestMetricsOnDisk(const AlgorithmMaker& make,
                                            const ObjectiveBuilder& build,
                                            const std::string& data_dir,
                                            const std::string& scrambled_dir,
                                            int64_t budget, uint64_t seed) {
  auto pair = BuildBoth(build, data_dir, scrambled_dir);
  if (!pair.ok()) return AssertionFailure() << pair.status().message();
  const RunOutcome honest =
      RunOnce(make, RunWorld{pair->original.get(), data_dir}, budget, seed);
  const RunOutcome blind = RunOnce(
      make, RunWorld{pair->scrambled.get(), scrambled_dir}, budget, seed);
  const std::string difference =
      FirstDifference(pair->original->space(), honest, blind, "original-table",
                      "scrambled-table");
  if (difference.empty()) return AssertionSuccess();
  return AssertionFailure()
         << "the queries changed when only the test metrics in the table "
            "files changed (NAS_DATA_DIR pointed at a copy with "
         << pair->original->name()
         << "'s hidden_test_columns() permuted): " << difference
         << ". An algorithm may not read benchmark data itself; it may use "
            "only what Oracle::Query returns";
}

AssertionResult TerminatesOnAnExhaustedSpace(const AlgorithmMaker& make,
                                             const Objective& small_objective,
                                             int64_t budget, uint64_t seed) {
  const SearchSpace& space = small_objective.space();
  if (space.Size() >= absl::uint128(budget)) {
    return AssertionFailure() << "test set-up: the space must hold fewer "
                              << "than " << budget << " architectures";
  }
  const RunOutcome outcome = RunOnce(make, small_objective, budget, seed);
  if (auto failure = CommonFailure(outcome, budget)) return *failure;
  if (static_cast<int64_t>(outcome.records.size()) >= budget) {
    absl::flat_hash_set<uint64_t> distinct;
    for (const QueryRecord& r : outcome.records) {
      distinct.insert(space.Hash(r.arch));
    }
    return AssertionFailure()
           << "did not stop after the space was exhausted: it spent the "
              "whole budget of "
           << budget << " queries on a space of " << SizeText(space.Size())
           << " architectures (" << distinct.size()
           << " distinct ones queried). Return OK when nothing new is left "
              "(e.g. DistinctSampler::Next returns nullopt) "
           << Summary(outcome, budget);
  }
  return AssertionSuccess();
}

AssertionResult BehavesOnABudgetOfOne(const AlgorithmMaker& make,
                                      const Objective& objective,
                                      uint64_t seed) {
  const RunOutcome outcome = RunOnce(make, objective, 1, seed);
  if (auto failure = CommonFailure(outcome, 1)) {
    return *failure << " [with a budget of 1]";
  }
  if (outcome.refused_after_budget > 1) {
    return AssertionFailure()
           << "made " << outcome.refused_after_budget
           << " queries after a budget of 1 was spent; return OK at the "
              "first ResourceExhausted "
           << Summary(outcome, 1);
  }
  if (outcome.records.size() != 1) {
    return AssertionFailure() << "made " << outcome.records.size()
                              << " queries with a budget of 1 "
                              << Summary(outcome, 1);
  }
  return AssertionSuccess();
}

}  // namespace conformance
}  // namespace nas
