#include "objectives/trained/cache.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"

namespace nas {
namespace {

namespace fs = std::filesystem;

constexpr char kEntrySuffix[] = ".entry";
constexpr char kTempMarker[] = ".tmp-";

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(),
             nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

absl::StatusOr<TrainedCacheEntry> ReadEntry(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read '", path, "'"));
  std::ostringstream text;
  text << in.rdbuf();
  TrainedCacheEntry entry;
  if (!google::protobuf::TextFormat::ParseFromString(text.str(), &entry) ||
      !entry.has_key() || !entry.has_valid_error()) {
    return absl::DataLossError(absl::StrCat(
        "cache entry '", path,
        "' is damaged (not a whole TrainedCacheEntry); `nas cache gc "
        "CACHE_DIR` removes damaged entries"));
  }
  return entry;
}

bool IsEntryName(const fs::path& p) {
  const std::string name = p.filename().string();
  return absl::EndsWith(name, kEntrySuffix) && name[0] != '.';
}

bool IsTempName(const fs::path& p) {
  const std::string name = p.filename().string();
  return name[0] == '.' && absl::StrContains(name, kTempMarker);
}

}  // namespace

std::string ResultCache::KeyHash(const std::string& key) {
  return Sha256Hex(key);
}

std::string ResultCache::EntryPath(const std::string& key) const {
  const std::string hash = KeyHash(key);
  return absl::StrCat(dir_, "/", hash.substr(0, 2), "/", hash, kEntrySuffix);
}

absl::StatusOr<std::optional<TrainedCacheEntry>> ResultCache::Lookup(
    const std::string& key) const {
  const std::string path = EntryPath(key);
  std::error_code error;
  if (!fs::exists(path, error)) return std::optional<TrainedCacheEntry>();
  absl::StatusOr<TrainedCacheEntry> entry = ReadEntry(path);
  if (!entry.ok()) return entry.status();
  if (entry->key() != key) {
    return absl::DataLossError(absl::StrCat(
        "cache entry '", path,
        "' holds another key than its name says; `nas cache verify ", dir_,
        "` lists such entries and `nas cache gc` removes them"));
  }
  return std::optional<TrainedCacheEntry>(*std::move(entry));
}

absl::Status ResultCache::Store(const TrainedCacheEntry& entry) const {
  static std::atomic<uint64_t> counter{0};
  const std::string path = EntryPath(entry.key());
  const fs::path directory = fs::path(path).parent_path();
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot create cache directory '", directory.string(), "': ",
        error.message(), "; set cache_dir to a writable directory"));
  }
  char host[256] = "host";
  gethostname(host, sizeof(host) - 1);
  const std::string temp = absl::StrCat(
      directory.string(), "/.", KeyHash(entry.key()), kTempMarker, host, "-",
      getpid(), "-", counter.fetch_add(1));
  std::string text;
  google::protobuf::TextFormat::PrintToString(entry, &text);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      fs::remove(temp, error);
      return absl::PermissionDeniedError(
          absl::StrCat("cannot write cache entry '", temp, "'"));
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    fs::remove(temp, error);
    return absl::PermissionDeniedError(
        absl::StrCat("cannot rename '", temp, "' to '", path, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ResultCache::Stats> ResultCache::ComputeStats() const {
  std::error_code error;
  if (!fs::is_directory(dir_, error)) {
    return absl::NotFoundError(
        absl::StrCat("'", dir_, "' is not a cache directory"));
  }
  Stats stats;
  std::map<std::string, int64_t> groups;
  for (const auto& item : fs::recursive_directory_iterator(dir_, error)) {
    if (!item.is_regular_file()) continue;
    if (IsTempName(item.path())) {
      ++stats.temporary_files;
      continue;
    }
    if (!IsEntryName(item.path())) continue;
    ++stats.entries;
    stats.bytes += static_cast<int64_t>(item.file_size());
    absl::StatusOr<TrainedCacheEntry> entry = ReadEntry(item.path().string());
    if (!entry.ok()) continue;
    stats.train_seconds += entry->train_seconds();
    ++groups[absl::StrCat(entry->space(), ", ", entry->epochs(), " epochs, ",
                          entry->libraries())];
  }
  stats.groups.assign(groups.begin(), groups.end());
  return stats;
}

absl::StatusOr<std::vector<std::string>> ResultCache::Verify() const {
  std::error_code error;
  if (!fs::is_directory(dir_, error)) {
    return absl::NotFoundError(
        absl::StrCat("'", dir_, "' is not a cache directory"));
  }
  std::vector<std::string> problems;
  for (const auto& item : fs::recursive_directory_iterator(dir_, error)) {
    if (!item.is_regular_file() || !IsEntryName(item.path())) continue;
    const std::string path = item.path().string();
    absl::StatusOr<TrainedCacheEntry> entry = ReadEntry(path);
    if (!entry.ok()) {
      problems.push_back(std::string(entry.status().message()));
      continue;
    }
    const std::string hash = KeyHash(entry->key());
    if (item.path().filename().string() != hash + kEntrySuffix ||
        item.path().parent_path().filename().string() != hash.substr(0, 2)) {
      problems.push_back(absl::StrCat(path, ": its key hashes to ", hash,
                                      ", not to its file name"));
      continue;
    }
    if (!std::isfinite(entry->valid_error()) ||
        !std::isfinite(entry->test_error()) ||
        !(entry->train_seconds() >= 0)) {
      problems.push_back(absl::StrCat(path, ": non-finite error or cost"));
    }
  }
  std::sort(problems.begin(), problems.end());
  return problems;
}

absl::StatusOr<ResultCache::GcResult> ResultCache::Collect(
    const std::string& libraries) const {
  std::error_code error;
  if (!fs::is_directory(dir_, error)) {
    return absl::NotFoundError(
        absl::StrCat("'", dir_, "' is not a cache directory"));
  }
  GcResult result;
  std::vector<fs::path> doomed;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& item : fs::recursive_directory_iterator(dir_, error)) {
    if (!item.is_regular_file()) continue;
    if (IsTempName(item.path())) {
      if (now - item.last_write_time() > std::chrono::hours(1)) {
        doomed.push_back(item.path());
        ++result.removed_temporary;
      }
      continue;
    }
    if (!IsEntryName(item.path())) continue;
    absl::StatusOr<TrainedCacheEntry> entry = ReadEntry(item.path().string());
    const bool damaged =
        !entry.ok() || item.path().filename().string() !=
                           KeyHash(entry->key()) + kEntrySuffix;
    if (damaged || (!libraries.empty() && entry->libraries() != libraries)) {
      doomed.push_back(item.path());
      ++result.removed_entries;
    }
  }
  for (const fs::path& p : doomed) {
    fs::remove(p, error);
    result.removed.push_back(p.string());
  }
  std::sort(result.removed.begin(), result.removed.end());
  return result;
}

}  // namespace nas
