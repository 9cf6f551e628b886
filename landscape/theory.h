#ifndef NASBENCH_LANDSCAPE_THEORY_H_
#define NASBENCH_LANDSCAPE_THEORY_H_

#include <memory>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "landscape/densities.h"

namespace nas {

// Numerical evaluation of the local-search theory of White, Nolen & Savani
// (Theorem 5.1 and the preimage lemma; formulas in docs/landscape.md) for
// given densities, with Boost.Math's Gauss-Legendre rules (composite, on
// 1/1024 pieces of [0, 1]) and PCHIP interpolation. Losses are normalised to [0, 1];
// T(x) = integral of pdf_e(x, y) over y in [x, 1] is the chance that a
// random neighbour is worse than x.
struct TheoryModel {
  double n = 0;  // Number of architectures.
  double s = 0;  // Neighbours per architecture (the mean degree if it varies).
  const Density* pdf_n = nullptr;
  const NeighbourDensity* pdf_e = nullptr;
  // (degree d, fraction of architectures with d neighbours) for spaces whose
  // neighbourhoods vary in size (NAS-Bench-101); empty: all have s.
  std::vector<std::pair<int, double>> degrees;
};

// Theorem 5.1: E[#local minima] = n * integral_0^1 pdf_n(x) T(x)^s dx; with
// a degree distribution, n * sum_d f_d integral pdf_n(x) T(x)^d dx (a vertex
// is a local minimum when all of its own d neighbours are worse; for iid
// losses this is sum_v 1/(d_v + 1) exactly).
double ExpectedLocalMinima(const TheoryModel& model);

// The preimage lemma as functions of a = l(v), tabulated on a uniform grid
// of [0, 1) and interpolated by PCHIP of log g against t = -log(1 - a), in
// which these fast-decaying functions are nearly straight (exactly, for
// uniform densities). On the grid the recursion is linear in g_{k-1}: its
// kernel is evaluated once at the Gauss points of every grid interval.
//   g_0(a) = 1 (v itself),
//   g_k(a) = E|LS^{-k}(v)|
//          = s * integral_a^1 pdf_e(a, u) T_a(u)^(s-1) g_{k-1}(u) du,
//   T_a(u) = integral_a^1 pdf_e(u, w) dw,
// and E|LS^{-*}(v)| = sum over k >= 0 of g_k(a) (the basin counted with v,
// as the closed form's leading 1 does). Levels are added until the newest
// is below `tolerance` times the sum everywhere, or `max_levels`.
class PreimageModel {
 public:
  struct Options {
    int grid_intervals = 256;
    int max_levels = 400;
    double tolerance = 1e-10;
  };

  static PreimageModel Compute(double s, const NeighbourDensity& pdf_e,
                               const Options& options);
  static PreimageModel Compute(double s, const NeighbourDensity& pdf_e) {
    return Compute(s, pdf_e, Options());
  }

  // E|LS^{-k}(v)| for l(v) = a; 0 for k >= num_levels().
  double Level(int k, double a) const;
  // E|LS^{-*}(v)| for l(v) = a.
  double Total(double a) const;
  int num_levels() const { return static_cast<int>(levels_.size()); }
  bool converged() const { return converged_; }

 private:
  struct Table;
  PreimageModel() = default;

  std::vector<std::shared_ptr<const Table>> levels_;
  bool converged_ = false;
};

// Lemma A.2 of the study (uniform pdf_n = pdf_e): E|LS^{-*}(v)| =
// 1 + s * sum_{i >= 1} (1 - v)^(s i) prod_{j=1}^{i-1} s / (j s + 1),
// summed until the terms vanish.
double UniformPreimageClosedForm(double v, double s);

// Theorem 5.1's epsilon-probability: with w(x) = pdf_n(x) T(x)^s
// E|LS^{-*}(x)| (density of local minima at x times their basin),
//   P(epsilon) = integral_0^{offset + epsilon} w / integral_0^1 w.
// offset = 0 is the published form (the global minimum taken at loss 0);
// offset = x* (the data's normalised global minimum) predicts the event the
// data's curve counts, l(LS*(v)) <= x* + epsilon.
struct EpsilonPrediction {
  std::vector<double> probability;  // One per epsilon.
  // n * integral_0^1 w / n: the fraction of all architectures that the
  // predicted basins account for (1 in a self-consistent model).
  double basin_mass = 0;
};
EpsilonPrediction PredictEpsilonCurve(const TheoryModel& model,
                                      const PreimageModel& preimage,
                                      absl::Span<const double> epsilons,
                                      double offset = 0);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_THEORY_H_
