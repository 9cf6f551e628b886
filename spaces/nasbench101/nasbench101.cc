#include "spaces/nasbench101/nasbench101.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
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

using HexHash = std::array<char, kHexDigits>;

// memcmp order, eight bytes at a time read big-endian (memcmp itself is a
// library call here, and the module hash sorts hashes 7 to 49 times a cell;
// the host is little-endian, see the MD5 below).
bool HexLess(const HexHash& a, const HexHash& b) {
  for (int i = 0; i < kHexDigits; i += 8) {
    uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return __builtin_bswap64(x) < __builtin_bswap64(y);
  }
  return false;
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
// MD5 (RFC 1321) as lowercase hex (hashlib's hexdigest()), many messages at
// a time: the module hash digests 57 short strings per 7-vertex cell, and
// one message's MD5 is a chain of dependent steps that leaves most of a core
// idle. The lanes of a vector (GCC's vector extension) run independent
// messages together: 16 lanes where the processor has AVX-512 (checked at
// run time), else 4 (SSE2, which every x86-64 has).

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the MD5 below reads message words in the host's (little-endian) order"
#endif

// K[i] = floor(2^32 |sin(i + 1)|), the RFC's table (double precision gives
// every entry exactly; the module-hash tests against published hashes would
// catch a wrong one).
const std::array<uint32_t, 64>& Md5Constants() {
  static const std::array<uint32_t, 64> table = [] {
    std::array<uint32_t, 64> k{};
    for (int i = 0; i < 64; ++i) {
      k[i] = static_cast<uint32_t>(
          std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
    }
    return k;
  }();
  return table;
}

// The two lowercase hex digits of each byte value.
const std::array<std::array<char, 2>, 256>& HexPairs() {
  static const std::array<std::array<char, 2>, 256> table = [] {
    static constexpr char kHex[] = "0123456789abcdef";
    std::array<std::array<char, 2>, 256> pairs;
    for (int value = 0; value < 256; ++value) {
      pairs[value] = {kHex[value >> 4], kHex[value & 15]};
    }
    return pairs;
  }();
  return table;
}

// One message: `size` bytes at `data`; its 32 hex digits go to `hex`.
struct Md5Job {
  const char* data;
  int size;
  char* hex;
};

// The longest message here is the final list of 7 hashes (252 bytes).
constexpr int kMaxMd5Blocks = 5;

int Md5Blocks(int size) { return (size + 8) / 64 + 1; }

// (GCC ignores a vector_size that depends on a template parameter.)
template <int kLanes>
struct Md5Lanes;
template <>
struct Md5Lanes<4> {
  typedef uint32_t Vector __attribute__((vector_size(16)));
};
template <>
struct Md5Lanes<16> {
  typedef uint32_t Vector __attribute__((vector_size(64)));
};

// The 64 steps on one block per lane (m: the block's 16 words), added into
// `state` (a, b, c, d). The roles of a..d rotate every step; after full
// unrolling they are plain registers. Inlined into each lane width's
// entry point, which is compiled for its instruction set.
template <typename Vector>
inline __attribute__((always_inline)) void Md5Compress(const Vector* m,
                                                       const uint32_t* k,
                                                       Vector* state) {
  static constexpr int kShift[4][4] = {
      {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
  Vector v[4] = {state[0], state[1], state[2], state[3]};
#pragma GCC unroll 64
  for (int i = 0; i < 64; ++i) {
    Vector& a = v[(4 - i % 4) % 4];
    const Vector b = v[(5 - i % 4) % 4], c = v[(6 - i % 4) % 4],
                 d = v[(7 - i % 4) % 4];
    Vector f;
    int g;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) % 16;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) % 16;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) % 16;
    }
    const Vector sum = a + f + m[g] + k[i];
    const int shift = kShift[i / 16][i % 4];
    a = b + ((sum << shift) | (sum >> (32 - shift)));
  }
  for (int j = 0; j < 4; ++j) state[j] += v[j];
}

