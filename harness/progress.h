#ifndef NASBENCH_HARNESS_PROGRESS_H_
#define NASBENCH_HARNESS_PROGRESS_H_

#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "harness/config.h"
#include "harness/runner.h"

namespace nas {

// Failed cells, grouped: a bug in a plugin fails every cell it runs with
// near-identical messages, which should read as one problem with a count,
// not as hundreds of lines. Messages are grouped by algorithm, benchmark
// and text with every number replaced by '#'.
class FailureSummary {
 public:
  // How many cells of a group are printed as they happen.
  static constexpr int kShownPerGroup = 3;

  // Records a failed cell; returns the line to print now ("" once the
  // group has been shown kShownPerGroup times).
  std::string Add(const LoadedExperiment& experiment, const CellResult& cell);

  int failed() const { return failed_; }
  // One paragraph per group, largest first: count, the cells (first few)
  // and the first message in full. Empty when nothing failed.
  std::string Summary() const;

 private:
  struct Group {
    int count = 0;
    int first_order = 0;
    std::string first_message;
    std::vector<std::string> cells;  // The first few, "bench/algo seed k".
  };
  std::map<std::string, Group> groups_;
  int failed_ = 0;
};

// Progress of a run on stderr: cells done of total, running, failed,
// elapsed time, ETA (from the durations of finished cells) and the cell
// that has been running longest. On a terminal one line refreshed in place
// (also while long cells run, by a ticker thread); otherwise a line at each
// tenth of the cells and at most every 30 s, so logs stay short.
class ProgressReporter {
 public:
  ProgressReporter(const LoadedExperiment& experiment, int total_cells,
                   int threads, bool terminal);
  ~ProgressReporter();  // Stops the ticker.

  // Both are called serialised by the runner (RunOptions callbacks).
  void CellStarted(const CellId& id);
  void CellDone(const CellResult& result, int done);

  const FailureSummary& failures() const { return failures_; }

 private:
  void PrintLocked(bool final_line);
  std::string Label(const CellId& id) const;

  const LoadedExperiment& experiment_;
  const int total_;
  const int threads_;
  const bool terminal_;
  const absl::Time start_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  int done_ = 0;
  double finished_seconds_ = 0;  // Sum of finished cells' durations.
  std::map<std::tuple<int, int, int>, absl::Time> running_;
  absl::Time last_line_ = absl::InfinitePast();
  int last_tenth_ = 0;
  FailureSummary failures_;
  std::thread ticker_;
};

}  // namespace nas

#endif  // NASBENCH_HARNESS_PROGRESS_H_
