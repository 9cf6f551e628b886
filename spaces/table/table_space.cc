#include "spaces/table/table_space.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace nas {
namespace {

constexpr char kSeparator = '|';
// The unbound space materialises the product of declared values; beyond
// this many tuples it stays the empty-gene placeholder instead.
constexpr int64_t kMaxUnboundProduct = 1 << 20;
constexpr int kMaxValues = 256;  // Genes are uint8_t.
// The stand-in of an unconfigured space: 4 genes of values 0, 1, 2.
constexpr int kStandInGenes = 4;

NAS_REGISTER_SEARCH_SPACE_CLASS_WITH_PARAMS(
    "table",
    "The rows of a table (any subset of a product of categorical genes read "
    "from named columns); neighbours differ in one gene; rows bound by the "
    "'table' objective",
    TableSpace, TableSpaceParams);

}  // namespace

absl::StatusOr<std::unique_ptr<TableSpace>> TableSpace::New(
    const TableSpaceParams& params) {
  if (params.gene_size() > Architecture::kMaxGenes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "space 'table': ", params.gene_size(), " genes, at most ",
        Architecture::kMaxGenes, " are supported; merge columns"));
  }
  auto space = std::unique_ptr<TableSpace>(new TableSpace());
  absl::flat_hash_set<std::string> seen_columns;
  bool all_declared = true;
  int64_t product = 1;
  for (int g = 0; g < params.gene_size(); ++g) {
    const TableSpaceParams::Gene& gene = params.gene(g);
    if (gene.column().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "space 'table': gene ", g, " has no column; write gene { column: "
          "\"NAME\" } with NAME a header of the table"));
    }
    if (!seen_columns.insert(gene.column()).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "space 'table': column '", gene.column(),
          "' is listed as two genes; list each column once"));
    }
    if (gene.value_size() > kMaxValues) {
      return absl::InvalidArgumentError(absl::StrCat(
          "space 'table': gene '", gene.column(), "' declares ",
          gene.value_size(), " values, at most ", kMaxValues,
          " are supported"));
    }
    absl::flat_hash_set<std::string> seen_values;
    for (const std::string& value : gene.value()) {
      if (value.empty() || value.find(kSeparator) != std::string::npos ||
          value.find(',') != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            "space 'table': gene '", gene.column(), "' value '", value,
            "' is empty or contains '|' or ','; gene values must be "
            "non-empty and free of both (they form the text '1|0|2')"));
      }
      if (!seen_values.insert(value).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            "space 'table': gene '", gene.column(), "' declares value '",
            value, "' twice; list each value once"));
      }
    }
    space->columns_.push_back(gene.column());
    space->declared_.emplace_back(gene.value().begin(), gene.value().end());
    if (gene.value_size() == 0) all_declared = false;
    product = std::min<int64_t>(product * std::max(gene.value_size(), 1),
                                kMaxUnboundProduct + 1);
  }
  if (params.gene_size() == 0) {
    space->configured_ = false;
    for (int g = 0; g < kStandInGenes; ++g) {
      space->columns_.push_back(absl::StrCat("g", g));
      space->declared_.push_back({"0", "1", "2"});
    }
  }
  Rows rows;
  if (all_declared && product <= kMaxUnboundProduct) {
    rows.values = space->declared_;
    Architecture tuple(static_cast<int>(rows.values.size()));
    while (true) {
      rows.tuples.push_back(tuple);
      int g = tuple.size() - 1;
      while (g >= 0 && tuple[g] + 1 == static_cast<int>(rows.values[g].size())) {
        tuple[g--] = 0;
      }
      if (g < 0) break;
      ++tuple[g];
    }
  } else {
    rows.tuples.push_back(Architecture(0));
  }
  space->unbound_ = MakeLayout(std::move(rows));
  space->layout_.store(space->unbound_.get(), std::memory_order_release);
  return space;
}

TableSpace::~TableSpace() = default;

std::unique_ptr<TableSpace::Layout> TableSpace::MakeLayout(Rows rows) {
  auto layout = std::make_unique<Layout>();
  layout->values = std::move(rows.values);
  for (const auto& values : layout->values) {
    layout->cardinalities.push_back(static_cast<int>(values.size()));
  }
  layout->sorted = std::move(rows.tuples);
  std::sort(layout->sorted.begin(), layout->sorted.end());
  layout->index_of.reserve(layout->sorted.size());
  for (size_t i = 0; i < layout->sorted.size(); ++i) {
    layout->index_of.emplace(layout->sorted[i], static_cast<int64_t>(i));
  }
  return layout;
}

