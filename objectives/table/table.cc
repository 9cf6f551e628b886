#include "objectives/table/table.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "objectives/table/table_file.h"
#include "spaces/table/table_space.h"

namespace nas {
namespace {

NAS_REGISTER_OBJECTIVE_CLASS(
    "table",
    "Any CSV of architectures and metrics, configured in the experiment: "
    "gene columns (with the 'table' space) or an architecture string of any "
    "space, metric kinds, repeats, fidelities, costs, extra columns",
    TableObjective, TableObjectiveParams);

absl::Status Refuse(absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("objective 'table': ", message));
}

// Which rows of a file belong to one fidelity.
struct RowFilter {
  int column = -1;  // -1: every row.
  std::string text;
  std::optional<double> number;  // Compare numerically when set.
  bool Accepts(const TableFile& file, int row) const {
    if (column < 0) return true;
    const std::string& cell = file.Cell(row, column);
    if (number.has_value()) {
      double value;
      return absl::SimpleAtod(cell, &value) && value == *number;
    }
    return cell == text;
  }
};

struct FidelityPlan {
  Fidelity fidelity;
  std::string fidelity_text;            // Explicit fidelity_value.
  std::optional<double> fidelity_number;  // Derived from the column.
  std::string default_table;
  TableMetric valid, test;
  std::vector<TableCost> cost;
};

// "{a}-{b}" -> pieces: literal text and column names, alternating.
struct TemplatePiece {
  std::string literal;
  std::string column;  // Empty for the last piece.
};

absl::StatusOr<std::vector<TemplatePiece>> ParseTemplate(
    const std::string& text) {
  std::vector<TemplatePiece> pieces;
  TemplatePiece piece;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      return Refuse(absl::StrCat("architecture template '", text,
                                 "' has a '}' without '{' at character ",
                                 i + 1, "; write columns as {name}"));
    }
    if (text[i] != '{') {
      piece.literal += text[i];
      continue;
    }
    const size_t close = text.find('}', i);
    if (close == std::string::npos || close == i + 1) {
      return Refuse(absl::StrCat("architecture template '", text,
                                 "' has an unclosed or empty '{' at "
                                 "character ", i + 1,
                                 "; write columns as {name}"));
    }
    piece.column = text.substr(i + 1, close - i - 1);
    pieces.push_back(std::move(piece));
    piece = TemplatePiece();
    i = close;
  }
  pieces.push_back(std::move(piece));
  return pieces;
}

std::string DefaultUnit(TableMetric::Kind kind) {
  switch (kind) {
    case TableMetric::LOSS:
    case TableMetric::NEGATED_LOSS:
      return "loss";
    case TableMetric::SCORE:
      return "1 - score";
    default:
      return "error (%)";
  }
}

// The metric's cell as a lower-is-better error, or an error at the cell.
absl::StatusOr<double> ToError(const TableFile& file, int row, int column,
                               const TableMetric& metric) {
  auto value = file.Number(row, column);
  if (!value.ok()) return value.status();
  const double v = *value;
  auto outside = [&](absl::string_view range, absl::string_view hint) {
    return absl::InvalidArgumentError(absl::StrCat(
        file.Where(row, column), ": ", v, " is outside ", range, " for kind ",
        TableMetric::Kind_Name(metric.kind()), ". ", hint));
  };
  switch (metric.kind()) {
    case TableMetric::ACCURACY_PERCENT:
      if (v < 0 || v > 100) {
        return outside("[0, 100]", "Fix the value, or declare the right kind "
                                   "(a fraction is ACCURACY_FRACTION).");
      }
      return 100.0 - v;
    case TableMetric::ACCURACY_FRACTION:
      if (v < 0 || v > 1) {
        return outside("[0, 1]", "Fix the value, or declare the right kind "
                                 "(a percentage is ACCURACY_PERCENT).");
      }
      return 100 * (1 - v);
    case TableMetric::ERROR_PERCENT:
      if (v < 0 || v > 100) {
        return outside("[0, 100]", "Fix the value, or declare the right "
                                   "kind (ERROR_FRACTION, LOSS).");
      }
      return v;
    case TableMetric::ERROR_FRACTION:
      if (v < 0 || v > 1) {
        return outside("[0, 1]", "Fix the value, or declare the right kind "
                                 "(ERROR_PERCENT, LOSS).");
      }
      return 100 * v;
    case TableMetric::LOSS:
      return metric.scale() == 1 ? v : v * metric.scale();
    case TableMetric::NEGATED_LOSS:
      if (v > 0) {
        return outside("(-inf, 0]", "A negated loss is never positive; "
                                    "declare LOSS for a plain loss.");
      }
      return -v;
    case TableMetric::SCORE:
      if (v > 1) {
        return outside("(-inf, 1]", "A score is at most 1; declare LOSS for "
                                    "an unbounded lower-is-better value.");
      }
      return 1.0 - v;
  }
  return v;
}

