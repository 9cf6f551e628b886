#ifndef NASBENCH_HARNESS_OUTPUT_H_
#define NASBENCH_HARNESS_OUTPUT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace nas {

// Creates `path` and its missing parents (like mkdir -p).
absl::Status MakeDirectories(const std::string& path);

// Writes `contents` to a temporary file beside `path` and renames it over
// `path`: readers see the old file or the whole new one, never a torn write,
// even if the process is killed (not proof against power loss: no fsync).
// The temporary file's name is one only this tool makes (IsOurTempFileName),
// so that cleaning up after a killed run never touches a user's file.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents);
// The same, for contents in pieces (written one after another, so a large
// file need not be concatenated in memory first).
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::Span<const absl::string_view> pieces);

// True for the base name of a temporary file WriteFileAtomically makes:
// ".<name>.nas-tmp-<pid>-<sequence>".
bool IsOurTempFileName(absl::string_view base_name);

// Removes the temporary files WriteFileAtomically left in `dir` (not below
// it) when a process was killed mid-write. Nothing else is touched.
void RemoveOurTempFiles(const std::string& dir);

bool PathExists(const std::string& path);
bool IsDirectory(const std::string& path);

// True when `a` and `b` name the same existing file or directory (same
// device and inode), however they are spelt.
bool SameFile(const std::string& a, const std::string& b);

// Reads a whole file. NotFound when it cannot be opened, FailedPrecondition
// when it is a directory (with what to pass instead).
absl::StatusOr<std::string> ReadFile(const std::string& path);

// SHA-256 of bytes, in hex (OpenSSL).
std::string Sha256Hex(absl::string_view bytes);

// `text` with every byte a terminal would misread (control characters other
// than newline and tab, malformed UTF-8) written as \xNN: error messages
// quote user input, which may hold NUL bytes or escape sequences.
std::string EscapeForTerminal(absl::string_view text);

// Makes `text` safe to print on a terminal: bytes outside printable ASCII
// (NUL, escape sequences, binary garbage) become \xNN, and at most
// `max_bytes` of the input are shown.
std::string PrintableExcerpt(absl::string_view text, size_t max_bytes = 200);

// One writer per output directory. Acquire() takes an exclusive lock on
// DIR/.nas-lock (flock, released by the kernel when the holder dies, so a
// lock left by a killed process is never in the way) and records the
// holder's pid, host and command in it for the message a second writer
// gets. The destructor releases the lock and removes the file.
class DirLock {
 public:
  static constexpr char kFileName[] = ".nas-lock";

  // `dir` must exist. FailedPrecondition, naming the holder, when another
  // process holds the lock.
  static absl::StatusOr<std::unique_ptr<DirLock>> Acquire(
      const std::string& dir, const std::string& command);

  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock();

  // What the file said when this process took the lock over from a holder
  // that had died without releasing it ("" when there was none).
  const std::string& stale_holder() const { return stale_holder_; }

 private:
  DirLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  std::string path_;
  int fd_;
  std::string stale_holder_;
};

}  // namespace nas

#endif  // NASBENCH_HARNESS_OUTPUT_H_
