#include "server/domain/directory_service.hpp"

#include <algorithm>
#include <cctype>

#include "server/domain/access_policy.hpp"
#include "server/domain/validation.hpp"

namespace grievance::domain {
namespace {

constexpr std::size_t kNameMaxChars = 200;

Status require_admin(const Session& s) {
  if (!may_administer(s.role)) return fail(Error::forbidden("Only an administrator may do this."));
  return {};
}

Status check_name(std::string_view field, const std::optional<std::string>& v, bool required) {
  if (!v) {
    if (required) return fail(Error::invalid_field(std::string(field), "Required."));
    return {};
  }
  return check_text(field, *v, kNameMaxChars, true);
}

Status check_country(const std::optional<std::string>& v, bool required) {
  if (!v) {
    if (required) return fail(Error::invalid_field("country", "Required."));
    return {};
  }
  if (!is_country_code(*v)) {
    return fail(Error::invalid_field("country", "Must be an ISO 3166-1 code such as ID."));
  }
  return {};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// An organisation that exists, is enabled and of `kind`; kInvalidField naming `field`.
Result<Organisation> enabled_org(DirectoryStore& store, std::int64_t id, OrgKind kind,
                                 std::string_view field) {
  auto directory = store.directory();
  if (!directory) return fail(directory.error());
  const Organisation* org = (*directory)->organisation(id);
  if (org == nullptr || org->disabled || org->kind != kind) {
    return fail(Error::invalid_field(
        std::string(field),
        "Must be an enabled " + std::string(to_string(kind)) + " organisation."));
  }
  return *org;
}

Status check_password(std::string_view password) {
  if (!is_valid_utf8(password)) {
    return fail(Error::invalid_field("password", "Must be valid UTF-8 text."));
  }
  const auto chars = utf8_length(password);
  if (chars < static_cast<std::size_t>(kMinPasswordChars) || chars > 1024) {
    return fail(Error::invalid_field(
        "password", "Must be at least " + std::to_string(kMinPasswordChars) + " characters."));
  }
  return {};
}

// Role and organisation fit together: union users belong to a union, company users to a
// company, auditors to an auditor organisation; admins to none.
Status check_role_org(DirectoryStore& store, Role role, std::optional<std::int64_t> org_id) {
  std::optional<OrgKind> kind;
  switch (role) {
    case Role::kUnion:
      kind = OrgKind::kUnion;
      break;
    case Role::kCompany:
      kind = OrgKind::kCompany;
      break;
    case Role::kAuditor:
      kind = OrgKind::kAuditor;
      break;
    case Role::kAdmin:
      if (org_id)
        return fail(Error::invalid_field("org_id", "An administrator has no organisation."));
      return {};
    default:
      return fail(Error::invalid_field("role", "Must be admin, union, company or auditor."));
  }
  if (!org_id) return fail(Error::invalid_field("org_id", "Required for this role."));
  auto org = enabled_org(store, *org_id, *kind, "org_id");
  if (!org) return fail(org.error());
  return {};
}

Result<Role> parse_staff_role(const std::optional<std::string>& v) {
  auto role = v ? parse_role(*v) : std::nullopt;
  if (!role || *role == Role::kComplainant || *role == Role::kSystem) {
    return fail(Error::invalid_field("role", "Must be admin, union, company or auditor."));
  }
  return *role;
}

Status check_email(const std::string& email) {
  if (email.size() > 254 || !is_valid_utf8(email) || !has_only_text_characters(email) ||
      !plausible_email(email)) {
    return fail(Error::invalid_field("email", "Must be an e-mail address."));
  }
  return {};
}

}  // namespace

User redacted(User u) {
  u.password_hash.clear();
  const bool enrolled = !u.totp_secret.empty();
  u.totp_secret = enrolled ? "enrolled" : "";  // callers only learn whether one exists
  return u;
}

Result<User> new_user(DirectoryStore& directory, AccountStore& accounts,
                      const PasswordHasher& hasher, const UserDraft& d, TimePoint now) {
  if (!d.email) return fail(Error::invalid_field("email", "Required."));
  User u;
  u.email = lower(*d.email);
  if (auto s = check_email(u.email); !s) return fail(s.error());
  auto role = parse_staff_role(d.role);
  if (!role) return fail(role.error());
  u.role = *role;
  if (d.org_id) u.org_id = *d.org_id;
  if (auto s = check_role_org(directory, u.role, u.org_id); !s) return fail(s.error());
  if (!d.password) return fail(Error::invalid_field("password", "Required."));
  if (auto s = check_password(*d.password); !s) return fail(s.error());
  u.disabled = d.disabled.value_or(false);
  u.created_at = now;
  // Fail fast on a duplicate before spending a scrypt hash on it.
  auto existing = accounts.find_user_by_email(u.email);
  if (!existing) return fail(existing.error());
  if (existing->has_value()) return fail(Error::conflict("A user with this e-mail exists."));
  u.password_hash = hasher.hash(*d.password);
  auto id = accounts.create_user(u);
  if (!id) return fail(id.error());
  u.id = *id;
  return u;
}

DirectoryService::DirectoryService(DirectoryStore& directory, AccountStore& accounts,
                                   const PasswordHasher& hasher, const Clock& clock)
    : directory_(directory), accounts_(accounts), hasher_(hasher), clock_(clock) {}

Result<std::shared_ptr<const Directory>> DirectoryService::snapshot(const Session& s) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  return directory_.directory();
}

// ---- organisations ----

Result<std::vector<Organisation>> DirectoryService::list_organisations(const Session& s) {
  auto directory = snapshot(s);
  if (!directory) return fail(directory.error());
  return (*directory)->organisations();
}

Result<Organisation> DirectoryService::get_organisation(const Session& s, std::int64_t id) {
  auto directory = snapshot(s);
  if (!directory) return fail(directory.error());
  const Organisation* org = (*directory)->organisation(id);
  if (org == nullptr) return fail(Error::not_found("No such organisation."));
  return *org;
}

Result<Organisation> DirectoryService::create_organisation(const Session& s,
                                                           const OrganisationDraft& d) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  Organisation o;
  auto kind = d.kind ? parse_org_kind(*d.kind) : std::nullopt;
  if (!kind) return fail(Error::invalid_field("kind", "Must be company, union or auditor."));
  o.kind = *kind;
  if (auto c = check_name("name", d.name, true); !c) return fail(c.error());
  if (auto c = check_country(d.country, true); !c) return fail(c.error());
  o.name = *d.name;
  o.country = *d.country;
  o.disabled = d.disabled.value_or(false);
  auto id = directory_.create_organisation(o);
  if (!id) return fail(id.error());
  o.id = *id;
  return o;
}