// Digests jobs[0, lanes), lanes <= kLanes, one per lane. A lane whose
// message has ended (or that has none) computes on lane 0's words, which
// has the most blocks, and keeps its digest.
template <int kLanes>
inline __attribute__((always_inline)) void Md5Group(const Md5Job* jobs,
                                                    int lanes) {
  using Vector = typename Md5Lanes<kLanes>::Vector;
  // Each lane's message, the 0x80 marker, zeros and the length in bits
  // (little-endian) in its last 8 bytes.
  alignas(64) unsigned char padded[kLanes][kMaxMd5Blocks * 64];
  int blocks[kLanes] = {};
  int most = 0;
  for (int l = 0; l < lanes; ++l) {
    const Md5Job& job = jobs[l];
    blocks[l] = Md5Blocks(job.size);
    if (blocks[l] > kMaxMd5Blocks)
      InternalError("nasbench101", "MD5 message longer than expected");
    std::memcpy(padded[l], job.data, job.size);
    std::memset(padded[l] + job.size, 0, blocks[l] * 64 - job.size);
    padded[l][job.size] = 0x80;
    const uint64_t bits = static_cast<uint64_t>(job.size) * 8;
    std::memcpy(padded[l] + blocks[l] * 64 - 8, &bits, 8);
    if (blocks[l] > blocks[most]) most = l;
  }
  Vector state[4];
  const uint32_t initial[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (int j = 0; j < 4; ++j) state[j] = Vector{} + initial[j];
  const uint32_t* k = Md5Constants().data();
  for (int block = 0; block < blocks[most]; ++block) {
    // The block's 16 words, lane-interleaved.
    alignas(64) uint32_t words[16][kLanes];
    Vector active;
    for (int l = 0; l < kLanes; ++l) {
      const bool live = l < lanes && block < blocks[l];
      const unsigned char* p = padded[live ? l : most] + block * 64;
      for (int w = 0; w < 16; ++w) std::memcpy(&words[w][l], p + 4 * w, 4);
      active[l] = live ? ~0u : 0u;
    }
    Vector m[16];
    std::memcpy(m, words, sizeof m);
    Vector next[4] = {state[0], state[1], state[2], state[3]};
    Md5Compress(m, k, next);
    for (int j = 0; j < 4; ++j) {
      state[j] = (next[j] & active) | (state[j] & ~active);
    }
  }
  // The digest is the state's bytes in memory order, two hex digits each.
  alignas(64) uint32_t digests[4][kLanes];
  std::memcpy(digests, state, sizeof digests);
  const std::array<std::array<char, 2>, 256>& hex_pairs = HexPairs();
  for (int l = 0; l < lanes; ++l) {
    char* out = jobs[l].hex;
    for (int w = 0; w < 4; ++w) {
      for (int byte = 0; byte < 4; ++byte, out += 2) {
        std::memcpy(out, hex_pairs[(digests[w][l] >> (8 * byte)) & 0xff].data(),
                    2);
      }
    }
  }
}

void Md5Group4(const Md5Job* jobs, int lanes) { Md5Group<4>(jobs, lanes); }

#if defined(__x86_64__)
__attribute__((target("avx512f"))) void Md5Group16(const Md5Job* jobs,
                                                   int lanes) {
  Md5Group<16>(jobs, lanes);
}

bool HasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}
#endif

