#include "objectives/trained/data.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nas {
namespace {

constexpr int kFashionMnistTrain = 50000;

absl::StatusOr<std::string> ReadWhole(const std::string& path) {
  if (absl::EndsWith(path, ".gz")) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) {
      return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
    }
    std::string bytes;
    char buffer[1 << 16];
    while (true) {
      const int n = gzread(file, buffer, sizeof(buffer));
      if (n < 0) {
        int errnum = 0;
        const std::string message = gzerror(file, &errnum);
        gzclose(file);
        return absl::DataLossError(absl::StrCat(
            "'", path, "' is not a readable gzip file (", message,
            "); reinstall it (apt-get install --reinstall "
            "dataset-fashion-mnist) or point dataset_dir elsewhere"));
      }
      if (n == 0) break;
      bytes.append(buffer, n);
    }
    gzclose(file);
    return bytes;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

uint32_t BigEndian32(const std::string& bytes, size_t offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + offset;
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
         (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

absl::Status Bad(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", path, "': ", what,
                   ". The file is damaged or not in the expected format; "
                   "reinstall the dataset or point dataset_dir at good "
                   "copies"));
}

absl::Status CheckLabels(const std::string& path, const ImageSet& set,
                         int num_classes, int64_t first_record) {
  for (int64_t i = 0; i < set.size(); ++i) {
    if (set.labels[i] >= num_classes) {
      return Bad(path, absl::StrCat("record ", first_record + i, " has label ",
                                    int{set.labels[i]}, ", outside 0..",
                                    num_classes - 1));
    }
  }
  return absl::OkStatus();
}

ImageSet Slice(const ImageSet& set, int64_t begin, int64_t end) {
  ImageSet out;
  out.channels = set.channels;
  out.height = set.height;
  out.width = set.width;
  const int64_t bytes = set.image_bytes();
  out.pixels.assign(set.pixels.begin() + begin * bytes,
                    set.pixels.begin() + end * bytes);
  out.labels.assign(set.labels.begin() + begin, set.labels.begin() + end);
  return out;
}

// Finds "name.gz" or "name" in dir.
std::string FindFile(const std::string& dir, const std::string& name) {
  const std::string gz = absl::StrCat(dir, "/", name, ".gz");
  if (std::ifstream(gz).good()) return gz;
  const std::string plain = absl::StrCat(dir, "/", name);
  if (std::ifstream(plain).good()) return plain;
  return gz;  // Reported as missing under its usual name.
}

absl::Status Append(const ImageSet& from, ImageSet* to) {
  if (to->size() == 0) {
    *to = from;
    return absl::OkStatus();
  }
  to->pixels.insert(to->pixels.end(), from.pixels.begin(), from.pixels.end());
  to->labels.insert(to->labels.end(), from.labels.begin(), from.labels.end());
  return absl::OkStatus();
}

absl::StatusOr<ImageSet> ReadCifarBatch(const std::string& path) {
  constexpr int64_t kRecord = 1 + 3 * 32 * 32;
  absl::StatusOr<std::string> bytes = ReadWhole(path);
  if (!bytes.ok()) {
    return absl::NotFoundError(absl::StrCat(
        bytes.status().message(),
        ": CIFAR-10 needs data_batch_1.bin .. data_batch_5.bin and "
        "test_batch.bin (the binary version, cifar-10-binary.tar.gz, "
        "extracted) in dataset_dir"));
  }
  if (bytes->empty() || bytes->size() % kRecord != 0) {
    return Bad(path, absl::StrCat(bytes->size(),
                                  " bytes is not a whole number of 3073-byte "
                                  "CIFAR-10 records (1 label + 3072 pixels)"));
  }
  ImageSet set;
  set.channels = 3;
  set.height = set.width = 32;
  const int64_t n = static_cast<int64_t>(bytes->size()) / kRecord;
  set.labels.resize(n);
  set.pixels.resize(n * 3072);
  for (int64_t i = 0; i < n; ++i) {
    const char* record = bytes->data() + i * kRecord;
    set.labels[i] = static_cast<uint8_t>(record[0]);
    std::copy(record + 1, record + kRecord, set.pixels.begin() + i * 3072);
  }
  if (absl::Status s = CheckLabels(path, set, 10, 0); !s.ok()) return s;
  return set;
}

}  // namespace

ImageSet ImageSet::Head(int64_t n) const {
  if (n <= 0 || n >= size()) return *this;
  return Slice(*this, 0, n);
}

