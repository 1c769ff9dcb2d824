#include "server/http/pages/staff/stats_charts.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include "server/http/pages/templates.hpp"
#include "server/http/stats_format.hpp"

namespace grievance::http::pages::staff {
namespace {

using web::html_escape;

// The frame of the charts with months along the bottom, in viewBox units: the text is 12-13
// units high, readable when a 360 px phone shows the 360 units at about 330 px.
constexpr double kWidth = 360;
constexpr double kHeight = 240;
constexpr double kLeft = 36;  // the value axis' labels
constexpr double kRight = 8;
constexpr double kTop = 24;     // the axis' unit, clear of the top value's label
constexpr double kBottom = 34;  // the months, two lines
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;
constexpr double kFewerStub = 8;    // a "fewer than k" bar: not to scale, never zero-high
constexpr double kBarsWidth = 300;  // the charts with a row per group: larger on a phone

// A coordinate with at most one decimal.
std::string num(double v) {
  char buf[32];
  const double rounded = std::round(v * 10.0) / 10.0;
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, rounded, std::chars_format::fixed, 1);
  std::string s(buf, ec == std::errc() ? p : buf);
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

// The top of the value axis: 1, 2, 2.5 or 5 times a power of ten, at least `m`.
double nice_max(double m) {
  if (m <= 0) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(m)));
  for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (f * p >= m - 1e-9) return f * p;
  }
  return 10 * p;
}

// The value axis' labels in four characters at most, so they fit left of the plot (kLeft): from
// 10,000 in thousands ("25k"), from 1,000,000 in millions ("2.5M"), the gridlines then at whole
// thousands or tenths of a million. The table under the chart has the exact numbers. (Seen over
// a million cases on a 360 px phone: "100000" lost its first digit off the chart's edge.)
struct AxisScale {
  double divisor;
  std::string_view suffix;
  double step;  // every gridline a multiple of it
};
AxisScale axis_scale(double top) {
  if (top >= 1e6) return {1e6, "M", 1e5};
  if (top >= 1e4) return {1e3, "k", 1e3};
  return {1, "", 1};
}

// The overlay that tells series apart without colour (white on the series' colour).
std::string_view overlay(int style) {
  static constexpr std::string_view kOverlays[kChartStyles] = {
      "",
      "<path d=\"M-1 1L1 -1M0 8L8 0M7 9L9 7\"/>",
      "<circle cx=\"4\" cy=\"4\" r=\"1.6\"/>",
      "<path d=\"M0 4H8\"/>",
      "<path d=\"M4 0V8\"/>",
      "<path d=\"M0 0L8 8M0 8L8 0\"/>",
      "<path d=\"M-1 7L1 9M0 0L8 8M7 -1L9 1\"/>",
      "<path d=\"M0 4H8M4 0V8\"/>",
      "<circle cx=\"2\" cy=\"2\" r=\"1.1\"/><circle cx=\"6\" cy=\"6\" r=\"1.1\"/>",
      "<path d=\"M0 2H8M0 6H8\"/>",
      "<rect x=\"2.5\" y=\"2.5\" width=\"3\" height=\"3\"/>",
  };
  return kOverlays[((style % kChartStyles) + kChartStyles) % kChartStyles];
}

std::string pattern_id(const std::string& chart_id, int style) {
  return style < 0 ? chart_id + "-fewer" : chart_id + "-p" + std::to_string(style % kChartStyles);
}

std::string fill_of(const std::string& chart_id, int style) {
  return "url(#" + pattern_id(chart_id, style) + ")";
}

// The patterns of the chart's series and the hatch of "fewer than k".
std::string defs(const Chart& c) {
  std::string out = "<defs>";
  for (const auto& s : c.series) {
    const int style = s.style % kChartStyles;
    out += "<pattern id=\"" + pattern_id(c.id, style) +
           "\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\"><rect class=\"chart-fill-" +
           std::to_string(style) + "\" width=\"8\" height=\"8\"/><g class=\"chart-overlay\">" +
           std::string(overlay(style)) + "</g></pattern>";
  }
  out += "<pattern id=\"" + pattern_id(c.id, -1) +
         "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect class=\"chart-fewer-bg\" width=\"6\" "
         "height=\"6\"/><path class=\"chart-fewer-line\" d=\"M0 0V6\"/></pattern>";
  out += "</defs>";
  return out;
}

std::string open_svg(const Chart& c, double width, double height, std::string_view cls = "chart") {
  return "<svg class=\"" + std::string(cls) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" role=\"img\" aria-labelledby=\"" + c.id + "-title " + c.id +
         "-desc\" focusable=\"false\"><title id=\"" + c.id + "-title\">" + html_escape(c.title) +
         "</title><desc id=\"" + c.id + "-desc\">" + html_escape(c.desc) + "</desc>" + defs(c);
}

double max_value(const Chart& c, bool stacked) {
  double m = 0;
  for (const auto& g : c.groups) {
    double sum = 0;
    for (const auto& v : g.values) {
      if (v.value) {
        sum += stacked ? *v.value : 0;
        m = std::max(m, *v.value);
      }
    }
    m = std::max(m, sum);
  }
  return m;
}