Result<Organisation> DirectoryService::update_organisation(const Session& s, std::int64_t id,
                                                           const OrganisationDraft& d) {
  auto o = get_organisation(s, id);
  if (!o) return fail(o.error());
  if (d.kind && parse_org_kind(*d.kind) != o->kind) {
    // Users, sites and links depend on the kind: changing it would break them silently.
    return fail(Error::invalid_field("kind", "The kind of an organisation cannot change."));
  }
  if (auto c = check_name("name", d.name, false); !c) return fail(c.error());
  if (auto c = check_country(d.country, false); !c) return fail(c.error());
  if (d.name) o->name = *d.name;
  if (d.country) o->country = *d.country;
  const bool disabling = d.disabled && *d.disabled && !o->disabled;
  if (d.disabled) o->disabled = *d.disabled;
  if (auto u = directory_.update_organisation(*o); !u) return fail(u.error());
  if (disabling) {
    // Its staff can no longer sign in; sign out those who are.
    auto users = accounts_.list_users();
    if (!users) return fail(users.error());
    for (const auto& user : *users) {
      if (user.org_id == o->id) {
        if (auto st = accounts_.delete_user_sessions(user.id); !st) return fail(st.error());
      }
    }
  }
  return o;
}

// ---- sites ----

Result<std::vector<Site>> DirectoryService::list_sites(const Session& s) {
  auto directory = snapshot(s);
  if (!directory) return fail(directory.error());
  return (*directory)->sites();
}

