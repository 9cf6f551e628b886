#ifndef NASBENCH_OBJECTIVES_TRAINED_TRAINED_H_
#define NASBENCH_OBJECTIVES_TRAINED_TRAINED_H_

// The "trained" objective: Evaluate builds the architecture's network (the
// builder registered for its space), trains it with the recipe from the
// config and reports validation error (what searchers see), test error
// (reports only) and the measured training seconds (cost). Fidelities are
// epoch counts. Results go through a content-addressed cache (cache.h), so a
// resumed, re-run or sharded experiment never trains an architecture twice.

#include <string>

#include "absl/status/statusor.h"
#include "core/architecture.h"
#include "objectives/trained/trained.pb.h"
#include "spaces/search_space.h"

namespace nas {

// The cache key text of (space, arch, params' recipe and data, epochs):
// exposed for `nas cache` and tests. `data_sha256` is the combined checksum
// of the dataset files.
std::string TrainedCacheKey(const SearchSpace& space, const Architecture& arch,
                            const TrainedObjectiveParams& params,
                            const std::string& data_sha256, int epochs);

// Resolves a user path: relative ones against the directory nas was started
// in (BUILD_WORKING_DIRECTORY under `bazel run`).
std::string ResolveTrainedPath(const std::string& path);

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TRAINED_TRAINED_H_
