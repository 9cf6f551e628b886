// Whole-space checks of the 7-vertex NAS-Bench-101 space (about 10 s with
// -c opt, mostly MD5): kept out of nasbench101_test so that stays instant.
#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "gtest/gtest.h"
#include "spaces/nasbench101/nasbench101.h"

namespace nas {
namespace {

// nasbench counted 423,624 distinct module hashes; our isomorphism classes
// must be exactly those: as many classes as hashes, no two classes sharing a
// hash, and no two sharing the 64-bit prefix the space's Hash() returns.
TEST(FullEnumerationTest, EveryClassHasItsOwnModuleHash) {
  absl::flat_hash_set<std::string> hashes;
  absl::flat_hash_set<uint64_t> prefixes;
  int64_t count = 0;
  nasbench101::ForEachCanonicalCell(7, 9, [&](const nasbench101::Cell& cell) {
    ++count;
    const std::string hash = nasbench101::ModuleHash(cell);
    prefixes.insert(*nasbench101::ModuleHashPrefix(hash));
    hashes.insert(hash);
  });
  EXPECT_EQ(count, 423624);
  EXPECT_EQ(hashes.size(), 423624);
  EXPECT_EQ(prefixes.size(), 423624);
}

// ModuleHashesOfAll (cells batched across MD5 lanes, on threads) agrees with
// ModuleHash one cell at a time, and the whole list is the one the
// one-message-at-a-time MD5 gave (its FNV-1a fingerprint, taken before the
// batched code replaced it): no hash of any class moves.
TEST(FullEnumerationTest, ModuleHashesOfAllAgreeWithOneCellAtATime) {
  const std::vector<std::string> all = nasbench101::ModuleHashesOfAll(7, 9, 2);
  ASSERT_EQ(all.size(), 423624);
  uint64_t fingerprint = 14695981039346656037u;
  for (const std::string& hash : all) {
    for (char c : hash + "\n") {
      fingerprint =
          (fingerprint ^ static_cast<unsigned char>(c)) * 1099511628211u;
    }
  }
  EXPECT_EQ(fingerprint, 0xfdea96002d228453u);
  int64_t index = 0;
  int mismatches = 0;
  nasbench101::ForEachCanonicalCell(7, 9, [&](const nasbench101::Cell& cell) {
    if (nasbench101::ModuleHash(cell) != all[index++] && ++mismatches <= 5) {
      ADD_FAILURE() << "cell " << index - 1 << ": "
                    << nasbench101::CellToString(cell);
    }
  });
  EXPECT_EQ(mismatches, 0);
}

// Canonical() brings every class back from a shuffle of its interior
// vertices (which may point edges downwards).
TEST(FullEnumerationTest, EveryShuffledCellCanonicalisesBack) {
  std::mt19937 random(7);
  int failures = 0;
  nasbench101::ForEachCanonicalCell(7, 9, [&](const nasbench101::Cell& cell) {
    const int n = cell.num_vertices;
    std::array<int, nasbench101::kMaxVertices> position;
    std::iota(position.begin(), position.begin() + n, 0);
    std::shuffle(position.begin() + 1, position.begin() + n - 1, random);
    nasbench101::Cell moved;
    moved.num_vertices = n;
    for (int v = 0; v < n; ++v) {
      if (v != 0 && v != n - 1) moved.ops[position[v]] = cell.ops[v];
      for (int w = 0; w < n; ++w) {
        if (cell.HasEdge(v, w)) moved.SetEdge(position[v], position[w], true);
      }
    }
    if (nasbench101::Canonical(moved) != cell && ++failures <= 5) {
      ADD_FAILURE() << nasbench101::CellToString(cell) << " moved to "
                    << nasbench101::CellToString(moved);
    }
  });
  EXPECT_EQ(failures, 0);
}

TEST(FullEnumerationTest, EveryArchitectureIsValidCanonicalAndRoundTrips) {
  Nasbench101SpaceParams params;
  auto space = *Nasbench101Space::New(params);
  const std::vector<Architecture> all = nasbench101::EnumerateAll(7, 9);
  ASSERT_EQ(all.size(), 423624);
  EXPECT_EQ(space->Size(), 423624);
  int failures = 0;
  for (const Architecture& arch : all) {
    const bool ok = space->Validate(arch).ok() &&
                    space->Canonicalize(arch) == arch &&
                    space->Parse(space->ToString(arch)).value_or(
                        Architecture()) == arch;
    if (!ok && ++failures <= 5) {
      ADD_FAILURE() << arch.DebugString() << " " << space->ToString(arch);
    }
  }
  EXPECT_EQ(failures, 0);
  // Distinct genes: canonical forms of different classes never coincide.
  absl::flat_hash_set<Architecture> distinct(all.begin(), all.end());
  EXPECT_EQ(distinct.size(), all.size());
}

}  // namespace
}  // namespace nas
