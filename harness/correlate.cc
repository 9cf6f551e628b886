#include "harness/correlate.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "core/random.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "harness/config.h"
#include "harness/oracle.h"
#include "harness/output.h"
#include "harness/plot/svg_plot.h"
#include "harness/proxy_scorer.h"
#include "harness/rank_correlation.h"
#include "objectives/proxies/proxy.h"
#include "objectives/proxies/score_cache.h"
#include "objectives/trained/trainer.h"

namespace nas {
namespace {

// Architectures plotted per scatter plot at most (a seeded sample): the SVG
// of all 15,625 NAS-Bench-201 points would weigh megabytes.
constexpr int kMaxPlottedPoints = 3000;

class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  explicit FirstError(std::string path) : path_(std::move(path)) {}
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat(path_, ":", line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string path_, first_;
};

std::string ResolveFromWorkingDir(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (!path.empty() && path[0] != '/' && cwd != nullptr && *cwd != '\0') {
    return absl::StrCat(cwd, "/", path);
  }
  return path;
}

std::string Label(const ProxyRun& run) {
  return run.has_label() ? run.label() : run.name();
}

absl::Status CheckConfig(const CorrelateConfig& config, const std::string& path) {
  auto bad = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
  };
  if (config.experiment().empty()) {
    return bad("`experiment` is missing: name the experiment config whose "
               "benchmarks are correlated, e.g. `experiment: "
               "\"nasbench201_search.textproto\"` (relative to this file)");
  }
  if (config.proxy().empty()) {
    return bad("no `proxy` block: add e.g. `proxy { name: \"synflow\" }`");
  }
  if (config.cache_dir().empty()) {
    return bad("`cache_dir` is missing: scores are expensive and cached, e.g. "
               "`cache_dir: \"out/proxy_cache\"`");
  }
  if (config.bootstrap_resamples() < 0) {
    return bad("bootstrap_resamples must be >= 0");
  }
  std::set<std::string> labels;
  for (const ProxyRun& run : config.proxy()) {
    if (absl::StatusOr<std::unique_ptr<Proxy>> proxy = MakeProxy(run.name());
        !proxy.ok()) {
      return bad(std::string(proxy.status().message()));
    }
    if (!labels.insert(Label(run)).second) {
      return bad(absl::StrCat("proxy label '", Label(run),
                              "' is used twice; give one a `label`"));
    }
    if (run.sample() < 0) {
      return bad(absl::StrCat("proxy '", Label(run), "': sample is ",
                              run.sample(), "; use 0 (all) or a count"));
    }
    if (absl::Status s = CheckSettings(run.settings()); !s.ok()) {
      return bad(absl::StrCat("proxy '", Label(run), "': ", s.message()));
    }
  }
  return absl::OkStatus();
}

// The architectures a proxy run scores on `space`, in a fixed order.
absl::StatusOr<std::vector<Architecture>> ArchitecturesFor(
    const SearchSpace& space, int64_t sample, uint64_t seed) {
  std::vector<Architecture> archs;
  if (!space.IsIndexable()) {
    if (sample == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "space '", space.name(),
          "' cannot be enumerated: give its proxies a `sample` size"));
    }
    // Distinct canonical architectures, drawn until there are enough.
    Rng rng(HashCombine(seed, StableHash(space.name())));
    std::set<uint64_t> seen;
    for (int64_t tries = 0; static_cast<int64_t>(archs.size()) < sample; ++tries) {
      if (tries > 100 * sample) {
        return absl::InvalidArgumentError(absl::StrCat(
            "could not draw ", sample, " distinct architectures of '",
            space.name(), "'; use a smaller sample"));
      }
      Architecture arch = space.Canonicalize(space.Sample(rng));
      if (seen.insert(space.Hash(arch)).second) archs.push_back(arch);
    }
    return archs;
  }
  const int64_t size = static_cast<int64_t>(space.Size());
  if (sample > size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "sample ", sample, " is larger than space '", space.name(), "' (",
        size, " architectures); use 0 for all of them"));
  }
  std::vector<int64_t> indices(size);
  for (int64_t i = 0; i < size; ++i) indices[i] = i;
  if (sample > 0) {
    Rng rng(HashCombine(seed, StableHash(space.name())));
    for (int64_t i = 0; i < sample; ++i) {
      std::swap(indices[i], indices[i + rng.UniformInt(size - i)]);
    }
    indices.resize(sample);
    std::sort(indices.begin(), indices.end());
  }
  archs.reserve(indices.size());
  for (int64_t index : indices) archs.push_back(space.FromIndex(index));
  return archs;
}

