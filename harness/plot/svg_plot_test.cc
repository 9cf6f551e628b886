#include "harness/plot/svg_plot.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace nas {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SvgPlotTest, LinearTicksAreNiceSteps) {
  EXPECT_THAT(LinearTicks(0, 10, 5), ElementsAre(0, 2, 4, 6, 8, 10));
  EXPECT_THAT(LinearTicks(26.3, 27.9, 4), ElementsAre(26.5, 27, 27.5));
  EXPECT_THAT(LinearTicks(-1, 1, 2), ElementsAre(-1, 0, 1));
}

TEST(SvgPlotTest, LogTicksAreDecadesOrFinerForShortRanges) {
  EXPECT_THAT(LogTicks(0.001, 100), ElementsAre(0.001, 0.01, 0.1, 1, 10, 100));
  EXPECT_THAT(LogTicks(0.003, 0.1),
              ElementsAre(0.005, 0.01, 0.02, 0.05, 0.1));
  // Three decades hold only two powers of ten here: 2 and 5 added.
  EXPECT_THAT(LogTicks(0.4, 12), ElementsAre(1, 10));
  EXPECT_THAT(LogTicks(0.4, 12, 3), ElementsAre(0.5, 1, 2, 5, 10));
}

TEST(SvgPlotTest, RendersSeriesBandsLegendAndEscapesText) {
  LinePlot plot;
  plot.title = "a < b & c";
  plot.x.label = "queries";
  plot.y.label = "test error (%)";
  PlotSeries s;
  s.label = "local_search";
  s.x = {1, 2, 3};
  s.y = {30, 28, 27};
  s.band_low = {29, 27, 26};
  s.band_high = {31, 29, 28};
  plot.series.push_back(s);
  const std::string svg = RenderSvg(plot);
  EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr("a &lt; b &amp; c"));
  EXPECT_THAT(svg, HasSubstr("fill-opacity=\"0.18\""));  // The band.
  EXPECT_THAT(svg, HasSubstr(">local_search</text>"));
  EXPECT_EQ(svg, RenderSvg(plot));  // Deterministic.
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
}

TEST(SvgPlotTest, NanBreaksTheLine) {
  LinePlot plot;
  PlotSeries s;
  s.x = {1, 2, 3, 4};
  s.y = {1, NAN, 3, 4};
  plot.series.push_back(s);
  const std::string svg = RenderSvg(plot);
  // Two sub-paths: the point before the gap and the two after it.
  EXPECT_THAT(svg, HasSubstr(" M"));
}

TEST(SvgPlotTest, LogAxisDropsNonPositiveValues) {
  LinePlot plot;
  plot.x.log_scale = true;
  PlotSeries s;
  s.x = {0, 0.01, 0.1};
  s.y = {1, 2, 3};
  plot.series.push_back(s);
  const std::string svg = RenderSvg(plot);
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  EXPECT_THAT(svg, Not(HasSubstr("inf")));
}

TEST(SvgPlotTest, StylesDifferInMarkerOrDashAndColour) {
  for (int i = 0; i < 8; ++i) {
    for (int j = i + 1; j < 8; ++j) {
      const SeriesStyle a = StyleFor(i), b = StyleFor(j);
      EXPECT_NE(a.color, b.color) << i << " " << j;
      // Greyscale: the shape or the dash pattern tells them apart.
      EXPECT_TRUE(a.marker != b.marker || a.dash != b.dash) << i << " " << j;
    }
  }
}

