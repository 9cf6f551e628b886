#include "harness/output.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "openssl/evp.h"
#include "re2/re2.h"

namespace nas {
namespace {

absl::Status Errno(const std::string& what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat("cannot ", what, " '", path, "': ", std::strerror(errno)));
}

constexpr char kTempMarker[] = ".nas-tmp-";

std::string TempPathFor(const std::string& path) {
  // Unique within the process too: workers write different cells at once.
  static std::atomic<uint64_t> sequence{0};
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base =
      slash == std::string::npos ? path : path.substr(slash + 1);
  return absl::StrCat(dir, ".", base, kTempMarker, ::getpid(), "-",
                      sequence.fetch_add(1));
}

}  // namespace

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  if (IsDirectory(path)) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", path, "' is a directory, not a file; give the path "
                     "of the file inside it"));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat("cannot read '", path, "': ", std::strerror(errno)));
  }
  std::string contents;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    contents.reserve(static_cast<size_t>(st.st_size));
  }
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      absl::Status status = Errno("read", path);
      ::close(fd);
      return status;
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return contents;
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

std::string EscapeForTerminal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // Keep well-formed UTF-8 (accented paths); escape everything else.
    int length = c >= 0xc2 && c <= 0xdf   ? 2
                 : c >= 0xe0 && c <= 0xef ? 3
                 : c >= 0xf0 && c <= 0xf4 ? 4
                                          : 0;
    bool valid = length > 0 && i + length <= text.size();
    for (int k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (valid) {
      out.append(text.data() + i, static_cast<size_t>(length));
      i += static_cast<size_t>(length);
    } else {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", c));
      ++i;
    }
  }
  return out;
}

std::string PrintableExcerpt(absl::string_view text, size_t max_bytes) {
  std::string out;
  const size_t shown = std::min(text.size(), max_bytes);
  for (size_t i = 0; i < shown; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", c));
    }
  }
  if (shown < text.size()) {
    absl::StrAppend(&out, "... (", text.size() - shown, " more bytes)");
  }
  return out;
}

absl::Status MakeDirectories(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (::mkdir(partial.c_str(), 0777) != 0 && errno != EEXIST) {
      return Errno("create directory", partial);
    }
  }
  if (!IsDirectory(path)) {
    return absl::FailedPreconditionError(
        absl::StrCat("'", path, "' exists and is not a directory"));
  }
  return absl::OkStatus();
}

bool IsOurTempFileName(absl::string_view base_name) {
  static const RE2* const kPattern =
      new RE2(R"(\..+\.nas-tmp-[0-9]+-[0-9]+)");
  return RE2::FullMatch(re2::StringPiece(base_name.data(), base_name.size()),
                        *kPattern);
}

void RemoveOurTempFiles(const std::string& dir) {
  DIR* handle = ::opendir(dir.c_str());
  if (handle == nullptr) return;
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(handle)) {
    if (IsOurTempFileName(entry->d_name)) stale.push_back(entry->d_name);
  }
  ::closedir(handle);
  for (const std::string& name : stale) {
    const std::string path = absl::StrCat(dir, "/", name);
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      ::unlink(path.c_str());
    }
  }
}

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents) {
  const absl::string_view piece = contents;
  return WriteFileAtomically(path, absl::MakeConstSpan(&piece, 1));
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::Span<const absl::string_view> pieces) {
  const std::string temp = TempPathFor(path);
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create", temp);
  // writev in batches (IOV_MAX); a partial write resumes where it stopped.
  std::vector<struct iovec> batch;
  size_t next = 0;  // The first piece not yet in a batch.
  while (next < pieces.size() || !batch.empty()) {
    while (batch.size() < IOV_MAX && next < pieces.size()) {
      const absl::string_view piece = pieces[next++];
      if (piece.empty()) continue;
      batch.push_back({const_cast<char*>(piece.data()), piece.size()});
    }
    if (batch.empty()) break;
    ssize_t n = ::writev(fd, batch.data(), static_cast<int>(batch.size()));
    if (n < 0) {
      if (errno == EINTR) continue;
      absl::Status status = Errno("write", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return status;
    }
    size_t done = 0;  // Whole iovecs written.
    while (done < batch.size() &&
           static_cast<size_t>(n) >= batch[done].iov_len) {
      n -= static_cast<ssize_t>(batch[done].iov_len);
      ++done;
    }
    if (done < batch.size()) {
      batch[done].iov_base = static_cast<char*>(batch[done].iov_base) + n;
      batch[done].iov_len -= static_cast<size_t>(n);
    }
    batch.erase(batch.begin(), batch.begin() + done);
  }
  // No fsync: the rename already makes the file all-or-nothing against a
  // killed process, which is what resuming needs; syncing every cell would
  // cost more than the cells themselves.
  if (::close(fd) != 0) {
    absl::Status status = Errno("flush", temp);
    ::unlink(temp.c_str());
    return status;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    absl::Status status = Errno("rename into place", path);
    ::unlink(temp.c_str());
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<DirLock>> DirLock::Acquire(
    const std::string& dir, const std::string& command) {
  const std::string path = absl::StrCat(dir, "/", kFileName);
  // The holder removes the file when it is done, so the file we lock may be
  // unlinked between our open and our flock: retry until the locked file is
  // the one at `path`.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("create the lock file", path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      char buffer[512] = {0};
      const ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
      ::close(fd);
      if (error != EWOULDBLOCK) {
        errno = error;
        return Errno("lock", path);
      }
      std::string holder =
          n > 0 ? std::string(absl::StripAsciiWhitespace(
                      absl::string_view(buffer, static_cast<size_t>(n))))
                : std::string("another process");
      return absl::FailedPreconditionError(absl::StrCat(
          "'", dir, "' is in use by another nas process (", holder,
          "); two writers would mix their results. Wait for it to finish, "
          "or stop it, or choose another output directory"));
    }
    struct stat locked, named;
    if (::fstat(fd, &locked) != 0 || ::stat(path.c_str(), &named) != 0 ||
        locked.st_ino != named.st_ino || locked.st_dev != named.st_dev) {
      ::close(fd);  // Released and removed meanwhile: lock the new one.
      continue;
    }
    char previous[512] = {0};
    const ssize_t n = ::pread(fd, previous, sizeof(previous) - 1, 0);
    std::unique_ptr<DirLock> lock(new DirLock(path, fd));
    if (n > 0) {
      lock->stale_holder_ = std::string(absl::StripAsciiWhitespace(
          absl::string_view(previous, static_cast<size_t>(n))));
    }
    char host[256] = {0};
    ::gethostname(host, sizeof(host) - 1);
    const std::string holder =
        absl::StrCat("pid ", ::getpid(), " on host ", host, ", `nas ", command,
                     "` since ", absl::FormatTime(absl::Now()), "\n");
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, holder.data(), holder.size(), 0) !=
            static_cast<ssize_t>(holder.size())) {
      return Errno("write the lock file", path);
    }
    return lock;
  }
  return absl::UnavailableError(absl::StrCat(
      "could not lock '", path, "': it keeps being replaced; is another nas "
      "process starting and stopping in this directory?"));
}

DirLock::~DirLock() {
  // Unlink while still holding the lock, so no one can lock the old file
  // and believe it owns the directory (Acquire re-checks the inode).
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace nas
