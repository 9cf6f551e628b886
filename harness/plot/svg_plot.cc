#include "harness/plot/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nas {
namespace {

// Okabe-Ito: distinguishable with the common colour-vision deficiencies.
constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73",
                                    "#CC79A7", "#E69F00", "#56B4E9",
                                    "#000000", "#F0E442"};

std::string F(double v) { return absl::StrFormat("%.2f", v); }

std::string TickLabel(double v) {
  if (v == 0) return "0";
  const double magnitude = std::fabs(v);
  if (magnitude >= 1e5 || magnitude < 1e-3) return absl::StrFormat("%.0e", v);
  std::string s = absl::StrFormat("%.6g", v);
  return s;
}

struct Scale {
  double lo, hi;
  double pixel_lo, pixel_hi;
  bool log;
  double Map(double v) const {
    const double a = log ? std::log10(lo) : lo;
    const double b = log ? std::log10(hi) : hi;
    const double t = ((log ? std::log10(v) : v) - a) / (b - a);
    return pixel_lo + t * (pixel_hi - pixel_lo);
  }
};

// Data limits of an axis over every series (and bands), honouring log scale.
void DataRange(const LinePlot& plot, bool x_axis, double* lo, double* hi) {
  *lo = std::numeric_limits<double>::infinity();
  *hi = -std::numeric_limits<double>::infinity();
  const bool log = x_axis ? plot.x.log_scale : plot.y.log_scale;
  auto take = [&](double v) {
    if (!std::isfinite(v) || (log && v <= 0)) return;
    *lo = std::min(*lo, v);
    *hi = std::max(*hi, v);
  };
  for (const PlotSeries& s : plot.series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (x_axis) {
        take(s.x[i]);
      } else {
        take(s.y[i]);
        if (!s.band_low.empty()) take(s.band_low[i]);
        if (!s.band_high.empty()) take(s.band_high[i]);
      }
    }
  }
  if (!std::isfinite(*lo)) {
    *lo = log ? 1 : 0;
    *hi = log ? 10 : 1;
  }
  if (*lo == *hi) {
    if (log) {
      *lo /= 2;
      *hi *= 2;
    } else {
      *lo -= 0.5;
      *hi += 0.5;
    }
  }
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::vector<double> LinearTicks(double lo, double hi, int target_count) {
  std::vector<double> ticks;
  if (!(hi > lo) || target_count < 1) return ticks;
  const double raw = (hi - lo) / target_count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * power;
    if (step >= raw) break;
  }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9; v += step) {
    // Snap away accumulated error so labels print cleanly.
    ticks.push_back(std::round(v / step) * step);
  }
  return ticks;
}

std::vector<double> LogTicks(double lo, double hi) {
  std::vector<double> ticks;
  if (!(lo > 0) || !(hi > lo)) return ticks;
  const int first = static_cast<int>(std::floor(std::log10(lo)));
  const int last = static_cast<int>(std::ceil(std::log10(hi)));
  const bool dense = last - first <= 2;
  for (int e = first; e <= last; ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !dense) continue;
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
    }
  }
  return ticks;
}

