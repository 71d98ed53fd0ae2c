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
// Returned letters are marked with their token (the link printed on the
// letter ends in it), singly or from a CSV with the columns token,disposition:
//
//   core::Result<DispositionMarks> m = ParseDispositionsCsv(text, "returned.csv");
//   if (m.ok() && m->problems.empty()) st = MarkDispositions(db, m->marks);
//
// Thread safety: the functions keep no state; the Store is thread-safe.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "report/letters.h"
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

// What letters say beyond the wave's context (report::LetterSpec).
struct LetterOptions {
  std::string sender;   // who signs; empty: the study's name
  std::string contact;  // a phone number or address for questions; may be empty
  int minutes = 0;      // how long answering takes; 0: EstimateMinutes of the questionnaire
};

// The printable letters (report::RenderLetters) of `invitations` for
// (wave, area), in their order, with the context of LoadInvitationContext.
// Errors as the two.
core::Result<report::Letters> RenderInvitationLetters(store::Store& db, store::Id wave_id, store::Id area_id,
                                                      const std::vector<Invitation>& invitations,
                                                      const LetterOptions& options);

// --- dispositions of returned letters (`tryghed invite mark`, the dashboard) ---

// The dispositions a returned letter can get, as a file writes them:
// "undeliverable", "not_eligible" (or "not eligible") and "refused", in any
// case; nullopt for anything else.
std::optional<store::Disposition> ParseDispositionName(std::string text);

// The values ParseDispositionName takes, for messages.
inline constexpr const char* kDispositionNames = "undeliverable, not_eligible or refused";

// One disposition to set: the token's SHA-256 and where the mark came from
// ("returned.csv:4", "--token"), for messages.
struct DispositionMark {
  std::string token_hash;
  store::Disposition disposition = store::Disposition::kUndeliverable;
  std::string where;
};

// A token as typed (spaces around it and capitals allowed) and a disposition
// name, from `where`. InvalidArgument naming `where` when the token is not
// an invitation token or the name is not one of kDispositionNames.
core::Result<DispositionMark> ParseDispositionMark(const std::string& token, const std::string& disposition,
                                                   const std::string& where);

// A CSV's marks, or its problems: every bad row as "SOURCE:LINE: column ..."
// (a malformed token, an unknown disposition, a token also on another line).
struct DispositionMarks {
  std::vector<DispositionMark> marks;
  std::vector<std::string> problems;
};

// Reads CSV text with the columns token and disposition (',' or ';'; other
// columns are ignored). InvalidInput when the CSV cannot be read, a column
// is missing or there are no rows; row problems are listed, not returned as
// an error, so a caller can show them all.
core::Result<DispositionMarks> ParseDispositionsCsv(std::string_view text, const std::string& source);

// Store::SetDispositions: all marks or none. A failure names the mark's
// `where` instead of the store's "row N" and ends "; nothing was marked".
core::Status MarkDispositions(store::Store& db, const std::vector<DispositionMark>& marks);

// "3 invitations: 1 refused, 1 undeliverable, 1 not eligible" (enum order).
std::string DispositionSummary(const std::vector<DispositionMark>& marks);

}  // namespace tryghed::exchange
