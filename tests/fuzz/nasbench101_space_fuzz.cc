// Fuzzes the NAS-Bench-101 space's parser (Parse: ParseCell, pruning, the
// size limits, the canonical form) and the SearchSpace contract on whatever
// it accepts (space_checks.h), in the full space and in EC-NAS-Bench's 5- and
// 4-vertex sub-spaces, whose limits and gene layouts differ.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "spaces/nasbench101/nasbench101.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/space_checks.h"

namespace nas {
namespace fuzz {
namespace {

std::vector<std::unique_ptr<Nasbench101Space>> MakeSpaces() {
  std::vector<std::unique_ptr<Nasbench101Space>> spaces;
  for (int max_vertices : {7, 5, 4}) {
    Nasbench101SpaceParams params;
    params.set_max_vertices(max_vertices);
    spaces.push_back(*Nasbench101Space::New(params));
  }
  return spaces;
}

}  // namespace

void FuzzOne(const uint8_t* data, size_t size) {
  static const auto* const spaces =
      new std::vector<std::unique_ptr<Nasbench101Space>>(MakeSpaces());
  for (const auto& space : *spaces) CheckParse(*space, AsText(data, size));
}

}  // namespace fuzz
}  // namespace nas
