#include "store/internal/answers_json.h"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <system_error>
#include <type_traits>
#include <variant>

#include "core/json_string.h"

namespace tryghed::store::internal {

namespace {

// The kinds in the order of core::AnswerValue's alternatives.
constexpr std::string_view kKinds[] = {"code", "codes", "number", "text"};
static_assert(std::is_same_v<std::variant_alternative_t<0, core::AnswerValue>, core::Code> &&
              std::is_same_v<std::variant_alternative_t<1, core::AnswerValue>, core::Codes> &&
              std::is_same_v<std::variant_alternative_t<2, core::AnswerValue>, double> &&
              std::is_same_v<std::variant_alternative_t<3, core::AnswerValue>, std::string>);

void AppendInt(std::string& out, std::int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void AppendValue(std::string& out, const core::AnswerValue& value) {
  if (const auto* code = std::get_if<core::Code>(&value)) {
    AppendInt(out, *code);
  } else if (const auto* codes = std::get_if<core::Codes>(&value)) {
    out += '[';
    for (std::size_t i = 0; i < codes->size(); ++i) {
      if (i > 0) out += ',';
      AppendInt(out, (*codes)[i]);
    }
    out += ']';
  } else if (const auto* number = std::get_if<double>(&value)) {
    char buf[32];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, *number).ptr);
  } else {
    core::AppendJsonString(out, std::get<std::string>(value));
  }
}

// A recursive-descent reader of exactly the shape PackAnswers writes.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  core::Result<core::Answers> Read() {
    core::Answers out;
    if (!Consume('{')) return Error("expected '{'");
    if (!Consume('}')) {
      do {
        std::string kind;
        if (!String(kind)) return Error("expected the name of an answer kind");
        std::size_t k = 0;
        while (k < std::size(kKinds) && kKinds[k] != kind) ++k;
        if (k == std::size(kKinds)) return Error("unknown answer kind '" + kind + "'");
        if (!Consume(':') || !Consume('{')) return Error("expected ':' and '{' after '" + kind + "'");
        if (Consume('}')) continue;
        do {
          std::string item;
          if (!String(item) || !Consume(':')) return Error("expected an item id and ':'");
          core::AnswerValue value;
          if (!Value(k, value)) return Error("item '" + item + "' has no valid " + kind + " value");
          if (!out.emplace(std::move(item), std::move(value)).second) return Error("an item appears twice");
        } while (Consume(','));
        if (!Consume('}')) return Error("expected ',' or '}'");
      } while (Consume(','));
      if (!Consume('}')) return Error("expected ',' or '}'");
    }
    SkipSpace();
    if (pos_ != s_.size()) return Error("unexpected text after the object");
    return out;
  }

 private:
  core::Status Error(const std::string& what) const {
    return core::InvalidInput("stored answers are not valid: " + what + " at byte " + std::to_string(pos_));
  }

  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Hex4(std::uint32_t& v) {
    if (pos_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  static void AppendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool String(std::string& out) {
    if (!Consume('"')) return false;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) return false;
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!Hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (pos_ + 2 > s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u') return false;
            pos_ += 2;
            if (!Hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  // The extent of a JSON number at pos_ (sign, digits, fraction, exponent).
  std::string_view NumberText() {
    SkipSpace();
    const std::size_t start = pos_;
    while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  bool Int(core::Code& v) {
    const std::string_view t = NumberText();
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return !t.empty() && ec == std::errc() && end == t.data() + t.size();
  }

  bool Value(std::size_t kind, core::AnswerValue& value) {
    switch (kind) {
      case 0: {
        core::Code code = 0;
        if (!Int(code)) return false;
        value = code;
        return true;
      }
      case 1: {
        core::Codes codes;
        if (!Consume('[')) return false;
        if (!Consume(']')) {
          do {
            core::Code code = 0;
            if (!Int(code)) return false;
            codes.push_back(code);
          } while (Consume(','));
          if (!Consume(']')) return false;
        }
        value = std::move(codes);
        return true;
      }
      case 2: {
        const std::string_view t = NumberText();
        double d = 0;
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
        if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return false;
        value = d;
        return true;
      }
      default: {
        std::string text;
        if (!String(text)) return false;
        value = std::move(text);
        return true;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string PackAnswers(const core::Answers& answers) {
  std::string out;
  out.reserve(16 + answers.size() * 12);
  out += '{';
  bool first_kind = true;
  for (std::size_t k = 0; k < std::size(kKinds); ++k) {
    bool first = true;
    for (const auto& [item, value] : answers) {
      if (value.index() != k) continue;
      if (first) {
        if (!first_kind) out += ',';
        first_kind = false;
        core::AppendJsonString(out, kKinds[k]);
        out += ":{";
        first = false;
      } else {
        out += ',';
      }
      core::AppendJsonString(out, item);
      out += ':';
      AppendValue(out, value);
    }
    if (!first) out += '}';
  }
  out += '}';
  return out;
}

core::Result<core::Answers> UnpackAnswers(std::string_view json) { return Reader(json).Read(); }

}  // namespace tryghed::store::internal