// "1" < "2" < "10" when every value is a number, text order otherwise.
void SortNaturally(std::vector<std::string>* values) {
  bool numeric = true;
  for (const std::string& v : *values) {
    double unused;
    numeric = numeric && absl::SimpleAtod(v, &unused);
  }
  std::sort(values->begin(), values->end(),
            [numeric](const std::string& a, const std::string& b) {
              if (numeric) {
                double x = 0, y = 0;
                (void)absl::SimpleAtod(a, &x);
                (void)absl::SimpleAtod(b, &y);
                if (x != y) return x < y;
              }
              return a < b;
            });
}

// Reads the files and turns rows into entries (dense ids of architectures).
class Loader {
 public:
  Loader(std::shared_ptr<const SearchSpace> space,
         const TableObjectiveParams& params, const ObjectiveContext& context)
      : space_(std::move(space)), params_(params), context_(context) {}

  // Fills one list per fidelity, cheapest first.
  absl::Status Load(std::vector<std::vector<TableObjective::Measured>>* measured,
                    std::vector<Fidelity>* fidelities);

  absl::StatusOr<const TableFile*> File(const std::string& relative) {
    auto it = files_.find(relative);
    if (it != files_.end()) return &it->second;
    auto file = TableFile::Read(absl::StrCat(context_.data_dir, "/", relative));
    if (!file.ok()) return file.status();
    order_.push_back(relative);
    return &files_.emplace(relative, *std::move(file)).first->second;
  }

  const std::vector<std::string>& files_in_order() const { return order_; }

  absl::Status KeyByGenes(const TableSpace& space);
  absl::Status KeyByTemplate();
  absl::StatusOr<std::vector<FidelityPlan>> PlanFidelities();
  absl::StatusOr<RowFilter> Filter(const TableFile& file,
                                   const FidelityPlan& plan) const;
  // Appends each accepted row's value to its entry's list.
  absl::Status Collect(
      const std::string& relative, const RowFilter& filter,
      absl::string_view what, int key_column,
      const std::function<absl::StatusOr<double>(const TableFile&, int)>& read,
      std::vector<std::vector<double>>* per_entry);
  std::string Describe(int64_t entry) const {
    return space_->ToString(entry_arch_[entry]);
  }
  int64_t num_entries() const { return entry_arch_.size(); }

  std::shared_ptr<const SearchSpace> space_;
  const TableObjectiveParams& params_;
  const ObjectiveContext& context_;
  std::map<std::string, TableFile> files_;
  std::vector<std::string> order_;
  // Per file, the entry of each row, and the column messages point at.
  std::map<std::string, std::vector<int64_t>> entry_of_row_;
  std::map<std::string, int> key_column_;
  std::vector<Architecture> entry_arch_;
  std::vector<std::string> referenced_;  // Every file the config names.
};

