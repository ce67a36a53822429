#pragma once
// The council: bodies and memberships over time, sittings and agendas, attendance and quorum,
// declared conflicts, and votes with their ledgers. Every method checks the caller here:
//   - administrators and the organisation's clerks set up bodies, groups and memberships;
//   - a body's clerks prepare its sittings and agendas and keep attendance;
//   - its chair and deputy chairs open and close the sitting and its votes;
//   - its members (chair and deputies included) register, declare conflicts and vote;
//   - everyone who works here may read sittings and results.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit.hpp"
#include "council/minutes.hpp"
#include "council/model.hpp"
#include "council/store.hpp"
#include "documents/service.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "identity/service.hpp"
#include "jobs/jobs.hpp"
#include "security/crypto.hpp"
#include "store/db.hpp"
#include "workspace/service.hpp"

namespace ratusha::council {

struct BodyInput {
  std::optional<std::string> name, kind, jurisdiction, term_start, time_zone;
  std::optional<std::optional<std::string>> term_end;
  std::optional<std::int64_t> seats, parent_id;
  std::optional<bool> vote_change, camera_required;
};

struct MembershipInput {
  std::optional<std::int64_t> person_id;
  std::optional<std::string> role, seat, from_date;
  std::optional<std::optional<std::int64_t>> group_id;
  std::optional<std::optional<std::string>> to_date;
};

struct SittingInput {
  std::optional<std::int64_t> body_id, duration;
  std::optional<std::string> kind, mode, title, place, time_zone, start;
};

struct MajorityInput {
  std::string id;  // a preset, or "custom"
  std::optional<std::string> base;
  std::optional<std::int64_t> num, den;
  std::optional<bool> strict;
};

struct ItemInput {
  std::optional<std::string> title, rapporteur, draft;
  std::optional<MajorityInput> majority;
  std::optional<bool> named_required;
  std::optional<std::int64_t> position;
};

struct VoteInput {
  std::optional<std::int64_t> item_id, repeat_of, duration;  // duration: seconds, or none
  std::optional<std::string> title, kind, repeat_reason;
  std::optional<MajorityInput> majority;               // else the item's, else the default
  std::optional<std::vector<std::string>> candidates;  // an election (secret)
};

struct Quorum {
  std::int64_t seats = 0, present = 0, needed = 0;
  bool quorate = false;
};

// What the caller may do in a body now.
struct Standing {
  std::vector<std::string> roles;
  bool administers = false, presides = false, clerks = false, votes = false;
};

struct SittingView {
  Sitting sitting;
  std::vector<Item> items;
  std::vector<Attendee> attendees;  // the members on the sitting's day
  Quorum quorum;
  std::vector<Vote> votes;
  std::vector<Conflict> conflicts;
  std::vector<AgendaChange> pending_changes;
  std::vector<Speaker> speakers;  // speaking, waiting (in order), done
  Standing me;
  bool i_am_present = false;
};

struct Cast {
  std::int64_t vote_id = 0, seq = 0;
  std::string receipt, choice;
  bool changed = false;
};

struct ListedBallot {
  std::int64_t person_id = 0;
  std::string choice;
  std::optional<std::string> receipt;  // entered
  std::optional<std::string> problem;  // refused: the slug (not-present, already-voted, …)
};

struct ReceiptView {
  std::int64_t vote_id = 0, seq = 0, sitting_id = 0;
  std::string vote_title, vote_status, choice;
  std::optional<std::string> result;
};

// What anyone may see without logging in (BG-T, PL-N, PL-I): a sitting with its agenda and its
// votes, a vote with its named list, a councillor's record.
struct PublicSitting {
  Sitting sitting;
  std::vector<Item> items;
  std::vector<PublicVote> votes;
  std::vector<Conflict> conflicts;
  std::map<std::int64_t, std::vector<documents::Node>> materials;  // by item: published files
};

struct RecordEntry {
  std::int64_t vote_id = 0, sitting_id = 0, sitting_number = 0, closed_at = 0;
  std::string body_name, title, status, result;  // status: entitled | absent | conflict
  std::optional<std::string> choice;             // nullopt: did not vote
};

class CouncilService {
 public:
  CouncilService(store::Database& db, audit::AuditLog& audit, events::Bus& bus, jobs::Queue& jobs,
                 identity::IdentityService& identity, workspace::WorkspaceService& workspace,
                 documents::DocumentsService& documents, security::SigningKey key);
  ~CouncilService();

