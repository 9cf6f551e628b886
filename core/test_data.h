#ifndef NASBENCH_CORE_TEST_DATA_H_
#define NASBENCH_CORE_TEST_DATA_H_

#include <cstdlib>
#include <string>

namespace nas {

// Root of the benchmark tables inside a Bazel test: tests declare
// `data = ["@shared_data//:..."]`, which Bazel places under
// external/shared_data in the runfiles tree (the test's working directory).
inline std::string TestDataDir() { return "external/shared_data"; }

}  // namespace nas

#endif  // NASBENCH_CORE_TEST_DATA_H_
