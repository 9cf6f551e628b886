#ifndef NASBENCH_SPACES_DARTS_DARTS_H_
#define NASBENCH_SPACES_DARTS_DARTS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/architecture.h"
#include "core/random.h"
#include "spaces/encodings/encoder.h"
#include "spaces/search_space.h"

namespace nas {

// The DARTS cell search space (Liu et al., "DARTS: Differentiable
// Architecture Search", ICLR 2019), as used by the local-search studies on
// DARTS (naszilla, NAS-Bench-301).
//
// An architecture is a normal cell and a reduction cell. Each cell has two
// inputs (nodes 0 and 1, the outputs of the two previous cells) and four
// intermediate nodes 2..5; intermediate node n takes exactly two DISTINCT
// earlier nodes from 0..n-1, each through one of seven ops. The cell output
// concatenates all four intermediate nodes (concat [2, 3, 4, 5]).
//
// Distinct inputs: the DARTS derivation keeps the two strongest edges from
// different predecessors, so every DARTS-derived genotype (DARTS_V1,
// DARTS_V2, PC-DARTS, ...) satisfies this. Genotypes that feed one node the
// same input twice (possible in some hand-written or ENAS-style genotypes)
// are outside this space: Parse() rejects them with a message naming the
// node, and Validate() rejects the equivalent genes.
//
// Gene layout (32 genes). Cells c (0 = normal, 1 = reduce), intermediate
// nodes k = 0..3 (DARTS node number k + 2) and the node's two (input, op)
// pairs p = 0, 1 are laid out in that nesting order, two genes per pair:
//   gene ((c * 4 + k) * 2 + p) * 2     = input node, 0 .. k + 1
//   gene ((c * 4 + k) * 2 + p) * 2 + 1 = op, index into OpNames()
// so genes 0..15 are the normal cell and 16..31 the reduction cell, in the
// order of the DARTS genotype lists. gene_cardinalities() is 5 for every
// input gene (the maximum over nodes: node 5 takes inputs 0..4) and 7 for
// every op gene; Validate() enforces the tighter per-node input range.
//
// Canonical form: the two pairs of a node are unordered, so the canonical
// form sorts them by (input, op); inputs are distinct, so this is by input.
//
// Size: per cell, node k chooses an unordered pair of distinct inputs from
// k + 2 nodes and an op for each: C(k + 2, 2) * 7^2. Per cell
// (1 * 3 * 6 * 10) * 49^4 = 180 * 5,764,801 = 1,037,664,180; the space is
// normal x reduce = 1,037,664,180^2 = 1,076,746,950,455,072,400 (~1.08e18).
// Too large to index.
//
// Neighbours (as in naszilla's DARTS neighbourhood): change the op of one
// pair to one of the other 6 ops, or move the input of one pair to another
// allowed node distinct from both of the node's current inputs. Every
// architecture has exactly 120 neighbours: 2 cells * 8 pairs * 6 op changes
// = 96, plus input moves 2 cells * 2 pairs * (0 + 1 + 2 + 3) = 24 (node k has
// k + 2 allowed inputs, two of them taken). No two of these coincide after
// canonicalisation: an op change keeps the node's input set, and two input
// moves on one node give different input sets. Order: cells, nodes and
// canonical pairs in gene order; per pair, op changes by increasing op, then
// input moves by increasing input.
//
// Sample: uniform over canonical architectures. Per node an unordered pair of
// distinct inputs is drawn uniformly (an ordered draw without replacement,
// then sorted) and each input's op uniformly from the 7.
//
// Mutate: a uniformly random neighbour, drawn with one rng.UniformInt(120)
// and decoded directly, so it equals SearchSpace::Mutate's default (uniform
// over Neighbors()) draw for draw without building the list. Unlike
// naszilla's `mutate`, it never returns the architecture itself.
//
// Text form: the DARTS genotype repr, e.g.
//   Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ...],
//            normal_concat=[2, 3, 4, 5], reduce=[...],
//            reduce_concat=[2, 3, 4, 5])
// on one line (see Parse() for what it accepts).
class DartsSpace;

// This space's encodings (darts_encodings.cc); `space` must outlive them.
std::unique_ptr<const SpaceEncodings> NewDartsSpaceEncodings(const DartsSpace& space);

class DartsSpace : public SearchSpace {
 public:
  static constexpr int kNumCells = 2;      // normal, reduce
  static constexpr int kNodesPerCell = 4;  // DARTS nodes 2..5
  static constexpr int kInputsPerNode = 2;
  static constexpr int kNumCellInputs = 2;  // nodes 0 and 1
  static constexpr int kNumOps = 7;
  static constexpr int kPairsPerCell = kNodesPerCell * kInputsPerNode;  // 8
  static constexpr int kNumGenes = kNumCells * kPairsPerCell * 2;       // 32
  // Most inputs any node can choose from (the last node: 0..4).
  static constexpr int kMaxInputChoices = kNumCellInputs + kNodesPerCell - 1;
  static constexpr int kNeighborsPerArchitecture = 120;
  // Number of distinct (canonical) cells; Size() is its square.
  static constexpr uint64_t kCellsPerCellType = 1037664180ULL;

