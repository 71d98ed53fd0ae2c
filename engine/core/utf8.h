#pragma once
// tryghed::core — checking that text is well-formed UTF-8, the only encoding
// the store, the exports and the reports accept (an import file in another
// encoding is converted first, exchange/import.h; a posted form with
// anything else is refused, web/internal/form.h).
//
// Example:
//
//   if (!core::IsValidUtf8(text)) return core::InvalidArgument("C1 is not UTF-8 text");
//
// Thread-safe; no state.
#include <string_view>

namespace tryghed::core {

// True when `s` is well-formed UTF-8 (RFC 3629): no stray continuation
// bytes, no truncated sequence, no overlong form, no surrogate (U+D800 to
// U+DFFF), nothing above U+10FFFF. The empty text is valid.
bool IsValidUtf8(std::string_view s);

}  // namespace tryghed::core
