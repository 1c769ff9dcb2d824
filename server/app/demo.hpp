// The demonstration data set of `grievance serve --demo` (SPEC section 4, issue 2 item 8):
// operating companies and workplaces of the three supply chains the programme works in, so the
// complaint form has real-looking sites to pick. All names are fictional.
#pragma once

#include "server/domain/ports.hpp"
#include "server/domain/result.hpp"

namespace grievance::app {

// Loads the data set when the database holds no case and no site; returns whether it did.
// Errors: those of the store (kUnavailable).
domain::Result<bool> load_demo_data(domain::CaseStore& store);

}  // namespace grievance::app
