#include "harness/store.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "harness/config.h"
#include "harness/output.h"
#include "absl/strings/str_format.h"
#include "openssl/evp.h"
#include "xxhash.h"

namespace nas {
namespace {

// Every regular file below `dir`, as paths relative to it.
void ListFiles(const std::string& dir, const std::string& prefix,
               std::vector<std::string>* out) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return;
  while (const dirent* entry = ::readdir(handle)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    const std::string path = absl::StrCat(dir, "/", name);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      ListFiles(path, absl::StrCat(prefix, name, "/"), out);
    } else if (S_ISREG(st.st_mode)) {
      out->push_back(absl::StrCat(prefix, name));
    }
  }
  ::closedir(handle);
}

absl::Status RemoveTree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return absl::OkStatus();
  if (S_ISDIR(st.st_mode)) {
    DIR* handle = ::opendir(path.c_str());
    if (handle != nullptr) {
      std::vector<std::string> children;
      while (const dirent* entry = ::readdir(handle)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") children.push_back(name);
      }
      ::closedir(handle);
      for (const std::string& child : children) {
        if (absl::Status s = RemoveTree(absl::StrCat(path, "/", child));
            !s.ok()) {
          return s;
        }
      }
    }
    if (::rmdir(path.c_str()) != 0) {
      return absl::InternalError(absl::StrCat("cannot remove '", path,
                                              "': ", std::strerror(errno)));
    }
  } else if (::unlink(path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot remove '", path, "': ",
                                            std::strerror(errno)));
  }
  return absl::OkStatus();
}

// Files a run produces; --overwrite removes exactly these.
constexpr const char* kOutputs[] = {kConfigFile,      kManifestFile,
                                    "summary.csv",    "summary.json",
                                    "leaderboard.md", "report.html",
                                    "plots",          "cells"};

}  // namespace

std::string ContentHash(absl::string_view bytes) {
  const XXH128_hash_t hash = XXH3_128bits(bytes.data(), bytes.size());
  return absl::StrFormat("%016x%016x", hash.high64, hash.low64);
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(),
             nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read '", path, "': ", std::strerror(errno)));
  }
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string CellRelativePath(const Experiment& config, const CellId& id) {
  return absl::StrCat("cells/", config.benchmark(id.benchmark).name(), "/",
                      config.algorithm(id.algorithm).label(), "/seed_",
                      id.seed, ".csv");
}

std::vector<CellId> AllCells(const Experiment& config) {
  std::vector<CellId> cells;
  for (int b = 0; b < config.benchmark_size(); ++b) {
    for (int a = 0; a < config.algorithm_size(); ++a) {
      for (int s = 0; s < config.num_seeds(); ++s) cells.push_back({b, a, s});
    }
  }
  return cells;
}

std::string ConfigText(const Experiment& config) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(config, &text);
  return text;
}

absl::Status PrepareOutputDir(const std::string& dir, const Experiment& config,
                              OpenMode mode) {
  const std::string config_path = absl::StrCat(dir, "/", kConfigFile);
  const std::string text = ConfigText(config);
  const bool has_results = PathExists(config_path) ||
                           PathExists(absl::StrCat(dir, "/cells")) ||
                           PathExists(absl::StrCat(dir, "/summary.csv"));
  switch (mode) {
    case OpenMode::kFresh:
      if (has_results) {
        return absl::FailedPreconditionError(absl::StrCat(
            "'", dir, "' already holds results; pass --resume to finish that "
            "run, --overwrite to replace it, or choose another --output_dir"));
      }
      break;
    case OpenMode::kOverwrite:
      for (const char* name : kOutputs) {
        if (absl::Status s = RemoveTree(absl::StrCat(dir, "/", name));
            !s.ok()) {
          return s;
        }
      }
      break;
    case OpenMode::kResume:
      if (PathExists(config_path)) {
        absl::StatusOr<std::string> stored = ReadFile(config_path);
        if (!stored.ok()) return stored.status();
        if (*stored != text) {
          return absl::FailedPreconditionError(absl::StrCat(
              "cannot resume: '", config_path,
              "' holds a different experiment than this config (after "
              "normalisation). Resume with the config that started the run, "
              "or use another --output_dir"));
        }
      } else if (has_results) {
        return absl::FailedPreconditionError(absl::StrCat(
            "cannot resume: '", dir, "' has results but no ", kConfigFile));
      }
      break;
  }
  if (absl::Status s = MakeDirectories(dir); !s.ok()) return s;
  // Temporary files of a killed run are never results.
  std::vector<std::string> files;
  ListFiles(dir, "", &files);
  for (const std::string& file : files) {
    if (absl::StrContains(file, ".tmp.")) {
      ::unlink(absl::StrCat(dir, "/", file).c_str());
    }
  }
  return WriteFileAtomically(config_path, text);
}

