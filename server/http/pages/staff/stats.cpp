// The statistics dashboard (issue 11 item 5; docs/domain.md "Statistics"): GET /staff/stats for
// the operator (exact, every case), a company (exact, its own cases), a union (exact, its
// filings) and the auditor (protected numbers). Filters in a plain GET form, the headline
// figures, six server-drawn charts (stats_charts.hpp) each with its table, and - for the auditor
// and the operator - links to the exports with the same filters.
//
// Every number comes from StatsService, which decides the scope and the protection; this page
// asks it four questions (the whole window, per month, per month and category, per company or
// site) and shows each cell as stats_format.hpp writes it for GET /api/v1/stats, so the page,
// the API and the exports always agree. A count published as "fewer than k" is words in the
// headline, "<k" in a table and a hatched bar in a chart: never a number.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/stats_service.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/pages/staff/stats_charts.hpp"
#include "server/http/responses.hpp"
#include "server/http/stats_format.hpp"

namespace grievance::http::pages::staff {

namespace {

using domain::Language;
using domain::Role;
using domain::StatsDimension;
using domain::StatsRow;
using domain::StatsTable;
using nlohmann::json;

constexpr std::string_view kPath = "/staff/stats";
// The longest window the charts draw month by month (a longer one is asked for in years).
constexpr int kMaxMonths = 60;
// The rows of the chart by company or site (its table has every one).
constexpr std::size_t kChartRows = 20;

// The filters of the form, in the order the export links carry them.
constexpr std::string_view kFilters[] = {"from",    "to",       "company", "sector",
                                         "country", "category", "channel"};

// What was asked: the filters as typed, the default window (the last 12 months: from the first
// day of the month eleven months ago to today) where the query has no date at all.
std::map<std::string, std::string, std::less<>> asked(const FormData& query, domain::Date today,
                                                      bool may_filter_company) {
  using namespace std::chrono;
  std::map<std::string, std::string, std::less<>> v;
  for (std::string_view f : kFilters) v[std::string(f)] = query.get(f);
  if (!query.has("from") && !query.has("to")) {
    const year_month first = year_month(today.year(), today.month()) - months(11);
    v["from"] = domain::format_date(first / day(1));
    v["to"] = domain::format_date(today);
  }
  if (!may_filter_company) v["company"].clear();
  return v;
}

domain::StatsRequest request_of(const std::map<std::string, std::string, std::less<>>& v,
                                std::string group_by) {
  domain::StatsRequest r;
  r.from = v.at("from");
  r.to = v.at("to");
  r.company = v.at("company");
  r.sector = v.at("sector");
  r.country = v.at("country");
  r.category = v.at("category");
  r.channel = v.at("channel");
  r.group_by = std::move(group_by);
  return r;
}

// The field error for a filter the service refused, in the reader's words.
FieldError filter_error(const PageKit& kit, Language l, const domain::Error& e,
                        const std::string& to_text) {
  const std::string& f = e.field;
  if (f == "from" || f == "to") {
    // Two dates that each parse: the end comes before the start.
    const bool order = f == "to" && domain::parse_date(to_text);
    return {f, f, kit.text(l, order ? "staff_stats_error_order" : "staff_stats_error_date")};
  }
  if (f == "company" || f == "sector" || f == "country" || f == "category" || f == "channel") {
    return {f, f, kit.text(l, "staff_error_filter")};
  }
  // A table too fine to publish (group_by) names no field of the form: the window is what a
  // reader can widen.
  return {"from", "from", kit.text(l, "staff_stats_error_detail")};
}

// A derived figure (a share, a mean, days), which a group without cases does not have.
bool is_figure(std::string_view col) {
  return col.find("_days") != std::string_view::npos || col.ends_with("_mean") ||
         col.ends_with("_share") || col.ends_with("_rate");
}

// The cells of a row by column name, as GET /api/v1/stats writes them.
class Cells {
 public:
  Cells(const StatsRow* row, int k) {
    if (row == nullptr) return;
    for (auto& c : stats_cells(*row, k)) cells_.emplace(c.name, std::move(c));
  }
  // The table's text: the count ("<5" for fewer than k), the figure, "–" for none; 0 where
  // the group has no case at all.
  std::string text(const std::string& col) const {
    auto it = cells_.find(col);
    if (it == cells_.end()) return is_figure(col) ? "–" : "0";
    return it->second.text.empty() ? "–" : it->second.text;
  }
  ChartValue value(const std::string& col) const {
    auto it = cells_.find(col);
    if (it == cells_.end()) return is_figure(col) ? ChartValue{} : ChartValue{0.0, false};
    if (it->second.fewer_than_k) return ChartValue{std::nullopt, true};
    if (it->second.text.empty()) return ChartValue{};
    return ChartValue{std::stod(it->second.text), false};
  }