absl::Status TableSpace::Bind(Rows rows) const {
  if (rows.values.size() != columns_.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "space 'table' has ", columns_.size(), " genes, the rows ",
        rows.values.size()));
  }
  if (rows.tuples.empty()) {
    return absl::InvalidArgumentError("space 'table': the table has no rows");
  }
  absl::flat_hash_set<Architecture> distinct;
  for (const Architecture& tuple : rows.tuples) {
    if (tuple.size() != static_cast<int>(columns_.size())) {
      return absl::InvalidArgumentError("space 'table': a row has the wrong "
                                        "number of genes");
    }
    for (int g = 0; g < tuple.size(); ++g) {
      if (tuple[g] >= rows.values[g].size()) {
        return absl::InvalidArgumentError(
            "space 'table': a row's gene value is out of range");
      }
    }
    if (!distinct.insert(tuple).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "space 'table': row ", ToStringWith(rows.values, tuple),
          " is given twice"));
    }
  }
  for (size_t g = 0; g < columns_.size(); ++g) {
    if (!declared_[g].empty() && rows.values[g] != declared_[g]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "space 'table': gene '", columns_[g],
          "' must keep its declared values"));
    }
  }
  absl::MutexLock lock(&bind_mu_);
  if (bound_ != nullptr) {
    return absl::FailedPreconditionError(
        "space 'table' is already bound to a table; give each benchmark its "
        "own space");
  }
  bound_ = MakeLayout(std::move(rows));
  layout_.store(bound_.get(), std::memory_order_release);
  return absl::OkStatus();
}

bool TableSpace::is_bound() const {
  absl::MutexLock lock(&bind_mu_);
  return bound_ != nullptr;
}

absl::Span<const int> TableSpace::gene_cardinalities() const {
  return layout().cardinalities;
}

absl::uint128 TableSpace::Size() const { return layout().sorted.size(); }

int64_t TableSpace::ToIndex(const Architecture& arch) const {
  return layout().index_of.at(arch);
}

Architecture TableSpace::FromIndex(int64_t index) const {
  return layout().sorted.at(index);
}

absl::Status TableSpace::Validate(const Architecture& arch) const {
  const Layout& l = layout();
  if (arch.size() != static_cast<int>(l.cardinalities.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("table architecture has ", arch.size(), " genes, the "
                     "space has ", l.cardinalities.size()));
  }
  for (int g = 0; g < arch.size(); ++g) {
    if (arch[g] >= l.cardinalities[g]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "table architecture gene ", g, " ('", columns_[g], "') is ",
          arch[g], ", the gene has ", l.cardinalities[g], " values"));
    }
  }
  if (!l.index_of.contains(arch)) {
    return absl::InvalidArgumentError(
        absl::StrCat("table architecture ", ToString(arch),
                     " is not a row of the table"));
  }
  return absl::OkStatus();
}

Architecture TableSpace::Sample(Rng& rng) const {
  const Layout& l = layout();
  return l.sorted[rng.UniformInt(l.sorted.size())];
}

void TableSpace::Neighbors(const Architecture& arch,
                           std::vector<Architecture>* out) const {
  out->clear();
  const Layout& l = layout();
  for (int g = 0; g < arch.size(); ++g) {
    Architecture other = arch;
    for (int v = 0; v < l.cardinalities[g]; ++v) {
      if (v == arch[g]) continue;
      other[g] = static_cast<uint8_t>(v);
      if (l.index_of.contains(other)) out->push_back(other);
    }
  }
}

std::string TableSpace::ToStringWith(
    const std::vector<std::vector<std::string>>& values,
    const Architecture& arch) {
  std::string text;
  for (int g = 0; g < arch.size(); ++g) {
    if (g > 0) text += kSeparator;
    text += values[g][arch[g]];
  }
  return text;
}

std::string TableSpace::ToString(const Architecture& arch) const {
  return ToStringWith(layout().values, arch);
}

absl::StatusOr<Architecture> TableSpace::Parse(absl::string_view text) const {
  const Layout& l = layout();
  std::vector<absl::string_view> parts =
      l.values.empty() && text.empty()
          ? std::vector<absl::string_view>{}
          : absl::StrSplit(text, kSeparator);
  if (parts.size() != l.values.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad table architecture '", text, "': ", parts.size(),
        " '|'-separated values, the space has ", l.values.size(),
        " genes (", absl::StrJoin(columns_, "|"), ")"));
  }
  Architecture arch(static_cast<int>(parts.size()));
  for (size_t g = 0; g < parts.size(); ++g) {
    const auto& values = l.values[g];
    auto it = std::find(values.begin(), values.end(), parts[g]);
    if (it == values.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bad table architecture '", text, "': gene ", g, " ('", columns_[g],
          "') has no value '", parts[g], "'; its values are ",
          absl::StrJoin(values, ", ")));
    }
    arch[g] = static_cast<uint8_t>(it - values.begin());
  }
  if (!l.index_of.contains(arch)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "table architecture '", text, "' is not a row of the table"));
  }
  return arch;
}

}  // namespace nas
