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

}  // namespace
}  // namespace nas
