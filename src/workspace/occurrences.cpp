// Changing one occurrence of a repeating meeting, or it and all that follow. One occurrence
// becomes an exception of the series (moved or cancelled; RECURRENCE-ID / EXDATE in the
// invitations). "All following" splits the series, as calendar programs do: the old one ends
// before the occurrence (UNTIL) and a new series with its own UID starts there with the changes
// and the same invitees.
#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "workspace/calendar.hpp"
#include "workspace/rules.hpp"
#include "workspace/service.hpp"
#include "workspace/service_util.hpp"
#include "workspace/store.hpp"

namespace ratusha::workspace {

using detail::actor_of;
using detail::occurrence_data;
using detail::target;
using detail::when_text;
using identity::Principal;
using store::Tx;

namespace {

void check_change(const OccurrenceChange& c) {
  std::vector<FieldError> errors;
  if (c.scope != "this" && c.scope != "following")
    errors.push_back({"scope", "invalid", "Use this or following."});
  if (c.cancel && (c.start || c.duration || c.title || c.agenda))
    errors.push_back({"cancel", "with_changes", "Cancel, or change; not both."});
  if (!c.cancel && !c.start && !c.duration && !c.title && !c.agenda)
    errors.push_back({"start", "required", "Say what changes."});
  if (c.scope == "this" && (c.title || c.agenda))
    errors.push_back(
        {c.title ? "title" : "agenda", "only_following",
         "The title and agenda change for the whole series or from an occurrence on."});
  if (c.title && (c.title->empty() || utf8_length(*c.title) > 200))
    errors.push_back({"title", c.title->empty() ? "required" : "too_long", "1 to 200 characters."});
  if (c.agenda && utf8_length(*c.agenda) > 10000)
    errors.push_back({"agenda", "too_long", "At most 10,000 characters."});
  if (c.duration && (*c.duration < kMinDuration || *c.duration > kMaxDuration))
    errors.push_back({"duration", "out_of_range", "From 5 minutes to 24 hours."});
  if (c.start && !parse_local(*c.start))
    errors.push_back({"start", "invalid", "Give the start as 2026-12-01T10:00."});
  if (!errors.empty()) throw validation_error(errors);
}

std::int64_t utc_start(const std::string& local, const std::string& zone) {
  auto s = to_utc(*parse_local(local), zone);
  if (!s)
    throw field_error("start", "nonexistent_time",
                      "That time does not exist on that day in " + zone + ".");
  return *s;
}

}  // namespace

MeetingView WorkspaceService::change_occurrence(const Principal& who, std::int64_t id,
                                                std::int64_t occurrence,
                                                const OccurrenceChange& c) {
  check_change(c);
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto m = editable_meeting(tx, who, id);
    if (!m.rrule)
      throw field_error("occurrence", "not_repeating",
                        "The meeting does not repeat: change the meeting itself.");
    // The occurrence as listed, and the start its rule gives it (they differ once moved).
    auto changed = db::exceptions(tx, m.id);
    std::optional<std::int64_t> original;
    for (auto& x : changed)
      if (x.starts_at == occurrence) original = x.original_start;
    auto end = db::occurrence_end(tx, m.id, occurrence);
    if (!original && end && std::none_of(changed.begin(), changed.end(), [&](auto& x) {
          return x.original_start == occurrence;
        }))
      original = occurrence;
    if (!original || !end) throw not_found("No such occurrence.");
    if (*end <= now)
      throw Error(ErrorKind::conflict, "occurrence-over", "That occurrence is over already.");

    std::vector<std::int64_t> others;
    for (auto& i : db::invitees(tx, m.id))
      if (i.person_id != who.person_id) others.push_back(i.person_id);
    auto everyone = others;
    everyone.push_back(who.person_id);
    auto link = "/meetings/" + std::to_string(m.id);

    if (c.scope == "this") {
      OccurrenceException x{*original, std::nullopt, std::nullopt};
      if (!c.cancel) {
        auto start = c.start ? utc_start(*c.start, m.time_zone) : occurrence;
        x.starts_at = start;
        x.ends_at = start + c.duration.value_or(*end - occurrence);
        if (*x.ends_at <= now)
          throw field_error("start", "in_past", "The occurrence would be over already.");
        if (start > now + kMaxYearsAhead * 366 * 86400)
          throw field_error("start", "too_far", "At most five years ahead.");
        // Onto another occurrence: one written out, or one the rule gives beyond the horizon.
        bool taken = start != occurrence && db::occurrence_end(tx, m.id, start);
        if (!taken && start != *original && start >= m.expanded_until) {
          auto same =
              expand(*m.rrule, *parse_local(m.local_start), m.time_zone, start, start + 1, 1);
          taken = !same.starts.empty() && same.starts.front() == start;
        }
        if (taken)
          throw Error(ErrorKind::conflict, "occurrence-taken",
                      "Another occurrence of this meeting starts then.");
      }
      db::put_exception(tx, m.id, x, now);
      db::remove_occurrence(tx, m.id, occurrence);
      if (x.starts_at) db::add_occurrences(tx, m.id, {{*x.starts_at, *x.ends_at}});
      m.sequence += 1;
      m.updated_at = now;
      db::update_meeting(tx, m);
      for (auto p : others)
        notify(tx, p, c.cancel ? "meeting.cancelled" : "meeting.changed", m.title,
               who.display_name + " · " + when_text(m, x.starts_at.value_or(occurrence)), link,
               occurrence_data(m, x.starts_at.value_or(occurrence), who.display_name));
      mail_invitation(tx, m, "REQUEST", others);
      announce(tx, m, everyone);
      audit_.append(
          tx, actor_of(who),
          c.cancel ? "meeting.occurrence_cancelled" : "meeting.occurrence_changed", target(m),
          {{"occurrence", rfc3339(occurrence)}, {"starts_at", nullable_time(x.starts_at)}});
      auto v = view(tx, who, m, now);
      if (!c.cancel) v.conflicts = conflicts(tx, m);
      return v;
    }

    // "This and all following".
    if (*original <= m.starts_at)
      throw field_error("occurrence", "first",
                        "From the first occurrence on is the whole meeting: change the meeting.");
    auto first = *parse_local(m.local_start);
    // How many the old series had before (for a COUNT; not capped at one horizon's worth).
    auto before =
        expand(*m.rrule, first, m.time_zone, m.starts_at, *original, 100000).starts.size();
    auto rest = rrule_rest(*m.rrule, static_cast<std::int64_t>(before));
    Meeting old = m;
    // The occurrences changed from here on go with the new series when its time stays (the
    // rule then gives the same starts); a new time for the series drops them, as a whole
    // series' new time does.
    std::vector<OccurrenceException> carried;
    for (auto& x : changed)
      if (x.original_start >= *original) carried.push_back(x);
    m.rrule = rrule_ending(*m.rrule, *original - 1);
    m.sequence += 1;
    m.updated_at = now;
    db::update_meeting(tx, m);
    db::drop_exceptions(tx, m.id, *original);
    db::clear_occurrences(tx, m.id);
    write_occurrences(tx, m, m.starts_at, now);
    mail_invitation(tx, m, "REQUEST", others);

    if (c.cancel || !rest) {
      for (auto p : others)
        notify(tx, p, "meeting.cancelled", m.title,
               who.display_name + " · " + when_text(m, occurrence), link,
               occurrence_data(m, occurrence, who.display_name));
      announce(tx, m, everyone);
      audit_.append(tx, actor_of(who), "meeting.following_cancelled", target(m),
                    {{"occurrence", rfc3339(occurrence)}});
      return view(tx, who, m, now);
    }

    // The new series: the rest of the rule from this occurrence's place, with the changes.
    Meeting n = old;
    n.id = 0;
    n.uid = security::random_token(16) + "@ratusha";
    n.title = c.title.value_or(old.title);
    n.agenda = c.agenda.value_or(old.agenda);
    n.local_start = c.start ? format_local(*parse_local(*c.start))
                            : format_local(to_local(*original, old.time_zone));
    n.starts_at = utc_start(n.local_start, n.time_zone);
    n.duration = c.duration.value_or(old.duration);
    n.ends_at = n.starts_at + n.duration;
    n.rrule = *rest;
    n.sequence = 0;
    n.status = "scheduled";
    n.created_at = n.updated_at = now;
    n.id = db::insert_meeting(tx, n);
    if (!c.start)
      for (auto& x : carried) db::put_exception(tx, n.id, x, now);
    write_occurrences(tx, n, n.starts_at, now);
    if (!tx.one("SELECT 1 FROM meeting_occurrences WHERE meeting_id = ?", {n.id}))
      throw field_error("start", "no_occurrences", "The rule gives no meeting from then on.");
    // The same people; a new time asks them again, a new title alone does not.
    bool retimed = n.starts_at != *original || n.duration != old.duration;
    for (auto& i : db::invitees(tx, old.id))
      db::add_invitee(tx, n.id, i.person_id, i.via,
                      i.person_id == n.organiser_id || !retimed ? i.response : "needs-action");
    open_space(tx, n);
    auto new_link = "/meetings/" + std::to_string(n.id);
    for (auto p : others)
      notify(tx, p, "meeting.changed", n.title,
             who.display_name + " · " + when_text(n, n.starts_at), new_link,
             occurrence_data(n, n.starts_at, who.display_name));
    mail_invitation(tx, n, "REQUEST", others);
    announce(tx, m, everyone);
    announce(tx, n, everyone);
    audit_.append(tx, actor_of(who), "meeting.split", target(m),
                  {{"occurrence", rfc3339(occurrence)},
                   {"new_meeting", id_string(n.id)},
                   {"starts_at", rfc3339(n.starts_at)}});
    auto v = view(tx, who, *db::meeting(tx, n.id), now);
    v.conflicts = conflicts(tx, n);
    return v;
  });
}

}  // namespace ratusha::workspace
