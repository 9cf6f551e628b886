#include "spaces/nasbench_macro/nasbench_macro.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

// Layers per stage (the benchmark's stages=[2, 3, 3]).
constexpr int kStageLayers[] = {2, 3, 3};

NAS_REGISTER_SEARCH_SPACE_CLASS(
    "nasbench_macro",
    "NAS-Bench-Macro: 8 layers x 3 blocks = 6,561 CIFAR-10 networks, "
    "8-digit strings in the table's order, 16 one-layer neighbours",
    NasbenchMacroSpace);

}  // namespace

absl::StatusOr<std::unique_ptr<NasbenchMacroSpace>> NasbenchMacroSpace::New() {
  return std::unique_ptr<NasbenchMacroSpace>(new NasbenchMacroSpace());
}

std::string NasbenchMacroSpace::GeneDescription(int gene) const {
  return gene < 0 ? "layer" : absl::StrCat("layer ", gene);
}

std::string NasbenchMacroSpace::ToString(const Architecture& arch) const {
  std::string text(kNumLayers, '0');
  for (int l = 0; l < kNumLayers; ++l) text[l] = static_cast<char>('0' + arch[l]);
  return text;
}

absl::StatusOr<Architecture> NasbenchMacroSpace::Parse(
    absl::string_view text) const {
  auto error = [&](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad NAS-Bench-Macro architecture '", text, "': ", what,
        ". Expected 8 digits, one per layer, each 0 (identity), 1 "
        "(MobileNetV2 k3 e3) or 2 (MobileNetV2 k5 e6), e.g. 22212220"));
  };
  if (text.size() != kNumLayers) {
    return error(absl::StrCat("it has ", text.size(), " characters"));
  }
  Architecture arch(kNumLayers);
  for (int l = 0; l < kNumLayers; ++l) {
    const char c = text[l];
    if (c < '0' || c > '2') {
      return error(absl::StrCat("character ", l, " (layer ", l,
                                ") is not 0, 1 or 2"));
    }
    arch[l] = static_cast<uint8_t>(c - '0');
  }
  return arch;
}

std::string NasbenchMacroSpace::RealArchitecture(const Architecture& arch) {
  std::string real;
  int layer = 0;
  for (int stage_layers : kStageLayers) {
    std::string moved_identities;
    for (int i = 0; i < stage_layers; ++i, ++layer) {
      const char c = static_cast<char>('0' + arch[layer]);
      if (i > 0 && arch[layer] == 0) {
        moved_identities += c;
      } else {
        real += c;
      }
    }
    real += moved_identities;
  }
  return real;
}

}  // namespace nas
