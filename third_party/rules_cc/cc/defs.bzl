"""rules_cc's public names, forwarded to the C++ rules built into Bazel 4.

Debian's rules_cc 0.0.4 needs a newer Bazel; this shim keeps every BUILD file
written against the real rules_cc, so moving to it later changes one line of
WORKSPACE.
"""

cc_binary = native.cc_binary
cc_import = native.cc_import
cc_library = native.cc_library
cc_proto_library = native.cc_proto_library
cc_shared_library = getattr(native, "cc_shared_library", None)
cc_test = native.cc_test
cc_toolchain = native.cc_toolchain
cc_toolchain_suite = native.cc_toolchain_suite
fdo_prefetch_hints = native.fdo_prefetch_hints
fdo_profile = native.fdo_profile
objc_import = native.objc_import
objc_library = native.objc_library
