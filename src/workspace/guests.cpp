// External guests: the organiser invites someone from outside by e-mail. They become a person of
// kind guest (identity) and an invitee of the meeting, and get an invitation with a link that
// works once, while the meeting is on: from 15 minutes before an occurrence until its end (so it
// is not used up days ahead by someone who only had a look), for 30 days. Which occurrence is
// on is read when the link is used, so a meeting moved or cancelled meanwhile is followed.
// Opening the link's page does not use it (mail scanners open links); entering does, and starts
// a session that ends with the occurrence. As an invitee the guest sees the meeting, its chat and
// its room while it is on — nothing else (identity refuses guests the directory; they only read
// documents shared with the meeting).
#include <algorithm>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "mail/mime.hpp"
#include "security/crypto.hpp"
#include "workspace/rules.hpp"
#include "workspace/service.hpp"
#include "workspace/service_util.hpp"
#include "workspace/store.hpp"

namespace ratusha::workspace {

using detail::actor_of;
using detail::target;
using identity::Principal;
using store::Tx;

namespace {

constexpr std::int64_t kLinkDays = 30;

std::string link_target(const GuestLink& g) {
  return "guest-link:" + std::to_string(g.id);
}

// The link behind a token with its meeting; 404 for an unknown or taken back one.
std::pair<GuestLink, Meeting> link_of(Tx& tx, const std::string& token) {
  if (token.size() < 20 || token.size() > 100) throw not_found("No such invitation.");
  auto g = db::guest_link_by_token(tx, security::sha256_hex(token));
  auto m = g ? db::meeting(tx, g->meeting_id) : std::nullopt;
  // Taken back, or taken off the meeting's list since: the same as never invited.
  if (!g || g->revoked_at || !m || !db::invitee(tx, m->id, g->person_id))
    throw not_found("No such invitation.");
  return {*g, *m};
}

}  // namespace

GuestLink WorkspaceService::invite_guest(const Principal& who, std::int64_t meeting_id,
                                         const std::string& email, const std::string& name) {
  std::vector<FieldError> errors;
  if (email.empty() || email.size() > 254 || !mail::valid_address(email))
    errors.push_back({"email", "invalid", "Not an e-mail address."});
  if (name.empty() || utf8_length(name) > 200 || has_control_chars(name, false))
    errors.push_back({"display_name", name.empty() ? "required" : "invalid",
                      "The guest's name, 1 to 200 characters."});
  if (!errors.empty()) throw validation_error(errors);
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto m = editable_meeting(tx, who, meeting_id);
    auto next = db::next_occurrence(tx, m.id, now);
    if (!next)
      throw Error(ErrorKind::conflict, "no-upcoming", "The meeting has no occurrence to come.");
    auto person = identity_.ensure_guest(tx, actor_of(who), email, name);
    if (auto i = db::invitee(tx, m.id, person); i && i->via != "guest")
      throw field_error("email", "invited", "This person is invited already.");
    // A new link replaces the guest's earlier one for this meeting.
    tx.exec(
        "UPDATE meeting_guest_links SET revoked_at = ? WHERE meeting_id = ? AND person_id = ? AND "
        "revoked_at IS NULL AND used_at IS NULL",
        {now, m.id, person});
    db::add_invitee(tx, m.id, person, "guest", "needs-action");
    auto token = security::random_token(32);
    GuestLink g;
    g.meeting_id = m.id;
    g.person_id = person;
    g.created_at = now;
    g.starts_at = next->first;
    g.expires_at = now + kLinkDays * 86400;
    g.id = db::insert_guest_link(tx, g, security::sha256_hex(token));
    auto made = *db::guest_link(tx, g.id);
    made.url = public_url_ + "/guest/" + token;
    mail_invitation(tx, m, "REQUEST", {person}, made.url);
    announce(tx, m, {who.person_id, person});
    audit_.append(tx, actor_of(who), "meeting.guest_invited", target(m),
                  {{"guest", link_target(made)},
                   {"email", made.email},
                   {"expires_at", rfc3339(made.expires_at)}});
    return made;
  });
}

