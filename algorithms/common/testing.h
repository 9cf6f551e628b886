#ifndef NASBENCH_ALGORITHMS_COMMON_TESTING_H_
#define NASBENCH_ALGORITHMS_COMMON_TESTING_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"

namespace nas {

// An Oracle over a plain function, for algorithm unit tests: a query budget,
// validity checks and a log of every query, nothing else, optionally visible
// metrics (another function), and optionally a proxy (another plain function) with a log of every proxy score. The
// harness's oracle does the same over real objectives and proxies.
class FunctionOracle : public Oracle {
 public:
  FunctionOracle(const SearchSpace& space,
                 std::function<double(const Architecture&)> valid_error,
                 int64_t budget)
      : space_(space), valid_error_(std::move(valid_error)), budget_(budget) {}

  const SearchSpace& space() const override { return space_; }
  int num_fidelities() const override { return 1; }
  double fidelity_epochs(int) const override { return 1; }

  absl::StatusOr<Observation> Query(const Architecture& arch,
                                    int fidelity) override {
    if (exhausted()) return absl::ResourceExhaustedError("budget spent");
    absl::Status valid = space_.Validate(arch);
    if (!valid.ok()) return valid;
    if (!(space_.Canonicalize(arch) == arch)) {
      return absl::InvalidArgumentError(
          absl::StrCat("not canonical: ", space_.ToString(arch)));
    }
    queries_.push_back(arch);
    Observation observation{valid_error_(arch), 0.0, {}};
    if (metrics_) observation.metrics = metrics_(arch);
    return observation;
  }

  // Shows metrics `names` (Oracle::metric_names()) with values `values`.
  void set_metrics(std::vector<std::string> names,
                   std::function<std::vector<double>(const Architecture&)>
                       values) {
    metric_names_ = std::move(names);
    metrics_ = std::move(values);
  }
  std::vector<std::string> metric_names() const override {
    return metric_names_;
  }

  bool exhausted() const override {
    return static_cast<int64_t>(queries_.size()) >= budget_;
  }
  int64_t queries_used() const override {
    return static_cast<int64_t>(queries_.size());
  }
  int64_t query_budget() const override { return budget_; }

  // Serves `proxy` as the proxy named "test_proxy".
  void set_proxy(std::function<double(const Architecture&)> proxy) {
    proxy_ = std::move(proxy);
  }
  std::string proxy_name() const override {
    return proxy_ ? "test_proxy" : std::string();
  }
  absl::StatusOr<double> ProxyScore(const Architecture& arch) override {
    if (!proxy_) return Oracle::ProxyScore(arch);
    if (exhausted()) return absl::ResourceExhaustedError("budget spent");
    if (!(space_.Canonicalize(arch) == arch)) {
      return absl::InvalidArgumentError("not canonical");
    }
    proxy_log_.push_back({queries_used(), arch});
    return proxy_(arch);
  }

  const std::vector<Architecture>& queries() const { return queries_; }
  // Each proxy score: the queries made before it, and what it scored.
  struct ProxyCall {
    int64_t queries_before;
    Architecture arch;
  };
  const std::vector<ProxyCall>& proxy_log() const { return proxy_log_; }

 private:
  const SearchSpace& space_;
  std::function<double(const Architecture&)> valid_error_;
  int64_t budget_;
  std::vector<Architecture> queries_;
  std::vector<std::string> metric_names_;
  std::function<std::vector<double>(const Architecture&)> metrics_;
  std::function<double(const Architecture&)> proxy_;
  std::vector<ProxyCall> proxy_log_;
};

}  // namespace nas

#endif  // NASBENCH_ALGORITHMS_COMMON_TESTING_H_
