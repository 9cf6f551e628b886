#include "spaces/nasbench101/nasbench101.h"

#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/numeric/bits.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/check.h"

namespace nas {
namespace nasbench101 {
namespace {

constexpr int kMaxPairs = kMaxVertices * (kMaxVertices - 1) / 2;  // 21
constexpr int kHexDigits = 32;

// Position of edge (from, to), from < to, in the row-major upper triangle of
// an n-vertex matrix: the gene index, and the bit of canonical bitmasks.
int PairIndex(int n, int from, int to) {
  return from * (2 * n - from - 1) / 2 + (to - from - 1);
}

int NumPairs(int n) { return n * (n - 1) / 2; }

uint32_t AllVertices(int n) { return (1u << n) - 1; }

// ---------------------------------------------------------------------------
// MD5 through OpenSSL's EVP interface, as lowercase hex (hashlib's
// hexdigest()). One context per ModuleHash() call; the algorithm is fetched
// once because an implicit fetch per digest costs more than the digest.

const EVP_MD* Md5Algorithm() {
  static const EVP_MD* const md = [] {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "MD5", nullptr);
#else
    const EVP_MD* fetched = EVP_md5();
#endif
    if (fetched == nullptr) {
      InternalError(
          "nasbench101",
          "OpenSSL provides no MD5 (FIPS mode?); NAS-Bench-101 hashes need it");
    }
    return fetched;
  }();
  return md;
}

class Md5Hex {
 public:
  Md5Hex() : context_(EVP_MD_CTX_new()) {
    if (context_ == nullptr)
      InternalError("nasbench101", "EVP_MD_CTX_new failed");
  }
  ~Md5Hex() { EVP_MD_CTX_free(context_); }
  Md5Hex(const Md5Hex&) = delete;
  Md5Hex& operator=(const Md5Hex&) = delete;

  // Writes the 32 hex digits of md5(bytes) to `hex`.
  void Digest(absl::string_view bytes, char* hex) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestInit_ex(context_, Md5Algorithm(), nullptr) != 1 ||
        EVP_DigestUpdate(context_, bytes.data(), bytes.size()) != 1 ||
        EVP_DigestFinal_ex(context_, digest, &length) != 1 || length != 16) {
      InternalError("nasbench101", "MD5 digest failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < length; ++i) {
      hex[2 * i] = kHex[digest[i] >> 4];
      hex[2 * i + 1] = kHex[digest[i] & 15];
    }
  }

 private:
  EVP_MD_CTX* context_;
};

using HexHash = std::array<char, kHexDigits>;

bool HexLess(const HexHash& a, const HexHash& b) {
  return std::memcmp(a.data(), b.data(), kHexDigits) < 0;
}

absl::string_view View(const HexHash& h) { return {h.data(), h.size()}; }

// Insertion sort: at most 7 items, and std::sort's unrolled prefix trips
// GCC 12's -Warray-bounds on arrays this small.
template <typename T, typename Less>
void SortSmall(T* items, int count, Less less) {
  for (int i = 1; i < count; ++i) {
    T item = items[i];
    int j = i;
    for (; j > 0 && less(item, items[j - 1]); --j) items[j] = items[j - 1];
    items[j] = item;
  }
}

// ---------------------------------------------------------------------------
// Reachability on successor bitmasks (any vertex order).

uint32_t ReachableFromInput(const Cell& cell) {
  uint32_t reached = 1;
  uint32_t previous;
  do {
    previous = reached;
    for (int v = 0; v < cell.num_vertices; ++v) {
      if ((reached >> v) & 1) reached |= cell.successors[v];
    }
    reached &= AllVertices(cell.num_vertices);
  } while (reached != previous);
  return reached;
}

uint32_t ReachingOutput(const Cell& cell) {
  uint32_t reaching = 1u << (cell.num_vertices - 1);
  uint32_t previous;
  do {
    previous = reaching;
    for (int v = 0; v < cell.num_vertices; ++v) {
      if (cell.successors[v] & reaching) reaching |= 1u << v;
    }
  } while (reaching != previous);
  return reaching;
}

absl::Status OutputUnreachable(const Cell& cell) {
  return absl::InvalidArgumentError(absl::StrCat(
      "output (vertex ", cell.num_vertices - 1,
      ") is not reachable from input (vertex 0): no input-to-output path"));
}

// ---------------------------------------------------------------------------
// Enumeration tables: for n vertices, every reordering of the interior
// vertices, as a map of edge bits. Identity first.

struct Reordering {
  std::array<uint8_t, kMaxVertices> position;  // old vertex -> new position
  uint32_t backward_bits;  // edge bits this reordering would turn downwards
  std::array<uint8_t, kMaxPairs> new_bit;  // old edge bit -> new edge bit
};

std::vector<Reordering> Reorderings(int n) {
  std::vector<Reordering> result;
  std::array<uint8_t, kMaxVertices> position{};
  for (int v = 0; v < n; ++v) position[v] = static_cast<uint8_t>(v);
  do {
    Reordering r{};
    r.position = position;
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const int bit = PairIndex(n, i, j);
        if (position[i] > position[j]) {
          r.backward_bits |= 1u << bit;
        } else {
          r.new_bit[bit] =
              static_cast<uint8_t>(PairIndex(n, position[i], position[j]));
        }
      }
    }
    result.push_back(r);
  } while (std::next_permutation(position.begin() + 1,
                                 position.begin() + n - 1));
  return result;
}

