#include "objectives/proxies/score_cache.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "objectives/trained/cache.h"

namespace nas {
namespace {
constexpr char kScoreLine[] = "\nscore: ";

// Infinite scores are legitimate (a singular kernel), and written by
// printf as "inf" / "-inf", which SimpleAtod does not read back.
bool ParseScore(absl::string_view text, double* score) {
  if (text == "inf" || text == "-inf") {
    *score = text[0] == '-' ? -std::numeric_limits<double>::infinity()
                            : std::numeric_limits<double>::infinity();
    return true;
  }
  return absl::SimpleAtod(text, score);
}
}  // namespace

std::string ScoreCache::EntryPath(const std::string& key) const {
  const std::string hash = ResultCache::KeyHash(key);
  return absl::StrCat(dir_, "/", hash.substr(0, 2), "/", hash, ".score");
}

absl::StatusOr<std::optional<double>> ScoreCache::Lookup(
    const std::string& key) const {
  const std::string path = EntryPath(key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<double>();
  std::stringstream text;
  text << in.rdbuf();
  const std::string contents = text.str();
  absl::string_view rest = contents;
  double score = 0;
  if (!absl::ConsumePrefix(&rest, key) || !absl::ConsumePrefix(&rest, kScoreLine) ||
      !absl::ConsumeSuffix(&rest, "\n") || !ParseScore(rest, &score)) {
    return absl::DataLossError(absl::StrCat(
        "proxy score cache entry ", path,
        " is damaged or holds another key; delete it (it is recomputed)"));
  }
  return std::optional<double>(score);
}

absl::Status ScoreCache::Store(const std::string& key, double score) const {
  static std::atomic<int64_t> sequence{0};
  const std::string path = EntryPath(key);
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot create the proxy score cache directory ", parent.string(),
        ": ", error.message(), "; check cache_dir"));
  }
  char host[256] = "host";
  gethostname(host, sizeof(host) - 1);
  const std::string temporary =
      absl::StrCat(parent.string(), "/.", std::filesystem::path(path).filename().string(),
                   ".tmp-", host, "-", getpid(), "-", sequence++);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << key << kScoreLine << absl::StrFormat("%.17g", score) << "\n";
    if (!out.flush()) {
      std::remove(temporary.c_str());
      return absl::DataLossError(
          absl::StrCat("cannot write proxy score cache entry ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return absl::DataLossError(
        absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

}  // namespace nas
