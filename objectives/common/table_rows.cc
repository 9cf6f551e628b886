#include "objectives/common/table_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace nas {

CompleteTableRows::CompleteTableRows(const SearchSpace& space,
                                     const CsvTable& table, int arch_column,
                                     std::string where_to_get_it)
    : space_(space),
      table_(table),
      arch_column_(arch_column),
      where_to_get_it_(std::move(where_to_get_it)),
      present_(static_cast<size_t>(space.Size()), false) {}

absl::StatusOr<int64_t> CompleteTableRows::Claim(int row) {
  const absl::string_view name = table_.Cell(row, arch_column_);
  auto arch = space_.Parse(name);
  if (!arch.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(table_.Where(row), ": ", arch.status().message()));
  }
  const int64_t index = space_.ToIndex(*arch);
  if (present_[index]) {
    return absl::InvalidArgumentError(absl::StrCat(
        table_.Where(row), ": architecture ", name,
        " appears a second time; the table is corrupted: fetch it again. ",
        where_to_get_it_));
  }
  present_[index] = true;
  return index;
}

absl::Status CompleteTableRows::CheckComplete(absl::string_view path) const {
  const int64_t n = static_cast<int64_t>(present_.size());
  for (int64_t index = 0; index < n; ++index) {
    if (!present_[index]) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": architecture ", space_.ToString(space_.FromIndex(index)),
          " (index ", index, ") is missing; the table has ", table_.num_rows(),
          " rows of the ", n, " it needs. ", where_to_get_it_));
    }
  }
  return absl::OkStatus();
}

}  // namespace nas
