#include "harness/config.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "harness/libtorch_hooks.h"
#include "harness/multiobjective.h"
#include "harness/output.h"
#include "harness/parallel.h"
#include "objectives/common/csv_table.h"
#include "re2/re2.h"

namespace nas {
namespace {

using google::protobuf::Any;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::TextFormat;

constexpr char kDefaultDataDir[] = "../shared/data";

// Collects the parser's complaints as "path:line:column: message".
class CollectingErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectingErrorCollector(std::string path) : path_(std::move(path)) {}

  void AddError(int line, int column, const std::string& message) override {
    if (!first_.empty()) return;
    first_ = absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ",
                          absl::StripSuffix(message, "."));
    // Quote the offending line: the parser's message alone does not always
    // name the field ("Expected integer, got: ...").
    if (line >= 0 && line < static_cast<int>(lines_.size())) {
      absl::StrAppend(&first_, " (in `",
                      absl::StripAsciiWhitespace(lines_[line]), "`)");
    }
  }
  void SetText(const std::string& text) { lines_ = absl::StrSplit(text, '\n'); }
  void AddWarning(int, int, const std::string&) override {}

  const std::string& first() const { return first_; }

 private:
  std::string path_;
  std::string first_;
  std::vector<std::string> lines_;
};

// Semantic checks with positions from the parser's location tree.
class Checker {
 public:
  Checker(std::string path, const TextFormat::ParseInfoTree* root)
      : path_(std::move(path)), root_(root) {}

  // "path:line:col" of `field` (index for repeated fields, -1 otherwise)
  // inside `tree`, or of the file when the field is absent.
  std::string Where(const TextFormat::ParseInfoTree* tree,
                    const Descriptor* type, const char* field,
                    int index = -1) const {
    const FieldDescriptor* descriptor = type->FindFieldByName(field);
    if (tree != nullptr && descriptor != nullptr) {
      TextFormat::ParseLocation loc = tree->GetLocation(descriptor, index);
      // A list (`checkpoint: [1, 2]`) records one location for all values.
      if (loc.line < 0 && index > 0) loc = tree->GetLocation(descriptor, 0);
      if (loc.line >= 0) {
        return absl::StrCat(path_, ":", loc.line + 1, ":", loc.column + 1);
      }
    }
    return path_;
  }

  const TextFormat::ParseInfoTree* Nested(const TextFormat::ParseInfoTree* tree,
                                          const Descriptor* type,
                                          const char* field,
                                          int index = -1) const {
    if (tree == nullptr) return nullptr;
    return tree->GetTreeForNested(type->FindFieldByName(field), index);
  }

