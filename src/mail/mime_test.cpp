#include "mail/mime.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <vector>

#include "core/json.hpp"

using namespace ratusha::mail;

namespace {

// ---- small decoders, written independently of the encoders under test ----

std::string b64decode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) continue;  // CR, LF, '='
    buf = buf << 6 | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

std::string qpdecode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=') {
      if (in.substr(i + 1, 2) == "\r\n") {
        i += 2;
        continue;
      }
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// Unfolds a header value and decodes its encoded words (adjacent words join without space).
std::string decode_header(std::string_view value) {
  std::string unfolded;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.substr(i, 2) == "\r\n") {
      ++i;
      continue;
    }
    unfolded += value[i];
  }
  std::string out;
  std::size_t pos = 0;
  bool last_was_word = false;
  while (pos < unfolded.size()) {
    auto start = unfolded.find("=?", pos);
    if (start == std::string::npos) {
      out += unfolded.substr(pos);
      break;
    }
    std::string between = unfolded.substr(pos, start - pos);
    if (!(last_was_word && between.find_first_not_of(' ') == std::string::npos)) out += between;
    auto q1 = unfolded.find('?', start + 2);
    auto q2 = unfolded.find('?', q1 + 1);
    auto end = unfolded.find("?=", q2 + 1);
    EXPECT_EQ(unfolded.substr(start + 2, q1 - start - 2), "UTF-8");
    EXPECT_EQ(unfolded.substr(q1 + 1, 1), "B");
    EXPECT_LE(end + 2 - start, 75u) << "an encoded word is at most 75 characters";
    std::string bytes = b64decode(unfolded.substr(q2 + 1, end - q2 - 1));
    EXPECT_TRUE(ratusha::valid_utf8(bytes)) << "a word never splits a character";
    out += bytes;
    pos = end + 2;
    last_was_word = true;
  }
  return out;
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find("\r\n", pos);
    if (end == std::string_view::npos) {
      out.emplace_back(text.substr(pos));
      break;
    }
    out.emplace_back(text.substr(pos, end - pos));
    pos = end + 2;
  }
  return out;
}

void expect_wire_safe(const std::string& msg) {
  for (std::size_t i = 0; i < msg.size(); ++i) {
    auto c = static_cast<unsigned char>(msg[i]);
    ASSERT_LT(c, 0x80) << "7-bit only, at " << i;
    if (c == '\n') ASSERT_TRUE(i > 0 && msg[i - 1] == '\r') << "bare LF at " << i;
    if (c == '\r') ASSERT_TRUE(i + 1 < msg.size() && msg[i + 1] == '\n') << "bare CR at " << i;
  }
  for (const auto& l : lines_of(msg)) ASSERT_LE(l.size(), 998u) << l.substr(0, 80);
}

// A parsed MIME entity: headers (names lower case, values unfolded raw) and body.
struct Entity {
  std::map<std::string, std::string> headers;
  std::string body;
  std::vector<Entity> parts;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string param(const std::string& header_name, const std::string& p) const {
    auto v = header(header_name);
    auto at = v.find(p + "=");
    if (at == std::string::npos) return {};
    auto start = at + p.size() + 1;
    if (v[start] == '"') return v.substr(start + 1, v.find('"', start + 1) - start - 1);
    auto end = v.find_first_of("; \r", start);
    return v.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }
  std::string decoded() const {
    auto cte = header("content-transfer-encoding");
    if (cte == "base64") return b64decode(body);
    if (cte == "quoted-printable") return qpdecode(body);
    return body;
  }
};

