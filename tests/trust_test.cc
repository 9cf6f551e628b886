// What a user must be able to trust about an output directory, each case a
// way it was once broken (issue 11): nas never deletes or overwrites a file
// it did not write, never mixes results of different runs, tables or
// builds, and never counts a damaged cell. Runs the real `nas` binary.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/test_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/cell_file.h"
#include "spaces/nasbench201/nasbench201.h"
#include "tests/cli_testing.h"

namespace nas {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using cli_testing::Nas;
using cli_testing::Result;
using cli_testing::Slurp;
using cli_testing::Spit;
using cli_testing::Tree;

std::string Tmp() { return cli_testing::TempDir(); }

// A fresh directory for one test.
std::string Scratch(const std::string& name) {
  const std::string dir = absl::StrCat(Tmp(), "/", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Two algorithms x 4 seeds x 50 queries on NAS-Bench-201 CIFAR-100.
std::string SmallConfig() {
  const std::string path = absl::StrCat(Tmp(), "/small.textproto");
  if (!fs::exists(path)) {
    Spit(path, R"pb(
num_seeds: 4
budget { queries: 50 }
benchmark {
  name: "cifar100"
  space { name: "nasbench201" }
  objective {
    name: "nasbench201"
    params { [type.googleapis.com/nas.Nasbench201ObjectiveParams] { dataset: "cifar100" } }
  }
}
algorithm { plugin: "local_search" }
algorithm { plugin: "random_search" }
)pb");
  }
  return path;
}

std::string RunArgs(const std::string& dir, const std::string& flags = "") {
  return absl::StrCat("run ", SmallConfig(), " --output_dir ", dir, " ",
                      flags);
}

const std::string kCell = "cifar100/local_search/seed_0";

// The results store's framing (harness/store.h), spelt out here so that the
// tests pin the format: "#cell <bytes> <name>\n" then the cell file.
struct StoredRecord {
  size_t start = 0;  // Of the record header in the store.
  size_t end = 0;    // Just after the cell file.
  std::string cell_file;
};

StoredRecord FindRecord(const std::string& store, const std::string& name) {
  const std::string suffix = " " + name + "\n";
  const size_t suffix_at = store.find(suffix);
  EXPECT_NE(suffix_at, std::string::npos) << name;
  StoredRecord record;
  record.start = store.rfind("#cell ", suffix_at);
  const size_t bytes = std::stoul(store.substr(record.start + 6));
  const size_t file_start = suffix_at + suffix.size();
  record.cell_file = store.substr(file_start, bytes);
  record.end = file_start + bytes;
  return record;
}

// The cell file of `name` in `dir`'s store.
std::string CellFileOf(const std::string& dir, const std::string& name) {
  return FindRecord(Slurp(dir + "/cells.rec"), name).cell_file;
}

// Replaces that cell file, keeping the store's framing intact (as someone
// who knows the format would).
void ReplaceCellFile(const std::string& dir, const std::string& name,
                     const std::string& cell_file) {
  std::string store = Slurp(dir + "/cells.rec");
  const StoredRecord record = FindRecord(store, name);
  store.replace(
      record.start, record.end - record.start,
      absl::StrCat("#cell ", cell_file.size(), " ", name, "\n", cell_file));
  Spit(dir + "/cells.rec", store);
}

// The bytes of a cell record before its checksum (harness/cell_file.h).
std::string RecordBody(const std::string& cell) {
  return cell.substr(0, cell.size() - 16);
}

// `body` with the checksum someone who knows the format would append:
// XXH3-128, low then high 64 bits, little-endian.
std::string Reseal(const std::string& body) {
  const std::string hex = ContentHash(body);  // High, then low, in hex.
  std::string out = body;
  for (const int half : {16, 0}) {
    const uint64_t value = std::stoull(hex.substr(half, 16), nullptr, 16);
    for (int i = 0; i < 8; ++i) out += static_cast<char>(value >> (8 * i));
  }
  return out;
}

// Offsets in the small config's records (one fidelity, no metrics, ok):
// the query count, then each query's 33 bytes (gene count, 6 genes,
// fidelity, three doubles).
constexpr size_t kQueryCountAt = 8;
constexpr size_t kFirstQueryAt = 12;
constexpr size_t kQueryBytes = 33;

void PutU32(std::string* bytes, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i)
    (*bytes)[at + i] = static_cast<char>(value >> (8 * i));
}

// The cell as read back, changed by `edit` and written as nas writes cells.
std::string Rewritten(const std::string& cell,
                      const std::function<void(CellResult*)>& edit) {
  absl::StatusOr<CellResult> parsed = ParseCellRecord(cell, {}, "test");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  edit(&*parsed);
  return FormatCellRecord(*parsed, /*num_fidelities=*/1);
}

// What messages about that cell start with.
std::string CellWhere(const std::string& dir) {
  return absl::StrCat(dir, "/cells.rec (cell ", kCell, ")");
}

// ---------------------------------------------------------------------------
// The output directory belongs to the user until proven ours.

TEST(TrustTest, FilesThatMerelyLookTemporaryAreNeverDeleted) {
  const std::string dir = Scratch("lookalike");
  Spit(dir + "/docs/thesis.tmp.v2.docx", "my thesis");
  Spit(dir + "/notes.tmp.1", "my notes");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  ASSERT_EQ(Nas(RunArgs(dir, "--overwrite")).exit_code, 0);
  ASSERT_EQ(Nas(RunArgs(dir, "--resume")).exit_code, 0);
  EXPECT_EQ(Slurp(dir + "/docs/thesis.tmp.v2.docx"), "my thesis");
  EXPECT_EQ(Slurp(dir + "/notes.tmp.1"), "my notes");
}

TEST(TrustTest, OverwriteRefusesADirectoryThatIsNotAResultsDirectory) {
  const std::string dir = Scratch("not_results");
  Spit(dir + "/plots/my_figure.svg", "<svg/>");
  Spit(dir + "/cells/mine.csv", "a,b\n");
  const Result r = Nas(RunArgs(dir, "--overwrite"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text,
              HasSubstr("is not a results directory of nas (it has no "
                        "manifest.json written by nas), so --overwrite will "
                        "not delete anything in it"));
  EXPECT_EQ(Tree(dir), (std::map<std::string, std::string>{
                           {"plots/my_figure.svg", "<svg/>"},
                           {"cells/mine.csv", "a,b\n"}}));
}

TEST(TrustTest, OverwriteDeletesOnlyWhatTheEarlierRunWrote) {
  const std::string dir = Scratch("overwrite_own");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  const auto reference = Tree(dir);
  // The user adds files among the results.
  Spit(dir + "/plots/my_figure.svg", "<svg/>");
  Spit(dir + "/cells/cifar100/local_search/notes.txt", "good seeds: 1, 3");
  Spit(dir + "/analysis.ipynb", "{}");
  ASSERT_EQ(Nas(RunArgs(dir, "--overwrite")).exit_code, 0);
  auto after = Tree(dir);
  EXPECT_EQ(after["plots/my_figure.svg"], "<svg/>");
  EXPECT_EQ(after["cells/cifar100/local_search/notes.txt"],
            "good seeds: 1, 3");
  EXPECT_EQ(after["analysis.ipynb"], "{}");
  after.erase("plots/my_figure.svg");
  after.erase("cells/cifar100/local_search/notes.txt");
  after.erase("analysis.ipynb");
  EXPECT_EQ(after, reference);  // The results themselves are replaced.
}

TEST(TrustTest, AFreshRunNeverOverwritesAUsersFileNamedLikeAnOutput) {
  const std::string dir = Scratch("foreign");
  Spit(dir + "/leaderboard.md", "# my own leaderboard");
  const Result r = Nas(RunArgs(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text,
              HasSubstr("holds files that nas did not write under names its "
                        "results would take (leaderboard.md)"));
  EXPECT_EQ(Slurp(dir + "/leaderboard.md"), "# my own leaderboard");
  EXPECT_EQ(Tree(dir).size(), 1u);
}

TEST(TrustTest, MergeRefusesAnOutputThatIsOneOfItsInputs) {
  const std::string base = Scratch("merge_self");
  ASSERT_EQ(Nas(RunArgs(base + "/a", "--shard 0/2")).exit_code, 0);
  ASSERT_EQ(Nas(RunArgs(base + "/b", "--shard 1/2")).exit_code, 0);
  const auto shard_a = Tree(base + "/a");
  const Result r = Nas(absl::StrCat("merge ", base, "/a ", base, "/a ", base,
                                    "/b --overwrite"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.stderr_text, HasSubstr("it is also an input"));
  EXPECT_EQ(Tree(base + "/a"), shard_a);
  // Spelt differently, still the same directory.
  const Result r2 = Nas(absl::StrCat("merge ", base, "/./b ", base, "/a ",
                                     base, "/b --overwrite"));
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_THAT(r2.stderr_text, HasSubstr("it is also an input"));
}

TEST(TrustTest, BadThreadCountIsRefusedBeforeOldResultsAreTouched) {
  const std::string dir = Scratch("threads");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  const auto before = Tree(dir);
  const Result r = Nas(RunArgs(dir, "--overwrite --threads -1"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.stderr_text, HasSubstr("--threads -1: must be 0"));
  EXPECT_EQ(Tree(dir), before);
  // Far more threads than cells: capped, same bytes.
  const std::string many = Scratch("many_threads");
  const Result big = Nas(RunArgs(many, "--threads 100000"));
  ASSERT_EQ(big.exit_code, 0) << big.stderr_text;
  EXPECT_THAT(big.stderr_text, HasSubstr("on 8 threads"));
  EXPECT_EQ(Tree(many), before);
}

// ---------------------------------------------------------------------------
// One writer per output directory.

// Holds DIR/.nas-lock as a running nas would, until destroyed.
class HeldLock {
 public:
  explicit HeldLock(const std::string& dir) {
    fd_ = ::open((dir + "/.nas-lock").c_str(), O_RDWR | O_CREAT, 0644);
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(::flock(fd_, LOCK_EX | LOCK_NB), 0);
    const std::string holder = "pid 4242 on host node7, `nas run`\n";
    EXPECT_EQ(::write(fd_, holder.data(), holder.size()),
              static_cast<ssize_t>(holder.size()));
  }
  ~HeldLock() { ::close(fd_); }

 private:
  int fd_;
};

TEST(TrustTest, ASecondWriterIsRefusedWithTheHolderNamed) {
  const std::string dir = Scratch("locked");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  const auto before = Tree(dir);
  HeldLock lock(dir);
  for (const std::string& args :
       {RunArgs(dir, "--resume"), RunArgs(dir, "--overwrite"),
        absl::StrCat("report ", dir)}) {
    const Result r = Nas(args);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_THAT(r.stderr_text,
                HasSubstr("is in use by another nas process (pid 4242 on "
                          "host node7, `nas run`)"))
        << args;
  }
  const std::string shard = Scratch("locked_shard");
  ASSERT_EQ(Nas(RunArgs(shard, "--shard 0/1")).exit_code, 0);
  const Result merge =
      Nas(absl::StrCat("merge ", dir, " ", shard, " --overwrite"));
  EXPECT_EQ(merge.exit_code, 1);
  EXPECT_THAT(merge.stderr_text, HasSubstr("is in use by another nas process"));
  auto after = Tree(dir);
  after.erase(".nas-lock");
  EXPECT_EQ(after, before);
}

TEST(TrustTest, AStaleLockOfADeadProcessIsTakenOver) {
  const std::string dir = Scratch("stale");
  Spit(dir + "/.nas-lock", "pid 99999 on host gone, `nas run` since 2026\n");
  const Result r = Nas(RunArgs(dir));
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_THAT(r.stderr_text,
              HasSubstr("was locked by a process that did not finish (pid "
                        "99999 on host gone"));
  EXPECT_FALSE(fs::exists(dir + "/.nas-lock"));  // Released at the end.
}

TEST(TrustTest, TwoRunsAtOnceNeverMixTheirResults) {
  // Two experiments whose cells have the same paths but other contents,
  // each with enough cells that the two runs overlap.
  const std::string one = absl::StrCat(Tmp(), "/race_50.textproto");
  const std::string other = absl::StrCat(Tmp(), "/race_40.textproto");
  const std::string larger = absl::StrReplaceAll(
      Slurp(SmallConfig()), {{"num_seeds: 4", "num_seeds: 300"}});
  Spit(one, larger);
  Spit(other, absl::StrReplaceAll(larger, {{"queries: 50", "queries: 40"}}));
  const std::string ref_a = Scratch("race_a"), ref_b = Scratch("race_b");
  ASSERT_EQ(Nas(absl::StrCat("run ", one, " --output_dir ", ref_a)).exit_code,
            0);
  ASSERT_EQ(Nas(absl::StrCat("run ", other, " --output_dir ", ref_b))
                .exit_code,
            0);
  const auto tree_a = Tree(ref_a), tree_b = Tree(ref_b);
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::string dir = Scratch(absl::StrCat("race", attempt));
    auto command = [&](const std::string& config, int n) {
      return absl::StrCat("harness/nas --data_dir=", TestDataDir(), " run ",
                          config, " --output_dir ", dir,
                          " --overwrite >/dev/null 2>", Tmp(), "/race_err", n);
    };
    const std::string both = absl::StrCat("(", command(one, 1),
                                          " & ", command(other, 2), " & wait)");
    ASSERT_EQ(std::system(both.c_str()), 0);
    const std::string errors =
        Slurp(Tmp() + "/race_err1") + Slurp(Tmp() + "/race_err2");
    // Whatever the interleaving, the directory holds exactly one run's
    // results (the loser was refused, or came second and replaced them).
    const auto tree = Tree(dir);
    EXPECT_TRUE(tree == tree_a || tree == tree_b) << errors;
  }
}

// ---------------------------------------------------------------------------
// Resume checks everything that determines a result.

TEST(TrustTest, ResumeWithOtherDataIsRefusedNamingTheDifference) {
  // A copy of the tables with one architecture's CIFAR-100 results changed.
  const std::string data = Scratch("other_data");
  fs::copy(absl::StrCat(TestDataDir(), "/nasbench201"), data + "/nasbench201");
  const std::string table = data + "/nasbench201/nb201_v1_1_200ep_seedavg.csv";
  fs::permissions(table, fs::perms::owner_write, fs::perm_options::add);
  std::string text = Slurp(table);
  text.replace(text.rfind(",7") + 1, 1, "8");  // One digit of the last row.
  Spit(table, text);

  const std::string dir = Scratch("resume_data");
  const Result killed = Nas(RunArgs(dir), "NAS_TEST_KILL_AFTER_CELLS=3 ");
  ASSERT_NE(killed.exit_code, 0);
  const auto before = Tree(dir);
  const Result r = Nas(RunArgs(dir, absl::StrCat("--resume --data_dir=", data)));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text,
              HasSubstr("cannot resume '" + dir +
                        "': its cells were made under other conditions"));
  EXPECT_THAT(r.stderr_text,
              HasSubstr("data file nasbench201/nb201_v1_1_200ep_seedavg.csv: "
                        "sha256 was "));
  EXPECT_THAT(r.stderr_text, HasSubstr("--data_dir pointing at the tables"));
  EXPECT_EQ(Tree(dir), before);
  // With the tables it started with, it finishes.
  EXPECT_EQ(Nas(RunArgs(dir, "--resume")).exit_code, 0);
}

TEST(TrustTest, ResumeWithADifferentBuildIsRefused) {
  const std::string dir = Scratch("resume_build");
  ASSERT_NE(Nas(RunArgs(dir), "NAS_TEST_KILL_AFTER_CELLS=3 ").exit_code, 0);
  std::string manifest = Slurp(dir + "/manifest.json");
  const size_t at = manifest.find("\"build\": \"");
  ASSERT_NE(at, std::string::npos);
  manifest.insert(at + 10, "old ");
  Spit(dir + "/manifest.json", manifest);
  const Result r = Nas(RunArgs(dir, "--resume"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text, HasSubstr("build: was \"old nasbench"));
}

// ---------------------------------------------------------------------------
// Stored cells are verified whenever they are read.

void DamageEachWay(const std::string& name,
                   const std::function<void(std::string*)>& damage,
                   const std::string& expected) {
  SCOPED_TRACE(name);
  const std::string dir = Scratch("damage_" + name);
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  std::string cell = CellFileOf(dir, kCell);
  damage(&cell);
  ReplaceCellFile(dir, kCell, cell);
  for (const std::string& args :
       {absl::StrCat("report ", dir), RunArgs(dir, "--resume")}) {
    const Result r = Nas(args);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_THAT(r.stderr_text, HasSubstr(CellWhere(dir))) << args;
    EXPECT_THAT(r.stderr_text, HasSubstr(expected)) << args;
  }
}

TEST(TrustTest, ATruncatedExtendedOrEditedCellIsDetected) {
  const char kChecksum[] = "the checksum at the end does not match";
  DamageEachWay(
      "truncated",
      [](std::string* cell) {
        cell->resize(kFirstQueryAt + 20 * kQueryBytes + 5);  // Mid-query.
      },
      kChecksum);
  DamageEachWay(
      "extended",
      [](std::string* cell) {
        cell->append(cell->substr(kFirstQueryAt, kQueryBytes));
      },
      kChecksum);
  // One bit of query 10's validation error.
  DamageEachWay(
      "flipped_double",
      [](std::string* cell) {
        (*cell)[kFirstQueryAt + 9 * kQueryBytes + 1 + 6 + 2 + 3] ^= 0x10;
      },
      kChecksum);
  // Resealed by someone who knows the format: the queries must still add
  // up.
  DamageEachWay(
      "resealed_truncation",
      [](std::string* cell) {
        *cell = Rewritten(*cell, [](CellResult* c) { c->records.resize(20); });
      },
      "the cell ended without error after 20 of its 50 queries");
  DamageEachWay(
      "resealed_cut_mid_payload",
      [](std::string* cell) {
        *cell = Reseal(cell->substr(0, kFirstQueryAt + 20 * kQueryBytes + 5));
      },
      "the record claims 50 queries but has room for at most 24");
}

// Counts that lie, in records resealed with a valid checksum: refused with
// the byte offset, and never trusted for an allocation.
TEST(TrustTest, ARecordWhoseCountsLieIsRefused) {
  struct Lie {
    const char* name;
    std::function<void(std::string* body)> edit;
    const char* expected;
  };
  const Lie lies[] = {
      {"more_queries_than_bytes",
       [](std::string* body) { PutU32(body, kQueryCountAt, 60); },
       "query 51 of 60 runs past the record's end"},
      {"fewer_queries_than_bytes",
       [](std::string* body) { PutU32(body, kQueryCountAt, 49); },
       "33 bytes after the last query (the query count says 49)"},
      {"huge_query_count",
       [](std::string* body) { PutU32(body, kQueryCountAt, 0xffffffffu); },
       "byte 8 of the record: the record claims 4294967295 queries but has "
       "room for at most 61"},
      {"huge_gene_count",
       [](std::string* body) {
         (*body)[kFirstQueryAt + 4 * kQueryBytes] = static_cast<char>(200);
       },
       "query 5 has 200 genes; an architecture has at most 48"},
      {"gene_count_off_by_one",
       [](std::string* body) {
         (*body)[kFirstQueryAt + 49 * kQueryBytes] = 7;  // The last query.
       },
       "query 50 of 50 runs past the record's end"},
      {"huge_metric_count",
       [](std::string* body) {
         (*body)[6] = (*body)[7] = static_cast<char>(0xff);
       },
       "a metric name runs past the record's end"},
  };
  for (const Lie& lie : lies) {
    DamageEachWay(
        lie.name,
        [&lie](std::string* cell) {
          std::string body = RecordBody(*cell);
          lie.edit(&body);
          *cell = Reseal(body);
        },
        lie.expected);
  }
}

// Genes that are no architecture of the space (resealed): reports do not
// look at them, the export (which prints them) refuses.
TEST(TrustTest, ExportRefusesGenesOutsideTheSpace) {
  const std::string dir = Scratch("bad_genes");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  std::string body = RecordBody(CellFileOf(dir, kCell));
  body[kFirstQueryAt + 1] = 9;  // NAS-Bench-201 has 5 ops per edge.
  ReplaceCellFile(dir, kCell, Reseal(body));
  const Result r = Nas(absl::StrCat("export ", dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.stdout_text, "");
  EXPECT_THAT(r.stderr_text, HasSubstr(CellWhere(dir) + ": query 1: the "
                                                        "stored genes"));
}

TEST(TrustTest, ACellWithMoreQueriesThanTheBudgetIsRefused) {
  const std::string dir = Scratch("over_budget");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  // Queries 1..60 as a longer run would have stored them.
  ReplaceCellFile(dir, kCell,
                  Rewritten(CellFileOf(dir, kCell), [](CellResult* c) {
                    for (int q = 50; q < 60; ++q) {
                      c->records.push_back(c->records.back());
                    }
                  }));
  const Result r = Nas(absl::StrCat("report ", dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.stderr_text,
              HasSubstr("60 queries, more than the budget of 50"));
}

// ---------------------------------------------------------------------------
// The results store: one append-only file, a record per cell.

// A run killed in the middle of writing a record leaves its start at the
// end of the store: readers ignore it, --resume cuts it off and recomputes
// that cell, and the directory ends as an uninterrupted run's.
TEST(TrustTest, ATornLastRecordIsIgnoredAndRecomputed) {
  const std::string reference = Scratch("torn_reference");
  ASSERT_EQ(Nas(RunArgs(reference)).exit_code, 0);
  const std::string store = Slurp(reference + "/cells.rec");
  const size_t last = store.rfind("#cell ");
  // Cut inside the last record's cell file, and inside its header.
  for (const size_t keep : {store.size() - 100, last + 3}) {
    SCOPED_TRACE(keep);
    const std::string dir = Scratch("torn");
    fs::copy(
        reference, dir,
        fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    Spit(dir + "/cells.rec", store.substr(0, keep));
    // Progress counts whole records only (what tools/slurm_array.sh shows).
    EXPECT_EQ(Nas(absl::StrCat("status ", dir)).stdout_text,
              absl::StrCat("7 of 8 cells stored in ", dir, "\n"));
    const Result report = Nas(absl::StrCat("report ", dir));
    EXPECT_EQ(report.exit_code, 3) << report.stderr_text;
    EXPECT_THAT(report.stderr_text,
                HasSubstr("1 of 8 cells in " + dir + " are missing"));
    const Result resumed = Nas(RunArgs(dir, "--resume"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.stderr_text;
    EXPECT_THAT(resumed.stderr_text,
                HasSubstr("dropped the unfinished last record of " + dir +
                          "/cells.rec"));
    EXPECT_THAT(resumed.stderr_text,
                HasSubstr("7 of 8 cells already finished"));
    EXPECT_EQ(Tree(dir), Tree(reference));
    EXPECT_EQ(Nas(absl::StrCat("status ", dir)).stdout_text,
              absl::StrCat("8 of 8 cells stored in ", dir, "\n"));
  }
}

// A kill at any moment of a real run: whatever was written, --resume ends
// with the same directory as an uninterrupted run.
TEST(TrustTest, KilledAtAnyCellResumesToTheSameDirectory) {
  const std::string reference = Scratch("kill_reference");
  ASSERT_EQ(Nas(RunArgs(reference, "--threads 2")).exit_code, 0);
  for (int after : {1, 5}) {
    SCOPED_TRACE(after);
    const std::string dir = Scratch(absl::StrCat("kill_", after));
    ASSERT_NE(Nas(RunArgs(dir, "--threads 2"),
                  absl::StrCat("NAS_TEST_KILL_AFTER_CELLS=", after, " "))
                  .exit_code,
              0);
    const Result resumed = Nas(RunArgs(dir, "--resume --threads 2"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.stderr_text;
    EXPECT_EQ(Tree(dir), Tree(reference));
  }
}

TEST(TrustTest, GarbageAfterTheLastRecordIsRefusedWithItsOffset) {
  const std::string dir = Scratch("store_garbage");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  const size_t size = fs::file_size(dir + "/cells.rec");
  Spit(dir + "/cells.rec", Slurp(dir + "/cells.rec") + "0,oops\n");
  const auto before = Tree(dir);
  for (const std::string& args :
       {absl::StrCat("report ", dir), RunArgs(dir, "--resume")}) {
    const Result r = Nas(args);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_THAT(r.stderr_text,
                HasSubstr(absl::StrCat(dir, "/cells.rec: byte ", size,
                                       ": '0,oops' where a record should "
                                       "start")))
        << args;
    EXPECT_THAT(r.stderr_text, HasSubstr(absl::StrCat("truncate -s ", size)))
        << args;
  }
  EXPECT_EQ(Tree(dir), before);
}

TEST(TrustTest, AStoreFromAnotherExperimentIsRefused) {
  // Same experiment but 40 queries: the same cell names, other cells.
  const std::string shorter = absl::StrCat(Tmp(), "/short.textproto");
  Spit(shorter, absl::StrReplaceAll(Slurp(SmallConfig()),
                                    {{"queries: 50", "queries: 40"}}));
  // Another benchmark name: cells this experiment does not have.
  const std::string renamed = absl::StrCat(Tmp(), "/renamed.textproto");
  Spit(renamed,
       absl::StrReplaceAll(Slurp(SmallConfig()),
                           {{"name: \"cifar100\"", "name: \"c100\""}}));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {shorter, "the cell ended without error after 40 of its 50 queries"},
      {renamed,
       "a record of cell 'c100/local_search/seed_0', which this "
       "experiment does not have"}};
  for (const auto& [config, expected] : cases) {
    SCOPED_TRACE(config);
    const std::string other = Scratch("other_store");
    ASSERT_EQ(
        Nas(absl::StrCat("run ", config, " --output_dir ", other)).exit_code,
        0);
    const std::string dir = Scratch("foreign_store");
    ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
    fs::copy_file(other + "/cells.rec", dir + "/cells.rec",
                  fs::copy_options::overwrite_existing);
    const auto before = Tree(dir);
    for (const std::string& args :
         {absl::StrCat("report ", dir), RunArgs(dir, "--resume")}) {
      const Result r = Nas(args);
      EXPECT_EQ(r.exit_code, 1) << args;
      EXPECT_THAT(r.stderr_text, HasSubstr(expected)) << args;
    }
    EXPECT_EQ(Tree(dir), before);
  }
}

// A copy of results directory `reference` as `name`, its manifest claiming
// results schema `schema`.
std::string CopyWithSchema(const std::string& reference,
                           const std::string& name, const std::string& schema) {
  const std::string dir = Scratch(name);
  fs::copy(reference, dir,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  std::string manifest = Slurp(dir + "/manifest.json");
  manifest.replace(manifest.find("nasbench-results/5"), 18, schema);
  Spit(dir + "/manifest.json", manifest);
  return dir;
}

// A directory of the previous layout (one file per cell, schema 3) is not
// read, with what to do instead; --overwrite replaces it and deletes only
// the cell files that run wrote.
TEST(TrustTest, TheOneFilePerCellLayoutIsRefusedAndOverwritable) {
  const std::string reference = Scratch("v5_reference");
  ASSERT_EQ(Nas(RunArgs(reference)).exit_code, 0);
  const std::string dir = CopyWithSchema(reference, "v3", "nasbench-results/3");
  fs::remove(dir + "/cells.rec");
  Spit(dir + "/cells/cifar100/local_search/seed_0.csv", "old cell");
  Spit(dir + "/cells/cifar100/random_search/seed_3.csv", "old cell");
  Spit(dir + "/cells/cifar100/random_search/notes.txt", "mine");
  const Result report = Nas(absl::StrCat("report ", dir));
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_THAT(report.stderr_text,
              HasSubstr("written by an older nas that kept one file per cell"));
  EXPECT_THAT(report.stderr_text, HasSubstr("Rerun the experiment with "
                                            "--overwrite"));
  ASSERT_EQ(Nas(RunArgs(dir, "--overwrite")).exit_code, 0);
  auto after = Tree(dir);
  EXPECT_EQ(after["cells/cifar100/random_search/notes.txt"], "mine");
  after.erase("cells/cifar100/random_search/notes.txt");
  EXPECT_EQ(after, Tree(reference));
}

// A directory of schema 4 (CSV cell files in the store) is still reported
// and exported, with the same numbers; resume and merge refuse it, saying
// what to do; --overwrite replaces it.
TEST(TrustTest, ASchema4StoreIsReadNotResumedOrMerged) {
  const std::string reference = Scratch("v5_of_v4");
  ASSERT_EQ(Nas(RunArgs(reference)).exit_code, 0);
  const std::string dir = CopyWithSchema(reference, "v4", "nasbench-results/4");
  // The store as schema 4 wrote it: a CSV cell file per record.
  const std::unique_ptr<Nasbench201Space> space = *Nasbench201Space::New();
  std::string store;
  for (const auto& [name, record] : cli_testing::CellFiles(reference)) {
    absl::StatusOr<CellResult> cell = ParseCellRecord(record, {}, name);
    ASSERT_TRUE(cell.ok()) << cell.status();
    const std::string csv = FormatCellFile(*space, *cell);
    absl::StrAppend(&store, "#cell ", csv.size(), " ", name, "\n", csv);
  }
  Spit(dir + "/cells.rec", store);

  const Result report = Nas(absl::StrCat("report ", dir));
  EXPECT_EQ(report.exit_code, 0) << report.stderr_text;
  EXPECT_EQ(Slurp(dir + "/leaderboard.md"),
            Slurp(reference + "/leaderboard.md"));
  EXPECT_EQ(Slurp(dir + "/summary.csv"), Slurp(reference + "/summary.csv"));
  const Result exported = Nas(absl::StrCat("export ", dir));
  EXPECT_EQ(exported.exit_code, 0) << exported.stderr_text;
  EXPECT_EQ(exported.stdout_text,
            Nas(absl::StrCat("export ", reference)).stdout_text);

  const auto before = Tree(dir);
  const Result resumed = Nas(RunArgs(dir, "--resume"));
  EXPECT_EQ(resumed.exit_code, 1);
  EXPECT_THAT(resumed.stderr_text, HasSubstr("cannot resume '" + dir +
                                             "': its results are of "
                                             "schema 'nasbench-results/4'"));
  EXPECT_THAT(resumed.stderr_text, HasSubstr("rerun the experiment with "
                                             "--overwrite"));
  const Result merged = Nas(absl::StrCat("merge ", Tmp(), "/v4_merged ", dir));
  EXPECT_EQ(merged.exit_code, 1);
  EXPECT_THAT(merged.stderr_text, HasSubstr("cannot merge '" + dir + "'"));
  EXPECT_FALSE(fs::exists(Tmp() + "/v4_merged"));
  EXPECT_EQ(Tree(dir), before);

  ASSERT_EQ(Nas(RunArgs(dir, "--overwrite")).exit_code, 0);
  EXPECT_EQ(Tree(dir), Tree(reference));
}

// ---------------------------------------------------------------------------
// Exit codes say when results are incomplete.

TEST(TrustTest, MergeWithMissingShardsExitsNonZero) {
  const std::string base = Scratch("missing_shards");
  ASSERT_EQ(Nas(RunArgs(base + "/s0", "--shard 0/3")).exit_code, 0);
  ASSERT_EQ(Nas(RunArgs(base + "/s1", "--shard 1/3")).exit_code, 0);
  const Result r = Nas(absl::StrCat("merge ", base, "/out ", base, "/s0 ",
                                    base, "/s1"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.stderr_text, HasSubstr("merged 6 of 8 cells"));
  EXPECT_THAT(r.stderr_text,
              HasSubstr("2 of 8 cells in " + base + "/out are missing"));
}

TEST(TrustTest, ReportOverFailedCellsExitsNonZero) {
  const std::string dir = Scratch("failed_cells");
  ASSERT_EQ(Nas(RunArgs(dir)).exit_code, 0);
  // A cell as the harness writes one whose algorithm failed after 50 queries.
  ReplaceCellFile(
      dir, kCell, Rewritten(CellFileOf(dir, kCell), [](CellResult* c) {
        c->status = absl::UnknownError("local_search: out of memory");
      }));
  const Result r = Nas(absl::StrCat("report ", dir));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.stderr_text, HasSubstr("1 of 8 cells in " + dir + " failed"));
  EXPECT_THAT(r.stdout_text, HasSubstr("1 failed"));
}

// ---------------------------------------------------------------------------
// Messages a person can act on.

TEST(TrustTest, BinaryGarbageIsEscapedNotEchoed) {
  const std::string dir = Scratch("garbage");
  const std::string config = dir + "/garbage.textproto";
  Spit(config, std::string("\x1b[2J\x1b]0;pwned\x07num_seeds: \xff\xfe 3\n"));
  const Result r =
      Nas(absl::StrCat("run ", config, " --output_dir ", dir, "/out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text.find('\x1b'), std::string::npos) << r.stderr_text;
  EXPECT_EQ(r.stderr_text.find('\x07'), std::string::npos);
  EXPECT_EQ(r.stderr_text.find('\xff'), std::string::npos);
  EXPECT_THAT(r.stderr_text, HasSubstr(config + ":1:"));
  EXPECT_FALSE(fs::exists(dir + "/out"));
}

}  // namespace
}  // namespace nas