  // Whether a person's camera is on in a room's video meeting now (media answers; a body that
  // requires the camera asks it before a remote member registers).
  using CameraCheck = std::function<bool(std::int64_t person_id, std::int64_t room_id)>;
  void set_camera_check(CameraCheck f) { camera_on_ = std::move(f); }

  // --- bodies ---
  std::vector<Body> bodies(const identity::Principal& who);
  Body body(const identity::Principal& who, std::int64_t id);
  Body create_body(const identity::Principal& who, const BodyInput& in);
  Body update_body(const identity::Principal& who, std::int64_t id, const BodyInput& in);
  std::vector<Group> groups(const identity::Principal& who, std::int64_t body_id);
  Group create_group(const identity::Principal& who, std::int64_t body_id, const std::string& name,
                     const std::string& short_name);
  // `on`: a date, "today" (in the body's zone), "" for every membership there ever was.
  std::vector<Membership> members(const identity::Principal& who, std::int64_t body_id,
                                  const std::string& on);
  Membership add_member(const identity::Principal& who, std::int64_t body_id,
                        const MembershipInput& in);
  Membership update_member(const identity::Principal& who, std::int64_t id,
                           const MembershipInput& in);
  Standing standing(const identity::Principal& who, std::int64_t body_id);

  // --- sittings and agendas ---
  std::vector<Sitting> sittings(const identity::Principal& who, const db::SittingFilter& f);
  SittingView sitting(const identity::Principal& who, std::int64_t id);
  SittingView create_sitting(const identity::Principal& who, const SittingInput& in);
  SittingView update_sitting(const identity::Principal& who, std::int64_t id,
                             const SittingInput& in);
  // open | close | cancel
  SittingView set_sitting_status(const identity::Principal& who, std::int64_t id,
                                 const std::string& action);
  Item add_item(const identity::Principal& who, std::int64_t sitting_id, const ItemInput& in);
  Item update_item(const identity::Principal& who, std::int64_t item_id, const ItemInput& in);
  // During an open sitting the agenda changes only by a vote: this proposes the change and
  // opens the vote on it; adopted, it takes effect when the vote closes.
  Vote propose_agenda_change(const identity::Principal& who, std::int64_t sitting_id,
                             const std::string& kind, std::optional<std::int64_t> item_id,
                             std::optional<std::int64_t> position, const ItemInput& new_item);

  // --- attendance ---
  SittingView register_presence(const identity::Principal& who, std::int64_t sitting_id,
                                bool remote, const std::string& password,
                                const std::optional<std::string>& totp);
  SittingView leave(const identity::Principal& who, std::int64_t sitting_id);
  // The chair's roll call or the clerk's correction: present or not, for each member named.
  SittingView mark_presence(const identity::Principal& who, std::int64_t sitting_id,
                            const std::vector<std::pair<std::int64_t, bool>>& marks,
                            const std::string& how);
  std::vector<AttendanceEvent> attendance_log(const identity::Principal& who,
                                              std::int64_t sitting_id);
  void declare_conflict(const identity::Principal& who, std::int64_t item_id,
                        const std::string& note);

  // Draft minutes (the body's clerks, chairs and administrators); lang bg, pl or en.
  render::Document minutes(const identity::Principal& who, std::int64_t sitting_id,
                           const std::string& lang);

  // --- speakers ---
  // A member asks for the floor (speech, reply, point_of_order); the chair may put anyone on
  // the list (a rapporteur who is not a member) by giving person_id.
  Speaker request_floor(const identity::Principal& who, std::int64_t sitting_id,
                        const std::string& kind, std::optional<std::int64_t> item_id,
                        std::optional<std::int64_t> person_id);
  // The speaker takes back their request, or the chair strikes it.
  void withdraw_request(const identity::Principal& who, std::int64_t speaker_id);
  // The chair gives the floor (ending whoever had it) for `seconds` or the kind's default.
  Speaker give_floor(const identity::Principal& who, std::int64_t speaker_id,
                     std::optional<std::int64_t> seconds);
  // The chair takes the floor back, or the speaker ends.
  Speaker end_floor(const identity::Principal& who, std::int64_t speaker_id);
  // The chair's order of those waiting (within points of order, replies and speeches).
  std::vector<Speaker> order_speakers(const identity::Principal& who, std::int64_t sitting_id,
                                      const std::vector<std::int64_t>& ids);

