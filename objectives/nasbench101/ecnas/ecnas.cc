#include "objectives/nasbench101/ecnas/ecnas.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "objectives/common/csv_table.h"

namespace nas {
namespace {

constexpr char kWhereToGetIt[] =
    "The EC-NAS-Bench tables ship in ../shared/data/ec-nas-bench "
    "(ec-nas-bench/README.txt names their public source).";

// Both tabulated sub-spaces allow NAS-Bench-101's 9 edges.
constexpr int kMaxEdges = 9;

NAS_REGISTER_OBJECTIVE_CLASS(
    "ecnas",
    "EC-NAS-Bench: NAS-Bench-101 cells with <= 4 or 5 vertices, 4-epoch "
    "CIFAR-10 error or training energy, training time as cost",
    EcnasObjective, EcnasObjectiveParams);

// The columns a row is read from.
struct Columns {
  int module_hash, repeat, num_vertices, adjacency, ops;
  int total_time, total_energy, valid_acc, test_acc;
};

absl::StatusOr<Columns> FindColumns(const CsvTable& table) {
  Columns c;
  for (auto [name, field] : std::initializer_list<std::pair<const char*, int*>>{
           {"module_hash", &c.module_hash},
           {"repeat", &c.repeat},
           {"num_vertices", &c.num_vertices},
           {"adjacency_rowmajor", &c.adjacency},
           {"ops", &c.ops},
           {"total_time_s", &c.total_time},
           {"total_energy_kWh", &c.total_energy},
           {"ep4_valid_acc", &c.valid_acc},
           {"ep4_test_acc", &c.test_acc}}) {
    auto column = table.Column(name);
    if (!column.ok()) return column.status();
    *field = *column;
  }
  return c;
}

// A number of `column` that must lie in [lo, hi].
absl::StatusOr<double> ReadInRange(const CsvTable& table, int row, int column,
                                   double lo, double hi,
                                   absl::string_view what) {
  auto value = table.Double(row, column);
  if (!value.ok()) return value.status();
  if (*value < lo || *value > hi) {
    return absl::InvalidArgumentError(absl::StrCat(
        table.Where(row), ": column '", table.header()[column], "': ", *value,
        " is outside [", lo, ", ", hi, "] (", what,
        "); the table is corrupted."));
  }
  return *value;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EcnasObjective>> EcnasObjective::New(
    std::shared_ptr<const SearchSpace> space,
    const EcnasObjectiveParams& params, const ObjectiveContext& context) {
  const auto* nb101 = dynamic_cast<const Nasbench101Space*>(space.get());
  if (nb101 == nullptr) {
    return WrongSpaceError("ecnas", "nasbench101", space.get());
  }
  if (params.vertices() != 4 && params.vertices() != 5) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'ecnas': vertices is ", params.vertices(),
        "; EC-NAS-Bench tabulates cells with at most 4 (91 cells) or 5 "
        "(2,532 cells) vertices, so use 4 or 5"));
  }
  if (nb101->max_vertices() != params.vertices() ||
      nb101->max_edges() != kMaxEdges) {
    return absl::InvalidArgumentError(absl::StrCat(
        "objective 'ecnas' with vertices: ", params.vertices(),
        " needs the nasbench101 space with max_vertices ", params.vertices(),
        " and max_edges 9, but the space has max_vertices ",
        nb101->max_vertices(), " and max_edges ", nb101->max_edges(),
        ". Give the benchmark's space these params: space { name: "
        "\"nasbench101\" params { [type.googleapis.com/"
        "nas.Nasbench101SpaceParams] { max_vertices: ",
        params.vertices(), " } } }"));
  }
  const std::string relative =
      params.table().empty()
          ? absl::StrCat("ec-nas-bench/ecnas_", params.vertices(),
                         "V9E_4epochs_runs.csv")
          : params.table();
  const std::string path = absl::StrCat(context.data_dir, "/", relative);
  auto table = CsvTable::Read(path, kWhereToGetIt);
  if (!table.ok()) return table.status();
  auto columns = FindColumns(*table);
  if (!columns.ok()) return columns.status();
  const Columns& col = *columns;
  const bool energy = params.metric() == EcnasObjectiveParams::ENERGY;

