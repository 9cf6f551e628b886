"""How binaries link Debian's libraries: Abseil's many shared libraries, or static archives for a binary whose start-up matters."""

# The shared libraries, in pkg-config's link order (repeats included), for
# //third_party/system:absl.BUILD's one target.
ABSL_LINKOPTS = [
    "-labsl_flags_parse",
    "-labsl_flags_usage",
    "-labsl_flags_usage_internal",
    "-labsl_flags_internal",
    "-labsl_flags_marshalling",
    "-labsl_flags_reflection",
    "-labsl_flags_private_handle_accessor",
    "-labsl_flags_commandlineflag",
    "-labsl_flags_commandlineflag_internal",
    "-labsl_flags_config",
    "-labsl_flags_program_name",
    "-labsl_raw_hash_set",
    "-labsl_hashtablez_sampler",
    "-labsl_statusor",
    "-labsl_status",
    "-labsl_str_format_internal",
    "-labsl_strerror",
    "-labsl_hash",
    "-labsl_city",
    "-labsl_bad_variant_access",
    "-labsl_low_level_hash",
    "-labsl_cord",
    "-labsl_cordz_info",
    "-labsl_cord_internal",
    "-labsl_cordz_functions",
    "-labsl_exponential_biased",
    "-labsl_cordz_handle",
    "-labsl_synchronization",
    "-labsl_graphcycles_internal",
    "-labsl_stacktrace",
    "-labsl_symbolize",
    "-labsl_debugging_internal",
    "-labsl_demangle_internal",
    "-labsl_malloc_internal",
    "-labsl_time",
    "-labsl_civil_time",
    "-labsl_time_zone",
    "-labsl_random_distributions",
    "-labsl_throw_delegate",
    "-labsl_raw_logging_internal",
    "-labsl_throw_delegate",
    "-labsl_raw_logging_internal",
    "-labsl_raw_logging_internal",
    "-labsl_raw_logging_internal",
    "-labsl_random_seed_sequences",
    "-labsl_random_internal_pool_urbg",
    "-labsl_random_internal_randen",
    "-labsl_random_internal_randen_hwaes",
    "-labsl_random_internal_randen_hwaes_impl",
    "-labsl_random_internal_randen_slow",
    "-labsl_random_internal_platform",
    "-labsl_raw_logging_internal",
    "-labsl_throw_delegate",
    "-labsl_raw_logging_internal",
    "-labsl_random_internal_seed_material",
    "-labsl_bad_optional_access",
    "-labsl_raw_logging_internal",
    "-labsl_strings",
    "-labsl_strings_internal",
    "-lrt",
    "-labsl_base",
    "-labsl_spinlock_wait",
    "-labsl_int128",
    "-Wl,--push-state,--as-needed",
    "-latomic",
    "-Wl,--pop-state",
    "-labsl_random_seed_gen_exception",
    "-labsl_throw_delegate",
    "-labsl_raw_logging_internal",
    "-labsl_log_severity",
    "-lpthread",
]

def _static_archives():
    names = []
    for flag in ABSL_LINKOPTS:
        if flag.startswith("-labsl_") and flag not in names:
            names.append(flag)
    return ["-l:lib%s.a" % flag[len("-l"):] for flag in names]

# For a binary whose start-up matters (//harness:nas, whose whole quickstart
# run is about 50 ms): Abseil, protobuf, RE2 and xxHash from their static
# archives, so the dynamic loader maps 5 shared libraries instead of 67
# (`nas --version` 6.6 -> 2.7 ms). --as-needed then drops the shared copies
# the dependencies' linkopts still name; the group lets the archives resolve
# each other in any order. Not for a binary that also loads libtorch: it
# brings the shared protobuf, and two copies of protobuf must not meet.
STATIC_STARTUP_LINKOPTS = ["-Wl,--as-needed", "-Wl,--start-group"] + _static_archives() + [
    "-l:libprotobuf.a",
    "-l:libre2.a",
    "-l:libxxhash.a",
    "-Wl,--end-group",
]
