#include "objectives/trained/cache.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

// SHA-256 of the entry's text form with the checksum field cleared.
std::string ContentChecksum(TrainedCacheEntry entry) {
  entry.clear_checksum();
  std::string text;
  google::protobuf::TextFormat::PrintToString(entry, &text);
  return Sha256Hex(text);
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
        "--cache_dir DIR` removes damaged entries"));
  }
  if (entry.checksum() != ContentChecksum(entry)) {
    return absl::DataLossError(absl::StrCat(
        "cache entry '", path,
        "' is damaged (its contents do not match its checksum: edited, "
        "truncated or written before entries carried checksums); `nas cache "
        "gc --cache_dir DIR` removes damaged entries"));
  }
  return entry;
}

bool IsHex(absl::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// Only names the cache itself makes count as its files; anything else in
// the directory (a user's notes, another tool's files) is never touched.
bool IsEntryName(const fs::path& p) {
  const std::string name = p.filename().string();
  const std::string parent = p.parent_path().filename().string();
  return name.size() == 64 + std::strlen(kEntrySuffix) &&
         absl::EndsWith(name, kEntrySuffix) && IsHex(name.substr(0, 64)) &&
         parent == name.substr(0, 2);
}

// ".<64 hex>.tmp-<host>-<pid>-<n>", as Store writes them.
bool IsTempName(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 65 + std::strlen(kTempMarker) && name[0] == '.' &&
         IsHex(name.substr(1, 64)) &&
         absl::StartsWith(absl::string_view(name).substr(65), kTempMarker);
}

// The line of the key starting with `field`: (without it), or "".
std::string KeyLine(const std::string& key, absl::string_view field) {
  for (absl::string_view line : absl::StrSplit(key, '\n')) {
    if (absl::ConsumePrefix(&line, field)) return std::string(line);
  }
  return "";
}

// "space, dataset, recipe <hash>, N epochs": entries of one experiment's
// benchmark share it. The recipe is long, so a short hash of it stands in.
std::string GroupName(const TrainedCacheEntry& entry) {
  std::string dataset = KeyLine(entry.key(), "dataset: ");
  dataset = dataset.substr(0, dataset.find(' '));
  return absl::StrCat(entry.space(), ", ", dataset, ", recipe ",
                      Sha256Hex(KeyLine(entry.key(), "recipe: ")).substr(0, 12),
                      ", ", entry.epochs(), " epochs");
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
  TrainedCacheEntry checked = entry;
  checked.set_checksum(ContentChecksum(entry));
  std::string text;
  google::protobuf::TextFormat::PrintToString(checked, &text);
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
  std::map<std::string, Stats::Group> groups;
  for (const auto& item : fs::recursive_directory_iterator(dir_, error)) {
    if (!item.is_regular_file()) continue;
    if (IsTempName(item.path())) {
      ++stats.temporary_files;
      continue;
    }
    if (!IsEntryName(item.path())) continue;
    const int64_t bytes = static_cast<int64_t>(item.file_size());
    ++stats.entries;
    stats.bytes += bytes;
    absl::StatusOr<TrainedCacheEntry> entry = ReadEntry(item.path().string());
    if (!entry.ok()) {
      ++stats.damaged;
      continue;
    }
    stats.train_seconds += entry->train_seconds();
    Stats::Group& group = groups[GroupName(*entry)];
    ++group.entries;
    group.bytes += bytes;
    group.train_seconds += entry->train_seconds();
  }
  for (auto& [name, group] : groups) {
    group.name = name;
    stats.groups.push_back(group);
  }
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
    const GcOptions& options) const {
  std::error_code error;
  if (!fs::is_directory(dir_, error)) {
    return absl::NotFoundError(
        absl::StrCat("'", dir_, "' is not a cache directory"));
  }
  GcResult result;
  std::vector<fs::path> doomed;
  const auto now = fs::file_time_type::clock::now();
  const auto age = [&](const fs::directory_entry& item) {
    return std::chrono::duration<double>(now - item.last_write_time()).count();
  };
  for (const auto& item : fs::recursive_directory_iterator(dir_, error)) {
    if (!item.is_regular_file()) continue;
    if (IsTempName(item.path())) {
      // A younger one may belong to a training that is still writing.
      if (age(item) > 3600) {
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
    const bool other_libraries = !damaged && !options.libraries.empty() &&
                                 entry->libraries() != options.libraries;
    const bool too_old = options.older_than_seconds > 0 &&
                         age(item) > options.older_than_seconds;
    if (damaged || other_libraries || too_old) {
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

absl::StatusOr<CacheCommandOutput> RunCacheCommand(const std::string& action,
                                                   const std::string& dir,
                                                   double older_than_days) {
  if (dir.empty()) {
    return absl::InvalidArgumentError(
        "cache needs --cache_dir DIR (the cache_dir of a trained objective)");
  }
  if (!(older_than_days >= 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--older_than_days ", older_than_days,
                     ": must be 0 (keep entries of any age) or positive"));
  }
  if (older_than_days > 0 && action != "gc") {
    return absl::InvalidArgumentError(
        "--older_than_days applies to `nas cache gc` only");
  }
  const ResultCache cache(dir);
  CacheCommandOutput out;
  if (action == "stats") {
    absl::StatusOr<ResultCache::Stats> stats = cache.ComputeStats();
    if (!stats.ok()) return stats.status();
    out.text = absl::StrFormat(
        "cache %s: %d entries, %d bytes, %.1f s of training; %d damaged, %d "
        "temporary files\n",
        dir, stats->entries, stats->bytes, stats->train_seconds,
        stats->damaged, stats->temporary_files);
    for (const ResultCache::Stats::Group& g : stats->groups) {
      absl::StrAppendFormat(&out.text, "  %8d entries %10d bytes %9.1f s  %s\n",
                            g.entries, g.bytes, g.train_seconds, g.name);
    }
  } else if (action == "verify") {
    absl::StatusOr<std::vector<std::string>> problems = cache.Verify();
    if (!problems.ok()) return problems.status();
    for (const std::string& problem : *problems) {
      absl::StrAppend(&out.text, "damaged: ", problem, "\n");
    }
    absl::StrAppend(&out.text, "cache ", dir, ": ", problems->size(),
                    problems->empty() ? " problems; every entry is intact\n"
                                      : " damaged entries; `nas cache gc "
                                        "--cache_dir DIR` removes them\n");
    out.exit_code = problems->empty() ? 0 : 1;
  } else if (action == "gc") {
    ResultCache::GcOptions options;
    options.older_than_seconds = older_than_days * 86400;
    absl::StatusOr<ResultCache::GcResult> gc = cache.Collect(options);
    if (!gc.ok()) return gc.status();
    for (const std::string& path : gc->removed) {
      absl::StrAppend(&out.text, "removed ", path, "\n");
    }
    absl::StrAppend(&out.text, "cache ", dir, ": removed ", gc->removed_entries,
                    " entries and ", gc->removed_temporary,
                    " temporary files\n");
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown cache action '", action,
                     "'; use stats, verify or gc"));
  }
  return out;
}

}  // namespace nas
