#ifndef NASBENCH_OBJECTIVES_TRAINED_TRAINER_H_
#define NASBENCH_OBJECTIVES_TRAINED_TRAINER_H_

// Trains a built network on a dataset with a recipe. The only translation
// unit of the trained objective that includes libtorch headers: everything
// else (the objective, its cache, `nas cache`) compiles without them.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/architecture.h"
#include "objectives/trained/data.h"
#include "objectives/trained/trained.pb.h"
#include "spaces/search_space.h"

namespace nas {

// The dataset's splits as normalised float tensors, cut to the recipe's
// subset sizes; built once per objective, shared read-only by all threads.
class PreparedData;
absl::StatusOr<std::shared_ptr<const PreparedData>> PrepareData(
    const Dataset& data, const TrainingRecipe& recipe);

struct TrainOutcome {
  double valid_error = 0;  // percent
  double test_error = 0;   // percent
  double train_seconds = 0;
  int64_t parameters = 0;
  int64_t flops = 0;
  int64_t images_trained = 0;
};

// Builds `arch`'s network (the builder registered for space.name()), trains
// it for `epochs` epochs and measures validation and test error. Deterministic
// for equal (arch, recipe, data, seed, epochs, threads, library versions):
// weights and batch order are drawn from streams seeded by (recipe.seed(),
// space.Hash(arch)); libtorch's intra-op threads are set to
// recipe.threads() on the calling thread. Checks the recipe's values first
// (see CheckRecipe).
absl::StatusOr<TrainOutcome> TrainAndEvaluate(const SearchSpace& space,
                                              const Architecture& arch,
                                              const TrainingRecipe& recipe,
                                              const PreparedData& data,
                                              int epochs);

// InvalidArgument naming the field and its allowed values, for a recipe no
// training could use; also checks that `space` has a network builder and
// that it accepts the recipe's shape.
absl::Status CheckRecipe(const SearchSpace& space, const TrainingRecipe& recipe,
                         const Dataset& data);

// "libtorch 1.13.1, gcc 12.2.0": what a result may depend on besides the
// inputs, for cache keys.
std::string LibraryVersions();

// Absolute path of the libtorch CPU library this process loaded (its
// checksum goes into every run's manifest), or "" if unknown.
std::string LoadedLibtorchPath();

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TRAINED_TRAINER_H_
