#ifndef NASBENCH_OBJECTIVES_OBJECTIVE_H_
#define NASBENCH_OBJECTIVES_OBJECTIVE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "core/architecture.h"
#include "core/random.h"
#include "core/registry.h"
#include "google/protobuf/message.h"
#include "spaces/search_space.h"

namespace nas {

// One training budget an objective can be queried at (e.g. NAS-Bench-201's
// 12- and 200-epoch schedules). Objectives list them cheapest first; the last
// is the full fidelity that results are reported at.
struct Fidelity {
  std::string name;
  double epochs = 0;
};

// A number an objective reports per architecture beside its errors
// (parameters, FLOPs, latency, energy, a test metric of another task...),
// for multi-objective search and reports. Its values are stored lower-is-
// better, so a higher-is-better metric is stored negated (ReportedValue()
// undoes that for reports).
struct MetricInfo {
  enum class Direction { kLowerIsBetter, kHigherIsBetter };
  // Visible: a cost a searcher may optimise (the oracle shows it);
  // hidden: only the harness's reports may use it (e.g. a test metric).
  enum class Visibility { kVisible, kHidden };

  std::string name;  // E.g. "params", "energy".
  std::string unit;  // E.g. "Wh", "count".
  Direction direction = Direction::kLowerIsBetter;
  Visibility visibility = Visibility::kVisible;

  bool visible() const { return visibility == Visibility::kVisible; }
  // A stored (lower-is-better) value in the metric's own sense.
  double ReportedValue(double stored) const {
    return direction == Direction::kHigherIsBetter ? -stored : stored;
  }
  double StoredValue(double reported) const { return ReportedValue(reported); }
};

// What training (looking up) one architecture yields. Errors are "lower is
// better" in the objective's own unit (percent error for the image-
// classification tables); objectives whose metric is higher-is-better negate
// or complement it so every algorithm minimises.
struct Evaluation {
  double valid_error = 0;   // What a searcher may see.
  double test_error = 0;    // For the harness's report only.
  double cost_seconds = 0;  // Simulated training time; 0 when unknown.
  // One value per Objective::metrics(), in that order, lower is better;
  // empty for an objective that declares none.
  std::vector<double> metrics;
};

// Facts about an objective's optimum, for reports ("regret") and tests.
struct KnownOptimum {
  double best_valid_error = 0;
  double best_test_error = 0;
  // Test error of the architecture with the best validation error: the
  // best a searcher that trusts validation can reach.
  double test_error_of_best_valid = 0;
};

// Columns of one data file that hold test metrics: what only the harness's
// report may use. The conformance suite permutes them across rows in a copy
// of the file and checks that no algorithm's queries change.
struct HiddenColumns {
  std::string data_file;             // As listed by data_files().
  std::vector<std::string> columns;  // Header names.
};

// See Objective::landscape_reference().
struct LandscapeReference {
  // Losses are normalised to (loss - low) / (high - low).
  double low = 0;
  double high = 1;
  std::string source;  // For reports, e.g. "study window [25, 55]".
  // Reference densities of normalised losses and of neighbour differences.
  enum class Densities {
    kNone,
    kUniform,          // Independent uniform losses.
    kTruncatedNormal,  // pdf_n: N(pdf_n_mean, pdf_n_sd) on [0, 1];
                       // pdf_e: N(0, neighbour_sd) truncated likewise.
  };
  Densities densities = Densities::kNone;
  std::string name;  // The densities' name in reports ("study").
  double pdf_n_mean = 0;
  double pdf_n_sd = 0;
  double neighbour_sd = 0;
};

// Everything an objective factory may need besides its parameters.
struct ObjectiveContext {
  // Root of the benchmark tables (e.g. "../shared/data"); objectives read
  // their files below it.
  std::string data_dir;
};

// An objective scores architectures of one search space. Immutable after
// construction and thread-safe: tables are loaded once by the factory and
// shared read-only by all cells.
class Objective {
 public:
  Objective() = default;
  Objective(const Objective&) = delete;
  Objective& operator=(const Objective&) = delete;
  virtual ~Objective() = default;

  virtual std::string name() const = 0;
  virtual const SearchSpace& space() const = 0;

  // The unit of the errors, for reports, e.g. "test error (%)".
  virtual std::string error_unit() const { return "error (%)"; }

  // At least one; cheapest first; the last is the full fidelity.
  virtual absl::Span<const Fidelity> fidelities() const = 0;

  // True when repeated evaluations of one architecture may differ; such
  // objectives draw their noise from `noise` (never nullptr for them).
  virtual bool is_noisy() const { return false; }

  // Scores a valid, canonical architecture of space() at fidelities()[
  // fidelity] (0 <= fidelity < fidelities().size()). `noise` may be nullptr
  // for deterministic objectives.
  virtual Evaluation Evaluate(const Architecture& arch, int fidelity,
                              Rng* noise) const = 0;

  // Further metrics each Evaluation carries (Evaluation::metrics), in
  // order; the oracle shows searchers the visible ones only. None by
  // default.
  virtual std::vector<MetricInfo> metrics() const { return {}; }

