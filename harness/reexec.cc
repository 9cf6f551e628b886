#include "harness/reexec.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "harness/output.h"

namespace nas {
namespace {

// Set in the full binary's environment by the hand-over.
constexpr char kHandedOverEnv[] = "NAS_HANDED_OVER_FROM_LIGHT_BINARY";

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// A message type without fields, standing in for every parameter type this
// binary does not link: their fields are skipped as unknown ones.
const google::protobuf::Descriptor* OpaqueType() {
  static const google::protobuf::Descriptor* const type = [] {
    auto* pool = new google::protobuf::DescriptorPool();
    google::protobuf::FileDescriptorProto file;
    file.set_name("nas_reexec_opaque.proto");
    file.set_package("nas.reexec");
    file.add_message_type()->set_name("Opaque");
    pool->BuildFile(file);
    return pool->FindMessageTypeByName("nas.reexec.Opaque");
  }();
  return type;
}

class LenientAnyFinder : public google::protobuf::TextFormat::Finder {
 public:
  const google::protobuf::Descriptor* FindAnyType(
      const google::protobuf::Message& message, const std::string& prefix,
      const std::string& name) const override {
    const google::protobuf::Descriptor* known =
        Finder::FindAnyType(message, prefix, name);
    return known != nullptr ? known : OpaqueType();
  }
};

// Its complaints are LoadExperiment's to make, with positions and fixes.
class SilentErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
  void AddWarning(int, int, const std::string&) override {}
};

}  // namespace

absl::StatusOr<std::string> FindFullBinary(const char* argv0) {
  std::vector<std::string> candidates;
  std::vector<char> exe(4096);
  const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  if (n > 0) {
    candidates.push_back(absl::StrCat(DirectoryOf(std::string(exe.data(), n)),
                                      "/", kFullBinaryName));
  }
  if (argv0 != nullptr && std::strchr(argv0, '/') != nullptr) {
    const std::string beside_argv0 =
        absl::StrCat(DirectoryOf(argv0), "/", kFullBinaryName);
    if (candidates.empty() || candidates[0] != beside_argv0) {
      candidates.push_back(beside_argv0);
    }
  }
  for (const std::string& candidate : candidates) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return absl::NotFoundError(absl::StrCat("no executable ", kFullBinaryName,
                                          " at ",
                                          absl::StrJoin(candidates, " or ")));
}

absl::Status ExecFullBinary(char** argv) {
  if (std::getenv(kHandedOverEnv) != nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this binary was started as ", kFullBinaryName,
        " but links no libtorch plugins (a misbuilt or renamed copy)"));
  }
  absl::StatusOr<std::string> full = FindFullBinary(argv[0]);
  if (!full.ok()) return full.status();
  ::setenv(kHandedOverEnv, "1", 1);
  ::execv(full->c_str(), argv);
  const int error = errno;
  ::unsetenv(kHandedOverEnv);
  return absl::InternalError(
      absl::StrCat("cannot execute ", *full, ": ", std::strerror(error)));
}

absl::StatusOr<Experiment> ParseExperimentPlugins(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  LenientAnyFinder finder;
  google::protobuf::TextFormat::Parser parser;
  parser.SetFinder(&finder);
  parser.AllowUnknownField(true);
  parser.AllowUnknownExtension(true);
  SilentErrors errors;
  parser.RecordErrorsTo(&errors);
  Experiment config;
  if (!parser.ParseFromString(*text, &config)) {
    return absl::InvalidArgumentError(
        absl::StrCat("config '", path, "' does not parse"));
  }
  return config;
}

}  // namespace nas