// Labels of the interior vertices as a number comparing vertex 1 first,
// after moving vertex v to position[v].
uint32_t LabelKey(const std::array<uint8_t, kMaxVertices>& ops,
                  const std::array<uint8_t, kMaxVertices>& position, int n) {
  uint32_t key = 0;
  for (int v = 1; v < n - 1; ++v) {
    key |= static_cast<uint32_t>(ops[v]) << (2 * (n - 2 - position[v]));
  }
  return key;
}

}  // namespace

// ---------------------------------------------------------------------------
// Cell

void Cell::SetEdge(int from, int to, bool present) {
  if (present) {
    successors[from] |= static_cast<uint8_t>(1u << to);
  } else {
    successors[from] &= static_cast<uint8_t>(~(1u << to));
  }
}

int Cell::NumEdges() const {
  int edges = 0;
  for (int v = 0; v < num_vertices; ++v) edges += absl::popcount(successors[v]);
  return edges;
}

int Cell::Label(int vertex) const {
  if (vertex == 0) return kInputLabel;
  if (vertex == num_vertices - 1) return kOutputLabel;
  return ops[vertex];
}

bool operator==(const Cell& a, const Cell& b) {
  if (a.num_vertices != b.num_vertices) return false;
  for (int v = 0; v < a.num_vertices; ++v) {
    if (a.successors[v] != b.successors[v]) return false;
    if (a.Label(v) != b.Label(v)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Pruning and canonical form

absl::StatusOr<Cell> Prune(const Cell& cell) {
  const int n = cell.num_vertices;
  const uint32_t from_input = ReachableFromInput(cell);
  if (((from_input >> (n - 1)) & 1) == 0) return OutputUnreachable(cell);
  const uint32_t keep = from_input & ReachingOutput(cell);
  if (keep == AllVertices(n)) {
    Cell same = cell;
    for (int v = 0; v < n; ++v) same.successors[v] &= AllVertices(n);
    return same;
  }
  std::array<int, kMaxVertices> new_index{};
  int kept = 0;
  for (int v = 0; v < n; ++v) {
    if ((keep >> v) & 1) new_index[v] = kept++;
  }
  Cell pruned;
  pruned.num_vertices = kept;
  for (int v = 0; v < n; ++v) {
    if (((keep >> v) & 1) == 0) continue;
    if (v != 0 && v != n - 1) pruned.ops[new_index[v]] = cell.ops[v];
    for (int w = 0; w < n; ++w) {
      if (cell.HasEdge(v, w) && ((keep >> w) & 1)) {
        pruned.SetEdge(new_index[v], new_index[w], true);
      }
    }
  }
  return pruned;
}

absl::Status CheckPruned(const Cell& cell) {
  const int n = cell.num_vertices;
  const uint32_t from_input = ReachableFromInput(cell);
  if (((from_input >> (n - 1)) & 1) == 0) return OutputUnreachable(cell);
  const uint32_t keep = from_input & ReachingOutput(cell);
  for (int v = 0; v < n; ++v) {
    if (((keep >> v) & 1) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("vertex ", v, " is not on any input-to-output path"));
    }
  }
  return absl::OkStatus();
}

Cell Canonical(const Cell& pruned) {
  const int n = pruned.num_vertices;
  std::array<uint8_t, kMaxVertices> position{};
  for (int v = 0; v < n; ++v) position[v] = static_cast<uint8_t>(v);
  uint64_t best_key = UINT64_MAX;
  std::array<uint8_t, kMaxVertices> best_position{};
  do {
    uint64_t mask = 0;
    bool upper_triangular = true;
    for (int v = 0; v < n && upper_triangular; ++v) {
      for (uint32_t rest = pruned.successors[v]; rest != 0; rest &= rest - 1) {
        const int w = absl::countr_zero(rest);
        if (position[v] >= position[w]) {
          upper_triangular = false;
          break;
        }
        mask |= uint64_t{1} << PairIndex(n, position[v], position[w]);
      }
    }
    if (!upper_triangular) continue;
    // Edge bits dominate; 10 bits hold the labels of up to 5 interior vertices.
    const uint64_t key = (mask << 10) | LabelKey(pruned.ops, position, n);
    if (key < best_key) {
      best_key = key;
      best_position = position;
    }
  } while (std::next_permutation(position.begin() + 1,
                                 position.begin() + n - 1));
  if (best_key == UINT64_MAX)
    InternalError("nasbench101", "Canonical() needs an acyclic cell");

  Cell canonical;
  canonical.num_vertices = n;
  for (int v = 0; v < n; ++v) {
    if (v != 0 && v != n - 1) canonical.ops[best_position[v]] = pruned.ops[v];
    for (uint32_t rest = pruned.successors[v]; rest != 0; rest &= rest - 1) {
      canonical.SetEdge(best_position[v], best_position[absl::countr_zero(rest)],
                        true);
    }
  }
  return canonical;
}

// ---------------------------------------------------------------------------
// Module hash

std::string ModuleHash(const Cell& cell) {
  const int n = cell.num_vertices;
  Md5Hex md5;
  std::array<int, kMaxVertices> in_degree{};
  for (int v = 0; v < n; ++v) {
    for (int w = 0; w < n; ++w) in_degree[w] += cell.HasEdge(v, w);
  }
  std::array<HexHash, kMaxVertices> hashes;
  std::string text;
  text.reserve(2 * kMaxVertices * kHexDigits + 2 * kMaxVertices + 8);
  for (int v = 0; v < n; ++v) {
    // Python's str() of the tuple (out_degree, in_degree, label).
    text = absl::StrCat("(", absl::popcount(cell.successors[v]), ", ",
                        in_degree[v], ", ", cell.Label(v), ")");
    md5.Digest(text, hashes[v].data());
  }
  std::array<HexHash, kMaxVertices> next;
  std::array<int, kMaxVertices> neighbours;
  for (int round = 0; round < n; ++round) {
    for (int v = 0; v < n; ++v) {
      text.clear();
      for (bool incoming : {true, false}) {
        int count = 0;
        for (int w = 0; w < n; ++w) {
          if (incoming ? cell.HasEdge(w, v) : cell.HasEdge(v, w)) {
            neighbours[count++] = w;
          }
        }
        SortSmall(neighbours.data(), count, [&](int a, int b) {
          return HexLess(hashes[a], hashes[b]);
        });
        for (int i = 0; i < count; ++i) {
          text.append(hashes[neighbours[i]].data(), kHexDigits);
        }
        text.push_back('|');
      }
      text.append(hashes[v].data(), kHexDigits);
      md5.Digest(text, next[v].data());
    }
    hashes = next;
  }
  SortSmall(hashes.data(), n, HexLess);
  // Python's str() of a list of str: ['…', '…'].
  text = "[";
  for (int v = 0; v < n; ++v) {
    if (v > 0) text += ", ";
    absl::StrAppend(&text, "'", View(hashes[v]), "'");
  }
  text += "]";
  HexHash fingerprint;
  md5.Digest(text, fingerprint.data());
  return std::string(View(fingerprint));
}

absl::StatusOr<uint64_t> ModuleHashPrefix(absl::string_view module_hash) {
  if (module_hash.size() < 16) {
    return absl::InvalidArgumentError(absl::StrCat(
        "module hash '", module_hash, "' is shorter than 16 hex digits"));
  }
  uint64_t value = 0;
  for (int i = 0; i < 16; ++i) {
    const char c = module_hash[i];
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("module hash '", module_hash, "': character ", i + 1,
                       " '", std::string(1, c), "' is not a hex digit"));
    }
    value = (value << 4) | static_cast<uint64_t>(digit);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Text form

std::string CellToString(const Cell& cell) {
  const int n = cell.num_vertices;
  std::string text = "adj=";
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) text.push_back(cell.HasEdge(i, j) ? '1' : '0');
  }
  text += " ops=";
  for (int v = 0; v < n; ++v) {
    if (v > 0) text.push_back('|');
    if (v == 0) {
      absl::StrAppend(&text, kInputName);
    } else if (v == n - 1) {
      absl::StrAppend(&text, kOutputName);
    } else {
      absl::StrAppend(&text, kOpNames[cell.ops[v]]);
    }
  }
  return text;
}

