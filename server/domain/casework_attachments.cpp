// Evidence (docs/domain.md "Evidence"): a party of the case adds a photo, a PDF or a voice
// recording. What the file is comes from its content (media.hpp); images lose their
// identifying metadata before anything is stored; the bytes are kept sealed by the
// AttachmentStore and named by an attachment event whose SHA-256 the hash chain covers. A
// download starts from the event, so whoever may not see the event cannot reach the bytes.
#include <algorithm>

#include "server/domain/access_policy.hpp"
#include "server/domain/case_rights.hpp"
#include "server/domain/casework_events.hpp"
#include "server/domain/casework_service.hpp"
#include "server/domain/codes.hpp"
#include "server/domain/media.hpp"

namespace grievance::domain {

Result<CaseEvent> Casework::add_attachment(const Session& session, std::string_view reference,
                                           std::string_view file_name, std::string& bytes,
                                           Visibility visibility) {
  if (attachments_ == nullptr) return fail(Error::unavailable("No evidence store."));
  auto record = read_visible(session, reference);
  if (!record) return fail(record.error());
  const Case& c = record->c;
  const auto& events = record->events;
  const TimePoint now = clock_.now();
  if (!rights_of(session, c, now, config_).may_attach) {
    return fail(Error::forbidden("Only the parties of the case add evidence."));
  }
  if (visibility != Visibility::kParties &&
      !(visibility == Visibility::kMechanism &&
        may_post_message(session, c, Visibility::kMechanism))) {
    return fail(Error::invalid_field("visibility", "Must be parties or mechanism."));
  }
  const auto count = std::count_if(events.begin(), events.end(), [](const CaseEvent& e) {
    return e.type == EventType::kAttachment;
  });
  if (count >= config_.attachments_per_case) {
    return fail(Error::conflict("This case already has as many files as it may carry."));
  }
  if (bytes.size() > config_.attachment_max_bytes) {
    return fail(Error{ErrorCode::kPayloadTooLarge, "The file is too large.", {}});
  }
  if (bytes.empty()) return fail(Error::invalid_field("file", "Choose a file."));
  const media::Outcome checked = media::clean(bytes);
  if (checked.refusal) {
    const auto message = std::string(media::refusal_message(*checked.refusal));
    if (*checked.refusal == media::Refusal::kMalformed) {
      return fail(Error::invalid_field("file", message));
    }
    return fail(Error{ErrorCode::kUnsupportedMediaType, message, {}});
  }
  CaseEvent e = event_by(session, now, EventType::kAttachment);
  e.visibility = visibility;
  e.body = media::sanitise_file_name(file_name, checked.cleaned->type);
  CaseEvent::Attachment a;
  a.media_type = std::string(media::mime_type(checked.cleaned->type));
  a.size = static_cast<std::int64_t>(bytes.size());
  a.sha256 = crypto_.sha256_hex(bytes);
  a.metadata_removed = checked.cleaned->metadata_removed;
  auto blob = attachments_->put_blob(c.id, bytes);
  if (!blob) return fail(blob.error());
  a.blob_id = *blob;
  e.attachment = a;
  auto view = commit(session, c, c, {std::move(e)});
  if (!view) {
    (void)attachments_->delete_blob(c.id, *blob);  // never served: no event names it
    return fail(view.error());
  }
  for (auto it = view->events.rbegin(); it != view->events.rend(); ++it) {
    if (it->type == EventType::kAttachment && it->attachment && it->attachment->blob_id == *blob) {
      return *it;
    }
  }
  return fail(Error::internal());
}

Result<CaseEvent> Casework::attachment_event(const Session& session, std::string_view reference,
                                             std::int64_t seq) {
  auto view = view_case(session, reference);
  if (!view) return fail(view.error());
  // The view holds only the events the session may see (a company never a mechanism-only one).
  for (const CaseEvent& e : view->events) {
    if (e.seq == seq && e.type == EventType::kAttachment && e.attachment) {
      CaseEvent found = e;
      found.case_id = view->c.id;
      return found;
    }
  }
  return fail(Error::not_found("No such file in this case."));
}

Status Casework::read_attachment(const CaseEvent& event,
                                 const std::function<bool(std::string_view)>& sink) {
  if (attachments_ == nullptr) return fail(Error::unavailable("No evidence store."));
  if (!event.attachment) return fail(Error::not_found());
  return attachments_->read_blob(event.case_id, event.attachment->blob_id, sink);
}

}  // namespace grievance::domain
