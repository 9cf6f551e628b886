"""nas_fuzz_target: one libFuzzer target and the test that replays its corpus.

For a target NAME (source NAME_fuzz.cc unless `src` says otherwise, which
defines nas::fuzz::FuzzOne; fuzz_entry.cc gives libFuzzer its entry point):
  NAME_fuzz_lib      the code under fuzz plus FuzzOne;
  NAME_fuzzer        the libFuzzer binary. Tagged "manual": it links with
                     -fsanitize=fuzzer, which only clang understands, so it is
                     built with --config=fuzz only (docs/fuzzing.md);
  NAME_corpus_test   an ordinary cc_test that runs FuzzOne on every file of
                     corpus/NAME, with any compiler and config, so every
                     input the fuzzer ever crashed on stays a regression test.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

def nas_fuzz_target(name, deps, src = None, local_defines = []):
    cc_library(
        name = name + "_fuzz_lib",
        srcs = [src or name + "_fuzz.cc"],
        local_defines = local_defines,
        deps = deps + [":fuzz_util"],
        # Nothing references LLVMFuzzerTestOneInput but libFuzzer's main.
        alwayslink = 1,
    )
    cc_binary(
        name = name + "_fuzzer",
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual"],
        deps = [
            ":" + name + "_fuzz_lib",
            ":fuzz_entry",
        ],
    )
    cc_test(
        name = name + "_corpus_test",
        args = [native.package_name() + "/corpus/" + name],
        data = native.glob(["corpus/" + name + "/*"]),
        deps = [
            ":" + name + "_fuzz_lib",
            ":replay_main",
        ],
    )
