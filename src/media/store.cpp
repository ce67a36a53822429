// All SQL of the media module.
#include "media/store.hpp"

#include "core/json.hpp"

namespace ratusha::media::db {

namespace {

constexpr const char* kRoomCols =
    "room_id, instance, janus_room, pin_generation, locked_at, locked_by, session_started_at, "
    "recording_started_at";

MediaRoom room_from(const store::Row& r) {
  MediaRoom m;
  m.room_id = r.int64(0);
  m.instance = r.text(1);
  m.janus_room = r.int64(2);
  m.pin_generation = r.int64(3);
  m.locked_at = r.opt_int64(4);
  m.locked_by = r.opt_int64(5);
  m.session_started_at = r.opt_int64(6);
  m.recording_started_at = r.opt_int64(7);
  return m;
}

constexpr const char* kParticipantCols =
    "x.id, x.room_id, x.person_id, x.janus_id, p.display_name, x.host, x.hand_raised, "
    "x.muted_audio, x.muted_video, x.streams, x.joined_at, x.left_at, x.removed_by, x.sharing "
    "FROM media_participants x JOIN people p ON p.id = x.person_id ";

std::vector<Stream> streams_from(const std::string& text) {
  std::vector<Stream> out;
  try {
    auto v = json::parse(text);
    if (!v.is_array()) return out;
    for (auto& s : v.as_array()) {
      if (!s.is_object()) continue;
      auto* mid = s.as_object().if_contains("mid");
      auto* type = s.as_object().if_contains("type");
      if (mid && mid->is_string() && type && type->is_string())
        out.push_back({std::string(mid->as_string()), std::string(type->as_string())});
    }
  } catch (const std::exception&) {
  }
  return out;
}

std::string streams_text(const std::vector<Stream>& streams) {
  json::array a;
  for (const auto& s : streams) a.push_back(json::object{{"mid", s.mid}, {"type", s.type}});
  return json::serialize(a);
}

Participant participant_from(const store::Row& r) {
  Participant p;
  p.id = r.int64(0);
  p.room_id = r.int64(1);
  p.person_id = r.int64(2);
  p.janus_id = r.int64(3);
  p.display_name = r.text(4);
  p.host = r.int64(5) != 0;
  p.hand_raised = r.int64(6) != 0;
  p.muted_audio = r.int64(7) != 0;
  p.muted_video = r.int64(8) != 0;
  p.streams = streams_from(r.text(9));
  p.joined_at = r.int64(10);
  p.left_at = r.opt_int64(11);
  p.removed_by = r.opt_int64(12);
  p.sharing = r.int64(13) != 0;
  return p;
}

}  // namespace

std::optional<MediaRoom> media_room(Tx& tx, std::int64_t room_id) {
  auto r =
      tx.one(std::string("SELECT ") + kRoomCols + " FROM media_rooms WHERE room_id = ?", {room_id});
  return r ? std::optional(room_from(*r)) : std::nullopt;
}

void insert_media_room(Tx& tx, const MediaRoom& r, std::int64_t now) {
  tx.exec(
      "INSERT INTO media_rooms (room_id, instance, janus_room, pin_generation, session_started_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?)",
      {r.room_id, r.instance, r.janus_room, r.pin_generation, store::opt(r.session_started_at),
       now});
}

void update_media_room(Tx& tx, const MediaRoom& r) {
  tx.exec(
      "UPDATE media_rooms SET instance = ?, janus_room = ?, pin_generation = ?, locked_at = ?, "
      "locked_by = ?, session_started_at = ?, recording_started_at = ? WHERE room_id = ?",
      {r.instance, r.janus_room, r.pin_generation, store::opt(r.locked_at), store::opt(r.locked_by),
       store::opt(r.session_started_at), store::opt(r.recording_started_at), r.room_id});
}

std::vector<std::pair<std::string, std::int64_t>> rooms_per_instance(Tx& tx) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (auto& r : tx.query(
           "SELECT instance, COUNT(*) FROM media_rooms WHERE session_started_at IS NOT NULL GROUP "
           "BY instance"))
    out.emplace_back(r.text(0), r.int64(1));
  return out;
}