Entity parse_entity(const std::string& text) {
  Entity e;
  auto split = text.find("\r\n\r\n");
  EXPECT_NE(split, std::string::npos);
  std::string head = text.substr(0, split);
  e.body = text.substr(split + 4);
  std::string name;
  for (const auto& line : lines_of(head)) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      e.headers[name] += "\r\n" + line;
      continue;
    }
    auto colon = line.find(':');
    name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(e.headers.count(name), 0u) << "one " << name << " header";
    e.headers[name] = line.substr(colon + 2);
  }
  auto type = e.header("content-type");
  if (type.rfind("multipart/", 0) == 0) {
    auto b = e.param("content-type", "boundary");
    EXPECT_FALSE(b.empty());
    std::string delim = "--" + b;
    // The delimiter may only appear at the start of a line, and only as a delimiter.
    std::string body = "\r\n" + e.body;
    std::vector<std::size_t> at;
    for (auto p = body.find(delim); p != std::string::npos; p = body.find(delim, p + 1)) {
      EXPECT_EQ(body.substr(p - 2, 2), "\r\n") << "boundary inside content";
      at.push_back(p);
    }
    EXPECT_GE(at.size(), 2u);
    EXPECT_EQ(body.substr(at.back(), delim.size() + 2), delim + "--");
    for (std::size_t i = 0; i + 1 < at.size(); ++i) {
      auto from = at[i] + delim.size() + 2;
      auto to = at[i + 1] - 2;
      e.parts.push_back(parse_entity(body.substr(from, to - from)));
    }
  }
  return e;
}

const std::string kBulgarian =
    "Покана за заседание на Общинския съвет — точка 3: бюджет за 2026 г.";
const std::string kPolish = "Zażółć gęślą jaźń — posiedzenie Rady Miasta Słupska, punkt 4";

const std::string kIcal =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ratusha//Test//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:meeting-12@ratusha\r\nDTSTAMP:20260601T080000Z\r\n"
    "DTSTART:20260604T080000Z\r\nDTEND:20260604T090000Z\r\n"
    "SUMMARY:Заседание на комисията по бюджет\r\n"
    "ORGANIZER;CN=Ратуша:mailto:ratusha@example.org\r\n"
    "ATTENDEE;CN=Иван Петров;RSVP=TRUE:mailto:ivan@example.org\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

Message invitation() {
  Message m;
  m.to = "ivan@example.org";
  m.to_name = "Иван Петров";
  m.subject = kBulgarian;
  m.text = "Уважаеми г-н Петров,\n\nканим Ви на заседание.\n";
  m.calendar = kIcal;
  m.calendar_method = "REQUEST";
  return m;
}

const Mailbox kFrom{"Ратуша", "ratusha@example.org"};

}  // namespace

TEST(MailAddress, ValidAndInvalid) {
  EXPECT_TRUE(valid_address("ivan.petrov@example.org"));
  EXPECT_TRUE(valid_address("rada+komisja@slupsk.pl"));
  EXPECT_FALSE(valid_address("ivan"));
  EXPECT_FALSE(valid_address("ivan@localhost"));
  EXPECT_FALSE(valid_address("a b@example.org"));
  EXPECT_FALSE(valid_address("ivan@example.org\r\nRCPT TO:<x@y.org>"));
  EXPECT_FALSE(valid_address("<ivan@example.org>"));
  EXPECT_FALSE(valid_address("иван@example.org"));
  EXPECT_FALSE(valid_address("ivan@@example.org"));
  EXPECT_FALSE(valid_address(".ivan@example.org"));
}

TEST(MailAddress, ParsesMailboxes) {
  auto a = parse_mailbox("Ратуша <ratusha@example.org>");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "Ратуша");
  EXPECT_EQ(a->address, "ratusha@example.org");
  auto b = parse_mailbox("  ratusha@example.org ");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->name, "");
  EXPECT_EQ(b->address, "ratusha@example.org");
  auto c = parse_mailbox("\"Rada, Miasto \\\"Słupsk\\\"\" <rada@slupsk.pl>");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "Rada, Miasto \"Słupsk\"");
  EXPECT_FALSE(parse_mailbox("Ратуша"));
  EXPECT_FALSE(parse_mailbox("Ратуша <ratusha>"));
  EXPECT_FALSE(parse_mailbox("Ратуша <ratusha@example.org"));
}

TEST(MailHeaders, BulgarianSubjectIsEncodedWordsWithinLimits) {
  auto v = encode_unstructured(kBulgarian, 9);
  auto lines = lines_of("Subject: " + v);
  EXPECT_GT(lines.size(), 1u) << "long enough to fold";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 76u) << lines[i];
    if (i > 0) EXPECT_EQ(lines[i][0], ' ') << "continuation lines start with a space";
  }
  EXPECT_EQ(v.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(decode_header(v), kBulgarian);
}