struct ScoredRun {
  std::string label;
  std::string space;
  std::vector<Architecture> archs;
  std::vector<double> scores;
};

// Scores every architecture (from the cache when it has them) on `threads`
// threads; each score lands in its slot, so the order of work is invisible.
absl::StatusOr<std::vector<double>> ScoreAll(
    const Proxy& proxy, const std::string& proxy_name, const SearchSpace& space,
    const std::vector<Architecture>& archs, const ProxySettings& settings,
    const Minibatch& batch, const ScoreCache& cache, int threads,
    const std::string& label) {
  const NetworkShape shape = ShapeOf(settings);
  const std::string key_prefix =
      ProxyScoreKeyPrefix(proxy_name, space.name(), settings,
                          proxy.needs_data() ? batch.digest : "none");
  std::vector<double> scores(archs.size());
  std::atomic<size_t> next{0};
  std::atomic<int64_t> done{0}, cached{0};
  absl::Mutex mu;
  absl::Status first_error;
  const absl::Time start = absl::Now();
  auto work = [&] {
    for (size_t i = next++; i < archs.size(); i = next++) {
      const std::string key = key_prefix + space.ToString(archs[i]);
      absl::StatusOr<std::optional<double>> hit = cache.Lookup(key);
      absl::StatusOr<double> score;
      if (!hit.ok()) {
        score = hit.status();
      } else if (hit->has_value()) {
        score = **hit;
        ++cached;
      } else {
        score = ScoreArchitecture(proxy, space, archs[i], shape, batch,
                                  settings.seed());
        if (score.ok()) {
          if (absl::Status s = cache.Store(key, *score); !s.ok()) score = s;
        }
      }
      if (!score.ok()) {
        absl::MutexLock lock(&mu);
        if (first_error.ok()) {
          first_error = absl::Status(
              score.status().code(),
              absl::StrCat("proxy '", label, "' on ", space.ToString(archs[i]),
                           ": ", score.status().message()));
        }
        next = archs.size();
        return;
      }
      scores[i] = *score;
      const int64_t finished = ++done;
      if (finished % 500 == 0 || finished == static_cast<int64_t>(archs.size())) {
        const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
        const double rate = finished / std::max(seconds, 1e-9);
        absl::MutexLock lock(&mu);
        std::fprintf(stderr,
                     "correlate: %s %lld/%zu (%lld cached), %.1f/s, ETA %.0f s\n",
                     label.c_str(), static_cast<long long>(finished),
                     archs.size(), static_cast<long long>(cached.load()), rate,
                     (archs.size() - finished) / rate);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  if (!first_error.ok()) return first_error;
  return scores;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string Number(double x) { return absl::StrFormat("%.6g", x); }

std::string FileLabel(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out;
}

std::string Scatter(const std::string& benchmark, const ScoredRun& run,
                    const std::vector<double>& test_errors,
                    const std::string& error_unit, double spearman,
                    uint64_t seed) {
  std::vector<size_t> finite;
  for (size_t i = 0; i < run.scores.size(); ++i) {
    if (std::isfinite(run.scores[i])) finite.push_back(i);
  }
  const size_t non_finite = run.scores.size() - finite.size();
  Rng rng(HashCombine(seed, StableHash(benchmark + "/" + run.label)));
  rng.Shuffle(&finite);
  if (finite.size() > kMaxPlottedPoints) finite.resize(kMaxPlottedPoints);
  std::sort(finite.begin(), finite.end());
  PlotSeries points;
  points.label = run.label;
  points.line = false;
  points.markers = true;
  points.marker = Marker::kCircle;
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i : finite) {
    points.x.push_back(run.scores[i]);
    points.y.push_back(test_errors[i]);
    lo = std::min(lo, run.scores[i]);
    hi = std::max(hi, run.scores[i]);
  }
  LinePlot plot;
  plot.title = absl::StrCat(benchmark, ": ", run.label, " (Spearman ",
                            absl::StrFormat("%.3f", spearman), " with test accuracy)");
  plot.x.label = absl::StrCat(run.label, " score");
  plot.x.log_scale = lo > 0 && hi / lo > 1e3;
  plot.y.label = absl::StrCat("test ", error_unit);
  plot.series.push_back(std::move(points));
  plot.id = FileLabel(absl::StrCat(benchmark, "_", run.label));
  plot.note = absl::StrCat(finite.size(), " of ", run.scores.size(),
                           " architectures shown (seeded sample)",
                           non_finite > 0 ? absl::StrCat("; ", non_finite,
                                                         " with a non-finite "
                                                         "score left out")
                                          : "");
  return RenderSvg(plot);
}

}  // namespace

absl::StatusOr<CorrelateConfig> ParseCorrelateConfig(const std::string& text,
                                                     const std::string& path) {
  CorrelateConfig config;
  google::protobuf::TextFormat::Parser parser;
  FirstError errors(path);
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &config)) {
    return absl::InvalidArgumentError(absl::StrCat(
        errors.first().empty() ? path : errors.first(),
        ". Fields are documented in harness/correlate.proto and "
        "objectives/proxies/proxy.proto"));
  }
  if (absl::Status s = CheckConfig(config, path); !s.ok()) return s;
  return config;
}

