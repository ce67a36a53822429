#pragma once
// All SQL of the council module.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "council/ledger.hpp"
#include "council/model.hpp"
#include "store/db.hpp"

namespace ratusha::council::db {

using store::Tx;

// bodies
std::vector<Body> bodies(Tx& tx);
std::optional<Body> body(Tx& tx, std::int64_t id);
void insert_body(Tx& tx, const Body& b);
void update_body(Tx& tx, const Body& b);
std::vector<Group> groups(Tx& tx, std::int64_t body_id);
std::optional<Group> group(Tx& tx, std::int64_t id);
std::int64_t insert_group(Tx& tx, std::int64_t body_id, const std::string& name,
                          const std::string& short_name, std::int64_t now);

// memberships; `on`: a date (YYYY-MM-DD), or every membership ever when empty
std::vector<Membership> memberships(Tx& tx, std::int64_t body_id, const std::string& on);
std::optional<Membership> membership(Tx& tx, std::int64_t id);
std::int64_t insert_membership(Tx& tx, const Membership& m, std::int64_t now);
void update_membership(Tx& tx, const Membership& m, std::int64_t now);
// Every place (role and last day) the person ever held in the body.
std::vector<Membership> places_of(Tx& tx, std::int64_t body_id, std::int64_t person_id);
// (body, person) of the places that begin or end between the two dates.
std::vector<std::pair<std::int64_t, std::int64_t>> places_changing(Tx& tx, const std::string& from,
                                                                   const std::string& to);
// The person's roles in a body on a date.
std::vector<std::string> roles_on(Tx& tx, std::int64_t body_id, std::int64_t person_id,
                                  const std::string& on);

// sittings
std::optional<Sitting> sitting(Tx& tx, std::int64_t id);
struct SittingFilter {
  std::optional<std::int64_t> body_id;
  std::optional<std::string> status;
  std::optional<std::int64_t> from, before_start;
  int limit = 50;
};
std::vector<Sitting> sittings(Tx& tx, const SittingFilter& f);
std::optional<Sitting> sitting_of_meeting(Tx& tx, std::int64_t meeting_id);
std::int64_t next_sitting_number(Tx& tx, std::int64_t body_id);
std::int64_t insert_sitting(Tx& tx, const Sitting& s, std::optional<std::int64_t> by);
void update_sitting(Tx& tx, const Sitting& s);

// agenda
std::vector<Item> items(Tx& tx, std::int64_t sitting_id);
std::optional<Item> item(Tx& tx, std::int64_t id);
std::int64_t insert_item(Tx& tx, const Item& i, std::int64_t now);
void update_item(Tx& tx, const Item& i, std::int64_t now);
std::optional<AgendaChange> agenda_change(Tx& tx, std::int64_t id);
std::int64_t insert_agenda_change(Tx& tx, const AgendaChange& c, std::int64_t by, std::int64_t now);
void set_agenda_change_status(Tx& tx, std::int64_t id, const std::string& status);

// attendance
struct Presence {
  bool present = false, remote = false;
};
std::optional<Presence> presence(Tx& tx, std::int64_t sitting_id, std::int64_t person_id);
void set_presence(Tx& tx, std::int64_t sitting_id, std::int64_t person_id, bool present,
                  bool remote, std::int64_t now);
void log_attendance(Tx& tx, std::int64_t sitting_id, std::int64_t person_id,
                    const std::string& event, bool remote, const std::string& how,
                    std::optional<std::int64_t> by, std::int64_t now);
std::vector<std::int64_t> present_people(Tx& tx, std::int64_t sitting_id);
std::vector<AttendanceEvent> attendance_log(Tx& tx, std::int64_t sitting_id);

// speakers: those waiting in the order they will speak, who is speaking, then those done
std::vector<Speaker> speakers(Tx& tx, std::int64_t sitting_id);
std::optional<Speaker> speaker(Tx& tx, std::int64_t id);
std::int64_t insert_speaker(Tx& tx, const Speaker& s);
void update_speaker(Tx& tx, const Speaker& s);

// conflicts of interest
std::vector<Conflict> conflicts(Tx& tx, std::int64_t sitting_id);
bool has_conflict(Tx& tx, std::int64_t item_id, std::int64_t person_id);
void insert_conflict(Tx& tx, std::int64_t item_id, std::int64_t person_id, const std::string& note,
                     std::int64_t now);

// votes
std::optional<Vote> vote(Tx& tx, std::int64_t id, bool for_update = false);
std::vector<Vote> votes(Tx& tx, std::int64_t sitting_id);
std::optional<std::int64_t> open_vote_in(Tx& tx, std::int64_t sitting_id);
std::int64_t insert_vote(Tx& tx, const Vote& v);
void close_vote(Tx& tx, const Vote& v);
// Open votes whose time ran out.
std::vector<std::int64_t> votes_due(Tx& tx, std::int64_t now);
void insert_voters(Tx& tx, std::int64_t vote_id, const std::vector<Voter>& voters);
std::vector<Voter> voters(Tx& tx, std::int64_t vote_id);
std::optional<Voter> voter(Tx& tx, std::int64_t vote_id, std::int64_t person_id);
// Marks an entitled voter who has not voted yet as having voted and gives their name; nullopt
// when they may not (see voter() for why). append_ledger counts them in the vote.
std::optional<std::string> claim_vote(Tx& tx, std::int64_t vote_id, std::int64_t person_id);
struct NewBallot {
  std::int64_t person_id = 0;
  std::string choice;
  std::int64_t seq = 0;  // its ledger entry
};
void insert_ballots(Tx& tx, std::int64_t vote_id, const std::vector<NewBallot>& ballots,
                    std::int64_t now);
void change_ballot(Tx& tx, std::int64_t vote_id, std::int64_t person_id, const std::string& choice,
                   std::int64_t seq, std::int64_t now);
std::vector<std::pair<std::int64_t, std::string>> ballots(Tx& tx, std::int64_t vote_id);
struct SecretBallot {
  std::string ballot, choice, receipt, signature;
};
void insert_secret_ballots(Tx& tx, std::int64_t vote_id, const std::vector<SecretBallot>& ballots);
// In the order of their random ids.
std::vector<SecretBallot> secret_ballots(Tx& tx, std::int64_t vote_id);
// vote id and choice of the secret ballot with this receipt.
std::optional<std::pair<std::int64_t, std::string>> secret_by_receipt(Tx& tx,
                                                                      const std::string& receipt);
void count_voted(Tx& tx, std::int64_t vote_id, std::int64_t newly);
// Writes a closed secret vote's participation and ballots again, in an order of their own
// (voters by person, ballots by their random id), so that nothing the database keeps (row
// order, row versions) follows the order in which they were cast.
void reshuffle_secret(Tx& tx, std::int64_t vote_id);

// ledger
// Appends the next entry of the vote's chain (the vote's row must be locked by the caller).
LedgerEntry append_ledger(Tx& tx, const security::SigningKey& key, std::int64_t vote_id,
                          const std::string& kind, const std::string& payload);
// Several entries (kind, payload) at once, in one statement; `newly_voted` is added to the
// vote's count of those who have voted.
std::vector<LedgerEntry> append_ledger(
    Tx& tx, const security::SigningKey& key, std::int64_t vote_id,
    const std::vector<std::pair<std::string, std::string>>& items, std::int64_t newly_voted);
std::vector<LedgerEntry> ledger(Tx& tx, std::int64_t vote_id);
std::optional<LedgerEntry> by_receipt(Tx& tx, const std::string& receipt);

}  // namespace ratusha::council::db