absl::StatusOr<Cell> ParseCell(absl::string_view text) {
  const std::vector<absl::string_view> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(text), ' ', absl::SkipEmpty());
  if (parts.size() != 2 || !absl::StartsWith(parts[0], "adj=") ||
      !absl::StartsWith(parts[1], "ops=")) {
    return absl::InvalidArgumentError(
        "expected 'adj=<0/1 matrix, row-major> ops=<vertex names joined by "
        "|>', e.g. 'adj=011001000 ops=input|conv3x3-bn-relu|output'");
  }
  const absl::string_view adj = parts[0].substr(4);
  const absl::string_view ops_text = parts[1].substr(4);
  int n = 0;
  while ((n + 1) * (n + 1) <= static_cast<int>(adj.size())) ++n;
  if (n * n != static_cast<int>(adj.size()) || n < 2 || n > kMaxVertices) {
    return absl::InvalidArgumentError(absl::StrCat(
        "adj has ", adj.size(),
        " digits; an n-vertex matrix has n*n, n from 2 to ", kMaxVertices));
  }
  const std::vector<absl::string_view> names = absl::StrSplit(ops_text, '|');
  if (static_cast<int>(names.size()) != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("ops names ", names.size(), " vertices but adj is ", n,
                     "x", n));
  }
  Cell cell;
  cell.num_vertices = n;
  for (int v = 0; v < n; ++v) {
    const absl::string_view name = names[v];
    if (v == 0 || v == n - 1) {
      const absl::string_view expected = v == 0 ? kInputName : kOutputName;
      if (name != expected) {
        return absl::InvalidArgumentError(
            absl::StrCat("ops[", v, "] is '", name, "'; the ",
                         v == 0 ? "first" : "last", " vertex must be '",
                         expected, "'"));
      }
      continue;
    }
    const auto* found = std::find(kOpNames.begin(), kOpNames.end(), name);
    if (found == kOpNames.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ops[", v, "] is '", name, "'; interior vertices take one of ",
          absl::StrJoin(kOpNames, ", ")));
    }
    cell.ops[v] = static_cast<uint8_t>(found - kOpNames.begin());
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const char digit = adj[i * n + j];
      if (digit != '0' && digit != '1') {
        return absl::InvalidArgumentError(absl::StrCat(
            "adj digit ", i * n + j + 1, " (row ", i, ", column ", j, ") is '",
            std::string(1, digit), "'; must be 0 or 1"));
      }
      if (digit == '0') continue;
      if (i == j) {
        return absl::InvalidArgumentError(absl::StrCat(
            "edge ", i, "->", j, " is on the diagonal (a self-loop)"));
      }
      if (j < i) {
        return absl::InvalidArgumentError(absl::StrCat(
            "edge ", i, "->", j,
            " is below the diagonal; the matrix must be upper triangular "
            "(edges from lower to higher vertices)"));
      }
      cell.SetEdge(i, j, true);
    }
  }
  return cell;
}

