#include "landscape/graph.h"

#include <algorithm>
#include <atomic>
#include <numeric>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

// Gene combinations the generic enumerator will try.
constexpr double kMaxGeneCombinations = 1 << 24;
// Vertices are int32 and every row is materialised.
constexpr double kMaxVertices = 50e6;

double GeneCombinations(const SearchSpace& space) {
  double product = 1;
  for (int c : space.gene_cardinalities()) product *= c;
  return product;
}

std::string SizeText(const SearchSpace& space) {
  const absl::uint128 size = space.Size();
  if (absl::Uint128High64(size) != 0) {
    return absl::StrCat("about ", static_cast<double>(size));
  }
  return absl::StrCat(absl::Uint128Low64(size));
}

// An architecture's genes as one mixed-radix number, gene 0 the most
// significant digit: a bijection on in-range genes that keeps their
// lexicographic order, when the space's gene combinations fit 63 bits
// (NAS-Bench-101: 2^21 * 3^5). Looking up and sorting these codes costs far
// less than hashing, comparing and moving whole Architectures (an
// Architecture-keyed table of NAS-Bench-101 is ~30 MB of random accesses).
class GeneCode {
 public:
  explicit GeneCode(const SearchSpace& space)
      : cards_(space.gene_cardinalities()) {
    absl::uint128 combinations = 1;
    for (int c : cards_) {
      combinations *= static_cast<uint64_t>(std::max(c, 1));
      if (combinations > (absl::uint128(1) << 63)) return;
    }
    usable_ = true;  // Codes are below 2^63: never -1.
  }

  bool usable() const { return usable_; }

  // The code, or -1 for genes of another length or out of range (no
  // architecture of the space has them).
  int64_t Of(const Architecture& arch) const {
    if (arch.size() != static_cast<int>(cards_.size())) return -1;
    uint64_t code = 0;
    for (int g = 0; g < arch.size(); ++g) {
      if (arch[g] >= cards_[g]) return -1;
      code = code * static_cast<uint64_t>(cards_[g]) + arch[g];
    }
    return static_cast<int64_t>(code);
  }

 private:
  absl::Span<const int> cards_;
  bool usable_ = false;
};

// Sorts `all` by genes, through their codes when `code` is usable.
void SortArchitectures(const GeneCode& code, std::vector<Architecture>* all) {
  if (!code.usable()) {
    std::sort(all->begin(), all->end());
    return;
  }
  std::vector<std::pair<int64_t, int32_t>> order(all->size());
  for (size_t i = 0; i < all->size(); ++i) {
    order[i] = {code.Of((*all)[i]), static_cast<int32_t>(i)};
  }
  std::sort(order.begin(), order.end());
  std::vector<Architecture> sorted(all->size());
  for (size_t i = 0; i < order.size(); ++i) sorted[i] = (*all)[order[i].second];
  *all = std::move(sorted);
}

// Sorted canonical architectures of a non-indexable space.
absl::StatusOr<std::vector<Architecture>> Enumerate(const SearchSpace& space,
                                                    const GeneCode& code,
                                                    std::string* numbering) {
  std::vector<Architecture> all;
  if (const SearchSpace::Enumerator enumerate = space.enumerator()) {
    all = enumerate();
    *numbering = "the space's own enumeration";
  } else {
    const absl::Span<const int> cards = space.gene_cardinalities();
    Architecture arch(static_cast<int>(cards.size()));
    while (true) {
      if (space.Validate(arch).ok() && space.Canonicalize(arch) == arch) {
        all.push_back(arch);
      }
      int g = arch.size() - 1;
      while (g >= 0 && arch[g] + 1 == cards[g]) arch[g--] = 0;
      if (g < 0) break;
      ++arch[g];
    }
    *numbering = "gene enumeration";
  }
  SortArchitectures(code, &all);
  if (absl::uint128(all.size()) != space.Size()) {
    return absl::InternalError(absl::StrCat(
        "enumerating space '", space.name(), "' found ", all.size(),
        " architectures but Size() is ", SizeText(space),
        "; the space's enumeration and Size() disagree"));
  }
  return all;
}

}  // namespace

void ParallelFor(int64_t n, int threads,
                 const std::function<void(int64_t, int64_t)>& body) {
  threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, n)));
  if (threads <= 1) {
    body(0, n);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    const int64_t begin = n * t / threads, end = n * (t + 1) / threads;
    pool.emplace_back([&body, begin, end] { body(begin, end); });
  }
  for (std::thread& thread : pool) thread.join();
}

double NeighbourGraph::MeanDegree() const {
  return size() == 0 ? 0 : static_cast<double>(num_edges()) / size();
}

int NeighbourGraph::MinDegree() const {
  int d = size() == 0 ? 0 : Degree(0);
  for (int64_t v = 1; v < size(); ++v) d = std::min(d, Degree(v));
  return d;
}

