#include "objectives/nasbench201/nasbench201.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "objectives/common/csv_table.h"
#include "objectives/common/table_rows.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

constexpr char kWhereToGetIt[] =
    "The NAS-Bench-201 tables ship in ../shared/data/nasbench201 "
    "(nasbench201/README.txt names their public source).";

constexpr int kLowEpochs = 12;
constexpr int kFullEpochs = 200;

struct DatasetColumns {
  const char* name;
  const char* valid_column;  // 200 epochs.
  const char* test_column;
  const char* low_valid_column;  // 12 epochs.
  // At 12 epochs cifar10-valid has no test column of its own; the "cifar10"
  // run (trained on all 50k images, same test set) stands in.
  const char* low_test_column;
};

constexpr DatasetColumns kDatasets[] = {
    {"cifar10-valid", "cifar10valid_valid_acc", "cifar10valid_test_acc",
     "cifar10valid_valid_acc", "cifar10_test_acc"},
    {"cifar100", "cifar100_valid_acc", "cifar100_test_acc",
     "cifar100_valid_acc", "cifar100_test_acc"},
    {"ImageNet16-120", "imagenet16_valid_acc", "imagenet16_test_acc",
     "imagenet16_valid_acc", "imagenet16_test_acc"},
};

// A column to read from a table, and how to check its values.
struct ColumnSpec {
  std::string name;
  bool is_percentage;  // Else a non-negative number of seconds.
};

// values[c][index] is column c of the architecture with official `index`.
using ColumnsByIndex = std::vector<std::vector<double>>;

// What CompleteTableRows makes of a table's arch_str column: the official
// index of each row up to the first bad one, and the errors to report.
struct RowIndices {
  std::vector<int64_t> index_of_row;
  // At row index_of_row.size() when not OK.
  absl::Status claim_error;
  // Checked after the last row.
  absl::Status complete_error;
};

// RowIndices by claiming every row in order (CompleteTableRows): the exact
// errors of a table that has any.
std::shared_ptr<const RowIndices> ClaimRowsInOrder(const SearchSpace& space,
                                                   const CsvTable& table,
                                                   int arch_column) {
  auto indices = std::make_shared<RowIndices>();
  indices->index_of_row.reserve(table.num_rows());
  CompleteTableRows rows(space, table, arch_column, kWhereToGetIt);
  for (int row = 0; row < table.num_rows(); ++row) {
    auto index = rows.Claim(row);
    if (!index.ok()) {
      indices->claim_error = index.status();
      break;
    }
    indices->index_of_row.push_back(*index);
  }
  if (indices->claim_error.ok()) {
    indices->complete_error = rows.CheckComplete(table.path());
  }
  return indices;
}

