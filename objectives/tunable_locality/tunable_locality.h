#ifndef NASBENCH_OBJECTIVES_TUNABLE_LOCALITY_TUNABLE_LOCALITY_H_
#define NASBENCH_OBJECTIVES_TUNABLE_LOCALITY_TUNABLE_LOCALITY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "objectives/objective.h"
#include "objectives/tunable_locality/tunable_locality.pb.h"

namespace nas {

// A landscape of tunable locality on ANY search space, from smooth to purely
// random, computed on demand from the architecture's genes (Kauffman's NK
// landscape over the space's gene vector; nothing is tabulated, so it works
// on DARTS's 10^18 architectures).
//
// With G genes x_0 .. x_{G-1} (of the canonical architecture) and K =
// `interactions`, gene i has K partner genes p_i1 .. p_iK (distinct, != i;
// drawn from the seed, or i+1 .. i+K cyclically) and the value is
//
//   f(x) = (1/G) * sum_i  U( seed, i, x_i, x_{p_i1}, ..., x_{p_iK} )
//
// where U is a uniform [0, 1) number read from a stable 64-bit hash of its
// arguments. So f is in [0, 1): K = 0 is additive (one gene change moves
// one term), each extra partner spreads a change to more terms, and
// K = G - 1 redraws every term on any change. On spaces whose neighbours
// change exactly one gene among genes of c values each (NAS-Bench-201: G = 6,
// c = 5), a move redraws term j and the K terms (on average over j) that
// have j as a partner, so the correlation of neighbouring values is
// 1 - (K + 1)/G over the seeds' randomness; measured over the whole finite
// space it is 1 - (K + 1) / (G (1 - c^-(K+1))) (a term's spread over the
// space is that of c^(K+1) draws), e.g. 0.79, 0.65, ..., 0.00 for K = 0,
// 1, ..., 5. On other spaces (DARTS moves reorder a node's pairs; NAS-Bench-
// 101 re-canonicalises graphs) a move may change several genes, so
// locality is lower but still falls monotonically with K.
//
// valid_error = test_error = f (noise-free). Unit: dimensionless in [0, 1).
class TunableLocalityObjective : public Objective {
 public:
  // InvalidArgument when interactions is outside 0 .. num_genes - 1.
  static absl::StatusOr<std::unique_ptr<TunableLocalityObjective>> New(
      std::shared_ptr<const SearchSpace> space,
      const TunableLocalityObjectiveParams& params);

  std::string name() const override { return "tunable_locality"; }
  const SearchSpace& space() const override { return *space_; }
  std::string error_unit() const override {
    return "NK landscape value in [0, 1)";
  }
  absl::Span<const Fidelity> fidelities() const override {
    return fidelities_;
  }
  Evaluation Evaluate(const Architecture& arch, int fidelity,
                      Rng* noise) const override;

  // f(arch) for a valid, canonical architecture.
  double Value(const Architecture& arch) const;

  int interactions() const { return interactions_; }
  // The partners of gene i (K of them).
  absl::Span<const int> partners(int gene) const;

  // The same parameters with seed + replicate: another draw of the NK
  // landscape.
  std::unique_ptr<Objective> Replicate(int replicate) const override;

 private:
  TunableLocalityObjective() = default;

  std::shared_ptr<const SearchSpace> space_;
  TunableLocalityObjectiveParams params_;
  int num_genes_ = 0;
  int interactions_ = 0;
  std::vector<int> partners_;         // num_genes_ x interactions_.
  std::vector<uint64_t> gene_keys_;   // Per gene, derived from the seed.
  std::vector<Fidelity> fidelities_;
};

}  // namespace nas

#endif  // NASBENCH_OBJECTIVES_TUNABLE_LOCALITY_TUNABLE_LOCALITY_H_
