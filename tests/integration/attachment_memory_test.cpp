// A 20 MB evidence upload must not sit in memory twice (issue 10 item 2; docs/security.md
// "Attachments"): the real binary over real TLS takes a 20 MiB file and answers it back, and
// its peak resident memory (VmHWM, reset through /proc/PID/clear_refs just before) grows by
// less than twice the file.
#include <gtest/gtest.h>

#include <boost/beast/http/verb.hpp>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "integration/server_process.hpp"
#include "integration/test_env.hpp"
#include "integration/tls_client.hpp"

namespace grievance::testing {
namespace {

using bhttp::verb;
using nlohmann::json;

// A field of /proc/PID/status in KiB ("VmHWM", "VmRSS"); -1 when absent.
long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

TEST(AttachmentMemory, A20MbUploadAndDownloadStayBelowTwiceTheFileInPeakMemory) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine (256 MB by default) and pads every block:
  // resident memory measures ASan, not the server. The Release build of deploy/test.sh measures.
  GTEST_SKIP() << "peak memory is measured without AddressSanitizer";
#endif
  TempDir dir;
  const auto cert = make_test_certificate(dir.path());
  ServerProcess server(dir.path() / "data", cert, dir.path() / "server.log");
  auto call = [&](verb method, std::string_view target, std::string body, std::string_view type,
                  const std::string& token) {
    TlsClientOptions options;
    options.timeout = std::chrono::milliseconds(60000);
    TlsClient c(server.port(), options);
    EXPECT_FALSE(c.connect());
    const std::string auth = "Bearer " + token;
    if (type.empty() && token.empty()) return c.request(method, target);
    if (type.empty()) return c.request(method, target, std::move(body), {{"Authorization", auth}});
    if (token.empty()) return c.request(method, target, std::move(body), {{"Content-Type", type}});
    return c.request(method, target, std::move(body),
                     {{"Content-Type", type}, {"Authorization", auth}});
  };
  auto filed = call(verb::post, "/api/v1/complaints",
                    json{{"language", "en"},
                         {"categories", {"wages"}},
                         {"narrative", "The pay slips are attached."},
                         {"place", "A plantation near Dumai"},
                         {"country", "ID"},
                         {"anonymous", true}}
                        .dump(),
                    "application/json", "");
  ASSERT_EQ(filed.result_int(), 201u) << filed.body();
  auto f = json::parse(filed.body());
  auto signed_in =
      call(verb::post, "/api/v1/session",
           json{{"reference", f["reference"]}, {"access_code", f["access_code"]}}.dump(),
           "application/json", "");
  ASSERT_EQ(signed_in.result_int(), 201u) << signed_in.body();
  const std::string token = json::parse(signed_in.body())["token"];

  // A 20 MiB PDF (just under the default limit) of plain page content.
  std::string pdf = "%PDF-1.4\n";
  const std::size_t size = (20u << 20) - 1024;
  const std::string line = "0 0 m 100 100 l S BT (pay slip) Tj ET\n";
  while (pdf.size() + line.size() < size) pdf += line;
  pdf += "%%EOF\n";

  const long rss_before = status_kib(server.pid(), "VmRSS");
  {
    std::ofstream reset("/proc/" + std::to_string(server.pid()) + "/clear_refs");
    reset << "5";  // resets VmHWM to the current RSS
  }
  ASSERT_GT(rss_before, 0);
  const std::string target = "/api/v1/cases/" + f["reference"].get<std::string>() + "/attachments";
  auto added = call(verb::post, target + "?name=slips.pdf", pdf, "application/pdf", token);
  ASSERT_EQ(added.result_int(), 201u) << added.body();
  const long peak_upload = status_kib(server.pid(), "VmHWM");
  auto event = json::parse(added.body());
  // The test client reads at most 8 MB of a response body: the download is sent (and its
  // memory measured); tests/http/attachments_api_test.cpp checks a download's bytes.
  (void)call(verb::get, target + "/" + std::to_string(event["seq"].get<int>()), "", "", token);
  const long peak_download = status_kib(server.pid(), "VmHWM");
  const long file_kib = static_cast<long>(pdf.size() / 1024);
  std::cout << "attachment memory: file " << file_kib << " KiB, RSS before " << rss_before
            << " KiB, peak after upload +" << (peak_upload - rss_before) << " KiB, after download +"
            << (peak_download - rss_before) << " KiB" << std::endl;
  EXPECT_LT(peak_upload - rss_before, 2 * file_kib) << "the upload was held twice";
  EXPECT_LT(peak_download - rss_before, 2 * file_kib) << "the download was held twice";
}

}  // namespace
}  // namespace grievance::testing