  const TextFormat::ParseInfoTree* root() const { return root_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const TextFormat::ParseInfoTree* root_;
};

absl::Status ConfigError(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// Labels and benchmark names become directory and file names (cells/,
// plots/): a portable character set, and short enough that every file name
// built from them, temporary ones included, stays far below the 255-byte
// limit of common file systems.
constexpr int kMaxLabelLength = 100;

bool IsValidLabel(const std::string& label) {
  static const RE2* const kLabel = new RE2("[A-Za-z0-9][A-Za-z0-9_.+-]*");
  return label.size() <= kMaxLabelLength && RE2::FullMatch(label, *kLabel);
}

// A label as messages quote it: at most 40 characters.
std::string Brief(const std::string& label) {
  return label.size() <= 40 ? label
                            : absl::StrCat(label.substr(0, 37), "... (",
                                           label.size(), " characters)");
}

std::string LabelRule() {
  return absl::StrCat("must be 1 to ", kMaxLabelLength,
                      " characters of letters, digits and . _ + - (it names "
                      "files)");
}

// Bounds that keep a config from asking for more than one machine can hold
// (every cell's summary is kept in memory for the reports): a mistyped
// number gets a message instead of an out-of-memory crash.
constexpr int kMaxSeeds = 100000;
constexpr int64_t kMaxCells = 1000000;

// Unpacks `any` into a new message of the plugin's parameter type.
template <typename Entry>
absl::StatusOr<std::shared_ptr<const Message>> UnpackParams(
    const Entry& entry, const std::string& kind, bool has_params,
    const Any& any, const std::string& where) {
  const Message* prototype = entry.params_prototype;
  if (prototype == nullptr) {
    if (has_params) {
      return ConfigError(where, absl::StrCat(kind, " '", entry.name,
                                             "' takes no parameters; remove "
                                             "the params block"));
    }
    return std::shared_ptr<const Message>();
  }
  std::shared_ptr<Message> params(prototype->New());
  if (!has_params) return std::shared_ptr<const Message>(params);
  const std::string expected = prototype->GetDescriptor()->full_name();
  const std::string prefix = "type.googleapis.com/";
  if (any.type_url() != prefix + expected) {
    std::string got = any.type_url();
    if (got.rfind(prefix, 0) == 0) got = got.substr(prefix.size());
    // Algorithms' `where` already names the plugin (by its label).
    return ConfigError(
        where, absl::StrCat(kind == "algorithm"
                                ? std::string("takes")
                                : absl::StrCat(kind, " '", entry.name, "' takes"),
                            " parameters of type ", expected, ", not ", got,
                            "; write params { [type.googleapis.com/", expected,
                            "] { ... } } (`nas describe ", entry.name,
                            "` lists its fields)"));
  }
  if (!any.UnpackTo(params.get())) {
    return ConfigError(where, absl::StrCat("cannot decode the parameters of ",
                                           kind, " '", entry.name, "'"));
  }
  return std::shared_ptr<const Message>(params);
}

// `bazel run` starts binaries in the runfiles tree; the user's directory
// is in BUILD_WORKING_DIRECTORY.
std::string FromWorkingDir(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (!path.empty() && path[0] != '/' && cwd != nullptr && *cwd != '\0') {
    return absl::StrCat(cwd, "/", path);
  }
  return path;
}

std::string ResolveDataDir(const Experiment& config,
                           const LoadOptions& options) {
  std::string dir = options.data_dir;
  if (dir.empty() && config.has_data_dir()) dir = config.data_dir();
  if (dir.empty()) {
    const char* env = std::getenv("NAS_DATA_DIR");
    if (env != nullptr && *env != '\0') dir = env;
  }
  if (dir.empty()) dir = kDefaultDataDir;
  return FromWorkingDir(dir);
}

// The benchmark's proxy, its paths taken from the working directory.
absl::StatusOr<std::shared_ptr<const ProxyScorer>> LoadProxy(
    const BenchmarkSpec& spec, std::shared_ptr<const SearchSpace> space,
    const std::string& where) {
  if (!spec.has_proxy()) return std::shared_ptr<const ProxyScorer>();
  if (spec.proxy().name().empty()) {
    return ConfigError(where, "proxy has no name; add e.g. `proxy { name: "
                              "\"synflow\" }` (`nas list` shows the proxies)");
  }
  const LibtorchHooks* hooks = GetLibtorchHooks();
  if (hooks == nullptr) {
    // `nas` re-executes the full binary before it gets here.
    return absl::FailedPreconditionError(absl::StrCat(
        where, ": proxy '", spec.proxy().name(),
        "' needs the libtorch build of nas, which scores proxies; this "
        "binary links no libtorch. Build //harness:nas_torch (bazel build "
        "//:nas builds both)"));
  }
  ProxySpec resolved = spec.proxy();
  resolved.set_cache_dir(FromWorkingDir(resolved.cache_dir()));
  resolved.mutable_settings()->set_dataset_dir(
      FromWorkingDir(resolved.settings().dataset_dir()));
  absl::StatusOr<std::unique_ptr<ProxyScorer>> scorer =
      hooks->make_proxy_scorer(resolved, std::move(space));
  if (!scorer.ok()) {
    return absl::Status(scorer.status().code(),
                        absl::StrCat(where, ": ", scorer.status().message()));
  }
  return std::shared_ptr<const ProxyScorer>(*std::move(scorer));
}

// A benchmark's space and objective, built and checked against the budget
// (its proxy and multiobjective block come later, in order). Thread-safe:
// benchmarks load in parallel.
absl::StatusOr<LoadedBenchmark> LoadSpaceAndObjective(
    const Experiment& config, int b, const ExperimentLocations& locations,
    const ObjectiveContext& context) {
  const BenchmarkSpec& spec = config.benchmark(b);
  const std::string where =
      absl::StrCat(locations.benchmark[b], ": benchmark '", spec.name(), "'");
  auto space_entry = GlobalSearchSpaceRegistry().Find(spec.space().name());
  if (!space_entry.ok()) {
    return ConfigError(where, std::string(space_entry.status().message()));
  }
  auto space_params =
      UnpackParams(**space_entry, "search space", spec.space().has_params(),
                   spec.space().params(), where);
  if (!space_params.ok()) return space_params.status();
  auto space = (*space_entry)->factory(space_params->get());
  if (!space.ok()) {
    return ConfigError(where, std::string(space.status().message()));
  }
  std::shared_ptr<const SearchSpace> shared_space = std::move(*space);

  auto objective_entry =
      GlobalObjectiveRegistry().Find(spec.objective().name());
  if (!objective_entry.ok()) {
    return ConfigError(where, std::string(objective_entry.status().message()));
  }
  auto objective_params = UnpackParams(**objective_entry, "objective",
                                       spec.objective().has_params(),
                                       spec.objective().params(), where);
  if (!objective_params.ok()) return objective_params.status();
  auto objective =
      (*objective_entry)
          ->factory(shared_space, objective_params->get(), context);
  if (!objective.ok()) {
    return absl::Status(
        objective.status().code(),
        absl::StrCat(where, ": ", objective.status().message()));
  }
  const absl::uint128 size = shared_space->Size();
  if (config.budget().has_queries() &&
      absl::uint128(config.budget().queries()) > size) {
    return ConfigError(
        locations.budget_queries,
        absl::StrCat("budget.queries: the budget of ",
                     config.budget().queries(), " queries exceeds the ",
                     absl::Uint128Low64(size), " architectures of benchmark '",
                     spec.name(), "' (space '", spec.space().name(),
                     "'): every run would query the whole space. Lower "
                     "budget.queries to at most ",
                     absl::Uint128Low64(size), "."));
  }
  // A time budget needs training times: with none, no cell would stop.
  if (config.budget().has_seconds()) {
    Rng probe(0);
    const Architecture arch = shared_space->Sample(probe);
    const Objective& o = **objective;
    const Evaluation e =
        o.Evaluate(arch, static_cast<int>(o.fidelities().size()) - 1,
                   o.is_noisy() ? &probe : nullptr);
    if (!(e.cost_seconds > 0)) {
      return ConfigError(
          locations.budget_seconds,
          absl::StrCat("budget.seconds is set, but objective '",
                       spec.objective().name(), "' of benchmark '", spec.name(),
                       "' reports no training times (a query costs 0 s), "
                       "so the time budget would never run out. Budget in "
                       "queries (budget { queries: 300 }), or use an "
                       "objective that reports training times (`nas "
                       "describe OBJECTIVE` shows its parameters)"));
    }
  }
  LoadedBenchmark loaded;
  loaded.name = spec.name();
  loaded.space = std::move(shared_space);
  loaded.objective = *std::move(objective);
  return loaded;
}

// SHA-256 and size of each data file, computed once, from the bytes an
// objective already read where they are still in memory.
class DataFileDigester {
 public:
  explicit DataFileDigester(std::string data_dir)
      : data_dir_(std::move(data_dir)) {}

  // Digests the files not digested yet; thread-safe.
  void Add(const std::vector<std::string>& files) {
    for (const std::string& file : files) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!claimed_.insert(file).second) continue;
      }
      absl::StatusOr<DataFileDigest> digest = Digest(file);
      std::lock_guard<std::mutex> lock(mu_);
      digests_.emplace(file, std::move(digest));
    }
  }

  std::map<std::string, absl::StatusOr<DataFileDigest>> Take() {
    return std::move(digests_);
  }

 private:
  absl::StatusOr<DataFileDigest> Digest(const std::string& file) const {
    const std::string path = absl::StrCat(data_dir_, "/", file);
    if (std::shared_ptr<const CsvTable> table = CsvTable::FindShared(path)) {
      return DataFileDigest{Sha256Hex(table->bytes()),
                            static_cast<int64_t>(table->bytes().size())};
    }
    absl::StatusOr<std::string> bytes = ReadFile(path);
    if (!bytes.ok()) return bytes.status();
    return DataFileDigest{Sha256Hex(*bytes),
                          static_cast<int64_t>(bytes->size())};
  }

  const std::string data_dir_;
  std::mutex mu_;
  std::set<std::string> claimed_;
  std::map<std::string, absl::StatusOr<DataFileDigest>> digests_;
};

}  // namespace

