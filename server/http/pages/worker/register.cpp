// GET /register (issue 11 item 6; docs/domain.md "Public register"): the public register for
// anyone, without signing in, phone-first and without JavaScript - the protected headline of the
// mechanism (all time and this year) and the cases their complainants listed, with what the
// domain's entry allows and nothing else. ?company=, ?country=, ?sector= and ?page= as
// GET /api/v1/register.
#include <cstdio>

#include "server/domain/public_register.hpp"
#include "server/http/pages/worker/worker_pages.hpp"
#include "server/http/stats_format.hpp"

namespace grievance::http::pages::worker {
namespace {

using domain::Count;
using domain::Language;
using nlohmann::json;

// A published count in words: the number, or "fewer than k" - never a number below k.
std::string count_text(const PageKit& kit, Language l, const Count& c, int k) {
  if (c.fewer_than_k()) return kit.format(l, "register_fewer", {{"k", std::to_string(k)}});
  return std::to_string(*c.value);
}

std::string figure_text(const PageKit& kit, Language l, const std::optional<double>& v,
                        bool percent) {
  if (!v) return kit.text(l, "register_no_figure");
  if (percent) return std::to_string(static_cast<int>(*v * 100.0 + 0.5)) + "%";
  return format_figure(*v);
}

// The headline rows: each figure all time and this year, as an auditor reads them.
json headline_rows(const PageKit& kit, Language l, const domain::RegisterPage& page) {
  const domain::StatsRow none{};
  const domain::StatsRow& all = page.total.rows.empty() ? none : page.total.rows.front();
  const domain::StatsRow& year = page.this_year.rows.empty() ? none : page.this_year.rows.front();
  const int k = page.k;
  json rows = json::array();
  const auto count_row = [&](const std::string& label, const Count& a, const Count& y) {
    rows.push_back(
        {{"label", label}, {"all", count_text(kit, l, a, k)}, {"year", count_text(kit, l, y, k)}});
  };
  const auto figure_row = [&](const std::string& label, const std::optional<double>& a,
                              const std::optional<double>& y, bool percent) {
    rows.push_back({{"label", label},
                    {"all", figure_text(kit, l, a, percent)},
                    {"year", figure_text(kit, l, y, percent)}});
  };
  count_row(kit.text(l, "register_row_registered"), all.registered, year.registered);
  count_row(kit.text(l, "register_row_open"), all.open, year.open);
  figure_row(kit.text(l, "register_row_ack_share"), all.ack_in_time_share, year.ack_in_time_share,
             true);
  figure_row(kit.text(l, "register_row_resolution_days"), all.to_resolution.median_days,
             year.to_resolution.median_days, false);
  const auto outcomes = domain::all_outcomes();
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    count_row(
        kit.format(l, "register_row_outcome",
                   {{"outcome",
                     kit.text(l, "staff_outcome_" + std::string(domain::to_string(outcomes[i])))}}),
        all.by_outcome[i], year.by_outcome[i]);
  }
  count_row(kit.text(l, "register_row_remedy_accepted"), all.remedy_accepted, year.remedy_accepted);
  figure_row(kit.text(l, "register_row_satisfaction"), all.satisfaction_mean,
             year.satisfaction_mean, false);
  return rows;
}

json entry_json(const PageKit& kit, Language l, const domain::RegisterEntry& e) {
  json categories = json::array();
  for (auto c : e.categories) {
    categories.push_back(kit.text(l, "category_" + std::string(domain::to_string(c))));
  }
  json out = {
      {"reference", e.reference},
      {"company", e.company ? *e.company : kit.text(l, "register_company_unassigned")},
      {"country", kit.country_name(l, e.country)},
      {"sector", e.sector ? kit.text(l, "staff_sector_" + std::string(domain::to_string(*e.sector)))
                          : kit.text(l, "register_not_known")},
      {"categories", std::move(categories)},
      {"status", kit.text(l, "status_" + std::string(domain::to_string(e.status)))},
      {"filed",
       kit.format(l, "staff_stats_month_year",
                  {{"month",
                    kit.text(l, "month_" + std::to_string(static_cast<unsigned>(e.filed.month())))},
                   {"year", std::to_string(static_cast<int>(e.filed.year()))}})},
  };
  if (e.closed) out["closed"] = kit.catalogues().date(l, *e.closed);
  if (e.outcome) {
    out["outcome"] = kit.text(l, "staff_outcome_" + std::string(domain::to_string(*e.outcome)));
  }
  if (e.site) out["site"] = *e.site;
  if (e.site_hidden) out["site"] = kit.text(l, "register_site_hidden");
  return out;
}

// The list's address with the same filters on another page.
std::string page_href(const FormData& query, Language l, int page) {
  std::string href = "/register?lang=" + lang_code(l);
  for (const char* name : {"company", "country", "sector"}) {
    const std::string v = query.get(name);
    if (!v.empty()) href += std::string("&") + name + "=" + web::url_encode(v);
  }
  if (page > 1) href += "&page=" + std::to_string(page);
  return href;
}

}  // namespace

Response register_page(const WorkerPages& pages, Request& req) {
  const PageKit& kit = pages.kit();
  const auto lang = language_of(req);
  const Language l = lang.lang;
  const FormData query = query_of(req);
  domain::RegisterRequest r;
  r.company = query.get("company");
  r.country = query.get("country");
  r.sector = query.get("sector");
  r.page = query.get("page");
  auto page = pages.services().public_register.page(r);
  if (!page) return pages.error_page(req, lang, page.error());

  json data = kit.base_data(l);
  data["figures_note"] = kit.format(l, "register_figures_note", {{"k", std::to_string(page->k)}});
  data["col_year"] = kit.format(l, "register_col_year", {{"year", std::to_string(page->year)}});
  data["figures"] = headline_rows(kit, l, *page);
  json entries = json::array();
  for (const auto& e : page->entries) entries.push_back(entry_json(kit, l, e));
  data["has_entries"] = !entries.empty();
  data["entries"] = std::move(entries);
  if (page->page > 1) data["previous_href"] = page_href(query, l, page->page - 1);
  if (page->has_next) data["next_href"] = page_href(query, l, page->page + 1);
  data["has_pages"] = page->page > 1 || page->has_next;
  return pages.render(req, lang, {bhttp::status::ok, "register_title", "register", "/register"},
                      data);
}

}  // namespace grievance::http::pages::worker