std::vector<GuestLink> WorkspaceService::guests(const Principal& who, std::int64_t meeting_id) {
  return db_.read([&](Tx& tx) {
    auto m = visible_meeting(tx, who, meeting_id);
    if (!may_edit(tx, who, m)) throw forbidden("Only the organiser sees the guests' links.");
    return db::guest_links(tx, m.id);
  });
}

void WorkspaceService::revoke_guest(const Principal& who, std::int64_t meeting_id,
                                    std::int64_t link_id) {
  auto now = now_seconds();
  db_.write([&](Tx& tx) {
    auto m = editable_meeting(tx, who, meeting_id);
    auto g = db::guest_link(tx, link_id);
    if (!g || g->meeting_id != m.id) throw not_found("No such guest.");
    if (g->revoked_at) return;
    tx.exec("UPDATE meeting_guest_links SET revoked_at = ? WHERE id = ?", {now, link_id});
    // Off the list: the meeting, its room and its chat close to them; they hear it is off.
    auto before = m;
    before.sequence = m.sequence + 1;
    mail_invitation(tx, before, "CANCEL", {g->person_id});
    db::remove_invitee(tx, m.id, g->person_id);
    announce(tx, m, {who.person_id, g->person_id});
    audit_.append(tx, actor_of(who), "meeting.guest_revoked", target(m),
                  {{"guest", link_target(*g)}, {"email", g->email}});
  });
}

WorkspaceService::GuestPreview WorkspaceService::guest_preview(const std::string& token) {
  auto now = now_seconds();
  return db_.read([&](Tx& tx) {
    auto [link, meeting] = link_of(tx, token);
    auto* g = &link;
    auto* m = &meeting;
    GuestPreview p;
    p.meeting = *m;
    p.display_name = g->display_name;
    auto open = db::occurrence_open(tx, m->id, now, kJoinEarly);
    auto next = open ? open : db::next_occurrence(tx, m->id, now);
    p.starts_at = next ? next->first : g->starts_at;
    p.ends_at = next ? next->second : g->starts_at + m->duration;
    p.state = g->used_at                                                  ? "used"
              : g->expires_at <= now || m->status == "cancelled" || !next ? "expired"
              : open                                                      ? "valid"
                                                                          : "early";
    return p;
  });
}

std::pair<identity::LoginResult, std::int64_t> WorkspaceService::use_guest_link(
    const std::string& token, const std::string& address, const std::string& user_agent) {
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto [link, meeting] = link_of(tx, token);
    auto* g = &link;
    auto* m = &meeting;
    if (g->used_at)
      throw Error(ErrorKind::gone, "link-used",
                  "This invitation was used already; ask the organiser for a new one.");
    if (g->expires_at <= now || m->status == "cancelled")
      throw Error(ErrorKind::gone, "link-expired", "This invitation has expired.");
    // The occurrence on now, as the meeting is now (moved or cancelled ones followed).
    auto open = db::occurrence_open(tx, m->id, now, kJoinEarly);
    if (!open) {
      auto next = db::next_occurrence(tx, m->id, now);
      if (!next) throw Error(ErrorKind::gone, "link-expired", "The meeting is over.");
      throw Error(ErrorKind::conflict, "link-early",
                  "The invitation opens 15 minutes before the meeting, at " +
                      rfc3339(next->first - kJoinEarly) + ".");
    }
    if (!db::use_guest_link(tx, g->id, now))
      throw Error(ErrorKind::gone, "link-used", "This invitation was used already.");
    auto session = identity_.guest_session(tx, g->person_id, open->second, address, user_agent);
    tx.exec(
        "UPDATE meeting_invitees SET response = 'accepted', responded_at = ? WHERE meeting_id = ? "
        "AND person_id = ? AND response = 'needs-action'",
        {now, m->id, g->person_id});
    announce(tx, *m, {m->organiser_id, g->person_id});
    audit_.append(tx, {g->person_id, g->display_name, address}, "meeting.guest_link_used",
                  target(*m), {{"guest", link_target(*g)}});
    return std::pair{std::move(session), m->id};
  });
}

}  // namespace ratusha::workspace
