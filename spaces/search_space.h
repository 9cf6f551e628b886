#ifndef NASBENCH_SPACES_SEARCH_SPACE_H_
#define NASBENCH_SPACES_SEARCH_SPACE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/architecture.h"
#include "core/random.h"
#include "core/registry.h"
#include "google/protobuf/message.h"

namespace nas {

class SpaceEncodings;  // spaces/encodings/encoder.h

// A search space: which architectures exist, how they are written, and which
// are neighbours. Implementations are immutable after construction and
// thread-safe (every method is const and keeps no mutable state), so one
// instance is shared by all cells of an experiment.
//
// Unless a method says otherwise, an Architecture passed in must be valid
// (Validate() returned OK) and canonical (equal to its Canonicalize()); every
// Architecture returned is valid and canonical. Input from users and files
// enters only through Parse() and Validate().
class SearchSpace {
 public:
  SearchSpace() = default;
  SearchSpace(const SearchSpace&) = delete;
  SearchSpace& operator=(const SearchSpace&) = delete;
  virtual ~SearchSpace() = default;

  // The registered name, e.g. "my_space".
  virtual std::string name() const = 0;

  // The number of values each gene can take; its length is the number of
  // genes of every architecture. Used by encodings and by algorithms that
  // make one categorical choice per gene.
  virtual absl::Span<const int> gene_cardinalities() const = 0;

  // Exact number of distinct architectures (canonical forms).
  virtual absl::uint128 Size() const = 0;

  // Finite spaces small enough to tabulate map architectures one-to-one onto
  // [0, Size()). Spaces that return false here leave ToIndex/FromIndex
  // unimplemented.
  virtual bool IsIndexable() const { return false; }
  virtual int64_t ToIndex(const Architecture& arch) const;
  virtual Architecture FromIndex(int64_t index) const;

  // OK, or InvalidArgument saying which gene is wrong and why. Accepts any
  // Architecture (this is the boundary check), canonical or not.
  virtual absl::Status Validate(const Architecture& arch) const = 0;

  // The representative of `arch`'s equivalence class (isomorphic graphs,
  // reordered inputs, ...). `arch` must be valid, need not be canonical.
  virtual Architecture Canonicalize(const Architecture& arch) const {
    return arch;
  }

  // Cheap forms of the two checks above, for hot loops (the oracle runs
  // them on every query, the distinct sampler on every architecture it is
  // shown). They must agree with Validate(arch).ok() and with
  // Canonicalize(arch) == arch; the defaults are exactly those, so a space
  // overrides them only for speed.
  //
  // True when Validate(arch) would return OK, without building its message.
  // (The defaults of these two are defined out of line: visible here, they
  // lead compilers to guess them at every call, a compare and a branch more
  // per query for the spaces that override them.)
  virtual bool IsValid(const Architecture& arch) const;
  // False when every valid architecture is its own canonical form (no
  // symmetries: Canonicalize is the identity), so callers may skip the
  // canonical-form check. True by default, which is always safe.
  virtual bool HasSymmetries() const { return true; }
  // ToIndex(arch) for a valid `arch` of an indexable space, -1 when `arch`
  // is invalid or the space is not indexable: one call where a seen set
  // would make two (and ToIndex of an invalid architecture is undefined).
  // Must agree with the default, which is exactly that.
  virtual int64_t IndexIfValid(const Architecture& arch) const;

  // A 64-bit identifier, equal exactly for equivalent architectures (up to
  // hash collisions for spaces that cannot map to indices). Stable across
  // runs and builds.
  virtual uint64_t Hash(const Architecture& arch) const {
    return arch.GeneHash();
  }

  // A uniformly random architecture (uniform over what the space defines as
  // its sampling distribution; documented by each space).
  virtual Architecture Sample(Rng& rng) const = 0;

  // Appends the neighbours of `arch` to `out` (cleared first): distinct,
  // valid, canonical, never `arch` itself, in a fixed order.
  virtual void Neighbors(const Architecture& arch,
                         std::vector<Architecture>* out) const = 0;

