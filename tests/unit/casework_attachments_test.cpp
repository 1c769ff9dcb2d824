// Evidence (docs/domain.md "Evidence"): who may add a file, the limits, what is refused, that
// the event records type, size and SHA-256 of the cleaned bytes, and that a download starts
// from an event the reader may see.
#include <fstream>
#include <iterator>

#include "support/casework_fixture.hpp"

namespace grievance::domain {
namespace {

class CaseworkAttachmentsTest : public testing::CaseworkFixture {
 protected:
  static std::string photo() {
    std::ifstream in(std::string(GRIEVANCE_SOURCE_DIR) + "/tests/fixtures/gps_photo.jpg",
                     std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  Result<CaseEvent> attach(const Session& s, const std::string& ref, std::string bytes,
                           Visibility v = Visibility::kParties) {
    return service_->casework.add_attachment(s, ref, "IMG_2041.JPG", bytes, v);
  }
  std::string download(const Session& s, const std::string& ref, std::int64_t seq) {
    auto e = service_->casework.attachment_event(s, ref, seq);
    if (!e) return "<" + e.error().message + ">";
    std::string out;
    auto ok = service_->casework.read_attachment(*e, [&](std::string_view piece) {
      out += piece;
      return true;
    });
    return ok ? out : "<unreadable>";
  }
};

TEST_F(CaseworkAttachmentsTest, TheComplainantAttachesAPhotoTheEventRecordsTheCleanedFile) {
  Session worker;
  const auto ref = file(&worker);
  auto e = attach(worker, ref, photo());
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->type, EventType::kAttachment);
  EXPECT_EQ(e->body, "IMG_2041.jpg");
  ASSERT_TRUE(e->attachment);
  EXPECT_EQ(e->attachment->media_type, "image/jpeg");
  EXPECT_TRUE(e->attachment->metadata_removed);
  const std::string stored = download(worker, ref, e->seq);
  EXPECT_EQ(static_cast<std::int64_t>(stored.size()), e->attachment->size);
  EXPECT_EQ(e->attachment->sha256, crypto_.sha256_hex(stored));
  EXPECT_EQ(stored.find("GPS"), std::string::npos);
  EXPECT_EQ(stored.find("Exif"), std::string::npos);
  // The responsible company reads it; a company the case was never routed to does not know it.
  EXPECT_EQ(download(staff("plantation@example.org"), ref, e->seq), stored);
  EXPECT_EQ(download(staff("admin@example.org"), ref, e->seq), stored);
  user("other@example.org", "company", other_);
  auto foreign = service_->casework.attachment_event(staff("other@example.org"), ref, e->seq);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

TEST_F(CaseworkAttachmentsTest, TheCompanyAndTheUnionAttachToo) {
  const auto ref = file(nullptr);
  EXPECT_TRUE(attach(staff("plantation@example.org"), ref, photo()));
  EXPECT_TRUE(attach(staff("admin@example.org"), ref, photo()));
}

TEST_F(CaseworkAttachmentsTest, AMechanismOnlyFileIsNeverShownToACompany) {
  Session worker;
  const auto ref = file(&worker);
  auto e = attach(worker, ref, photo(), Visibility::kMechanism);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_FALSE(service_->casework.attachment_event(staff("plantation@example.org"), ref, e->seq));
  EXPECT_TRUE(service_->casework.attachment_event(staff("admin@example.org"), ref, e->seq));
  // A company may not choose the mechanism-only visibility.
  auto company = attach(staff("plantation@example.org"), ref, photo(), Visibility::kMechanism);
  ASSERT_FALSE(company);
  EXPECT_EQ(company.error().code, ErrorCode::kInvalidField);
}

TEST_F(CaseworkAttachmentsTest, ExecutablesPolyglotsAndUnknownTypesAreRefusedAndNothingIsStored) {
  Session worker;
  const auto ref = file(&worker);
  const std::size_t before = store_.attachments().blob_count();
  auto exe = attach(worker, ref, std::string("MZ\x90\0\x03\0\0\0", 8) + "This program...");
  ASSERT_FALSE(exe);
  EXPECT_EQ(exe.error().code, ErrorCode::kUnsupportedMediaType);
  auto polyglot = attach(worker, ref, photo() + std::string("PK\x05\x06", 4) + std::string(18, 0));
  ASSERT_FALSE(polyglot);
  EXPECT_EQ(polyglot.error().code, ErrorCode::kUnsupportedMediaType);
  auto text = attach(worker, ref, "just some text");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(store_.attachments().blob_count(), before);
  auto view = service_->casework.view_case(worker, ref);
  for (const auto& ev : view->events) EXPECT_NE(ev.type, EventType::kAttachment);
}

class CaseworkAttachmentLimitsTest : public CaseworkAttachmentsTest {
 protected:
  void SetUp() override {
    config_.attachment_max_bytes = 4096;
    config_.attachments_per_case = 2;
    CaseworkAttachmentsTest::SetUp();
  }
};

TEST_F(CaseworkAttachmentLimitsTest, SizeAndCountLimitsHold) {
  Session worker;
  const auto ref = file(&worker);
  auto big = attach(worker, ref, photo() + std::string(5000, '\0'));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_TRUE(attach(worker, ref, photo()));
  EXPECT_TRUE(attach(worker, ref, photo()));
  auto third = attach(worker, ref, photo());
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, ErrorCode::kConflict);
}

TEST_F(CaseworkAttachmentsTest, OnlyThePartiesMayAttach) {
  const auto ref = file(nullptr);
  user("other@example.org", "company", other_);
  auto foreign = attach(staff("other@example.org"), ref, photo());
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace grievance::domain
