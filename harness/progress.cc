#include "harness/progress.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "harness/output.h"

namespace nas {
namespace {

std::string Seconds(double s) {
  if (s < 60) return absl::StrFormat("%.1fs", s);
  if (s < 3600) return absl::StrFormat("%dm%02ds", static_cast<int>(s) / 60,
                                       static_cast<int>(s) % 60);
  return absl::StrFormat("%dh%02dm", static_cast<int>(s) / 3600,
                         static_cast<int>(s) / 60 % 60);
}

// `text` with each run of digits replaced by '#'.
std::string Shape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (out.empty() || out.back() != '#') out += '#';
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string FailureSummary::Add(const LoadedExperiment& experiment,
                                const CellResult& cell) {
  const std::string& benchmark = experiment.benchmarks[cell.id.benchmark].name;
  const std::string& algorithm = experiment.algorithms[cell.id.algorithm].label;
  std::string message(cell.status.message());
  // RunCell prefixes "<algorithm> on <benchmark>, seed <k>: ".
  const std::string prefix = absl::StrCat(algorithm, " on ", benchmark,
                                          ", seed ", cell.id.seed, ": ");
  if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
  Group& group =
      groups_[absl::StrCat(benchmark, "/", algorithm, "\n", Shape(message))];
  if (group.count == 0) {
    group.first_order = static_cast<int>(groups_.size());
    group.first_message = message;
  }
  ++group.count;
  ++failed_;
  if (group.cells.size() < 5) {
    group.cells.push_back(
        absl::StrCat(benchmark, "/", algorithm, " seed ", cell.id.seed));
  }
  if (group.count > kShownPerGroup) return "";
  std::string line = absl::StrCat("nas: cell failed: ", benchmark, "/",
                                  algorithm, " seed ", cell.id.seed, ": ",
                                  EscapeForTerminal(message));
  if (group.count == kShownPerGroup) {
    absl::StrAppend(&line, "\n  (further failures like this one are counted "
                           "and summarised at the end)");
  }
  return line;
}

std::string FailureSummary::Summary() const {
  if (failed_ == 0) return "";
  std::vector<const Group*> sorted;
  for (const auto& [key, group] : groups_) sorted.push_back(&group);
  std::sort(sorted.begin(), sorted.end(), [](const Group* a, const Group* b) {
    return a->count != b->count ? a->count > b->count
                                : a->first_order < b->first_order;
  });
  std::string out = absl::StrCat("nas: ", failed_, " cell",
                                 failed_ == 1 ? "" : "s", " failed, in ",
                                 sorted.size(), " group",
                                 sorted.size() == 1 ? "" : "s",
                                 " of alike errors:\n");
  for (const Group* g : sorted) {
    absl::StrAppend(&out, "  ", g->count, " x ", absl::StrJoin(g->cells, ", "),
                    g->count > static_cast<int>(g->cells.size()) ? ", ..." : "",
                    "\n      ", EscapeForTerminal(g->first_message), "\n");
  }
  absl::StrAppend(&out, "  Each failed cell's file ends with its error; the "
                        "leaderboard counts them as failed seeds.\n");
  return out;
}

ProgressReporter::ProgressReporter(const LoadedExperiment& experiment,
                                   int total_cells, int threads,
                                   bool terminal)
    : experiment_(experiment),
      total_(total_cells),
      threads_(std::max(1, threads)),
      terminal_(terminal),
      start_(absl::Now()) {
  // Long cells (BANANAS, trained objectives) must not look like a hang.
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    const auto period = terminal_ ? std::chrono::seconds(1)
                                  : std::chrono::seconds(30);
    while (!stop_cv_.wait_for(lock, period, [this] { return stopping_; })) {
      if (!running_.empty()) PrintLocked(/*final_line=*/false);
    }
  });
}

ProgressReporter::~ProgressReporter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  ticker_.join();
}

std::string ProgressReporter::Label(const CellId& id) const {
  return absl::StrCat(experiment_.benchmarks[id.benchmark].name, "/",
                      experiment_.algorithms[id.algorithm].label, " seed ",
                      id.seed);
}

void ProgressReporter::CellStarted(const CellId& id) {
  std::lock_guard<std::mutex> lock(mu_);
  running_[{id.benchmark, id.algorithm, id.seed}] = absl::Now();
}

void ProgressReporter::CellDone(const CellResult& result, int done) {
  std::lock_guard<std::mutex> lock(mu_);
  const auto key =
      std::make_tuple(result.id.benchmark, result.id.algorithm, result.id.seed);
  if (auto it = running_.find(key); it != running_.end()) {
    finished_seconds_ += absl::ToDoubleSeconds(absl::Now() - it->second);
    running_.erase(it);
  }
  done_ = done;
  if (!result.status.ok()) {
    const std::string line = failures_.Add(experiment_, result);
    if (!line.empty()) {
      std::fprintf(stderr, "%s%s\n", terminal_ ? "\r\033[K" : "", line.c_str());
    }
  }
  const int tenth = total_ > 0 ? done * 10 / total_ : 10;
  if (terminal_ || done == total_ || tenth > last_tenth_) {
    last_tenth_ = tenth;
    PrintLocked(/*final_line=*/done == total_);
  }
}

void ProgressReporter::PrintLocked(bool final_line) {
  const absl::Time now = absl::Now();
  // On a terminal at most ten refreshes a second.
  if (terminal_ && !final_line && now - last_line_ < absl::Milliseconds(100)) {
    return;
  }
  last_line_ = now;
  const double elapsed = absl::ToDoubleSeconds(now - start_);
  std::string line = absl::StrCat("[", done_, "/", total_, " cells]");
  if (!running_.empty()) absl::StrAppend(&line, " ", running_.size(), " running,");
  if (failures_.failed() > 0) {
    absl::StrAppend(&line, " ", failures_.failed(), " failed,");
  }
  absl::StrAppend(&line, " ", Seconds(elapsed), " elapsed");
  if (done_ > 0 && done_ < total_) {
    // Remaining cells at the mean duration so far, spread over the threads.
    const double eta =
        finished_seconds_ / done_ * (total_ - done_) / threads_;
    absl::StrAppend(&line, ", ETA ", Seconds(eta));
  }
  if (!running_.empty()) {
    auto oldest = std::min_element(
        running_.begin(), running_.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    const double age = absl::ToDoubleSeconds(now - oldest->second);
    if (age >= 1) {
      const auto& [b, a, s] = oldest->first;
      absl::StrAppend(&line, "; longest running: ", Label({b, a, s}), " (",
                      Seconds(age), ")");
    }
  }
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final_line ? "\n" : "");
  } else {
    std::fprintf(stderr, "nas: %s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace nas
