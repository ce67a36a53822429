#include "mail/mime.hpp"

#include <algorithm>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace ratusha::mail {

namespace {

constexpr std::size_t kFold = 78;  // RFC 5322: header lines SHOULD stay within 78 characters

bool is_ascii_printable(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// RFC 5322 atext: what a display name may hold without quotes.
bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// A MIME token (RFC 2045) of letters, digits and -.+_ only, for types and parameters.
bool is_simple_token(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.' || c == '+' || c == '_'))
      return false;
  return true;
}

std::string valid_content_type(std::string_view t) {
  auto slash = t.find('/');
  if (slash == std::string_view::npos || !is_simple_token(t.substr(0, slash)) ||
      !is_simple_token(t.substr(slash + 1)))
    return "application/octet-stream";
  std::string out(t);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Cuts at most `max` bytes of UTF-8 starting at `pos`, never inside a character.
std::size_t utf8_cut(std::string_view s, std::size_t pos, std::size_t max) {
  if (pos + max >= s.size()) return s.size() - pos;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[pos + n]) & 0xC0) == 0x80) --n;
  if (n == 0) {  // one character longer than `max` (cannot happen with max >= 4)
    n = 1;
    while (pos + n < s.size() && (static_cast<unsigned char>(s[pos + n]) & 0xC0) == 0x80) ++n;
  }
  return n;
}

std::string percent_encode_2231(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// ;name="file.pdf" (plain) or the UTF-8 forms that mail programs understand.
std::string filename_params(const std::string& type_line, std::string_view filename) {
  bool plain = is_ascii_printable(filename) && filename.size() <= 60 &&
               filename.find_first_of("\"\\") == std::string_view::npos &&
               filename.find("=?") == std::string_view::npos;
  std::string out;
  if (plain) {
    out = type_line + ";\r\n name=\"" + std::string(filename) + "\"\r\n";
    out += "Content-Disposition: attachment;\r\n filename=\"" + std::string(filename) + "\"\r\n";
  } else {
    // name= with encoded words (Outlook, Gmail), filename*= per RFC 2231 (everyone else).
    out = type_line + ";\r\n name=\"" + encode_words(filename, 7) + "\"\r\n";
    out += "Content-Disposition: attachment;\r\n filename*=UTF-8''" +
           percent_encode_2231(filename) + "\r\n";
  }
  return out;
}

struct Part {
  std::string headers;  // each line ends in CRLF
  std::string body;     // encoded
};

// A text part's body in whichever of quoted-printable and base64 is shorter.
Part text_part(const std::string& content_type, std::string_view text) {
  std::string canonical = crlf(text);
  std::string qp = quoted_printable(canonical);
  std::string b64 = base64_lines(canonical);
  Part p;
  p.headers = "Content-Type: " + content_type + "\r\n";
  if (qp.size() <= b64.size()) {
    p.headers += "Content-Transfer-Encoding: quoted-printable\r\n";
    p.body = std::move(qp);
  } else {
    p.headers += "Content-Transfer-Encoding: base64\r\n";
    p.body = std::move(b64);
  }
  return p;
}

Part attachment_part(std::string_view content_type, std::string_view filename,
                     std::string_view content) {
  Part p;
  p.headers = filename_params("Content-Type: " + std::string(content_type), filename);
  p.headers += "Content-Transfer-Encoding: base64\r\n";
  p.body = base64_lines(content);
  return p;
}

std::string boundary_for(std::string_view seed, std::string_view level,
                         const std::vector<Part>& parts) {
  std::string b = "=_rt" + std::string(seed.substr(0, 40)) + "_" + std::string(level);
  // "=_" never occurs in base64 or quoted-printable, but never rely on one argument alone.
  for (;;) {
    bool clash = false;
    for (const auto& p : parts)
      if (p.body.find(b) != std::string::npos || p.headers.find(b) != std::string::npos)
        clash = true;
    if (!clash) return b;
    b += "x";
  }
}

Part multipart(std::string_view subtype, std::string_view seed, std::string_view level,
               const std::vector<Part>& parts) {
  auto boundary = boundary_for(seed, level, parts);
  Part out;
  out.headers =
      "Content-Type: multipart/" + std::string(subtype) + ";\r\n boundary=\"" + boundary + "\"\r\n";
  for (const auto& p : parts)
    out.body += "--" + boundary + "\r\n" + p.headers + "\r\n" + p.body + "\r\n";
  out.body += "--" + boundary + "--";
  return out;
}

}  // namespace

