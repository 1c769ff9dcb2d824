// Helpers shared by the JSON API's handler files (server/http/api/*.cpp):
// unwrapping domain Results, query parameters, path ids, the Idempotency-Key header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "server/domain/result.hpp"
#include "server/http/app.hpp"
#include "server/http/router.hpp"

namespace grievance::http {

// Unwraps a domain Result inside a handler: on error, return the mapped error response.
#define GRV_TRY(var, expr)                                             \
  auto var##_result = (expr);                                          \
  if (!var##_result) return error_response(var##_result.error(), req); \
  auto& var = *var##_result

#define GRV_CHECK(expr)                                                                        \
  do {                                                                                         \
    if (auto grv_status = (expr); !grv_status) return error_response(grv_status.error(), req); \
  } while (0)

// A query parameter, decoded as browsers encode it; nullopt when absent.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

// kInvalidField naming the first query parameter of `target` that is not in `allowed` (a
// misspelt filter must not silently answer an unfiltered list).
domain::Status require_query_params(std::string_view target,
                                    std::initializer_list<std::string_view> allowed);

// A positive decimal id from a path segment ("17"); nullopt for anything else ("0", "-1",
// "1e3", "007" is accepted as 7, overflow refused). Handlers answer 404 on nullopt: an id
// that cannot exist names nothing.
std::optional<std::int64_t> parse_path_id(std::string_view segment);

// "Idempotency-Key: <16..128 of [A-Za-z0-9._:-]>" scoped by `scope` ("api:<key>"); empty when
// absent. kInvalidField "Idempotency-Key" when malformed.
domain::Result<std::string> idempotency_key(const Request& req, std::string_view scope);

// An empty body, or a JSON object without members ("{}"): for POSTs that take no input.
domain::Status require_empty_body(const Request& req, std::size_t limit);

}  // namespace grievance::http
