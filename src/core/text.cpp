#include "core/text.hpp"

#include <cctype>
#include <cstdint>

namespace ratusha {

namespace {

std::uint32_t lower(std::uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;  // Latin-1
  if (c >= 0x100 && c <= 0x17F) {                            // Latin Extended-A
    if (c == 0x130) return 'i';
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))  // odd capitals here
      return (c % 2 == 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    return (c % 2 == 0) ? c + 1 : c;
  }
  if (c >= 0x410 && c <= 0x42F) return c + 32;  // Cyrillic А-Я
  if (c >= 0x400 && c <= 0x40F) return c + 80;  // Ѐ-Џ
  return c;
}

void append(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Base letters of U+00E0..U+00FF and U+0100..U+017F; '?' keeps the letter (æ, œ, ĳ, ...).
constexpr std::string_view kLatin1Base = "aaaaaa?ceeeeiiiidnooooo?ouuuuy?y";
constexpr std::string_view kLatinExtABase =
    "aaaaaaccccccccdd"
    "ddeeeeeeeeeegggg"
    "gggghhhhiiiiiiii"
    "ii??jjkkklllllll"
    "lllnnnnnnnnnoooo"
    "oo??rrrrrrssssss"
    "ssttttttuuuuuuuu"
    "uuuuwwyyyzzzzzzs";

std::uint32_t strip_accent(std::uint32_t c) {
  if (c >= 0xE0 && c <= 0xFF && kLatin1Base[c - 0xE0] != '?')
    return static_cast<unsigned char>(kLatin1Base[c - 0xE0]);
  if (c >= 0x100 && c <= 0x17F && kLatinExtABase[c - 0x100] != '?')
    return static_cast<unsigned char>(kLatinExtABase[c - 0x100]);
  if (c == 0x45D) return 0x438;                // ѝ -> и
  if (c == 0x450 || c == 0x451) return 0x435;  // ѐ, ё -> е
  return c;
}

bool is_word_char(std::uint32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0;
  // Letters of the scripts we fold; other scripts' letters are kept as they are.
  // Punctuation and symbols: Latin-1's, general punctuation to dingbats and arrows, CJK
  // punctuation, private use, variation selectors, emoji.
  return !(c >= 0x80 && c <= 0xBF) && c != 0xD7 && c != 0xF7 && !(c >= 0x2000 && c <= 0x2BFF) &&
         !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xE000 && c <= 0xF8FF) &&
         !(c >= 0xFE00 && c <= 0xFE0F) && c < 0x1F000;
}

template <class F>
void for_each_code_point(std::string_view s, F f) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
    if (i + n > s.size()) n = s.size() - i;
    std::uint32_t c = n == 1 ? b : b & (0xFF >> (n + 1));
    bool ok = n > 1 || b < 0x80;
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      ok = ok && (cc & 0xC0) == 0x80;
      c = (c << 6) | (cc & 0x3F);
    }
    f(ok, c, s.substr(i, n));
    i += n;
  }
}

}  // namespace

std::string fold_for_search(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = true;  // no leading space
  for_each_code_point(s, [&](bool ok, std::uint32_t c, std::string_view) {
    if (!ok || !is_word_char(c)) {
      if (!space) out += ' ';
      space = true;
      return;
    }
    append(out, strip_accent(lower(c)));
    space = false;
  });
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string fold_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for_each_code_point(s, [&](bool ok, std::uint32_t c, std::string_view bytes) {
    if (ok)
      append(out, lower(c));
    else
      out.append(bytes);  // not UTF-8: keep the bytes as they are
  });
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::vector<std::string> search_words(std::string_view query) {
  std::vector<std::string> words;
  std::string folded = fold_for_search(query.substr(0, 1000));
  std::size_t i = 0;
  while (i < folded.size() && words.size() < 8) {
    auto sp = folded.find(' ', i);
    if (sp == std::string::npos) sp = folded.size();
    auto w = folded.substr(i, std::min<std::size_t>(sp - i, 64));
    if (!w.empty()) words.push_back(std::move(w));
    i = sp + 1;
  }
  return words;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace ratusha
