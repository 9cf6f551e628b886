// Data loading, the result cache and the trained objective on a tiny recipe
// (seconds). Tests that need Fashion-MNIST skip loudly without it.

#include "objectives/trained/trained.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "objectives/objective.h"
#include "objectives/trained/cache.h"
#include "objectives/trained/data.h"
#include "spaces/darts/darts.h"
#include "spaces/nasbench201/nasbench201.h"

namespace nas {
namespace {

namespace fs = std::filesystem;

std::string Tmp(const std::string& name) {
  const std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  fs::create_directories(dir);
  return dir;
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Be32(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}

bool HaveFashionMnist() {
  return fs::exists(absl::StrCat(kFashionMnistDefaultDir,
                                 "/train-images-idx3-ubyte.gz"));
}

#define REQUIRE_FASHION_MNIST()                                            \
  if (!HaveFashionMnist()) {                                               \
    std::fprintf(stderr,                                                   \
                 "\n*** SKIPPED: Fashion-MNIST is not installed in %s "    \
                 "(apt-get install dataset-fashion-mnist) ***\n\n",        \
                 kFashionMnistDefaultDir);                                 \
    GTEST_SKIP() << "Fashion-MNIST missing";                               \
  }

TEST(Data, IdxChecksMagicSizesAndLabels) {
  const std::string dir = Tmp("idx");
  const std::string images = dir + "/images", labels = dir + "/labels";
  std::string pixels(2 * 3 * 3, '\x7f');
  Write(images, Be32(0x803) + Be32(2) + Be32(3) + Be32(3) + pixels);
  Write(labels, Be32(0x801) + Be32(2) + std::string("\x01\x09", 2));
  absl::StatusOr<ImageSet> good = ReadIdxPair(images, labels);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_EQ(good->size(), 2);
  EXPECT_EQ(good->height, 3);

  Write(labels, Be32(0x803) + Be32(2) + std::string("\x01\x09", 2));
  auto magic = ReadIdxPair(images, labels);
  EXPECT_NE(std::string(magic.status().message()).find("magic number"),
            std::string::npos)
      << magic.status();

  Write(labels, Be32(0x801) + Be32(2) + std::string("\x01\x0a", 2));
  auto label = ReadIdxPair(images, labels);
  EXPECT_NE(std::string(label.status().message()).find("label 10"),
            std::string::npos)
      << label.status();

  Write(images, Be32(0x803) + Be32(2) + Be32(3) + Be32(3) + pixels.substr(1));
  Write(labels, Be32(0x801) + Be32(2) + std::string("\x01\x09", 2));
  auto truncated = ReadIdxPair(images, labels);
  EXPECT_NE(std::string(truncated.status().message()).find("header promises"),
            std::string::npos)
      << truncated.status();

  auto missing = LoadFashionMnist(dir + "/nowhere");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(missing.status().message())
                .find("apt-get install dataset-fashion-mnist"),
            std::string::npos);
}

// CIFAR-10's binary format, written here: 3 records per batch.
TEST(Data, Cifar10BinaryBatches) {
  const std::string dir = Tmp("cifar");
  auto batch = [](int records, int first_label) {
    std::string bytes;
    for (int r = 0; r < records; ++r) {
      bytes += static_cast<char>((first_label + r) % 10);
      bytes += std::string(3072, static_cast<char>(r));
    }
    return bytes;
  };
  for (int b = 1; b <= 5; ++b) {
    Write(absl::StrCat(dir, "/data_batch_", b, ".bin"), batch(3, b));
  }
  Write(dir + "/test_batch.bin", batch(2, 0));
  absl::StatusOr<Dataset> data = LoadCifar10(dir);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->train.size(), 12);  // batches 1-4
  EXPECT_EQ(data->valid.size(), 3);   // batch 5
  EXPECT_EQ(data->test.size(), 2);
  EXPECT_EQ(data->train.channels, 3);
  EXPECT_EQ(data->train.labels[0], 1);
  EXPECT_EQ(data->valid.labels[0], 5);