// The RowIndices of `table`, computed once per table: the three datasets
// read one table, and parsing its 15,625 architecture names was 40% of each
// dataset's load. The result depends on the table alone (the space is
// NAS-Bench-201's, checked by the caller). Callers that arrive while the
// names are being parsed (the datasets load on parallel threads) each take
// chunks of rows; the last one out checks that every architecture appears
// exactly once, and for a table where one does not, claims the rows again
// in order for the exact error.
absl::StatusOr<std::shared_ptr<const RowIndices>> SharedRowIndices(
    const SearchSpace& space, const std::shared_ptr<const CsvTable>& table) {
  auto arch_column = table->Column("arch_str");
  if (!arch_column.ok()) return arch_column.status();
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built with
  // ThreadSanitizer, which then cannot see absl::Mutex's synchronisation.
  struct Slot {
    std::weak_ptr<const CsvTable> table;
    std::mutex mu;
    std::condition_variable done;
    std::shared_ptr<const RowIndices> indices;  // Guarded by mu.
    // The parse in progress: index_of_row[row], -1 where a name does not
    // parse; rows from next_row on are not taken yet.
    std::vector<int64_t> index_of_row;
    std::atomic<int> next_row{0};
    int parsing = 0;  // Guarded by mu, as started.
    bool started = false;
  };
  static std::mutex slots_mu;
  static auto* slots = new std::vector<std::shared_ptr<Slot>>();
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard<std::mutex> lock(slots_mu);
    // Tables no longer held (re-read after a change) leave their slot.
    slots->erase(std::remove_if(slots->begin(), slots->end(),
                                [](const std::shared_ptr<Slot>& s) {
                                  return s->table.expired();
                                }),
                 slots->end());
    for (const std::shared_ptr<Slot>& s : *slots) {
      if (s->table.lock() == table) slot = s;
    }
    if (slot == nullptr) {
      slot = std::make_shared<Slot>();
      slot->table = table;
      slots->push_back(slot);
    }
  }
  const int num_rows = table->num_rows();
  {
    std::lock_guard<std::mutex> lock(slot->mu);
    if (slot->indices != nullptr) return slot->indices;
    if (!slot->started) {
      slot->index_of_row.assign(num_rows, -1);
      slot->started = true;
    }
    ++slot->parsing;
  }
  constexpr int kChunk = 512;
  for (int first; (first = slot->next_row.fetch_add(kChunk)) < num_rows;) {
    for (int row = first; row < std::min(first + kChunk, num_rows); ++row) {
      auto arch = space.Parse(table->Cell(row, *arch_column));
      if (arch.ok()) slot->index_of_row[row] = space.ToIndex(*arch);
    }
  }
  std::unique_lock<std::mutex> lock(slot->mu);
  if (--slot->parsing > 0) {
    slot->done.wait(lock, [&] { return slot->indices != nullptr; });
    return slot->indices;
  }
  if (slot->indices != nullptr) return slot->indices;
  // The last one out: all rows are parsed.
  std::vector<bool> present(static_cast<size_t>(space.Size()), false);
  bool exact = num_rows == static_cast<int>(present.size());
  for (int row = 0; exact && row < num_rows; ++row) {
    const int64_t index = slot->index_of_row[row];
    exact = index >= 0 && !present[index];
    if (exact) present[index] = true;
  }
  if (exact) {
    auto indices = std::make_shared<RowIndices>();
    indices->index_of_row = std::move(slot->index_of_row);
    slot->indices = std::move(indices);
  } else {
    slot->indices = ClaimRowsInOrder(space, *table, *arch_column);
  }
  slot->done.notify_all();
  return slot->indices;
}

// Reads `columns` for every architecture of `space` from the table at
// `path`: each row's arch string must parse and appear once, each value be
// a finite percentage (or non-negative seconds), and every architecture
// must have a row.
absl::StatusOr<ColumnsByIndex> ReadColumnsByIndex(
    const SearchSpace& space, const std::string& path,
    const std::vector<ColumnSpec>& columns) {
  absl::StatusOr<std::shared_ptr<const CsvTable>> shared =
      CsvTable::ReadShared(path, kWhereToGetIt);
  if (!shared.ok()) return shared.status();
  const CsvTable* table = shared->get();
  auto rows = SharedRowIndices(space, *shared);
  if (!rows.ok()) return rows.status();
  const std::vector<int64_t>& index_of_row = (*rows)->index_of_row;
  std::vector<int> positions;
  for (const ColumnSpec& spec : columns) {
    auto position = table->Column(spec.name);
    if (!position.ok()) return position.status();
    positions.push_back(*position);
  }

  const int n = static_cast<int>(space.Size());
  ColumnsByIndex values(columns.size(),
                        std::vector<double>(
                            n, std::numeric_limits<double>::quiet_NaN()));
  // Errors in row order, as when each row was claimed before its values
  // were read.
  for (int row = 0; row < table->num_rows(); ++row) {
    if (row == static_cast<int>(index_of_row.size())) {
      return (*rows)->claim_error;
    }
    const int64_t index = index_of_row[row];
    for (size_t c = 0; c < columns.size(); ++c) {
      auto value = table->Double(row, positions[c]);
      if (!value.ok()) return value.status();
      if (columns[c].is_percentage && (*value < 0 || *value > 100)) {
        return absl::InvalidArgumentError(absl::StrCat(
            table->Where(row), ": column '", columns[c].name, "': accuracy ",
            *value,
            " is outside [0, 100]; the table must hold percentages. The file "
            "is corrupted; fetch it again. ",
            kWhereToGetIt));
      }
      if (!columns[c].is_percentage && *value < 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            table->Where(row), ": column '", columns[c].name, "': ", *value,
            " seconds is negative; the table is corrupted."));
      }
      values[c][index] = *value;
    }
  }
  if (!(*rows)->complete_error.ok()) return (*rows)->complete_error;
  return values;
}