TEST(MailHeaders, PolishSubjectRoundTrips) {
  auto v = encode_unstructured(kPolish, 9);
  EXPECT_NE(v.find("=?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(decode_header(v), kPolish);
  for (const auto& l : lines_of("Subject: " + v)) EXPECT_LE(l.size(), 76u);
}

TEST(MailHeaders, EveryLengthSplitsOnlyBetweenCharacters) {
  // 1- to 4-byte characters at every offset: no word may cut one in half.
  std::string text;
  for (int i = 0; i < 60; ++i) text += i % 4 == 0 ? "a" : i % 4 == 1 ? "ж" : i % 4 == 2 ? "€" : "😀";
  for (std::size_t used = 0; used < 40; ++used) {
    auto v = encode_words(text, used);
    EXPECT_EQ(decode_header(v), text);
    auto lines = lines_of(v);
    EXPECT_LE(lines[0].size() + used, 76u);
    for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_LE(lines[i].size(), 76u);
  }
}

TEST(MailHeaders, AsciiSubjectFoldsAtSpaces) {
  std::string s =
      "Reminder: the committee on budget and finance meets on Thursday at 10:00 in room 12 of "
      "the town hall, please bring the draft";
  auto v = encode_unstructured(s, 9);
  EXPECT_EQ(v.find("=?"), std::string::npos) << "plain ASCII stays readable";
  for (const auto& l : lines_of("Subject: " + v)) EXPECT_LE(l.size(), 78u);
  std::string unfolded;
  for (char c : v)
    if (c != '\r' && c != '\n') unfolded += c;
  EXPECT_EQ(unfolded, s);
  EXPECT_EQ(encode_unstructured("Short one", 9), "Short one");
  // Text that looks like an encoded word is itself encoded.
  EXPECT_EQ(decode_header(encode_unstructured("=?UTF-8?B?abc?=", 9)), "=?UTF-8?B?abc?=");
}

TEST(MailHeaders, NoHeaderInjection) {
  auto v = encode_unstructured("Hello\r\nBcc: everyone@example.org", 9);
  EXPECT_EQ(v.find('\n'), std::string::npos);
  EXPECT_EQ(v, "Hello Bcc: everyone@example.org");
  Message m = invitation();
  m.subject = "Покана\r\nBcc: everyone@example.org";
  m.to_name = "Иван\nBcc: x@y.org";
  auto msg = build_message(m, kFrom, "<1.a@example.org>", 0, "s");
  for (const auto& l : lines_of(msg)) EXPECT_NE(l.rfind("Bcc:", 0), 0u);
}

TEST(MailHeaders, Mailboxes) {
  EXPECT_EQ(encode_mailbox({"", "a@example.org"}, 4), "a@example.org");
  EXPECT_EQ(encode_mailbox({"Ivan Petrov", "a@example.org"}, 4), "Ivan Petrov <a@example.org>");
  EXPECT_EQ(encode_mailbox({"Petrov, Ivan", "a@example.org"}, 4),
            "\"Petrov, Ivan\" <a@example.org>");
  auto bg = encode_mailbox({"Иван Петров", "ivan@example.org"}, 4);
  EXPECT_EQ(bg.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_NE(bg.find(" <ivan@example.org>"), std::string::npos);
  EXPECT_EQ(decode_header(bg.substr(0, bg.find(" <"))), "Иван Петров");
  auto pl = encode_mailbox({"Zofia Wójcik-Żółtowska z Urzędu Miasta Słupska", "z@slupsk.pl"}, 4);
  for (const auto& l : lines_of("To: " + pl)) EXPECT_LE(l.size(), 78u);
  EXPECT_EQ(decode_header(pl.substr(0, pl.rfind('<') - 1)),
            "Zofia Wójcik-Żółtowska z Urzędu Miasta Słupska");
}

TEST(MailHeaders, DatesAndMessageIds) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1780560000), "Thu, 04 Jun 2026 08:00:00 +0000");
  EXPECT_EQ(make_message_id(42, "ab12", "ratusha@obshtina.bg"), "<42.ab12@obshtina.bg>");
}

