#ifndef NASBENCH_SPACES_NASBENCH101_NASBENCH101_STUDY_H_
#define NASBENCH_SPACES_NASBENCH101_NASBENCH101_STUDY_H_

#include <cstdint>
#include <vector>

#include "spaces/nasbench101/nasbench101.h"

// The local-search study's NAS-Bench-101 neighbourhood (White, Nolen &
// Savani 2020; naszilla's Cell101.adj_neighborhood), on raw specifications:
// a cell written as nasbench's upper-triangular matrix and op list, before
// pruning, with vertices off every input -> output path (and their ops and
// edges) carried along. The space's STUDY and STUDY_ON_CELLS neighbourhoods
// are built from it (nasbench101.h).
namespace nas {
namespace nasbench101 {

// The vertices of an upper-triangular `raw` spec that lie on some
// input -> output path (bit v for vertex v); 0 when the output is not
// reachable.
uint32_t VerticesOnPaths(const Cell& raw);

// Whether edge from -> to of `raw` (present or not) lies on an
// input -> output path once present: `from` is reachable from the input and
// `to` reaches the output. Adding or removing the edge itself changes
// neither (in an upper-triangular matrix no path to `from` or from `to`
// can use it), so the answer is the same before and after a toggle.
bool EdgeOnPath(const Cell& raw, int from, int to);

// The study's neighbours of `raw` (valid: upper triangular, output
// reachable), in its order, duplicates and all:
//   1. for each vertex v = 1 .. n-2 on an input -> output path, each other
//      op (kOpNames order);
//   2. for each pair (from, to), from < to, row-major: the edge toggled,
//      when the edge lies on an input -> output path (EdgeOnPath) and the
//      result is valid with at most `max_edges` edges after pruning
//      (nasbench's is_valid).
// Dangling vertices keep their ops and edges; an edge that attaches them
// to a path brings them into the pruned cell, so a pruned cell can grow.
// Every neighbour's pruned cell differs from raw's: an op change alters a
// label of the pruned cell, a removal takes an edge out of it and an
// addition puts one in.
std::vector<Cell> StudyNeighbours(const Cell& raw, int max_edges);

}  // namespace nasbench101
}  // namespace nas

#endif  // NASBENCH_SPACES_NASBENCH101_NASBENCH101_STUDY_H_