// ---------------------------------------------------------------------------
// Enumeration

void ForEachCanonicalCell(int max_vertices, int max_edges,
                          const std::function<void(const Cell&)>& visit) {
  if (max_vertices > kMaxVertices)
    InternalError("nasbench101", "ForEachCanonicalCell: max_vertices > 7");
  for (int n = 2; n <= max_vertices; ++n) {
    const int num_pairs = NumPairs(n);
    const int interior = n - 2;
    std::array<uint8_t, kMaxPairs> pair_from{}, pair_to{};
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        pair_from[PairIndex(n, i, j)] = static_cast<uint8_t>(i);
        pair_to[PairIndex(n, i, j)] = static_cast<uint8_t>(j);
      }
    }
    const std::vector<Reordering> reorderings = Reorderings(n);
    int num_labellings = 1;
    for (int i = 0; i < interior; ++i) num_labellings *= kNumOps;
    // Every vertex but the output needs an out-edge and every vertex but the
    // input an in-edge: in an upper-triangular matrix that puts each vertex
    // on an input -> output path (nasbench's graph_util.is_full_dag).
    const uint32_t need_out = AllVertices(n) & ~(1u << (n - 1));
    const uint32_t need_in = AllVertices(n) & ~1u;
    std::vector<int> automorphisms;
    Cell cell;
    cell.num_vertices = n;
    for (uint32_t mask = 0; mask < (1u << num_pairs); ++mask) {
      if (absl::popcount(mask) > max_edges) continue;
      uint32_t has_out = 0, has_in = 0;
      for (uint32_t rest = mask; rest != 0; rest &= rest - 1) {
        const int bit = absl::countr_zero(rest);
        has_out |= 1u << pair_from[bit];
        has_in |= 1u << pair_to[bit];
      }
      if ((has_out & need_out) != need_out || (has_in & need_in) != need_in) {
        continue;
      }
      bool smallest = true;
      automorphisms.clear();
      for (size_t r = 1; r < reorderings.size() && smallest; ++r) {
        const Reordering& reordering = reorderings[r];
        if (mask & reordering.backward_bits) continue;
        uint32_t moved = 0;
        for (uint32_t rest = mask; rest != 0; rest &= rest - 1) {
          moved |= 1u << reordering.new_bit[absl::countr_zero(rest)];
        }
        if (moved < mask) smallest = false;
        if (moved == mask) automorphisms.push_back(static_cast<int>(r));
      }
      if (!smallest) continue;

      cell.successors.fill(0);
      for (uint32_t rest = mask; rest != 0; rest &= rest - 1) {
        const int bit = absl::countr_zero(rest);
        cell.SetEdge(pair_from[bit], pair_to[bit], true);
      }
      for (int labelling = 0; labelling < num_labellings; ++labelling) {
        int digits = labelling;
        for (int v = n - 2; v >= 1; --v) {
          cell.ops[v] = static_cast<uint8_t>(digits % kNumOps);
          digits /= kNumOps;
        }
        const uint32_t key = LabelKey(cell.ops, reorderings[0].position, n);
        bool least = true;
        for (int r : automorphisms) {
          if (LabelKey(cell.ops, reorderings[r].position, n) < key) {
            least = false;
            break;
          }
        }
        if (least) visit(cell);
      }
    }
  }
}

