#include "server/domain/receipts.hpp"

#include <algorithm>

#include "server/domain/codes.hpp"

namespace grievance::domain {
namespace {

// Length-prefixed so that no two different complaints serialise to the same bytes.
void put(std::string& out, std::string_view key, std::string_view value) {
  out.append(key);
  out.push_back(':');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}

}  // namespace

std::string receipt_message(const Receipt& r) {
  return "grievance-receipt-v1\n" + r.reference + "\n" + format_time(r.filed_at) + "\n" +
         r.content_sha256 + "\n";
}

std::string canonical_content(const Complaint& c) {
  std::string out = "complaint-v1\n";
  put(out, "language", to_string(c.language));
  std::string categories;
  for (auto cat : c.categories) {
    if (!categories.empty()) categories.push_back(',');
    categories.append(to_string(cat));
  }
  put(out, "categories", categories);
  put(out, "narrative", c.narrative);
  put(out, "site_id", c.site_id ? std::to_string(*c.site_id) : "");
  put(out, "place", c.place);
  put(out, "country", c.country);
  put(out, "incident_date", c.incident_date ? format_date(*c.incident_date) : "");
  put(out, "anonymous", c.anonymous ? "true" : "false");
  put(out, "contact.name", c.contact ? c.contact->name : "");
  put(out, "contact.phone", c.contact ? c.contact->phone : "");
  put(out, "contact.email", c.contact ? c.contact->email : "");
  if (c.mandate) {
    put(out, "mandate.follow", c.mandate->follow ? "true" : "false");
    put(out, "mandate.share_identity_with_company",
        c.mandate->share_identity_with_company ? "true" : "false");
    put(out, "mandate.collective", c.mandate->collective ? "true" : "false");
    put(out, "mandate.headcount", std::to_string(c.mandate->headcount));
  }
  put(out, "channel", to_string(c.channel));
  return out;
}

Receipt sign_receipt(const Crypto& crypto, const Case& c) {
  Receipt receipt{c.reference, c.created_at, c.content_sha256, crypto.signing_key_id(), {}};
  receipt.signature = crypto.sign(receipt_message(receipt));
  return receipt;
}

bool verify_receipt(const Crypto& crypto, const Receipt& r) {
  if (!normalise_reference(r.reference) || r.content_sha256.size() != 64) return false;
  if (!std::all_of(r.content_sha256.begin(), r.content_sha256.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return false;
  }
  return crypto.verify(receipt_message(r), r.signature);
}

}  // namespace grievance::domain
