#pragma once
// tryghed::exchange — making invitation tokens for a wave × area: the one
// place the CLI (`tryghed invite`) and the dashboard make them.
//
// A token is core::NewToken() (26 characters, 130 bits); its link is
// BASE/s/TOKEN. Only the SHA-256 of each token is stored (Store::AddInvitations),
// so the caller holds the tokens exactly once and must hand them over
// (a CSV for an SMS service, printed letters) or lose them. Callers that
// write the tokens to a file first and store the hashes second (so that
// tokens are never stored without reaching the user) use NewInvitations,
// then StoreInvitations; callers that hand the tokens over right away use
// MakeInvitations.
//
// Example:
//
//   core::Result<std::vector<Invitation>> inv =
//       MakeInvitations(db, wave_id, area_id, 800, "https://tryg.example.dk");
//   if (!inv.ok()) return inv.status();
//   std::string csv = InvitationsCsv(*inv);   // "token,link\n0123...,https://tryg.example.dk/s/0123...\n..."
//
// Thread safety: the functions keep no state; the Store is thread-safe.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::exchange {

// Most invitations made at once.
inline constexpr int kMaxInvitations = 100000;

struct Invitation {
  std::string token;  // the secret: shown once, never stored
  std::string link;   // BASE/s/TOKEN
};

// `base_url` without trailing slashes when it is an http:// or https:// URL
// with a host and no spaces, quotes or angle brackets; InvalidArgument otherwise.
core::Result<std::string> NormaliseBaseUrl(std::string_view base_url);

// `count` (1..kMaxInvitations) fresh tokens and their links; nothing is
// stored. InvalidArgument for a bad count or base URL; Unavailable when the
// system's random source fails.
core::Result<std::vector<Invitation>> NewInvitations(int count, std::string_view base_url);

// Stores the SHA-256 of every token for (wave, area) in one transaction
// (Store::AddInvitations: all or nothing).
core::Status StoreInvitations(store::Store& db, store::Id wave_id, store::Id area_id,
                              const std::vector<Invitation>& invitations);

// NewInvitations, then StoreInvitations: the tokens are returned only when
// their hashes are stored.
core::Result<std::vector<Invitation>> MakeInvitations(store::Store& db, store::Id wave_id, store::Id area_id,
                                                      int count, std::string_view base_url);

// "token,link\n" and one line per invitation (tokens and links need no quoting).
std::string InvitationsCsv(const std::vector<Invitation>& invitations);

// What an invitation letter says about its wave and area (the renderer,
// report/letters.h, takes these as its LetterSpec).
struct InvitationContext {
  std::string study;                         // the study's name
  std::string area;                          // the area's name
  std::string last_date;                     // the wave's end (YYYY-MM-DD) or empty
  std::vector<std::string> languages;        // the questionnaire's languages; {"da"} without one
  std::map<std::string, std::string> titles;  // the questionnaire's title per language
  int minutes = 10;                          // EstimateMinutes of its items
};

// Minutes a resident needs for `items` questions, as a letter states it:
// 4 questions a minute, rounded up to whole 5 minutes, at least 5
// (30 items: 10 minutes). Documented in docs/report.md, "Letters".
int EstimateMinutes(int items);

// The context of (wave, area) from the store and the wave's questionnaire.
// NotFound when the wave or area does not exist or the area is not of the
// wave's study; a wave without a questionnaire gives Danish only and 10 minutes.
core::Result<InvitationContext> LoadInvitationContext(store::Store& db, store::Id wave_id, store::Id area_id);

}  // namespace tryghed::exchange
