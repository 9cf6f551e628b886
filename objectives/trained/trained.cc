#include "objectives/trained/trained.h"

#include <openssl/evp.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "objectives/objective.h"
#include "objectives/trained/cache.h"
#include "objectives/trained/data.h"
#include "objectives/trained/trainer.h"

namespace nas {
namespace {

namespace fs = std::filesystem;

std::string Number(double value) { return absl::StrFormat("%.17g", value); }

// Every recipe field with its effective value (defaults included), so that
// spelling a default out in a config does not change the key.
std::string RecipeText(const TrainingRecipe& r) {
  return absl::StrCat(
      "optimizer=", r.optimizer(), " learning_rate=", Number(r.learning_rate()),
      " momentum=", Number(r.momentum()), " nesterov=", r.nesterov(),
      " weight_decay=", Number(r.weight_decay()), " lr_schedule=",
      r.lr_schedule(), " batch_size=", r.batch_size(), " train_images=",
      r.train_images(), " valid_images=", r.valid_images(), " test_images=",
      r.test_images(), " channels=", r.channels(), " cells=", r.cells(),
      " threads=", r.threads(), " seed=", r.seed());
}

std::string FilesSha256(const std::vector<std::string>& files) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    char buffer[1 << 16];
    while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
      EVP_DigestUpdate(context, buffer, static_cast<size_t>(in.gcount()));
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest, &length);
  EVP_MD_CTX_free(context);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    absl::StrAppendFormat(&hex, "%02x", digest[i]);
  }
  return hex;
}

std::vector<int> EpochsOf(const TrainingRecipe& recipe) {
  std::vector<int> epochs(recipe.fidelity_epochs().begin(),
                          recipe.fidelity_epochs().end());
  if (epochs.empty()) epochs.push_back(1);
  return epochs;
}

class TrainedObjective : public Objective {
 public:
  TrainedObjective(std::shared_ptr<const SearchSpace> space,
                   TrainedObjectiveParams params, Dataset data,
                   std::shared_ptr<const PreparedData> prepared,
                   std::string data_sha256, std::vector<std::string> files)
      : space_(std::move(space)),
        params_(std::move(params)),
        data_name_(data.name),
        prepared_(std::move(prepared)),
        data_sha256_(std::move(data_sha256)),
        files_(std::move(files)),
        cache_(ResolveTrainedPath(params_.cache_dir())) {
    for (int epochs : EpochsOf(params_.recipe())) {
      fidelities_.push_back(
          {absl::StrCat(epochs, epochs == 1 ? " epoch" : " epochs"),
           static_cast<double>(epochs)});
    }
  }

  ~TrainedObjective() override {
    if (params_.progress() && (trained_ > 0 || hits_ > 0)) {
      std::fprintf(stderr,
                   "trained: %lld evaluations: %lld trained (%.1f s), %lld "
                   "cache hits; cache %s\n",
                   static_cast<long long>(trained_ + hits_),
                   static_cast<long long>(trained_.load()), train_seconds_,
                   static_cast<long long>(hits_.load()),
                   cache_.dir().c_str());
    }
  }