int64_t CountCells(int max_vertices, int max_edges) {
  int64_t count = 0;
  ForEachCanonicalCell(max_vertices, max_edges, [&count](const Cell&) { ++count; });
  return count;
}

namespace {

// The gene layout of nasbench101.h for a frame of `frame_vertices` vertices.
Architecture CellGenes(const Cell& cell, int frame_vertices) {
  const int n = cell.num_vertices;
  if (n > frame_vertices)
    InternalError("nasbench101", "cell has more vertices than the gene frame");
  const int num_pairs = NumPairs(frame_vertices);
  Architecture arch(num_pairs + frame_vertices - 2);
  auto frame_vertex = [&](int v) { return v == n - 1 ? frame_vertices - 1 : v; };
  for (int v = 0; v < n; ++v) {
    for (uint32_t rest = cell.successors[v]; rest != 0; rest &= rest - 1) {
      const int w = absl::countr_zero(rest);
      if (w <= v)
        InternalError("nasbench101",
                      "gene layout needs an upper-triangular cell");
      arch[PairIndex(frame_vertices, frame_vertex(v), frame_vertex(w))] = 1;
    }
  }
  for (int v = 1; v < n - 1; ++v) arch[num_pairs + v - 1] = cell.ops[v];
  return arch;
}

}  // namespace

