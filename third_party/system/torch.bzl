"""Compiler options for targets that include libtorch headers.

The C++ API's headers (torch/torch.h, torch/nn/...) are installed by Debian's
libtorch-dev under /usr/include/torch/csrc/api/include, which is not on the
default include path. -isystem also keeps libtorch's own warnings out of
-Wall builds. Keep the number of translation units that use this small: each
takes 20-40 s to compile.
"""

TORCH_COPTS = ["-isystem/usr/include/torch/csrc/api/include"]
