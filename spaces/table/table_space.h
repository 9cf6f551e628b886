#ifndef NASBENCH_SPACES_TABLE_TABLE_SPACE_H_
#define NASBENCH_SPACES_TABLE_TABLE_SPACE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "spaces/search_space.h"
#include "spaces/table/table_space.pb.h"

namespace nas {

// The rows of a table as a search space: each architecture is one row's
// tuple of categorical genes, and the space is exactly the set of distinct
// tuples present, which need not be the full product of the genes' values.
// Neighbours differ in exactly one gene (and are rows too), so local search
// and the exact landscape analysis work on partial tables. Indices follow
// the rows sorted by gene tuple; the text form is the values joined by '|'.
//
// Why binding: a space factory receives only its parameters, while the
// table's file lives below the data directory that only objectives are
// given. So the "table" objective reads the gene columns and calls Bind()
// once, while the benchmark is loaded and before any cell uses the space.
// Until then the space is the full product of the declared values (with a
// gene lacking declared values, the one architecture with no genes). With
// default parameters (no gene configured) it is a stand-in of 4 genes of
// values 0, 1, 2, so that the space is usable and testable on its own.
//
// Thread-safe: Bind() publishes an immutable layout atomically; every other
// method reads whichever layout is current.
class TableSpace : public SearchSpace {
 public:
  // The gene tuples of a table and their value names.
  struct Rows {
    // Per gene, the value names in encoding order.
    std::vector<std::vector<std::string>> values;
    // Distinct tuples, each gene an index into `values`; any order.
    std::vector<Architecture> tuples;
  };

  // Checks the parameters (distinct non-empty column names, distinct
  // declared values without '|', at most 48 genes of at most 256 values).
  static absl::StatusOr<std::unique_ptr<TableSpace>> New(
      const TableSpaceParams& params);
  ~TableSpace() override;

  // False for the default stand-in: no gene column was configured.
  bool configured() const { return configured_; }
  // The columns genes are read from, in gene order.
  const std::vector<std::string>& gene_columns() const { return columns_; }
  // Declared values of `gene`, empty when they are read from the data.
  const std::vector<std::string>& declared_values(int gene) const {
    return declared_[gene];
  }

  // Makes the space the set of `rows`. FailedPrecondition when already
  // bound; InvalidArgument when the rows do not fit the genes (wrong
  // number of genes or values, declared values changed, no rows).
  absl::Status Bind(Rows rows) const;
  bool is_bound() const;

  std::string name() const override { return "table"; }
  absl::Span<const int> gene_cardinalities() const override;
  absl::uint128 Size() const override;
  bool IsIndexable() const override { return true; }
  int64_t ToIndex(const Architecture& arch) const override;
  Architecture FromIndex(int64_t index) const override;
  absl::Status Validate(const Architecture& arch) const override;
  Architecture Sample(Rng& rng) const override;
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override;
  std::string ToString(const Architecture& arch) const override;
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override;

 private:
  struct Layout {
    std::vector<std::vector<std::string>> values;
    std::vector<int> cardinalities;
    std::vector<Architecture> sorted;  // Index -> tuple.
    absl::flat_hash_map<Architecture, int64_t> index_of;
  };
  TableSpace() = default;
  static std::unique_ptr<Layout> MakeLayout(Rows rows);
  static std::string ToStringWith(
      const std::vector<std::vector<std::string>>& values,
      const Architecture& arch);
  const Layout& layout() const { return *layout_.load(std::memory_order_acquire); }

  bool configured_ = true;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> declared_;
  mutable absl::Mutex bind_mu_;
  mutable std::unique_ptr<Layout> unbound_;
  mutable std::unique_ptr<Layout> bound_ ABSL_GUARDED_BY(bind_mu_);
  mutable std::atomic<const Layout*> layout_{nullptr};
};

}  // namespace nas

#endif  // NASBENCH_SPACES_TABLE_TABLE_SPACE_H_