// The value axis (its unit, gridlines and labels) and the months along the bottom.
std::string time_frame(const Chart& c, double top) {
  std::string out =
      "<text class=\"chart-unit\" x=\"0\" y=\"10\">" + html_escape(c.axis_unit) + "</text>";
  // Four steps when they are whole numbers (whole thousands, ...: AxisScale), else two, else one.
  const AxisScale scale = axis_scale(top);
  int steps = 4;
  while (steps > 1 && std::fmod(top / steps, scale.step) > 1e-9) steps /= 2;
  for (int i = 0; i <= steps; ++i) {
    const double v = top * i / steps;
    const std::string label =
        v == 0 ? std::string("0") : format_figure(v / scale.divisor) + std::string(scale.suffix);
    const double y = kTop + kPlotHeight - kPlotHeight * i / steps;
    out += "<line class=\"" + std::string(i == 0 ? "chart-axis" : "chart-grid") + "\" x1=\"" +
           num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" + num(y) + "\" y2=\"" +
           num(y) + "\"/><text class=\"chart-tick\" x=\"" + num(kLeft - 4) + "\" y=\"" +
           num(y + 4) + "\" text-anchor=\"end\">" + label + "</text>";
  }
  const std::size_t n = c.groups.size();
  const std::size_t every = std::max<std::size_t>(1, (n + 11) / 12);
  for (std::size_t i = 0; i < n; i += every) {
    const double x = kLeft + (static_cast<double>(i) + 0.5) * kPlotWidth / static_cast<double>(n);
    const std::string& label = c.groups[i].label;
    const auto nl = label.find('\n');
    out += "<text class=\"chart-tick\" x=\"" + num(x) + "\" y=\"" + num(kTop + kPlotHeight + 14) +
           "\" text-anchor=\"middle\">" + html_escape(label.substr(0, nl));
    if (nl != std::string::npos) {
      out +=
          "<tspan x=\"" + num(x) + "\" dy=\"13\">" + html_escape(label.substr(nl + 1)) + "</tspan>";
    }
    out += "</text>";
  }
  return out;
}

std::string rect(double x, double y, double w, double h, const std::string& fill,
                 std::string_view cls) {
  return "<rect class=\"" + std::string(cls) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
         "\" width=\"" + num(std::max(w, 0.0)) + "\" height=\"" + num(std::max(h, 0.0)) +
         "\" fill=\"" + fill + "\"/>";
}

// At most `max` characters of `s` (UTF-8 aware), with an ellipsis when cut.
std::string shortened(const std::string& s, std::size_t max) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (++chars > max) return s.substr(0, i) + "…";
  }
  return s;
}

}  // namespace

std::string vertical_bar_chart(const Chart& c, bool stacked) {
  // Room above the tallest bar for the mark of its parts below k.
  const double top = nice_max(max_value(c, stacked) * (stacked ? 1.08 : 1.0));
  std::string out = open_svg(c, kWidth, kHeight) + time_frame(c, top);
  const std::size_t n = c.groups.size();
  if (n == 0) return out + "</svg>";
  const double slot = kPlotWidth / static_cast<double>(n);
  const std::size_t per = stacked ? 1 : std::max<std::size_t>(1, c.series.size());
  const double bar = std::min(slot * 0.7 / static_cast<double>(per), 28.0);
  const double scale = kPlotHeight / top;
  const double base = kTop + kPlotHeight;
  for (std::size_t i = 0; i < n; ++i) {
    const ChartGroup& g = c.groups[i];
    const double left =
        kLeft + static_cast<double>(i) * slot + (slot - bar * static_cast<double>(per)) / 2;
    out += "<g class=\"bar-group\" data-key=\"" + html_escape(g.key) + "\">";
    double y = base;
    bool fewer_parts = false;
    for (std::size_t s = 0; s < g.values.size() && s < c.series.size(); ++s) {
      const ChartValue& v = g.values[s];
      const double x = stacked ? left : left + static_cast<double>(s) * bar;
      if (v.fewer) {
        // Stacked, it would add to the scale: one mark above the bar says "and some below k".
        if (!stacked)
          out += rect(x, base - kFewerStub, bar, kFewerStub, fill_of(c.id, -1), "bar--fewer");
        fewer_parts = true;
      } else if (v.value && *v.value > 0) {
        const double h = *v.value * scale;
        out += rect(x, (stacked ? y : base) - h, bar, h, fill_of(c.id, c.series[s].style), "bar");
        if (stacked) y -= h;
      }
    }
    if (stacked && fewer_parts) {
      out += rect(left, y - 2 - kFewerStub, bar, kFewerStub, fill_of(c.id, -1), "bar--fewer");
    }
    out += "</g>";
  }
  return out + "</svg>";
}

