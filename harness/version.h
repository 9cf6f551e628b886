#ifndef NASBENCH_HARNESS_VERSION_H_
#define NASBENCH_HARNESS_VERSION_H_

namespace nas {

// Recorded in every manifest. Bump when results of an unchanged config can
// change (an algorithm, objective or report fix), so that manifests tell
// results of different builds apart.
inline constexpr char kBuildVersion[] = "nasbench 0.3.0";

// The git commit the binary was built from and whether the work tree had
// uncommitted changes ("true", "false"; "unknown" outside a checkout).
// Shown by `nas --version`, deliberately not in manifests: a results
// directory must stay resumable across an unrelated commit.
extern const char kGitCommit[];
extern const char kGitDirty[];

// "opt" or "debug", from the compiler's flags.
inline constexpr const char* BuildMode() {
#ifdef NDEBUG
  return "opt";
#else
  return "debug (assertions on)";
#endif
}

}  // namespace nas

#endif  // NASBENCH_HARNESS_VERSION_H_
