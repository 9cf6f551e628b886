#include "landscape/theory.h"

#include <algorithm>
#include <cmath>

// Boost 1.74's pchip.hpp calls isnan unqualified; make std::isnan visible
// to its unqualified lookup.
using std::isnan;
#include "boost/math/interpolators/pchip.hpp"
#include "boost/math/quadrature/gauss.hpp"

namespace nas {
namespace {

// Every integral here is a composite Gauss-Legendre rule: [0, 1] is cut
// at multiples of 1/kPieces and each piece gets Boost's 7-point rule. The
// tabulated densities (KDE: 1024 intervals; conditional KDE: 128) are
// smooth inside such pieces, so the rule is accurate to high order there,
// where an adaptive rule would chase their kinks.
constexpr int kPieces = 1024;
using Rule = boost::math::quadrature::gauss<double, 7>;

template <typename F>
double Integrate(F f, double a, double b) {
  if (!(b > a)) return 0;
  double sum = 0;
  double lo = a;
  while (lo < b) {
    const double next = std::floor(lo * kPieces + 1e-9) / kPieces + 1.0 / kPieces;
    const double hi = std::min(b, next);
    if (hi > lo) sum += Rule::integrate(f, lo, hi);
    lo = hi;
  }
  return sum;
}

// The chance that a random neighbour of a vertex with loss x is worse.
double WorseNeighbour(const NeighbourDensity& pdf_e, double x) {
  return pdf_e.UpperTail(x, x);
}

// The smallest value kept before taking logarithms.
constexpr double kFloor = 1e-300;

}  // namespace

// A positive function on [0, 1) through its values at the uniform nodes
// j / m, j < m. The preimage functions behave like c (1 - a)^(s k), so they
// are interpolated as log g against t = -log(1 - a), where they are nearly
// straight lines (exactly so for uniform densities); PCHIP keeps the
// interpolant monotone. Beyond the last node (a > 1 - 1/m, where the
// functions are negligible) the last segment is extended linearly.
struct PreimageModel::Table {
  std::vector<double> t, log_values;
  boost::math::interpolators::pchip<std::vector<double>> interpolant;

  static double T(double a) { return -std::log1p(-a); }
  static std::vector<double> Nodes(size_t count) {
    std::vector<double> t(count);
    for (size_t j = 0; j < count; ++j) t[j] = T(static_cast<double>(j) / count);
    return t;
  }
  static std::vector<double> Logs(const std::vector<double>& v) {
    std::vector<double> y(v.size());
    for (size_t i = 0; i < v.size(); ++i) y[i] = std::log(std::max(v[i], kFloor));
    return y;
  }
  explicit Table(const std::vector<double>& node_values)
      : t(Nodes(node_values.size())),
        log_values(Logs(node_values)),
        interpolant(Nodes(node_values.size()), Logs(node_values)) {}

