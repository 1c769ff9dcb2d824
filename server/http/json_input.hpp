// Reading request JSON against a declared shape: the body must be an object, every member
// must be declared (unknown fields are refused, docs/architecture.md "Errors and input"), and each
// member must have its declared JSON type. Value rules (ranges, enums, lengths) belong to the
// domain.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"
#include "server/http/app.hpp"

namespace grievance::http {

// 415 unless the Content-Type is application/json (parameters such as charset allowed).
domain::Status require_json_content_type(const Request& req);
// Parses the body. Errors: kPayloadTooLarge over `limit`; kInvalidField with the field name
// for invalid UTF-8 inside a string (best effort: the member whose value holds the first bad
// byte); kInvalidRequest for anything that is not JSON.
domain::Result<nlohmann::json> parse_json_body(const Request& req, std::size_t limit);

// Checks `j` is an object with only `allowed` members. `prefix` names nested objects in
// errors ("contact." -> "contact.phone").
domain::Status require_object(const nlohmann::json& j,
                              std::initializer_list<std::string_view> allowed,
                              std::string_view prefix = {}, std::string_view name = "body");

// A JSON object body with only `allowed` members: the Content-Type (415), the parse (400/413)
// and the members (400) checked in that order.
domain::Result<nlohmann::json> json_object_body(const Request& req, std::size_t limit,
                                                std::initializer_list<std::string_view> allowed);

// Typed optional members: nullopt when absent (or JSON null); kInvalidField on a wrong type.
domain::Result<std::optional<std::string>> get_string(const nlohmann::json& obj,
                                                      std::string_view key,
                                                      std::string_view prefix = {});
domain::Result<std::optional<bool>> get_bool(const nlohmann::json& obj, std::string_view key,
                                             std::string_view prefix = {});
domain::Result<std::optional<std::int64_t>> get_int(const nlohmann::json& obj, std::string_view key,
                                                    std::string_view prefix = {});
domain::Result<std::optional<std::vector<std::string>>> get_string_array(
    const nlohmann::json& obj, std::string_view key, std::string_view prefix = {});

// Serialises for a response; invalid UTF-8 (never expected) is replaced, not thrown.
std::string dump(const nlohmann::json& j);

}  // namespace grievance::http
