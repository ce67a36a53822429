#pragma once
// Workspace: rooms, meetings, invitations, reminders and notifications.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ratusha::workspace {

struct Room {
  std::int64_t id = 0;
  std::string kind;  // personal | meeting
  std::string name, description;
  std::optional<std::int64_t> owner_id, unit_id, capacity;
  std::optional<std::string> unit_name;
  bool lobby = false;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> archived_at;
  std::int64_t member_count = 0;
  bool may_manage = false;  // for the caller: an administrator, or the head of its unit
};

struct Invitee {
  std::int64_t person_id = 0;
  std::string display_name, via, response, comment;
  std::optional<std::string> email;
  std::optional<std::int64_t> responded_at;
};

struct Meeting {
  std::int64_t id = 0, room_id = 0, organiser_id = 0;
  std::string uid, title, agenda, time_zone, local_start, status, room_name, organiser_name;
  std::int64_t duration = 0, starts_at = 0, ends_at = 0, expanded_until = 0;
  std::optional<std::string> rrule;
  int sequence = 0;
  std::int64_t created_at = 0, updated_at = 0;
  std::optional<std::int64_t> space_root_id;  // its documents
};

// One occurrence as a person sees it in their list.
struct Upcoming {
  Meeting meeting;
  std::int64_t starts_at = 0, ends_at = 0;
  std::string response;  // the caller's
};

// Another meeting at the same time, for the same person or room.
struct Conflict {
  std::string kind;  // person | room
  std::int64_t id = 0;
  std::string name;
  std::int64_t meeting_id = 0;
  std::string meeting_title;
  std::int64_t starts_at = 0, ends_at = 0;
};

struct Notification {
  std::int64_t id = 0, person_id = 0;
  std::string kind, title, body, link;
  std::string data = "{}";  // JSON: what the app needs to say it in the reader's language
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

// One occurrence of a series moved (starts_at set) or cancelled, by the start the rule gives it.
struct OccurrenceException {
  std::int64_t original_start = 0;
  std::optional<std::int64_t> starts_at, ends_at;
};

// An external guest's invitation to a meeting: a link that works once, while the meeting is on
// (from shortly before an occurrence until its end), until `expires_at` (30 days). `starts_at`:
// the occurrence that was next when it was made (what the invitation said).
struct GuestLink {
  std::int64_t id = 0, meeting_id = 0, person_id = 0;
  std::string email, display_name;
  std::int64_t created_at = 0, starts_at = 0, expires_at = 0;
  std::optional<std::int64_t> used_at, revoked_at;
  std::string url;  // only right after it was made
};

// "Call a colleague now": rings the callee; its meeting is in the caller's personal room.
struct Call {
  std::int64_t id = 0, meeting_id = 0, room_id = 0, caller_id = 0, callee_id = 0;
  std::string caller_name, callee_name;
  std::string state;    // ringing | accepted | declined | missed | cancelled | ended
  std::string message;  // the callee's word on declining
  std::int64_t created_at = 0;
  std::optional<std::int64_t> answered_at, ended_at;
};

// What a list of one's meetings may be narrowed to.
struct ListFilter {
  std::vector<std::string>
      words;  // search_words(): each begins a word of the title, room or organiser
  std::optional<std::int64_t> room_id;
  std::optional<std::string> response, status;  // the person's answer; the meeting's status
  bool organised = false;                       // only those the person organises
  bool newest_first = false;
  std::int64_t skip = 0;  // matches already shown (the page cursor)
  bool narrows() const {
    return !words.empty() || room_id || response || status || organised || newest_first || skip;
  }
};

}  // namespace ratusha::workspace