  // Space Hash() -> (repeat -> run), and the first line naming each hash.
  std::map<uint64_t, std::map<int64_t, Run>> runs_of_hash;
  std::map<uint64_t, int> first_row_of_hash;
  for (int row = 0; row < table->num_rows(); ++row) {
    const std::string cell_text =
        absl::StrCat("adj=", table->Cell(row, col.adjacency),
                     " ops=", table->Cell(row, col.ops));
    auto cell = nasbench101::ParseCell(cell_text);
    if (!cell.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": bad NAS-Bench-101 cell in columns '",
          table->header()[col.adjacency], "' and '", table->header()[col.ops],
          "' (", cell_text, "): ", cell.status().message(),
          ". The row is corrupted; fetch the table again."));
    }
    auto num_vertices = table->Int(row, col.num_vertices);
    if (!num_vertices.ok()) return num_vertices.status();
    if (*num_vertices != cell->num_vertices) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": num_vertices is ", *num_vertices,
          " but the row's cell has ", cell->num_vertices,
          " vertices; the row is corrupted."));
    }
    if (absl::Status pruned = nasbench101::CheckPruned(*cell); !pruned.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": the cell is not pruned (", pruned.message(),
          "); EC-NAS-Bench stores pruned cells, the row is corrupted."));
    }
    const absl::string_view claimed_hash = table->Cell(row, col.module_hash);
    const std::string hash = nasbench101::ModuleHash(*cell);
    if (hash != claimed_hash) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": module_hash '", claimed_hash,
          "' is not the hash of the row's cell (", hash,
          "); the row is corrupted."));
    }
    auto arch = space->Parse(cell_text);
    if (!arch.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": the cell is not in the space (",
          arch.status().message(), "); is this the ", params.vertices(),
          "-vertex table?"));
    }
    const uint64_t key = space->Hash(*arch);
    auto repeat = table->Int(row, col.repeat);
    if (!repeat.ok()) return repeat.status();
    if (*repeat < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": repeat ", *repeat,
          " is not a positive repeat number."));
    }
    Run run;
    auto valid_acc =
        ReadInRange(*table, row, col.valid_acc, 0, 1, "an accuracy fraction");
    if (!valid_acc.ok()) return valid_acc.status();
    auto test_acc =
        ReadInRange(*table, row, col.test_acc, 0, 1, "an accuracy fraction");
    if (!test_acc.ok()) return test_acc.status();
    // Generous bounds: the published runs draw 0.006..0.063 kWh in 57..462 s.
    auto kwh = ReadInRange(*table, row, col.total_energy, 1e-9, 100,
                           "kWh of one 4-epoch run");
    if (!kwh.ok()) return kwh.status();
    auto seconds = ReadInRange(*table, row, col.total_time, 1e-9, 1e7,
                               "seconds of one 4-epoch run");
    if (!seconds.ok()) return seconds.status();
    run.valid_error = energy ? 1000 * *kwh : 100 * (1 - *valid_acc);
    run.test_error = energy ? 1000 * *kwh : 100 * (1 - *test_acc);
    run.cost_seconds = *seconds;
    run.other_metric = energy ? 100 * (1 - *valid_acc) : 1000 * *kwh;
    if (!runs_of_hash[key].emplace(*repeat, run).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          table->Where(row), ": architecture ", claimed_hash, " repeat ",
          *repeat, " appears a second time; the table is corrupted."));
    }
    first_row_of_hash.emplace(key, row);
  }

  // Every architecture of the space, in its enumeration order.
  const std::vector<Architecture> all =
      nasbench101::EnumerateAll(nb101->max_vertices(), nb101->max_edges());
  auto objective = std::unique_ptr<EcnasObjective>(new EcnasObjective());
  objective->archs_.reserve(all.size());
  for (const Architecture& arch : all) {
    const uint64_t key = space->Hash(arch);
    auto it = runs_of_hash.find(key);
    if (it == runs_of_hash.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": architecture ", space->ToString(arch), " (module hash ",
          nb101->ModuleHash(arch), ") is missing; the table has ",
          runs_of_hash.size(), " of the space's ", all.size(),
          " architectures. ", kWhereToGetIt));
    }
    Entry entry;
    for (const auto& [repeat, run] : it->second) entry.runs.push_back(run);
    for (const Run& run : entry.runs) {
      entry.mean.valid_error += run.valid_error;
      entry.mean.test_error += run.test_error;
      entry.mean.cost_seconds += run.cost_seconds;
      entry.mean.other_metric += run.other_metric;
    }
    entry.mean.valid_error /= entry.runs.size();
    entry.mean.test_error /= entry.runs.size();
    entry.mean.cost_seconds /= entry.runs.size();
    entry.mean.other_metric /= entry.runs.size();
    if (params.noisy() && entry.runs.size() < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          "objective 'ecnas': noisy needs repeated training runs, but ", path,
          ":", table->LineOf(first_row_of_hash[key]), " (architecture ",
          nb101->ModuleHash(arch), ") is the only run of its architecture. "
          "Only the 4-vertex table has repeats; use noisy: false."));
    }
    objective->index_of_hash_[key] = static_cast<int>(objective->archs_.size());
    objective->archs_.push_back(std::move(entry));
  }
  if (runs_of_hash.size() != all.size()) {
    // Every row parsed into the space, so this means two architectures
    // share a 64-bit hash prefix: the look-up cannot tell them apart.
    return absl::InternalError(absl::StrCat(
        path, ": the table has ", runs_of_hash.size(),
        " distinct architectures but the space enumerates ", all.size()));
  }

  int best_valid = 0;
  double best_test = objective->archs_[0].mean.test_error;
  for (int i = 0; i < static_cast<int>(objective->archs_.size()); ++i) {
    const Run& mean = objective->archs_[i].mean;
    if (mean.valid_error < objective->archs_[best_valid].mean.valid_error) {
      best_valid = i;
    }
    best_test = std::min(best_test, mean.test_error);
  }
  objective->optimum_.best_valid_error =
      objective->archs_[best_valid].mean.valid_error;
  objective->optimum_.test_error_of_best_valid =
      objective->archs_[best_valid].mean.test_error;
  objective->optimum_.best_test_error = best_test;
  objective->space_ = std::move(space);
  objective->metric_ = params.metric();
  objective->noisy_ = params.noisy();
  objective->fidelities_ = {{"4 epochs", 4}};
  objective->data_files_ = {relative};
  HiddenColumns hidden{relative, {}};
  for (const std::string& column : table->header()) {
    if (absl::EndsWith(column, "_test_acc")) hidden.columns.push_back(column);
  }
  objective->hidden_test_columns_ = {std::move(hidden)};
  return objective;
}

