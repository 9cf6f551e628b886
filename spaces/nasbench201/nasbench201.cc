#include "spaces/nasbench201/nasbench201.h"

#include <cstdlib>
#include <optional>
#include <random>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nas {
namespace {

// The (target node, source node) of each gene, in the string's edge order.
constexpr int kEdgeTarget[Nasbench201Space::kNumEdges] = {1, 2, 2, 3, 3, 3};
constexpr int kEdgeSource[Nasbench201Space::kNumEdges] = {0, 0, 1, 0, 1, 2};

// CPython seeds its Mersenne Twister from an integer with the reference
// init_by_array(); std::mt19937 is specified bit-for-bit by the C++
// standard and takes its whole state from a seed sequence, so this sequence
// hands it the state CPython builds for random.seed(key).
class PythonIntSeed {
 public:
  using result_type = uint32_t;
  explicit PythonIntSeed(uint32_t key) : key_(key) {}

  template <typename It>
  void generate(It begin, It end) const {
    constexpr int n = 624;
    uint32_t mt[n];
    mt[0] = 19650218u;
    for (int i = 1; i < n; ++i) {
      mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) +
              static_cast<uint32_t>(i);
    }
    int i = 1;
    for (int k = n; k > 0; --k) {  // One key word, used n times.
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key_;
      if (++i >= n) {
        mt[0] = mt[n - 1];
        i = 1;
      }
    }
    for (int k = n - 1; k > 0; --k) {
      mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) -
              static_cast<uint32_t>(i);
      if (++i >= n) {
        mt[0] = mt[n - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000u;
    int j = 0;
    for (It it = begin; it != end; ++it) *it = mt[j++ % n];
  }

 private:
  uint32_t key_;
};

int BitLength(uint32_t n) {
  int bits = 0;
  while (n) {
    ++bits;
    n >>= 1;
  }
  return bits;
}

// CPython's Random._randbelow(n) via getrandbits(k), k = n.bit_length().
uint32_t PythonRandBelow(std::mt19937& mt, uint32_t n) {
  const int k = BitLength(n);
  uint32_t r = static_cast<uint32_t>(mt()) >> (32 - k);
  while (r >= n) r = static_cast<uint32_t>(mt()) >> (32 - k);
  return r;
}

std::vector<int> ComputeOfficialOrder() {
  // NAS-Bench-201's generate_meta_info(): archs = gen_all(...);
  // random.seed(88); random.shuffle(archs).
  std::vector<int> order(Nasbench201Space::kNumArchitectures);
  for (int i = 0; i < Nasbench201Space::kNumArchitectures; ++i) order[i] = i;
  PythonIntSeed seed(88);
  std::mt19937 mt(seed);
  for (uint32_t i = order.size() - 1; i >= 1; --i) {
    const uint32_t j = PythonRandBelow(mt, i + 1);
    std::swap(order[i], order[j]);
  }
  return order;
}

// The op starting at `text[pos]`, if the official name is there in full;
// -1 otherwise. Names differ in their first letter, except the three
// starting with 'n' (by length, then the kernel size).
int OpAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return -1;
  int op;
  switch (text[pos]) {
    case 'n':
      op = pos + 4 < text.size() && text[pos + 4] == '~'
               ? 0
               : (pos + 9 < text.size() && text[pos + 9] == '1' ? 2 : 3);
      break;
    case 's':
      op = 1;
      break;
    case 'a':
      op = 4;
      break;
    default:
      return -1;
  }
  const absl::string_view name = kNasbench201Ops[op];
  return text.substr(pos, name.size()) == name ? op : -1;
}

// The official form, parsed without building any message: nullopt for
// anything else (Parse() then says what is wrong). A table holds 15,625 of
// these, and parsing them was most of loading it.
std::optional<Architecture> ParseOfficialForm(absl::string_view text) {
  Architecture arch(Nasbench201Space::kNumEdges);
  size_t pos = 0;
  for (int gene = 0; gene < Nasbench201Space::kNumEdges; ++gene) {
    const int source = kEdgeSource[gene];
    if (source == 0) {  // A node's first edge: "|", or "+|" after node 1.
      if (gene > 0) {
        if (pos >= text.size() || text[pos] != '+') return std::nullopt;
        ++pos;
      }
      if (pos >= text.size() || text[pos] != '|') return std::nullopt;
      ++pos;
    }
    const int op = OpAt(text, pos);
    if (op < 0) return std::nullopt;
    pos += kNasbench201Ops[op].size();
    if (pos + 3 > text.size() || text[pos] != '~' ||
        text[pos + 1] != '0' + source || text[pos + 2] != '|') {
      return std::nullopt;
    }
    pos += 3;
    arch[gene] = static_cast<uint8_t>(op);
  }
  if (pos != text.size()) return std::nullopt;
  return arch;
}

NAS_REGISTER_SEARCH_SPACE_CLASS(
    "nasbench201",
    "NAS-Bench-201 cells: 6 edges x 5 ops = 15,625 architectures, official "
    "arch strings and index order, 24 one-edge neighbours",
    Nasbench201Space);

}  // namespace