absl::StatusOr<Experiment> ParseExperiment(const std::string& text,
                                           const std::string& path) {
  return ParseExperiment(text, path, nullptr);
}

absl::StatusOr<Experiment> ParseExperiment(const std::string& text,
                                           const std::string& path,
                                           ExperimentLocations* locations) {
  // The text-format tokenizer stops at a NUL byte as if the file ended
  // there, silently dropping the rest: refuse it with its position.
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const size_t line_start = text.rfind('\n', nul);
    const size_t column =
        line_start == std::string::npos ? nul + 1 : nul - line_start;
    const int64_t line = 1 + std::count(text.begin(), text.begin() + nul, '\n');
    return ConfigError(
        absl::StrCat(path, ":", line, ":", column),
        "a NUL byte (\\x00): a config is a text file. Remove the byte (the "
        "file may have been saved in a binary or UTF-16 encoding; save it as "
        "UTF-8)");
  }
  Experiment config;
  TextFormat::Parser parser;
  CollectingErrorCollector errors(path);
  errors.SetText(text);
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &config)) {
    return absl::InvalidArgumentError(absl::StrCat(
        errors.first().empty() ? path : errors.first(),
        absl::StrContains(errors.first(), "Could not find type")
            ? ". That is the parameter type of a plugin this nas does not "
              "link: if the plugin is yours, list its target in "
              "harness/plugins.bzl and give its cc_library `alwayslink = 1` "
              "(tools/new_plugin.sh does both); `nas list` shows what is "
              "linked."
            : ". Fields and their types are documented in "
              "harness/experiment.proto; `nas describe NAME` lists a "
              "plugin's parameters."));
  }

  Checker check(path, &tree);
  const Descriptor* exp = Experiment::descriptor();
  if (locations != nullptr) {
    for (int b = 0; b < config.benchmark_size(); ++b) {
      locations->benchmark.push_back(check.Where(&tree, exp, "benchmark", b));
    }
    for (int a = 0; a < config.algorithm_size(); ++a) {
      locations->algorithm.push_back(check.Where(&tree, exp, "algorithm", a));
    }
    const auto* budget = check.Nested(&tree, exp, "budget");
    locations->budget_queries =
        check.Where(budget, Budget::descriptor(), "queries");
    locations->budget_seconds =
        check.Where(budget, Budget::descriptor(), "seconds");
  }
  if (!config.has_num_seeds()) {
    return ConfigError(path, "num_seeds is missing; add e.g. `num_seeds: 10`");
  }
  if (config.num_seeds() < 1 || config.num_seeds() > kMaxSeeds) {
    return ConfigError(check.Where(&tree, exp, "num_seeds"),
                       absl::StrCat("num_seeds is ", config.num_seeds(),
                                    "; it must be from 1 to ", kMaxSeeds));
  }
  if (!config.has_budget() ||
      (!config.budget().has_queries() && !config.budget().has_seconds())) {
    return ConfigError(check.Where(&tree, exp, "budget"),
                       "the budget is missing; add e.g. "
                       "`budget { queries: 300 }`");
  }
  const auto* budget_tree = check.Nested(&tree, exp, "budget");
  if (config.budget().has_queries() && config.budget().queries() < 1) {
    return ConfigError(
        check.Where(budget_tree, Budget::descriptor(), "queries"),
        absl::StrCat("budget.queries is ", config.budget().queries(),
                     "; it must be at least 1"));
  }
  if (config.budget().has_seconds() &&
      !(config.budget().seconds() > 0 &&
        std::isfinite(config.budget().seconds()))) {
    return ConfigError(
        check.Where(budget_tree, Budget::descriptor(), "seconds"),
        absl::StrCat("budget.seconds is ", config.budget().seconds(),
                     "; it must be a positive, finite number of simulated "
                     "training seconds (an unbounded time budget would query "
                     "the whole space)"));
  }
  if (config.benchmark_size() == 0) {
    return ConfigError(path, "no benchmark; add a `benchmark { ... }` block");
  }
  if (config.algorithm_size() == 0) {
    return ConfigError(path, "no algorithm; add an `algorithm { ... }` block");
  }
  const int64_t cells = int64_t{config.benchmark_size()} *
                        config.algorithm_size() * config.num_seeds();
  if (cells > kMaxCells) {
    return ConfigError(
        check.Where(&tree, exp, "num_seeds"),
        absl::StrCat(config.benchmark_size(), " benchmarks x ",
                     config.algorithm_size(), " algorithms x ",
                     config.num_seeds(), " seeds = ", cells,
                     " cells, more than the ", kMaxCells,
                     " one experiment may hold; lower num_seeds or split the "
                     "experiment (e.g. one config per benchmark)"));
  }

  absl::flat_hash_set<std::string> names;
  for (int b = 0; b < config.benchmark_size(); ++b) {
    const BenchmarkSpec& spec = config.benchmark(b);
    const auto* spec_tree = check.Nested(&tree, exp, "benchmark", b);
    const std::string where = check.Where(&tree, exp, "benchmark", b);
    if (!spec.has_name()) {
      return ConfigError(where, "benchmark has no name; add e.g. name: "
                                "\"cifar100\" (letters, digits and . _ + -; "
                                "it names files)");
    }
    if (!IsValidLabel(spec.name())) {
      return ConfigError(
          spec.has_name()
              ? check.Where(spec_tree, BenchmarkSpec::descriptor(), "name")
              : where,
          absl::StrCat("benchmark name '", Brief(spec.name()), "' ",
                       LabelRule()));
    }
    if (!names.insert(spec.name()).second) {
      return ConfigError(
          check.Where(spec_tree, BenchmarkSpec::descriptor(), "name"),
          absl::StrCat("benchmark name '", spec.name(),
                       "' is used twice; names must be unique"));
    }
    if (!spec.space().has_name()) {
      return ConfigError(where, absl::StrCat("benchmark '", spec.name(),
                                             "' has no space { name: ... }"));
    }
    if (!spec.objective().has_name()) {
      return ConfigError(where,
                         absl::StrCat("benchmark '", spec.name(),
                                      "' has no objective { name: ... }"));
    }
  }
  names.clear();
  for (int a = 0; a < config.algorithm_size(); ++a) {
    AlgorithmSpec* spec = config.mutable_algorithm(a);
    const auto* spec_tree = check.Nested(&tree, exp, "algorithm", a);
    if (!spec->has_plugin()) {
      return ConfigError(check.Where(&tree, exp, "algorithm", a),
                         "algorithm has no plugin name; add e.g. "
                         "`plugin: \"local_search\"`");
    }
    if (!spec->has_label()) spec->set_label(spec->plugin());
    const std::string where =
        check.Where(spec_tree, AlgorithmSpec::descriptor(),
                    spec_tree && spec_tree->GetLocation(
                                     AlgorithmSpec::descriptor()->FindFieldByName(
                                         "label"),
                                     -1)
                                         .line >= 0
                        ? "label"
                        : "plugin");
    if (!IsValidLabel(spec->label())) {
      return ConfigError(where, absl::StrCat("algorithm label '",
                                             Brief(spec->label()), "' ",
                                             LabelRule()));
    }
    if (!names.insert(spec->label()).second) {
      return ConfigError(
          where, absl::StrCat("algorithm label '", spec->label(),
                              "' is used twice; give each entry a distinct "
                              "`label`"));
    }
  }

  if (config.has_reference_algorithm()) {
    if (!names.contains(config.reference_algorithm())) {
      std::vector<std::string> labels;
      for (const AlgorithmSpec& a : config.algorithm()) labels.push_back(a.label());
      return ConfigError(
          check.Where(&tree, exp, "reference_algorithm"),
          absl::StrCat("reference_algorithm '", config.reference_algorithm(),
                       "' is not the label of an algorithm of this "
                       "experiment; the labels are: ",
                       absl::StrJoin(labels, ", ")));
    }
  } else {
    config.set_reference_algorithm(config.algorithm(0).label());
  }
  if (!(config.target_gap_percent() >= 0)) {
    return ConfigError(check.Where(&tree, exp, "target_gap_percent"),
                       "target_gap_percent must be a non-negative number");
  }

  if (config.checkpoint_size() == 0 && config.budget().has_queries()) {
    config.add_checkpoint(config.budget().queries());
  }
  for (int i = 0; i < config.checkpoint_size(); ++i) {
    const int64_t c = config.checkpoint(i);
    const std::string where = check.Where(&tree, exp, "checkpoint", i);
    if (c < 1) {
      return ConfigError(where, absl::StrCat("checkpoint ", c,
                                             " must be at least 1 query"));
    }
    if (i > 0 && c <= config.checkpoint(i - 1)) {
      return ConfigError(where, "checkpoints must be strictly ascending");
    }
    if (config.budget().has_queries() && c > config.budget().queries()) {
      return ConfigError(where, absl::StrCat("checkpoint ", c,
                                             " exceeds the query budget ",
                                             config.budget().queries()));
    }
  }
  return config;
}

