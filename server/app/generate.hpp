// `grievance generate` (docs/operations.md "Generating a large database"): fills an empty
// database with a realistic directory and N cases, each with its whole history, through the
// stores' ordinary API (DirectoryStore, CaseStore::create_cases and update_case), so the server
// serves it as it serves real data and `grievance verify` checks its hash chains. For
// benchmarks (issue 11: the statistics over a million cases) and load tests.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "server/app/cli.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/result.hpp"
#include "server/domain/types.hpp"

namespace grievance::app {

extern const CommandSpec kGenerateSpec;
// Exit codes: 0 done; 1 the store failed; 2 bad options or a database that is not empty.
int run_generate(const Args& args);

struct GenerateOptions {
  std::int64_t cases = 1'000'000;
  std::uint64_t seed = 1;
  int years = 3;          // cases are filed over this many years before `now`
  domain::TimePoint now;  // the generated histories stop here
  int batch = 2000;       // cases per create_cases transaction
};

struct GenerateSummary {
  std::array<std::int64_t, 11> by_status{};  // in all_case_statuses() order
  std::int64_t events = 0;
  std::int64_t sites = 0;
  std::int64_t organisations = 0;
};

// Fills `cases` and `directory`, which must be empty (nothing is checked here: run_generate
// refuses a database that is not). `progress` is told the number of cases stored after each
// batch. Deterministic: the same options give the same cases, events and directory (the
// access codes' HMACs and the sealed bytes depend on the server keys too). Also usable by a
// benchmark that wants a database of its own. Errors: those of the stores.
domain::Result<GenerateSummary> generate_database(
    domain::CaseStore& cases, domain::DirectoryStore& directory, const domain::Crypto& crypto,
    const GenerateOptions& options, const std::function<void(std::int64_t stored)>& progress = {});

}  // namespace grievance::app
