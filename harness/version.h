#ifndef NASBENCH_HARNESS_VERSION_H_
#define NASBENCH_HARNESS_VERSION_H_

namespace nas {

// Recorded in every manifest. Bump when results of an unchanged config can
// change (an algorithm, objective or report fix), so that manifests tell
// results of different builds apart.
inline constexpr char kBuildVersion[] = "nasbench 0.3.0";

}  // namespace nas

#endif  // NASBENCH_HARNESS_VERSION_H_