std::vector<Participant> live_participants(Tx& tx, std::int64_t room_id) {
  std::vector<Participant> out;
  for (auto& r :
       tx.query(std::string("SELECT ") + kParticipantCols +
                    "WHERE x.room_id = ? AND x.left_at IS NULL ORDER BY x.joined_at, x.id",
                {room_id}))
    out.push_back(participant_from(r));
  return out;
}

std::optional<Participant> participant(Tx& tx, std::int64_t room_id, std::int64_t janus_id) {
  auto r =
      tx.one(std::string("SELECT ") + kParticipantCols + "WHERE x.room_id = ? AND x.janus_id = ?",
             {room_id, janus_id});
  return r ? std::optional(participant_from(*r)) : std::nullopt;
}

void insert_participant(Tx& tx, Participant& p) {
  p.id = tx.insert(
      "INSERT INTO media_participants (room_id, person_id, janus_id, host, muted_audio, "
      "muted_video, joined_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {p.room_id, p.person_id, p.janus_id, std::int64_t{p.host ? 1 : 0},
       std::int64_t{p.muted_audio ? 1 : 0}, std::int64_t{p.muted_video ? 1 : 0}, p.joined_at});
}

std::optional<std::pair<bool, bool>> muted_since(Tx& tx, std::int64_t room_id,
                                                 std::int64_t person_id, std::int64_t since) {
  auto r = tx.one(
      "SELECT muted_audio, muted_video FROM media_participants WHERE room_id = ? AND person_id = "
      "? AND joined_at >= ? ORDER BY id DESC LIMIT 1",
      {room_id, person_id, since});
  if (!r) return std::nullopt;
  return std::pair{r->int64(0) != 0, r->int64(1) != 0};
}

void update_participant(Tx& tx, const Participant& p) {
  tx.exec(
      "UPDATE media_participants SET streams = ?, hand_raised = ?, sharing = ?, muted_audio = ?, "
      "muted_video = ?, left_at = ?, removed_by = ? WHERE id = ?",
      {streams_text(p.streams), std::int64_t{p.hand_raised ? 1 : 0},
       std::int64_t{p.sharing ? 1 : 0}, std::int64_t{p.muted_audio ? 1 : 0},
       std::int64_t{p.muted_video ? 1 : 0}, store::opt(p.left_at), store::opt(p.removed_by), p.id});
}

void leave_all(Tx& tx, std::int64_t room_id, std::int64_t now) {
  tx.exec("UPDATE media_participants SET left_at = ? WHERE room_id = ? AND left_at IS NULL",
          {now, room_id});
}

bool follows(Tx& tx, std::int64_t room_id, std::int64_t person_id, std::int64_t now) {
  return tx
      .one(
          "SELECT 1 FROM media_participants WHERE room_id = ? AND person_id = ? AND (left_at IS "
          "NULL OR (left_at >= ? AND removed_by IS NULL))",
          {room_id, person_id, now - 60})
      .has_value();
}

std::optional<Admission> admission(Tx& tx, std::int64_t room_id, std::int64_t person_id) {
  auto r = tx.one(
      "SELECT a.person_id, p.display_name, a.state, a.asked_at FROM media_admissions a JOIN people "
      "p ON p.id = a.person_id WHERE a.room_id = ? AND a.person_id = ?",
      {room_id, person_id});
  if (!r) return std::nullopt;
  return Admission{r->int64(0), r->text(1), r->text(2), r->int64(3)};
}

std::vector<Admission> waiting(Tx& tx, std::int64_t room_id) {
  std::vector<Admission> out;
  for (auto& r : tx.query(
           "SELECT a.person_id, p.display_name, a.state, a.asked_at FROM media_admissions a JOIN "
           "people p ON p.id = a.person_id WHERE a.room_id = ? AND a.state = 'waiting' ORDER BY "
           "a.asked_at, a.person_id",
           {room_id}))
    out.push_back({r.int64(0), r.text(1), r.text(2), r.int64(3)});
  return out;
}