Result<Site> DirectoryService::get_site(const Session& s, std::int64_t id) {
  auto directory = snapshot(s);
  if (!directory) return fail(directory.error());
  const Site* site = (*directory)->site(id);
  if (site == nullptr) return fail(Error::not_found("No such site."));
  return *site;
}

namespace {
Status apply_site(DirectoryStore& store, Site& site, const SiteDraft& d, bool create) {
  if (auto c = check_name("name", d.name, create); !c) return fail(c.error());
  if (auto c = check_country(d.country, create); !c) return fail(c.error());
  if (d.region) {
    if (auto c = check_text("region", *d.region, kNameMaxChars, false); !c) return fail(c.error());
  }
  if (d.sector || create) {
    auto sector = d.sector ? parse_sector(*d.sector) : std::nullopt;
    if (!sector) {
      return fail(Error::invalid_field("sector", "Must be palm_oil, cocoa, textile or other."));
    }
    site.sector = *sector;
  }
  if (d.operator_org_id) {
    if (*d.operator_org_id == 0) {
      site.operator_org_id.reset();
    } else {
      auto org = enabled_org(store, *d.operator_org_id, OrgKind::kCompany, "operator_org_id");
      if (!org) return fail(org.error());
      site.operator_org_id = *d.operator_org_id;
    }
  }
  if (d.name) site.name = *d.name;
  if (d.country) site.country = *d.country;
  if (d.region) site.region = *d.region;
  if (d.disabled) site.disabled = *d.disabled;
  return {};
}
}  // namespace

Result<Site> DirectoryService::create_site(const Session& s, const SiteDraft& d) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  Site site;
  if (auto st = apply_site(directory_, site, d, true); !st) return fail(st.error());
  auto id = directory_.create_site(site);
  if (!id) return fail(id.error());
  site.id = *id;
  return site;
}

Result<Site> DirectoryService::update_site(const Session& s, std::int64_t id, const SiteDraft& d) {
  auto site = get_site(s, id);
  if (!site) return fail(site.error());
  if (auto st = apply_site(directory_, *site, d, false); !st) return fail(st.error());
  if (auto u = directory_.update_site(*site); !u) return fail(u.error());
  return site;
}

// ---- supply links ----

Result<std::vector<SupplyLink>> DirectoryService::list_supply_links(const Session& s) {
  auto directory = snapshot(s);
  if (!directory) return fail(directory.error());
  return (*directory)->supply_links();
}

Result<SupplyLink> DirectoryService::get_supply_link(const Session& s, std::int64_t id) {
  auto directory = snapshot(s);
  if (!directory) return fail(directory.error());
  const SupplyLink* link = (*directory)->supply_link(id);
  if (link == nullptr) return fail(Error::not_found("No such supply link."));
  return *link;
}

Result<SupplyLink> DirectoryService::create_supply_link(const Session& s,
                                                        const SupplyLinkDraft& d) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  if (!d.supplier_org_id) return fail(Error::invalid_field("supplier_org_id", "Required."));
  if (!d.buyer_org_id) return fail(Error::invalid_field("buyer_org_id", "Required."));
  if (*d.supplier_org_id == *d.buyer_org_id) {
    return fail(Error::invalid_field("buyer_org_id", "A company cannot supply itself."));
  }
  if (auto o = enabled_org(directory_, *d.supplier_org_id, OrgKind::kCompany, "supplier_org_id");
      !o) {
    return fail(o.error());
  }
  if (auto o = enabled_org(directory_, *d.buyer_org_id, OrgKind::kCompany, "buyer_org_id"); !o) {
    return fail(o.error());
  }
  SupplyLink link;
  link.supplier_org_id = *d.supplier_org_id;
  link.buyer_org_id = *d.buyer_org_id;
  if (d.sector && !d.sector->empty()) {
    auto sector = parse_sector(*d.sector);
    if (!sector) {
      return fail(Error::invalid_field("sector", "Must be palm_oil, cocoa, textile or other."));
    }
    link.sector = *sector;
  }
  link.disabled = d.disabled.value_or(false);
  auto id = directory_.create_supply_link(link);
  if (!id) return fail(id.error());
  link.id = *id;
  return link;
}

