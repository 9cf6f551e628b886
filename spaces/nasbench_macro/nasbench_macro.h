#ifndef NASBENCH_SPACES_NASBENCH_MACRO_NASBENCH_MACRO_H_
#define NASBENCH_SPACES_NASBENCH_MACRO_NASBENCH_MACRO_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "spaces/common/categorical_space.h"

namespace nas {

// The NAS-Bench-Macro space (Su et al., "Prioritized Architecture Sampling
// with Monte-Carlo Tree Search", CVPR 2021): a CIFAR-10 network of 8
// searchable layers in three stages (2, 3 and 3 layers), each layer one of
// 3 blocks, so 3^8 = 6,561 architectures. Gene l (0..7) is layer l's block:
//   0 = identity, 1 = MobileNetV2 block (kernel 3, expansion 3),
//   2 = MobileNetV2 block (kernel 5, expansion 6).
//
// Text form: the benchmark's own 8-digit string, layer 0 first ("22212220").
// The dense index reads that string as a base-3 number (first digit most
// significant), which is the order of the benchmark's table (sorted by the
// string): row i of nas-bench-macro_cifar10.csv is index i.
//
// The benchmark trained fewer networks than strings: within a stage, an
// identity layer after the stage's first layer only shifts the others, so
// strings that differ in where such identities sit build the same network
// (3,969 networks) and share one row of results. This space keeps all 6,561
// strings distinct, as the benchmark's users query it; no canonicalisation.
//
// Neighbours: the 16 strings with one layer's block changed (the local-search
// neighbourhood), layer 0 first, blocks ascending. Sampling is uniform over
// the 6,561 strings.
class NasbenchMacroSpace : public CategoricalSpace {
 public:
  static constexpr int kNumLayers = 8;
  static constexpr int kNumChoices = 3;
  static constexpr int kNumArchitectures = 6561;

  static absl::StatusOr<std::unique_ptr<NasbenchMacroSpace>> New();

  std::string name() const override { return "nasbench_macro"; }
  std::string ToString(const Architecture& arch) const override;
  absl::StatusOr<Architecture> Parse(absl::string_view text) const override;

  // The string of the network `arch` builds: in each stage, identity layers
  // after the stage's first layer moved to the stage's end (the benchmark's
  // get_real_arch). Architectures with equal RealArchitecture() share their
  // results in the benchmark's table.
  static std::string RealArchitecture(const Architecture& arch);


 protected:
  std::string ArchitectureNoun() const override {
    return "a NAS-Bench-Macro architecture";
  }
  std::string GeneDescription(int gene) const override;
  std::string ValueNoun() const override { return "block"; }
 private:
  NasbenchMacroSpace()
      : CategoricalSpace(std::vector<int>(kNumLayers, kNumChoices)) {}
};

// Block names by gene value, for messages and documentation.
inline constexpr std::array<absl::string_view, 3> kNasbenchMacroBlocks = {
    "identity", "MobileNetV2 k3 e3", "MobileNetV2 k5 e6"};

}  // namespace nas

#endif  // NASBENCH_SPACES_NASBENCH_MACRO_NASBENCH_MACRO_H_
