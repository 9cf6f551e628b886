#ifndef NASBENCH_LANDSCAPE_REPORT_H_
#define NASBENCH_LANDSCAPE_REPORT_H_

#include <string>
#include <vector>

#include "absl/types/span.h"
#include "landscape/densities.h"
#include "landscape/exact.h"
#include "landscape/landscape.pb.h"

namespace nas {

// Formatting of landscape results: the report's text forms are built from
// the LandscapeReport message alone; figures from it and the data they
// draw. Deterministic: the same input gives the same bytes.

std::string LandscapeMarkdown(const LandscapeReport& report);

// Tidy CSV, one value per row:
//   benchmark,table,row,column,value
// e.g. "cifar100,quantity,local minima,exact,38". Tables: quantity,
// epsilon, minima, fit, theory, autocorrelation, search.
std::string LandscapeCsv(const LandscapeReport& report);

// The message in protobuf's JSON mapping (field names as in the .proto).
std::string LandscapeJson(const LandscapeReport& report);

// Data against theory: exact, simulated and every theory model's epsilon-
// curve (log epsilon axis).
std::string EpsilonCurveSvg(const BenchmarkLandscape& benchmark);

// Every exact benchmark's data curve with one theory model's, in one plot
// (the study's figure).
struct EpsilonSeries {
  std::string benchmark;
  std::vector<double> epsilon, data, theory;
  std::string theory_label;
};
std::string AllEpsilonCurvesSvg(const std::vector<EpsilonSeries>& series);

// LS-trees drawn as trees: leaves side by side, each vertex above its
// parent LS(v) at its loss, the local minimum at the bottom; one colour per
// tree.
std::string LsTreesSvg(const BenchmarkLandscape& benchmark,
                       const std::vector<LsTree>& trees,
                       absl::Span<const double> loss,
                       const std::string& loss_unit);

// Histogram of the normalised losses against fitted pdf_n's.
std::string DensitiesSvg(const std::string& benchmark,
                         absl::Span<const double> samples,
                         const std::vector<const Density*>& models,
                         const std::vector<std::string>& names);

// Histogram of neighbour differences y - x against each pdf_e model's
// implied density of y - x (averaged over the data's x).
std::string NeighbourDensitiesSvg(
    const std::string& benchmark, absl::Span<const LossPair> pairs,
    const std::vector<const NeighbourDensity*>& models,
    const std::vector<std::string>& names);

std::string AutocorrelationSvg(const BenchmarkLandscape& benchmark);

// Mean basin of the local minima against their loss, and the lemma's
// E|LS^{-*}(x)| per model (log axis).
std::string PreimageSvg(const BenchmarkLandscape& benchmark);

// The first algorithm's advantage over each other one, per benchmark, with
// 95% intervals (e.g. local search against random search across the DARTS
// locality levels).
std::string SearchComparisonSvg(const LandscapeReport& report);

}  // namespace nas

#endif  // NASBENCH_LANDSCAPE_REPORT_H_
