#include "harness/libtorch_hooks.h"

namespace nas {
namespace {

// Function-local so that registration from another file's static
// initialiser never sees it unconstructed.
const LibtorchHooks*& Hooks() {
  static const LibtorchHooks* hooks = nullptr;
  return hooks;
}

}  // namespace

const LibtorchHooks* GetLibtorchHooks() { return Hooks(); }

bool RegisterLibtorchHooks(const LibtorchHooks& hooks) {
  Hooks() = new LibtorchHooks(hooks);
  return true;
}

}  // namespace nas