int NeighbourGraph::MaxDegree() const {
  int d = 0;
  for (int64_t v = 0; v < size(); ++v) d = std::max(d, Degree(v));
  return d;
}

NeighbourGraph NeighbourGraph::Reversed() const {
  const int64_t n = size();
  NeighbourGraph reversed;
  reversed.offsets.assign(n + 1, 0);
  for (int32_t u : targets) ++reversed.offsets[u + 1];
  for (int64_t v = 0; v < n; ++v)
    reversed.offsets[v + 1] += reversed.offsets[v];
  reversed.targets.resize(targets.size());
  std::vector<int64_t> next(reversed.offsets.begin(),
                            reversed.offsets.end() - 1);
  for (int64_t v = 0; v < n; ++v) {
    for (int32_t u : Neighbors(v)) {
      reversed.targets[next[u]++] = static_cast<int32_t>(v);
    }
  }
  return reversed;
}

bool NeighbourGraph::IsSymmetric(const NeighbourGraph* reversed) const {
  // Every row must hold the same vertices as the reversed row (rows are
  // short: sorting each beats sorting the whole edge list).
  NeighbourGraph own;
  if (reversed == nullptr) {
    own = Reversed();
    reversed = &own;
  }
  std::vector<int32_t> forward, backward;
  for (int64_t v = 0; v < size(); ++v) {
    const absl::Span<const int32_t> row = Neighbors(v);
    const absl::Span<const int32_t> reversed_row = reversed->Neighbors(v);
    if (row.size() != reversed_row.size()) return false;
    forward.assign(row.begin(), row.end());
    backward.assign(reversed_row.begin(), reversed_row.end());
    std::sort(forward.begin(), forward.end());
    // The reversed row is in vertex order already.
    if (forward != backward) return false;
  }
  return true;
}

NeighbourGraph GraphFromAdjacency(
    const std::vector<std::vector<int>>& adjacency) {
  NeighbourGraph graph;
  graph.numbering = "hand-made";
  for (const std::vector<int>& row : adjacency) {
    for (int u : row) {
      if (u < 0 || u >= static_cast<int>(adjacency.size())) {
        std::fprintf(stderr, "GraphFromAdjacency: vertex %d out of range\n", u);
        std::abort();
      }
      graph.targets.push_back(u);
    }
    graph.offsets.push_back(static_cast<int64_t>(graph.targets.size()));
  }
  graph.tie_rank.resize(adjacency.size());
  std::iota(graph.tie_rank.begin(), graph.tie_rank.end(), 0);
  return graph;
}

absl::Status CheckEnumerable(const SearchSpace& space) {
  if (space.IsIndexable()) {
    if (static_cast<double>(space.Size()) > kMaxVertices) {
      return absl::FailedPreconditionError(absl::StrCat(
          "space '", space.name(), "' is indexable but has ", SizeText(space),
          " architectures, more than the exact analysis holds in memory (",
          kMaxVertices, ")"));
    }
    return absl::OkStatus();
  }
  if (space.enumerator() != nullptr) return absl::OkStatus();
  if (GeneCombinations(space) <= kMaxGeneCombinations) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "space '", space.name(), "' has ", SizeText(space),
      " architectures and is neither indexable nor enumerable, so its local "
      "minima, basins and epsilon-curve cannot be computed exactly. What is "
      "possible instead (and what the landscape command does for it): "
      "sampled statistics -- simulated local-search climbs from random "
      "starts, the fraction of sampled architectures that are local minima, "
      "random-walk autocorrelation, densities fitted to sampled losses and "
      "neighbour pairs, and the theory's per-vertex predictions from them"));
}

