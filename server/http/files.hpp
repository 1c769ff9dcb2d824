// Reading the web/ files (templates, catalogues, static assets, openapi.json) at start-up.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace grievance::http {

// The whole file, bytes unchanged; nullopt when it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace grievance::http
