// Translations that keep the original (docs/domain.md "Translations"): whoever handles a case
// adds a translation of the narrative or of a message into one of the five languages; it is an
// event of its own, read by exactly those who read the original, and names who made it. No text
// leaves the server for translation.
#include <algorithm>

#include "server/domain/case_rights.hpp"
#include "server/domain/casework_events.hpp"
#include "server/domain/casework_service.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {

Result<CaseView> Casework::add_translation(const Session& session, std::string_view reference,
                                           std::int64_t seq, std::string_view language_text,
                                           std::string_view text) {
  const auto language = parse_language(language_text);
  if (!language) return fail(Error::invalid_field("language", "Must be en, nl, id, vi or fr."));
  if (auto ok = validate_message_body(text, config_.limits); !ok) return fail(ok.error());
  auto record = read_visible(session, reference);
  if (!record) return fail(record.error());
  const Case& c = record->c;
  const auto& events = record->events;
  const TimePoint now = clock_.now();
  if (!rights_of(session, c, now, config_).may_translate) {
    return fail(Error::forbidden("Only those who handle the case add translations."));
  }
  auto original =
      std::find_if(events.begin(), events.end(), [&](const CaseEvent& e) { return e.seq == seq; });
  // An event the caller cannot read does not exist for it.
  if (original == events.end() || !may_see_event(session, c, *original)) {
    return fail(Error::not_found("No such event in this case."));
  }
  if (original->type != EventType::kFiled && original->type != EventType::kMessage) {
    return fail(Error::invalid_field("seq", "Only the complaint and messages are translated."));
  }
  if (original->visibility == Visibility::kOrganisation) {
    // Read by one organisation and the operator only: a translation could not stay as narrow.
    return fail(Error::invalid_field("seq", "Internal notes are not translated."));
  }
  CaseEvent e = event_by(session, now, EventType::kTranslation);
  e.visibility = original->visibility;  // never wider than the original
  e.translates = seq;
  e.language = language;
  e.body = std::string(text);
  return commit(session, c, c, {std::move(e)});
}

}  // namespace grievance::domain
