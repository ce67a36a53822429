// What anyone may see without logging in: sittings with their agendas and votes, each vote with
// its named list, each councillor's voting record, and the latest results for the Atom feed.
#include <map>

#include "core/error.hpp"
#include "council/service.hpp"
#include "workspace/calendar.hpp"

namespace ratusha::council {

using store::Tx;

PublicVote CouncilService::public_vote_tx(Tx& tx, const Vote& v) {
  PublicVote p;
  p.vote = v;
  auto s = db::sitting(tx, v.sitting_id);
  p.body_name = s->body_name;
  p.sitting_number = s->number;
  p.sitting_title = s->title;
  // Named lists are published once the vote is closed, for named and open votes alike (an open
  // vote's ledger names its voters too; PL-N wants every open vote's list); secret votes only by
  // counts.
  if (v.status == "closed" && v.kind != "secret") {
    std::map<std::int64_t, std::string> choice;
    for (auto& [person, c] : db::ballots(tx, v.id)) choice[person] = c;
    p.named = db::voters(tx, v.id);
    for (auto& x : p.named)
      if (auto it = choice.find(x.person_id); it != choice.end()) x.choice = it->second;
  }
  return p;
}

std::vector<Sitting> CouncilService::public_sittings(const db::SittingFilter& f) {
  return db_.read([&](Tx& tx) { return db::sittings(tx, f); });
}

PublicSitting CouncilService::public_sitting(std::int64_t id) {
  auto out = db_.read([&](Tx& tx) {
    auto s = db::sitting(tx, id);
    if (!s) throw not_found("No such sitting.");
    PublicSitting p;
    p.sitting = *s;
    p.items = db::items(tx, id);
    find_materials(tx, p.items);
    for (auto& v : db::votes(tx, id)) p.votes.push_back(public_vote_tx(tx, v));
    p.conflicts = db::conflicts(tx, id);
    return p;
  });
  // The materials are published like the agenda (their spaces grant "public" view).
  for (const auto& i : out.items) {
    if (!i.materials_folder_id) continue;
    try {
      out.materials[i.id] = documents_.published_files(*i.materials_folder_id, 200);
    } catch (const Error&) {
      // Not published (its grant was taken away): the agenda still shows.
    }
  }
  return out;
}

PublicVote CouncilService::public_vote(std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto v = db::vote(tx, id);
    if (!v) throw not_found("No such vote.");
    return public_vote_tx(tx, *v);
  });
}

std::vector<RecordEntry> CouncilService::voting_record(std::int64_t person_id, int limit) {
  return db_.read([&](Tx& tx) {
    std::vector<RecordEntry> out;
    for (auto& r : tx.query(
             "SELECT v.id, v.sitting_id, s.number, v.closed_at, u.name, v.title, x.status, "
             "v.result, b.choice FROM council_vote_voters x JOIN council_votes v ON v.id = "
             "x.vote_id JOIN council_sittings s ON s.id = v.sitting_id JOIN units u ON u.id = "
             "s.body_id LEFT JOIN council_ballots b ON b.vote_id = v.id AND b.person_id = "
             "x.person_id WHERE x.person_id = ? AND v.kind <> 'secret' AND v.status = 'closed' "
             "ORDER BY v.closed_at DESC, v.id DESC LIMIT ?",
             {person_id, std::int64_t{limit}})) {
      RecordEntry e;
      e.vote_id = r.int64(0);
      e.sitting_id = r.int64(1);
      e.sitting_number = r.int64(2);
      e.closed_at = r.opt_int64(3).value_or(0);
      e.body_name = r.text(4);
      e.title = r.text(5);
      e.status = r.text(6);
      e.result = r.opt_text(7).value_or("");
      e.choice = r.opt_text(8);
      out.push_back(std::move(e));
    }
    return out;
  });
}

std::string CouncilService::display_name(std::int64_t person_id) {
  return db_.read([&](Tx& tx) {
    // Only those who ever held a place in a body have a public record.
    auto r = tx.one(
        "SELECT p.display_name FROM people p WHERE p.id = ? AND EXISTS (SELECT 1 FROM "
        "council_memberships m WHERE m.person_id = p.id)",
        {person_id});
    if (!r) throw not_found("No such councillor.");
    return r->text(0);
  });
}

std::vector<PublicVote> CouncilService::recent_results(int limit) {
  return db_.read([&](Tx& tx) {
    std::vector<PublicVote> out;
    for (auto& r : tx.query("SELECT id FROM council_votes WHERE status = 'closed' ORDER BY "
                            "closed_at DESC, id DESC LIMIT ?",
                            {std::int64_t{limit}}))
      out.push_back(public_vote_tx(tx, *db::vote(tx, r.int64(0))));
    return out;
  });
}

render::Document CouncilService::minutes(const identity::Principal& who, std::int64_t sitting_id,
                                         const std::string& lang) {
  if (!who.can("council.manage")) throw forbidden("This needs the council.manage permission.");
  return db_.read([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s || who.guest()) throw not_found("No such sitting.");
    auto body = db::body(tx, s->body_id);
    auto day =
        workspace::format_local(workspace::to_local(s->starts_at, s->time_zone)).substr(0, 10);
    auto me = standing(tx, who, *body, day);
    if (!me.administers && !me.clerks && !me.presides)
      throw forbidden("Only the body's clerks and chairs draft the minutes.");
    MinutesData m;
    m.sitting = *s;
    for (auto& mb : db::memberships(tx, s->body_id, day))
      if (votes(mb.role)) m.members.push_back(mb);
    m.attendance = db::attendance_log(tx, sitting_id);
    m.items = db::items(tx, sitting_id);
    for (auto& v : db::votes(tx, sitting_id)) m.votes.push_back(public_vote_tx(tx, v));
    m.conflicts = db::conflicts(tx, sitting_id);
    m.speakers = db::speakers(tx, sitting_id);
    return draft_minutes(m, lang);
  });
}

}  // namespace ratusha::council