absl::StatusOr<LoadedExperiment> LoadExperiment(const std::string& path,
                                                const LoadOptions& options) {
  const std::string resolved_path = FromWorkingDir(path);
  if (IsDirectory(resolved_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "config '", path, "' is a directory; give the path of a .textproto "
        "file (e.g. configs/quickstart.textproto)"));
  }
  std::ifstream in(resolved_path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read config '", path,
                                            "': ", std::strerror(errno)));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  const std::optional<std::string> text = contents.str();
  ExperimentLocations locations;
  auto config = ParseExperiment(*text, path, &locations);
  if (!config.ok()) return config.status();

  LoadedExperiment loaded;
  loaded.config_path = path;
  loaded.config = *std::move(config);
  Experiment& exp = loaded.config;
  // Where the tables live is not part of the experiment (the manifest
  // records their checksums instead), so the normalised config leaves it
  // out: moving the data never changes results or their fingerprints.
  loaded.data_dir = ResolveDataDir(exp, options);
  exp.clear_data_dir();
  const ObjectiveContext context{loaded.data_dir};

  // Benchmarks load in parallel (tables are read and indexed, data files
  // hashed for the manifest); errors are reported in config order, as one
  // after another would find them.
  std::vector<absl::StatusOr<LoadedBenchmark>> built(
      exp.benchmark_size(), absl::InternalError("benchmark not loaded"));
  DataFileDigester digester(loaded.data_dir);
  ForEachIndexInParallel(
      exp.benchmark_size(), std::max(1, options.threads), [&](int b) {
        built[b] = LoadSpaceAndObjective(exp, b, locations, context);
        if (built[b].ok()) digester.Add(built[b]->objective->data_files());
      });
  for (int b = 0; b < exp.benchmark_size(); ++b) {
    if (!built[b].ok()) return built[b].status();
    const BenchmarkSpec& spec = exp.benchmark(b);
    const std::string where =
        absl::StrCat(locations.benchmark[b], ": benchmark '", spec.name(), "'");
    LoadedBenchmark& benchmark = *built[b];
    auto proxy = LoadProxy(spec, benchmark.space, where);
    if (!proxy.ok()) return proxy.status();
    std::optional<MultiObjectiveInfo> multiobjective;
    if (spec.has_multiobjective()) {
      auto info =
          DescribeMultiObjective(spec.multiobjective(), *benchmark.objective);
      if (!info.ok()) {
        return ConfigError(where, std::string(info.status().message()));
      }
      multiobjective = *std::move(info);
    }
    benchmark.proxy = *std::move(proxy);
    benchmark.multiobjective = std::move(multiobjective);
    loaded.benchmarks.push_back(std::move(benchmark));
  }
  loaded.data_file_digests = digester.Take();
  // Like data_dir: where cached scores live never changes a result.
  for (BenchmarkSpec& spec : *exp.mutable_benchmark()) {
    if (spec.has_proxy()) spec.mutable_proxy()->clear_cache_dir();
  }

  for (int a = 0; a < exp.algorithm_size(); ++a) {
    const AlgorithmSpec& spec = exp.algorithm(a);
    const std::string where =
        absl::StrCat(locations.algorithm[a], ": algorithm '", spec.label(), "'");
    auto entry = GlobalAlgorithmRegistry().Find(spec.plugin());
    if (!entry.ok()) {
      return ConfigError(where, std::string(entry.status().message()));
    }
    auto params = UnpackParams(**entry, "algorithm", spec.has_params(),
                               spec.params(), where);
    if (!params.ok()) return params.status();
    LoadedAlgorithm algorithm{spec.label(), spec.plugin(), *entry, *params};
    // Builds one instance now so bad parameters fail before any output.
    auto probe = algorithm.Make();
    if (!probe.ok()) {
      return ConfigError(where, std::string(probe.status().message()));
    }
    // Parameters that only make sense on some benchmarks (fidelity
    // indices, ...) are checked against each benchmark now, not in every
    // cell.
    for (const LoadedBenchmark& benchmark : loaded.benchmarks) {
      BenchmarkFacts facts;
      facts.space = benchmark.space.get();
      if (benchmark.proxy != nullptr) facts.proxy = benchmark.proxy->name();
      for (const MetricInfo& metric : benchmark.objective->metrics()) {
        if (metric.visible()) facts.metric_names.push_back(metric.name);
      }
      for (const Fidelity& f : benchmark.objective->fidelities()) {
        facts.fidelity_epochs.push_back(f.epochs);
      }
      if (absl::Status s = (*probe)->CheckBenchmark(facts); !s.ok()) {
        return ConfigError(where, absl::StrCat("cannot run on benchmark '",
                                               benchmark.name, "': ",
                                               s.message()));
      }
    }
    loaded.algorithms.push_back(std::move(algorithm));
  }
  return loaded;
}

}  // namespace nas