  // The op names, indexed by op gene value.
  static constexpr std::array<const char*, kNumOps> kOpNames = {
      "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5",
      "max_pool_3x3", "avg_pool_3x3", "skip_connect"};

  // Gene positions; cell 0..1, node 0..3 (DARTS node + 2), pair 0..1.
  static constexpr int InputGene(int cell, int node, int pair) {
    return ((cell * kNodesPerCell + node) * kInputsPerNode + pair) * 2;
  }
  static constexpr int OpGene(int cell, int node, int pair) {
    return InputGene(cell, node, pair) + 1;
  }
  // Node `node` (0..3) takes inputs 0 .. NumInputChoices(node) - 1.
  static constexpr int NumInputChoices(int node) {
    return kNumCellInputs + node;
  }

  // The space takes no parameters; never fails (StatusOr for uniformity
  // with the other spaces' factories).
  static absl::StatusOr<std::unique_ptr<DartsSpace>> New();

  std::string name() const override { return "darts"; }
  absl::Span<const int> gene_cardinalities() const override;
  absl::uint128 Size() const override;
  absl::Status Validate(const Architecture& arch) const override;
  Architecture Canonicalize(const Architecture& arch) const override;
  // GeneHash of the canonical form, so pair order never matters.
  uint64_t Hash(const Architecture& arch) const override;
  Architecture Sample(Rng& rng) const override;
  void Neighbors(const Architecture& arch,
                 std::vector<Architecture>* out) const override;
  Architecture Mutate(const Architecture& arch, Rng& rng) const override;

  // Prints the canonical form: pairs in canonical order, concat as
  // [2, 3, 4, 5], single spaces as Python's repr prints them.
  std::string ToString(const Architecture& arch) const override;

  // Accepts the DARTS genotype repr with any whitespace between tokens
  // (including line breaks, as in multi-line genotype files), op names in
  // single or double quotes, an optional trailing comma in a list or after
  // the last keyword argument (Python-equivalent spellings), and each concat
  // as [2, 3, 4, 5] or range(2, 6). The keywords must come in the order
  // normal, normal_concat, reduce, reduce_concat. Anything else is
  // InvalidArgument naming the character offset and, for a bad pair, the
  // cell, node and pair: unknown op (the valid ops are listed; 'none' is a
  // DARTS search primitive but never part of a genotype), input out of range
  // for its node, one input used twice by a node, a cell without exactly 8
  // pairs, another concat. Returns the canonical form.
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override;

  const SpaceEncodings* encodings() const override {
    return encodings_.get();
  }

 private:
  DartsSpace() = default;
  // Built with the space; its encoders refer back to it.
  std::unique_ptr<const SpaceEncodings> encodings_ =
      NewDartsSpaceEncodings(*this);
};

// DartsSpace::Size() in decimal: "1076746950455072400" (absl::StrCat cannot
// print absl::uint128 in this Abseil version).
std::string DartsSpaceSizeDecimal();

// DARTS_V2, the cell the DARTS paper found (second-order search, CIFAR-10),
// in the reference code's genotype form: a fixture for tests and benchmarks.
inline constexpr char kDartsV2Genotype[] =
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
    "('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 1), "
    "('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
    "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
    "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), "
    "('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), "
    "('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])";

}  // namespace nas

#endif  // NASBENCH_SPACES_DARTS_DARTS_H_
