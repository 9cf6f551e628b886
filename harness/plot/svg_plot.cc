#include "harness/plot/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

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
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    // The fewest mantissa digits that give the tick's value back, so that
    // 1.5e+06 is not shown as 2e+06 beside the real 2e+06.
    for (int digits = 0; digits < 6; ++digits) {
      const std::string s = absl::StrFormat("%.*e", digits, v);
      if (std::fabs(std::strtod(s.c_str(), nullptr) - v) <= 1e-9 * magnitude) {
        return s;
      }
    }
    return absl::StrFormat("%.6e", v);
  }
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

std::vector<double> LogTicks(double lo, double hi, int min_count) {
  std::vector<double> ticks;
  if (!(lo > 0) || !(hi > lo)) return ticks;
  const int first = static_cast<int>(std::floor(std::log10(lo)));
  const int last = static_cast<int>(std::ceil(std::log10(hi)));
  int decades = 0;
  for (int e = first; e <= last; ++e) {
    const double v = std::pow(10.0, e);
    decades += v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  }
  const bool dense = last - first <= 2 || decades < min_count;
  for (int e = first; e <= last; ++e) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !dense) continue;
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
    }
  }
  return ticks;
}

SeriesStyle StyleFor(int index) {
  // Six markers (filled and open alternating) against five dash patterns:
  // indices 0..7 never repeat a (marker, dash) pair, and colours repeat
  // only after eight.
  static constexpr Marker kMarkers[] = {Marker::kCircle,  Marker::kCross,
                                        Marker::kSquare,  Marker::kPlus,
                                        Marker::kTriangle, Marker::kDiamond};
  static constexpr const char* kDashes[] = {"", "7,3", "2,2", "9,3,2,3",
                                            "4,4"};
  const size_t i = static_cast<size_t>(index < 0 ? 0 : index);
  SeriesStyle style;
  style.color = kPalette[i % std::size(kPalette)];
  style.marker = kMarkers[i % std::size(kMarkers)];
  style.dash = kDashes[i % std::size(kDashes)];
  return style;
}

void ApplyStyle(int index, PlotSeries* series) {
  const SeriesStyle style = StyleFor(index);
  series->color = style.color;
  series->marker = style.marker;
  series->dash = style.dash;
}

namespace {

struct Frame {
  double left, top, width, height;
};

std::string ColorOf(const PlotSeries& series, size_t index) {
  return series.color.empty() ? kPalette[index % std::size(kPalette)]
                              : series.color;
}


std::string DashAttribute(const PlotSeries& series) {
  const std::string dash =
      !series.dash.empty() ? series.dash : (series.dashed ? "6,4" : "");
  return dash.empty() ? "" : absl::StrCat(" stroke-dasharray=\"", dash, "\"");
}

// One marker centred on (x, y), in the series' colour.
std::string MarkerSvg(Marker marker, double x, double y,
                      const std::string& color) {
  constexpr double r = 3.5;
  const std::string fill = absl::StrCat(" fill=\"", color, "\"/>\n");
  const std::string open =
      absl::StrCat(" fill=\"none\" stroke=\"", color, "\" stroke-width=\"1.6\"/>\n");
  switch (marker) {
    case Marker::kNone:
      return "";
    case Marker::kCircle:
      return absl::StrCat("<circle cx=\"", F(x), "\" cy=\"", F(y), "\" r=\"",
                          F(r), "\"", fill);
    case Marker::kSquare:
      return absl::StrCat("<rect x=\"", F(x - r), "\" y=\"", F(y - r),
                          "\" width=\"", F(2 * r), "\" height=\"", F(2 * r),
                          "\"", fill);
    case Marker::kTriangle:
      return absl::StrCat("<path d=\"M", F(x), ",", F(y - r - 1), " L",
                          F(x + r + 0.5), ",", F(y + r - 0.5), " L",
                          F(x - r - 0.5), ",", F(y + r - 0.5), " Z\"", fill);
    case Marker::kDiamond:
      return absl::StrCat("<path d=\"M", F(x), ",", F(y - r - 1), " L",
                          F(x + r + 1), ",", F(y), " L", F(x), ",",
                          F(y + r + 1), " L", F(x - r - 1), ",", F(y), " Z\"",
                          fill);
    case Marker::kCross:
      return absl::StrCat("<path d=\"M", F(x - r), ",", F(y - r), " L",
                          F(x + r), ",", F(y + r), " M", F(x - r), ",",
                          F(y + r), " L", F(x + r), ",", F(y - r), "\"", open);
    case Marker::kPlus:
      return absl::StrCat("<path d=\"M", F(x - r - 1), ",", F(y), " L",
                          F(x + r + 1), ",", F(y), " M", F(x), ",",
                          F(y - r - 1), " L", F(x), ",", F(y + r + 1), "\"",
                          open);
  }
  return "";
}

// The plot's note and a count of the points its log axes cannot show.
std::string NoteOf(const LinePlot& plot) {
  int hidden = 0;
  for (const PlotSeries& s : plot.series) {
    for (size_t i = 0; i < s.x.size(); ++i) {
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]) &&
          ((plot.x.log_scale && s.x[i] <= 0) ||
           (plot.y.log_scale && s.y[i] <= 0))) {
        ++hidden;
      }
    }
  }
  std::string note = plot.note;
  if (hidden > 0) {
    absl::StrAppend(&note, note.empty() ? "" : " ", hidden,
                    hidden == 1 ? " point" : " points",
                    " at or below 0 not drawn on the log axis.");
  }
  return note;
}