absl::StatusOr<NeighbourGraph> BuildNeighbourGraph(const SearchSpace& space,
                                                   int threads) {
  if (absl::Status s = CheckEnumerable(space); !s.ok()) return s;
  NeighbourGraph graph;
  const bool indexable = space.IsIndexable();
  if (indexable) {
    const int64_t n = static_cast<int64_t>(space.Size());
    graph.architectures.resize(n);
    ParallelFor(n, threads, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        graph.architectures[i] = space.FromIndex(i);
      }
    });
    graph.numbering = "space index";
  }
  const GeneCode code(space);
  if (!indexable) {
    auto all = Enumerate(space, code, &graph.numbering);
    if (!all.ok()) return all.status();
    graph.architectures = *std::move(all);
  }
  const int64_t n = static_cast<int64_t>(graph.architectures.size());
  // A non-indexable space's vertices by gene code, or by genes when the
  // codes do not fit.
  absl::flat_hash_map<int64_t, int32_t> vertex_of_code;
  absl::flat_hash_map<Architecture, int32_t> vertex_of;
  if (!indexable) {
    if (code.usable()) {
      vertex_of_code.reserve(n);
    } else {
      vertex_of.reserve(n);
    }
    for (int64_t v = 0; v < n; ++v) {
      if (code.usable()) {
        vertex_of_code.emplace(code.Of(graph.architectures[v]),
                               static_cast<int32_t>(v));
      } else {
        vertex_of.emplace(graph.architectures[v], static_cast<int32_t>(v));
      }
    }
  }
  // The vertex of neighbour i of `neighbors`, -1 when it is not in the
  // enumeration. With codes, `codes` holds the row's codes, computed first
  // and their table slots prefetched: the look-ups then overlap their cache
  // misses instead of waiting for each in turn.
  auto vertex = [&](const std::vector<Architecture>& neighbors,
                    const std::vector<int64_t>& codes, size_t i) -> int32_t {
    if (indexable) return static_cast<int32_t>(space.ToIndex(neighbors[i]));
    if (code.usable()) {
      const auto it = vertex_of_code.find(codes[i]);
      return it == vertex_of_code.end() ? -1 : it->second;
    }
    const auto it = vertex_of.find(neighbors[i]);
    return it == vertex_of.end() ? -1 : it->second;
  };

  // Rows are computed in parallel into per-vertex lists, then packed.
  // Threads take blocks of vertices from a shared counter: neighbourhoods
  // grow along an enumeration (NAS-Bench-101's last cells cost most), so
  // fixed halves would leave one thread idle. Each row has its own slot,
  // so the graph does not depend on the schedule.
  std::vector<std::vector<int32_t>> rows(n);
  std::atomic<int64_t> missing{-1};  // A vertex with an unknown neighbour.
  constexpr int64_t kBlock = 1024;
  std::atomic<int64_t> next_block{0};
  ParallelFor(threads, threads, [&](int64_t, int64_t) {
    std::vector<Architecture> neighbors;
    std::vector<int64_t> codes;
    for (int64_t begin; (begin = kBlock * next_block++) < n;) {
      for (int64_t v = begin; v < std::min(n, begin + kBlock); ++v) {
        space.Neighbors(graph.architectures[v], &neighbors);
        if (!indexable && code.usable()) {
          codes.clear();
          for (const Architecture& u : neighbors) {
            codes.push_back(code.Of(u));
            vertex_of_code.prefetch(codes.back());
          }
        }
        std::vector<int32_t>& row = rows[v];
        row.reserve(neighbors.size());
        for (size_t i = 0; i < neighbors.size(); ++i) {
          const int32_t u_vertex = vertex(neighbors, codes, i);
          if (u_vertex < 0) {
            missing.store(v);
            continue;
          }
          row.push_back(u_vertex);
        }
      }
    }
  });
  if (missing.load() >= 0) {
    return absl::InternalError(absl::StrCat(
        "space '", space.name(), "': a neighbour of ",
        space.ToString(graph.architectures[missing.load()]),
        " is not in the enumeration; Neighbors() and the enumeration "
        "disagree"));
  }
  graph.offsets.assign(n + 1, 0);
  for (int64_t v = 0; v < n; ++v) {
    graph.offsets[v + 1] = graph.offsets[v] + static_cast<int64_t>(rows[v].size());
  }
  graph.targets.resize(graph.offsets[n]);
  for (int64_t v = 0; v < n; ++v) {
    std::copy(rows[v].begin(), rows[v].end(),
              graph.targets.begin() + graph.offsets[v]);
    std::vector<int32_t>().swap(rows[v]);
  }

  graph.tie_rank.resize(n);
  if (indexable) {
    std::vector<int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
      return graph.architectures[a] < graph.architectures[b];
    });
    for (int64_t r = 0; r < n; ++r) graph.tie_rank[order[r]] = static_cast<int32_t>(r);
  } else {
    std::iota(graph.tie_rank.begin(), graph.tie_rank.end(), 0);  // Sorted.
  }
  return graph;
}

std::vector<double> EvaluateAll(const Objective& objective,
                                const NeighbourGraph& graph, int threads,
                                uint64_t noise_seed) {
  const int64_t n = static_cast<int64_t>(graph.architectures.size());
  const int full = static_cast<int>(objective.fidelities().size()) - 1;
  const bool noisy = objective.is_noisy();
  std::vector<double> loss(n);
  ParallelFor(n, threads, [&](int64_t begin, int64_t end) {
    for (int64_t v = begin; v < end; ++v) {
      if (noisy) {
        Rng noise(HashCombine(noise_seed, static_cast<uint64_t>(v)));
        loss[v] = objective.Evaluate(graph.architectures[v], full, &noise)
                      .valid_error;
      } else {
        loss[v] =
            objective.Evaluate(graph.architectures[v], full, nullptr).valid_error;
      }
    }
  });
  return loss;
}

}  // namespace nas
