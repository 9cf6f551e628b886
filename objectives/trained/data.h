#ifndef NASBENCH_OBJECTIVES_TRAINED_DATA_H_
#define NASBENCH_OBJECTIVES_TRAINED_DATA_H_

// Image-classification data for trained objectives, read from files and
// checked (sizes, magic numbers, labels in range) before anything trains.
// Plain bytes: no libtorch here, so loading and its tests compile fast.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace nas {

// N images of C x H x W bytes (channel-major, as both formats store them)
// and their labels.
struct ImageSet {
  int channels = 0, height = 0, width = 0;
  std::vector<uint8_t> pixels;
  std::vector<uint8_t> labels;
  int64_t size() const { return static_cast<int64_t>(labels.size()); }
  int64_t image_bytes() const {
    return static_cast<int64_t>(channels) * height * width;
  }
  // The first `n` images (all when n <= 0 or n >= size()).
  ImageSet Head(int64_t n) const;
};

struct Dataset {
  std::string name;
  int num_classes = 10;
  ImageSet train, valid, test;
  // Per-channel normalisation: (pixel / 255 - mean) / stddev.
  std::vector<float> mean, stddev;
  // Every file read, absolute.
  std::vector<std::string> files;
};

// Fashion-MNIST as Debian's dataset-fashion-mnist installs it: the four
// gzipped IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
// t10k-...) in `dir` (default /usr/share/datasets/fashion-mnist); plain
// (un-gzipped) files of the same names without ".gz" are read too. Split
// rule: the first 50,000 training images train, the last 10,000 validate;
// the official 10,000 test images test.
inline constexpr char kFashionMnistDefaultDir[] =
    "/usr/share/datasets/fashion-mnist";
absl::StatusOr<Dataset> LoadFashionMnist(const std::string& dir);

// CIFAR-10's binary version (cifar-10-batches-bin): data_batch_1.bin ..
// data_batch_5.bin and test_batch.bin in `dir`, each record one label byte
// and 3072 pixel bytes (1024 red, 1024 green, 1024 blue, row-major 32x32).
// Split rule: batches 1-4 train, batch 5 validates, test_batch tests. A
// batch may hold any whole number of records (the official ones hold
// 10,000).
absl::StatusOr<Dataset> LoadCifar10(const std::string& dir);

// By name: "fashion-mnist" or "cifar10"; `dir` empty means the default
// (Fashion-MNIST only).
absl::StatusOr<Dataset> LoadDataset(const std::string& name,
                                    const std::string& dir);

// One IDX pair (images: magic 0x00000803, labels: 0x00000801), gzipped when
// the name ends in ".gz". Checks magic numbers, that the counts agree, that
// the file holds exactly the bytes its header promises, and labels < 10.
absl::StatusOr<ImageSet> ReadIdxPair(const std::string& images_path,
                                     const std::string& labels_path);

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TRAINED_DATA_H_