bool CellFinished(const std::string& dir, const Experiment& config,
                  const CellId& id) {
  return PathExists(absl::StrCat(dir, "/", CellRelativePath(config, id)));
}

absl::Status WriteCell(const std::string& dir, const Experiment& config,
                       const CellId& id, const std::string& contents) {
  const std::string path =
      absl::StrCat(dir, "/", CellRelativePath(config, id));
  if (absl::Status s = MakeDirectories(path.substr(0, path.rfind('/')));
      !s.ok()) {
    return s;
  }
  return WriteFileAtomically(path, contents);
}

absl::StatusOr<Experiment> ReadStoredConfig(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kConfigFile);
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat(
        "'", dir, "' is not a results directory (no ", kConfigFile, ")"));
  }
  return ParseExperiment(*text, path);
}

absl::StatusOr<Manifest> ReadManifest(const std::string& dir) {
  const std::string path = absl::StrCat(dir, "/", kManifestFile);
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  Manifest manifest;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // Judge by `schema` instead.
  const auto status =
      google::protobuf::util::JsonStringToMessage(*text, &manifest, options);
  if (!status.ok()) {
    return absl::DataLossError(absl::StrCat(
        path, ": not a valid manifest (", status.ToString(),
        "); rerun the experiment with --overwrite to rewrite it"));
  }
  if (manifest.schema() != kManifestSchema) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": written for results schema '", manifest.schema(),
        "', this nas reads '", kManifestSchema,
        "'. Use the nas build that wrote it, or rerun the experiment with "
        "--overwrite."));
  }
  return manifest;
}

absl::Status WriteManifest(const std::string& dir, const Manifest& manifest) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  const auto status =
      google::protobuf::util::MessageToJsonString(manifest, &json, options);
  if (!status.ok()) return absl::InternalError(status.ToString());
  return WriteFileAtomically(absl::StrCat(dir, "/", kManifestFile), json);
}

absl::StatusOr<std::vector<StoredCell>> LoadCells(
    const std::string& dir, const Experiment& config, Manifest* manifest,
    const PreloadedCells* preloaded) {
  std::vector<StoredCell> cells;
  std::string fingerprint_input;
  const std::vector<CellId> all = AllCells(config);
  for (size_t i = 0; i < all.size(); ++i) {
    const CellId& id = all[i];
    const std::string relative = CellRelativePath(config, id);
    if (preloaded != nullptr) {
      auto it = preloaded->find(static_cast<int>(i));
      if (it != preloaded->end()) {
        cells.push_back(it->second.cell);
        absl::StrAppend(&fingerprint_input, relative, "\n",
                        it->second.content_hash,
                        "\n");
        continue;
      }
    }
    const std::string path = absl::StrCat(dir, "/", relative);
    if (!PathExists(path)) continue;
    absl::StatusOr<std::string> text = ReadFile(path);
    if (!text.ok()) return text.status();
    absl::StatusOr<StoredCell> cell = ParseCellFile(*text, id, path);
    if (!cell.ok()) return cell.status();
    cells.push_back(*std::move(cell));
    absl::StrAppend(&fingerprint_input, relative, "\n", ContentHash(*text),
                    "\n");
  }
  manifest->set_num_cells(static_cast<int>(all.size()));
  manifest->set_num_finished_cells(static_cast<int>(cells.size()));
  manifest->set_results_fingerprint(ContentHash(fingerprint_input));
  return cells;
}

}  // namespace nas