absl::Status Loader::KeyByGenes(const TableSpace& space) {
  const std::vector<std::string>& columns = space.gene_columns();
  if (!space.configured()) {
    return Refuse(
        "the 'table' space has no genes; set gene { column: \"NAME\" } in "
        "the space's params, once per column that names the architecture");
  }
  const int genes = static_cast<int>(columns.size());
  // Pass 1: every gene value, checked against the declared ones.
  std::vector<std::vector<std::string>> values(genes);
  std::vector<absl::flat_hash_set<std::string>> seen(genes);
  std::map<std::string, std::vector<int>> positions;
  for (const std::string& relative : referenced_) {
    auto file = File(relative);
    if (!file.ok()) return file.status();
    std::vector<int>& at = positions[relative];
    for (int g = 0; g < genes; ++g) {
      auto column = (*file)->Column(columns[g], absl::StrCat("gene ", g));
      if (!column.ok()) return column.status();
      at.push_back(*column);
    }
    key_column_[relative] = at[0];
    for (int row = 0; row < (*file)->num_rows(); ++row) {
      for (int g = 0; g < genes; ++g) {
        const std::string& cell = (*file)->Cell(row, at[g]);
        if (cell.empty()) {
          return absl::InvalidArgumentError(absl::StrCat(
              (*file)->Where(row, at[g]), ": the gene is missing (empty "
              "cell); every row needs a value for every gene. Fill it in or "
              "delete the row."));
        }
        if (cell.find('|') != std::string::npos) {
          return absl::InvalidArgumentError(absl::StrCat(
              (*file)->Where(row, at[g]), ": gene value '", cell,
              "' contains '|', which separates genes in architecture "
              "strings; rename the value."));
        }
        const std::vector<std::string>& declared = space.declared_values(g);
        if (!declared.empty()) {
          if (std::find(declared.begin(), declared.end(), cell) ==
              declared.end()) {
            return absl::InvalidArgumentError(absl::StrCat(
                (*file)->Where(row, at[g]), ": '", cell,
                "' is not a declared value of gene '", columns[g],
                "' (declared: ", absl::StrJoin(declared, ", "),
                "). Fix the cell or add the value to the space's gene { "
                "value: ... } list."));
          }
        } else if (seen[g].insert(cell).second) {
          values[g].push_back(cell);
        }
      }
    }
  }
  for (int g = 0; g < genes; ++g) {
    if (!space.declared_values(g).empty()) {
      values[g] = space.declared_values(g);
    } else {
      SortNaturally(&values[g]);
    }
    if (values[g].size() > 256) {
      return Refuse(absl::StrCat("gene '", columns[g], "' has ",
                                 values[g].size(),
                                 " distinct values, at most 256 are "
                                 "supported; is it a metric column?"));
    }
  }
  // Pass 2: the distinct tuples, then each row's entry.
  std::map<std::string, std::vector<Architecture>> tuples_of_rows;
  absl::flat_hash_set<Architecture> distinct;
  TableSpace::Rows rows;
  rows.values = values;
  for (const std::string& relative : referenced_) {
    const TableFile& file = files_.at(relative);
    const std::vector<int>& at = positions[relative];
    std::vector<Architecture>& tuples = tuples_of_rows[relative];
    for (int row = 0; row < file.num_rows(); ++row) {
      Architecture tuple(genes);
      for (int g = 0; g < genes; ++g) {
        const auto& v = values[g];
        tuple[g] = static_cast<uint8_t>(
            std::find(v.begin(), v.end(), file.Cell(row, at[g])) - v.begin());
      }
      tuples.push_back(tuple);
      if (distinct.insert(tuple).second) rows.tuples.push_back(tuple);
    }
  }
  if (absl::Status bound = space.Bind(std::move(rows)); !bound.ok()) {
    return Refuse(bound.message());
  }
  entry_arch_.resize(static_cast<size_t>(space.Size()));
  for (int64_t i = 0; i < num_entries(); ++i) entry_arch_[i] = space.FromIndex(i);
  for (auto& [relative, tuples] : tuples_of_rows) {
    std::vector<int64_t>& entries = entry_of_row_[relative];
    for (const Architecture& tuple : tuples) {
      entries.push_back(space.ToIndex(tuple));
    }
  }
  return absl::OkStatus();
}

