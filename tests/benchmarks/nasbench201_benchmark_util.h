#ifndef NASBENCH_TESTS_BENCHMARKS_NASBENCH201_BENCHMARK_UTIL_H_
#define NASBENCH_TESTS_BENCHMARKS_NASBENCH201_BENCHMARK_UTIL_H_

// For the Google Benchmark binaries here: the real NAS-Bench-201 cifar100
// table, and whole 300-query searches on it through the harness's
// BudgetedOracle (the predictor algorithms' benchmarks).
// The data directory is $NAS_DATA_DIR or ../shared/data, relative to where
// `bazel run` was started.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "algorithms/algorithm.h"
#include "benchmark/benchmark.h"
#include "harness/oracle.h"
#include "objectives/nasbench201/nasbench201.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {

inline std::string BenchmarkDataDir() {
  const char* env = std::getenv("NAS_DATA_DIR");
  std::string dir = env && *env ? env : "../shared/data";
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  if (dir[0] != '/' && cwd && *cwd) dir = absl::StrCat(cwd, "/", dir);
  return dir;
}

// A private copy of the NAS-Bench-201 table in a scratch data directory,
// for cold loads: Touch() (call it untimed) moves the copy's modification
// time so that CsvTable::ReadShared reads it afresh.
class ColdNasbench201Table {
 public:
  ColdNasbench201Table() {
    char dir_template[] = "/tmp/nas_cold_load_XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) return;
    data_dir_ = dir_template;
    ::mkdir(absl::StrCat(data_dir_, "/nasbench201").c_str(), 0700);
    copy_ = absl::StrCat(data_dir_, "/", kTable);
    std::ifstream in(absl::StrCat(BenchmarkDataDir(), "/", kTable),
                     std::ios::binary);
    std::ofstream out(copy_, std::ios::binary);
    out << in.rdbuf();
    ok_ = in && out;
  }
  ~ColdNasbench201Table() {
    if (data_dir_.empty()) return;
    std::remove(copy_.c_str());
    ::rmdir(absl::StrCat(data_dir_, "/nasbench201").c_str());
    ::rmdir(data_dir_.c_str());
  }
  ColdNasbench201Table(const ColdNasbench201Table&) = delete;
  ColdNasbench201Table& operator=(const ColdNasbench201Table&) = delete;

  // False when the copy could not be made.
  bool ok() const { return ok_; }
  const std::string& data_dir() const { return data_dir_; }
  void Touch() {
    ++tick_;
    const struct timespec times[2] = {{1000000000 + tick_, 0},
                                      {1000000000 + tick_, 0}};
    ::utimensat(AT_FDCWD, copy_.c_str(), times, 0);
  }

 private:
  static constexpr char kTable[] = "nasbench201/nb201_v1_1_200ep_seedavg.csv";
  std::string data_dir_, copy_;
  bool ok_ = false;
  int64_t tick_ = 0;
};

inline const Nasbench201Objective& Cifar100Objective() {
  static const Nasbench201Objective* objective = [] {
    Nasbench201ObjectiveParams params;
    params.set_dataset("cifar100");
    auto loaded = Nasbench201Objective::New(
        std::shared_ptr<const SearchSpace>(*Nasbench201Space::New()), params,
        {BenchmarkDataDir()});
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n",
                   std::string(loaded.status().message()).c_str());
      std::exit(1);
    }
    return loaded->release();
  }();
  return *objective;
}

// One 300-query search per iteration, seeds 0, 1, 2, ...; reports the mean
// test error of the final incumbent (best validation error) as a counter.
template <typename MakeAlgorithm>
void RunSearch300(benchmark::State& state, MakeAlgorithm make) {
  const Objective& objective = Cifar100Objective();
  uint64_t seed = 0;
  double test_error_sum = 0;
  for (auto _ : state) {
    BudgetLimits limits;
    limits.queries = 300;
    BudgetedOracle oracle(objective, limits, Rng(seed));
    Rng rng(seed++);
    auto algorithm = make();
    if (!algorithm.ok() || !RunAlgorithm(**algorithm, oracle, rng).ok()) {
      state.SkipWithError("search failed");
      return;
    }
    const QueryRecord* best = nullptr;
    for (const QueryRecord& r : oracle.records()) {
      if (best == nullptr || r.evaluation.valid_error < best->evaluation.valid_error) {
        best = &r;
      }
    }
    test_error_sum += best->evaluation.test_error;
  }
  state.counters["test_error"] =
      test_error_sum / static_cast<double>(state.iterations());
}

}  // namespace nas

#endif  // NASBENCH_TESTS_BENCHMARKS_NASBENCH201_BENCHMARK_UTIL_H_
