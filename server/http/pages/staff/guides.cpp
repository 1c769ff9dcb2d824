// The follow-up guides on the staff pages (issue 10 item 6; docs/domain.md "Follow-up guides"):
// the case view's collapsed guides for the case's categories (case_guides), and the admin's
// guide pages: GET /staff/admin/guides (every category, in the language chosen with ?in=),
// GET /staff/admin/guides/{category}?in= (the edit form), POST the same path (save) and
// POST .../reset (back to the shipped default). A guide is plain text rendered escaped.
#include "server/domain/access_policy.hpp"
#include "server/domain/follow_up_guides.hpp"
#include "server/http/pages/staff/staff_pages.hpp"
#include "server/http/responses.hpp"

namespace grievance::http::pages::staff {
namespace {

using domain::Category;
using domain::Language;
using nlohmann::json;

constexpr std::string_view kGuidesPath = "/staff/admin/guides";

// Each section as {title, lines}; empty sections left out.
json guide_sections(const PageKit& kit, Language l, const domain::GuideText& text) {
  json out = json::array();
  const std::string* sections[] = {&text.check, &text.involve, &text.remedies, &text.pitfalls};
  for (std::size_t i = 0; i < 4; ++i) {
    json lines = json::array();
    for (std::string_view line : domain::guide_lines(*sections[i])) lines.push_back(line);
    if (lines.empty()) continue;
    out.push_back(
        {{"title", kit.text(l, "guide_section_" + std::string(domain::kGuideSections[i]))},
         {"lines", std::move(lines)}});
  }
  return out;
}

std::string category_name(const PageKit& kit, Language l, Category c) {
  return kit.text(l, "category_" + std::string(domain::to_string(c)));
}

// The language a guide is edited in: ?in= or the form's guide_lang, else the page's.
Language guide_language(const FormData& data, std::string_view field, Language page) {
  return domain::parse_language(data.get(std::string(field))).value_or(page);
}

std::optional<Response> refuse(const StaffPages& pages, const Request& req, PageLanguage lang,
                               const domain::Session& session) {
  if (!domain::may_administer(session.role)) return pages.not_found_page(req, lang, &session);
  return std::nullopt;
}

std::string guide_path(Category c) {
  return std::string(kGuidesPath) + "/" + std::string(domain::to_string(c));
}

std::string with_languages(std::string path, Language page, Language guide) {
  return path + "?lang=" + lang_code(page) + "&in=" + lang_code(guide);
}

Response render_edit(const StaffPages& pages, const Request& req, PageLanguage lang,
                     const domain::Session& session, Category c, Language in,
                     const domain::GuideText* typed, const std::vector<FieldError>& errors,
                     std::string_view notice) {
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  auto guide = pages.services().guides.guide(session, c, in);
  if (!guide) return pages.error_page(req, lang, guide.error());
  const domain::GuideText& text = typed ? *typed : guide->text;
  json data = kit.form_data(l, errors);
  data["heading"] = kit.format(l, "staff_guide_edit_title",
                               {{"category", category_name(kit, l, c)},
                                {"language", std::string(web::language_endonym(in))}});
  data["notice"] = std::string(notice);
  data["edited"] = guide->edited;
  if (guide->updated_at) data["updated"] = kit.time_text(l, *guide->updated_at);
  data["action"] = guide_path(c);
  data["reset_action"] = guide_path(c) + "/reset";
  data["guide_lang"] = lang_code(in);
  data["back_href"] = with_languages(std::string(kGuidesPath), l, in);
  json fields = json::array();
  const std::string* values[] = {&text.check, &text.involve, &text.remedies, &text.pitfalls};
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string name(domain::kGuideSections[i]);
    json f = {
        {"name", name}, {"label", kit.text(l, "guide_section_" + name)}, {"value", *values[i]}};
    for (const FieldError& e : errors) {
      if (e.field == name) f["error"] = e.message;
    }
    fields.push_back(std::move(f));
  }
  data["fields"] = std::move(fields);
  data["max_lines"] = std::to_string(domain::kGuideSectionMaxLines);
  data["hint"] = kit.format(l, "staff_guide_hint",
                            {{"lines", std::to_string(domain::kGuideSectionMaxLines)},
                             {"chars", std::to_string(domain::kGuideSectionMaxChars)}});
  return pages.render(
      req, lang,
      {errors.empty() ? bhttp::status::ok : bhttp::status::bad_request, "staff_guides_title",
       "staff_guide", web::target_path(req.target()), !errors.empty()},
      data, &session, "guides");
}

struct GuidePost {
  FormData form;
  PageLanguage lang;
  domain::Session session;
  Category category;
  Language in;
};

std::expected<GuidePost, Response> read_guide_post(const StaffPages& pages, const Request& req,
                                                   const PathParams& params) {
  auto post = pages.read_form(req);
  if (!post) return std::unexpected(std::move(post).error());
  auto session = pages.form_session(req, post->lang, post->form.get("csrf"));
  if (!session) return std::unexpected(std::move(session).error());
  if (auto refused = refuse(pages, req, post->lang, *session)) {
    return std::unexpected(*std::move(refused));
  }
  auto c = domain::parse_category(params.get("category"));
  if (!c) return std::unexpected(pages.not_found_page(req, post->lang, &*session));
  const Language in = guide_language(post->form, "guide_lang", post->lang.lang);
  return GuidePost{std::move(post->form), post->lang, *std::move(session), *c, in};
}

}  // namespace

