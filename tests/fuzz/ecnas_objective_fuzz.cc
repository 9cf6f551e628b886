// Fuzzes the EC-NAS-Bench objective's table loader (EcnasObjective::New:
// CSV, cell parsing, pruning check, module hash, value ranges, repeats):
// the input is written as both the 4- and the 5-vertex table where the
// objective looks for them, then loaded with each, on the matching
// nasbench101 sub-space, once per metric.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "objectives/nasbench101/ecnas/ecnas.h"
#include "spaces/nasbench101/nasbench101.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/objective_checks.h"

namespace nas {
namespace fuzz {
namespace {

std::shared_ptr<const SearchSpace> MakeSpace(int max_vertices) {
  Nasbench101SpaceParams params;
  params.set_max_vertices(max_vertices);
  return std::shared_ptr<const SearchSpace>(
      Nasbench101Space::New(params)->release());
}

}  // namespace

void FuzzOne(const uint8_t* data, size_t size) {
  static const auto* const space4 =
      new std::shared_ptr<const SearchSpace>(MakeSpace(4));
  static const auto* const space5 =
      new std::shared_ptr<const SearchSpace>(MakeSpace(5));
  const absl::string_view input = AsText(data, size);
  for (int vertices : {4, 5}) {
    WriteFileOrDie(absl::StrCat(ScratchDir(), "/ec-nas-bench/ecnas_", vertices,
                                "V9E_4epochs_runs.csv"),
                   input);
    for (auto metric :
         {EcnasObjectiveParams::ACCURACY, EcnasObjectiveParams::ENERGY}) {
      EcnasObjectiveParams params;
      params.set_vertices(vertices);
      params.set_metric(metric);
      CheckLoaded(EcnasObjective::New(vertices == 4 ? *space4 : *space5, params,
                                      {ScratchDir()}),
                  input);
    }
  }
}

}  // namespace fuzz
}  // namespace nas