// Validation and test errors (100 - accuracy) from the two accuracy
// columns read, by lexicographic index (see FidelityTable).
template <typename Errors>
std::vector<Errors> ErrorsFromAccuracies(const ColumnsByIndex& acc) {
  const std::vector<int>& lex_of_official = Nasbench201Space::OfficialOrder();
  std::vector<Errors> errors(acc[0].size());
  for (size_t i = 0; i < errors.size(); ++i) {
    errors[lex_of_official[i]] = {100.0 - acc[0][i], 100.0 - acc[1][i]};
  }
  return errors;
}

// `values` (by official index) by lexicographic index.
std::vector<double> ByLexicographicIndex(const std::vector<double>& values) {
  const std::vector<int>& lex_of_official = Nasbench201Space::OfficialOrder();
  std::vector<double> by_lex(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    by_lex[lex_of_official[i]] = values[i];
  }
  return by_lex;
}

NAS_REGISTER_OBJECTIVE_CLASS(
    "nasbench201",
    "NAS-Bench-201 table (cifar10-valid, cifar100, ImageNet16-120): "
    "validation/test error in percent at 200 epochs, optionally 12 epochs "
    "too and training times (cifar10-valid)",
    Nasbench201Objective, Nasbench201ObjectiveParams);

}  // namespace

absl::StatusOr<std::unique_ptr<Nasbench201Objective>> Nasbench201Objective::New(
    std::shared_ptr<const SearchSpace> space,
    const Nasbench201ObjectiveParams& params,
    const ObjectiveContext& context) {
  if (absl::Status s =
          CheckScoredSpace("nasbench201", "nasbench201", space.get());
      !s.ok()) {
    return s;
  }
  const DatasetColumns* columns = nullptr;
  for (const DatasetColumns& d : kDatasets) {
    if (params.dataset() == d.name) columns = &d;
  }
  if (columns == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'nasbench201': dataset '", params.dataset(),
        "' is not one of cifar10-valid, cifar100, ImageNet16-120"));
  }
  if (params.training_times() && params.dataset() != "cifar10-valid") {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'nasbench201': training_times is only available for "
        "cifar10-valid; the data has no training times for '",
        params.dataset(),
        "' (NATS-Bench's tables with them were not retrievable, see "
        "nasbench201/README.txt). Set training_times: false (costs are then "
        "0) and budget in queries."));
  }
  auto full = ReadColumnsByIndex(
      *space, absl::StrCat(context.data_dir, "/", params.table()),
      {{columns->valid_column, true}, {columns->test_column, true}});
  if (!full.ok()) return full.status();

  auto objective = std::unique_ptr<Nasbench201Objective>(
      new Nasbench201Objective());
  FidelityTable full_table;
  full_table.errors = ErrorsFromAccuracies<Errors>(*full);

  FidelityTable low_table;
  if (params.multi_fidelity()) {
    auto low = ReadColumnsByIndex(
        *space,
        absl::StrCat(context.data_dir, "/", params.low_fidelity_table()),
        {{columns->low_valid_column, true}, {columns->low_test_column, true}});
    if (!low.ok()) return low.status();
    low_table.errors = ErrorsFromAccuracies<Errors>(*low);
  }

  if (params.training_times()) {
    auto times = ReadColumnsByIndex(
        *space, absl::StrCat(context.data_dir, "/", params.times_table()),
        {{"train_per_time", false},
         {"train_all_time", false},
         {"valid_per_time", false}});
    if (!times.ok()) return times.status();
    const std::vector<double>& train_per_epoch = (*times)[0];
    const std::vector<double>& train_all = (*times)[1];
    const std::vector<double>& validate = (*times)[2];
    std::vector<double> full_cost(train_all.size());
    std::vector<double> low_cost(train_all.size());
    for (size_t i = 0; i < train_all.size(); ++i) {
      full_cost[i] = train_all[i] + validate[i];
      // The 12-epoch schedule trains the same network on the same data, so
      // an epoch costs what it costs in the 200-epoch run.
      low_cost[i] = kLowEpochs * train_per_epoch[i] + validate[i];
    }
    full_table.cost_seconds = ByLexicographicIndex(full_cost);
    low_table.cost_seconds = ByLexicographicIndex(low_cost);
  }

  KnownOptimum& opt = objective->optimum_;
  // In official order, as before the tables were kept in lexicographic
  // order: a tie for the best validation error goes to the same row.
  const std::vector<Errors>& full_errors = full_table.errors;
  const std::vector<int>& lex_of_official = Nasbench201Space::OfficialOrder();
  int best_valid = lex_of_official[0];
  double best_test = full_errors[best_valid].test;
  for (int lex : lex_of_official) {
    if (full_errors[lex].valid < full_errors[best_valid].valid)
      best_valid = lex;
    best_test = std::min(best_test, full_errors[lex].test);
  }
  opt.best_valid_error = full_errors[best_valid].valid;
  opt.test_error_of_best_valid = full_errors[best_valid].test;
  opt.best_test_error = best_test;
  objective->space_ = std::move(space);
  objective->dataset_ = params.dataset();
  HiddenColumns full_hidden{params.table(), {}};
  HiddenColumns low_hidden{params.low_fidelity_table(), {}};
  for (const DatasetColumns& d : kDatasets) {
    full_hidden.columns.push_back(d.test_column);
    low_hidden.columns.push_back(d.low_test_column);
  }
  objective->data_files_.push_back(params.table());
  objective->hidden_test_columns_.push_back(std::move(full_hidden));
  if (params.multi_fidelity()) {
    objective->data_files_.push_back(params.low_fidelity_table());
    objective->hidden_test_columns_.push_back(std::move(low_hidden));
  }
  if (params.training_times()) {
    objective->data_files_.push_back(params.times_table());
    objective->hidden_test_columns_.push_back(
        {params.times_table(), {"test_loss", "test_accuracy"}});
  }
  if (params.multi_fidelity()) {
    objective->fidelities_.push_back(
        {absl::StrCat(kLowEpochs, " epochs"), kLowEpochs});
    objective->tables_.push_back(std::move(low_table));
  }
  objective->fidelities_.push_back(
      {absl::StrCat(kFullEpochs, " epochs"), kFullEpochs});
  objective->tables_.push_back(std::move(full_table));
  return objective;
}

