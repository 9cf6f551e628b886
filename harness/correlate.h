#ifndef NASBENCH_HARNESS_CORRELATE_H_
#define NASBENCH_HARNESS_CORRELATE_H_

// `nas correlate CONFIG --output_dir DIR`: zero-cost proxy scores of a
// benchmark's architectures against its validation and test metrics.
// Writes DIR/correlations.csv (Spearman and Kendall with bootstrap
// intervals), DIR/scores.csv (architecture,proxy,score), DIR/plots/*.svg
// (scatter plots) and DIR/report.md (written last: it marks a complete
// output). Scores go through the content-addressed cache of
// objectives/proxies/score_cache.h, so a rerun only reads them.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "harness/correlate.pb.h"

namespace nas {

struct CorrelateOptions {
  std::string output_dir;
  std::string data_dir;  // --data_dir; empty: the experiment's rules.
  bool overwrite = false;
  int threads = 0;  // 0: one per core. Results do not depend on it.
};

// Parses a text-format CorrelateConfig; errors name file:line:column.
absl::StatusOr<CorrelateConfig> ParseCorrelateConfig(const std::string& text,
                                                     const std::string& path);

absl::Status RunCorrelateCommand(const std::string& config_path,
                                 const CorrelateOptions& options);

}  // namespace nas

#endif  // NASBENCH_HARNESS_CORRELATE_H_