Nasbench201Space::Nasbench201Space()
    : CategoricalSpace(std::vector<int>(kNumEdges, kNumOps)) {
  const std::vector<int>& order = OfficialOrder();
  for (int official = 0; official < kNumArchitectures; ++official) {
    lex_to_official_[order[official]] = static_cast<uint16_t>(official);
    official_to_lex_[official] = static_cast<uint16_t>(order[official]);
  }
}

absl::StatusOr<std::unique_ptr<Nasbench201Space>> Nasbench201Space::New() {
  return std::unique_ptr<Nasbench201Space>(new Nasbench201Space());
}

const std::vector<int>& Nasbench201Space::OfficialOrder() {
  static const std::vector<int>* order =
      new std::vector<int>(ComputeOfficialOrder());
  return *order;
}

Architecture Nasbench201Space::FromLexicographicIndex(int lex_index) {
  // Base-5 digits, edge 0 most significant, packed one per byte. Each digit
  // from the index directly, spelled out so that every division is by a
  // constant (a multiply) and none waits for another.
  const auto i = static_cast<uint32_t>(lex_index);
  const uint64_t packed = uint64_t{i / 3125 % 5} | uint64_t{i / 625 % 5} << 8 |
                          uint64_t{i / 125 % 5} << 16 |
                          uint64_t{i / 25 % 5} << 24 |
                          uint64_t{i / 5 % 5} << 32 | uint64_t{i % 5} << 40;
  return Architecture::FromPackedGenes(packed, kNumEdges);
}

int64_t Nasbench201Space::ToIndex(const Architecture& arch) const {
  return lex_to_official_[LexicographicIndex(arch)];
}

Architecture Nasbench201Space::FromIndex(int64_t index) const {
  return FromLexicographicIndex(official_to_lex_[index]);
}

std::string Nasbench201Space::GeneDescription(int gene) const {
  return gene < 0 ? "edge" : absl::StrCat("edge ", kEdgeTarget[gene], "<-", kEdgeSource[gene]);
}

std::string Nasbench201Space::ToString(const Architecture& arch) const {
  // |op~0|+|op~0|op~1|+|op~0|op~1|op~2|
  std::string out = "|";
  for (int e = 0; e < kNumEdges; ++e) {
    if (e == 1 || e == 3) out += "+|";
    absl::StrAppend(&out, kNasbench201Ops[arch[e]], "~", kEdgeSource[e], "|");
  }
  return out;
}

absl::StatusOr<Architecture> Nasbench201Space::Parse(
    absl::string_view text) const {
  if (std::optional<Architecture> arch = ParseOfficialForm(text)) return *arch;
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad NAS-Bench-201 architecture string '", text, "': ", what,
        ". Expected the official form, e.g. "
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|"
        "nor_conv_3x3~1|skip_connect~2|"));
  };
  Architecture arch(kNumEdges);
  size_t pos = 0;
  for (int node = 1; node <= 3; ++node) {
    if (node > 1) {
      if (text.substr(pos, 1) != "+") {
        return error(absl::StrCat("expected '+' before node ", node,
                                  " at character ", pos));
      }
      ++pos;
    }
    if (text.substr(pos, 1) != "|") {
      return error(absl::StrCat("expected '|' at character ", pos));
    }
    ++pos;
    for (int source = 0; source < node; ++source) {
      const size_t bar = text.find('|', pos);
      if (bar == absl::string_view::npos) {
        return error(absl::StrCat("node ", node, " has ", source,
                                  " edges, needs ", node));
      }
      const absl::string_view token = text.substr(pos, bar - pos);
      const size_t tilde = token.find('~');
      if (tilde == absl::string_view::npos) {
        return error(absl::StrCat("edge '", token,
                                  "' at character ", pos,
                                  " is not of the form op~source"));
      }
      const absl::string_view op_name = token.substr(0, tilde);
      const absl::string_view source_text = token.substr(tilde + 1);
      int op = -1;
      for (int i = 0; i < kNumOps && op < 0; ++i) {
        if (kNasbench201Ops[i] == op_name) op = i;
      }
      if (op < 0) {
        return error(absl::StrCat("unknown op '", op_name, "' at character ",
                                  pos, "; ops are ",
                                  absl::StrJoin(kNasbench201Ops, ", ")));
      }
      // Sources are single digits (0-2): no number formatting per edge.
      if (source_text.size() != 1 || source_text[0] != '0' + source) {
        return error(absl::StrCat("edge ", source + 1, " of node ", node,
                                  " must come from node ", source, ", found '",
                                  source_text, "'"));
      }
      const int gene = node * (node - 1) / 2 + source;
      arch[gene] = static_cast<uint8_t>(op);
      pos = bar + 1;
    }
  }
  if (pos != text.size()) {
    return error(absl::StrCat("unexpected text after character ", pos));
  }
  return arch;
}

}  // namespace nas
