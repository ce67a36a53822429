#pragma once
// What other modules hand to the outbox: one message to one recipient.
#include <optional>
#include <string>
#include <vector>

namespace ratusha::mail {

struct Attachment {
  std::string filename;      // UTF-8; shown to the recipient
  std::string content_type;  // e.g. "application/pdf"; empty: application/octet-stream
  std::string content;       // the bytes
};

struct Message {
  std::string to;       // the address (addr-spec), e.g. "ivan.petrov@example.org"
  std::string to_name;  // display name, UTF-8; may be empty
  std::string subject;  // UTF-8
  std::string text;     // the plain-text body, UTF-8 (LF or CRLF line ends)
  // An iCalendar object (VCALENDAR, UTF-8, CRLF or LF) sent as a text/calendar alternative and
  // as the attachment invite.ics.
  std::optional<std::string> calendar;
  // "REQUEST" / "CANCEL" / "PUBLISH" / "REPLY"; empty: taken from the calendar's METHOD line.
  std::string calendar_method;
  std::vector<Attachment> attachments;
  // Optional: queueing the same key again (in any transaction, ever) does nothing, so the mail
  // goes out once. E.g. "meeting:12:invite:v3:person:7".
  std::string dedupe_key;
};

// A name and an address, as in "Ратуша <ratusha@example.org>".
struct Mailbox {
  std::string name;
  std::string address;
};

}  // namespace ratusha::mail
