#include "landscape/densities.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "boost/math/quadrature/gauss_kronrod.hpp"
#include "core/random.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

double IntegrateUnit(const std::function<double(double)>& f) {
  // Piecewise-linear grid densities have kinks every 1/1024 or 1/128:
  // integrate piece by piece so each piece is smooth.
  double total = 0;
  constexpr int kPieces = 1024;
  for (int i = 0; i < kPieces; ++i) {
    total += boost::math::quadrature::gauss_kronrod<double, 15>::integrate(
        f, static_cast<double>(i) / kPieces,
        static_cast<double>(i + 1) / kPieces, 0, 1e-12);
  }
  return total;
}

// Truncated-normal draws by rejection from nas::Rng's normals.
std::vector<double> TruncatedNormalSample(double mean, double sd, int count,
                                          uint64_t seed) {
  Rng rng(seed);
  std::vector<double> out;
  while (static_cast<int>(out.size()) < count) {
    const double x = mean + sd * rng.Normal();
    if (x >= 0 && x <= 1) out.push_back(x);
  }
  return out;
}

std::vector<LossPair> NeighbourPairs(double sd, int count, uint64_t seed) {
  Rng rng(seed);
  std::vector<LossPair> pairs;
  while (static_cast<int>(pairs.size()) < count) {
    const double x = rng.UniformDouble();
    const double y = x + sd * rng.Normal();
    if (y >= 0 && y <= 1) {
      pairs.push_back({static_cast<float>(x), static_cast<float>(y)});
    }
  }
  return pairs;
}

TEST(DensitiesTest, ParametricDensitiesIntegrateToOne) {
  const TruncatedNormalDensity paper(0.25, 0.18);
  EXPECT_NEAR(IntegrateUnit([&](double x) { return paper.Pdf(x); }), 1, 1e-9);
  EXPECT_NEAR(paper.Cdf(1), 1, 1e-15);
  EXPECT_EQ(paper.Cdf(0), 0);
  const TruncatedNormalNeighbourDensity local(0.3);
  for (double x : {0.0, 0.05, 0.5, 1.0}) {
    EXPECT_NEAR(IntegrateUnit([&](double y) { return local.Pdf(x, y); }), 1,
                1e-9)
        << x;
    EXPECT_NEAR(local.UpperTail(x, 0), 1, 1e-12);
    EXPECT_NEAR(local.UpperTail(x, 1), 0, 1e-12);
  }
}

TEST(DensitiesTest, KernelDensityIntegratesToOneAndFindsTheTruth) {
  const std::vector<double> samples =
      TruncatedNormalSample(0.25, 0.1, 200000, 1);
  const auto kde = FitKernelDensity(samples);
  EXPECT_NEAR(IntegrateUnit([&](double x) { return kde->Pdf(x); }), 1, 1e-9);
  EXPECT_NEAR(kde->Cdf(1), 1, 1e-12);
  // Silverman: 0.9 * ~0.097 (the truncated sd) * 200000^-0.2 ~ 0.0076.
  EXPECT_NEAR(SilvermanBandwidth(samples), 0.0076, 0.0004);
  const TruncatedNormalDensity truth(0.25, 0.1);
  for (double x : {0.1, 0.25, 0.4}) {
    // The estimator's standard error here is about 1.5%.
    EXPECT_NEAR(kde->Pdf(x), truth.Pdf(x), 0.05 * truth.Pdf(x)) << x;
  }
  // Reflection keeps the density up at the boundary instead of halving it.
  const std::vector<double> uniform = [] {
    Rng rng(2);
    std::vector<double> u;
    for (int i = 0; i < 50000; ++i) u.push_back(rng.UniformDouble());
    return u;
  }();
  const auto flat = FitKernelDensity(uniform);
  EXPECT_NEAR(flat->Pdf(0), 1, 0.08);
  EXPECT_NEAR(flat->Pdf(1), 1, 0.08);
  EXPECT_LT(KolmogorovSmirnov(uniform, *flat), 0.01);
}

