// The compact binary form of the statistics' rows (storage/sqlite/varint.hpp): zig-zag varints
// read back as written, on the one-byte fast path and the long one, and a cut-off value is an
// error, not a number.
#include "storage/sqlite/varint.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace grievance::storage {
namespace {

TEST(VarintTest, EveryValueReadsBackAsWritten) {
  const std::vector<std::int64_t> values = {0,
                                            1,
                                            -1,
                                            2,
                                            -2,
                                            63,
                                            -64,
                                            64,
                                            -65,
                                            127,
                                            128,
                                            300,
                                            -300,
                                            1 << 20,
                                            -(1 << 20),
                                            std::numeric_limits<std::int64_t>::max(),
                                            std::numeric_limits<std::int64_t>::min()};
  VarintWriter w;
  for (std::int64_t v : values) w.put(v);
  const std::string bytes = w.take();
  VarintReader r(bytes);
  for (std::int64_t v : values) EXPECT_EQ(r.i64(), v);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(VarintTest, SmallValuesTakeOneByte) {
  for (std::int64_t v : {0, 1, -1, 63, -64}) {
    VarintWriter w;
    w.put(v);
    EXPECT_EQ(w.take().size(), 1u) << v;
  }
  VarintWriter w;
  w.put(std::int64_t{64});
  EXPECT_EQ(w.take().size(), 2u);
}

TEST(VarintTest, ACutOffValueIsAnError) {
  VarintWriter w;
  w.put(std::int64_t{1} << 40);
  std::string bytes = w.take();
  bytes.pop_back();
  VarintReader r(bytes);
  EXPECT_EQ(r.i64(), 0);
  EXPECT_FALSE(r.ok());
  VarintReader empty("");
  EXPECT_EQ(empty.i64(), 0);
  EXPECT_FALSE(empty.ok());
}

}  // namespace
}  // namespace grievance::storage