std::vector<Architecture> EnumerateAll(int max_vertices, int max_edges) {
  std::vector<Architecture> all;
  ForEachCanonicalCell(max_vertices, max_edges, [&](const Cell& cell) {
    all.push_back(CellGenes(cell, max_vertices));
  });
  return all;
}

}  // namespace nasbench101

// ---------------------------------------------------------------------------
// Nasbench101Space

namespace {

using nasbench101::Cell;

absl::StatusOr<std::unique_ptr<SearchSpace>> MakeSpace(
    const google::protobuf::Message* params) {
  auto space = Nasbench101Space::New(
      params ? static_cast<const Nasbench101SpaceParams&>(*params)
             : Nasbench101SpaceParams::default_instance());
  if (!space.ok()) return space.status();
  return std::unique_ptr<SearchSpace>(std::move(*space));
}

NAS_REGISTER_SEARCH_SPACE(
    "nasbench101",
    "NAS-Bench-101 cells: DAGs of up to 7 vertices and 9 edges, 3 ops "
    "(423,624 isomorphism classes); max_vertices 4/5 give EC-NAS-Bench's "
    "sub-spaces",
    &Nasbench101SpaceParams::default_instance(), &MakeSpace);

}  // namespace

absl::StatusOr<std::unique_ptr<Nasbench101Space>> Nasbench101Space::New(
    const Nasbench101SpaceParams& params) {
  if (params.max_vertices() < 2 ||
      params.max_vertices() > nasbench101::kMaxVertices) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nasbench101: max_vertices is ", params.max_vertices(),
        "; set it to 2..7 (vertices per cell, input and output included; "
        "NAS-Bench-101 uses 7)"));
  }
  if (params.max_edges() < 1 || params.max_edges() > nasbench101::kMaxPairs) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nasbench101: max_edges is ", params.max_edges(),
        "; set it to 1..21 (edges per cell after pruning; NAS-Bench-101 "
        "uses 9)"));
  }
  Nasbench101SpaceParams::Neighborhood neighborhood = params.neighborhood();
  if (neighborhood == Nasbench101SpaceParams::NEIGHBORHOOD_DEFAULT) {
    neighborhood = params.max_vertices() == nasbench101::kMaxVertices
                       ? Nasbench101SpaceParams::STUDY
                       : Nasbench101SpaceParams::PRUNED;
  }
  return std::unique_ptr<Nasbench101Space>(new Nasbench101Space(
      params.max_vertices(), params.max_edges(), neighborhood));
}

Nasbench101Space::Nasbench101Space(
    int max_vertices, int max_edges,
    Nasbench101SpaceParams::Neighborhood neighborhood)
    : max_vertices_(max_vertices),
      max_edges_(max_edges),
      num_edge_genes_(nasbench101::NumPairs(max_vertices)),
      neighborhood_(neighborhood),
      size_(nasbench101::CountCells(max_vertices, max_edges)) {
  cardinalities_.assign(num_edge_genes_, 2);
  cardinalities_.insert(cardinalities_.end(), max_vertices_ - 2,
                        nasbench101::kNumOps);
}

