#include "spaces/darts/darts.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"

namespace nas {
namespace {

constexpr const char* kCellNames[DartsSpace::kNumCells] = {"normal", "reduce"};

// The per-cell count from the formula in darts.h, recomputed so the constant
// cannot drift from the layout.
constexpr uint64_t CountCells() {
  uint64_t count = 1;
  for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
    const uint64_t n = DartsSpace::NumInputChoices(node);
    count *= n * (n - 1) / 2 * DartsSpace::kNumOps * DartsSpace::kNumOps;
  }
  return count;
}
static_assert(CountCells() == DartsSpace::kCellsPerCellType,
              "per-cell count disagrees with 180 * 49^4");

constexpr int CountNeighbors() {
  int count = 0;
  for (int node = 0; node < DartsSpace::kNodesPerCell; ++node) {
    const int other_inputs = DartsSpace::NumInputChoices(node) - 2;
    count +=
        DartsSpace::kInputsPerNode * (DartsSpace::kNumOps - 1 + other_inputs);
  }
  return DartsSpace::kNumCells * count;
}
static_assert(CountNeighbors() == DartsSpace::kNeighborsPerArchitecture,
              "neighbourhood size disagrees with 96 + 24");

std::string GeneName(int gene) {
  const int pair_index = gene / 2;
  const int cell = pair_index / DartsSpace::kPairsPerCell;
  const int node = pair_index % DartsSpace::kPairsPerCell / 2;
  const int pair = pair_index % 2;
  return absl::StrCat("gene ", gene, " (", kCellNames[cell], " cell, node ",
                      node + DartsSpace::kNumCellInputs, ", pair ", pair + 1,
                      ", ", gene % 2 == 0 ? "input" : "op", ")");
}

// Puts the node's two pairs in canonical (input, op) order.
void SortNode(Architecture* arch, int cell, int node) {
  const int first = DartsSpace::InputGene(cell, node, 0);
  const int second = DartsSpace::InputGene(cell, node, 1);
  Architecture& a = *arch;
  if (std::make_pair(a[second], a[second + 1]) <
      std::make_pair(a[first], a[first + 1])) {
    std::swap(a[first], a[second]);
    std::swap(a[first + 1], a[second + 1]);
  }
}

std::string ValidOpList() { return absl::StrJoin(DartsSpace::kOpNames, ", "); }

// ---------------------------------------------------------------------------
// Genotype parsing. A hand-written recursive descent over RE2 tokens: each
// token is matched anchored at the current position after skipping
// whitespace, so every error can name the offset where the bad token starts.

struct Patterns {
  RE2 head{R"(Genotype\s*\()"};
  RE2 keyword{R"(([A-Za-z_]\w*)\s*=)"};
  RE2 open_bracket{R"(\[)"};
  RE2 close_bracket{R"(\])"};
  RE2 open_paren{R"(\()"};
  RE2 close_paren{R"(\))"};
  RE2 comma{R"(,)"};
  RE2 quoted{R"re('([^'\n]*)'|"([^"\n]*)")re"};
  RE2 integer{R"((\d+))"};
  RE2 concat{
      R"(\[\s*2\s*,\s*3\s*,\s*4\s*,\s*5\s*,?\s*\]|range\s*\(\s*2\s*,\s*6\s*\))"};
};

const Patterns& GetPatterns() {
  static const Patterns* const patterns = new Patterns;
  return *patterns;
}

// One "('op', input)" as written, before any check of its meaning.
struct WrittenPair {
  std::string op;
  size_t op_offset = 0;
  std::string input;  // digits
  size_t input_offset = 0;
};

class GenotypeParser {
 public:
  explicit GenotypeParser(absl::string_view text)
      : text_(text), rest_(text.data(), text.size()) {}

  absl::StatusOr<Architecture> Run() {
    const Patterns& p = GetPatterns();
    Architecture arch(DartsSpace::kNumGenes);
    if (!Token(p.head)) return Expected("'Genotype(' at the start");
    for (int cell = 0; cell < DartsSpace::kNumCells; ++cell) {
      if (cell > 0 && !Token(p.comma)) {
        return Expected("',' before the reduce cell");
      }
      absl::Status status = ParseKeyword(kCellNames[cell]);
      if (status.ok()) status = ParseCell(cell, &arch);
      if (!status.ok()) return status;
      if (!Token(p.comma)) {
        return Expected(absl::StrCat("',' after the ", kCellNames[cell],
                                     " cell's pair list"));
      }
      const std::string concat = absl::StrCat(kCellNames[cell], "_concat");
      status = ParseKeyword(concat);
      if (!status.ok()) return status;
      if (!Token(p.concat)) {
        return Error(absl::StrCat(
            concat,
            " must be [2, 3, 4, 5] or range(2, 6): this space always "
            "concatenates all four intermediate nodes; found ",
            Found()));
      }
    }
    Token(p.comma);  // Python allows a trailing comma after the last keyword.
    if (!Token(p.close_paren)) {
      return Expected("')' closing Genotype( after reduce_concat");
    }
    SkipWhitespace();
    if (!rest_.empty()) {
      return Error(
          absl::StrCat("unexpected text after the genotype: ", Found()));
    }
    return arch;
  }

 private:
  size_t Offset() const {
    return static_cast<size_t>(rest_.data() - text_.data());
  }

  // By hand rather than with RE2: it runs before every token, and a regex
  // call per token boundary doubled the cost of Parse.
  void SkipWhitespace() {
    while (!rest_.empty() && absl::ascii_isspace(rest_[0])) {
      rest_.remove_prefix(1);
    }
  }

  // Skips whitespace, then consumes `re` anchored at the current position.
  template <typename... Args>
  bool Token(const RE2& re, Args*... captures) {
    SkipWhitespace();
    return RE2::Consume(&rest_, re, captures...);
  }

  // The text at the current position, for messages.
  std::string Found() const {
    constexpr size_t kSnippet = 24;
    if (rest_.empty()) return "end of text";
    const size_t n = std::min(kSnippet, static_cast<size_t>(rest_.size()));
    // Escaped so line breaks of a multi-line genotype stay visible.
    return absl::StrCat("\"", absl::CEscape(absl::string_view(rest_.data(), n)),
                        n < rest_.size() ? "..." : "", "\"");
  }

  absl::Status ErrorAt(size_t offset, absl::string_view message) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "DARTS genotype, character offset ", offset, ": ", message));
  }
  absl::Status Error(absl::string_view message) const {
    return ErrorAt(Offset(), message);
  }
  absl::Status Expected(absl::string_view what) {
    SkipWhitespace();
    return Error(absl::StrCat("expected ", what, "; found ", Found()));
  }