bool valid_address(std::string_view a) {
  if (a.size() < 3 || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at != a.rfind('@') || at > 64) return false;
  auto local = a.substr(0, at), domain = a.substr(at + 1);
  for (char c : a) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.front() == '-' ||
      domain.find("..") != std::string_view::npos)
    return false;
  for (char c : domain)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.'))
      return false;
  return true;
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
  std::string s = trim(text);
  Mailbox m;
  auto lt = s.rfind('<');
  if (lt != std::string::npos) {
    if (s.back() != '>') return std::nullopt;
    m.address = trim(std::string_view(s).substr(lt + 1, s.size() - lt - 2));
    m.name = trim(std::string_view(s).substr(0, lt));
    if (m.name.size() >= 2 && m.name.front() == '"' && m.name.back() == '"') {
      std::string unq;
      for (std::size_t i = 1; i + 1 < m.name.size(); ++i) {
        if (m.name[i] == '\\' && i + 2 < m.name.size()) ++i;
        unq += m.name[i];
      }
      m.name = unq;
    }
    m.name = header_text(m.name);
  } else {
    m.address = s;
  }
  if (!valid_address(m.address)) return std::nullopt;
  return m;
}

std::string header_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    char ch = (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;  // one space at a time
    out += ch;
  }
  return trim(out);
}

std::string encode_words(std::string_view text, std::size_t used) {
  // Each encoded word: "=?UTF-8?B?" + base64 + "?=" (12 characters around the data), at most
  // 75 characters, and each line at most 76 (one space of folding in front of later words).
  std::string out;
  std::size_t pos = 0, line = used;
  bool first = true;
  while (first || pos < text.size()) {
    if (!first) {
      out += "\r\n ";
      line = 1;
    }
    std::size_t room = line < 76 ? 76 - line : 0;
    room = std::clamp<std::size_t>(room, 28, 75);
    std::size_t bytes = (room - 12) / 4 * 3;
    std::size_t n = utf8_cut(text, pos, bytes);
    std::string word = "=?UTF-8?B?" + base64(text.substr(pos, n)) + "?=";
    out += word;
    line += word.size();
    pos += n;
    first = false;
  }
  return out;
}

std::string encode_unstructured(std::string_view raw, std::size_t used) {
  std::string text = header_text(raw);
  bool plain = is_ascii_printable(text) && text.find("=?") == std::string::npos;
  // Plain words longer than a line cannot be folded: encoded words can.
  if (plain) {
    std::size_t word = 0;
    for (char c : text) {
      word = c == ' ' ? 0 : word + 1;
      if (word > kFold - 2) plain = false;
    }
  }
  if (!plain) return encode_words(text, used);
  // Fold before a space whenever the next word would pass 78 characters.
  std::string out;
  std::size_t line = used, i = 0;
  while (i < text.size()) {
    auto next = text.find(' ', i + 1);
    if (next == std::string::npos) next = text.size();
    std::string_view piece(text.data() + i, next - i);  // " word" (or the first word)
    if (line + piece.size() > kFold && line > 1 && piece.front() == ' ') {
      out += "\r\n";
      line = 0;
    }
    out += piece;
    line += piece.size();
    i = next;
  }
  return out;
}

std::string encode_mailbox(const Mailbox& m, std::size_t used) {
  std::string name = header_text(m.name);
  if (name.empty()) return m.address;
  std::string phrase;
  if (is_ascii_printable(name) && name.find("=?") == std::string::npos && name.size() <= 60) {
    bool atoms = true;
    for (char c : name)
      if (c != ' ' && !is_atext(c)) atoms = false;
    if (atoms) {
      phrase = name;
    } else {
      phrase = "\"";
      for (char c : name) {
        if (c == '"' || c == '\\') phrase += '\\';
        phrase += c;
      }
      phrase += "\"";
    }
  } else {
    phrase = encode_words(name, used);
  }
  auto last_nl = phrase.rfind('\n');
  std::size_t line = last_nl == std::string::npos ? used + phrase.size() : phrase.size() - last_nl;
  std::string addr = "<" + m.address + ">";
  if (line + 1 + addr.size() > kFold) return phrase + "\r\n " + addr;
  return phrase + " " + addr;
}

