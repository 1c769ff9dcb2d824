// The admin's management of the mechanism's directory (docs/domain.md "Who uses it"):
// organisations, staff accounts, sites and supply links. Every method checks that the session
// is an admin's (kForbidden otherwise - these are not cases, so their existence is not secret
// from an authenticated caller's role, but nothing is returned) and validates every field
// (kInvalidField naming it). "Delete" is disabling: history (cases, events, links) keeps
// pointing at the record. Thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"

namespace grievance::domain {

// Fields of a create or update; for an update, unset fields keep their value.
struct OrganisationDraft {
  std::optional<std::string> kind;  // company | union | auditor (create only)
  std::optional<std::string> name;  // 1..200 characters
  std::optional<std::string> country;
  std::optional<bool> disabled;
};
struct SiteDraft {
  std::optional<std::string> name;  // 1..200 characters
  std::optional<std::string> country;
  std::optional<std::string> region;  // 0..200 characters
  std::optional<std::string> sector;
  std::optional<std::int64_t> operator_org_id;  // an enabled company; 0 clears it
  std::optional<bool> disabled;
};
struct SupplyLinkDraft {
  std::optional<std::int64_t> supplier_org_id;  // create only; a company
  std::optional<std::int64_t> buyer_org_id;     // create only; another company
  std::optional<std::string> sector;            // create only; empty or absent: every sector
  std::optional<bool> disabled;
};
struct UserDraft {
  std::optional<std::string> email;     // a plausible address, <= 254 characters
  std::optional<std::string> role;      // admin | union | company | auditor
  std::optional<std::int64_t> org_id;   // required for union/company/auditor, of that kind
  std::optional<std::string> password;  // >= 12 and <= 1024 characters
  std::optional<bool> disabled;
};

// Minimum staff password length (issue 3: "at least 12 characters", NIST SP 800-63B).
inline constexpr int kMinPasswordChars = 12;

// Validates a new staff account against its organisation and hashes the password; used by the
// admin API and by `grievance admin create-user`. Errors: kInvalidField, kConflict (e-mail).
Result<User> new_user(DirectoryStore& directory, AccountStore& accounts,
                      const PasswordHasher& hasher, const UserDraft& d, TimePoint now);

class DirectoryService {
 public:
  DirectoryService(DirectoryStore& directory, AccountStore& accounts, const PasswordHasher& hasher,
                   const Clock& clock);

  // The whole directory (for the admin pages, which name organisations in every table).
  Result<std::shared_ptr<const Directory>> snapshot(const Session& s);

  Result<std::vector<Organisation>> list_organisations(const Session& s);
  Result<Organisation> get_organisation(const Session& s, std::int64_t id);  // kNotFound
  Result<Organisation> create_organisation(const Session& s, const OrganisationDraft& d);
  Result<Organisation> update_organisation(const Session& s, std::int64_t id,
                                           const OrganisationDraft& d);

  Result<std::vector<Site>> list_sites(const Session& s);
  Result<Site> get_site(const Session& s, std::int64_t id);
  Result<Site> create_site(const Session& s, const SiteDraft& d);
  Result<Site> update_site(const Session& s, std::int64_t id, const SiteDraft& d);

  Result<std::vector<SupplyLink>> list_supply_links(const Session& s);
  Result<SupplyLink> get_supply_link(const Session& s, std::int64_t id);
  // kInvalidField for a self-link or a non-company end; kConflict for a duplicate. A link
  // that closes a cycle is allowed (routing terminates on cycles).
  Result<SupplyLink> create_supply_link(const Session& s, const SupplyLinkDraft& d);
  Result<SupplyLink> update_supply_link(const Session& s, std::int64_t id,
                                        const SupplyLinkDraft& d);

  // Users never come back with their password hash or TOTP secret filled in.
  Result<std::vector<User>> list_users(const Session& s);
  Result<User> get_user(const Session& s, std::int64_t id);
  Result<User> create_user(const Session& s, const UserDraft& d);
  // Disabling or a new password signs the user out everywhere. An admin cannot disable
  // themself (kInvalidField "disabled"): the mechanism must keep an administrator.
  Result<User> update_user(const Session& s, std::int64_t id, const UserDraft& d);

 private:
  DirectoryStore& directory_;
  AccountStore& accounts_;
  const PasswordHasher& hasher_;
  const Clock& clock_;
};

// A user as it may leave the service: without password hash and TOTP secret.
User redacted(User u);

}  // namespace grievance::domain