  absl::Status ParseKeyword(absl::string_view keyword) {
    SkipWhitespace();
    const size_t offset = Offset();
    std::string name;
    if (!Token(GetPatterns().keyword, &name)) {
      return Expected(absl::StrCat("'", keyword, "='"));
    }
    if (name != keyword) {
      return ErrorAt(
          offset,
          absl::StrCat("expected keyword '", keyword, "', found '", name,
                       "' (the keywords are normal, normal_concat, reduce, "
                       "reduce_concat, in that order)"));
    }
    return absl::OkStatus();
  }

  absl::Status ParsePair(WrittenPair* pair) {
    const Patterns& p = GetPatterns();
    if (!Token(p.open_paren)) {
      return Expected("'(' starting an ('op', input) pair");
    }
    SkipWhitespace();
    pair->op_offset = Offset();
    std::string single_quoted, double_quoted;
    if (!Token(p.quoted, &single_quoted, &double_quoted)) {
      return Expected("a quoted op name such as 'sep_conv_3x3'");
    }
    pair->op = single_quoted.empty() ? double_quoted : single_quoted;
    if (!Token(p.comma)) return Expected("',' between op name and input");
    SkipWhitespace();
    pair->input_offset = Offset();
    if (!Token(p.integer, &pair->input)) {
      return Expected("an input node number (a non-negative integer)");
    }
    if (!Token(p.close_paren)) return Expected("')' closing the pair");
    return absl::OkStatus();
  }

