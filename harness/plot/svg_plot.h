#ifndef NASBENCH_HARNESS_PLOT_SVG_PLOT_H_
#define NASBENCH_HARNESS_PLOT_SVG_PLOT_H_

#include <limits>
#include <string>
#include <vector>

namespace nas {

// Point marker shapes. Filled and open shapes alternate in SeriesStyle so
// that markers of coinciding curves do not hide each other.
enum class Marker { kNone, kCircle, kSquare, kTriangle, kDiamond, kCross, kPlus };

// One line of a plot, optionally with a shaded band (e.g. a 95% interval)
// and point markers. NaN y values break the line.
struct PlotSeries {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> band_low;   // Empty, or one per x.
  std::vector<double> band_high;  // Empty, or one per x.
  bool markers = false;  // A circle at every point (see `marker`).
  bool dashed = false;   // Dash pattern "6,4" (see `dash`).
  // Empty: the next colour of a fixed colour-blind-safe palette.
  std::string color;
  // Marker shape; kNone with `markers` set means circles.
  Marker marker = Marker::kNone;
  // SVG stroke-dasharray ("7,3"); empty: solid, or "6,4" with `dashed`.
  std::string dash;
  // Markers at points marker_offset, marker_offset + marker_every, ...:
  // dense curves get a few, staggered between series.
  int marker_every = 1;
  int marker_offset = 0;
  // false: points only (a dot chart), no line between them.
  bool line = true;
  // true: the band is drawn as a whisker per point instead of a shaded area.
  bool error_bars = false;
};

// Colour, marker and dash pattern of the index-th series: every pair of
// indices below 8 differs in colour and in marker or dash, so curves stay
// distinguishable where they overlap and in greyscale.
struct SeriesStyle {
  std::string color;
  Marker marker = Marker::kNone;
  std::string dash;
};
SeriesStyle StyleFor(int index);
void ApplyStyle(int index, PlotSeries* series);

// A rectangle in data coordinates outlined with a dashed grey line and
// labelled, e.g. the part of a plot shown enlarged in the next panel.
struct PlotRegion {
  double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
  std::string label;
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
  // Values grow downwards (y) or leftwards (x): ranks with 1 on top.
  bool reversed = false;
  // Log scale: add 2 and 5 times powers of ten when fewer than this many
  // powers of ten fall in the range (see LogTicks).
  int min_log_ticks = 0;
};

struct LinePlot {
  std::string title;
  PlotAxis x;
  PlotAxis y;
  std::vector<PlotSeries> series;
  int width = 720;
  int height = 440;
  std::vector<PlotRegion> regions;
  // A line of small print under the plot. Points a log axis cannot show
  // (values <= 0) are counted there automatically.
  std::string note;
  // Prefix of the SVG element ids (clip paths): give every plot inlined in
  // one HTML page its own, or they share the first one's clip rectangle.
  std::string id;
};

// A self-contained SVG document. Deterministic: the same plot gives the same
// bytes (fixed number formatting, no timestamps, no random ids).
std::string RenderSvg(const LinePlot& plot);

// Panels side by side with one title and one legend (the first panel's
// series), e.g. the full range and an enlarged part of it. Each panel's
// `title` is its subtitle; its width and height are ignored.
struct Figure {
  std::string title;
  std::vector<LinePlot> panels;
  int width = 1000;
  int height = 460;
  std::string id;  // As LinePlot::id.
  // Small print under the panels, a line per '\n' (each panel's note
  // follows, prefixed with its title).
  std::string note;
};
std::string RenderFigure(const Figure& figure);

// Tick positions for [lo, hi]: "nice" steps of 1, 2 or 5 times a power of
// ten (linear), or powers of ten (log; with 2 and 5 in between when the
// range spans few decades, or when fewer than `min_count` powers of ten
// fall in the range). Exposed for tests.
std::vector<double> LinearTicks(double lo, double hi, int target_count);
std::vector<double> LogTicks(double lo, double hi, int min_count = 0);

// Escapes &, <, >, " for SVG/HTML text.
std::string XmlEscape(const std::string& text);

}  // namespace nas

#endif  // NASBENCH_HARNESS_PLOT_SVG_PLOT_H_
