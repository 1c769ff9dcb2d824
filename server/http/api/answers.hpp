// The API's answers, written by the streaming JsonWriter (no document tree per response).
// Each writes exactly what a domain view holds: what a viewer may see was decided when the
// domain built the view (server/domain/case_view.hpp), so nothing here filters.
#pragma once

#include <string>
#include <string_view>

#include "server/domain/case_view.hpp"
#include "server/domain/filing_service.hpp"
#include "server/domain/receipts.hpp"
#include "server/domain/result.hpp"
#include "server/http/app.hpp"
#include "server/http/json_writer.hpp"

namespace grievance::http::api {

// "read", "message", "act" ("none" never leaves the server: such a case answers 404).
std::string_view access_name(domain::CaseAccess a);

// GET /api/v1/cases/{reference}.
void write_case(JsonWriter& w, const domain::CaseView& v);
// One event of a case.
void write_event(JsonWriter& w, const domain::CaseEvent& e);
// GET /api/v1/cases: one page, never with narrative or contact.
void write_case_page(JsonWriter& w, const domain::CasePage& page);
// The members of a filing's answer (reference, status, ack_due, receipt, and the access code
// unless the filing was a replay: the code is never stored), without braces, so a batch row can
// add its own members.
void write_filed_members(JsonWriter& w, const domain::FiledComplaint& filed);
void write_receipt(JsonWriter& w, const domain::Receipt& r);
// An error object {"code","message","field"?}; in a CSV batch the field is named by its column.
void write_error(JsonWriter& w, const domain::Error& e, bool csv_columns = false);

void write_organisation(JsonWriter& w, const domain::Organisation& o);
void write_site(JsonWriter& w, const domain::Site& s);
void write_supply_link(JsonWriter& w, const domain::SupplyLink& l);
// Never the password hash or the TOTP secret: only whether one is enrolled.
void write_user(JsonWriter& w, const domain::User& u);

// A JSON response whose body `write` produces. The body is built in a buffer reused by the
// thread (its capacity survives from one answer to the next), then copied once into the
// response; a body too large to keep is moved into it instead.
template <class Write>
Response answer(bhttp::status status, const Request& req, Write&& write);

// Implementation detail of answer(): the calling thread's buffer, cleared.
std::string& answer_buffer();
Response json_answer(bhttp::status status, std::string& body, const Request& req);

template <class Write>
Response answer(bhttp::status status, const Request& req, Write&& write) {
  std::string& buffer = answer_buffer();
  {
    JsonWriter w(buffer);  // the buffer holds the answer once the writer is gone
    write(w);
  }
  return json_answer(status, buffer, req);
}

}  // namespace grievance::http::api