TEST(DensitiesTest, MaximumLikelihoodRecoversTruncatedNormals) {
  const auto fit = FitTruncatedNormal(TruncatedNormalSample(0.25, 0.18, 40000, 3));
  EXPECT_NEAR(fit->mean(), 0.25, 0.01);
  EXPECT_NEAR(fit->sd(), 0.18, 0.01);
  // The mean may sit outside [0, 1]: a decreasing density.
  const auto edge = FitTruncatedNormal(TruncatedNormalSample(-0.1, 0.3, 40000, 4));
  EXPECT_NEAR(edge->mean(), -0.1, 0.05);
  EXPECT_NEAR(edge->sd(), 0.3, 0.03);

  const auto local = FitTruncatedNormalNeighbour(NeighbourPairs(0.2, 40000, 5));
  EXPECT_NEAR(local->sd(), 0.2, 0.005);
  EXPECT_LT(NeighbourKolmogorovSmirnov(NeighbourPairs(0.2, 40000, 6), *local),
            0.015);
  // The wrong width is visibly worse by the same measure.
  EXPECT_GT(NeighbourKolmogorovSmirnov(NeighbourPairs(0.2, 40000, 6),
                                       TruncatedNormalNeighbourDensity(0.35)),
            0.05);
}

TEST(DensitiesTest, ConditionalKernelDensityRowsIntegrateToOne) {
  const std::vector<LossPair> pairs = NeighbourPairs(0.15, 100000, 7);
  const auto cond = FitConditionalKernelDensity(pairs);
  for (double x : {0.0, 0.013, 0.3, 0.77, 1.0}) {
    EXPECT_NEAR(IntegrateUnit([&](double y) { return cond->Pdf(x, y); }), 1,
                1e-9)
        << x;
    EXPECT_NEAR(cond->UpperTail(x, 0), 1, 1e-12);
    EXPECT_NEAR(cond->UpperTail(x, 1), 0, 1e-12);
  }
  // It finds the truth: the PIT of fresh pairs is nearly uniform, and the
  // density at the centre matches N(x, 0.15^2) truncated.
  EXPECT_LT(NeighbourKolmogorovSmirnov(NeighbourPairs(0.15, 50000, 8), *cond),
            0.02);
  const TruncatedNormalNeighbourDensity truth(0.15);
  EXPECT_NEAR(cond->Pdf(0.5, 0.5), truth.Pdf(0.5, 0.5), 0.08 * truth.Pdf(0.5, 0.5));
}

TEST(DensitiesTest, KolmogorovSmirnovByHand) {
  const UniformDensity uniform;
  EXPECT_DOUBLE_EQ(KolmogorovSmirnov({0.5}, uniform), 0.5);
  EXPECT_DOUBLE_EQ(KolmogorovSmirnov({0.25, 0.75}, uniform), 0.25);
  EXPECT_DOUBLE_EQ(KolmogorovSmirnov({0.1, 0.2}, uniform), 0.8);
  // The 5% critical value of the Kolmogorov distribution is 1.358.
  EXPECT_NEAR(KolmogorovSmirnovPValue(1.358 / std::sqrt(1e6), 1000000), 0.05,
              0.001);
  EXPECT_EQ(KolmogorovSmirnovPValue(0, 100), 1);
}

// A smooth cdf over the whole line, so that the order of negative, zero
// and large samples matters.
class LogisticDensity : public Density {
 public:
  double Pdf(double x) const override { return Cdf(x) * (1 - Cdf(x)); }
  double Cdf(double x) const override { return 1 / (1 + std::exp(-x)); }
  std::string Describe() const override { return "logistic"; }
};

// KolmogorovSmirnov sorts by radix; the statistic must be the one that
// std::sort's order gives, for samples of either sign, signed zeros, ties
// and magnitudes far apart.
TEST(DensitiesTest, KolmogorovSmirnovSortsLikeStdSort) {
  Rng rng(5);
  std::vector<double> samples = {0.0,   -0.0,   0.0,    -1e300,
                                 1e300, 5e-324, -5e-324};
  for (int i = 0; i < 20000; ++i) {
    const double x = (rng.UniformDouble() - 0.5) *
                     std::pow(10.0, static_cast<int>(rng.UniformInt(9)) - 4);
    samples.push_back(x);
    if (i % 7 == 0) samples.push_back(x);  // ties
  }
  const LogisticDensity logistic;
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  const double n = sorted.size();
  double expected = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const double f = logistic.Cdf(sorted[i]);
    expected = std::max({expected, f - i / n, (i + 1) / n - f});
  }
  EXPECT_EQ(KolmogorovSmirnov(samples, logistic), expected);
  EXPECT_GT(expected, 0.01);
}

}  // namespace
}  // namespace nas
