// Factories of the three SQLite stores over one Database (storage-internal; stores.cpp wires
// them). Each returned store keeps a reference to `db`, which must outlive it.
#pragma once

#include <memory>

#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/attachment_store.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/ports/guide_store.hpp"
#include "server/domain/ports/mail_store.hpp"
#include "server/domain/ports/outbox_store.hpp"
#include "storage/sqlite/database.hpp"

namespace grievance::storage {

std::unique_ptr<domain::CaseStore> make_case_store(Database& db, std::size_t cache_bytes);
// The SQL functions the case store's queries call (case_store.cpp), defined on each read-only
// connection when the database opens: open_place(place_sealed, reference) for the case list's
// search. Errors: kUnavailable.
domain::Status define_case_functions(Connection& reader, const domain::FieldCipher& cipher);
std::unique_ptr<domain::DirectoryStore> make_directory_store(Database& db);  // directory_store.cpp
std::unique_ptr<domain::AccountStore> make_account_store(Database& db);      // account_store.cpp
std::unique_ptr<domain::GuideStore> make_guide_store(Database& db);          // guide_store.cpp
std::unique_ptr<domain::AttachmentStore> make_attachment_store(
    Database& db);                                                     // attachment_store.cpp
std::unique_ptr<domain::OutboxStore> make_outbox_store(Database& db);  // outbox_store.cpp
std::unique_ptr<domain::MailStore> make_mail_store(Database& db);      // mail_store.cpp

}  // namespace grievance::storage