absl::Status RunCorrelateCommand(const std::string& config_flag,
                                 const CorrelateOptions& options) {
  if (options.output_dir.empty()) {
    return absl::InvalidArgumentError(
        "correlate needs --output_dir DIR (where the tables and plots go)");
  }
  const std::string config_path = ResolveFromWorkingDir(config_flag);
  const std::string output_dir = ResolveFromWorkingDir(options.output_dir);
  if (PathExists(output_dir + "/report.md") && !options.overwrite) {
    return absl::FailedPreconditionError(absl::StrCat(
        "'", options.output_dir,
        "' already holds a correlate report (report.md); choose another "
        "--output_dir or pass --overwrite to replace it"));
  }
  absl::StatusOr<std::string> text = ReadFile(config_path);
  if (!text.ok()) return text.status();
  absl::StatusOr<CorrelateConfig> config = ParseCorrelateConfig(*text, config_path);
  if (!config.ok()) return config.status();
  const std::string experiment_path =
      config->experiment()[0] == '/'
          ? config->experiment()
          : (std::filesystem::path(config_path).parent_path() /
             config->experiment())
                .string();
  LoadOptions load_options;
  load_options.data_dir = options.data_dir;
  absl::StatusOr<LoadedExperiment> experiment =
      LoadExperiment(experiment_path, load_options);
  if (!experiment.ok()) return experiment.status();
  const ScoreCache cache(ResolveFromWorkingDir(config->cache_dir()));
  const int threads =
      options.threads > 0 ? options.threads
                          : std::max(1u, std::thread::hardware_concurrency());

  // Score each (proxy, space) once, whatever the number of benchmarks on it.
  std::map<std::string, Minibatch> batches;  // By settings.
  std::vector<ScoredRun> runs;
  for (const ProxyRun& run : config->proxy()) {
    std::unique_ptr<Proxy> proxy = *MakeProxy(run.name());
    Minibatch batch;
    if (proxy->needs_data()) {
      const ProxySettings& s = run.settings();
      const std::string key = absl::StrCat(ProxySettingsKey(s), "|", s.batch_size(),
                                           "|", s.dataset_dir());
      if (batches.count(key) == 0) {
        absl::StatusOr<Minibatch> loaded = FashionMnistMinibatch(
            ResolveFromWorkingDir(s.dataset_dir()), ShapeOf(s), s.batch_size(),
            s.seed());
        if (!loaded.ok()) return loaded.status();
        batches[key] = *loaded;
      }
      batch = batches[key];
    }
    std::set<std::string> spaces_done;
    for (const LoadedBenchmark& benchmark : experiment->benchmarks) {
      const SearchSpace& space = *benchmark.space;
      if (!spaces_done.insert(space.name()).second) continue;
      ScoredRun scored;
      scored.label = Label(run);
      scored.space = space.name();
      absl::StatusOr<std::vector<Architecture>> archs =
          ArchitecturesFor(space, run.sample(), config->seed());
      if (!archs.ok()) return archs.status();
      scored.archs = std::move(*archs);
      absl::StatusOr<std::vector<double>> scores =
          ScoreAll(*proxy, run.name(), space, scored.archs, run.settings(),
                   batch, cache, threads, scored.label);
      if (!scores.ok()) return scores.status();
      scored.scores = std::move(*scores);
      runs.push_back(std::move(scored));
    }
  }

  std::string correlations =
      "benchmark,proxy,metric,spearman,kendall,n,spearman_ci95_low,"
      "spearman_ci95_high,kendall_ci95_low,kendall_ci95_high\n";
  std::string report = absl::StrCat(
      "# ", config->name().empty() ? "Proxy correlations" : config->name(),
      "\n\nRank correlations of each proxy's score with the benchmark's "
      "accuracy (the negated error), at full fidelity; 95% percentile "
      "bootstrap intervals (", config->bootstrap_resamples(),
      " resamples). Config: `", config_flag, "`.\n");
  std::vector<std::pair<std::string, std::string>> files;
  for (const LoadedBenchmark& benchmark : experiment->benchmarks) {
    const Objective& objective = *benchmark.objective;
    absl::StrAppend(&report, "\n## ", benchmark.name, "\n\n",
                    "| proxy | n | Spearman (test) | Kendall (test) | "
                    "Spearman (validation) | Kendall (validation) |\n"
                    "|---|---:|---:|---:|---:|---:|\n");
    const int fidelity = static_cast<int>(objective.fidelities().size()) - 1;
    for (const ScoredRun& run : runs) {
      if (run.space != benchmark.space->name()) continue;
      std::vector<double> valid_accuracy, test_accuracy, test_errors;
      Rng noise(HashCombine(config->seed(), StableHash(benchmark.name)));
      for (const Architecture& arch : run.archs) {
        const Evaluation e = objective.Evaluate(arch, fidelity, &noise);
        valid_accuracy.push_back(-e.valid_error);
        test_accuracy.push_back(-e.test_error);
        test_errors.push_back(e.test_error);
      }
      std::string row = absl::StrCat("| ", run.label, " | ", run.archs.size());
      double test_spearman = 0;
      for (const auto& [metric, values] :
           {std::pair<std::string, const std::vector<double>*>{"test", &test_accuracy},
            {"validation", &valid_accuracy}}) {
        const RankCorrelation r = CorrelateRanks(
            run.scores, *values, config->bootstrap_resamples(),
            HashCombine(config->seed(),
                        StableHash(absl::StrCat(benchmark.name, "/", run.label,
                                                "/", metric))));
        if (metric == "test") test_spearman = r.spearman;
        absl::StrAppend(&correlations, CsvField(benchmark.name), ",",
                        CsvField(run.label), ",", metric, ",",
                        Number(r.spearman), ",", Number(r.kendall), ",", r.n,
                        ",", Number(r.spearman_low), ",",
                        Number(r.spearman_high), ",", Number(r.kendall_low),
                        ",", Number(r.kendall_high), "\n");
        absl::StrAppend(&row, absl::StrFormat(" | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f]",
                                              r.spearman, r.spearman_low,
                                              r.spearman_high, r.kendall,
                                              r.kendall_low, r.kendall_high));
      }
      const std::string plot_name =
          absl::StrCat("plots/", FileLabel(benchmark.name), "__",
                       FileLabel(run.label), ".svg");
      files.push_back({plot_name, Scatter(benchmark.name, run, test_errors,
                                          objective.error_unit(),
                                          test_spearman, config->seed())});
      absl::StrAppend(&report, row, " |\n");
    }
    absl::StrAppend(&report, "\nScatter plots: ");
    for (const ScoredRun& run : runs) {
      if (run.space != benchmark.space->name()) continue;
      absl::StrAppend(&report, "[", run.label, "](plots/",
                      FileLabel(benchmark.name), "__", FileLabel(run.label),
                      ".svg) ");
    }
    absl::StrAppend(&report, "\n");
  }
  std::string scores = "architecture,proxy,score\n";
  for (const ScoredRun& run : runs) {
    const SearchSpace* space = nullptr;
    for (const LoadedBenchmark& b : experiment->benchmarks) {
      if (b.space->name() == run.space) space = b.space.get();
    }
    for (size_t i = 0; i < run.archs.size(); ++i) {
      absl::StrAppend(&scores, CsvField(space->ToString(run.archs[i])), ",",
                      CsvField(run.label), ",",
                      absl::StrFormat("%.17g", run.scores[i]), "\n");
    }
  }

  if (absl::Status s = MakeDirectories(output_dir + "/plots"); !s.ok()) return s;
  files.push_back({"scores.csv", scores});
  files.push_back({"correlations.csv", correlations});
  files.push_back({"report.md", report});  // Last: marks a complete output.
  for (const auto& [name, contents] : files) {
    if (absl::Status s =
            WriteFileAtomically(absl::StrCat(output_dir, "/", name), contents);
        !s.ok()) {
      return s;
    }
  }
  std::printf("%s", report.c_str());
  return absl::OkStatus();
}

}  // namespace nas
