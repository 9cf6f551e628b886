#ifndef NASBENCH_CORE_CHECK_H_
#define NASBENCH_CORE_CHECK_H_

#include <cstdio>
#include <cstdlib>

namespace nas {

// A broken invariant inside the program (never bad input: input errors are
// absl::Status values at the boundary that read them). Prints which component
// and what broke, then aborts so a debugger or a sanitizer report shows the
// stack.
[[noreturn]] inline void InternalError(const char* component,
                                       const char* what) {
  std::fprintf(stderr, "%s: internal error: %s\n", component, what);
  std::fflush(stderr);
  std::abort();
}

}  // namespace nas

#endif  // NASBENCH_CORE_CHECK_H_
