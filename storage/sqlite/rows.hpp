// Small helpers the SQLite stores share for reading rows and shaping results
// (storage-internal).
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "server/domain/result.hpp"
#include "storage/sqlite/connection.hpp"

namespace grievance::storage {

inline domain::Error corrupt() {
  return domain::Error::internal("A stored record could not be read.");
}

// ASCII lower case, as SQLite's lower() folds it.
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// Steps `q` once and reads the row with `read`: the value, or nullopt when there is none.
template <class F, class T = typename std::invoke_result_t<F, const Query&>::value_type>
domain::Result<std::optional<T>> read_one(Query& q, F&& read) {
  auto row = q.step();
  if (!row) return domain::fail(row.error());
  if (!*row) return std::optional<T>();
  auto v = read(static_cast<const Query&>(q));
  if (!v) return domain::fail(v.error());
  return std::optional<T>(std::move(*v));
}

// Every row of `q`, each read with `read`.
template <class F, class T = typename std::invoke_result_t<F, const Query&>::value_type>
domain::Result<std::vector<T>> read_all(Query& q, F&& read) {
  std::vector<T> out;
  for (;;) {
    auto row = q.step();
    if (!row) return domain::fail(row.error());
    if (!*row) break;
    auto v = read(static_cast<const Query&>(q));
    if (!v) return domain::fail(v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

// An UPDATE by id that must have matched a row, else kNotFound.
inline domain::Result<std::int64_t> changed_one(const Connection& db, const domain::Status& ran,
                                                std::string_view not_found) {
  if (!ran) return domain::fail(ran.error());
  if (db.changes() == 0) return domain::fail(domain::Error::not_found(std::string(not_found)));
  return 0;
}

inline domain::Status to_status(const domain::Result<std::int64_t>& r) {
  if (!r) return domain::fail(r.error());
  return {};
}

}  // namespace grievance::storage