TEST(SvgPlotTest, EverySeriesGetsItsMarkersAndDashInPlotAndLegend) {
  LinePlot plot;
  for (int i = 0; i < 3; ++i) {
    PlotSeries s;
    s.label = "s" + std::to_string(i);
    s.x = {1, 2, 3, 4};
    s.y = {4, 3, 2, 1};  // Identical curves.
    ApplyStyle(i, &s);
    s.marker_every = 2;
    s.marker_offset = i % 2;
    plot.series.push_back(s);
  }
  const std::string svg = RenderSvg(plot);
  // Series 0: circles (2 in the plot, 1 in the legend), solid.
  // Series 1: crosses, "7,3"; series 2: squares, "2,2".
  auto count = [&](const std::string& what) {
    size_t n = 0;
    for (size_t p = svg.find(what); p != std::string::npos;
         p = svg.find(what, p + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count("<circle"), 3u);
  EXPECT_EQ(count("stroke-dasharray=\"7,3\""), 2u);  // Line and legend.
  EXPECT_EQ(count("stroke-dasharray=\"2,2\""), 2u);
  // Background, clip rectangle, frame and three squares.
  EXPECT_EQ(count("<rect x=\""), 3u + 3u);
}

TEST(SvgPlotTest, DotChartDrawsNoLineAndWhiskers) {
  LinePlot plot;
  plot.x.categories = {"a", "b", "c"};
  plot.y.reversed = true;
  PlotSeries s;
  ApplyStyle(0, &s);
  s.line = false;
  s.error_bars = true;
  s.x = {0, 1, 2};
  s.y = {1, 2, 1};
  s.band_low = {1, 1.5, 1};
  s.band_high = {1.5, 2, 2};
  plot.series.push_back(s);
  const std::string svg = RenderSvg(plot);
  EXPECT_THAT(svg, Not(HasSubstr("stroke-width=\"2\"")));  // No line.
  EXPECT_THAT(svg, HasSubstr("stroke-width=\"1.2\""));      // Whiskers.
  EXPECT_THAT(svg, Not(HasSubstr("fill-opacity")));          // No band.
}

TEST(SvgPlotTest, ReversedAxisPutsSmallValuesOnTop) {
  LinePlot plot;
  plot.y.reversed = true;
  plot.y.min = 0;
  plot.y.max = 10;
  PlotSeries s;
  s.x = {0, 1};
  s.y = {0, 10};
  plot.series.push_back(s);
  // Frame from y=20 to 440-56=384: value 0 at the top.
  EXPECT_THAT(RenderSvg(plot), HasSubstr(",20.00 L540.81,384.00\""));
}

TEST(SvgPlotTest, LogAxisTicksAndCountsWhatItCannotShow) {
  LinePlot plot;
  plot.y.log_scale = true;
  PlotSeries s;
  s.x = {1, 2, 3, 4};
  s.y = {20, 2, 0.5, 0};
  plot.series.push_back(s);
  const std::string svg = RenderSvg(plot);
  EXPECT_THAT(svg, HasSubstr(">1</text>"));
  EXPECT_THAT(svg, HasSubstr(">10</text>"));
  EXPECT_THAT(svg, HasSubstr("1 point at or below 0 not drawn on the log axis."));
}

TEST(SvgPlotTest, FigureHasPanelsRegionAndUniqueIds) {
  Figure figure;
  figure.id = "f";
  figure.title = "T";
  LinePlot full;
  full.title = "full range";
  PlotSeries s;
  s.label = "x";
  s.x = {1, 2, 3};
  s.y = {3, 2, 1};
  full.series = {s};
  PlotRegion r;
  r.x_lo = 2;
  r.x_hi = 3;
  r.y_lo = 1;
  r.y_hi = 2;
  r.label = "zoomed at right";
  full.regions = {r};
  LinePlot zoom = full;
  zoom.regions.clear();
  zoom.title = "zoom";
  figure.panels = {full, zoom};
  const std::string svg = RenderFigure(figure);
  EXPECT_THAT(svg, HasSubstr("<clipPath id=\"f-frame\">"));
  EXPECT_THAT(svg, HasSubstr("<clipPath id=\"f-frame1\">"));
  EXPECT_THAT(svg, HasSubstr(">zoomed at right</text>"));
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray=\"5,3\""));  // The box.
  EXPECT_THAT(svg, HasSubstr(">full range</text>"));
  EXPECT_THAT(svg, HasSubstr(">zoom</text>"));
  EXPECT_EQ(svg, RenderFigure(figure));
}

}  // namespace
}  // namespace nas
