// The interfaces the domain needs from the outside world, one header each in ports/:
//   ports/clock.hpp            Clock
//   ports/crypto.hpp           RandomSource, Crypto, FieldCipher, PasswordHasher (server/crypto)
//   ports/case_store.hpp       CaseStore: cases, parties, events            (storage/sqlite)
//   ports/directory_store.hpp  DirectoryStore: organisations, sites, links  (storage/sqlite)
//   ports/account_store.hpp    AccountStore: staff accounts and sessions    (storage/sqlite)
//   ports/guide_store.hpp      GuideStore: the operator's follow-up guides  (storage/sqlite)
// In-memory fakes of each live in tests/support. The domain never includes Beast, SQLite or
// OpenSSL (docs/architecture.md, "Layers"; checked by tests/layers/check_layers.sh).
#pragma once

#include "server/domain/ports/account_store.hpp"
#include "server/domain/ports/attachment_store.hpp"
#include "server/domain/ports/case_store.hpp"
#include "server/domain/ports/clock.hpp"
#include "server/domain/ports/crypto.hpp"
#include "server/domain/ports/directory_store.hpp"
#include "server/domain/ports/guide_store.hpp"