TEST(MailBodies, QuotedPrintable) {
  std::string text = crlf(
      "Zażółć gęślą jaźń = 100%\n.a line starting with a dot\nFrom here on\ntrailing space \n" +
      std::string(200, 'x') + "\n");
  auto qp = quoted_printable(text);
  for (const auto& l : lines_of(qp)) {
    EXPECT_LE(l.size(), 76u);
    EXPECT_NE(l.rfind(".", 0), 0u) << "no line starts with a dot";
    EXPECT_NE(l.rfind("From ", 0), 0u);
    if (!l.empty()) EXPECT_NE(l.back(), ' ') << "no trailing space";
  }
  EXPECT_NE(qp.find("=3D 100%"), std::string::npos);
  EXPECT_NE(qp.find("space=20\r\n"), std::string::npos);
  EXPECT_EQ(qpdecode(qp), text);
  EXPECT_EQ(quoted_printable("plain"), "plain");
}

TEST(MailBodies, Base64Lines) {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i * 7);
  auto b = base64_lines(bytes);
  for (const auto& l : lines_of(b)) EXPECT_LE(l.size(), 76u);
  EXPECT_EQ(b64decode(b), bytes);
  EXPECT_EQ(base64("Ma"), "TWE=");
  EXPECT_EQ(base64("M"), "TQ==");
  EXPECT_EQ(crlf("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
}

TEST(MailMessage, PlainText) {
  Message m;
  m.to = "anna@slupsk.pl";
  m.to_name = "Anna Nowak";
  m.subject = kPolish;
  m.text = "Dzień dobry,\nprzypominamy o posiedzeniu.\n";
  auto msg = build_message(m, kFrom, "<7.abc@example.org>", 1780560000, "seed");
  expect_wire_safe(msg);
  auto e = parse_entity(msg);
  EXPECT_EQ(decode_header(e.header("subject")), kPolish);
  EXPECT_EQ(e.header("to"), "Anna Nowak <anna@slupsk.pl>");
  EXPECT_EQ(decode_header(e.header("from").substr(0, e.header("from").find(" <"))), "Ратуша");
  EXPECT_NE(e.header("from").find("<ratusha@example.org>"), std::string::npos);
  EXPECT_EQ(e.header("date"), "Thu, 04 Jun 2026 08:00:00 +0000");
  EXPECT_EQ(e.header("message-id"), "<7.abc@example.org>");
  EXPECT_EQ(e.header("mime-version"), "1.0");
  EXPECT_EQ(e.header("content-type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(e.decoded(), crlf(m.text));
}

TEST(MailMessage, BulgarianBodyGoesAsBase64) {
  Message m;
  m.to = "ivan@example.org";
  m.subject = "Тест";
  m.text = "Изцяло на кирилица, така че base64 е по-къс от quoted-printable.\n";
  auto e = parse_entity(build_message(m, kFrom, "<1.a@example.org>", 0, "s"));
  EXPECT_EQ(e.header("content-transfer-encoding"), "base64");
  EXPECT_EQ(e.decoded(), crlf(m.text));
}

TEST(MailMessage, CalendarInvitationStructure) {
  auto msg = build_message(invitation(), kFrom, "<12.tok@example.org>", 1780560000, "f00d");
  expect_wire_safe(msg);
  auto e = parse_entity(msg);
  EXPECT_EQ(decode_header(e.header("subject")), kBulgarian);
  ASSERT_EQ(e.header("content-type").rfind("multipart/mixed;", 0), 0u);
  ASSERT_EQ(e.parts.size(), 2u);
  const auto& alt = e.parts[0];
  ASSERT_EQ(alt.header("content-type").rfind("multipart/alternative;", 0), 0u);
  ASSERT_EQ(alt.parts.size(), 2u);
  EXPECT_EQ(alt.parts[0].header("content-type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(alt.parts[0].decoded(), crlf(invitation().text));
  EXPECT_EQ(alt.parts[1].header("content-type"), "text/calendar; charset=UTF-8; method=REQUEST");
  EXPECT_EQ(alt.parts[1].decoded(), kIcal);
  const auto& ics = e.parts[1];
  EXPECT_EQ(ics.header("content-type"), "application/ics;\r\n name=\"invite.ics\"");
  EXPECT_EQ(ics.param("content-disposition", "filename"), "invite.ics");
  EXPECT_EQ(ics.header("content-disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(ics.header("content-transfer-encoding"), "base64");
  EXPECT_EQ(ics.decoded(), kIcal);
  EXPECT_NE(e.param("content-type", "boundary"), alt.param("content-type", "boundary"));
}

TEST(MailMessage, CalendarMethodComesFromTheCalendarAndMustAgree) {
  auto m = invitation();
  m.calendar_method = "";
  auto e = parse_entity(build_message(m, kFrom, "<1.a@example.org>", 0, "s"));
  EXPECT_EQ(e.parts[0].parts[1].header("content-type"),
            "text/calendar; charset=UTF-8; method=REQUEST");
  m.calendar_method = "CANCEL";
  EXPECT_THROW(build_message(m, kFrom, "<1.a@example.org>", 0, "s"), std::invalid_argument);
  EXPECT_EQ(calendar_method_of("BEGIN:VCALENDAR\nmethod:cancel\nEND:VCALENDAR"), "CANCEL");
  EXPECT_EQ(calendar_method_of("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nMETHOD:X\r\n"), "");
}

TEST(MailMessage, AttachmentsWithUnicodeNames) {
  auto m = invitation();
  m.attachments.push_back(
      {"Проект на бюджет 2026.pdf", "application/pdf", std::string("%PDF-1.7\0\xff", 11)});
  m.attachments.push_back({"agenda.txt", "text/plain\r\nX-Evil: 1", "punkt 1"});
  auto msg = build_message(m, kFrom, "<1.a@example.org>", 0, "s");
  expect_wire_safe(msg);
  auto e = parse_entity(msg);
  ASSERT_EQ(e.parts.size(), 4u);  // alternative, invite.ics, the two attachments
  const auto& pdf = e.parts[2];
  EXPECT_EQ(pdf.header("content-type").rfind("application/pdf;", 0), 0u);
  EXPECT_NE(pdf.header("content-disposition")
                .find("filename*=UTF-8''%D0%9F%D1%80%D0%BE%D0%B5%D0%BA%D1%82%20"),
            std::string::npos);
  EXPECT_EQ(decode_header(pdf.param("content-type", "name")), "Проект на бюджет 2026.pdf");
  EXPECT_EQ(pdf.decoded(), std::string("%PDF-1.7\0\xff", 11));
  const auto& txt = e.parts[3];
  EXPECT_EQ(txt.header("content-type").rfind("application/octet-stream;", 0), 0u)
      << "a content type that is not a plain type/subtype is not copied";
  EXPECT_EQ(txt.param("content-disposition", "filename"), "agenda.txt");
  EXPECT_EQ(msg.find("X-Evil"), std::string::npos);
}

TEST(MailMessage, BoundaryNeverInsideContent) {
  // Content that spells out the boundaries the seed would give.
  Message m;
  m.to = "ivan@example.org";
  m.subject = "x";
  m.text = "--=_rtabc_alt\n--=_rtabc_mix\n--=_rtabc_mix--\n";
  m.calendar = kIcal;
  m.attachments.push_back({"b.txt", "text/plain", "--=_rtabc_mix\r\n--=_rtabc_alt--\r\n"});
  auto msg = build_message(m, kFrom, "<1.a@example.org>", 0, "abc");
  auto e = parse_entity(msg);  // checks that delimiters occur only as delimiters
  ASSERT_EQ(e.parts.size(), 3u);
  EXPECT_EQ(e.parts[0].parts[0].decoded(), crlf(m.text));
  EXPECT_EQ(e.parts[2].decoded(), m.attachments[0].content);
}

TEST(MailMessage, RefusesBadAddresses) {
  auto m = invitation();
  m.to = "not an address";
  EXPECT_THROW(build_message(m, kFrom, "<1.a@example.org>", 0, "s"), std::invalid_argument);
}
