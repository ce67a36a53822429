#pragma once
// All SQL of the workspace module.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/db.hpp"
#include "workspace/model.hpp"

namespace ratusha::workspace::db {

using store::Tx;

// rooms
std::optional<Room> room(Tx& tx, std::int64_t id);
std::optional<Room> personal_room(Tx& tx, std::int64_t person_id);
std::int64_t create_personal_room(Tx& tx, std::int64_t person_id, const std::string& name,
                                  std::int64_t now);
std::int64_t create_room(Tx& tx, const std::string& name, const std::string& description,
                         std::optional<std::int64_t> unit_id, std::optional<std::int64_t> capacity,
                         bool lobby, std::int64_t now);
// Rooms the person is a member of, and all meeting rooms (administrators) or those of the units
// they head.
std::vector<Room> rooms_for(Tx& tx, std::int64_t person_id, bool all_meeting_rooms,
                            const std::vector<std::int64_t>& headed_units = {});
bool is_room_member(Tx& tx, std::int64_t room_id, std::int64_t person_id);
bool invited_in_room_now(Tx& tx, std::int64_t room_id, std::int64_t person_id, std::int64_t now,
                         std::int64_t early);
std::vector<Invitee> room_members(Tx& tx, std::int64_t room_id);

// people behind a unit or a group (nullopt: no such unit or group)
std::optional<std::vector<std::int64_t>> unit_people(Tx& tx, std::int64_t unit_id);
std::optional<std::vector<std::int64_t>> group_people(Tx& tx, std::int64_t group_id);
// A council or committee: everyone with a role in it.
std::optional<std::vector<std::int64_t>> body_people(Tx& tx, std::int64_t body_id);

// meetings
std::int64_t insert_meeting(Tx& tx, const Meeting& m);
void update_meeting(Tx& tx, const Meeting& m);
std::optional<Meeting> meeting(Tx& tx, std::int64_t id);
void add_invitee(Tx& tx, std::int64_t meeting_id, std::int64_t person_id, const std::string& via,
                 const std::string& response);
void remove_invitee(Tx& tx, std::int64_t meeting_id, std::int64_t person_id);
// Occurrences (start, end; in start order) with everyone invited's attendance rows.
void add_occurrences(Tx& tx, std::int64_t meeting_id,
                     const std::vector<std::pair<std::int64_t, std::int64_t>>& spans);
// One occurrence and its attendance rows.
void remove_occurrence(Tx& tx, std::int64_t meeting_id, std::int64_t starts_at);
std::optional<std::int64_t> occurrence_end(Tx& tx, std::int64_t meeting_id, std::int64_t starts_at);
// The meeting's occurrence (start, end) whose room is open at `now` (from kJoinEarly before its
// start), if any.
std::optional<std::pair<std::int64_t, std::int64_t>> occurrence_open(Tx& tx,
                                                                     std::int64_t meeting_id,
                                                                     std::int64_t now,
                                                                     std::int64_t early);
// The meeting's next occurrence (start, end) that is not over at `now`.
std::optional<std::pair<std::int64_t, std::int64_t>> next_occurrence(Tx& tx,
                                                                     std::int64_t meeting_id,
                                                                     std::int64_t now);
// Exceptions of a series (moved or cancelled occurrences).
std::vector<OccurrenceException> exceptions(Tx& tx, std::int64_t meeting_id);
void put_exception(Tx& tx, std::int64_t meeting_id, const OccurrenceException& e, std::int64_t now);
// From `from` on (by the rule's starts), or all of them.
void drop_exceptions(Tx& tx, std::int64_t meeting_id, std::int64_t from = 0);
void clear_occurrences(Tx& tx, std::int64_t meeting_id);
std::vector<Invitee> invitees(Tx& tx, std::int64_t meeting_id);
std::optional<Invitee> invitee(Tx& tx, std::int64_t meeting_id, std::int64_t person_id);
std::vector<std::int64_t> next_starts(Tx& tx, std::int64_t meeting_id, std::int64_t from, int n);
std::vector<Conflict> conflicts(Tx& tx, std::int64_t meeting_id, int occurrences);
std::vector<Upcoming> upcoming(Tx& tx, std::int64_t person_id, std::int64_t from, std::int64_t to,
                               int limit, const ListFilter& filter = {});
std::vector<std::int64_t> to_extend(Tx& tx, std::int64_t until);
// The occurrences of all meetings in a room between from and to (its calendar).
std::vector<Upcoming> room_occurrences(Tx& tx, std::int64_t room_id, std::int64_t from,
                                       std::int64_t to, int limit);
// A person's meetings (with their answer) that have not ended before `since` or repeat, not
// declined: what their calendar subscription shows. At most 2,000, the latest first.
std::vector<std::pair<Meeting, std::string>> feed_meetings(Tx& tx, std::int64_t person_id,
                                                           std::int64_t since);
std::vector<std::int64_t> meetings_of(Tx& tx, std::int64_t person_id);
std::optional<std::string> meeting_title_for(Tx& tx, std::int64_t id, std::int64_t person_id);
std::vector<std::pair<std::int64_t, std::string>> search_meetings(Tx& tx, std::int64_t person_id,
                                                                  const std::string& folded);

// guests
std::int64_t insert_guest_link(Tx& tx, const GuestLink& g, const std::string& token_hash);
std::vector<GuestLink> guest_links(Tx& tx, std::int64_t meeting_id);
std::optional<GuestLink> guest_link(Tx& tx, std::int64_t id);
std::optional<GuestLink> guest_link_by_token(Tx& tx, const std::string& token_hash);
// Marks the link used if it is still good at `now`; false when it was used, expired or revoked.
bool use_guest_link(Tx& tx, std::int64_t id, std::int64_t now);

// calls
std::int64_t insert_call(Tx& tx, const Call& c);
std::optional<Call> call(Tx& tx, std::int64_t id);
// A person's calls, made or received, the latest first (`live`: only those not over).
std::vector<Call> calls_of(Tx& tx, std::int64_t person_id, bool live, std::int64_t now, int limit);
// The caller's call that is still ringing, if any.
std::optional<std::int64_t> ringing_call_of(Tx& tx, std::int64_t caller_id);
// Moves a call from `from` to `state`; false when it was no longer in `from` (another node or
// request was first), so two answers can never both win.
bool set_call_state(Tx& tx, std::int64_t id, const std::string& from, const std::string& state,
                    const std::string& message, std::optional<std::int64_t> answered_at,
                    std::optional<std::int64_t> ended_at);
// Ends a meeting at `t` (its only occurrence too): a call that is over closes its room.
void end_meeting_at(Tx& tx, std::int64_t meeting_id, std::int64_t t, bool cancelled);

// reminders
std::vector<int> reminder_rows(Tx& tx, std::int64_t person_id,
                               std::optional<std::int64_t> meeting_id);
void set_reminder_rows(Tx& tx, std::int64_t person_id, std::optional<std::int64_t> meeting_id,
                       const std::vector<int>& minutes);
std::vector<int> offsets_in_use(Tx& tx, const std::vector<int>& defaults);
struct Due {
  std::int64_t meeting_id = 0, person_id = 0, starts_at = 0;
  std::optional<std::string> email;
  std::string display_name;
};
// Occurrences starting in (from, to] and not over at `now`, whose invitee wants a reminder
// `minutes` before and has not had it.
std::vector<Due> due(Tx& tx, std::int64_t from, std::int64_t to, std::int64_t now, int minutes,
                     const std::vector<int>& defaults);
bool mark_reminder_sent(Tx& tx, std::int64_t meeting_id, std::int64_t person_id,
                        std::int64_t starts_at, int minutes, std::int64_t now);
std::optional<std::int64_t> swept_until(Tx& tx);
void set_swept_until(Tx& tx, std::int64_t t);

// notifications
std::int64_t add_notification(Tx& tx, const Notification& n);
std::vector<Notification> notifications(Tx& tx, std::int64_t person_id, bool unread_only,
                                        std::optional<std::int64_t> before, int limit);
std::int64_t unread_count(Tx& tx, std::int64_t person_id);

}  // namespace ratusha::workspace::db
