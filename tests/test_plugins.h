#ifndef NASBENCH_TESTS_TEST_PLUGINS_H_
#define NASBENCH_TESTS_TEST_PLUGINS_H_

// Small plugins for the conformance suites, never registered: a tiny space
// (smaller than any budget), a space with a symmetry (so architectures have a
// canonical form), an objective over any space whose values come from a hash
// of the architecture, and a wrapper that scrambles an objective's test
// errors.

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "objectives/objective.h"
#include "spaces/search_space.h"

namespace nas {

// num_genes genes with `values` values each; neighbours differ in one gene.
class TinySpace : public SearchSpace {
 public:
  TinySpace(int num_genes, int values)
      : cardinalities_(num_genes, values), values_(values) {}

  std::string name() const override { return "tiny"; }
  absl::Span<const int> gene_cardinalities() const override {
    return cardinalities_;
  }
  absl::uint128 Size() const override {
    absl::uint128 size = 1;
    for (int c : cardinalities_) size *= c;
    return size;
  }
  bool IsIndexable() const override { return true; }
  int64_t ToIndex(const Architecture& arch) const override {
    int64_t index = 0;
    for (int g = 0; g < arch.size(); ++g) index = index * values_ + arch[g];
    return index;
  }
  Architecture FromIndex(int64_t index) const override {
    Architecture arch(static_cast<int>(cardinalities_.size()));
    for (int g = arch.size() - 1; g >= 0; --g) {
      arch[g] = static_cast<uint8_t>(index % values_);
      index /= values_;
    }
    return arch;
  }
  absl::Status Validate(const Architecture& arch) const override {
    if (arch.size() != static_cast<int>(cardinalities_.size())) {
      return absl::InvalidArgumentError("wrong number of genes");
    }
    for (int g = 0; g < arch.size(); ++g) {
      if (arch[g] >= values_) return absl::InvalidArgumentError("gene range");
    }
    return absl::OkStatus();
  }
  Architecture Sample(Rng& rng) const override {
    return FromIndex(static_cast<int64_t>(
        rng.UniformInt(static_cast<uint64_t>(Size()))));
  }
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override {
    out->clear();
    for (int g = 0; g < arch.size(); ++g) {
      for (int v = 0; v < values_; ++v) {
        if (v == arch[g]) continue;
        Architecture n = arch;
        n[g] = static_cast<uint8_t>(v);
        out->push_back(n);
      }
    }
  }
  std::string ToString(const Architecture& arch) const override {
    return absl::StrCat(ToIndex(arch));
  }
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override {
    int64_t index;
    if (!absl::SimpleAtoi(text, &index) || index < 0 ||
        absl::uint128(index) >= Size()) {
      return absl::InvalidArgumentError(absl::StrCat("bad index '", text, "'"));
    }
    return FromIndex(index);
  }

 private:
  std::vector<int> cardinalities_;
  int values_;
};

// Unordered pairs {a, b} of values in [0, values): the architectures (a, b)
// and (b, a) are the same, and the canonical form has a <= b. The smallest
// space where Canonicalize matters.
class UnorderedPairSpace : public SearchSpace {
 public:
  explicit UnorderedPairSpace(int values)
      : cardinalities_(2, values), values_(values) {}