  // --- votes ---
  Vote open_vote(const identity::Principal& who, std::int64_t sitting_id, const VoteInput& in);
  Cast cast(const identity::Principal& who, std::int64_t vote_id, const std::string& choice);
  // PL-N: when the devices fail, the clerk (or the chair) enters how each member voted as their
  // names are called; each such ballot is marked with who entered it, and the vote as manual.
  std::vector<ListedBallot> enter_named_list(
      const identity::Principal& who, std::int64_t vote_id,
      const std::vector<std::pair<std::int64_t, std::string>>& list);
  Vote close_vote(const identity::Principal& who, std::int64_t vote_id);
  Vote vote(const identity::Principal& who, std::int64_t vote_id);
  // Who may vote and who has; how each voted only in a closed named or open vote.
  std::vector<Voter> voters(const identity::Principal& who, std::int64_t vote_id);
  // Closes the votes whose time ran out (a job every few seconds).
  void close_due_votes();

  // --- what anyone may see ---
  std::vector<Sitting> public_sittings(const db::SittingFilter& f);
  PublicSitting public_sitting(std::int64_t id);
  PublicVote public_vote(std::int64_t id);
  std::vector<RecordEntry> voting_record(std::int64_t person_id, int limit);
  std::string display_name(std::int64_t person_id);
  // The latest closed votes, for the Atom feed.
  std::vector<PublicVote> recent_results(int limit);

  // --- what anyone may check ---
  // A closed vote's ledger (named and open votes with names; secret ones never had them).
  std::vector<LedgerEntry> ledger(std::int64_t vote_id);
  ReceiptView receipt(const std::string& receipt);
  Replay verify(std::int64_t vote_id);
  std::vector<std::int64_t> all_votes();
  const std::string& public_key() const { return key_.public_key; }

 private:
  PublicVote public_vote_tx(store::Tx& tx, const Vote& v);
  Standing standing(store::Tx& tx, const identity::Principal& who, const Body& b,
                    const std::string& day);
  void require_admin(const identity::Principal& who);
  // Before the sitting opens, its clerks and chairs change the agenda directly.
  void require_agenda_editable(store::Tx& tx, const identity::Principal& who, const Sitting& s);
  SittingView view(store::Tx& tx, const identity::Principal& who, const Sitting& s);
  Quorum quorum_of(store::Tx& tx, const Sitting& s);
  Vote open_vote_tx(store::Tx& tx, const identity::Principal& who, const Sitting& s,
                    const VoteInput& in, std::optional<std::int64_t> change_id);
  Vote close_vote_tx(store::Tx& tx, std::optional<std::int64_t> by, std::int64_t vote_id);
  std::optional<Vote> lock_for_close(store::Tx& tx, std::int64_t vote_id);
  void apply_agenda_change(store::Tx& tx, const AgendaChange& c, std::int64_t vote_id);
  // The item's materials: a documents space the body's members read and its clerks and chairs
  // fill (made on first use, grants renewed each time).
  void open_materials(store::Tx& tx, Item& i, const Sitting& s);
  void find_materials(store::Tx& tx, std::vector<Item>& items);
  void sync_roles(store::Tx& tx, std::int64_t body_id, std::int64_t person_id);
  void sync_all_roles();
  void changed(store::Tx& tx, std::int64_t sitting_id, const std::string& what);
  std::string today(const std::string& zone) const;
  struct PendingBallot {
    std::int64_t person_id = 0, vote_id = 0;
    std::string choice;
    std::optional<std::int64_t> entered_by;  // a clerk's named list (PL-N)
    Cast cast;
    std::exception_ptr error;
    bool done = false;
  };
  void write_ballots(std::vector<PendingBallot*>& batch);
  void write_ballots_of(store::Tx& tx, const std::vector<PendingBallot*>& ballots);
  void progress_changed(std::int64_t vote_id);
  void publish_progress();

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  jobs::Queue& jobs_;
  identity::IdentityService& identity_;
  workspace::WorkspaceService& workspace_;
  documents::DocumentsService& documents_;
  security::SigningKey key_;
  std::mutex box_mu_;  // the ballots waiting to be written (cast)
  std::condition_variable box_cv_;
  std::vector<PendingBallot*> box_queue_;
  bool box_writing_ = false;
  std::mutex progress_mu_;
  std::condition_variable progress_cv_;
  std::set<std::int64_t> progress_dirty_;
  bool stopping_ = false;
  std::thread progress_thread_;
  CameraCheck camera_on_;
};

}  // namespace ratusha::council
