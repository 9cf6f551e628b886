// Cost of encoding one architecture (the predictor algorithms encode every
// queried architecture once and ~100 candidates per round).
//
//   bazel run //spaces/encodings:encodings_benchmark

#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "spaces/darts/darts.h"
#include "spaces/encodings/encodings.h"
#include "spaces/nasbench101/nasbench101.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

void RunEncode(benchmark::State& state, const SearchSpace& space,
               EncodingKind kind) {
  auto encoder = *MakeEncoder(space, kind);
  Rng rng(1);
  std::vector<Architecture> archs;
  for (int i = 0; i < 256; ++i) archs.push_back(space.Sample(rng));
  std::vector<float> out(encoder->dimension());
  size_t i = 0;
  for (auto _ : state) {
    encoder->Encode(archs[i++ & 255], out.data());
    benchmark::DoNotOptimize(out.data());
  }
}

void BM_Nasbench201(benchmark::State& state) {
  static const SearchSpace* space = Nasbench201Space::New()->release();
  RunEncode(state, *space, static_cast<EncodingKind>(state.range(0)));
}
BENCHMARK(BM_Nasbench201)->DenseRange(0, 3);

void BM_Nasbench101(benchmark::State& state) {
  static const SearchSpace* space =
      Nasbench101Space::New(Nasbench101SpaceParams())->release();
  RunEncode(state, *space, static_cast<EncodingKind>(state.range(0)));
}
BENCHMARK(BM_Nasbench101)->DenseRange(0, 3);

void BM_Darts(benchmark::State& state) {
  static const SearchSpace* space = DartsSpace::New()->release();
  RunEncode(state, *space, static_cast<EncodingKind>(state.range(0)));
}
BENCHMARK(BM_Darts)->DenseRange(0, 3);

}  // namespace
}  // namespace nas