json case_guides(const StaffPages& pages, Language l, const domain::Session& session,
                 const domain::CaseView& view) {
  json out = json::array();
  auto guides = pages.services().guides.guides(session, view.c.complaint.categories, l);
  if (!guides) return out;  // auditors and a failing store: the case view without guides
  const PageKit& kit = pages.kit();
  for (const domain::Guide& g : *guides) {
    out.push_back({{"id", "guide-" + std::string(domain::to_string(g.category))},
                   {"category", category_name(kit, l, g.category)},
                   {"sections", guide_sections(kit, l, g.text)}});
  }
  return out;
}

Response guides_page(const StaffPages& pages, Request& req) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (auto refused = refuse(pages, req, lang, *session)) return *std::move(refused);
  const PageKit& kit = pages.kit();
  const Language l = lang.lang;
  const FormData query = query_of(req);
  const Language in = guide_language(query, "in", l);
  json data = kit.base_data(l);
  json rows = json::array();
  for (Category c : domain::all_categories()) {
    auto g = pages.services().guides.guide(*session, c, in);
    if (!g) return pages.error_page(req, lang, g.error());
    rows.push_back(
        {{"name", category_name(kit, l, c)},
         {"state", kit.text(l, g->edited ? "staff_guide_edited" : "staff_guide_default")},
         {"edit_href", with_languages(guide_path(c), l, in)}});
  }
  data["rows"] = std::move(rows);
  json languages = json::array();
  for (Language x : domain::all_languages()) {
    languages.push_back({{"value", lang_code(x)},
                         {"label", std::string(web::language_endonym(x))},
                         {"selected", x == in}});
  }
  data["languages"] = std::move(languages);
  data["caption"] =
      kit.format(l, "staff_guides_caption", {{"language", std::string(web::language_endonym(in))}});
  if (query.get("saved") == "1") data["notice"] = kit.text(l, "staff_guide_saved");
  if (query.get("reset") == "1") data["notice"] = kit.text(l, "staff_guide_reset_done");
  return pages.render(
      req, lang,
      {bhttp::status::ok, "staff_guides_title", "staff_guides", std::string(kGuidesPath)}, data,
      &*session, "guides");
}

Response guide_edit_page(const StaffPages& pages, Request& req, const PathParams& params) {
  const auto lang = language_of(req);
  auto session = pages.staff_session(req);
  if (!session) return pages.to_sign_in(req, lang.lang);
  if (auto refused = refuse(pages, req, lang, *session)) return *std::move(refused);
  auto c = domain::parse_category(params.get("category"));
  if (!c) return pages.not_found_page(req, lang, &*session);
  const Language in = guide_language(query_of(req), "in", lang.lang);
  return render_edit(pages, req, lang, *session, *c, in, nullptr, {}, "");
}

Response guide_save(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_guide_post(pages, req, params);
  if (!post) return std::move(post).error();
  const domain::GuideText typed{post->form.get("check"), post->form.get("involve"),
                                post->form.get("remedies"), post->form.get("pitfalls")};
  auto saved = pages.services().guides.update(post->session, post->category, post->in, typed);
  if (!saved) {
    const domain::Error& e = saved.error();
    if (e.code != domain::ErrorCode::kInvalidField) return pages.error_page(req, post->lang, e);
    const std::string field = e.field.empty() ? "check" : e.field;
    const Language l = post->lang.lang;
    const std::string message =
        pages.kit().format(l, "staff_guide_error",
                           {{"lines", std::to_string(domain::kGuideSectionMaxLines)},
                            {"line", std::to_string(domain::kGuideLineMaxChars)},
                            {"chars", std::to_string(domain::kGuideSectionMaxChars)}});
    return render_edit(pages, req, post->lang, post->session, post->category, post->in, &typed,
                       {{field, field, message}}, "");
  }
  return redirect_response(
      with_languages(std::string(kGuidesPath), post->lang.lang, post->in) + "&saved=1", req);
}

Response guide_reset(const StaffPages& pages, Request& req, const PathParams& params) {
  auto post = read_guide_post(pages, req, params);
  if (!post) return std::move(post).error();
  auto reset = pages.services().guides.reset(post->session, post->category, post->in);
  if (!reset) return pages.error_page(req, post->lang, reset.error());
  return redirect_response(
      with_languages(std::string(kGuidesPath), post->lang.lang, post->in) + "&reset=1", req);
}

}  // namespace grievance::http::pages::staff