 private:
  std::map<std::string, StatsCell, std::less<>> cells_;
};

const StatsRow* find_row(const StatsTable& t, std::string_view k1, std::string_view k2 = {}) {
  for (const auto& r : t.rows) {
    if (r.keys.empty()) return &r;
    if (r.keys[0].value != k1) continue;
    if (r.keys.size() == 1 || r.keys[1].value == k2) return &r;
  }
  return nullptr;
}

// "YYYY-MM" of each month from `first` to `last`.
std::vector<std::chrono::year_month> months_between(std::chrono::year_month first,
                                                    std::chrono::year_month last) {
  std::vector<std::chrono::year_month> out;
  for (auto m = first; m <= last && out.size() <= kMaxMonths; m += std::chrono::months(1)) {
    out.push_back(m);
  }
  return out;
}

std::string month_key(std::chrono::year_month m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()),
                static_cast<unsigned>(m.month()));
  return buf;
}

// The headline's words for a count: the number, or "fewer than k".
std::string count_words(const PageKit& kit, Language l, const Cells& cells, const std::string& col,
                        int k) {
  const ChartValue v = cells.value(col);
  if (v.fewer) return kit.format(l, "staff_stats_fewer", {{"k", std::to_string(k)}});
  return cells.text(col);
}

// A table under a chart: its caption, column heads, and rows of {key, label, cells}.
struct Table {
  std::string caption;
  json head = json::array();
  json rows = json::array();
};

json cell(const std::string& col, const std::string& text, const std::string& key2 = {}) {
  json c = {{"col", col}, {"text", text}};
  if (!key2.empty()) c["key2"] = key2;
  return c;
}

struct Page {
  const PageKit& kit;
  Language l;
  int k;
  bool is_protected;

  std::string t(std::string_view key) const { return kit.text(l, key); }

  // The chart's data for the template; `fewer_key` explains its "fewer than k" mark.
  json chart(const Chart& c, std::string svg, const Table& table, std::string note,
             bool line = false, std::string_view fewer_key = "staff_stats_legend_fewer") const {
    json legend = json::array();
    for (std::size_t i = 0; i < c.series.size() && c.series.size() > 1; ++i) {
      legend.push_back({{"swatch", line ? line_swatch(i, c.series[i].style)
                                        : legend_swatch(c.id, c.series[i].style)},
                        {"label", c.series[i].name}});
    }
    if (is_protected && !line) {
      legend.push_back({{"swatch", legend_swatch(c.id, -1)},
                        {"label", kit.format(l, fewer_key, {{"k", std::to_string(k)}})}});
    }
    const std::string name = c.id.substr(std::string_view("chart-").size());
    json out = {{"id", c.id},
                {"table_id", "table-" + name},
                {"heading", c.title},
                {"svg", std::move(svg)},
                {"has_legend", !legend.empty()},
                {"legend", std::move(legend)},
                {"caption", table.caption},
                {"head", table.head},
                {"rows", table.rows}};
    if (!note.empty()) out["note"] = std::move(note);
    return out;
  }
};

}  // namespace

std::string landing_path(Role role) {
  // The auditor reads statistics only (SPEC section 2): its home is the dashboard.
  return role == Role::kAuditor ? std::string(kPath) : "/staff/cases";
}