  double operator()(double a) const {
    a = std::max(a, 0.0);
    if (a >= 1) return 0;
    double log_value;
    const double ta = T(a);
    const size_t last = t.size() - 1;
    if (ta <= t[last]) {
      log_value = interpolant(ta);
    } else {
      const double slope = (log_values[last] - log_values[last - 1]) /
                           (t[last] - t[last - 1]);
      log_value = log_values[last] + slope * (ta - t[last]);
    }
    const double v = std::exp(log_value);
    return v <= 2 * kFloor ? 0 : v;
  }
};

PreimageModel PreimageModel::Compute(double s, const NeighbourDensity& pdf_e,
                                     const Options& options) {
  // On nodes a_j = j / m the recursion is linear in g_{k-1}:
  //   g_k(a_j) = sum_{i >= j} integral over [a_i, a_{i+1}] of
  //              K_j(u) g_{k-1}(u) du,  K_j(u) = s pdf_e(a_j, u) T_{a_j}(u)^(s-1),
  // with Boost's 7-point Gauss-Legendre rule on every interval. K_j does not
  // depend on k, so its weighted values are computed once; each level then
  // needs g_{k-1} only at the 7 m fixed Gauss points.
  PreimageModel model;
  const int m = options.grid_intervals;
  const auto& abscissa = Rule::abscissa();  // Non-negative half, 0 first.
  const auto& weights = Rule::weights();
  std::vector<double> unit_points, unit_weights;  // On [-1, 1].
  for (size_t p = 0; p < abscissa.size(); ++p) {
    unit_points.push_back(abscissa[p]);
    unit_weights.push_back(weights[p]);
    if (abscissa[p] != 0) {
      unit_points.push_back(-abscissa[p]);
      unit_weights.push_back(weights[p]);
    }
  }
  const int q = static_cast<int>(unit_points.size());
  std::vector<double> points(static_cast<size_t>(m) * q), point_weights(points.size());
  for (int i = 0; i < m; ++i) {
    const double lo = static_cast<double>(i) / m, half = 0.5 / m;
    for (int p = 0; p < q; ++p) {
      points[i * q + p] = lo + half * (1 + unit_points[p]);
      point_weights[i * q + p] = half * unit_weights[p];
    }
  }
  // T_{a_j}(u) at every point u for every node a_j at or below it: one
  // batched UpperTail per point (its factors of u computed once).
  std::vector<double> nodes(m);
  for (int j = 0; j < m; ++j) nodes[j] = static_cast<double>(j) / m;
  std::vector<std::vector<double>> worse_than_node(points.size());
  for (size_t r = 0; r < points.size(); ++r) {
    const size_t below = r / q + 1;  // Nodes a_0 .. a_{interval of r}.
    worse_than_node[r].resize(below);
    pdf_e.UpperTails(points[r], absl::MakeConstSpan(nodes.data(), below),
                     worse_than_node[r].data());
  }
  // kernel[j] holds the weighted K_j at the points of intervals j .. m-1.
  std::vector<std::vector<double>> kernel(m);
  std::vector<double> density;
  for (int j = 0; j < m; ++j) {
    const double a = nodes[j];
    std::vector<double>& row = kernel[j];
    row.resize(static_cast<size_t>(m - j) * q);
    density.resize(row.size());
    pdf_e.Pdfs(a, absl::MakeConstSpan(points).subspan(j * q), density.data());
    for (size_t r = 0; r < row.size(); ++r) {
      row[r] = point_weights[j * q + r] * s * density[r] *
               std::pow(worse_than_node[j * q + r][j], s - 1);
    }
  }
  std::vector<double> total(m, 1.0);
  std::vector<double> previous_at_points(points.size(), 1.0);
  model.levels_.push_back(std::make_shared<Table>(std::vector<double>(m, 1.0)));
  for (int k = 1; k <= options.max_levels; ++k) {
    std::vector<double> level(m, 0.0);
    double largest_ratio = 0;
    for (int j = 0; j < m; ++j) {
      const std::vector<double>& row = kernel[j];
      const double* g = previous_at_points.data() + static_cast<size_t>(j) * q;
      double sum = 0;
      for (size_t r = 0; r < row.size(); ++r) sum += row[r] * g[r];
      level[j] = sum;
      total[j] += sum;
      largest_ratio = std::max(largest_ratio, sum / total[j]);
    }
    model.levels_.push_back(std::make_shared<Table>(level));
    const Table& latest = *model.levels_.back();
    for (size_t r = 0; r < points.size(); ++r) previous_at_points[r] = latest(points[r]);
    if (largest_ratio < options.tolerance) {
      model.converged_ = true;
      break;
    }
  }
  return model;
}

double PreimageModel::Level(int k, double a) const {
  if (k < 0 || k >= num_levels()) return 0;
  return (*levels_[k])(a);
}

double PreimageModel::Total(double a) const {
  // Each level is nearly log-linear in t, their sum is not: sum the
  // interpolated levels rather than interpolating the sum.
  double sum = 0;
  for (const auto& level : levels_) sum += (*level)(a);
  return sum;
}

double UniformPreimageClosedForm(double v, double s) {
  double sum = 1;
  double product = 1;  // prod_{j=1}^{i-1} s / (j s + 1)
  const double q = std::pow(1 - v, s);
  double power = 1;  // (1 - v)^(s i)
  for (int i = 1; i < 100000; ++i) {
    power *= q;
    const double term = s * power * product;
    sum += term;
    if (term < 1e-17 * sum) break;
    product *= s / (i * s + 1);
  }
  return sum;
}

double ExpectedLocalMinima(const TheoryModel& model) {
  auto minimum_density = [&](double x) {
    const double worse = WorseNeighbour(*model.pdf_e, x);
    if (model.degrees.empty()) return model.pdf_n->Pdf(x) * std::pow(worse, model.s);
    double p = 0;
    for (const auto& [degree, fraction] : model.degrees) {
      p += fraction * std::pow(worse, degree);
    }
    return model.pdf_n->Pdf(x) * p;
  };
  return model.n * Integrate(minimum_density, 0.0, 1.0);
}

EpsilonPrediction PredictEpsilonCurve(const TheoryModel& model,
                                      const PreimageModel& preimage,
                                      absl::Span<const double> epsilons,
                                      double offset) {
  auto w = [&](double x) {
    return model.pdf_n->Pdf(x) *
           std::pow(WorseNeighbour(*model.pdf_e, x), model.s) *
           preimage.Total(x);
  };
  // The integral of w up to every piece boundary, then partial pieces.
  std::vector<double> cumulative(kPieces + 1, 0);
  for (int i = 0; i < kPieces; ++i) {
    cumulative[i + 1] =
        cumulative[i] + Rule::integrate(w, static_cast<double>(i) / kPieces,
                                        static_cast<double>(i + 1) / kPieces);
  }
  EpsilonPrediction prediction;
  prediction.basin_mass = cumulative[kPieces];
  for (double eps : epsilons) {
    const double upper = std::min(1.0, std::max(0.0, offset + eps));
    const int whole = std::min(kPieces, static_cast<int>(upper * kPieces));
    double mass = cumulative[whole];
    const double lo = static_cast<double>(whole) / kPieces;
    if (upper > lo) mass += Rule::integrate(w, lo, upper);
    prediction.probability.push_back(
        prediction.basin_mass > 0 ? mass / prediction.basin_mass : 0);
  }
  return prediction;
}

}  // namespace nas
