#pragma once
// The workspace: rooms, meetings (one-off and repeating), invitations and answers, reminders in
// the app and by e-mail with calendar invitations, and the notification centre. Every method
// checks the caller here; a room or meeting the caller may not see does not exist for them.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "documents/service.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "identity/service.hpp"
#include "jobs/jobs.hpp"
#include "mail/mail.hpp"
#include "store/db.hpp"
#include "workspace/model.hpp"
#include "workspace/upcoming_cache.hpp"

namespace ratusha::workspace {

// Room changes (names shown in everyone's lists); not open to WebSocket clients.
inline constexpr const char* kRoomsTopic = "rooms";

struct Audience {
  std::string kind;  // person | unit | group
  std::int64_t id = 0;
};

struct MeetingInput {
  std::optional<std::int64_t> room_id;  // default: the organiser's personal room
  std::optional<std::string> title, agenda, time_zone, start;  // start: wall time in the zone
  std::optional<std::int64_t> duration;                        // seconds
  std::optional<std::optional<std::string>> rrule;             // set to nullopt: no repetition
  std::optional<std::vector<Audience>> invitees;
};

// A change to one occurrence of a series ("this") or to it and all after it ("following").
struct OccurrenceChange {
  std::string scope = "this";  // this | following
  bool cancel = false;
  std::optional<std::string> start;  // a new wall time in the meeting's zone
  std::optional<std::int64_t> duration;
  std::optional<std::string> title, agenda;  // "following" only: the new series' text
};

struct MeetingView {
  Meeting meeting;
  std::vector<Invitee> invitees;
  std::vector<std::int64_t> next_starts;  // the next few occurrences (UTC)
  std::vector<Conflict> conflicts;        // only when creating or changing
  std::string my_response;                // the caller's, or "" when not invited
  std::vector<int> my_reminders;          // the caller's for this meeting
  bool my_reminders_custom = false;
  bool may_edit = false;
};

struct WorkspaceOptions {
  std::string public_url;          // links in mails and the calendar feed
  std::int64_t ring_seconds = 45;  // a call not answered by then is missed
};

struct NewRoom {
  std::string name, description;
  std::optional<std::int64_t> unit_id, capacity;
  bool lobby = false;
};

class WorkspaceService {
 public:
  WorkspaceService(store::Database& db, audit::AuditLog& audit, events::Bus& bus, jobs::Queue& jobs,
                   mail::Outbox& mail, documents::DocumentsService& documents,
                   identity::IdentityService& identity, WorkspaceOptions options);

  // Another module that owns some meetings (the council: a sitting's meeting) says who besides
  // the organiser may change them (its clerks and chairs).
  using MeetingKeeper =
      std::function<bool(store::Tx&, std::int64_t person_id, std::int64_t meeting_id)>;
  void add_meeting_keeper(MeetingKeeper k) { keepers_.push_back(std::move(k)); }

  // --- rooms ---
  std::vector<Room> rooms(const identity::Principal& who);
  Room room(const identity::Principal& who, std::int64_t id);
  Room create_room(const identity::Principal& who, const NewRoom& r);
  Room update_room(const identity::Principal& who, std::int64_t id, const NewRoom& r);
  std::vector<Invitee> room_members(const identity::Principal& who, std::int64_t id);
  // A room's calendar, for those who may see the room.
  std::vector<Upcoming> room_calendar(const identity::Principal& who, std::int64_t id,
                                      std::int64_t from, std::int64_t to, int limit);
  void add_room_member(const identity::Principal& who, std::int64_t id, std::int64_t person_id);
  void remove_room_member(const identity::Principal& who, std::int64_t id, std::int64_t person_id);

  // --- a room's live meeting (the media module asks before anyone joins) ---
  struct RoomAccess {
    Room room;
    bool host = false;                       // may admit, mute, remove, lock and end
    std::optional<std::int64_t> meeting_id;  // a meeting on there now that the caller is part of
  };
  // Members of a meeting room and the owner of a personal room at any time; invitees of a
  // meeting there from 15 minutes before it until it ends; those who keep a meeting room.
  // Hosts: a personal room's owner, a meeting room's keepers, and the organiser (and whoever a
  // module names, e.g. a sitting's chair and clerks) of a meeting on there now. Otherwise 409
  // meeting-not-open (with opens_at) or 410 meeting-ended for an invitee outside their
  // meeting, and 404 for everyone else.
  RoomAccess room_access(const identity::Principal& who, std::int64_t room_id);

  // --- meetings ---
  MeetingView create_meeting(const identity::Principal& who, const MeetingInput& in);
  MeetingView meeting(const identity::Principal& who, std::int64_t id);
  MeetingView update_meeting(const identity::Principal& who, std::int64_t id,
                             const MeetingInput& in);
  MeetingView cancel_meeting(const identity::Principal& who, std::int64_t id,
                             const std::string& reason);
  // `occurrence`: its start as lists show it. "this" moves or cancels that occurrence (an
  // exception of the series); "following" ends the series before it and, unless cancelling,
  // starts a new series there with the changes (returned).
  MeetingView change_occurrence(const identity::Principal& who, std::int64_t id,
                                std::int64_t occurrence, const OccurrenceChange& change);
  MeetingView respond(const identity::Principal& who, std::int64_t id, const std::string& response,
                      const std::string& comment);
  // The caller's occurrences in [from, to), at most 400 days; without a filter (the dashboard
  // and the calendar) from this node's copy of their coming days when it has one.
  std::vector<Upcoming> upcoming(const identity::Principal& who, std::int64_t from, std::int64_t to,
                                 int limit, const ListFilter& filter = {});