  static std::string PairName(int cell, int index) {
    return absl::StrCat(kCellNames[cell], " cell, node ",
                        index / 2 + DartsSpace::kNumCellInputs, ", pair ",
                        index % 2 + 1, " of 2");
  }

  absl::Status ParseCell(int cell, Architecture* arch) {
    const Patterns& p = GetPatterns();
    if (!Token(p.open_bracket)) {
      return Expected(absl::StrCat("'[' opening the ", kCellNames[cell],
                                   " cell's pair list"));
    }
    SkipWhitespace();
    const size_t list_offset = Offset();
    std::vector<WrittenPair> pairs;
    while (!Token(p.close_bracket)) {
      if (!pairs.empty() && !Token(p.comma)) {
        return Expected("',' or ']' after a pair");
      }
      // A trailing comma before ']' is valid Python.
      if (!pairs.empty() && Token(p.close_bracket)) break;
      WrittenPair pair;
      absl::Status status = ParsePair(&pair);
      if (!status.ok()) return status;
      pairs.push_back(std::move(pair));
    }
    if (pairs.size() != DartsSpace::kPairsPerCell) {
      return ErrorAt(
          list_offset,
          absl::StrCat(
              "the ", kCellNames[cell], " cell has ", pairs.size(),
              pairs.size() == 1 ? " (op, input) pair" : " (op, input) pairs",
              "; a DARTS cell needs exactly ", DartsSpace::kPairsPerCell,
              ": two for each of nodes 2, 3, 4, 5"));
    }
    for (int index = 0; index < DartsSpace::kPairsPerCell; ++index) {
      const WrittenPair& pair = pairs[index];
      const int node = index / 2;
      const auto op_it = std::find(DartsSpace::kOpNames.begin(),
                                   DartsSpace::kOpNames.end(), pair.op);
      if (op_it == DartsSpace::kOpNames.end()) {
        return ErrorAt(pair.op_offset,
                       absl::StrCat("unknown op '", pair.op, "' in ",
                                    PairName(cell, index),
                                    "; valid ops: ", ValidOpList()));
      }
      const int choices = DartsSpace::NumInputChoices(node);
      // Three digits already exceed every node's range; avoids overflow.
      int input = choices;
      if (pair.input.size() <= 3) input = std::stoi(pair.input);
      if (input >= choices) {
        return ErrorAt(
            pair.input_offset,
            absl::StrCat("input ", pair.input, " out of range in ",
                         PairName(cell, index), ": node ",
                         node + DartsSpace::kNumCellInputs, " takes inputs 0..",
                         choices - 1,
                         " (the two cell inputs and earlier nodes)"));
      }
      const int pair_in_node = index % 2;
      (*arch)[DartsSpace::InputGene(cell, node, pair_in_node)] = input;
      (*arch)[DartsSpace::OpGene(cell, node, pair_in_node)] =
          static_cast<int>(op_it - DartsSpace::kOpNames.begin());
      if (pair_in_node == 1 &&
          (*arch)[DartsSpace::InputGene(cell, node, 0)] == input) {
        return ErrorAt(
            pair.input_offset,
            absl::StrCat(
                kCellNames[cell], " cell, node ",
                node + DartsSpace::kNumCellInputs, " takes input ", input,
                " twice; this space requires two distinct inputs per node (as "
                "DARTS derives them), so such genotypes are outside it"));
      }
      if (pair_in_node == 1) SortNode(arch, cell, node);
    }
    return absl::OkStatus();
  }