  // The optimum at full fidelity, when the objective knows it (tables do).
  virtual std::optional<KnownOptimum> known_optimum() const {
    return std::nullopt;
  }

  // The files this objective read, relative to ObjectiveContext::data_dir,
  // so that every output directory records their checksums.
  virtual std::vector<std::string> data_files() const { return {}; }

  // For tabular objectives: per data file, every column holding a test
  // metric (of any dataset or task the file covers, not only the one this
  // objective reports), so that a plugin reading the file itself can be
  // caught. Permuting them must leave validation errors and costs unchanged.
  // Empty when nothing in the data is hidden from searchers.
  virtual std::vector<HiddenColumns> hidden_test_columns() const { return {}; }

  // Optional capabilities for the landscape analysis (landscape),
  // declared here rather than guessed from the objective's name.
  //
  // A fixed window to normalise losses by, and reference densities to test
  // them against (e.g. the study's, for NAS-Bench-201); nullopt: the
  // analysis normalises by the data's min and max and fits only.
  virtual std::optional<LandscapeReference> landscape_reference() const {
    return std::nullopt;
  }
  // The same kind of landscape drawn again (a synthetic objective with its
  // seed advanced by `replicate`, >= 1), so that statistics can be averaged
  // over landscapes; nullptr for an objective with one fixed landscape (a
  // table).
  virtual std::unique_ptr<Objective> Replicate(int replicate) const {
    (void)replicate;
    return nullptr;
  }
};

using ObjectiveFactory =
    std::function<absl::StatusOr<std::unique_ptr<Objective>>(
        std::shared_ptr<const SearchSpace> space,
        const google::protobuf::Message* params,
        const ObjectiveContext& context)>;
using ObjectiveRegistry = Registry<ObjectiveFactory>;

inline ObjectiveRegistry& GlobalObjectiveRegistry() {
  return ObjectiveRegistry::Global("objective");
}

// What an objective's New() returns for a space it cannot score:
// InvalidArgument "objective 'transnas_micro' scores the 'transnas_micro'
// search space, not 'table'".
inline absl::Status WrongSpaceError(absl::string_view objective,
                                    absl::string_view scored_space,
                                    const SearchSpace* space) {
  return absl::InvalidArgumentError(absl::StrCat(
      "objective '", objective, "' scores the '", scored_space,
      "' search space, not '", space ? space->name() : "(none)", "'"));
}

// OK when `space` is the search space named `scored_space`, else
// WrongSpaceError.
inline absl::Status CheckScoredSpace(absl::string_view objective,
                                     absl::string_view scored_space,
                                     const SearchSpace* space) {
  if (space != nullptr && space->name() == scored_space) {
    return absl::OkStatus();
  }
  return WrongSpaceError(objective, scored_space, space);
}

// The factory of an objective class with a static
//   absl::StatusOr<std::unique_ptr<Impl>> Impl::New(
//       std::shared_ptr<const SearchSpace> space, const Params& params
//       [, const ObjectiveContext& context])
// that checks the space and the parameters: it receives the configured
// parameters, or Params' defaults when the config gives none.
template <typename Impl, typename Params>
absl::StatusOr<std::unique_ptr<Objective>> TypedObjectiveFactory(
    std::shared_ptr<const SearchSpace> space,
    const google::protobuf::Message* params, const ObjectiveContext& context) {
  const Params& typed = ParamsOrDefaults<Params>(params);
  if constexpr (std::is_invocable_v<decltype(&Impl::New),
                                    std::shared_ptr<const SearchSpace>,
                                    const Params&, const ObjectiveContext&>) {
    return AsPluginInterface<Objective>(
        Impl::New(std::move(space), typed, context));
  } else {
    return AsPluginInterface<Objective>(Impl::New(std::move(space), typed));
  }
}

// Registers an objective from its own .cc file. The factory checks that the
// space it is given is one it can score (InvalidArgument otherwise). The
// harness loads an experiment's benchmarks in parallel, so the factory may
// run on several threads at once (for other benchmarks, possibly the same
// table): anything it shares between calls, such as a cache of parsed
// tables (CsvTable::ReadShared), must be thread-safe.
#define NAS_REGISTER_OBJECTIVE(name, description, params_prototype, factory) \
  static ::nas::PluginRegistrar NAS_INTERNAL_UNIQUE_NAME(                    \
      nas_objective_registrar_)([] {                                         \
    ::nas::GlobalObjectiveRegistry().Register(                               \
        {name, description, params_prototype, factory, __FILE__});           \
  })

// Registers an objective class and its parameter message, with no adapter:
//   NAS_REGISTER_OBJECTIVE_CLASS("random_uniform", "Independent U[0,1) ...",
//                                RandomUniformObjective,
//                                RandomUniformObjectiveParams);
#define NAS_REGISTER_OBJECTIVE_CLASS(name, description, Impl, Params) \
  NAS_REGISTER_OBJECTIVE(name, description, &Params::default_instance(), \
                         (&::nas::TypedObjectiveFactory<Impl, Params>))

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_OBJECTIVE_H_
