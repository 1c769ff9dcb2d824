#include "server/domain/webhook_admin.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

#include "server/domain/access_policy.hpp"
#include "server/domain/directory.hpp"
#include "server/domain/notifications.hpp"

namespace grievance::domain {
namespace {

Error bad_url(std::string message) { return Error::invalid_field("url", std::move(message)); }

bool is_private_host(std::string_view host) {
  if (host == "localhost" || host.ends_with(".localhost") || host.starts_with('[')) {
    return true;  // IPv6 literals: loopback, link-local and unique-local alike (docs/security.md)
  }
  const auto starts = [&](std::string_view p) { return host.starts_with(p); };
  if (starts("127.") || starts("10.") || starts("192.168.") || starts("169.254.") || starts("0.") ||
      host == "0") {
    return true;
  }
  if (starts("172.")) {
    const auto rest = host.substr(4);
    const int second = std::atoi(std::string(rest.substr(0, rest.find('.'))).c_str());
    return second >= 16 && second <= 31;
  }
  return false;
}

}  // namespace

Status check_webhook_url(std::string_view url, bool allow_private) {
  if (url.size() > 2000) return fail(bad_url("The address is too long."));
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return fail(bad_url("The address may not contain spaces or control characters."));
    }
  }
  if (!url.starts_with("https://")) return fail(bad_url("Only https:// addresses are allowed."));
  const std::string_view rest = url.substr(8);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (url.find('#') != std::string_view::npos) return fail(bad_url("No fragment, please."));
  if (authority.find('@') != std::string_view::npos) {
    return fail(bad_url("The address may not contain a user name or password."));
  }
  std::string_view host = authority;
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return fail(bad_url("The host is not valid."));
    if (close + 1 < host.size() && host[close + 1] != ':') {
      return fail(bad_url("The host is not valid."));
    }
    host = host.substr(0, close + 1);
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    const auto port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::ranges::all_of(port, [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      return fail(bad_url("The port is not valid."));
    }
    host = host.substr(0, colon);
  }
  if (host.empty()) return fail(bad_url("The host is missing."));
  std::string lower(host);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!allow_private && is_private_host(lower)) {
    return fail(bad_url("Loopback and private network addresses are not allowed."));
  }
  return {};
}

Status WebhookAdmin::check_org(const Session& s, std::int64_t org_id) {
  if (!may_administer(s.role)) return fail(Error::forbidden("Only an administrator may do this."));
  if (org_id == kOperatorOrgId) return {};
  auto dir = directory_.directory();
  if (!dir) return fail(dir.error());
  if ((*dir)->organisation(org_id) == nullptr)
    return fail(Error::not_found("No such organisation."));
  return {};
}

Result<WebhookAdmin::Created> WebhookAdmin::add(const Session& s, std::int64_t org_id,
                                                std::string_view url) {
  if (auto ok = check_org(s, org_id); !ok) return fail(ok.error());
  if (auto ok = check_webhook_url(url, allow_private_); !ok) return fail(ok.error());
  std::array<std::uint8_t, 32> bytes{};
  random_.fill(bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string secret;
  for (auto b : bytes) {
    secret += kHex[b >> 4];
    secret += kHex[b & 15];
  }
  auto made = outbox_.add_webhook(org_id, url, secret, clock_.now());
  if (!made) return fail(made.error());
  return Created{std::move(*made), std::move(secret)};
}

Result<std::vector<Webhook>> WebhookAdmin::list(const Session& s, std::int64_t org_id) {
  if (auto ok = check_org(s, org_id); !ok) return fail(ok.error());
  return outbox_.list_webhooks(org_id);
}

Status WebhookAdmin::remove(const Session& s, std::int64_t org_id, std::int64_t webhook_id) {
  if (auto ok = check_org(s, org_id); !ok) return ok;
  return outbox_.delete_webhook(org_id, webhook_id);
}

Result<std::vector<WebhookDelivery>> WebhookAdmin::deliveries(const Session& s,
                                                              std::optional<DeliveryState> state) {
  if (!may_administer(s.role)) return fail(Error::forbidden("Only an administrator may do this."));
  return outbox_.list_deliveries(state, 200);
}

Status WebhookAdmin::retry(const Session& s, std::int64_t delivery_id) {
  if (!may_administer(s.role)) return fail(Error::forbidden("Only an administrator may do this."));
  return outbox_.retry_delivery(delivery_id, clock_.now());
}

}  // namespace grievance::domain