Result<SupplyLink> DirectoryService::update_supply_link(const Session& s, std::int64_t id,
                                                        const SupplyLinkDraft& d) {
  auto link = get_supply_link(s, id);
  if (!link) return fail(link.error());
  if ((d.supplier_org_id && *d.supplier_org_id != link->supplier_org_id) ||
      (d.buyer_org_id && *d.buyer_org_id != link->buyer_org_id)) {
    return fail(Error::invalid_field(d.supplier_org_id ? "supplier_org_id" : "buyer_org_id",
                                     "The ends of a link cannot change; create another link."));
  }
  if (d.sector) {
    auto wanted = d.sector->empty() ? std::nullopt : parse_sector(*d.sector);
    if (wanted != link->sector) {
      return fail(Error::invalid_field("sector", "The sector of a link cannot change."));
    }
  }
  if (d.disabled) link->disabled = *d.disabled;
  if (auto u = directory_.update_supply_link(*link); !u) return fail(u.error());
  return link;
}

// ---- users ----

Result<std::vector<User>> DirectoryService::list_users(const Session& s) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  auto users = accounts_.list_users();
  if (!users) return fail(users.error());
  for (auto& u : *users) u = redacted(std::move(u));
  return users;
}

Result<User> DirectoryService::get_user(const Session& s, std::int64_t id) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  auto u = accounts_.find_user(id);
  if (!u) return fail(u.error());
  if (!u->has_value()) return fail(Error::not_found("No such user."));
  return redacted(**u);
}

Result<User> DirectoryService::create_user(const Session& s, const UserDraft& d) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  auto u = new_user(directory_, accounts_, hasher_, d, clock_.now());
  if (!u) return fail(u.error());
  return redacted(*u);
}

Result<User> DirectoryService::update_user(const Session& s, std::int64_t id, const UserDraft& d) {
  if (auto a = require_admin(s); !a) return fail(a.error());
  auto found = accounts_.find_user(id);
  if (!found) return fail(found.error());
  if (!found->has_value()) return fail(Error::not_found("No such user."));
  User u = **found;
  if (d.email) {
    u.email = lower(*d.email);
    if (auto c = check_email(u.email); !c) return fail(c.error());
  }
  if (d.role) {
    auto role = parse_staff_role(d.role);
    if (!role) return fail(role.error());
    u.role = *role;
  }
  if (d.org_id) u.org_id = *d.org_id == 0 ? std::nullopt : std::optional(*d.org_id);
  if (d.role || d.org_id) {
    if (auto c = check_role_org(directory_, u.role, u.org_id); !c) return fail(c.error());
  }
  bool sign_out = false;
  if (d.disabled) {
    if (*d.disabled && s.user_id && *s.user_id == id) {
      return fail(Error::invalid_field("disabled", "You cannot disable your own account."));
    }
    sign_out = *d.disabled && !u.disabled;
    u.disabled = *d.disabled;
  }
  if (d.password) {
    if (auto c = check_password(*d.password); !c) return fail(c.error());
    u.password_hash = hasher_.hash(*d.password);
    sign_out = true;
  }
  // Sessions carry the role and organisation: a change must not leave old rights behind.
  if (u.role != (**found).role || u.org_id != (**found).org_id) sign_out = true;
  if (auto st = accounts_.update_user(u); !st) return fail(st.error());
  if (sign_out) {
    if (auto st = accounts_.delete_user_sessions(id); !st) return fail(st.error());
  }
  return redacted(u);
}

}  // namespace grievance::domain