Evaluation Nasbench201Objective::Evaluate(const Architecture& arch,
                                          int fidelity,
                                          Rng* /*noise*/) const {
  const int index = Nasbench201Space::LexicographicIndex(arch);
  const FidelityTable& table = tables_[fidelity];
  Evaluation e;
  e.valid_error = table.errors[index].valid;
  e.test_error = table.errors[index].test;
  if (!table.cost_seconds.empty()) e.cost_seconds = table.cost_seconds[index];
  return e;
}

std::optional<LandscapeReference> Nasbench201Objective::landscape_reference()
    const {
  // Validation-error windows (percent) and pdf_n widths the study fitted;
  // its pdf_e width was "about 0.3-0.35", the middle is used.
  struct StudyWindow {
    const char* dataset;
    double low, high, pdf_n_sd;
  };
  static constexpr StudyWindow kWindows[] = {
      {"cifar10-valid", 8, 20, 0.18},
      {"cifar100", 25, 55, 0.10},
      {"ImageNet16-120", 53, 82, 0.22},
  };
  for (const StudyWindow& w : kWindows) {
    if (dataset_ != w.dataset) continue;
    LandscapeReference reference;
    reference.low = w.low;
    reference.high = w.high;
    reference.source = absl::StrFormat("study window [%g, %g]", w.low, w.high);
    reference.densities = LandscapeReference::Densities::kTruncatedNormal;
    reference.name = "study";
    reference.pdf_n_mean = 0.25;
    reference.pdf_n_sd = w.pdf_n_sd;
    reference.neighbour_sd = 0.325;
    return reference;
  }
  return std::nullopt;
}

}  // namespace nas
