"""A package of proxies: one alwayslink library that registers them."""

load("@rules_cc//cc:defs.bzl", "cc_library")
load("//third_party/system:torch.bzl", "TORCH_COPTS")

def proxy_library(name, srcs):
    cc_library(
        name = name,
        srcs = srcs,
        copts = TORCH_COPTS,
        alwayslink = 1,
        deps = [
            "//objectives/networks:network",
            "//objectives/proxies:proxy",
            "@com_google_absl//:absl",
            "@libtorch//:torch",
        ],
    )