  std::string name() const override { return "trained"; }
  const SearchSpace& space() const override { return *space_; }
  std::string error_unit() const override { return "error (%)"; }
  absl::Span<const Fidelity> fidelities() const override { return fidelities_; }

  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* /*noise*/) const override {
    const int epochs = static_cast<int>(fidelities_[fidelity].epochs);
    const std::string key =
        TrainedCacheKey(*space_, arch, params_, data_sha256_, epochs);
    // One evaluation per key per process: later callers wait for it.
    std::shared_future<Evaluation> pending;
    std::promise<Evaluation> promise;
    bool mine = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = evaluations_.find(key);
      if (it == evaluations_.end()) {
        pending = promise.get_future().share();
        evaluations_.emplace(key, pending);
        mine = true;
      } else {
        pending = it->second;
      }
    }
    if (!mine) return pending.get();
    const Evaluation result = EvaluateUncached(key, arch, epochs);
    promise.set_value(result);
    return result;
  }

  std::vector<std::string> data_files() const override { return files_; }

 private:
  Evaluation EvaluateUncached(const std::string& key, const Architecture& arch,
                              int epochs) const {
    const std::string text = space_->ToString(arch);
    absl::StatusOr<std::optional<TrainedCacheEntry>> cached = cache_.Lookup(key);
    if (!cached.ok()) Die(cached.status());
    if (cached->has_value()) {
      const TrainedCacheEntry& entry = **cached;
      const int64_t hits = ++hits_;
      if (params_.progress()) {
        std::fprintf(stderr,
                     "trained: cache hit %lld: %s %s, %d epoch(s): valid "
                     "%.2f%% test %.2f%% (trained in %.1f s earlier)\n",
                     static_cast<long long>(hits), space_->name().c_str(),
                     text.c_str(), epochs, entry.valid_error(),
                     entry.test_error(), entry.train_seconds());
      }
      return {entry.valid_error(), entry.test_error(), entry.train_seconds()};
    }
    absl::StatusOr<TrainOutcome> outcome =
        TrainAndEvaluate(*space_, arch, params_.recipe(), *prepared_, epochs);
    if (!outcome.ok()) Die(outcome.status());
    TrainedCacheEntry entry;
    entry.set_key(key);
    entry.set_valid_error(outcome->valid_error);
    entry.set_test_error(outcome->test_error);
    entry.set_train_seconds(outcome->train_seconds);
    entry.set_parameters(outcome->parameters);
    entry.set_flops(outcome->flops);
    entry.set_space(space_->name());
    entry.set_architecture(text);
    entry.set_epochs(epochs);
    entry.set_libraries(LibraryVersions());
    if (absl::Status s = cache_.Store(entry); !s.ok()) Die(s);
    const int64_t trained = ++trained_;
    double mean;
    {
      std::lock_guard<std::mutex> lock(mu_);
      train_seconds_ += outcome->train_seconds;
      mean = train_seconds_ / static_cast<double>(trained);
    }
    if (params_.progress()) {
      std::fprintf(
          stderr,
          "trained: #%lld %s %s, %d epoch(s): valid %.2f%% test %.2f%%, "
          "%.1f s (%.0f images/s; mean %.1f s per training; %lld params, "
          "%.1f MFLOPs)\n",
          static_cast<long long>(trained), space_->name().c_str(),
          text.c_str(), epochs, outcome->valid_error, outcome->test_error,
          outcome->train_seconds,
          outcome->images_trained / std::max(outcome->train_seconds, 1e-9),
          mean, static_cast<long long>(outcome->parameters),
          outcome->flops / 1e6);
    }
    // The harness sees the cached value (the measured seconds as stored),
    // so this run and every later cache hit agree to the bit.
    return {entry.valid_error(), entry.test_error(), entry.train_seconds()};
  }

  // A failure after the inputs were checked (disk full, cache damaged,
  // libtorch error): the run cannot continue. Finished cells are on disk;
  // `nas run --resume` continues once the cause is fixed.
  [[noreturn]] static void Die(const absl::Status& status) {
    std::fprintf(stderr,
                 "nas: error: trained objective: %s\nnas: finished cells are "
                 "kept; fix the cause and rerun with --resume\n",
                 std::string(status.message()).c_str());
    std::fflush(stderr);
    std::_Exit(1);
  }

  std::shared_ptr<const SearchSpace> space_;
  TrainedObjectiveParams params_;
  std::string data_name_;
  std::shared_ptr<const PreparedData> prepared_;
  std::string data_sha256_;
  std::vector<std::string> files_;
  ResultCache cache_;
  std::vector<Fidelity> fidelities_;

  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_future<Evaluation>> evaluations_;
  mutable double train_seconds_ = 0;
  mutable std::atomic<int64_t> trained_{0}, hits_{0};
};