// Small print lines from y downwards.
void DrawNotes(const std::vector<std::string>& notes, double x, double y,
               std::string* svg) {
  for (const std::string& note : notes) {
    absl::StrAppend(svg, "<text x=\"", F(x), "\" y=\"", F(y),
                    "\" font-size=\"11\" fill=\"#555\">", XmlEscape(note),
                    "</text>\n");
    y += 14;
  }
}

// Axes, grid, labels and data of one plot inside `frame`; its title (if
// any) 10 pixels above the frame.
void DrawPanel(const LinePlot& plot, const Frame& frame,
              const std::string& clip_id, std::string* svg) {
  const double left = frame.left, top = frame.top, plot_w = frame.width,
               plot_h = frame.height;
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

  const Scale xs = plot.x.reversed
                       ? Scale{x_lo, x_hi, left + plot_w, left, plot.x.log_scale}
                       : Scale{x_lo, x_hi, left, left + plot_w, plot.x.log_scale};
  const Scale ys = plot.y.reversed
                       ? Scale{y_lo, y_hi, top, top + plot_h, plot.y.log_scale}
                       : Scale{y_lo, y_hi, top + plot_h, top, plot.y.log_scale};

  if (!plot.title.empty()) {
    absl::StrAppend(svg, "<text x=\"", F(left + plot_w / 2), "\" y=\"",
                    F(top - 10), "\" text-anchor=\"middle\" font-size=\"13\">",
                    XmlEscape(plot.title), "</text>\n");
  }
  // Grid, ticks and tick labels.
  std::vector<double> xt;
  if (!plot.x.categories.empty()) {
    for (size_t i = 0; i < plot.x.categories.size(); ++i) xt.push_back(i);
  } else {
    xt = plot.x.log_scale ? LogTicks(x_lo, x_hi, plot.x.min_log_ticks)
                          : LinearTicks(x_lo, x_hi, 6);
  }
  std::vector<double> yt = plot.y.log_scale
                               ? LogTicks(y_lo, y_hi, plot.y.min_log_ticks)
                               : LinearTicks(y_lo, y_hi, 6);
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
    absl::StrAppend(svg, "<line x1=\"", F(px), "\" y1=\"", F(top), "\" x2=\"",
                    F(px), "\" y2=\"", F(top + plot_h),
                    "\" stroke=\"#e5e5e5\"/>\n<text x=\"", F(px), "\" y=\"",
                    F(top + plot_h + 16), "\" text-anchor=\"middle\">",
                    XmlEscape(label), "</text>\n");
  }
  for (double v : yt) {
    const double py = ys.Map(v);
    absl::StrAppend(svg, "<line x1=\"", F(left), "\" y1=\"", F(py), "\" x2=\"",
                    F(left + plot_w), "\" y2=\"", F(py),
                    "\" stroke=\"#e5e5e5\"/>\n<text x=\"", F(left - 6),
                    "\" y=\"", F(py + 4), "\" text-anchor=\"end\">",
                    XmlEscape(TickLabel(v)), "</text>\n");
  }
  absl::StrAppend(svg, "<rect x=\"", F(left), "\" y=\"", F(top),
                  "\" width=\"", F(plot_w), "\" height=\"", F(plot_h),
                  "\" fill=\"none\" stroke=\"#444\"/>\n");
  absl::StrAppend(svg, "<text x=\"", F(left + plot_w / 2), "\" y=\"",
                  F(top + plot_h + 42), "\" text-anchor=\"middle\">",
                  XmlEscape(plot.x.label), "</text>\n");
  // Shortest form for x (as figures before panels existed had it).
  absl::StrAppend(svg, "<text transform=\"translate(", left - 56, ",",
                  F(top + plot_h / 2), ") rotate(-90)\" text-anchor=\"middle\">",
                  XmlEscape(plot.y.label), "</text>\n");

  // Clip the data to the frame so explicit limits cut cleanly.
  absl::StrAppend(svg, "<clipPath id=\"", clip_id, "\"><rect x=\"", F(left),
                  "\" y=\"", F(top), "\" width=\"", F(plot_w), "\" height=\"",
                  F(plot_h), "\"/></clipPath>\n<g clip-path=\"url(#", clip_id,
                  ")\">\n");
  auto finite = [](double x, double y) {
    return std::isfinite(x) && std::isfinite(y);
  };
  auto usable = [&](double x, double y) {
    return finite(x, y) && !(plot.x.log_scale && x <= 0) &&
           !(plot.y.log_scale && y <= 0);
  };
  // A band's lower end at or below zero on a log axis runs to the frame's
  // bottom edge: the interval continues below what the axis can show.
  auto band_low_pixel = [&](double v) {
    return plot.y.log_scale && v <= 0 ? (plot.y.reversed ? top : top + plot_h)
                                      : ys.Map(v);
  };
  for (size_t s = 0; s < plot.series.size(); ++s) {
    const PlotSeries& series = plot.series[s];
    const std::string color = ColorOf(series, s);
    const bool has_band = !series.band_low.empty() && !series.band_high.empty();
    if (has_band && !series.error_bars) {
      std::string upper, lower;
      for (size_t i = 0; i < series.x.size(); ++i) {
        if (!usable(series.x[i], series.band_high[i]) ||
            !finite(series.x[i], series.band_low[i])) {
          continue;
        }
        absl::StrAppend(&upper, upper.empty() ? "M" : " L",
                        F(xs.Map(series.x[i])), ",",
                        F(ys.Map(series.band_high[i])));
        lower = absl::StrCat(" L", F(xs.Map(series.x[i])), ",",
                             F(band_low_pixel(series.band_low[i])), lower);
      }
      if (!upper.empty()) {
        absl::StrAppend(svg, "<path d=\"", upper, lower, " Z\" fill=\"",
                        color, "\" fill-opacity=\"0.18\" stroke=\"none\"/>\n");
      }
    }
    if (has_band && series.error_bars) {
      std::string whiskers;
      for (size_t i = 0; i < series.x.size(); ++i) {
        if (!usable(series.x[i], series.band_high[i]) ||
            !finite(series.x[i], series.band_low[i])) {
          continue;
        }
        const double px = xs.Map(series.x[i]);
        const double hi = ys.Map(series.band_high[i]);
        const double lo = band_low_pixel(series.band_low[i]);
        absl::StrAppend(&whiskers, whiskers.empty() ? "M" : " M", F(px), ",",
                        F(lo), " L", F(px), ",", F(hi), " M", F(px - 3), ",",
                        F(lo), " L", F(px + 3), ",", F(lo), " M", F(px - 3),
                        ",", F(hi), " L", F(px + 3), ",", F(hi));
      }
      if (!whiskers.empty()) {
        absl::StrAppend(svg, "<path d=\"", whiskers, "\" fill=\"none\" stroke=\"",
                        color, "\" stroke-width=\"1.2\"/>\n");
      }
    }
    if (series.line) {
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
        absl::StrAppend(svg, "<path d=\"", path, "\" fill=\"none\" stroke=\"",
                        color, "\" stroke-width=\"2\"", DashAttribute(series),
                        "/>\n");
      }
    }
    const Marker marker = series.marker;
    if (marker == Marker::kNone && series.markers) {
      // The original small dots (kept so existing figures stay the same).
      for (size_t i = 0; i < series.x.size(); ++i) {
        if (!usable(series.x[i], series.y[i])) continue;
        absl::StrAppend(svg, "<circle cx=\"", F(xs.Map(series.x[i])),
                        "\" cy=\"", F(ys.Map(series.y[i])),
                        "\" r=\"3\" fill=\"", color, "\"/>\n");
      }
    }
    if (marker != Marker::kNone) {
      const size_t every = static_cast<size_t>(std::max(1, series.marker_every));
      for (size_t i = static_cast<size_t>(std::max(0, series.marker_offset));
           i < series.x.size(); i += every) {
        if (!usable(series.x[i], series.y[i])) continue;
        absl::StrAppend(svg, MarkerSvg(marker, xs.Map(series.x[i]),
                                       ys.Map(series.y[i]), color));
      }
    }
  }
  svg->append("</g>\n");
  for (const PlotRegion& r : plot.regions) {
    const double x1 = std::clamp(xs.Map(r.x_lo), left, left + plot_w);
    const double x2 = std::clamp(xs.Map(r.x_hi), left, left + plot_w);
    const double y1 = std::clamp(ys.Map(r.y_hi), top, top + plot_h);
    const double y2 = std::clamp(ys.Map(r.y_lo), top, top + plot_h);
    const double rx = std::min(x1, x2), ry = std::min(y1, y2);
    absl::StrAppend(svg, "<rect x=\"", F(rx), "\" y=\"", F(ry), "\" width=\"",
                    F(std::fabs(x2 - x1)), "\" height=\"", F(std::fabs(y2 - y1)),
                    "\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.2\" "
                    "stroke-dasharray=\"5,3\"/>\n<text x=\"",
                    F(std::max(x1, x2) - 4), "\" y=\"", F(ry - 4),
                    "\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">",
                    XmlEscape(r.label), "</text>\n");
  }
}