std::string rfc5322_date(std::int64_t unix_seconds) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
                tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string make_message_id(std::int64_t outbox_id, std::string_view token,
                            std::string_view from_address) {
  auto at = from_address.rfind('@');
  std::string domain =
      at == std::string_view::npos ? "ratusha.invalid" : std::string(from_address.substr(at + 1));
  return "<" + std::to_string(outbox_id) + "." + std::string(token) + "@" + domain + ">";
}

std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 2);
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find("\r\n", start);
    bool last = end == std::string_view::npos;
    std::string_view line = text.substr(start, (last ? text.size() : end) - start);
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool literal =
          (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && i + 1 < line.size());
      std::string tok = literal ? std::string(1, static_cast<char>(c))
                                : std::string{'=', hex[c >> 4], hex[c & 15]};
      // Leave room for the '=' of a soft line break (76 characters in all).
      if (col + tok.size() > 75) {
        out += "=\r\n";
        col = 0;
      }
      // What a mail server or an mbox file could take for its own: "." or "From " first.
      if (col == 0 && (c == '.' || (c == 'F' && line.substr(i, 5) == "From ")))
        tok = std::string{'=', hex[c >> 4], hex[c & 15]};
      out += tok;
      col += tok.size();
    }
    if (last) break;
    out += "\r\n";
    start = end + 2;
  }
  return out;
}

std::string base64(std::string_view in) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16 |
                 static_cast<unsigned char>(in[i + 1]) << 8 | static_cast<unsigned char>(in[i + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += i + 1 < in.size() ? tbl[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string base64_lines(std::string_view bytes) {
  std::string flat = base64(bytes), out;
  out.reserve(flat.size() + flat.size() / 38 + 2);
  for (std::size_t i = 0; i < flat.size(); i += 76) {
    if (i) out += "\r\n";
    out.append(flat, i, 76);
  }
  return out;
}

std::string calendar_method_of(std::string_view ical) {
  std::size_t pos = 0;
  while (pos < ical.size()) {
    auto end = ical.find('\n', pos);
    if (end == std::string_view::npos) end = ical.size();
    std::string_view line = ical.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 7 && to_upper(line.substr(0, 7)) == "METHOD:")
      return to_upper(trim(line.substr(7)));
    if (to_upper(line) == "BEGIN:VEVENT") break;  // METHOD belongs to the VCALENDAR header
    pos = end + 1;
  }
  return {};
}

std::string build_message(const Message& m, const Mailbox& from, std::string_view message_id,
                          std::int64_t date, std::string_view boundary_seed) {
  if (!valid_address(m.to)) throw std::invalid_argument("not a valid recipient address");
  if (!valid_address(from.address)) throw std::invalid_argument("not a valid sender address");
  std::string seed;
  for (char c : boundary_seed)
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) seed += c;
  if (seed.empty()) seed = "0";

  Part body = text_part("text/plain; charset=UTF-8", m.text);
  std::vector<Part> attachments;
  if (m.calendar) {
    std::string method = to_upper(trim(m.calendar_method));
    std::string own = calendar_method_of(*m.calendar);
    if (method.empty()) method = own.empty() ? "REQUEST" : own;
    if (!is_simple_token(method)) throw std::invalid_argument("not a valid calendar method");
    if (!own.empty() && own != method)
      throw std::invalid_argument("calendar_method " + method + " contradicts METHOD:" + own);
    std::string ical = crlf(*m.calendar);
    Part cal = text_part("text/calendar; charset=UTF-8; method=" + method, ical);
    body = multipart("alternative", seed, "alt", {body, cal});
    attachments.push_back(attachment_part("application/ics", "invite.ics", ical));
  }
  for (const auto& a : m.attachments) {
    std::string name = header_text(a.filename);
    if (name.empty()) name = "attachment";
    if (name.size() > 200) name = name.substr(0, utf8_cut(name, 0, 200));
    attachments.push_back(attachment_part(valid_content_type(a.content_type), name, a.content));
  }
  if (!attachments.empty()) {
    attachments.insert(attachments.begin(), body);
    body = multipart("mixed", seed, "mix", attachments);
  }

  std::string out;
  out += "From: " + encode_mailbox(from, 6) + "\r\n";
  out += "To: " + encode_mailbox({m.to_name, m.to}, 4) + "\r\n";
  out += "Subject: " + encode_unstructured(m.subject, 9) + "\r\n";
  out += "Date: " + rfc5322_date(date) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += body.headers;
  out += "\r\n";
  out += body.body;
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

}  // namespace ratusha::mail