  // --- external guests (invited by e-mail; a link that works once, until the next
  // occurrence ends) ---
  GuestLink invite_guest(const identity::Principal& who, std::int64_t meeting_id,
                         const std::string& email, const std::string& display_name);
  std::vector<GuestLink> guests(const identity::Principal& who, std::int64_t meeting_id);
  void revoke_guest(const identity::Principal& who, std::int64_t meeting_id, std::int64_t link_id);
  // What the link's page shows before it is used (a mail scanner's visit does not use it).
  struct GuestPreview {
    Meeting meeting;
    std::int64_t starts_at = 0, ends_at = 0;  // the occurrence it is for
    std::string state;                        // early | valid | used | expired
    std::string display_name;
  };
  GuestPreview guest_preview(const std::string& token);
  // Uses the link (once) and starts the guest's session; 409 link-early (more than 15 minutes
  // before the occurrence), 410 link-used or link-expired.
  std::pair<identity::LoginResult, std::int64_t> use_guest_link(const std::string& token,
                                                                const std::string& address,
                                                                const std::string& user_agent);

  // --- calls ("call a colleague now") ---
  Call start_call(const identity::Principal& who, std::int64_t callee_id);
  Call call(const identity::Principal& who, std::int64_t id);  // the caller's or the callee's
  // The caller's calls, made and received, the latest first; `live`: ringing or in progress.
  std::vector<Call> calls(const identity::Principal& who, bool live, int limit);
  Call answer_call(const identity::Principal& who, std::int64_t id, bool accept,
                   const std::string& message);
  Call end_call(const identity::Principal& who, std::int64_t id);
  void expire_call(std::int64_t id);  // run by the ring timeout job
  static json::object call_json(const Call& c);

  // --- reminders and notifications ---
  std::vector<int> reminder_defaults(const identity::Principal& who);
  std::vector<int> set_reminder_defaults(const identity::Principal& who,
                                         const std::vector<std::int64_t>& minutes);
  MeetingView set_meeting_reminders(const identity::Principal& who, std::int64_t id,
                                    const std::optional<std::vector<std::int64_t>>& minutes);
  std::vector<Notification> notifications(const identity::Principal& who, bool unread_only,
                                          std::optional<std::int64_t> before, int limit);
  std::int64_t unread_count(const identity::Principal& who);
  void mark_read(const identity::Principal& who, std::optional<std::int64_t> id);

  // --- calendar subscription (iCalendar feed at a secret address) ---
  struct Feed {
    bool exists = false;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> last_used_at;
    std::string url;  // only right after it was made
  };
  Feed feed(const identity::Principal& who);
  Feed new_feed(const identity::Principal& who);  // replaces an earlier one
  void revoke_feed(const identity::Principal& who);
  // The person's meetings from 30 days back on, as a METHOD:PUBLISH calendar; 404 for an
  // unknown or revoked token.
  std::string feed_calendar(const std::string& token);

  // Sends the reminders that fell due since the last sweep; returns how many.
  std::int64_t send_due_reminders(std::int64_t now);
  // Writes out occurrences of repeating meetings up to the horizon.
  void extend_occurrences(std::int64_t now);

  // For those who never chose: 15 minutes before.
  static std::vector<int> default_reminders() { return {15}; }

 private:
  MeetingView view(store::Tx& tx, const identity::Principal& who, const Meeting& m,
                   std::int64_t now);
  Meeting visible_meeting(store::Tx& tx, const identity::Principal& who, std::int64_t id);
  // A meeting room the caller looks after (administrator or head of its unit); else 403/404.
  Room kept_room(store::Tx& tx, const identity::Principal& who, std::int64_t id);
  // Visible, the caller may change it (403), and not cancelled (409).
  Meeting editable_meeting(store::Tx& tx, const identity::Principal& who, std::int64_t id);
  bool may_edit(store::Tx& tx, const identity::Principal& who, const Meeting& m);
  bool may_book(store::Tx& tx, const identity::Principal& who, const Room& r);
  std::vector<std::pair<std::int64_t, std::string>> expand_audiences(
      store::Tx& tx, const std::vector<Audience>& invitees);
  void write_occurrences(store::Tx& tx, Meeting& m, std::int64_t from, std::int64_t now);
  std::vector<Conflict> conflicts(store::Tx& tx, const Meeting& m);
  void open_space(store::Tx& tx, Meeting& m);
  void notify(store::Tx& tx, std::int64_t person_id, const std::string& kind,
              const std::string& title, const std::string& body, const std::string& link,
              json::object data);
  void mail_invitation(store::Tx& tx, const Meeting& m, const std::string& method,
                       const std::vector<std::int64_t>& people, const std::string& guest_url = "");
  void announce(store::Tx& tx, const Meeting& m, const std::vector<std::int64_t>& people);
  void publish_call(store::Tx& tx, const Call& c, const std::string& event);
  std::vector<int> effective_reminders(store::Tx& tx, std::int64_t person, std::int64_t meeting,
                                       bool* custom);

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  jobs::Queue& jobs_;
  mail::Outbox& mail_;
  documents::DocumentsService& documents_;
  identity::IdentityService& identity_;
  std::string public_url_;
  std::int64_t ring_seconds_;
  UpcomingCache upcoming_cache_;
  std::vector<MeetingKeeper> keepers_;
};

}  // namespace ratusha::workspace