absl::Status Loader::KeyByTemplate() {
  auto pieces = ParseTemplate(params_.architecture());
  if (!pieces.ok()) return pieces.status();
  const bool indexable = space_->IsIndexable();
  std::map<std::string, std::vector<Architecture>> archs_of_rows;
  std::vector<Architecture> distinct;
  absl::flat_hash_set<uint64_t> seen_hashes;
  for (const std::string& relative : referenced_) {
    auto file = File(relative);
    if (!file.ok()) return file.status();
    std::vector<int> at;
    for (const TemplatePiece& piece : *pieces) {
      if (piece.column.empty()) continue;
      auto column = (*file)->Column(piece.column, "the architecture");
      if (!column.ok()) return column.status();
      at.push_back(*column);
    }
    if (at.empty()) {
      return Refuse(absl::StrCat("architecture template '",
                                 params_.architecture(),
                                 "' names no column; write e.g. "
                                 "\"{arch_str}\""));
    }
    key_column_[relative] = at[0];
    std::vector<Architecture>& archs = archs_of_rows[relative];
    for (int row = 0; row < (*file)->num_rows(); ++row) {
      std::string text;
      size_t next = 0;
      for (const TemplatePiece& piece : *pieces) {
        text += piece.literal;
        if (!piece.column.empty()) text += (*file)->Cell(row, at[next++]);
      }
      auto arch = space_->Parse(text);
      if (!arch.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            (*file)->Where(row, at[0]), ": '", text, "' is not an "
            "architecture of space '", space_->name(), "': ",
            arch.status().message(), ". Fix the row, or the objective's "
            "`architecture` template if every row fails."));
      }
      archs.push_back(*arch);
      if (!indexable && seen_hashes.insert(space_->Hash(*arch)).second) {
        distinct.push_back(*arch);
      }
    }
  }
  if (indexable) {
    const int64_t n = static_cast<int64_t>(space_->Size());
    entry_arch_.resize(n);
    for (int64_t i = 0; i < n; ++i) entry_arch_[i] = space_->FromIndex(i);
  } else {
    // Entries in architecture order, whatever the files' row order.
    std::sort(distinct.begin(), distinct.end());
    entry_arch_ = std::move(distinct);
  }
  absl::flat_hash_map<uint64_t, int64_t> entry_of_hash;
  if (!indexable) {
    for (int64_t i = 0; i < num_entries(); ++i) {
      entry_of_hash[space_->Hash(entry_arch_[i])] = i;
    }
  }
  for (auto& [relative, archs] : archs_of_rows) {
    std::vector<int64_t>& entries = entry_of_row_[relative];
    for (const Architecture& arch : archs) {
      entries.push_back(indexable ? space_->ToIndex(arch)
                                  : entry_of_hash.at(space_->Hash(arch)));
    }
  }
  if (!indexable && absl::uint128(num_entries()) != space_->Size()) {
    std::string missing;
    if (const SearchSpace::Enumerator enumerate = space_->enumerator()) {
      for (const Architecture& arch : enumerate()) {
        if (!entry_of_hash.contains(space_->Hash(arch))) {
          missing = absl::StrCat(" (", space_->ToString(arch),
                                 " is one missing)");
          break;
        }
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(
        context_.data_dir, "/", referenced_[0], ": the table names ",
        num_entries(), " distinct architectures but space '", space_->name(),
        "' has ", absl::Uint128Low64(space_->Size()), missing,
        ". A table keyed by `architecture` must cover its space; for a "
        "partial table use the 'table' space with gene columns."));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<FidelityPlan>> Loader::PlanFidelities() {
  std::vector<FidelityPlan> plans;
  auto base = [&](FidelityPlan* plan) {
    plan->default_table = params_.table(0);
    plan->valid = params_.valid();
    plan->test = params_.has_test() ? params_.test() : params_.valid();
    plan->cost.assign(params_.cost().begin(), params_.cost().end());
  };
  if (params_.fidelity_size() > 0) {
    for (const TableFidelity& f : params_.fidelity()) {
      FidelityPlan plan;
      base(&plan);
      if (!f.table().empty()) plan.default_table = f.table();
      if (f.has_valid()) plan.valid = f.valid();
      if (f.has_test()) {
        plan.test = f.test();
      } else if (f.has_valid() && !params_.has_test()) {
        plan.test = f.valid();
      }
      if (f.cost_size() > 0) plan.cost.assign(f.cost().begin(), f.cost().end());
      plan.fidelity.epochs = f.epochs();
      plan.fidelity.name =
          f.name().empty() ? absl::StrCat(f.epochs(), " epochs") : f.name();
      if (params_.has_fidelity_column() != f.has_fidelity_value()) {
        return Refuse(absl::StrCat(
            "fidelity '", plan.fidelity.name, "': set fidelity_value exactly "
            "when fidelity_column is set (it selects the fidelity's rows)"));
      }
      plan.fidelity_text = f.fidelity_value();
      plans.push_back(std::move(plan));
    }
    return plans;
  }
  if (params_.has_fidelity_column()) {
    auto file = File(params_.table(0));
    if (!file.ok()) return file.status();
    auto column = (*file)->Column(params_.fidelity_column(), "the fidelity");
    if (!column.ok()) return column.status();
    std::vector<double> levels;
    for (int row = 0; row < (*file)->num_rows(); ++row) {
      auto level = (*file)->Number(row, *column);
      if (!level.ok()) return level.status();
      if (std::find(levels.begin(), levels.end(), *level) == levels.end()) {
        levels.push_back(*level);
      }
    }
    std::sort(levels.begin(), levels.end());
    for (double level : levels) {
      FidelityPlan plan;
      base(&plan);
      plan.fidelity = {absl::StrCat(level, " epochs"), level};
      plan.fidelity_number = level;
      plans.push_back(std::move(plan));
    }
    return plans;
  }
  FidelityPlan plan;
  base(&plan);
  plan.fidelity = {params_.fidelity_name(), params_.fidelity_epochs()};
  plans.push_back(std::move(plan));
  return plans;
}

absl::StatusOr<RowFilter> Loader::Filter(const TableFile& file,
                                         const FidelityPlan& plan) const {
  RowFilter filter;
  if (!params_.has_fidelity_column()) return filter;
  auto column = file.Column(params_.fidelity_column(), "the fidelity");
  if (!column.ok()) return column.status();
  filter.column = *column;
  filter.text = plan.fidelity_text;
  filter.number = plan.fidelity_number;
  return filter;
}

absl::Status Loader::Collect(
    const std::string& relative, const RowFilter& filter,
    absl::string_view what, int key_column,
    const std::function<absl::StatusOr<double>(const TableFile&, int)>& read,
    std::vector<std::vector<double>>* per_entry) {
  const TableFile& file = files_.at(relative);
  const std::vector<int64_t>& entries = entry_of_row_.at(relative);
  std::vector<int> first_row(num_entries(), -1);
  for (int row = 0; row < file.num_rows(); ++row) {
    if (!filter.Accepts(file, row)) continue;
    const int64_t entry = entries[row];
    if (params_.repeats() == TableObjectiveParams::UNIQUE &&
        first_row[entry] >= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          file.Where(row, key_column), ": architecture ", Describe(entry),
          " has a second row for ", what, " (the first is ",
          file.WhereRow(first_row[entry]), "). Remove the duplicate, or set "
          "repeats: MEAN (average repeated runs) or SAMPLE in the "
          "objective's params."));
    }
    if (first_row[entry] < 0) first_row[entry] = row;
    auto value = read(file, row);
    if (!value.ok()) return value.status();
    (*per_entry)[entry].push_back(*value);
  }
  return absl::OkStatus();
}