// Paths of `files` (absolute) relative to the data directory, for the
// manifest's checksums; files that cannot be reached from it are left out.
std::vector<std::string> RelativeToDataDir(const std::vector<std::string>& files,
                                           const std::string& data_dir) {
  std::vector<std::string> out;
  std::error_code error;
  const fs::path base = fs::canonical(data_dir, error);
  if (error) return out;
  for (const std::string& file : files) {
    const fs::path target = fs::canonical(file, error);
    if (error) continue;
    out.push_back(fs::relative(target, base, error).string());
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Objective>> MakeObjective(
    std::shared_ptr<const SearchSpace> space,
    const google::protobuf::Message* params_message,
    const ObjectiveContext& context) {
  TrainedObjectiveParams params;
  if (params_message != nullptr) {
    params.CopyFrom(static_cast<const TrainedObjectiveParams&>(*params_message));
  }
  if (params.cache_dir().empty()) {
    return absl::InvalidArgumentError(
        "objective 'trained': set cache_dir, the directory of the result "
        "cache (shared by every run that should reuse these trainings), e.g. "
        "params { [type.googleapis.com/nas.TrainedObjectiveParams] { "
        "cache_dir: \"out/trained-cache\" ... } }");
  }
  absl::StatusOr<Dataset> data =
      LoadDataset(params.dataset(), params.dataset_dir().empty()
                                        ? ""
                                        : ResolveTrainedPath(params.dataset_dir()));
  if (!data.ok()) {
    return absl::Status(data.status().code(),
                        absl::StrCat("objective 'trained': ",
                                     data.status().message()));
  }
  if (absl::Status s = CheckRecipe(*space, params.recipe(), *data); !s.ok()) {
    return s;
  }
  std::vector<std::string> absolute;
  for (const std::string& f : data->files) {
    absolute.push_back(fs::absolute(f).string());
  }
  const std::string data_sha256 = FilesSha256(absolute);
  absl::StatusOr<std::shared_ptr<const PreparedData>> prepared =
      PrepareData(*data, params.recipe());
  if (!prepared.ok()) return prepared.status();
  // The manifest records the checksums of the dataset files and of the
  // libtorch library (results depend on its version).
  std::vector<std::string> recorded = absolute;
  const std::string libtorch = LoadedLibtorchPath();
  if (!libtorch.empty()) recorded.push_back(libtorch);
  std::vector<std::string> files = RelativeToDataDir(recorded, context.data_dir);
  return std::unique_ptr<Objective>(new TrainedObjective(
      std::move(space), std::move(params), *std::move(data),
      *std::move(prepared), data_sha256, std::move(files)));
}

NAS_REGISTER_OBJECTIVE(
    "trained",
    "Trains each architecture's network (libtorch, CPU) on Fashion-MNIST or "
    "CIFAR-10 with a recipe; fidelities are epochs; results cached by content",
    &TrainedObjectiveParams::default_instance(), &MakeObjective);

}  // namespace

std::string ResolveTrainedPath(const std::string& path) {
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (!path.empty() && path[0] != '/' && cwd != nullptr && *cwd != '\0') {
    return absl::StrCat(cwd, "/", path);
  }
  return path;
}

std::string TrainedCacheKey(const SearchSpace& space, const Architecture& arch,
                            const TrainedObjectiveParams& params,
                            const std::string& data_sha256, int epochs) {
  return absl::StrCat(
      "nas trained-objective cache key v1\nspace: ", space.name(),
      "\narchitecture: ", space.ToString(space.Canonicalize(arch)),
      "\ndataset: ", params.dataset(), " sha256 ", data_sha256,
      "\nrecipe: ", RecipeText(params.recipe()), "\nepochs: ", epochs,
      "\nlibraries: ", LibraryVersions(), "\n");
}

}  // namespace nas
