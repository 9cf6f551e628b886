#ifndef NASBENCH_HARNESS_PARALLEL_H_
#define NASBENCH_HARNESS_PARALLEL_H_

#include <functional>

namespace nas {

// Runs task(0) .. task(n - 1) on up to `threads` threads (this one
// included), each taking the next index when it is free (one task can take
// much longer than another). A process may not get every thread it asks for
// (ulimit -u, cgroups): it then runs on those it got rather than die.
void ForEachIndexInParallel(int n, int threads,
                            const std::function<void(int)>& task);

}  // namespace nas

#endif  // NASBENCH_HARNESS_PARALLEL_H_
