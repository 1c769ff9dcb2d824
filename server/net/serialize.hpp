// A response as bytes on the wire, written by net itself instead of Beast's serializer: the
// serializer walks a six-part buffer sequence (buffers_cat_view over the start line, each
// field and the body) and needs flat_stream to coalesce it into one TLS record, which cost
// about 4% of a keep-alive GET /healthz in perf. The bytes are the same as Beast's: the start
// line, the fields in insertion order, a blank line, then the body (never chunked: every
// response went through prepare_payload(), which sets Content-Length).
#pragma once

#include <cstddef>
#include <string>

#include "server/http/app.hpp"

namespace grievance::net {

// Appends "HTTP/1.1 200 OK\r\n" + "Name: value\r\n" per field + "\r\n" to `out`.
void append_response_head(const http::Response& res, std::string& out);

// Bodies up to this size are copied behind the head so that a response leaves in one TLS
// record and one send; larger ones follow in a second buffer.
inline constexpr std::size_t kCoalesceLimit = 16 * 1024;

}  // namespace grievance::net