  const absl::string_view text_;
  re2::StringPiece rest_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<DartsSpace>> DartsSpace::New() {
  return std::unique_ptr<DartsSpace>(new DartsSpace());
}

absl::Span<const int> DartsSpace::gene_cardinalities() const {
  static const std::array<int, kNumGenes> kCardinalities = [] {
    std::array<int, kNumGenes> cardinalities{};
    for (int gene = 0; gene < kNumGenes; gene += 2) {
      cardinalities[gene] = kMaxInputChoices;
      cardinalities[gene + 1] = kNumOps;
    }
    return cardinalities;
  }();
  return kCardinalities;
}

absl::uint128 DartsSpace::Size() const {
  return absl::uint128(kCellsPerCellType) * kCellsPerCellType;
}

std::string DartsSpaceSizeDecimal() {
  absl::uint128 value = absl::uint128(DartsSpace::kCellsPerCellType) *
                        DartsSpace::kCellsPerCellType;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  std::reverse(digits.begin(), digits.end());
  return digits;
}

absl::Status DartsSpace::Validate(const Architecture& arch) const {
  if (arch.size() != kNumGenes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a DARTS architecture has ", kNumGenes,
                     " genes (2 cells x 4 nodes x "
                     "2 (input, op) pairs), got ",
                     arch.size()));
  }
  for (int cell = 0; cell < kNumCells; ++cell) {
    for (int node = 0; node < kNodesPerCell; ++node) {
      for (int pair = 0; pair < kInputsPerNode; ++pair) {
        const int input_gene = InputGene(cell, node, pair);
        if (arch[input_gene] >= NumInputChoices(node)) {
          return absl::InvalidArgumentError(
              absl::StrCat(GeneName(input_gene), " is ", arch[input_gene],
                           "; node ", node + kNumCellInputs,
                           " takes inputs 0..", NumInputChoices(node) - 1));
        }
        const int op_gene = OpGene(cell, node, pair);
        if (arch[op_gene] >= kNumOps) {
          return absl::InvalidArgumentError(absl::StrCat(
              GeneName(op_gene), " is ", arch[op_gene], "; ops are 0..",
              kNumOps - 1, " (", ValidOpList(), ")"));
        }
      }
      if (arch[InputGene(cell, node, 0)] == arch[InputGene(cell, node, 1)]) {
        return absl::InvalidArgumentError(
            absl::StrCat(GeneName(InputGene(cell, node, 1)), " repeats input ",
                         arch[InputGene(cell, node, 0)], " of ",
                         GeneName(InputGene(cell, node, 0)),
                         "; a node takes two distinct inputs"));
      }
    }
  }
  return absl::OkStatus();
}

Architecture DartsSpace::Canonicalize(const Architecture& arch) const {
  Architecture canonical = arch;
  for (int cell = 0; cell < kNumCells; ++cell) {
    for (int node = 0; node < kNodesPerCell; ++node) {
      SortNode(&canonical, cell, node);
    }
  }
  return canonical;
}

uint64_t DartsSpace::Hash(const Architecture& arch) const {
  return Canonicalize(arch).GeneHash();
}

Architecture DartsSpace::Sample(Rng& rng) const {
  Architecture arch(kNumGenes);
  for (int cell = 0; cell < kNumCells; ++cell) {
    for (int node = 0; node < kNodesPerCell; ++node) {
      const int choices = NumInputChoices(node);
      // An ordered draw without replacement makes every unordered pair
      // equally likely (2 / (n (n - 1)) each).
      const int first = static_cast<int>(rng.UniformInt(choices));
      int second = static_cast<int>(rng.UniformInt(choices - 1));
      if (second >= first) ++second;
      arch[InputGene(cell, node, 0)] = std::min(first, second);
      arch[InputGene(cell, node, 1)] = std::max(first, second);
      arch[OpGene(cell, node, 0)] = static_cast<int>(rng.UniformInt(kNumOps));
      arch[OpGene(cell, node, 1)] = static_cast<int>(rng.UniformInt(kNumOps));
    }
  }
  return arch;
}

