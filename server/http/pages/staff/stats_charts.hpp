// The statistics dashboard's charts (issue 11 item 5; docs/domain.md "Statistics"): inline SVG
// drawn on the server - no script, no request to anyone else, no style attribute (the CSP's
// style-src is 'self': colours are classes of staff.css, patterns are <pattern> elements) -
// that scales with its viewBox to a 360 px phone.
//
// Each chart is an image with a title and a description (role="img", aria-labelledby its
// <title> and <desc>); its numbers are also in a table under it (the page's template), which is
// what a screen reader reads. A series has a colour AND a pattern, so no reader depends on
// colour. A count published as "fewer than k" is never drawn to scale and never as a number:
// its bar is hatched and empty, labelled with `fewer_text` ("<5") where the chart labels bars.
//
// Pure functions; any thread. Every text is escaped here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace grievance::http::pages::staff {

// One value of a chart: a number, "fewer than k", or nothing (no figure: a gap).
struct ChartValue {
  std::optional<double> value;
  bool fewer = false;
};

struct ChartSeries {
  std::string name;
  int style = 0;  // the series' colour and pattern (kChartStyles of them, then again)
};

// A month of a time chart or a row of a bar chart: one value per series.
struct ChartGroup {
  std::string key;    // data-key: the statistics' key ("2026-11", a company's id)
  std::string label;  // what the axis or the row shows
  std::vector<ChartValue> values;
};

struct Chart {
  std::string id;  // unique on the page; prefixes the ids of its title, desc and patterns
  std::string title;
  std::string desc;
  std::vector<ChartSeries> series;
  std::vector<ChartGroup> groups;
  std::string fewer_text;  // "<5"
  std::string axis_unit;   // under the value axis: "cases", "days"
};

inline constexpr int kChartStyles = 11;

// Months along the bottom, a bar per month with its series stacked (`stacked`) or side by side.
std::string vertical_bar_chart(const Chart& c, bool stacked);
// A row per group: its label, then a bar per series with its value at its end.
std::string horizontal_bar_chart(const Chart& c);
// Months along the bottom, a line per series with a marker per value; no value: a gap.
std::string line_chart(const Chart& c);

// A legend swatch for series `style` (or the "fewer than k" hatch, style -1) of chart `id`: a
// small aria-hidden SVG painted with the chart's pattern.
std::string legend_swatch(const std::string& chart_id, int style);
// The legend of series `index` of a line chart: its line and its marker.
std::string line_swatch(std::size_t index, int style);

}  // namespace grievance::http::pages::staff
