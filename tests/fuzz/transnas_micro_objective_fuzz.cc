// Fuzzes the TransNAS-Bench-101 micro objective's table loader
// (TransnasMicroObjective::New): the input is written as a table below the
// data directory and loaded for every task and metric the objective offers
// (each reads its own columns and checks its own value range).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "objectives/transnas_micro/transnas_micro.h"
#include "spaces/transnas_micro/transnas_micro.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/fuzz/objective_checks.h"

namespace nas {
namespace fuzz {

// (task, metric) as in transnas_micro.proto.
constexpr std::pair<const char*, const char*> kMetrics[] = {
    {"class_object", "top1"},    {"class_object", "top5"},
    {"class_scene", "top1"},     {"class_scene", "top5"},
    {"jigsaw", "top1"},          {"jigsaw", "top5"},
    {"segmentsemantic", "mIoU"}, {"segmentsemantic", "acc"},
    {"normal", "ssim"},          {"autoencoder", "ssim"},
    {"room_layout", "neg_loss"},
};

void FuzzOne(const uint8_t* data, size_t size) {
  static const auto* const space = new std::shared_ptr<const SearchSpace>(
      TransnasMicroSpace::New()->release());
  const absl::string_view input = AsText(data, size);
  TransnasMicroObjectiveParams params;
  // One file for all tasks (instead of the input written seven times).
  params.set_table("transnas-bench-101-micro/fuzz.csv");
  WriteFileOrDie(ScratchDir() + "/" + params.table(), input);
  for (const auto& [task, metric] : kMetrics) {
    params.set_task(task);
    params.set_metric(metric);
    CheckLoaded(TransnasMicroObjective::New(*space, params, {ScratchDir()}),
                input);
  }
}

}  // namespace fuzz
}  // namespace nas