std::string horizontal_bar_chart(const Chart& c) {
  constexpr double kLabel = 18, kBar = 13, kGap = 3, kAfter = 10, kValueRoom = 56;
  const double row = kLabel + static_cast<double>(c.series.size()) * (kBar + kGap) + kAfter;
  const double height = std::max(row * static_cast<double>(c.groups.size()), row) + 4;
  const double top = nice_max(max_value(c, false));
  const double scale = (kBarsWidth - kValueRoom) / top;
  std::string out = open_svg(c, kBarsWidth, height, "chart chart--rows");
  double y = 0;
  for (const ChartGroup& g : c.groups) {
    out += "<g class=\"bar-row\" data-key=\"" + html_escape(g.key) +
           "\"><text class=\"chart-label\" x=\"0\" y=\"" + num(y + 13) + "\">" +
           html_escape(shortened(g.label, 42)) + "</text>";
    double by = y + kLabel;
    for (std::size_t s = 0; s < g.values.size() && s < c.series.size(); ++s) {
      const ChartValue& v = g.values[s];
      double end = 0;
      std::string text;
      if (v.fewer) {
        end = 24;
        out += rect(0, by, end, kBar, fill_of(c.id, -1), "bar--fewer");
        text = c.fewer_text;
      } else if (v.value) {
        end = *v.value * scale;
        out += rect(0, by, end, kBar, fill_of(c.id, c.series[s].style), "bar");
        text = format_figure(*v.value);
      } else {
        text = "–";
      }
      out += "<text class=\"chart-value\" x=\"" + num(end + 4) + "\" y=\"" + num(by + 11) + "\">" +
             html_escape(text) + "</text>";
      by += kBar + kGap;
    }
    out += "<line class=\"chart-axis\" x1=\"0\" x2=\"0\" y1=\"" + num(y + kLabel - 2) + "\" y2=\"" +
           num(by) + "\"/></g>";
    y += row;
  }
  return out + "</svg>";
}

// A marker of its own shape per series: circle, square, triangle, diamond.
std::string marker(std::size_t index, double x, double y) {
  switch (index % 4) {
    case 0:
      return "<circle cx=\"" + num(x) + "\" cy=\"" + num(y) + "\" r=\"3.5\"/>";
    case 1:
      return "<rect x=\"" + num(x - 3.5) + "\" y=\"" + num(y - 3.5) +
             "\" width=\"7\" height=\"7\"/>";
    case 2:
      return "<path d=\"M" + num(x) + " " + num(y - 4.5) + "L" + num(x + 4.5) + " " + num(y + 3.5) +
             "H" + num(x - 4.5) + "Z\"/>";
    default:
      return "<path d=\"M" + num(x) + " " + num(y - 4.5) + "L" + num(x + 4.5) + " " + num(y) + "L" +
             num(x) + " " + num(y + 4.5) + "L" + num(x - 4.5) + " " + num(y) + "Z\"/>";
  }
}

std::string line_chart(const Chart& c) {
  const double top = nice_max(max_value(c, false));
  std::string out = open_svg(c, kWidth, kHeight) + time_frame(c, top);
  const std::size_t n = c.groups.size();
  if (n == 0) return out + "</svg>";
  const double slot = kPlotWidth / static_cast<double>(n);
  const double scale = kPlotHeight / top;
  const auto point = [&](std::size_t i, double v) {
    return std::pair{kLeft + (static_cast<double>(i) + 0.5) * slot, kTop + kPlotHeight - v * scale};
  };
  for (std::size_t s = 0; s < c.series.size(); ++s) {
    const std::string style = std::to_string(c.series[s].style % kChartStyles);
    std::string path;
    bool pen_down = false;
    std::string markers;
    for (std::size_t i = 0; i < n; ++i) {
      const ChartValue v = s < c.groups[i].values.size() ? c.groups[i].values[s] : ChartValue{};
      if (!v.value || v.fewer) {
        pen_down = false;  // no figure: a gap, never a guess
        continue;
      }
      const auto [x, y] = point(i, *v.value);
      path += (pen_down ? "L" : "M") + num(x) + " " + num(y);
      pen_down = true;
      markers += marker(s, x, y);
    }
    out += "<g class=\"chart-series chart-line-" + std::to_string(s % 4) + " chart-stroke-" +
           style + "\">";
    if (!path.empty()) out += "<path class=\"chart-path\" d=\"" + path + "\"/>";
    out += markers + "</g>";
  }
  return out + "</svg>";
}

std::string line_swatch(std::size_t index, int style) {
  return "<svg class=\"swatch swatch--line\" viewBox=\"0 0 28 16\" aria-hidden=\"true\" "
         "focusable=\"false\"><g class=\"chart-series chart-line-" +
         std::to_string(index % 4) + " chart-stroke-" + std::to_string(style % kChartStyles) +
         "\"><path class=\"chart-path\" d=\"M1 8H27\"/>" + marker(index, 14, 8) + "</g></svg>";
}

std::string legend_swatch(const std::string& chart_id, int style) {
  return "<svg class=\"swatch\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\">"
         "<rect class=\"" +
         std::string(style < 0 ? "bar--fewer" : "bar") +
         "\" x=\"0.5\" y=\"0.5\" width=\"15\" height=\"15\" fill=\"" + fill_of(chart_id, style) +
         "\"/></svg>";
}

}  // namespace grievance::http::pages::staff
