// Evidence files (docs/domain.md "Evidence"): the bytes of an attachment, kept apart from the
// case event that names them (CaseEvent::attachment, covered by the hash chain). Implemented by
// storage/sqlite (sealed in 64 KiB AES-256-GCM chunks, docs/security.md "Attachments") and by
// the in-memory fake in tests/support.
//
// A blob is written before its event: when the event cannot be written the domain deletes the
// blob; a blob no event names is never served (a download starts from the event).
// Thread-safe: any thread may call any method.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "server/domain/result.hpp"

namespace grievance::domain {

class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;
  // Stores `bytes` for case `case_id` durably; returns the blob's id.
  virtual Result<std::int64_t> put_blob(std::int64_t case_id, std::string_view bytes) = 0;
  // Hands the blob's bytes to `sink` in order, one chunk at a time (sink returns false to
  // stop). kNotFound when the case has no such blob; kInternal (and nothing more handed
  // over) when a chunk was changed, moved, dropped or truncated.
  virtual Status read_blob(std::int64_t case_id, std::int64_t blob_id,
                           const std::function<bool(std::string_view)>& sink) = 0;
  // Removes a blob whose event could not be written.
  virtual Status delete_blob(std::int64_t case_id, std::int64_t blob_id) = 0;
};

}  // namespace grievance::domain
