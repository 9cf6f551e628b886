#include "harness/proxy_scorer.h"

#include <mutex>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "objectives/networks/network.h"
#include "objectives/proxies/proxy.h"
#include "objectives/proxies/score_cache.h"
#include "objectives/trained/trainer.h"

namespace nas {
namespace {

// Scores from memory, else from the disk cache, else computed (and stored
// in both). A score is a pure function of the architecture, so which cell
// computed it first never shows in any result.
class CachedProxyScorer final : public ProxyScorer {
 public:
  CachedProxyScorer(std::string name, std::unique_ptr<Proxy> proxy,
                    std::shared_ptr<const SearchSpace> space,
                    const ProxySettings& settings, Minibatch batch,
                    std::optional<ScoreCache> cache)
      : name_(std::move(name)),
        proxy_(std::move(proxy)),
        space_(std::move(space)),
        shape_(ShapeOf(settings)),
        seed_(settings.seed()),
        batch_(std::move(batch)),
        cache_(std::move(cache)),
        key_prefix_(ProxyScoreKeyPrefix(
            name_, space_->name(), settings,
            proxy_->needs_data() ? batch_.digest : "none")) {}

  const std::string& name() const override { return name_; }

  absl::StatusOr<double> Score(const Architecture& arch) const override {
    const uint64_t hash = space_->Hash(arch);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = memo_.find(hash); it != memo_.end()) return it->second;
    }
    absl::StatusOr<double> score = Compute(arch);
    if (!score.ok()) {
      return absl::Status(
          score.status().code(),
          absl::StrCat("proxy '", name_, "' on ", space_->ToString(arch), ": ",
                       score.status().message()));
    }
    std::lock_guard<std::mutex> lock(mu_);
    memo_.emplace(hash, *score);
    return *score;
  }

 private:
  absl::StatusOr<double> Compute(const Architecture& arch) const {
    const std::string key = key_prefix_ + space_->ToString(arch);
    if (cache_.has_value()) {
      absl::StatusOr<std::optional<double>> hit = cache_->Lookup(key);
      if (!hit.ok()) return hit.status();
      if (hit->has_value()) return **hit;
    }
    absl::StatusOr<double> score =
        ScoreArchitecture(*proxy_, *space_, arch, shape_, batch_, seed_);
    if (score.ok() && cache_.has_value()) {
      if (absl::Status s = cache_->Store(key, *score); !s.ok()) return s;
    }
    return score;
  }

  const std::string name_;
  const std::unique_ptr<Proxy> proxy_;
  const std::shared_ptr<const SearchSpace> space_;
  const NetworkShape shape_;
  const uint64_t seed_;
  const Minibatch batch_;
  const std::optional<ScoreCache> cache_;
  const std::string key_prefix_;
  // std::mutex, as in the runner: TSan cannot see Debian's absl::Mutex.
  mutable std::mutex mu_;
  mutable absl::flat_hash_map<uint64_t, double> memo_;
};

}  // namespace

std::string ProxySettingsKey(const ProxySettings& s) {
  return absl::StrCat("channels ", s.channels(), ", cells ", s.cells(),
                      ", input ", s.input_channels(), "x", s.input_height(),
                      "x", s.input_width(), ", classes ", s.num_classes(),
                      ", seed ", s.seed());
}

std::string ProxyScoreKeyPrefix(const std::string& proxy,
                                const std::string& space,
                                const ProxySettings& settings,
                                const std::string& data_digest) {
  return absl::StrCat("nas proxy score v1\nproxy: ", proxy, "\nspace: ", space,
                      "\nsettings: ", ProxySettingsKey(settings),
                      "\ndata: ", data_digest,
                      "\nlibraries: ", LibraryVersions(), "\narchitecture: ");
}

absl::StatusOr<std::unique_ptr<ProxyScorer>> MakeProxyScorer(
    const ProxySpec& spec, std::shared_ptr<const SearchSpace> space) {
  absl::StatusOr<std::unique_ptr<Proxy>> proxy = MakeProxy(spec.name());
  if (!proxy.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("proxy: ", proxy.status().message()));
  }
  if (absl::Status s = CheckSettings(spec.settings()); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("proxy '", spec.name(), "': ", s.message()));
  }
  if (absl::Status s = FindNetworkBuilder(space->name()).status(); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("proxy '", spec.name(), "' needs a network of space '",
                     space->name(), "': ", s.message()));
  }
  Minibatch batch;
  if ((*proxy)->needs_data()) {
    absl::StatusOr<Minibatch> loaded = FashionMnistMinibatch(
        spec.settings().dataset_dir(), ShapeOf(spec.settings()),
        spec.settings().batch_size(), spec.settings().seed());
    if (!loaded.ok()) {
      return absl::Status(
          loaded.status().code(),
          absl::StrCat("proxy '", spec.name(),
                       "': its minibatch: ", loaded.status().message()));
    }
    batch = *std::move(loaded);
  }
  std::optional<ScoreCache> cache;
  if (!spec.cache_dir().empty()) cache.emplace(spec.cache_dir());
  return std::unique_ptr<ProxyScorer>(new CachedProxyScorer(
      spec.name(), *std::move(proxy), std::move(space), spec.settings(),
      std::move(batch), std::move(cache)));
}

}  // namespace nas
