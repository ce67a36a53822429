#pragma once
// The council: bodies and their members over time, sittings and their agendas, attendance,
// declared conflicts, votes and ballots.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "council/rules.hpp"

namespace ratusha::council {

struct Body {
  std::int64_t id = 0;  // the unit's id (a unit of kind 'body')
  std::string name, kind, jurisdiction, term_start, time_zone;
  std::optional<std::string> term_end;
  std::optional<std::int64_t> parent_id;
  std::int64_t seats = 0;
  bool vote_change = false, camera_required = false;
  std::int64_t created_at = 0, updated_at = 0;
};

struct Group {
  std::int64_t id = 0, body_id = 0;
  std::string name, short_name;
};

struct Membership {
  std::int64_t id = 0, body_id = 0, person_id = 0;
  std::string display_name, role, seat;
  std::optional<std::int64_t> group_id;
  std::string group_name;
  std::string from_date;
  std::optional<std::string> to_date;
};

// Members, chairs and deputy chairs vote; clerks do not.
inline bool votes(const std::string& role) {
  return role == "member" || role == "chair" || role == "deputy_chair";
}

struct Sitting {
  std::int64_t id = 0, body_id = 0, number = 0;
  std::string body_name, jurisdiction, kind, mode, title, place, time_zone, local_start, status;
  std::int64_t starts_at = 0, duration = 0, seats = 0;
  std::optional<std::int64_t> meeting_id, opened_at, closed_at;
  std::optional<std::int64_t> room_id;  // the room of its meeting: the video sitting
  std::int64_t created_at = 0, updated_at = 0;
};

struct Item {
  std::int64_t id = 0, sitting_id = 0, position = 0;
  std::string title, rapporteur, draft, status;
  Majority majority;
  bool named_required = false;
  std::optional<std::int64_t> added_by_vote;
  std::optional<std::int64_t> materials_folder_id;  // its documents space's root
};

struct Attendee {
  std::int64_t person_id = 0;
  std::string display_name, role, group_name;
  bool present = false, remote = false;
  std::optional<std::int64_t> since;
};

struct AttendanceEvent {
  std::int64_t id = 0, person_id = 0;
  std::string display_name, event, how;
  bool remote = false;
  std::int64_t at = 0;
};

struct Speaker {
  std::int64_t id = 0, sitting_id = 0, person_id = 0, position = 0;
  std::optional<std::int64_t> item_id, time_limit, started_at, ended_at;
  std::string display_name, kind, status;
  std::int64_t requested_at = 0;
};

struct Conflict {
  std::int64_t item_id = 0, person_id = 0;
  std::string display_name, note;
  std::int64_t declared_at = 0;
};

struct AgendaChange {
  std::int64_t id = 0, sitting_id = 0;
  std::string kind, status;
  std::optional<std::int64_t> item_id, position;
  std::string payload = "{}";  // for "add": the new item's fields
};

struct Vote {
  std::int64_t id = 0, sitting_id = 0, number = 0;
  std::optional<std::int64_t> item_id, agenda_change_id;
  std::optional<std::string> agenda_change_kind;  // add | withdraw | move: a vote on the agenda
  std::string title, kind, status;
  std::vector<std::string> options;  // yes/no/abstain, or the candidates of an election
  Majority majority;
  Fraction quorum;
  std::int64_t seats = 0, present = 0, entitled = 0;
  bool vote_change = false, manual = false;
  std::int64_t opened_at = 0;
  std::optional<std::int64_t> closes_at, closed_at, opened_by, closed_by, repeat_of;
  std::optional<std::string> result;
  std::string tally = "{}";  // JSON: votes per option
  std::string repeat_reason;
  std::int64_t ledger_seq = 0;
  std::string ledger_head;
  std::int64_t voted = 0;  // how many have voted so far
};

struct Voter {
  std::int64_t person_id = 0;
  std::string name, group_name, status;  // entitled | absent | conflict
  bool voted = false;
  std::optional<std::string> choice;  // named and open votes only, and only when shown
};

// A vote as published: with its body and sitting, and a closed named vote's list.
struct PublicVote {
  Vote vote;
  std::string body_name;
  std::int64_t sitting_number = 0;
  std::string sitting_title;
  std::vector<Voter> named;  // with choices; empty otherwise
};

inline const std::vector<std::string>& yes_no_abstain() {
  static const std::vector<std::string> v{"yes", "no", "abstain"};
  return v;
}

}  // namespace ratusha::council