absl::Status Loader::Load(
    std::vector<std::vector<TableObjective::Measured>>* measured_out,
    std::vector<Fidelity>* fidelities) {
  if (params_.table_size() == 0) {
    return Refuse(
        "set `table` to the CSV file(s) to read, relative to the data "
        "directory (docs/your-own-benchmark.md)");
  }
  auto plans = PlanFidelities();
  if (!plans.ok()) return plans.status();
  // Every file any part of the config names, in first-mention order.
  auto refer = [&](const std::string& relative) {
    if (!relative.empty() &&
        std::find(referenced_.begin(), referenced_.end(), relative) ==
            referenced_.end()) {
      referenced_.push_back(relative);
    }
  };
  for (const std::string& t : params_.table()) refer(t);
  for (const FidelityPlan& plan : *plans) {
    refer(plan.default_table);
    if (plan.valid.column().empty()) {
      return Refuse(absl::StrCat(
          "fidelity '", plan.fidelity.name,
          "' has no validation metric; set valid { column: \"NAME\" kind: "
          "ACCURACY_PERCENT } (or the kind the column holds)"));
    }
    refer(plan.valid.table());
    refer(plan.test.table());
    for (const TableCost& c : plan.cost) refer(c.table());
  }

  const auto* table_space = dynamic_cast<const TableSpace*>(space_.get());
  if (table_space != nullptr && params_.architecture().empty()) {
    if (absl::Status s = KeyByGenes(*table_space); !s.ok()) return s;
  } else if (table_space != nullptr) {
    return Refuse(
        "with the 'table' space, leave `architecture` empty: rows are keyed "
        "by the gene columns that the space's params name");
  } else if (params_.architecture().empty()) {
    return Refuse(absl::StrCat(
        "set `architecture` to the column holding the space's architecture "
        "string, e.g. architecture: \"{arch_str}\" (space '",
        space_->name(), "'), or use the 'table' space with gene columns"));
  } else if (absl::Status s = KeyByTemplate(); !s.ok()) {
    return s;
  }

  const int64_t n = num_entries();
  for (const FidelityPlan& plan : *plans) {
    auto in = [&](const std::string& table) {
      return table.empty() ? plan.default_table : table;
    };
    auto metric_reader = [&](const TableMetric& metric, const std::string& file)
        -> absl::StatusOr<std::function<absl::StatusOr<double>(const TableFile&,
                                                               int)>> {
      auto column = files_.at(file).Column(
          metric.column(), absl::StrCat("a metric of fidelity '",
                                        plan.fidelity.name, "'"));
      if (!column.ok()) return column.status();
      const int c = *column;
      return std::function<absl::StatusOr<double>(const TableFile&, int)>(
          [c, metric](const TableFile& f, int row) {
            return ToError(f, row, c, metric);
          });
    };
    std::vector<std::vector<double>> valid(n), test(n), cost(n);
    const std::string valid_file = in(plan.valid.table());
    const std::string test_file = in(plan.test.table());
    for (const auto& [quantity, metric, file, out] :
         {std::make_tuple("the validation metric", &plan.valid, valid_file,
                          &valid),
          std::make_tuple("the test metric", &plan.test, test_file, &test)}) {
      auto filter = Filter(files_.at(file), plan);
      if (!filter.ok()) return filter.status();
      auto reader = metric_reader(*metric, file);
      if (!reader.ok()) return reader.status();
      if (absl::Status s = Collect(file, *filter, quantity,
                                   key_column_.at(file), *reader, out);
          !s.ok()) {
        return s;
      }
    }
    if (!plan.cost.empty()) {
      const std::string cost_file = in(plan.cost[0].table());
      std::vector<int> columns;
      const TableFile& f = files_.at(cost_file);
      for (const TableCost& term : plan.cost) {
        if (in(term.table()) != cost_file) {
          return Refuse(absl::StrCat(
              "fidelity '", plan.fidelity.name, "': cost terms read ",
              cost_file, " and ", in(term.table()),
              "; every term of one fidelity's cost must be in one file"));
        }
        auto column = f.Column(term.column(), "a cost term");
        if (!column.ok()) return column.status();
        columns.push_back(*column);
      }
      auto filter = Filter(f, plan);
      if (!filter.ok()) return filter.status();
      const std::vector<TableCost> terms = plan.cost;
      auto read = [&columns, terms](const TableFile& file,
                                    int row) -> absl::StatusOr<double> {
        double seconds = 0;
        for (size_t t = 0; t < terms.size(); ++t) {
          auto value = file.Number(row, columns[t]);
          if (!value.ok()) return value.status();
          if (*value < 0) {
            return absl::InvalidArgumentError(absl::StrCat(
                file.Where(row, columns[t]), ": ", *value,
                " is negative, but a cost is seconds of training. Fix the "
                "value, or drop the column from `cost`."));
          }
          seconds += terms[t].factor() * *value;
        }
        return seconds;
      };
      if (absl::Status s = Collect(cost_file, *filter, "the cost",
                                   key_column_.at(cost_file), read, &cost);
          !s.ok()) {
        return s;
      }
    }
    std::vector<TableObjective::Measured> measured(n);
    for (int64_t e = 0; e < n; ++e) {
      const char* lacking = valid[e].empty()  ? "validation metric"
                            : test[e].empty() ? "test metric"
                            : (!plan.cost.empty() && cost[e].empty())
                                ? "cost"
                                : nullptr;
      if (lacking != nullptr) {
        const std::string file = !valid[e].empty() && test[e].empty()
                                     ? test_file
                                     : valid[e].empty() ? valid_file
                                                        : in(plan.cost[0].table());
        return absl::InvalidArgumentError(absl::StrCat(
            context_.data_dir, "/", file, ": architecture ", Describe(e),
            " has no row giving its ", lacking, " at fidelity '",
            plan.fidelity.name, "'. Add the row; every architecture needs "
            "one at every fidelity."));
      }
      TableObjective::Measured& m = measured[e];
      m.valid = std::move(valid[e]);
      m.test = std::move(test[e]);
      m.cost = std::move(cost[e]);
      auto mean = [](const std::vector<double>& values) {
        if (values.empty()) return 0.0;
        double sum = 0;
        for (double v : values) sum += v;
        return sum / values.size();
      };
      m.mean = {mean(m.valid), mean(m.test), mean(m.cost)};
    }
    measured_out->push_back(std::move(measured));
    fidelities->push_back(plan.fidelity);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TableObjective>> TableObjective::New(
    std::shared_ptr<const SearchSpace> space,
    const TableObjectiveParams& params, const ObjectiveContext& context) {
  if (space == nullptr) return Refuse("needs a search space");
  Loader loader(space, params, context);
  auto objective = std::unique_ptr<TableObjective>(new TableObjective());
  if (absl::Status s =
          loader.Load(&objective->measured_, &objective->fidelities_);
      !s.ok()) {
    return s;
  }
  objective->space_ = std::move(space);
  const int64_t n = loader.num_entries();
  if (!objective->space_->IsIndexable()) {
    for (int64_t e = 0; e < n; ++e) {
      objective->hash_to_entry_[objective->space_->Hash(
          loader.entry_arch_[e])] = e;
    }
  }

  objective->noisy_ = params.repeats() == TableObjectiveParams::SAMPLE;
  if (objective->noisy_) {
    bool repeated = false;
    for (const auto& by_entry : objective->measured_) {
      for (const Measured& m : by_entry) repeated |= m.valid.size() > 1;
    }
    if (!repeated) {
      return Refuse(
          "repeats: SAMPLE draws one of an architecture's repeated rows per "
          "query, but no architecture has more than one row; use repeats: "
          "UNIQUE (the default)");
    }
  }

  const std::vector<Measured>& full = objective->measured_.back();
  int64_t best_valid = 0;
  double best_test = full[0].mean.test_error;
  for (int64_t e = 0; e < n; ++e) {
    if (full[e].mean.valid_error < full[best_valid].mean.valid_error) {
      best_valid = e;
    }
    best_test = std::min(best_test, full[e].mean.test_error);
  }
  objective->optimum_ = {full[best_valid].mean.valid_error, best_test,
                         full[best_valid].mean.test_error};

  // Extra columns (and those of extra metrics): first table, rows of the
  // full fidelity.
  std::vector<std::string> extra_names(params.extra_column().begin(),
                                       params.extra_column().end());
  for (const TableExtraMetric& metric : params.extra_metric()) {
    if (metric.column().empty()) {
      return Refuse("an extra_metric has no column; name the header of the "
                    "column it reads, e.g. extra_metric { column: \"params\" }");
    }
    if (std::find(extra_names.begin(), extra_names.end(), metric.column()) ==
        extra_names.end()) {
      extra_names.push_back(metric.column());
    }
  }
  if (!extra_names.empty()) {
    const std::string& first = params.table(0);
    const TableFile& file = loader.files_.at(first);
    const std::vector<int64_t>& entries = loader.entry_of_row_.at(first);
    RowFilter filter;
    if (params.has_fidelity_column()) {
      auto column = file.Column(params.fidelity_column(), "the fidelity");
      if (!column.ok()) return column.status();
      filter.column = *column;
      const TableFidelity* last =
          params.fidelity_size() > 0
              ? &params.fidelity(params.fidelity_size() - 1)
              : nullptr;
      if (last != nullptr) {
        filter.text = last->fidelity_value();
      } else {
        filter.number = objective->fidelities_.back().epochs;
      }
    }
    for (const std::string& name : extra_names) {
      auto column = file.Column(name, "an extra column");
      if (!column.ok()) return column.status();
      std::vector<double> sum(n, 0);
      std::vector<int> count(n, 0);
      for (int row = 0; row < file.num_rows(); ++row) {
        if (!filter.Accepts(file, row) || file.Cell(row, *column).empty()) {
          continue;
        }
        auto value = file.Number(row, *column);
        if (!value.ok()) return value.status();
        sum[entries[row]] += *value;
        ++count[entries[row]];
      }
      std::vector<std::optional<double>> values(n);
      for (int64_t e = 0; e < n; ++e) {
        if (count[e] > 0) values[e] = sum[e] / count[e];
      }
      objective->extra_columns_.push_back(name);
      objective->extras_.push_back(std::move(values));
    }
  }

  // Extra metrics: a value for every architecture, stored lower-is-better.
  objective->metric_values_.assign(n, {});
  for (const TableExtraMetric& metric : params.extra_metric()) {
    const int extra = static_cast<int>(
        std::find(objective->extra_columns_.begin(),
                  objective->extra_columns_.end(), metric.column()) -
        objective->extra_columns_.begin());
    MetricInfo info;
    info.name = metric.column();
    info.unit = metric.unit();
    if (metric.direction() == TableExtraMetric::HIGHER_IS_BETTER) {
      info.direction = MetricInfo::Direction::kHigherIsBetter;
    }
    if (metric.visibility() == TableExtraMetric::HIDDEN) {
      info.visibility = MetricInfo::Visibility::kHidden;
    }
    for (int64_t e = 0; e < n; ++e) {
      const std::optional<double>& value = objective->extras_[extra][e];
      if (!value.has_value()) {
        return Refuse(absl::StrCat(
            params.table(0), ": extra_metric column '", metric.column(),
            "' has no value for architecture ", loader.Describe(e),
            " (at the full fidelity); fill the cell, or declare the column "
            "an extra_column only (extra columns may have gaps)"));
      }
      objective->metric_values_[e].push_back(info.StoredValue(*value));
    }
    objective->metrics_.push_back(std::move(info));
  }

  objective->data_files_ = loader.files_in_order();
  // Test columns are hidden unless the test metric is the validation
  // metric itself (a table without a validation split shows it anyway).
  std::map<std::string, std::vector<std::string>> hidden;
  auto hide = [&](const std::string& file, const std::string& column) {
    std::vector<std::string>& columns = hidden[file];
    if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
      columns.push_back(column);
    }
  };
  for (const TableFidelity& f : params.fidelity()) {
    const std::string table = f.table().empty() ? params.table(0) : f.table();
    const TableMetric& valid = f.has_valid() ? f.valid() : params.valid();
    const TableMetric& test = f.has_test() ? f.test() : params.test();
    if (test.column().empty()) continue;
    const std::string tf = test.table().empty() ? table : test.table();
    const std::string vf = valid.table().empty() ? table : valid.table();
    if (tf != vf || test.column() != valid.column()) hide(tf, test.column());
  }
  if (params.fidelity_size() == 0 && params.has_test()) {
    const std::string& t = params.table(0);
    const std::string tf = params.test().table().empty() ? t : params.test().table();
    const std::string vf =
        params.valid().table().empty() ? t : params.valid().table();
    if (tf != vf || params.test().column() != params.valid().column()) {
      hide(tf, params.test().column());
    }
  }
  for (const TableExtraMetric& metric : params.extra_metric()) {
    if (metric.visibility() == TableExtraMetric::HIDDEN) {
      hide(params.table(0), metric.column());
    }
  }
  for (const std::string& spec : params.hidden_column()) {
    const size_t colon = spec.rfind(':');
    if (colon == std::string::npos) {
      hide(params.table(0), spec);
    } else {
      hide(spec.substr(0, colon), spec.substr(colon + 1));
    }
  }
  // A visible metric read from a hidden column would show searchers a
  // test metric.
  for (const TableExtraMetric& metric : params.extra_metric()) {
    const std::vector<std::string>& columns = hidden[params.table(0)];
    if (metric.visibility() == TableExtraMetric::VISIBLE &&
        std::find(columns.begin(), columns.end(), metric.column()) !=
            columns.end()) {
      return Refuse(absl::StrCat(
          "extra_metric '", metric.column(), "' is VISIBLE but ",
          params.table(0), ":", metric.column(),
          " holds a test metric (a test column or a hidden_column); declare "
          "it visibility: HIDDEN"));
    }
  }
  for (auto& [file, columns] : hidden) {
    if (columns.empty()) continue;
    objective->hidden_test_columns_.push_back({file, std::move(columns)});
  }

  if (!params.error_unit().empty()) {
    objective->error_unit_ = params.error_unit();
  } else {
    const TableMetric& test = params.fidelity_size() > 0 &&
                                      params.fidelity().rbegin()->has_test()
                                  ? params.fidelity().rbegin()->test()
                                  : (params.has_test() ? params.test()
                                                       : params.valid());
    objective->error_unit_ = DefaultUnit(test.kind());
  }
  return objective;
}

int64_t TableObjective::EntryOf(const Architecture& arch) const {
  if (space_->IsIndexable()) return space_->ToIndex(arch);
  auto it = hash_to_entry_.find(space_->Hash(arch));
  if (it == hash_to_entry_.end()) {
    // New() checked that the table covers the space, so the caller passed
    // an architecture that is not a valid one of it.
    std::fprintf(stderr, "table: %s is not an architecture of the space\n",
                 arch.DebugString().c_str());
    std::abort();
  }
  return it->second;
}

Evaluation TableObjective::Evaluate(const Architecture& arch, int fidelity,
                                    Rng* noise) const {
  const int64_t entry = EntryOf(arch);
  const Measured& m = measured_[fidelity][entry];
  if (!metrics_.empty()) {
    // Metrics are per architecture (full fidelity), whatever is queried.
    Evaluation e = Evaluate(m, noise);
    e.metrics = metric_values_[entry];
    return e;
  }
  return Evaluate(m, noise);
}

Evaluation TableObjective::Evaluate(const Measured& m, Rng* noise) const {
  if (!noisy_) return m.mean;
  if (noise == nullptr) {
    std::fprintf(stderr, "table: Evaluate with repeats: SAMPLE needs a "
                         "noise stream\n");
    std::abort();
  }
  Evaluation e = m.mean;
  const size_t draw = noise->UniformInt(m.valid.size());
  e.valid_error = m.valid[draw];
  if (m.cost.size() == m.valid.size()) e.cost_seconds = m.cost[draw];
  return e;
}

std::optional<double> TableObjective::Extra(const Architecture& arch,
                                            int extra) const {
  return extras_[extra][EntryOf(arch)];
}

}  // namespace nas