  std::string name() const override { return "unordered_pair"; }
  absl::Span<const int> gene_cardinalities() const override {
    return cardinalities_;
  }
  absl::uint128 Size() const override {
    return absl::uint128(values_) * (values_ + 1) / 2;
  }
  bool IsIndexable() const override { return true; }
  // Row-major over the upper triangle: row a holds values_ - a pairs.
  int64_t ToIndex(const Architecture& arch) const override {
    const int64_t a = arch[0], b = arch[1];
    return a * values_ - a * (a - 1) / 2 + (b - a);
  }
  Architecture FromIndex(int64_t index) const override {
    int a = 0;
    while (index >= values_ - a) index -= values_ - a++;
    return Architecture({a, a + static_cast<int>(index)});
  }
  absl::Status Validate(const Architecture& arch) const override {
    if (arch.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("a pair has 2 genes, not ", arch.size()));
    }
    for (int g = 0; g < 2; ++g) {
      if (arch[g] >= values_) {
        return absl::InvalidArgumentError(absl::StrCat(
            "gene ", g, " is ", int{arch[g]}, "; values are below ", values_));
      }
    }
    return absl::OkStatus();
  }
  Architecture Canonicalize(const Architecture& arch) const override {
    return arch[0] <= arch[1] ? arch : Architecture({arch[1], arch[0]});
  }
  Architecture Sample(Rng& rng) const override {
    return FromIndex(static_cast<int64_t>(
        rng.UniformInt(static_cast<uint64_t>(Size()))));
  }
  // Replace either value by any other, in ascending canonical order.
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override {
    out->clear();
    for (int g = 0; g < 2; ++g) {
      for (int v = 0; v < values_; ++v) {
        Architecture n = arch;
        n[g] = static_cast<uint8_t>(v);
        n = Canonicalize(n);
        if (n != arch) out->push_back(n);
      }
    }
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
  }
  std::string ToString(const Architecture& arch) const override {
    return absl::StrCat(int{arch[0]}, "-", int{arch[1]});
  }
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override {
    std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
    int a, b;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &a) ||
        !absl::SimpleAtoi(parts[1], &b) || a < 0 || b < 0 || a >= values_ ||
        b >= values_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", text, "' is not a pair A-B of values below ", values_));
    }
    return Canonicalize(Architecture({a, b}));
  }

 private:
  std::vector<int> cardinalities_;
  int values_;
};

// Pseudo-random errors in [0, 100) from a hash of (salt, architecture);
// test errors use a different salt, so they carry no information about the
// validation errors. Two extra metrics likewise: "size", visible (a cost
// multi-objective searchers trade against the error), and "test_score",
// hidden and higher-is-better (stored negated), which no searcher may see.
class HashObjective : public Objective {
 public:
  HashObjective(std::shared_ptr<const SearchSpace> space, uint64_t valid_salt,
                uint64_t test_salt)
      : space_(std::move(space)),
        valid_salt_(valid_salt),
        test_salt_(test_salt) {}

  std::string name() const override { return "hash"; }
  const SearchSpace& space() const override { return *space_; }
  absl::Span<const Fidelity> fidelities() const override {
    return fidelities_;
  }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override {
    const uint64_t h = space_->Hash(arch);
    Evaluation e;
    e.valid_error = (HashCombine(valid_salt_, h) % 100000) / 1000.0;
    e.test_error = (HashCombine(test_salt_, h) % 100000) / 1000.0;
    e.metrics = {static_cast<double>(HashCombine(valid_salt_ + 1, h) % 1000),
                 -((HashCombine(test_salt_ + 1, h) % 1000) / 10.0)};
    return e;
  }
  std::vector<MetricInfo> metrics() const override {
    return {{"size", "count", MetricInfo::Direction::kLowerIsBetter,
             MetricInfo::Visibility::kVisible},
            {"test_score", "%", MetricInfo::Direction::kHigherIsBetter,
             MetricInfo::Visibility::kHidden}};
  }

 private:
  std::shared_ptr<const SearchSpace> space_;
  uint64_t valid_salt_, test_salt_;
  std::vector<Fidelity> fidelities_ = {{"full", 1}};
};

// Wraps an objective and replaces its test errors and hidden metrics by
// unrelated values: an algorithm that never reads test metrics makes the
// same queries on both.
class ScrambledTestObjective : public Objective {
 public:
  explicit ScrambledTestObjective(std::shared_ptr<const Objective> inner)
      : inner_(std::move(inner)) {}

  std::string name() const override { return inner_->name(); }
  const SearchSpace& space() const override { return inner_->space(); }
  absl::Span<const Fidelity> fidelities() const override {
    return inner_->fidelities();
  }
  bool is_noisy() const override { return inner_->is_noisy(); }
  std::vector<MetricInfo> metrics() const override { return metrics_; }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override {
    Evaluation e = inner_->Evaluate(arch, fidelity, noise);
    const uint64_t h = space().Hash(arch);
    e.test_error = 100.0 - e.test_error + (HashCombine(99, h) % 1000) / 10.0;
    for (size_t m = 0; m < e.metrics.size() && m < metrics_.size(); ++m) {
      if (metrics_[m].visible()) continue;
      e.metrics[m] = -e.metrics[m] + (HashCombine(100 + m, h) % 1000) / 10.0;
    }
    return e;
  }

 private:
  std::shared_ptr<const Objective> inner_;
  const std::vector<MetricInfo> metrics_ = inner_->metrics();
};

}  // namespace nas

#endif  // NASBENCH_TESTS_TEST_PLUGINS_H_