absl::StatusOr<ImageSet> ReadIdxPair(const std::string& images_path,
                                     const std::string& labels_path) {
  absl::StatusOr<std::string> images = ReadWhole(images_path);
  if (!images.ok()) return images.status();
  absl::StatusOr<std::string> labels = ReadWhole(labels_path);
  if (!labels.ok()) return labels.status();
  if (images->size() < 16) return Bad(images_path, "shorter than an IDX header");
  if (labels->size() < 8) return Bad(labels_path, "shorter than an IDX header");
  if (BigEndian32(*images, 0) != 0x803) {
    return Bad(images_path,
               absl::StrFormat("magic number 0x%08x, expected 0x00000803 "
                               "(IDX, unsigned bytes, 3 dimensions)",
                               BigEndian32(*images, 0)));
  }
  if (BigEndian32(*labels, 0) != 0x801) {
    return Bad(labels_path,
               absl::StrFormat("magic number 0x%08x, expected 0x00000801 "
                               "(IDX, unsigned bytes, 1 dimension)",
                               BigEndian32(*labels, 0)));
  }
  const uint32_t n = BigEndian32(*images, 4);
  const uint32_t rows = BigEndian32(*images, 8), cols = BigEndian32(*images, 12);
  if (BigEndian32(*labels, 4) != n) {
    return Bad(labels_path, absl::StrCat("holds ", BigEndian32(*labels, 4),
                                         " labels for ", n, " images in '",
                                         images_path, "'"));
  }
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096) {
    return Bad(images_path, absl::StrCat("image size ", rows, "x", cols));
  }
  const uint64_t expected = 16 + uint64_t{n} * rows * cols;
  if (images->size() != expected) {
    return Bad(images_path, absl::StrCat("is ", images->size(),
                                         " bytes; its header promises ",
                                         expected));
  }
  if (labels->size() != 8 + uint64_t{n}) {
    return Bad(labels_path, absl::StrCat("is ", labels->size(),
                                         " bytes; its header promises ",
                                         8 + uint64_t{n}));
  }
  ImageSet set;
  set.channels = 1;
  set.height = static_cast<int>(rows);
  set.width = static_cast<int>(cols);
  set.pixels.assign(images->begin() + 16, images->end());
  set.labels.assign(labels->begin() + 8, labels->end());
  if (absl::Status s = CheckLabels(labels_path, set, 10, 0); !s.ok()) return s;
  return set;
}

absl::StatusOr<Dataset> LoadFashionMnist(const std::string& dir) {
  Dataset data;
  data.name = "fashion-mnist";
  const std::string train_images = FindFile(dir, "train-images-idx3-ubyte");
  const std::string train_labels = FindFile(dir, "train-labels-idx1-ubyte");
  const std::string test_images = FindFile(dir, "t10k-images-idx3-ubyte");
  const std::string test_labels = FindFile(dir, "t10k-labels-idx1-ubyte");
  for (const std::string& f :
       {train_images, train_labels, test_images, test_labels}) {
    if (!std::ifstream(f).good()) {
      return absl::NotFoundError(absl::StrCat(
          "Fashion-MNIST: cannot read '", f,
          "'. Install Debian's copy (apt-get install dataset-fashion-mnist, "
          "which puts it in ", kFashionMnistDefaultDir,
          ") or set dataset_dir to a directory holding the four IDX files"));
    }
  }
  absl::StatusOr<ImageSet> train = ReadIdxPair(train_images, train_labels);
  if (!train.ok()) return train.status();
  absl::StatusOr<ImageSet> test = ReadIdxPair(test_images, test_labels);
  if (!test.ok()) return test.status();
  if (train->size() != 60000 || test->size() != 10000 ||
      train->height != 28 || test->height != 28 || train->width != 28 ||
      test->width != 28) {
    return Bad(train_images,
               absl::StrCat("Fashion-MNIST has 60,000 + 10,000 images of "
                            "28x28; found ", train->size(), " of ",
                            train->height, "x", train->width, " + ",
                            test->size(), " of ", test->height, "x",
                            test->width));
  }
  data.train = Slice(*train, 0, kFashionMnistTrain);
  data.valid = Slice(*train, kFashionMnistTrain, train->size());
  data.test = std::move(*test);
  data.mean = {0.2860f};
  data.stddev = {0.3530f};
  data.files = {train_images, train_labels, test_images, test_labels};
  return data;
}

absl::StatusOr<Dataset> LoadCifar10(const std::string& dir) {
  if (dir.empty()) {
    return absl::InvalidArgumentError(
        "dataset 'cifar10' needs dataset_dir: the directory holding "
        "data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
  }
  Dataset data;
  data.name = "cifar10";
  for (int b = 1; b <= 5; ++b) {
    const std::string path = absl::StrCat(dir, "/data_batch_", b, ".bin");
    absl::StatusOr<ImageSet> batch = ReadCifarBatch(path);
    if (!batch.ok()) return batch.status();
    if (absl::Status s = Append(*batch, b < 5 ? &data.train : &data.valid);
        !s.ok()) {
      return s;
    }
    data.files.push_back(path);
  }
  const std::string test_path = absl::StrCat(dir, "/test_batch.bin");
  absl::StatusOr<ImageSet> test = ReadCifarBatch(test_path);
  if (!test.ok()) return test.status();
  data.test = std::move(*test);
  data.files.push_back(test_path);
  data.mean = {0.4914f, 0.4822f, 0.4465f};
  data.stddev = {0.2470f, 0.2435f, 0.2616f};
  return data;
}

absl::StatusOr<Dataset> LoadDataset(const std::string& name,
                                    const std::string& dir) {
  if (name == "fashion-mnist") {
    return LoadFashionMnist(dir.empty() ? kFashionMnistDefaultDir : dir);
  }
  if (name == "cifar10") return LoadCifar10(dir);
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown dataset '", name,
      "'; trained objectives read 'fashion-mnist' (default) or 'cifar10'"));
}

}  // namespace nas