  // A random neighbour (the mutation used by evolutionary algorithms).
  // Default: uniform over Neighbors().
  virtual Architecture Mutate(const Architecture& arch, Rng& rng) const;

  // The space's own text form (e.g. NAS-Bench-201's arch strings), and its
  // parser: Parse(ToString(a)) == a for every valid canonical `a`. Parse
  // returns InvalidArgument naming the offending part of the text; its
  // result is valid and canonical.
  virtual std::string ToString(const Architecture& arch) const = 0;
  virtual absl::StatusOr<Architecture> Parse(absl::string_view text) const = 0;

  // Optional capabilities, declared by the space in its own package so that
  // central code asks for what it needs instead of comparing names (nullptr
  // or nullopt: the space lacks it, and the caller says so clearly).
  //
  // Encodings for predictor-based algorithms beyond the one-hot every space
  // has (spaces/encodings/encoder.h).
  virtual const SpaceEncodings* encodings() const { return nullptr; }
  // A function listing every valid canonical architecture, sorted
  // (Architecture's <), for an exact landscape analysis of a space that is
  // neither indexable nor a small product of genes (NAS-Bench-101's 423,624
  // isomorphism classes). Spaces whose genes multiply to at most 2^24
  // combinations need not declare one: the analysis enumerates them itself.
  using Enumerator = std::function<std::vector<Architecture>()>;
  virtual Enumerator enumerator() const { return nullptr; }
};

using SearchSpaceFactory =
    std::function<absl::StatusOr<std::unique_ptr<SearchSpace>>(
        const google::protobuf::Message* params)>;
using SearchSpaceRegistry = Registry<SearchSpaceFactory>;

inline SearchSpaceRegistry& GlobalSearchSpaceRegistry() {
  return SearchSpaceRegistry::Global("search space");
}

// Registers a search space from its own .cc file:
//   NAS_REGISTER_SEARCH_SPACE("my_space", "Six genes of four values",
//                             /*params_prototype=*/nullptr, &MakeSpace);
// The factory receives the parsed parameter message (of the prototype's type,
// or nullptr when the space takes none).
#define NAS_REGISTER_SEARCH_SPACE(name, description, params_prototype, \
                                  factory)                               \
  static ::nas::PluginRegistrar NAS_INTERNAL_UNIQUE_NAME(                \
      nas_search_space_registrar_)([] {                                  \
    ::nas::GlobalSearchSpaceRegistry().Register(                         \
        {name, description, params_prototype, factory, __FILE__});       \
  })

// The factory of a space class with a static
//   absl::StatusOr<std::unique_ptr<Impl>> Impl::New()
// (no parameters) or Impl::New(const Params&) (it receives the configured
// parameters, or Params' defaults when the config gives none).
template <typename Impl, typename Params = void>
absl::StatusOr<std::unique_ptr<SearchSpace>> TypedSearchSpaceFactory(
    const google::protobuf::Message* params) {
  if constexpr (std::is_void_v<Params>) {
    return AsPluginInterface<SearchSpace>(Impl::New());
  } else {
    return AsPluginInterface<SearchSpace>(
        Impl::New(ParamsOrDefaults<Params>(params)));
  }
}

// Registers a space class with no parameters, with no adapter:
//   NAS_REGISTER_SEARCH_SPACE_CLASS("transnas_micro", "TransNAS-Bench-101 ...",
//                                   TransnasMicroSpace);
#define NAS_REGISTER_SEARCH_SPACE_CLASS(name, description, Impl)             \
  NAS_REGISTER_SEARCH_SPACE(name, description, /*params_prototype=*/nullptr, \
                            (&::nas::TypedSearchSpaceFactory<Impl>))

// The same for a space class and its parameter message.
#define NAS_REGISTER_SEARCH_SPACE_CLASS_WITH_PARAMS(name, description, Impl, \
                                                    Params)                  \
  NAS_REGISTER_SEARCH_SPACE(name, description, &Params::default_instance(),  \
                            (&::nas::TypedSearchSpaceFactory<Impl, Params>))

}  // namespace nas

#endif  // NASBENCH_SPACES_SEARCH_SPACE_H_
