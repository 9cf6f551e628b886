#include "spaces/nasbench101/nasbench101_study.h"

#include <algorithm>

#include "core/check.h"

namespace nas {
namespace nasbench101 {
namespace {

// Forward pass in vertex order: edges only go upwards in a raw spec.
uint32_t FromInput(const Cell& raw) {
  uint32_t reached = 1;
  for (int v = 0; v < raw.num_vertices; ++v) {
    if ((reached >> v) & 1) reached |= raw.successors[v];
  }
  return reached;
}

// Backward pass, the mirror of FromInput.
uint32_t ToOutput(const Cell& raw) {
  uint32_t reaching = 1u << (raw.num_vertices - 1);
  for (int v = raw.num_vertices - 2; v >= 0; --v) {
    if (raw.successors[v] & reaching) reaching |= 1u << v;
  }
  return reaching;
}

bool IsUpperTriangular(const Cell& cell) {
  for (int v = 0; v < cell.num_vertices; ++v) {
    if (cell.successors[v] & ((2u << v) - 1)) return false;
  }
  return true;
}

}  // namespace

uint32_t VerticesOnPaths(const Cell& raw) {
  const uint32_t from_input = FromInput(raw);
  if (((from_input >> (raw.num_vertices - 1)) & 1) == 0) return 0;
  return from_input & ToOutput(raw);
}

bool EdgeOnPath(const Cell& raw, int from, int to) {
  return ((FromInput(raw) >> from) & 1) && ((ToOutput(raw) >> to) & 1);
}

std::vector<Cell> StudyNeighbours(const Cell& raw, int max_edges) {
  if (!IsUpperTriangular(raw)) {
    InternalError("nasbench101",
                  "StudyNeighbours needs an upper-triangular spec");
  }
  const int n = raw.num_vertices;
  const uint32_t on_path = VerticesOnPaths(raw);
  if (on_path == 0) {
    InternalError("nasbench101", "StudyNeighbours needs a valid spec");
  }
  std::vector<Cell> neighbours;
  for (int v = 1; v < n - 1; ++v) {
    if (((on_path >> v) & 1) == 0) continue;
    for (int op = 0; op < kNumOps; ++op) {
      if (op == raw.ops[v]) continue;
      Cell changed = raw;
      changed.ops[v] = static_cast<uint8_t>(op);
      neighbours.push_back(changed);
    }
  }
  const uint32_t from_input = FromInput(raw);
  const uint32_t to_output = ToOutput(raw);
  for (int from = 0; from < n - 1; ++from) {
    if (((from_input >> from) & 1) == 0) continue;
    for (int to = from + 1; to < n; ++to) {
      if (((to_output >> to) & 1) == 0) continue;
      Cell toggled = raw;
      toggled.SetEdge(from, to, !raw.HasEdge(from, to));
      absl::StatusOr<Cell> pruned = Prune(toggled);
      if (pruned.ok() && pruned->NumEdges() <= max_edges) {
        neighbours.push_back(toggled);
      }
    }
  }
  return neighbours;
}

}  // namespace nasbench101

// ---------------------------------------------------------------------------
// The space's study neighbourhoods (declared in nasbench101.h).

namespace {

using nasbench101::Cell;

// The representative of `cell`'s pruned isomorphism class.
Cell PrunedClass(const Cell& valid) {
  return nasbench101::Canonical(*nasbench101::Prune(valid));
}

}  // namespace

void Nasbench101Space::StudyNeighbors(const Architecture& arch,
                                      std::vector<Architecture>* out) const {
  out->clear();
  const Cell raw = RawCell(arch);
  // Neighbours whose pruned cells are isomorphic would be one evaluation
  // and one Hash(): the first (in the study's order) stands for them all.
  std::vector<Cell> classes = {PrunedClass(raw)};
  for (const Cell& neighbour : nasbench101::StudyNeighbours(raw, max_edges_)) {
    const Cell pruned_class = PrunedClass(neighbour);
    if (std::find(classes.begin(), classes.end(), pruned_class) !=
        classes.end()) {
      continue;
    }
    classes.push_back(pruned_class);
    out->push_back(ToArchitecture(neighborhood_ == Nasbench101SpaceParams::STUDY
                                      ? neighbour
                                      : pruned_class));
  }
}

}  // namespace nas
