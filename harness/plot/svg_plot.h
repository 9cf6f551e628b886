#ifndef NASBENCH_HARNESS_PLOT_SVG_PLOT_H_
#define NASBENCH_HARNESS_PLOT_SVG_PLOT_H_

#include <limits>
#include <string>
#include <vector>

namespace nas {

// One line of a plot, optionally with a shaded band (e.g. a 95% interval)
// and point markers. NaN y values break the line.
struct PlotSeries {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> band_low;   // Empty, or one per x.
  std::vector<double> band_high;  // Empty, or one per x.
  bool markers = false;
  bool dashed = false;
  // Empty: the next colour of a fixed colour-blind-safe palette.
  std::string color;
};

struct PlotAxis {
  std::string label;
  bool log_scale = false;  // Base 10; values <= 0 are dropped.
  bool integer_ticks = false;  // Only whole numbers (ranks, counts).
  // Category names: x values 0, 1, ... are drawn as these labels.
  std::vector<std::string> categories;
  // Limits; NaN means "from the data" (with a small margin).
  double min = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};

struct LinePlot {
  std::string title;
  PlotAxis x;
  PlotAxis y;
  std::vector<PlotSeries> series;
  int width = 720;
  int height = 440;
};

// A self-contained SVG document. Deterministic: the same plot gives the same
// bytes (fixed number formatting, no timestamps, no random ids).
std::string RenderSvg(const LinePlot& plot);

// Tick positions for [lo, hi]: "nice" steps of 1, 2 or 5 times a power of
// ten (linear), or powers of ten (log; with 2 and 5 in between when the
// range spans few decades). Exposed for tests.
std::vector<double> LinearTicks(double lo, double hi, int target_count);
std::vector<double> LogTicks(double lo, double hi);

// Escapes &, <, >, " for SVG/HTML text.
std::string XmlEscape(const std::string& text);

}  // namespace nas

#endif  // NASBENCH_HARNESS_PLOT_SVG_PLOT_H_