Cell Nasbench101Space::RawCell(const Architecture& arch) const {
  Cell cell;
  cell.num_vertices = max_vertices_;
  int gene = 0;
  for (int i = 0; i < max_vertices_; ++i) {
    for (int j = i + 1; j < max_vertices_; ++j) {
      if (arch[gene++]) cell.SetEdge(i, j, true);
    }
  }
  for (int v = 1; v < max_vertices_ - 1; ++v) cell.ops[v] = arch[gene++];
  return cell;
}

Architecture Nasbench101Space::ToArchitecture(const Cell& cell) const {
  return nasbench101::CellGenes(cell, max_vertices_);
}

absl::Status Nasbench101Space::CheckLimits(const Cell& pruned) const {
  if (pruned.num_vertices > max_vertices_) {
    return absl::InvalidArgumentError(absl::StrCat(
        pruned.num_vertices, " vertices after pruning, at most ",
        max_vertices_, " allowed (max_vertices)"));
  }
  const int edges = pruned.NumEdges();
  if (edges > max_edges_) {
    return absl::InvalidArgumentError(
        absl::StrCat(edges, " edges, at most ", max_edges_,
                     " allowed (max_edges; counted after pruning)"));
  }
  return absl::OkStatus();
}

absl::Status Nasbench101Space::Validate(const Architecture& arch) const {
  const int expected = num_edge_genes_ + max_vertices_ - 2;
  if (arch.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nasbench101: architecture has ", arch.size(), " genes; with "
        "max_vertices ", max_vertices_, " it has ", expected, " (",
        num_edge_genes_, " edge bits, then ", max_vertices_ - 2, " ops)"));
  }
  int gene = 0;
  for (int i = 0; i < max_vertices_; ++i) {
    for (int j = i + 1; j < max_vertices_; ++j, ++gene) {
      if (arch[gene] > 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "nasbench101: gene ", gene, " (edge ", i, "->", j, ") is ",
            arch[gene], "; edge genes are 0 or 1"));
      }
    }
  }
  for (int v = 1; v < max_vertices_ - 1; ++v, ++gene) {
    if (arch[gene] >= nasbench101::kNumOps) {
      return absl::InvalidArgumentError(absl::StrCat(
          "nasbench101: gene ", gene, " (op of vertex ", v, ") is ",
          arch[gene], "; op genes are 0 (conv3x3-bn-relu), 1 "
          "(conv1x1-bn-relu) or 2 (maxpool3x3)"));
    }
  }
  absl::StatusOr<Cell> pruned = nasbench101::Prune(RawCell(arch));
  absl::Status status =
      pruned.ok() ? CheckLimits(*pruned) : pruned.status();
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("nasbench101: ", status.message()));
  }
  return absl::OkStatus();
}

Cell Nasbench101Space::PrunedCell(const Architecture& arch) const {
  absl::StatusOr<Cell> pruned = nasbench101::Prune(RawCell(arch));
  if (!pruned.ok()) {
    std::fprintf(stderr, "nasbench101: invalid architecture %s: %s\n",
                 arch.DebugString().c_str(),
                 std::string(pruned.status().message()).c_str());
    std::abort();
  }
  return *pruned;
}

Architecture Nasbench101Space::Canonicalize(const Architecture& arch) const {
  if (neighborhood_ == Nasbench101SpaceParams::STUDY) return arch;
  return ToArchitecture(nasbench101::Canonical(PrunedCell(arch)));
}

std::string Nasbench101Space::ModuleHash(const Architecture& arch) const {
  return nasbench101::ModuleHash(PrunedCell(arch));
}

uint64_t Nasbench101Space::Hash(const Architecture& arch) const {
  // A module hash is always 32 hex digits, so the prefix cannot fail.
  return *nasbench101::ModuleHashPrefix(ModuleHash(arch));
}

Architecture Nasbench101Space::Sample(Rng& rng) const {
  Architecture arch(num_edge_genes_ + max_vertices_ - 2);
  while (true) {
    for (int gene = 0; gene < num_edge_genes_; ++gene) {
      arch[gene] = static_cast<uint8_t>(rng.UniformInt(2));
    }
    for (int v = 1; v < max_vertices_ - 1; ++v) {
      arch[num_edge_genes_ + v - 1] =
          static_cast<uint8_t>(rng.UniformInt(nasbench101::kNumOps));
    }
    absl::StatusOr<Cell> pruned = nasbench101::Prune(RawCell(arch));
    if (pruned.ok() && CheckLimits(*pruned).ok()) {
      return neighborhood_ == Nasbench101SpaceParams::STUDY
                 ? arch
                 : ToArchitecture(nasbench101::Canonical(*pruned));
    }
  }
}