void set_admission(Tx& tx, std::int64_t room_id, std::int64_t person_id, const std::string& state,
                   std::int64_t now, std::optional<std::int64_t> decided_by) {
  bool asking = state == "waiting";
  tx.exec(
      "INSERT INTO media_admissions (room_id, person_id, state, asked_at, decided_at, decided_by) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, person_id) DO UPDATE SET state = "
      "excluded.state, asked_at = CASE WHEN excluded.state = 'waiting' THEN excluded.asked_at ELSE "
      "media_admissions.asked_at END, decided_at = excluded.decided_at, decided_by = "
      "excluded.decided_by",
      {room_id, person_id, state, now, asking ? store::Value(nullptr) : store::Value(now),
       store::opt(decided_by)});
}

void forget_admission(Tx& tx, std::int64_t room_id, std::int64_t person_id) {
  tx.exec("DELETE FROM media_admissions WHERE room_id = ? AND person_id = ?", {room_id, person_id});
}

void clear_admissions(Tx& tx, std::int64_t room_id) {
  tx.exec("DELETE FROM media_admissions WHERE room_id = ?", {room_id});
}

namespace {
constexpr const char* kRecordingCols =
    "r.id, r.room_id, r.meeting_id, r.instance, r.janus_room, r.directory, r.started_by, "
    "p.display_name, r.started_at_ms, r.stopped_by, r.stopped_at_ms, r.state, r.document_id, "
    "r.size, r.problem FROM media_recordings r JOIN people p ON p.id = r.started_by ";

Recording recording_from(const store::Row& r) {
  Recording x;
  x.id = r.int64(0);
  x.room_id = r.int64(1);
  x.meeting_id = r.opt_int64(2);
  x.instance = r.text(3);
  x.janus_room = r.int64(4);
  x.directory = r.text(5);
  x.started_by = r.int64(6);
  x.started_by_name = r.text(7);
  x.started_at_ms = r.int64(8);
  x.stopped_by = r.opt_int64(9);
  x.stopped_at_ms = r.opt_int64(10);
  x.state = r.text(11);
  x.document_id = r.opt_int64(12);
  x.size = r.opt_int64(13);
  x.problem = r.text(14);
  return x;
}
}  // namespace

std::int64_t insert_recording(Tx& tx, const Recording& r) {
  return tx.insert(
      "INSERT INTO media_recordings (room_id, meeting_id, instance, janus_room, directory, "
      "started_by, started_at_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {r.room_id, store::opt(r.meeting_id), r.instance, r.janus_room, r.directory, r.started_by,
       r.started_at_ms, r.state});
}

std::optional<Recording> recording(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kRecordingCols + "WHERE r.id = ?", {id});
  return r ? std::optional(recording_from(*r)) : std::nullopt;
}

std::optional<Recording> current_recording(Tx& tx, std::int64_t room_id) {
  auto r = tx.one(std::string("SELECT ") + kRecordingCols +
                      "WHERE r.room_id = ? AND r.state = 'recording' ORDER BY r.id DESC LIMIT 1",
                  {room_id});
  return r ? std::optional(recording_from(*r)) : std::nullopt;
}

std::vector<Recording> recordings(Tx& tx, std::int64_t room_id, int limit) {
  std::vector<Recording> out;
  for (auto& r : tx.query(std::string("SELECT ") + kRecordingCols +
                              "WHERE r.room_id = ? ORDER BY r.id DESC LIMIT ?",
                          {room_id, std::int64_t{limit}}))
    out.push_back(recording_from(r));
  return out;
}

void update_recording(Tx& tx, const Recording& r) {
  tx.exec(
      "UPDATE media_recordings SET stopped_by = ?, stopped_at_ms = ?, state = ?, document_id = ?, "
      "size = ?, problem = ? WHERE id = ?",
      {store::opt(r.stopped_by), store::opt(r.stopped_at_ms), r.state, store::opt(r.document_id),
       store::opt(r.size), r.problem, r.id});
}

}  // namespace ratusha::media::db
