#ifndef NASBENCH_HARNESS_PROXY_SCORER_H_
#define NASBENCH_HARNESS_PROXY_SCORER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "harness/experiment.pb.h"
#include "harness/oracle.h"
#include "objectives/proxies/proxy.pb.h"
#include "spaces/search_space.h"

// The proxy channel's scorer, apart from the oracle so that only this
// library (and what builds a run) compiles against libtorch.
namespace nas {

// The registered proxy spec.name() with spec.settings() on `space`, its
// scores memoised and, when spec.cache_dir() is set, read from and written
// to the score cache `nas correlate` uses. InvalidArgument for an unknown
// proxy, bad settings or a space without a network builder.
absl::StatusOr<std::unique_ptr<ProxyScorer>> MakeProxyScorer(
    const ProxySpec& spec, std::shared_ptr<const SearchSpace> space);

// The score cache's key up to the architecture: proxy, space, every setting
// (defaults included, so that a default changed later gives new keys rather
// than stale scores), the minibatch digest ("none" for data-free proxies)
// and the library versions. Shared with `nas correlate`, so each reads the
// other's scores.
std::string ProxySettingsKey(const ProxySettings& settings);
std::string ProxyScoreKeyPrefix(const std::string& proxy,
                                const std::string& space,
                                const ProxySettings& settings,
                                const std::string& data_digest);

}  // namespace nas

#endif  // NASBENCH_HARNESS_PROXY_SCORER_H_