void DartsSpace::Neighbors(const Architecture& arch,
                           std::vector<Architecture>* out) const {
  out->clear();
  out->reserve(kNeighborsPerArchitecture);
  for (int cell = 0; cell < kNumCells; ++cell) {
    for (int node = 0; node < kNodesPerCell; ++node) {
      for (int pair = 0; pair < kInputsPerNode; ++pair) {
        const int input_gene = InputGene(cell, node, pair);
        const int op_gene = input_gene + 1;
        const int other_input = arch[InputGene(cell, node, 1 - pair)];
        for (int op = 0; op < kNumOps; ++op) {
          if (op == arch[op_gene]) continue;
          out->push_back(arch);
          out->back()[op_gene] = op;
        }
        for (int input = 0; input < NumInputChoices(node); ++input) {
          if (input == arch[input_gene] || input == other_input) continue;
          out->push_back(arch);
          out->back()[input_gene] = input;
          SortNode(&out->back(), cell, node);
        }
      }
    }
  }
}

Architecture DartsSpace::Mutate(const Architecture& arch, Rng& rng) const {
  // Decodes index r of Neighbors()'s order without building the list.
  int r = static_cast<int>(rng.UniformInt(kNeighborsPerArchitecture));
  const int cell = r / (kNeighborsPerArchitecture / kNumCells);
  r %= kNeighborsPerArchitecture / kNumCells;
  int node = 0;
  int per_pair = kNumOps - 1 + NumInputChoices(node) - 2;
  while (r >= kInputsPerNode * per_pair) {
    r -= kInputsPerNode * per_pair;
    ++node;
    per_pair = kNumOps - 1 + NumInputChoices(node) - 2;
  }
  const int pair = r / per_pair;
  r %= per_pair;
  Architecture mutant = arch;
  const int input_gene = InputGene(cell, node, pair);
  if (r < kNumOps - 1) {
    const int op_gene = input_gene + 1;
    mutant[op_gene] = r < arch[op_gene] ? r : r + 1;
    return mutant;
  }
  int skip = r - (kNumOps - 1);  // the skip-th free input, increasing
  const int other_input = arch[InputGene(cell, node, 1 - pair)];
  for (int input = 0; input < NumInputChoices(node); ++input) {
    if (input == arch[input_gene] || input == other_input) continue;
    if (skip-- == 0) {
      mutant[input_gene] = input;
      break;
    }
  }
  SortNode(&mutant, cell, node);
  return mutant;
}

std::string DartsSpace::ToString(const Architecture& arch) const {
  const Architecture canonical = Canonicalize(arch);
  std::string out = "Genotype(";
  for (int cell = 0; cell < kNumCells; ++cell) {
    absl::StrAppend(&out, cell > 0 ? ", " : "", kCellNames[cell], "=[");
    for (int node = 0; node < kNodesPerCell; ++node) {
      for (int pair = 0; pair < kInputsPerNode; ++pair) {
        absl::StrAppend(&out, node + pair > 0 ? ", " : "", "('",
                        kOpNames[canonical[OpGene(cell, node, pair)]], "', ",
                        canonical[InputGene(cell, node, pair)], ")");
      }
    }
    absl::StrAppend(&out, "], ", kCellNames[cell], "_concat=[2, 3, 4, 5]");
  }
  out += ")";
  return out;
}

absl::StatusOr<Architecture> DartsSpace::Parse(absl::string_view text) const {
  return GenotypeParser(text).Run();
}

namespace {

NAS_REGISTER_SEARCH_SPACE_CLASS(
    "darts",
    "DARTS cells: normal + reduction, 4 nodes x 2 distinct (input, op) "
    "pairs, 7 ops (1.08e18 architectures)",
    DartsSpace);

}  // namespace
}  // namespace nas
