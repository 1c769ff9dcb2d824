// What the integration tests own (STYLE point 10): a temporary directory and a throwaway
// ECDSA P-256 certificate made at test time with the openssl CLI (never a committed key).
#pragma once

#include <filesystem>
#include <string>

namespace grievance::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct TestCertificate {
  std::string cert_file;
  std::string key_file;
};

// Writes <dir>/<name>.pem and <dir>/<name>.key (SAN localhost, 127.0.0.1). Throws
// std::runtime_error when openssl fails.
TestCertificate make_test_certificate(const std::filesystem::path& dir,
                                      const std::string& name = "server");

// Writes `text` to `path` (overwriting). Throws std::runtime_error on failure.
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace grievance::testing