std::string RenderSvg(const LinePlot& plot) {
  const double left = 72, right = 170, top = plot.title.empty() ? 20 : 44,
               bottom = 56;
  const double plot_w = plot.width - left - right;
  const double plot_h = plot.height - top - bottom;

  double x_lo, x_hi, y_lo, y_hi;
  DataRange(plot, true, &x_lo, &x_hi);
  DataRange(plot, false, &y_lo, &y_hi);
  if (!plot.x.log_scale && plot.x.categories.empty()) {
    const double pad = (x_hi - x_lo) * 0.02;
    x_lo -= pad;
    x_hi += pad;
  }
  if (!plot.x.categories.empty()) {
    x_lo = -0.5;
    x_hi = static_cast<double>(plot.x.categories.size()) - 0.5;
  }
  if (!plot.y.log_scale) {
    const double pad = (y_hi - y_lo) * 0.05;
    y_lo -= pad;
    y_hi += pad;
  }
  if (std::isfinite(plot.x.min)) x_lo = plot.x.min;
  if (std::isfinite(plot.x.max)) x_hi = plot.x.max;
  if (std::isfinite(plot.y.min)) y_lo = plot.y.min;
  if (std::isfinite(plot.y.max)) y_hi = plot.y.max;

  const Scale xs{x_lo, x_hi, left, left + plot_w, plot.x.log_scale};
  const Scale ys{y_lo, y_hi, top + plot_h, top, plot.y.log_scale};

  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
      "font-size=\"12\">\n"
      "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
      plot.width, plot.height, plot.width, plot.height, plot.width,
      plot.height);
  if (!plot.title.empty()) {
    absl::StrAppend(&svg, "<text x=\"", F(left + plot_w / 2),
                    "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\" "
                    "font-weight=\"bold\">",
                    XmlEscape(plot.title), "</text>\n");
  }
  // Grid, ticks and tick labels.
  std::vector<double> xt;
  if (!plot.x.categories.empty()) {
    for (size_t i = 0; i < plot.x.categories.size(); ++i) xt.push_back(i);
  } else {
    xt = plot.x.log_scale ? LogTicks(x_lo, x_hi) : LinearTicks(x_lo, x_hi, 6);
  }
  std::vector<double> yt =
      plot.y.log_scale ? LogTicks(y_lo, y_hi) : LinearTicks(y_lo, y_hi, 6);
  if (plot.y.integer_ticks) {
    std::vector<double> whole;
    for (double v : yt) {
      if (v == std::round(v)) whole.push_back(v);
    }
    yt = whole;
  }
  for (double v : xt) {
    const double px = xs.Map(v);
    const std::string label = plot.x.categories.empty()
                                  ? TickLabel(v)
                                  : plot.x.categories[static_cast<size_t>(v)];
    absl::StrAppend(&svg, "<line x1=\"", F(px), "\" y1=\"", F(top), "\" x2=\"",
                    F(px), "\" y2=\"", F(top + plot_h),
                    "\" stroke=\"#e5e5e5\"/>\n<text x=\"", F(px), "\" y=\"",
                    F(top + plot_h + 16), "\" text-anchor=\"middle\">",
                    XmlEscape(label), "</text>\n");
  }
  for (double v : yt) {
    const double py = ys.Map(v);
    absl::StrAppend(&svg, "<line x1=\"", F(left), "\" y1=\"", F(py), "\" x2=\"",
                    F(left + plot_w), "\" y2=\"", F(py),
                    "\" stroke=\"#e5e5e5\"/>\n<text x=\"", F(left - 6),
                    "\" y=\"", F(py + 4), "\" text-anchor=\"end\">",
                    XmlEscape(TickLabel(v)), "</text>\n");
  }
  absl::StrAppend(&svg, "<rect x=\"", F(left), "\" y=\"", F(top),
                  "\" width=\"", F(plot_w), "\" height=\"", F(plot_h),
                  "\" fill=\"none\" stroke=\"#444\"/>\n");
  absl::StrAppend(&svg, "<text x=\"", F(left + plot_w / 2), "\" y=\"",
                  F(plot.height - 14), "\" text-anchor=\"middle\">",
                  XmlEscape(plot.x.label), "</text>\n");
  absl::StrAppend(&svg, "<text transform=\"translate(16,", F(top + plot_h / 2),
                  ") rotate(-90)\" text-anchor=\"middle\">",
                  XmlEscape(plot.y.label), "</text>\n");

  // Clip the data to the frame so explicit limits cut cleanly.
  absl::StrAppend(&svg, "<clipPath id=\"frame\"><rect x=\"", F(left),
                  "\" y=\"", F(top), "\" width=\"", F(plot_w), "\" height=\"",
                  F(plot_h), "\"/></clipPath>\n<g clip-path=\"url(#frame)\">\n");
  auto usable = [&](double x, double y) {
    return std::isfinite(x) && std::isfinite(y) &&
           !(plot.x.log_scale && x <= 0) && !(plot.y.log_scale && y <= 0);
  };
  for (size_t s = 0; s < plot.series.size(); ++s) {
    const PlotSeries& series = plot.series[s];
    const std::string color =
        series.color.empty() ? kPalette[s % std::size(kPalette)] : series.color;
    if (!series.band_low.empty() && !series.band_high.empty()) {
      std::string upper, lower;
      for (size_t i = 0; i < series.x.size(); ++i) {
        if (!usable(series.x[i], series.band_high[i]) ||
            !usable(series.x[i], series.band_low[i])) {
          continue;
        }
        absl::StrAppend(&upper, upper.empty() ? "M" : " L",
                        F(xs.Map(series.x[i])), ",",
                        F(ys.Map(series.band_high[i])));
        lower = absl::StrCat(" L", F(xs.Map(series.x[i])), ",",
                             F(ys.Map(series.band_low[i])), lower);
      }
      if (!upper.empty()) {
        absl::StrAppend(&svg, "<path d=\"", upper, lower, " Z\" fill=\"",
                        color, "\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
      }
    }
    std::string path;
    bool pen_down = false;
    for (size_t i = 0; i < series.x.size(); ++i) {
      if (!usable(series.x[i], series.y[i])) {
        pen_down = false;
        continue;
      }
      absl::StrAppend(&path, pen_down ? " L" : (path.empty() ? "M" : " M"),
                      F(xs.Map(series.x[i])), ",", F(ys.Map(series.y[i])));
      pen_down = true;
    }
    if (!path.empty()) {
      absl::StrAppend(&svg, "<path d=\"", path, "\" fill=\"none\" stroke=\"",
                      color, "\" stroke-width=\"2\"",
                      series.dashed ? " stroke-dasharray=\"6,4\"" : "",
                      "/>\n");
    }
    if (series.markers) {
      for (size_t i = 0; i < series.x.size(); ++i) {
        if (!usable(series.x[i], series.y[i])) continue;
        absl::StrAppend(&svg, "<circle cx=\"", F(xs.Map(series.x[i])),
                        "\" cy=\"", F(ys.Map(series.y[i])),
                        "\" r=\"3\" fill=\"", color, "\"/>\n");
      }
    }
  }
  svg += "</g>\n";
  // Legend to the right of the frame.
  for (size_t s = 0; s < plot.series.size(); ++s) {
    const PlotSeries& series = plot.series[s];
    const std::string color =
        series.color.empty() ? kPalette[s % std::size(kPalette)] : series.color;
    const double y = top + 12 + 18 * static_cast<double>(s);
    const double x = left + plot_w + 12;
    absl::StrAppend(&svg, "<line x1=\"", F(x), "\" y1=\"", F(y), "\" x2=\"",
                    F(x + 22), "\" y2=\"", F(y), "\" stroke=\"", color,
                    "\" stroke-width=\"2\"",
                    series.dashed ? " stroke-dasharray=\"6,4\"" : "",
                    "/>\n<text x=\"", F(x + 28), "\" y=\"", F(y + 4), "\">",
                    XmlEscape(series.label), "</text>\n");
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace nas