  Write(dir + "/test_batch.bin", batch(2, 0) + "x");
  auto ragged = LoadCifar10(dir);
  EXPECT_NE(std::string(ragged.status().message()).find("3073-byte"),
            std::string::npos)
      << ragged.status();
  std::string bad_label = batch(2, 0);
  bad_label[0] = 12;
  Write(dir + "/test_batch.bin", bad_label);
  auto label = LoadCifar10(dir);
  EXPECT_NE(std::string(label.status().message()).find("label 12"),
            std::string::npos)
      << label.status();
  EXPECT_EQ(LoadCifar10("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Data, FashionMnistSplits) {
  REQUIRE_FASHION_MNIST();
  absl::StatusOr<Dataset> data = LoadFashionMnist(kFashionMnistDefaultDir);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->train.size(), 50000);
  EXPECT_EQ(data->valid.size(), 10000);
  EXPECT_EQ(data->test.size(), 10000);
  EXPECT_EQ(data->train.height, 28);
}

TEST(Cache, StoreLookupVerifyGc) {
  ResultCache cache(Tmp("cache"));
  TrainedCacheEntry entry;
  entry.set_key("key one\n");
  entry.set_valid_error(12.5);
  entry.set_test_error(13.25);
  entry.set_train_seconds(0.1 + 0.2);  // Not exactly representable.
  entry.set_libraries("old");
  ASSERT_TRUE(cache.Store(entry).ok());
  auto found = cache.Lookup("key one\n");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->train_seconds(), 0.1 + 0.2);  // Exact round trip.
  auto none = cache.Lookup("key two\n");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto clean = cache.Verify();
  ASSERT_TRUE(clean.ok());
  EXPECT_TRUE(clean->empty());
  // Damage the entry: verify names it, lookup refuses it, gc removes it.
  Write(cache.EntryPath("key one\n"), "key: \"key one\\n\"\nvalid_error: 1");
  entry.set_key("key three\n");
  ASSERT_TRUE(cache.Store(entry).ok());
  std::string moved = cache.EntryPath("key three\n");
  std::ifstream moved_in(moved, std::ios::binary);
  Write(cache.EntryPath("key one\n"),
        std::string(std::istreambuf_iterator<char>(moved_in), {}));
  auto problems = cache.Verify();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_NE((*problems)[0].find("not to its file name"), std::string::npos);
  EXPECT_FALSE(cache.Lookup("key one\n").ok());
  ResultCache::GcOptions other_libraries;
  other_libraries.libraries = "new";
  auto gc = cache.Collect(other_libraries);
  ASSERT_TRUE(gc.ok());
  EXPECT_EQ(gc->removed_entries, 2);  // The damaged one and the "old" one.
  auto stats = cache.ComputeStats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->entries, 0);
}

std::unique_ptr<Objective> MakeTrained(std::shared_ptr<const SearchSpace> space,
                                       const std::string& cache_dir,
                                       const std::string& recipe_text = "") {
  auto entry = GlobalObjectiveRegistry().Find("trained");
  EXPECT_TRUE(entry.ok());
  TrainedObjectiveParams params;
  params.set_cache_dir(cache_dir);
  params.set_progress(false);
  TrainingRecipe* r = params.mutable_recipe();
  r->set_train_images(100);
  r->set_valid_images(100);
  r->set_test_images(100);
  r->set_batch_size(50);
  r->set_channels(2);
  r->set_cells(space->name() == "darts" ? 3 : 1);
  r->add_fidelity_epochs(1);
  r->add_fidelity_epochs(2);
  if (recipe_text == "bad") r->set_batch_size(0);
  auto objective = (*entry)->factory(space, &params, {"."});
  if (!objective.ok()) {
    ADD_FAILURE() << objective.status();
    return nullptr;
  }
  return *std::move(objective);
}

