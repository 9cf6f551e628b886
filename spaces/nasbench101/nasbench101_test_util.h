#ifndef NASBENCH_SPACES_NASBENCH101_NASBENCH101_TEST_UTIL_H_
#define NASBENCH_SPACES_NASBENCH101_NASBENCH101_TEST_UTIL_H_

#include <memory>
#include <utility>

#include "gtest/gtest.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {

// A space for tests; a failure to build it fails the test and gives null.
inline std::unique_ptr<Nasbench101Space> MakeNasbench101Space(
    int max_vertices, int max_edges,
    Nasbench101SpaceParams::Neighborhood neighborhood) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(max_vertices);
  params.set_max_edges(max_edges);
  params.set_neighborhood(neighborhood);
  auto space = Nasbench101Space::New(params);
  if (!space.ok()) {
    ADD_FAILURE() << space.status();
    return nullptr;
  }
  return std::move(*space);
}

}  // namespace nas

#endif  // NASBENCH_SPACES_NASBENCH101_NASBENCH101_TEST_UTIL_H_