Response stats_page(const StaffPages& pages, Request& req) {
  const PageKit& kit = pages.kit();
  const auto lang = language_of(req);
  const Language l = lang.lang;
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, l);
  if (!domain::may_read_stats(session->role)) return pages.not_found_page(req, lang, &*session);
  const domain::StatsService& stats = pages.services().stats;
  const Role role = session->role;
  const bool by_site = role == Role::kCompany;  // a company's cases are all its own: by site
  const bool is_protected =
      domain::StatsService::protection_for(role) == domain::Protection::kProtected;
  const domain::Date today = pages.services().filing.today();
  const FormData query = query_of(req);
  auto v = asked(query, today, role != Role::kCompany);

  auto names = stats.names(*session);
  if (!names) return pages.error_page(req, lang, names.error());

  // The four questions; the first refusal is the form's error.
  std::vector<FieldError> errors;
  StatsTable total, per_month, per_category, per_place;
  for (auto [group_by, slot] : {std::pair{"", &total}, std::pair{"month", &per_month},
                                std::pair{"month,category", &per_category},
                                std::pair{by_site ? "site" : "company", &per_place}}) {
    auto table = stats.table(*session, request_of(v, group_by));
    if (!table) {
      if (table.error().code != domain::ErrorCode::kInvalidField) {
        return pages.error_page(req, lang, table.error());
      }
      errors.push_back(filter_error(kit, l, table.error(), v["to"]));
      break;
    }
    *slot = *std::move(table);
  }

  // The months the charts draw: the window's, or from the first case to today.
  std::vector<std::chrono::year_month> months;
  if (errors.empty()) {
    using namespace std::chrono;
    auto from = domain::parse_date(v["from"]);
    auto to = domain::parse_date(v["to"]);
    year_month first =
        from ? year_month(from->year(), from->month()) : year_month(today.year(), today.month());
    if (!from) {
      for (const auto& r : per_month.rows) {
        auto d = domain::parse_date(r.keys[0].value + "-01");
        if (d) first = std::min(first, year_month(d->year(), d->month()));
      }
    }
    const year_month last =
        to ? year_month(to->year(), to->month()) : year_month(today.year(), today.month());
    months = months_between(first, last);
    if (static_cast<int>(months.size()) > kMaxMonths) {
      errors.push_back(
          {"from", "from",
           kit.format(l, "staff_stats_error_span", {{"years", std::to_string(kMaxMonths / 12)}})});
    }
  }

  json data = kit.form_data(l, errors);
  const std::string role_code(domain::to_string(role));
  const std::string heading = role == Role::kCompany ? "staff_stats_title_company"
                              : role == Role::kUnion ? "staff_stats_title_union"
                                                     : "staff_stats_title";
  data["heading"] = kit.text(l, heading);
  data["lead"] =
      kit.format(l, "staff_stats_lead_" + role_code, {{"k", std::to_string(stats.disclosure().k)}});
  data["action"] = kPath;
  data["v"] = v;
  data["first_href"] = with_lang(kPath, l);
  data["sectors"] = kit.options(domain::all_sectors(), v["sector"], l, "staff_sector_");
  data["categories"] = kit.options(domain::all_categories(), v["category"], l, "category_");
  static constexpr domain::Channel kChannels[] = {domain::Channel::kWeb, domain::Channel::kUnion,
                                                  domain::Channel::kPaper, domain::Channel::kPhone,
                                                  domain::Channel::kApi};
  data["channels"] =
      kit.options(std::span<const domain::Channel>(kChannels), v["channel"], l, "staff_channel_");
  std::vector<std::string> site_countries;
  if (auto countries = pages.services().filing.site_countries()) {
    site_countries = *std::move(countries);
  }
  data["countries"] = kit.country_options(l, site_countries, v["country"]);
  if (role != Role::kCompany) {
    json companies = json::array();
    for (const auto& [id, name] : names->companies) {
      const std::string value = std::to_string(id);
      companies.push_back({{"value", value}, {"label", name}, {"selected", value == v["company"]}});
    }
    data["companies"] = std::move(companies);
    data["may_filter_company"] = true;
  }
  if (!errors.empty()) {
    return pages.render(
        req, lang, {bhttp::status::bad_request, "staff_stats_title", "staff_stats", kPath, true},
        data, &*session, "stats");
  }

  const int k = total.k;
  const Page p{kit, l, k, is_protected};
  const Cells all(total.rows.empty() ? nullptr : &total.rows.front(), k);

  // ---- the headline ----
  const auto days = [&](const std::string& col) {
    const auto text = all.text(col);
    return text == "–" ? text : kit.format(l, "staff_stats_days", {{"n", text}});
  };
  std::string share = all.text("ack_in_time_share");
  if (share != "–") {
    share = kit.format(l, "staff_stats_percent",
                       {{"n", format_figure(std::round(std::stod(share) * 100))}});
  }
  json figures = json::array();
  const auto figure = [&](const char* name, const char* label, std::string value) {
    figures.push_back({{"name", name}, {"label", p.t(label)}, {"value", std::move(value)}});
  };
  figure("registered", "staff_stats_registered", count_words(kit, l, all, "registered", k));
  figure("open", "staff_stats_open", count_words(kit, l, all, "open", k));
  figure("overdue", "staff_stats_overdue", count_words(kit, l, all, "overdue", k));
  figure("ack-share", "staff_stats_ack_share", share);
  figure("resolution-days", "staff_stats_median_resolution", days("to_resolution.median_days"));
  figure("remedy-accepted", "staff_stats_remedy_accepted",
         count_words(kit, l, all, "remedy_accepted", k));
  figure("satisfaction", "staff_stats_satisfaction_mean", all.text("satisfaction_mean"));
  data["figures"] = std::move(figures);
  data["show_results"] = true;
  {
    // The window in words: the dates asked, or the first month drawn and today.
    const auto day = [&](const std::optional<domain::Date>& d, domain::Date otherwise) {
      return kit.day_text(l, domain::TimePoint(std::chrono::sys_days(d.value_or(otherwise))));
    };
    const auto from = domain::parse_date(v["from"]);
    const auto first = months.empty() ? today : domain::Date(months.front() / 1);
    data["period"] =
        kit.format(l, "staff_stats_period",
                   {{"from", day(from, first)}, {"to", day(domain::parse_date(v["to"]), today)}});
  }
  data["no_cases"] = total.rows.empty();

  // ---- the months ----
  const auto month_label = [&](std::chrono::year_month m, bool with_year) {
    std::string s =
        p.t("staff_stats_month_short_" + std::to_string(static_cast<unsigned>(m.month())));
    if (with_year) s += "\n" + std::to_string(static_cast<int>(m.year()));
    return s;
  };
  const auto month_name = [&](std::chrono::year_month m) {
    return kit.format(l, "staff_stats_month_year",
                      {{"month", p.t("month_" + std::to_string(static_cast<unsigned>(m.month())))},
                       {"year", std::to_string(static_cast<int>(m.year()))}});
  };
  const std::string fewer = "<" + std::to_string(k);
  json charts = json::array();

  // 1. Cases per month by category (a case with two categories counts in both).
  {
    std::vector<domain::Category> present;
    for (auto cat : domain::all_categories()) {
      const std::string code(domain::to_string(cat));
      if (std::any_of(per_category.rows.begin(), per_category.rows.end(),
                      [&](const StatsRow& r) { return r.keys[1].value == code; })) {
        present.push_back(cat);
      }
    }
    Chart c{"chart-categories",
            p.t("staff_stats_chart_categories"),
            p.t("staff_stats_desc_categories"),
            {},
            {},
            fewer,
            p.t("staff_stats_unit_cases")};
    Table table{p.t("staff_stats_chart_categories")};
    table.head.push_back(p.t("staff_stats_col_month"));
    for (auto cat : present) {
      const int style = static_cast<int>(cat);
      c.series.push_back({p.t("category_" + std::string(domain::to_string(cat))), style});
      table.head.push_back(c.series.back().name);
    }
    for (std::size_t i = 0; i < months.size(); ++i) {
      const std::string key = month_key(months[i]);
      ChartGroup g{
          key, month_label(months[i], i == 0 || months[i].month() == std::chrono::January), {}};
      json cells = json::array();
      for (auto cat : present) {
        const std::string code(domain::to_string(cat));
        const Cells row(find_row(per_category, key, code), k);
        g.values.push_back(row.value("registered"));
        cells.push_back(cell("registered", row.text("registered"), code));
      }
      c.groups.push_back(std::move(g));
      table.rows.push_back({{"key", key}, {"label", month_name(months[i])}, {"cells", cells}});
    }
    charts.push_back(p.chart(c, vertical_bar_chart(c, true), table, "", false,
                             "staff_stats_legend_fewer_stacked"));
  }

  // 2. Days to acknowledgement and to resolution, per month of filing.
  {
    static constexpr std::pair<const char*, const char*> kSeries[] = {
        {"to_acknowledgement.median_days", "staff_stats_series_ack_median"},
        {"to_acknowledgement.p90_days", "staff_stats_series_ack_p90"},
        {"to_resolution.median_days", "staff_stats_series_resolution_median"},
        {"to_resolution.p90_days", "staff_stats_series_resolution_p90"}};
    Chart c{"chart-times", p.t("staff_stats_chart_times"), p.t("staff_stats_desc_times"), {}, {},
            fewer,         p.t("staff_stats_unit_days")};
    Table table{p.t("staff_stats_chart_times")};
    table.head.push_back(p.t("staff_stats_col_month"));
    table.head.push_back(p.t("staff_stats_registered"));
    int style = 0;
    for (const auto& [col, label] : kSeries) {
      c.series.push_back({p.t(label), style++ * 2});
      table.head.push_back(p.t(label));
    }
    for (std::size_t i = 0; i < months.size(); ++i) {
      const std::string key = month_key(months[i]);
      const Cells row(find_row(per_month, key), k);
      ChartGroup g{
          key, month_label(months[i], i == 0 || months[i].month() == std::chrono::January), {}};
      json cells = json::array({cell("registered", row.text("registered"))});
      for (const auto& [col, label] : kSeries) {
        g.values.push_back(row.value(col));
        cells.push_back(cell(col, row.text(col)));
      }
      c.groups.push_back(std::move(g));
      table.rows.push_back({{"key", key}, {"label", month_name(months[i])}, {"cells", cells}});
    }
    charts.push_back(p.chart(c, line_chart(c), table, p.t("staff_stats_note_times"), true));
  }

  // 3. Open and overdue by company (a company: by site), by name.
  {
    const char* title =
        by_site ? "staff_stats_chart_overdue_site" : "staff_stats_chart_overdue_company";
    Chart c{"chart-overdue",
            p.t(title),
            p.t("staff_stats_desc_overdue"),
            {{p.t("staff_stats_open"), 0}, {p.t("staff_stats_overdue"), 1}},
            {},
            fewer,
            p.t("staff_stats_unit_cases")};
    Table table{p.t(title)};
    table.head = json::array({p.t(by_site ? "staff_col_place" : "staff_filter_company"),
                              p.t("staff_stats_open"), p.t("staff_stats_overdue"),
                              p.t("staff_stats_registered")});
    std::vector<std::pair<std::string, const StatsRow*>> rows;
    for (const auto& r : per_place.rows) {
      const std::string& key = r.keys[0].value;
      std::string name;
      if (key == domain::kNoValue) {
        name = p.t(by_site ? "staff_stats_no_site" : "staff_stats_no_company");
      } else {
        const auto id = parse_id(key).value_or(0);
        const auto& known = by_site ? names->sites : names->organisations;
        auto it = known.find(id);
        name = it != known.end() ? it->second : "#" + key;
      }
      rows.emplace_back(std::move(name), &r);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    // The chart draws kChartRows rows at most: over a million cases 150 companies made the page
    // 16,000 px long on a phone. Then those with the most overdue cases, then open ones, first;
    // the table keeps every row, by name.
    std::vector<std::size_t> drawn(rows.size());
    for (std::size_t i = 0; i < drawn.size(); ++i) drawn[i] = i;
    std::string note;
    if (rows.size() > kChartRows) {
      const auto rank = [&](std::size_t i, const char* col) {
        const ChartValue v = Cells(rows[i].second, k).value(col);
        return v.value.value_or(v.fewer ? 0.5 : 0.0);  // "fewer than k": above none
      };
      std::stable_sort(drawn.begin(), drawn.end(), [&](std::size_t a, std::size_t b) {
        return std::pair{rank(a, "overdue"), rank(a, "open")} >
               std::pair{rank(b, "overdue"), rank(b, "open")};
      });
      drawn.resize(kChartRows);
      note =
          kit.format(l, by_site ? "staff_stats_note_top_sites" : "staff_stats_note_top_companies",
                     {{"n", std::to_string(kChartRows)}, {"total", std::to_string(rows.size())}});
    }
    for (std::size_t i : drawn) {
      const Cells row(rows[i].second, k);
      c.groups.push_back({rows[i].second->keys[0].value,
                          rows[i].first,
                          {row.value("open"), row.value("overdue")}});
    }
    for (const auto& [name, r] : rows) {
      const Cells row(r, k);
      const std::string& key = r->keys[0].value;
      table.rows.push_back({{"key", key},
                            {"label", name},
                            {"cells", json::array({cell("open", row.text("open")),
                                                   cell("overdue", row.text("overdue")),
                                                   cell("registered", row.text("registered"))})}});
    }
    charts.push_back(p.chart(c, horizontal_bar_chart(c), table, note));
  }

  // 4. Outcomes of the cases now, and the complainants' answers to a remedy plan.
  {
    Chart c{"chart-outcomes",
            p.t("staff_stats_chart_outcomes"),
            p.t("staff_stats_desc_outcomes"),
            {{p.t("staff_stats_unit_cases"), 2}},
            {},
            fewer,
            p.t("staff_stats_unit_cases")};
    Table table{p.t("staff_stats_chart_outcomes")};
    table.head = json::array({p.t("staff_outcome_label"), p.t("staff_stats_col_cases")});
    const auto add = [&](const std::string& col, const std::string& label) {
      c.groups.push_back({col, label, {all.value(col)}});
      table.rows.push_back(
          {{"key", col}, {"label", label}, {"cells", json::array({cell(col, all.text(col))})}});
    };
    for (auto o : domain::all_outcomes()) {
      const std::string code(domain::to_string(o));
      add("by_outcome." + code, p.t("staff_outcome_" + code));
    }
    add("remedy_accepted", p.t("staff_stats_plan_accepted"));
    add("remedy_refused", p.t("staff_stats_plan_refused"));
    charts.push_back(p.chart(c, horizontal_bar_chart(c), table, ""));
  }

  // 5. Satisfaction: the five scores and the mean.
  {
    const std::string mean = all.text("satisfaction_mean");
    Chart c{"chart-satisfaction",
            p.t("staff_stats_chart_satisfaction"),
            kit.format(l, "staff_stats_desc_satisfaction", {{"mean", mean}}),
            {{p.t("staff_stats_unit_cases"), 4}},
            {},
            fewer,
            p.t("staff_stats_unit_cases")};
    Table table{p.t("staff_stats_chart_satisfaction")};
    table.head = json::array({p.t("staff_stats_col_score"), p.t("staff_stats_col_cases")});
    for (int score = 1; score <= 5; ++score) {
      const std::string col = "satisfaction." + std::to_string(score);
      const std::string label = p.t("staff_stats_score_" + std::to_string(score));
      c.groups.push_back({col, label, {all.value(col)}});
      table.rows.push_back(
          {{"key", col}, {"label", label}, {"cells", json::array({cell(col, all.text(col))})}});
    }
    table.rows.push_back({{"key", "satisfaction_mean"},
                          {"label", p.t("staff_stats_satisfaction_mean")},
                          {"cells", json::array({cell("satisfaction_mean", mean)})}});
    charts.push_back(p.chart(c, horizontal_bar_chart(c), table,
                             kit.format(l, "staff_stats_mean_line", {{"mean", mean}})));
  }

  // 6. Recurrence: repeated complaints and their sites, per month of filing.
  {
    Chart c{"chart-recurrence",
            p.t("staff_stats_chart_recurrence"),
            p.t("staff_stats_desc_recurrence"),
            {{p.t("staff_stats_series_recurrent_cases"), 5},
             {p.t("staff_stats_series_recurrent_sites"), 7}},
            {},
            fewer,
            p.t("staff_stats_unit_cases")};
    Table table{p.t("staff_stats_chart_recurrence")};
    table.head =
        json::array({p.t("staff_stats_col_month"), p.t("staff_stats_series_recurrent_cases"),
                     p.t("staff_stats_series_recurrent_sites")});
    for (std::size_t i = 0; i < months.size(); ++i) {
      const std::string key = month_key(months[i]);
      const Cells row(find_row(per_month, key), k);
      c.groups.push_back(
          {key,
           month_label(months[i], i == 0 || months[i].month() == std::chrono::January),
           {row.value("recurrent_cases"), row.value("recurrent_sites")}});
      table.rows.push_back(
          {{"key", key},
           {"label", month_name(months[i])},
           {"cells", json::array({cell("recurrent_cases", row.text("recurrent_cases")),
                                  cell("recurrent_sites", row.text("recurrent_sites"))})}});
    }
    charts.push_back(
        p.chart(c, vertical_bar_chart(c, false), table, p.t("staff_stats_note_recurrence")));
  }
  data["charts"] = std::move(charts);
  data["table_note"] =
      kit.format(l, is_protected ? "staff_stats_table_note_protected" : "staff_stats_table_note",
                 {{"k", std::to_string(k)}});

  // ---- the exports (the API refuses the others): the auditor's and the operator's table and
  // case rows with the filters above; a company's annual disclosure (ESRS S1-17, GRI 2-25) for
  // last year and this year so far, and the operator's for the company it filters by ----
  json links = json::array(), hints = json::array();
  const auto link = [&links](std::string href, std::string label) {
    links.push_back({{"href", std::move(href)}, {"label", std::move(label)}});
  };
  const auto disclosures = [&](const std::string& company) {
    const int year = static_cast<int>(today.year());
    for (int y : {year - 1, year}) {
      link("/api/v1/exports/disclosure.json?year=" + std::to_string(y) +
               (company.empty() ? "" : "&company=" + web::url_encode(company)),
           kit.format(l, "staff_stats_export_disclosure", {{"year", std::to_string(y)}}));
    }
    hints.push_back({{"text", kit.text(l, "staff_stats_exports_disclosure_hint")}});
  };
  if (role == Role::kAuditor || role == Role::kAdmin) {
    std::string filters;
    for (std::string_view f : kFilters) {
      const std::string& value = v[std::string(f)];
      if (value.empty()) continue;
      filters += (filters.empty() ? "" : "&") + std::string(f) + "=" + web::url_encode(value);
    }
    const std::string q = "?" + filters + (filters.empty() ? "" : "&") + "group_by=month";
    const std::string cases_q = filters.empty() ? "" : "?" + filters;
    link("/api/v1/exports/stats.csv" + q, kit.text(l, "staff_stats_export_csv"));
    link("/api/v1/exports/stats.json" + q, kit.text(l, "staff_stats_export_json"));
    link("/api/v1/exports/cases.csv" + cases_q, kit.text(l, "staff_stats_export_cases_csv"));
    link("/api/v1/exports/cases.json" + cases_q, kit.text(l, "staff_stats_export_cases_json"));
    hints.push_back({{"text", kit.text(l, "staff_stats_exports_hint")}});
    hints.push_back(
        {{"text", is_protected ? kit.format(l, "staff_stats_exports_cases_hint_protected",
                                            {{"k", std::to_string(k)}})
                               : kit.text(l, "staff_stats_exports_cases_hint")}});
    if (role == Role::kAdmin && !v["company"].empty()) disclosures(v["company"]);
  } else if (role == Role::kCompany) {
    disclosures({});
  }
  if (!links.empty()) data["exports"] = {{"links", std::move(links)}, {"hints", std::move(hints)}};
  return pages.render(req, lang, {bhttp::status::ok, heading, "staff_stats", kPath}, data,
                      &*session, "stats");
}

}  // namespace grievance::http::pages::staff
