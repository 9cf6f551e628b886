#ifndef NASBENCH_OBJECTIVES_COMMON_TABLE_ROWS_H_
#define NASBENCH_OBJECTIVES_COMMON_TABLE_ROWS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "objectives/common/csv_table.h"
#include "spaces/search_space.h"

namespace nas {

// The rows of a benchmark table that must name every architecture of an
// indexable space exactly once (NAS-Bench-201, NAS-Bench-Macro,
// TransNAS-Bench-101): maps each row to its architecture's index and
// refuses unparsable names, repeats and gaps, with messages that name the
// file and row and end with `where_to_get_it`.
class CompleteTableRows {
 public:
  CompleteTableRows(const SearchSpace& space, const CsvTable& table,
                    int arch_column, std::string where_to_get_it);

  // The index of the architecture `row` names. InvalidArgument when the
  // name does not parse or an earlier row named the same architecture.
  absl::StatusOr<int64_t> Claim(int row);

  // OK when every architecture had a row; else InvalidArgument naming the
  // first missing one.
  absl::Status CheckComplete(absl::string_view path) const;

 private:
  const SearchSpace& space_;
  const CsvTable& table_;
  const int arch_column_;
  const std::string where_to_get_it_;
  std::vector<bool> present_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_COMMON_TABLE_ROWS_H_