TEST(TrainedObjective, DeterministicAndCached) {
  REQUIRE_FASHION_MNIST();
  std::shared_ptr<const SearchSpace> space = *Nasbench201Space::New();
  const Architecture arch = *space->Parse(
      "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|"
      "none~1|nor_conv_3x3~2|");
  auto first = MakeTrained(space, Tmp("cache_a"));
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->fidelities().size(), 2u);
  EXPECT_EQ(first->fidelities()[1].epochs, 2);
  const Evaluation a = first->Evaluate(arch, 1, nullptr);
  EXPECT_GT(a.cost_seconds, 0);
  EXPECT_GE(a.valid_error, 0);
  EXPECT_LE(a.valid_error, 100);
  // Trained again from scratch (another cache): the same errors.
  auto second = MakeTrained(space, Tmp("cache_b"));
  const Evaluation b = second->Evaluate(arch, 1, nullptr);
  EXPECT_EQ(a.valid_error, b.valid_error);
  EXPECT_EQ(a.test_error, b.test_error);
  // A new objective on the first cache: a hit, equal to the bit, cost too.
  auto third = MakeTrained(space, Tmp("cache_a"));
  const Evaluation c = third->Evaluate(arch, 1, nullptr);
  EXPECT_EQ(a.valid_error, c.valid_error);
  EXPECT_EQ(a.test_error, c.test_error);
  EXPECT_EQ(a.cost_seconds, c.cost_seconds);
}

TEST(TrainedObjective, DartsCellsTrain) {
  REQUIRE_FASHION_MNIST();
  std::shared_ptr<const SearchSpace> space = *DartsSpace::New();
  auto objective = MakeTrained(space, Tmp("cache_darts"));
  ASSERT_NE(objective, nullptr);
  Rng rng(3);
  const Evaluation e = objective->Evaluate(space->Sample(rng), 0, nullptr);
  EXPECT_GT(e.cost_seconds, 0);
  EXPECT_LE(e.test_error, 100);
}

TEST(TrainedObjective, BadInputIsAnErrorBeforeAnythingIsWritten) {
  REQUIRE_FASHION_MNIST();
  std::shared_ptr<const SearchSpace> space = *Nasbench201Space::New();
  auto entry = GlobalObjectiveRegistry().Find("trained");
  ASSERT_TRUE(entry.ok());
  const std::string cache = absl::StrCat(std::getenv("TEST_TMPDIR"), "/never");
  TrainedObjectiveParams params;
  params.set_cache_dir(cache);
  params.mutable_recipe()->set_batch_size(0);
  auto bad = (*entry)->factory(space, &params, {"."});
  EXPECT_NE(std::string(bad.status().message()).find("recipe.batch_size 0"),
            std::string::npos)
      << bad.status();
  params.mutable_recipe()->set_batch_size(10);
  params.mutable_recipe()->set_train_images(70000);
  bad = (*entry)->factory(space, &params, {"."});
  EXPECT_NE(std::string(bad.status().message()).find("train_images 70000"),
            std::string::npos)
      << bad.status();
  params.mutable_recipe()->set_train_images(10);
  params.mutable_recipe()->add_fidelity_epochs(2);
  params.mutable_recipe()->add_fidelity_epochs(1);
  bad = (*entry)->factory(space, &params, {"."});
  EXPECT_NE(std::string(bad.status().message()).find("increasing"),
            std::string::npos)
      << bad.status();
  params.clear_recipe();
  params.set_dataset("mnist");
  bad = (*entry)->factory(space, &params, {"."});
  EXPECT_NE(std::string(bad.status().message()).find("unknown dataset"),
            std::string::npos)
      << bad.status();
  params.set_dataset("fashion-mnist");
  params.clear_cache_dir();
  bad = (*entry)->factory(space, &params, {"."});
  EXPECT_NE(std::string(bad.status().message()).find("set cache_dir"),
            std::string::npos)
      << bad.status();
  EXPECT_FALSE(fs::exists(cache));
}

}  // namespace
}  // namespace nas