std::string EcnasObjective::error_unit() const {
  return metric_ == EcnasObjectiveParams::ENERGY ? "energy (Wh)" : "error (%)";
}

std::vector<MetricInfo> EcnasObjective::metrics() const {
  MetricInfo other;
  if (metric_ == EcnasObjectiveParams::ENERGY) {
    other.name = "valid_error";
    other.unit = "%";
  } else {
    other.name = "energy";
    other.unit = "Wh";
  }
  return {other};
}

const EcnasObjective::Entry& EcnasObjective::Find(
    const Architecture& arch) const {
  auto it = index_of_hash_.find(space_->Hash(arch));
  if (it == index_of_hash_.end()) {
    // New() checked that the table covers the space, so the caller passed
    // an architecture that is not a valid one of it.
    std::fprintf(stderr, "ecnas: %s is not an architecture of the space\n",
                 arch.DebugString().c_str());
    std::abort();
  }
  return archs_[it->second];
}

Evaluation EcnasObjective::Evaluate(const Architecture& arch, int /*fidelity*/,
                                    Rng* noise) const {
  const Entry& entry = Find(arch);
  Evaluation e;
  e.test_error = entry.mean.test_error;
  if (noisy_) {
    if (noise == nullptr) {
      std::fprintf(stderr,
                   "ecnas: Evaluate of a noisy objective needs a noise "
                   "stream\n");
      std::abort();
    }
    const Run& run = entry.runs[noise->UniformInt(entry.runs.size())];
    e.valid_error = run.valid_error;
    e.cost_seconds = run.cost_seconds;
    e.metrics = {run.other_metric};
  } else {
    e.valid_error = entry.mean.valid_error;
    e.cost_seconds = entry.mean.cost_seconds;
    e.metrics = {entry.mean.other_metric};
  }
  return e;
}

}  // namespace nas