void Nasbench101Space::Neighbors(const Architecture& arch,
                                 std::vector<Architecture>* out) const {
  if (neighborhood_ != Nasbench101SpaceParams::PRUNED) {
    return StudyNeighbors(arch, out);
  }
  out->clear();
  const Cell cell = PrunedCell(arch);
  const Cell self = nasbench101::Canonical(cell);
  const int n = cell.num_vertices;
  std::vector<Cell> found;
  auto consider = [&](const Cell& pruned) {
    const Cell canonical = nasbench101::Canonical(pruned);
    if (canonical == self) return;
    if (std::find(found.begin(), found.end(), canonical) != found.end()) return;
    found.push_back(canonical);
  };

  for (int v = 1; v < n - 1; ++v) {
    for (int op = 0; op < nasbench101::kNumOps; ++op) {
      if (op == cell.ops[v]) continue;
      Cell changed = cell;
      changed.ops[v] = static_cast<uint8_t>(op);
      consider(changed);
    }
  }

  for (int from = 0; from < n; ++from) {
    for (int to = 0; to < n; ++to) {
      if (!cell.HasEdge(from, to)) continue;
      Cell removed = cell;
      removed.SetEdge(from, to, false);
      absl::StatusOr<Cell> pruned = nasbench101::Prune(removed);
      if (pruned.ok()) consider(*pruned);
    }
  }

  if (cell.NumEdges() < max_edges_) {
    // reaches[v]: the vertices reachable from v; u -> v closes a cycle
    // exactly when u is among them.
    std::array<uint32_t, nasbench101::kMaxVertices> reaches{};
    bool changed;
    do {
      changed = false;
      for (int v = 0; v < n; ++v) {
        uint32_t next = cell.successors[v];
        for (uint32_t rest = cell.successors[v]; rest != 0; rest &= rest - 1) {
          next |= reaches[absl::countr_zero(rest)];
        }
        if (next != reaches[v]) {
          reaches[v] = next;
          changed = true;
        }
      }
    } while (changed);
    for (int from = 0; from < n - 1; ++from) {
      for (int to = 1; to < n; ++to) {
        if (from == to || cell.HasEdge(from, to)) continue;
        if ((reaches[to] >> from) & 1) continue;
        Cell added = cell;
        added.SetEdge(from, to, true);
        consider(added);
      }
    }
  }

  out->reserve(found.size());
  for (const Cell& c : found) out->push_back(ToArchitecture(c));
}

std::string Nasbench101Space::ToString(const Architecture& arch) const {
  if (neighborhood_ == Nasbench101SpaceParams::STUDY) {
    return nasbench101::CellToString(RawCell(arch));
  }
  return nasbench101::CellToString(nasbench101::Canonical(PrunedCell(arch)));
}

absl::StatusOr<Architecture> Nasbench101Space::Parse(
    absl::string_view text) const {
  auto fail = [text](const absl::Status& status) {
    return absl::InvalidArgumentError(absl::StrCat(
        "nasbench101 architecture '", text, "': ", status.message()));
  };
  absl::StatusOr<Cell> cell = nasbench101::ParseCell(text);
  if (!cell.ok()) return fail(cell.status());
  absl::StatusOr<Cell> pruned = nasbench101::Prune(*cell);
  if (!pruned.ok()) return fail(pruned.status());
  if (absl::Status status = CheckLimits(*pruned); !status.ok()) {
    return fail(status);
  }
  // A study state is the spec as written, when it fits the gene frame.
  if (neighborhood_ == Nasbench101SpaceParams::STUDY &&
      cell->num_vertices <= max_vertices_) {
    return ToArchitecture(*cell);
  }
  return ToArchitecture(nasbench101::Canonical(*pruned));
}

}  // namespace nas
