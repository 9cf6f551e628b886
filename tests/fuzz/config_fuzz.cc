// Fuzzes ParseExperiment, the text-format experiment parser with its
// semantic checks. Every plugin is linked (harness:plugins), so the
// parameter messages of `params { [type.googleapis.com/nas.X] { ... } }`
// resolve as they do in `nas run`.
//
// Beyond not crashing: a refusal is InvalidArgument naming the file; an
// accepted config is normalised as config.h promises (labels valid and
// unique, reference algorithm one of them, checkpoints ascending within the
// budget); and normalising is idempotent: the normalised config, printed and
// parsed again, is accepted and unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/stubs/logging.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "harness/config.h"
#include "re2/re2.h"
#include "tests/fuzz/fuzz_util.h"

namespace nas {
namespace fuzz {
namespace {

constexpr char kPath[] = "fuzz.textproto";

// Without a collector, the parser logs every complaint to stderr.
class SilentErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

void CheckNormalised(const Experiment& config, absl::string_view input) {
  static const RE2* const kLabel = new RE2("[A-Za-z0-9][A-Za-z0-9_.+-]*");
  Require(config.num_seeds() >= 1, "num_seeds >= 1", input);
  Require(config.budget().has_queries() || config.budget().has_seconds(),
          "a budget is set", input);
  Require(config.benchmark_size() > 0 && config.algorithm_size() > 0,
          "at least one benchmark and one algorithm", input);
  absl::flat_hash_set<std::string> names;
  for (const BenchmarkSpec& spec : config.benchmark()) {
    Require(RE2::FullMatch(spec.name(), *kLabel), "benchmark names are labels",
            input);
    Require(names.insert(spec.name()).second, "benchmark names are unique",
            input);
    Require(spec.space().has_name() && spec.objective().has_name(),
            "every benchmark names its space and objective", input);
  }
  names.clear();
  for (const AlgorithmSpec& spec : config.algorithm()) {
    Require(spec.has_plugin(), "every algorithm names its plugin", input);
    Require(RE2::FullMatch(spec.label(), *kLabel),
            "algorithm labels are filled in and valid", input);
    Require(names.insert(spec.label()).second, "algorithm labels are unique",
            input);
  }
  Require(names.contains(config.reference_algorithm()),
          "reference_algorithm is an algorithm's label", input);
  Require(config.target_gap_percent() >= 0, "target_gap_percent >= 0", input);
  Require(config.checkpoint_size() > 0 || !config.budget().has_queries(),
          "a query budget gets a checkpoint", input);
  for (int i = 0; i < config.checkpoint_size(); ++i) {
    Require(config.checkpoint(i) >= 1, "checkpoints are >= 1", input);
    Require(i == 0 || config.checkpoint(i) > config.checkpoint(i - 1),
            "checkpoints ascend", input);
    Require(!config.budget().has_queries() ||
                config.checkpoint(i) <= config.budget().queries(),
            "checkpoints are within the query budget", input);
  }
}

}  // namespace

void FuzzOne(const uint8_t* data, size_t size) {
  // Protobuf logs an ERROR line (and carries on) for every string field with
  // invalid UTF-8 it serialises, e.g. inside a params block: noise here.
  static const bool silenced = [] {
    google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*,
                                       int, const std::string&) {});
    return true;
  }();
  (void)silenced;
  const absl::string_view input = AsText(data, size);
  absl::StatusOr<Experiment> config =
      ParseExperiment(std::string(input), kPath);
  if (!config.ok()) {
    Require(config.status().code() == absl::StatusCode::kInvalidArgument,
            "a bad config is InvalidArgument", input);
    Require(absl::StartsWith(config.status().message(), kPath),
            "the error names the file", input);
    return;
  }
  CheckNormalised(*config, input);

  // Idempotence, where protobuf's own text format round-trips the message
  // (it does not for, e.g., unknown fields inside a raw Any value).
  std::string printed;
  Require(google::protobuf::TextFormat::PrintToString(*config, &printed),
          "the normalised config prints", input);
  Experiment reread;
  SilentErrors silent;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&silent);
  if (!parser.ParseFromString(printed, &reread)) return;
  absl::StatusOr<Experiment> again = ParseExperiment(printed, kPath);
  Require(again.ok(), "the normalised config is accepted again", input);
  Require(google::protobuf::util::MessageDifferencer::Equals(*again, *config),
          "normalising the normalised config changes nothing", input);
}

}  // namespace fuzz
}  // namespace nas