// The series' legend from (x, y) downwards: line, dash pattern and marker.
void DrawLegend(const std::vector<PlotSeries>& series, double x, double top,
                std::string* svg) {
  for (size_t s = 0; s < series.size(); ++s) {
    const std::string color = ColorOf(series[s], s);
    const double y = top + 12 + 18 * static_cast<double>(s);
    if (series[s].line) {
      absl::StrAppend(svg, "<line x1=\"", F(x), "\" y1=\"", F(y), "\" x2=\"",
                      F(x + 22), "\" y2=\"", F(y), "\" stroke=\"", color,
                      "\" stroke-width=\"2\"", DashAttribute(series[s]), "/>\n");
    }
    absl::StrAppend(svg, MarkerSvg(series[s].marker, x + 11, y, color),
                    "<text x=\"", F(x + 28), "\" y=\"", F(y + 4), "\">",
                    XmlEscape(series[s].label), "</text>\n");
  }
}

std::string SvgHeader(int width, int height) {
  return absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
      "font-size=\"12\">\n"
      "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
      width, height, width, height, width, height);
}

std::string ClipId(const std::string& prefix, size_t panel) {
  std::string id = prefix.empty() ? "frame" : absl::StrCat(prefix, "-frame");
  if (panel > 0) absl::StrAppend(&id, panel);
  return id;
}

}  // namespace

