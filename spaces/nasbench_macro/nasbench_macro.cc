#include "spaces/nasbench_macro/nasbench_macro.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace nas {
namespace {

constexpr int kCardinalities[NasbenchMacroSpace::kNumLayers] = {3, 3, 3, 3,
                                                                 3, 3, 3, 3};

// Layers per stage (the benchmark's stages=[2, 3, 3]).
constexpr int kStageLayers[] = {2, 3, 3};

absl::StatusOr<std::unique_ptr<SearchSpace>> MakeSpace(
    const google::protobuf::Message* /*params*/) {
  auto space = NasbenchMacroSpace::New();
  if (!space.ok()) return space.status();
  return std::unique_ptr<SearchSpace>(std::move(*space));
}

NAS_REGISTER_SEARCH_SPACE(
    "nasbench_macro",
    "NAS-Bench-Macro: 8 layers x 3 blocks = 6,561 CIFAR-10 networks, "
    "8-digit strings in the table's order, 16 one-layer neighbours",
    /*params_prototype=*/nullptr, &MakeSpace);

}  // namespace

absl::StatusOr<std::unique_ptr<NasbenchMacroSpace>> NasbenchMacroSpace::New() {
  return std::unique_ptr<NasbenchMacroSpace>(new NasbenchMacroSpace());
}

absl::Span<const int> NasbenchMacroSpace::gene_cardinalities() const {
  return kCardinalities;
}

int64_t NasbenchMacroSpace::ToIndex(const Architecture& arch) const {
  int64_t index = 0;
  for (int l = 0; l < kNumLayers; ++l) index = index * kNumChoices + arch[l];
  return index;
}

Architecture NasbenchMacroSpace::FromIndex(int64_t index) const {
  Architecture arch(kNumLayers);
  for (int l = kNumLayers - 1; l >= 0; --l) {
    arch[l] = static_cast<uint8_t>(index % kNumChoices);
    index /= kNumChoices;
  }
  return arch;
}

absl::Status NasbenchMacroSpace::Validate(const Architecture& arch) const {
  if (arch.size() != kNumLayers) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a NAS-Bench-Macro architecture has 8 genes (one block per layer), "
        "got ",
        arch.size()));
  }
  for (int l = 0; l < kNumLayers; ++l) {
    if (arch[l] >= kNumChoices) {
      return absl::InvalidArgumentError(
          absl::StrCat("gene ", l, " (layer ", l, ") is block ", arch[l],
                       "; blocks are numbered 0..2"));
    }
  }
  return absl::OkStatus();
}

uint64_t NasbenchMacroSpace::Hash(const Architecture& arch) const {
  return static_cast<uint64_t>(ToIndex(arch));
}

Architecture NasbenchMacroSpace::Sample(Rng& rng) const {
  Architecture arch(kNumLayers);
  for (int l = 0; l < kNumLayers; ++l) {
    arch[l] = static_cast<uint8_t>(rng.UniformInt(kNumChoices));
  }
  return arch;
}

void NasbenchMacroSpace::Neighbors(const Architecture& arch,
                                   std::vector<Architecture>* out) const {
  out->clear();
  out->reserve(kNumLayers * (kNumChoices - 1));
  for (int l = 0; l < kNumLayers; ++l) {
    for (int block = 0; block < kNumChoices; ++block) {
      if (block == arch[l]) continue;
      Architecture neighbor = arch;
      neighbor[l] = static_cast<uint8_t>(block);
      out->push_back(neighbor);
    }
  }
}

Architecture NasbenchMacroSpace::Mutate(const Architecture& arch,
                                        Rng& rng) const {
  // Uniform over the 16 neighbours without building them.
  Architecture mutated = arch;
  const int layer = static_cast<int>(rng.UniformInt(kNumLayers));
  const int shift = 1 + static_cast<int>(rng.UniformInt(kNumChoices - 1));
  mutated[layer] = static_cast<uint8_t>((arch[layer] + shift) % kNumChoices);
  return mutated;
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