// Writes the hex MD5 of every job. Reorders `jobs`: most blocks first, so
// that the messages sharing a vector end together (a lane idles once its
// message has ended).
void Md5Hex(absl::Span<Md5Job> jobs) {
  // A counting sort by block count (std::sort cost more than the sorting is
  // worth here).
  constexpr size_t kMaxJobs = 256;
  for (size_t chunk = 0; chunk < jobs.size(); chunk += kMaxJobs) {
    const absl::Span<Md5Job> part = jobs.subspan(chunk, kMaxJobs);
    std::array<Md5Job, kMaxJobs> sorted;
    size_t count = 0;
    for (int blocks = kMaxMd5Blocks; blocks >= 1; --blocks) {
      for (const Md5Job& job : part) {
        if (Md5Blocks(job.size) == blocks) sorted[count++] = job;
      }
    }
    if (count != part.size())
      InternalError("nasbench101", "MD5 message longer than expected");
    std::copy(sorted.begin(), sorted.begin() + count, part.begin());
  }
  size_t first = 0;
#if defined(__x86_64__)
  if (HasAvx512()) {
    // Fewer than 16 left: four-lane vectors waste less.
    while (jobs.size() - first > 4) {
      const size_t lanes = std::min<size_t>(16, jobs.size() - first);
      Md5Group16(&jobs[first], static_cast<int>(lanes));
      first += lanes;
    }
  }
#endif
  for (; first < jobs.size(); first += 4) {
    Md5Group4(&jobs[first],
              static_cast<int>(std::min<size_t>(4, jobs.size() - first)));
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

namespace {

// Where Canonical() moves each vertex, and the key it minimised: (edge
// bitmask, labels), with the vertex count above them, so that equal
// identities are equal canonical cells.
struct CanonicalOrder {
  std::array<uint8_t, kMaxVertices> position;
  uint64_t identity;
};

CanonicalOrder FindCanonicalOrder(const Cell& pruned) {
  // The representative minimises (edge bitmask, labels) over the vertex
  // orders that keep every edge pointing upwards. Row p of the matrix holds
  // higher bits than every row above it, so the orders are built from the
  // bottom: position n-2, then n-3, ..., each filled by a vertex whose
  // successors all sit below it. Among those, only the ones giving the
  // smallest row can lead to the smallest bitmask (any partial order of an
  // acyclic cell can be completed), so only ties branch; the labels decide
  // between the orders that reach the smallest bitmask. The same minimum
  // as trying all (n-2)! reorderings, at a fraction of the cost.
  const int n = pruned.num_vertices;
  const uint32_t all = AllVertices(n);
  std::array<uint32_t, kMaxVertices> successors{}, predecessors{};
  for (int v = 0; v < n; ++v) {
    successors[v] = pruned.successors[v] & all;
    for (uint32_t rest = successors[v]; rest != 0; rest &= rest - 1) {
      predecessors[absl::countr_zero(rest)] |= 1u << v;
    }
  }
  std::array<uint8_t, kMaxVertices> position{};
  CanonicalOrder best{{}, UINT64_MAX};
  // below[v]: the positions of v's successors placed so far, as bits. Once
  // all are placed, v's row at position p is below[v] shifted into row p's
  // bits (edge (p, q) is bit PairIndex(n, p, p + 1) + q - p - 1), so rows
  // at one position compare as their below[] values.
  using Below = std::array<uint8_t, kMaxVertices>;
  auto row_at = [n](uint32_t below, int p) {
    return static_cast<uint64_t>(below >> (p + 1)) << PairIndex(n, p, p + 1);
  };
  // Fills positions p, p-1, ..., 1; `placed` holds the vertices below p and
  // `mask` the bits of their rows.
  auto place = [&](auto& self, int p, uint32_t placed, uint64_t mask,
                   const Below& below) -> void {
    if (p == 0) {
      if ((successors[0] & ~placed) != 0) return;
      // Edge bits dominate; 10 bits hold the labels of up to 5 interior
      // vertices.
      const uint64_t key = ((mask | row_at(below[0], 0)) << 10) |
                           LabelKey(pruned.ops, position, n);
      if (key < best.identity) {
        best.identity = key;
        best.position = position;
      }
      return;
    }
    uint32_t smallest = UINT32_MAX;
    uint32_t ties = 0;
    for (uint32_t rest = all & ~placed & ~1u; rest != 0; rest &= rest - 1) {
      const int v = absl::countr_zero(rest);
      if ((successors[v] & ~placed) != 0) continue;
      if (below[v] < smallest) {
        smallest = below[v];
        ties = 0;
      }
      if (below[v] == smallest) ties |= 1u << v;
    }
    const uint64_t row = row_at(smallest, p);
    for (uint32_t rest = ties; rest != 0; rest &= rest - 1) {
      const int v = absl::countr_zero(rest);
      position[v] = static_cast<uint8_t>(p);
      Below next = below;
      for (uint32_t from = predecessors[v]; from != 0; from &= from - 1) {
        next[absl::countr_zero(from)] |= static_cast<uint8_t>(1u << p);
      }
      self(self, p - 1, placed | (1u << v), mask | row, next);
    }
  };
  if (successors[n - 1] == 0) {
    position[n - 1] = static_cast<uint8_t>(n - 1);
    Below below{};
    for (uint32_t from = predecessors[n - 1]; from != 0; from &= from - 1) {
      below[absl::countr_zero(from)] |= static_cast<uint8_t>(1u << (n - 1));
    }
    place(place, n - 2, 1u << (n - 1), 0, below);
  }
  if (best.identity == UINT64_MAX)
    InternalError("nasbench101", "Canonical() needs an acyclic cell");
  // The key fits 31 bits (21 edge bits, 10 label bits).
  best.identity |= static_cast<uint64_t>(n) << 32;
  return best;
}

// `cell` with vertex v moved to position[v].
Cell Reordered(const Cell& cell,
               const std::array<uint8_t, kMaxVertices>& position) {
  const int n = cell.num_vertices;
  Cell moved;
  moved.num_vertices = n;
  for (int v = 0; v < n; ++v) {
    if (v != 0 && v != n - 1) moved.ops[position[v]] = cell.ops[v];
    for (uint32_t rest = cell.successors[v] & AllVertices(n); rest != 0;
         rest &= rest - 1) {
      moved.SetEdge(position[v], position[absl::countr_zero(rest)], true);
    }
  }
  return moved;
}

}  // namespace

Cell Canonical(const Cell& pruned) {
  return Reordered(pruned, FindCanonicalOrder(pruned).position);
}

// ---------------------------------------------------------------------------
// Module hash

namespace {

// A vertex's round text: up to 6 neighbours' hashes, two '|', its own.
constexpr int kMaxRoundText = (kMaxVertices - 1) * kHexDigits + 2 + kHexDigits;
// The final text, Python's str() of the sorted hashes: "['…', '…']".
constexpr int kMaxListText = kMaxVertices * (kHexDigits + 4);
constexpr int kNumLabels = kNumOps - kOutputLabel;  // -2 .. kNumOps - 1

// The hash every vertex starts from, md5(str((out_degree, in_degree,
// label))): the same for every cell, so the 245 of them are digested once.
const HexHash& InitialHash(int out_degree, int in_degree, int label) {
  static const auto* table = [] {
    constexpr int kEntries = kMaxVertices * kMaxVertices * kNumLabels;
    auto* hashes = new std::array<HexHash, kEntries>;
    std::vector<std::string> texts;
    std::vector<Md5Job> jobs;
    texts.reserve(kEntries);
    for (int out = 0; out < kMaxVertices; ++out) {
      for (int in = 0; in < kMaxVertices; ++in) {
        for (int l = kOutputLabel; l < kNumOps; ++l) {
          texts.push_back(absl::StrCat("(", out, ", ", in, ", ", l, ")"));
          jobs.push_back({texts.back().data(),
                          static_cast<int>(texts.back().size()),
                          (*hashes)[jobs.size()].data()});
        }
      }
    }
    Md5Hex(absl::MakeSpan(jobs));
    return hashes;
  }();
  return (*table)[(out_degree * kMaxVertices + in_degree) * kNumLabels + label -
                  kOutputLabel];
}

// Cells whose digests of a round share the vector lanes: enough for several
// full vectors of messages of equal length.
constexpr int kCellGroup = 16;

// ModuleHash() of cells[0, count), count <= kCellGroup, into fingerprints.
// Round r of every cell that still has one is digested in one batch.
void ModuleHashes(const Cell* cells, int count, HexHash* fingerprints) {
  struct Hashing {
    int n;
    std::array<std::array<int, kMaxVertices>, kMaxVertices> in, out;
    std::array<int, kMaxVertices> in_count, out_count;
    std::array<HexHash, kMaxVertices> hashes, next;
    char texts[kMaxVertices][kMaxListText];
  };
  static_assert(kMaxListText >= kMaxRoundText, "texts hold either");
  if (count > kCellGroup)
    InternalError("nasbench101", "too many cells in one module-hash batch");
  std::array<Hashing, kCellGroup> group;
  std::array<Md5Job, kCellGroup * kMaxVertices> jobs;
  int rounds = 0;
  for (int c = 0; c < count; ++c) {
    const Cell& cell = cells[c];
    Hashing& h = group[c];
    h.n = cell.num_vertices;
    rounds = std::max(rounds, h.n);
    h.in_count.fill(0);
    h.out_count.fill(0);
    for (int v = 0; v < h.n; ++v) {
      for (int w = 0; w < h.n; ++w) {
        if (cell.HasEdge(v, w)) {
          h.out[v][h.out_count[v]++] = w;
          h.in[w][h.in_count[w]++] = v;
        }
      }
    }
    for (int v = 0; v < h.n; ++v) {
      h.hashes[v] = InitialHash(absl::popcount(cell.successors[v]),
                                h.in_count[v], cell.Label(v));
    }
  }
  for (int round = 0; round < rounds; ++round) {
    int num_jobs = 0;
    for (int c = 0; c < count; ++c) {
      Hashing& h = group[c];
      if (round >= h.n) continue;
      auto hash_less = [&h](int a, int b) {
        return HexLess(h.hashes[a], h.hashes[b]);
      };
      for (int v = 0; v < h.n; ++v) {
        char* text = h.texts[v];
        char* end = text;
        for (bool incoming : {true, false}) {
          std::array<int, kMaxVertices> neighbours =
              incoming ? h.in[v] : h.out[v];
          const int degree = incoming ? h.in_count[v] : h.out_count[v];
          SortSmall(neighbours.data(), degree, hash_less);
          for (int i = 0; i < degree; ++i, end += kHexDigits) {
            std::memcpy(end, h.hashes[neighbours[i]].data(), kHexDigits);
          }
          *end++ = '|';
        }
        std::memcpy(end, h.hashes[v].data(), kHexDigits);
        end += kHexDigits;
        jobs[num_jobs++] = {text, static_cast<int>(end - text),
                            h.next[v].data()};
      }
    }
    Md5Hex(absl::MakeSpan(jobs.data(), num_jobs));
    for (int c = 0; c < count; ++c) {
      if (round < group[c].n) group[c].hashes = group[c].next;
    }
  }
  for (int c = 0; c < count; ++c) {
    Hashing& h = group[c];
    SortSmall(h.hashes.data(), h.n, HexLess);
    // Python's str() of a list of str: ['…', '…'].
    char* text = h.texts[0];
    char* end = text;
    *end++ = '[';
    for (int v = 0; v < h.n; ++v) {
      if (v > 0) {
        *end++ = ',';
        *end++ = ' ';
      }
      *end++ = '\'';
      std::memcpy(end, h.hashes[v].data(), kHexDigits);
      end += kHexDigits;
      *end++ = '\'';
    }
    *end++ = ']';
    jobs[c] = {text, static_cast<int>(end - text), fingerprints[c].data()};
  }
  Md5Hex(absl::MakeSpan(jobs.data(), count));
}

}  // namespace

std::string ModuleHash(const Cell& cell) {
  HexHash fingerprint;
  ModuleHashes(&cell, 1, &fingerprint);
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

std::vector<std::string> ModuleHashesOfAll(int max_vertices, int max_edges,
                                           int threads) {
  std::vector<Cell> cells;
  ForEachCanonicalCell(max_vertices, max_edges,
                       [&cells](const Cell& cell) { cells.push_back(cell); });
  std::vector<std::string> hashes(cells.size());
  // Threads take blocks of cells from a shared counter (cells grow along
  // the order, so fixed halves would be unequal); each hash goes to its
  // cell's slot, so the output does not depend on who computed it.
  constexpr int64_t kBlock = 1024;
  const int64_t count = static_cast<int64_t>(cells.size());
  std::atomic<int64_t> next_block{0};
  auto work = [&] {
    for (int64_t begin; (begin = kBlock * next_block++) < count;) {
      const int64_t end = std::min(count, begin + kBlock);
      for (int64_t i = begin; i < end; i += kCellGroup) {
        const int group =
            static_cast<int>(std::min<int64_t>(kCellGroup, end - i));
        std::array<HexHash, kCellGroup> digests;
        ModuleHashes(&cells[i], group, digests.data());
        for (int c = 0; c < group; ++c) {
          hashes[i + c] = std::string(View(digests[c]));
        }
      }
    }
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  return hashes;
}

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

NAS_REGISTER_SEARCH_SPACE_CLASS_WITH_PARAMS(
    "nasbench101",
    "NAS-Bench-101 cells: DAGs of up to 7 vertices and 9 edges, 3 ops "
    "(423,624 isomorphism classes); max_vertices 4/5 give EC-NAS-Bench's "
    "sub-spaces",
    Nasbench101Space, Nasbench101SpaceParams);

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

// Moves of a pruned cell: 2 op changes per interior vertex, and per vertex
// pair a removal or additions in up to both directions.
constexpr int kMaxMoves =
    2 * (nasbench101::kMaxVertices - 2) + 2 * nasbench101::kMaxPairs;

void Nasbench101Space::Neighbors(const Architecture& arch,
                                 std::vector<Architecture>* out) const {
  if (neighborhood_ != Nasbench101SpaceParams::PRUNED) {
    return StudyNeighbors(arch, out);
  }
  out->clear();
  const Cell cell = PrunedCell(arch);
  const int n = cell.num_vertices;
  // Canonical cells compared by their identities; a cell is built only for
  // a new one.
  std::array<uint64_t, kMaxMoves + 1> seen;
  seen[0] = nasbench101::FindCanonicalOrder(cell).identity;
  int num_seen = 1;
  auto consider = [&](const Cell& pruned) {
    const nasbench101::CanonicalOrder order =
        nasbench101::FindCanonicalOrder(pruned);
    if (std::find(seen.begin(), seen.begin() + num_seen, order.identity) !=
        seen.begin() + num_seen) {
      return;
    }
    seen[num_seen++] = order.identity;
    out->push_back(
        ToArchitecture(nasbench101::Reordered(pruned, order.position)));
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
