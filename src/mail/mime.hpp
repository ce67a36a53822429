#pragma once
// Internet messages written by hand (RFC 5322, MIME RFC 2045-2047 and 2231): pure functions,
// no I/O, no clock. The result is 7-bit ASCII with CRLF line ends and no line over 998
// octets (header lines fold at 78), so any SMTP server takes it as it is.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mail/model.hpp"

namespace ratusha::mail {

// A plausible addr-spec for SMTP: printable ASCII, one '@', a dotted domain, nothing that
// could end a header or an SMTP command (spaces, CR, LF, <, >, quotes, commas, ...).
bool valid_address(std::string_view address);
// "Name <addr>", "\"Name\" <addr>", "<addr>" or "addr"; nullopt when the address is not valid.
std::optional<Mailbox> parse_mailbox(std::string_view text);

// Text for a header: control characters (CR, LF, tabs, ...) become spaces, runs of spaces
// become one, outer spaces go.
std::string header_text(std::string_view text);
// An unstructured header value (Subject): plain ASCII folded at spaces, anything else as
// RFC 2047 encoded words (UTF-8, base64) of at most 75 characters that never split a
// character, one per line. `used`: characters already on the first line ("Subject: " = 9).
std::string encode_unstructured(std::string_view text, std::size_t used);
// A mailbox for From/To: the display name as atoms, a quoted string or encoded words.
std::string encode_mailbox(const Mailbox& m, std::size_t used);
// Only the encoded words (no plain-ASCII shortcut); exposed for tests.
std::string encode_words(std::string_view text, std::size_t used);

// "Thu, 04 Jun 2026 08:00:00 +0000"
std::string rfc5322_date(std::int64_t unix_seconds);
// "<42.TOKEN@example.org>": stable for an outbox row, unique across installations.
std::string make_message_id(std::int64_t outbox_id, std::string_view token,
                            std::string_view from_address);

// LF, CR or CRLF line ends -> CRLF.
std::string crlf(std::string_view text);
// Quoted-printable (RFC 2045 6.7) of CRLF text: lines <= 76, hard line breaks kept, trailing
// white space, '=' and a '.' or "From " at the start of a line encoded.
std::string quoted_printable(std::string_view text);
// Base64 in lines of 76 characters separated by CRLF (none after the last).
std::string base64_lines(std::string_view bytes);
std::string base64(std::string_view bytes);

// The value of the calendar's METHOD property ("REQUEST"), or "" when there is none.
std::string calendar_method_of(std::string_view ical);

// The whole message. `boundary_seed`: letters and digits that make the multipart boundaries
// (random per message; a boundary is never found inside any part). Throws
// std::invalid_argument when the message cannot be written (no valid recipient, a calendar
// method that contradicts the calendar's own METHOD).
//
// Plain text only: one text/plain part. With attachments: multipart/mixed. With a calendar:
//   multipart/mixed
//     multipart/alternative
//       text/plain; charset=UTF-8
//       text/calendar; charset=UTF-8; method=REQUEST
//     application/ics; name="invite.ics" (attachment, the same iCalendar object)
//     ...the other attachments
std::string build_message(const Message& m, const Mailbox& from, std::string_view message_id,
                          std::int64_t date, std::string_view boundary_seed);

}  // namespace ratusha::mail
