// nasbench101_convert: NAS-Bench-101's nasbench_only108.tfrecord -> a CSV
// that the "table" objective reads on the "nasbench101" space (see
// docs/your-own-benchmark.md, "NAS-Bench-101").
//
//   bazel run //tools/nasbench101:nasbench101_convert -- \
//       /path/nasbench_only108.tfrecord /path/nasbench101_108.csv
//   (optionally --max_vertices=N for a sub-space)

#include <cstdio>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "spaces/nasbench101/nasbench101.h"
#include "tools/nasbench101/convert.h"

int main(int argc, char** argv) {
  std::string paths[2];
  int num_paths = 0;
  int max_vertices = 7;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (absl::StartsWith(arg, "--max_vertices=")) {
      if (!absl::SimpleAtoi(arg.substr(15), &max_vertices)) {
        std::fprintf(stderr, "--max_vertices needs an integer, got '%s'\n",
                     arg.c_str());
        return 2;
      }
    } else if (num_paths < 2 && !absl::StartsWith(arg, "--")) {
      paths[num_paths++] = arg;
    } else {
      num_paths = 3;
    }
  }
  if (num_paths != 2) {
    std::fprintf(stderr,
                 "usage: nasbench101_convert INPUT.tfrecord OUTPUT.csv "
                 "[--max_vertices=N]\n");
    return 2;
  }
  nas::Nasbench101SpaceParams params;
  params.set_max_vertices(max_vertices);
  auto space = nas::Nasbench101Space::New(params);
  if (!space.ok()) {
    std::fprintf(stderr, "%s\n", std::string(space.status().message()).c_str());
    return 2;
  }
  const absl::Status status =
      nas::nb101::ConvertFile(paths[0], paths[1], **space);
  if (!status.ok()) {
    std::fprintf(stderr, "nasbench101_convert: %s\n",
                 std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