std::string RenderSvg(const LinePlot& plot) {
  const std::string note = NoteOf(plot);
  const double left = 72, right = 170, top = plot.title.empty() ? 20 : 44,
               bottom = note.empty() ? 56 : 70;
  const Frame frame{left, top, plot.width - left - right,
                    plot.height - top - bottom};
  std::string svg = SvgHeader(plot.width, plot.height);
  if (!plot.title.empty()) {
    absl::StrAppend(&svg, "<text x=\"", F(left + frame.width / 2),
                    "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\" "
                    "font-weight=\"bold\">",
                    XmlEscape(plot.title), "</text>\n");
  }
  LinePlot untitled = plot;
  untitled.title.clear();
  DrawPanel(untitled, frame, ClipId(plot.id, 0), &svg);
  if (!note.empty()) {
    DrawNotes({note}, left, frame.top + frame.height + 58, &svg);
  }
  DrawLegend(plot.series, left + frame.width + 12, top, &svg);
  svg += "</svg>\n";
  return svg;
}

std::string RenderFigure(const Figure& figure) {
  const double legend = 170, left = 72, gap = 16;
  const double top = 44 + 22;  // Figure title, then panel titles.
  // Notes as lines under the figure, the panel's title first when there
  // are several panels.
  std::vector<std::string> notes;
  if (!figure.note.empty()) notes = absl::StrSplit(figure.note, '\n');
  for (const LinePlot& p : figure.panels) {
    const std::string note = NoteOf(p);
    if (note.empty()) continue;
    notes.push_back(figure.panels.size() > 1 && !p.title.empty()
                        ? absl::StrCat(p.title, ": ", note)
                        : note);
  }
  const double bottom = 56 + 14 * static_cast<double>(notes.size());
  const size_t n = std::max<size_t>(1, figure.panels.size());
  const double panel_w = (figure.width - legend) / static_cast<double>(n);
  std::string svg = SvgHeader(figure.width, figure.height);
  if (!figure.title.empty()) {
    absl::StrAppend(&svg, "<text x=\"", F((figure.width - legend) / 2),
                    "\" y=\"24\" text-anchor=\"middle\" font-size=\"14\" "
                    "font-weight=\"bold\">",
                    XmlEscape(figure.title), "</text>\n");
  }
  for (size_t i = 0; i < figure.panels.size(); ++i) {
    const Frame frame{panel_w * static_cast<double>(i) + left, top,
                      panel_w - left - gap, figure.height - top - bottom};
    DrawPanel(figure.panels[i], frame, ClipId(figure.id, i), &svg);
  }
  DrawNotes(notes, left, figure.height - bottom + 58, &svg);
  if (!figure.panels.empty()) {
    DrawLegend(figure.panels[0].series, figure.width - legend + 8, top, &svg);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace nas
