#include "media/service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <tuple>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "media/recording.hpp"
#include "media/store.hpp"
#include "media/tokens.hpp"
#include "security/crypto.hpp"

namespace ratusha::media {

using identity::Principal;
using store::Tx;

namespace {

// How old a walk of Janus's handles may be for the status page (Janus counts bytes per second).
constexpr std::int64_t kTrafficMaxAge = 5;

audit::Actor actor_of(const Principal& who) {
  return {who.person_id, who.display_name, who.address};
}

// The opaque id a ticket gives a participant's Janus handles: how a removal, the camera check
// and the status find whose connection is whose.
std::string opaque_id_of(std::int64_t janus_id) {
  return "ratusha:" + std::to_string(janus_id);
}

std::string room_target(std::int64_t room_id) {
  return "room:" + std::to_string(room_id);
}
std::string topic(std::int64_t room_id) {
  return "media:" + std::to_string(room_id);
}

// Janus ids travel as JSON numbers: keep them exact in JavaScript (below 2^53).
std::int64_t random_janus_id() {
  auto bytes = security::random_bytes(8);
  std::uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return static_cast<std::int64_t>(v % ((std::uint64_t{1} << 53) - 2)) + 1;
}

Error unavailable(const std::string& why) {
  Error e(ErrorKind::unavailable, "media-unavailable",
          "Video and audio are not available right now: " + why);
  e.retry_after = 5;
  return e;
}

}  // namespace

MediaService::MediaService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
                           jobs::Queue& jobs, workspace::WorkspaceService& workspace,
                           MediaOptions options)
    : db_(db),
      audit_(audit),
      bus_(bus),
      jobs_(jobs),
      workspace_(workspace),
      opts_(std::move(options)) {
  for (const auto& inst : opts_.instances) add_instance(inst);
  jobs_.handle("media.recording", [this](const jobs::Job& job) {
    auto payload = parse_object(job.payload);
    auto* id = payload.if_contains("recording_id");
    if (id && id->is_int64()) process_recording(id->as_int64());
  });
}

void MediaService::add_instance(const JanusInstance& instance) {
  auto c = std::make_unique<JanusClient>(instance, opts_.secrets);
  c->on_session_lost([this, name = instance.name] { forget_rooms(name); });
  clients_[instance.name] = std::move(c);
}

MediaService::~MediaService() {
  stop();
}

std::string MediaService::room_secret(std::int64_t janus_room) const {
  return security::hex(
      security::hmac_sha256(opts_.room_key, "room secret " + std::to_string(janus_room)));
}

std::string MediaService::room_pin(std::int64_t janus_room, std::int64_t generation) const {
  return security::hex(security::hmac_sha256(opts_.room_key, "room pin " +
                                                                 std::to_string(janus_room) + " " +
                                                                 std::to_string(generation)))
      .substr(0, 24);
}

JanusClient& MediaService::client(const std::string& instance) {
  auto it = clients_.find(instance);
  if (it == clients_.end()) throw unavailable("the room's media server is no longer configured");
  return *it->second;
}

bool MediaService::answers(const std::string& instance) {
  std::lock_guard lock(status_mu_);
  auto st = last_.find(instance);
  return st == last_.end() || st->second.up;  // not checked yet: assumed to
}

std::string MediaService::place(Tx& tx) {
  if (clients_.size() == 1) return clients_.begin()->first;  // nothing to choose
  // The instance with the fewest live sessions among those that answered last time.
  auto counts = db::rooms_per_instance(tx);
  std::string best;
  std::int64_t best_count = std::numeric_limits<std::int64_t>::max();
  std::lock_guard lock(status_mu_);
  for (const auto& [name, c] : clients_) {
    auto st = last_.find(name);
    if (st != last_.end() && !st->second.up) continue;
    std::int64_t n = 0;
    for (const auto& [inst, k] : counts)
      if (inst == name) n = k;
    if (n < best_count) {
      best = name;
      best_count = n;
    }
  }
  if (best.empty()) throw unavailable("no media server answers");
  return best;
}

void MediaService::destroy_janus_room(const MediaRoom& m) {
  try {
    client(m.instance)
        .videoroom({{"request", "destroy"},
                    {"room", m.janus_room},
                    {"secret", room_secret(m.janus_room)}});
  } catch (const JanusError& e) {
    if (e.code != kJanusNoSuchRoom)
      spdlog::warn("Janus: cannot destroy room {}: {}", m.janus_room, e.what());
  } catch (const Error&) {
  }
  std::lock_guard lock(known_mu_);
  known_.erase({m.instance, m.janus_room});
}

void MediaService::begin_session(Tx& tx, const MediaRoom& plan, std::int64_t now) {
  auto m = db::media_room(tx, plan.room_id);
  if (!m)
    db::insert_media_room(tx, plan, now);
  else
    db::update_media_room(tx, plan);
  db::clear_admissions(tx, plan.room_id);
}

void MediaService::ensure_janus_room(const MediaRoom& m, const workspace::Room& room) {
  {
    std::lock_guard lock(known_mu_);
    if (known_.count({m.instance, m.janus_room})) return;
  }
  json::object create{{"request", "create"},
                      {"room", m.janus_room},
                      {"permanent", false},
                      {"description", "Ratusha room " + std::to_string(room.id)},
                      {"secret", room_secret(m.janus_room)},
                      {"pin", room_pin(m.janus_room, m.pin_generation)},
                      {"is_private", true},
                      {"signed_tokens", true},
                      {"require_pvtid", true},
                      {"publishers", opts_.publishers},
                      {"bitrate", opts_.bitrate},
                      {"fir_freq", 10},
                      {"audiocodec", "opus"},
                      {"videocodec", "vp8,h264"},
                      {"notify_joining", true},
                      {"audiolevel_event", true},
                      {"audio_active_packets", 50},
                      {"audio_level_average", 40}};
  try {
    client(m.instance).videoroom(std::move(create));
  } catch (const JanusError& e) {
    // Made meanwhile by another node: the same secret and pin, derived from the same key.
    if (e.code != kJanusRoomExists) {
      spdlog::warn("Janus {}: cannot make room {}: {}", m.instance, m.janus_room, e.what());
      throw unavailable(e.code == 0 ? "the media server does not answer"
                                    : "the media server refused to open the room");
    }
  }
  std::lock_guard lock(known_mu_);
  known_.insert({m.instance, m.janus_room});
}

void MediaService::forget_rooms(const std::string& instance) {
  {
    std::lock_guard lock(known_mu_);
    for (auto it = known_.begin(); it != known_.end();)
      it = it->first == instance ? known_.erase(it) : std::next(it);
  }
  ++restarts_;
  spdlog::warn("Janus {} lost its rooms (restarted); they are made again as people rejoin",
               instance);
}

std::string MediaService::ws_url(const JanusInstance& inst) const {
  if (!opts_.public_ws_url.empty()) return opts_.public_ws_url;
  return inst.ws_url.empty() ? kRelayPath : inst.ws_url;
}

Ticket MediaService::join(const Principal& who, std::int64_t room_id,
                          std::optional<std::int64_t> replaces) {
  if (!available()) throw unavailable("this server has no media server configured");
  auto access = workspace_.room_access(who, room_id);
  auto now = now_seconds();
  Ticket t;
  t.room = access.room;
  // Refused, locked out, or to wait in the lobby (asked again below, with the write).
  auto refusal = [&](const std::optional<MediaRoom>& m, const std::optional<Admission>& adm) {
    if (access.host) return std::string();
    if (adm && adm->state == "refused")
      throw Error(ErrorKind::forbidden, "removed", "A host removed you from this meeting.");
    if (m && m->locked_at)
      throw Error(ErrorKind::conflict, "room-locked",
                  "The host has locked the meeting; nobody else can join now.");
    if (access.room.lobby && !(adm && adm->state == "admitted")) return std::string("waiting");
    return std::string();
  };
  // Decided on a read; the write below checks again. With no live session yet, a new one is
  // planned here (instance, Janus room id) and its Janus room made before the one write.
  MediaRoom plan;
  // A live session whose Janus stopped answering moves to one that answers: everyone's
  // connection to the old one is gone anyway, and their browsers join again.
  bool moved = false;
  auto [known, adm] = db_.read([&](Tx& tx) {
    auto m = db::media_room(tx, room_id);
    if (!m || !m->session_started_at) {
      plan.room_id = room_id;
      plan.instance = place(tx);
      plan.janus_room = random_janus_id();
      plan.session_started_at = now;
    } else if (!answers(m->instance)) {
      if (auto to = place(tx); to != m->instance) {
        plan = *m;
        plan.instance = to;
        plan.janus_room = random_janus_id();
        moved = true;
      }
    }
    return std::pair{m, db::admission(tx, room_id, who.person_id)};
  });
  bool fresh = plan.room_id != 0 && !moved;
  if (!fresh && !moved) plan = *known;
  if (refusal(fresh ? std::nullopt : known, adm) == "waiting") {
    t.state = "waiting";
    t.media = plan;
    if (!adm || adm->state != "waiting")
      db_.write([&](Tx& tx) {
        // The lobby belongs to a live session: the first to knock starts it.
        auto m = db::media_room(tx, room_id);
        if (!(m && m->session_started_at)) begin_session(tx, plan, now);
        auto again = db::admission(tx, room_id, who.person_id);
        if (refusal(db::media_room(tx, room_id), again) != "waiting" ||
            (again && again->state == "waiting"))
          return;
        db::set_admission(tx, room_id, who.person_id, "waiting", now, std::nullopt);
        audit_.append(tx, actor_of(who), "media.asked", room_target(room_id));
        changed(tx, room_id);
      });
    return t;
  }
  ensure_janus_room(plan, access.room);

  t.state = "admitted";
  t.participant.room_id = room_id;
  t.participant.person_id = who.person_id;
  t.participant.display_name = who.display_name;
  t.participant.host = access.host;
  t.participant.janus_id = random_janus_id();
  t.participant.joined_at = now;
  bool spare = false;  // someone else started the session meanwhile: our Janus room is not needed
  try {
    db_.write([&](Tx& tx) {
      auto m = db::media_room(tx, room_id);
      if (fresh && !(m && m->session_started_at)) {
        begin_session(tx, plan, now);
        m = plan;
      } else if (moved && m && m->session_started_at && m->janus_room == known->janus_room) {
        spdlog::warn("Janus {} does not answer: room {} moves to {}", m->instance, room_id,
                     plan.instance);
        audit_.append(tx, actor_of(who), "media.moved", room_target(room_id),
                      {{"from", m->instance}, {"to", plan.instance}});
        // A recording on the lost Janus ends there; what it wrote is processed as usual.
        if (m->recording_started_at) {
          finish_recording(tx, room_id, who.person_id, now_millis());
          m->recording_started_at.reset();
        }
        m->instance = plan.instance;
        m->janus_room = plan.janus_room;
        db::update_media_room(tx, *m);
      } else if (fresh || moved || !m || !m->session_started_at ||
                 m->janus_room != plan.janus_room) {
        spare = fresh || moved;
        throw Error(ErrorKind::conflict, "meeting-changed",
                    "The meeting was started or ended just now; join again.");
      }
      if (refusal(m, db::admission(tx, room_id, who.person_id)) == "waiting")
        throw Error(ErrorKind::conflict, "meeting-changed", "Join again to wait in the lobby.");
      t.media = *m;
      if (replaces)
        if (auto old = db::participant(tx, room_id, *replaces);
            old && old->person_id == who.person_id && !old->left_at) {
          old->depart(now);
          db::update_participant(tx, *old);
        }
      // Muted by a host stays muted when the browser reconnects.
      if (auto was = db::muted_since(tx, room_id, who.person_id, *m->session_started_at))
        std::tie(t.participant.muted_audio, t.participant.muted_video) = *was;
      db::insert_participant(tx, t.participant);
      audit_.append(tx, actor_of(who), "media.joined", room_target(room_id),
                    {{"participant", t.participant.janus_id}, {"host", access.host}});
      changed(tx, room_id);
    });
  } catch (const Error&) {
    if (spare) destroy_janus_room(plan);
    throw;
  }

  auto& inst = client(t.media.instance).instance();
  t.server = ws_url(inst);
  t.pin = room_pin(t.media.janus_room, t.media.pin_generation);
  t.expires_at = now + opts_.session_seconds;
  t.token = core_token(opts_.secrets.token_secret, t.expires_at);
  t.room_token = room_token(opts_.secrets.token_secret, now + opts_.join_seconds,
                            static_cast<std::uint64_t>(t.media.janus_room));
  if (!opts_.stun_urls.empty()) {
    json::array urls;
    for (const auto& u : opts_.stun_urls) urls.push_back(json::value(u));
    t.ice_servers.push_back(json::object{{"urls", std::move(urls)}});
  }
  if (!opts_.turn_urls.empty() && !opts_.turn_secret.empty()) {
    auto cred = turn_credential(opts_.turn_secret, t.expires_at, who.person_id);
    json::array urls;
    for (const auto& u : opts_.turn_urls) urls.push_back(json::value(u));
    t.ice_servers.push_back(json::object{
        {"urls", std::move(urls)}, {"username", cred.username}, {"credential", cred.credential}});
  }
  return t;
}

LiveState MediaService::state(const Principal& who, std::int64_t room_id) {
  auto access = workspace_.room_access(who, room_id);
  LiveState s;
  s.available = available();
  s.host = access.host;
  s.room = access.room;
  db_.read([&](Tx& tx) {
    s.media = db::media_room(tx, room_id);
    if (!s.media || !s.media->session_started_at) return;
    s.participants = db::live_participants(tx, room_id);
    if (access.host) s.waiting = db::waiting(tx, room_id);
  });
  return s;
}

Participant MediaService::own_participant(Tx& tx, const Principal& who, std::int64_t room_id,
                                          std::int64_t janus_id) {
  auto p = db::participant(tx, room_id, janus_id);
  if (!p || p->person_id != who.person_id || p->left_at)
    throw not_found("You are not in this meeting with that connection.");
  return *p;
}

void MediaService::set_streams(const Principal& who, std::int64_t room_id, std::int64_t janus_id,
                               const std::vector<Stream>& streams) {
  db_.write([&](Tx& tx) {
    auto p = own_participant(tx, who, room_id, janus_id);
    p.streams = streams;
    db::update_participant(tx, p);
  });
  // A host muted them before their browser published: apply it to the new streams.
  auto m = db_.read([&](Tx& tx) {
    return std::pair{db::media_room(tx, room_id), db::participant(tx, room_id, janus_id)};
  });
  if (!m.first || !m.second) return;
  for (const auto& s : streams) {
    bool muted = (s.type == "audio" && m.second->muted_audio) ||
                 (s.type == "video" && m.second->muted_video);
    if (!muted) continue;
    try {
      client(m.first->instance)
          .videoroom({{"request", "moderate"},
                      {"room", m.first->janus_room},
                      {"secret", room_secret(m.first->janus_room)},
                      {"id", janus_id},
                      {"mid", s.mid},
                      {"mute", true}});
    } catch (const JanusError& e) {
      spdlog::warn("Janus: cannot keep participant {} muted: {}", janus_id, e.what());
    }
  }
}

void MediaService::leave(const Principal& who, std::int64_t room_id, std::int64_t janus_id) {
  db_.write([&](Tx& tx) {
    auto p = db::participant(tx, room_id, janus_id);
    if (!p || p->person_id != who.person_id) throw not_found("No such participant.");
    if (p->left_at) return;
    p->depart(now_seconds());
    db::update_participant(tx, *p);
    audit_.append(tx, actor_of(who), "media.left", room_target(room_id),
                  {{"participant", janus_id}});
    changed(tx, room_id);
  });
}

MediaService::RoomToken MediaService::room_token_for(const Principal& who, std::int64_t room_id,
                                                     std::int64_t janus_id) {
  workspace_.room_access(who, room_id);
  auto m = db_.read([&](Tx& tx) {
    own_participant(tx, who, room_id, janus_id);
    return db::media_room(tx, room_id);
  });
  if (!m || !m->session_started_at)
    throw Error(ErrorKind::gone, "meeting-ended", "The meeting has ended.");
  RoomToken t;
  t.expires_at = now_seconds() + opts_.join_seconds;
  t.token = room_token(opts_.secrets.token_secret, t.expires_at,
                       static_cast<std::uint64_t>(m->janus_room));
  t.pin = room_pin(m->janus_room, m->pin_generation);
  return t;
}

void MediaService::withdraw(const Principal& who, std::int64_t room_id) {
  db_.write([&](Tx& tx) {
    auto adm = db::admission(tx, room_id, who.person_id);
    if (!adm || adm->state != "waiting") return;
    db::forget_admission(tx, room_id, who.person_id);
    changed(tx, room_id);
  });
}

void MediaService::show(const Principal& who, std::int64_t room_id, std::int64_t janus_id,
                        Shown what, bool on) {
  db_.write([&](Tx& tx) {
    auto p = own_participant(tx, who, room_id, janus_id);
    bool& flag = what == Shown::hand ? p.hand_raised : p.sharing;
    // A host stopped their video: no screen reaches anyone, so none is announced.
    if (flag == on || (what == Shown::screen && on && p.muted_video)) return;
    flag = on;
    db::update_participant(tx, p);
    changed(tx, room_id);
  });
}

workspace::WorkspaceService::RoomAccess MediaService::host_access(const Principal& who,
                                                                  std::int64_t room_id) {
  auto access = workspace_.room_access(who, room_id);
  if (!access.host) throw forbidden("Only a host of the meeting may do this.");
  return access;
}

void MediaService::mute(const Principal& who, std::int64_t room_id, std::int64_t janus_id,
                        const std::string& kind, bool muted) {
  if (kind != "audio" && kind != "video")
    throw field_error("kind", "invalid", "Use audio or video.");
  host_access(who, room_id);
  auto [m, p] = db_.read([&](Tx& tx) {
    return std::pair{db::media_room(tx, room_id), db::participant(tx, room_id, janus_id)};
  });
  if (!m || !p || p->left_at) throw not_found("No such participant in the meeting.");
  // Janus stops relaying the stream (the host decides; the participant cannot undo it).
  for (const auto& s : p->streams) {
    if (s.type != kind) continue;
    try {
      client(m->instance)
          .videoroom({{"request", "moderate"},
                      {"room", m->janus_room},
                      {"secret", room_secret(m->janus_room)},
                      {"id", janus_id},
                      {"mid", s.mid},
                      {"mute", muted}});
    } catch (const JanusError& e) {
      if (e.code == 0) throw unavailable("the media server does not answer");
      if (e.code != 428) throw;  // 428: no such participant or stream (gone meanwhile)
    }
  }
  db_.write([&](Tx& tx) {
    auto cur = db::participant(tx, room_id, janus_id);
    if (!cur) return;
    (kind == "audio" ? cur->muted_audio : cur->muted_video) = muted;
    if (kind == "video" && muted) cur->sharing = false;  // the screen went with the video
    db::update_participant(tx, *cur);
    audit_.append(
        tx, actor_of(who), muted ? "media.muted" : "media.unmuted", room_target(room_id),
        {{"participant", janus_id}, {"person", id_string(cur->person_id)}, {"kind", kind}});
    json::object data{{"room_id", id_string(room_id)},
                      {"participant", janus_id},
                      {"kind", kind},
                      {"muted", muted},
                      {"by", who.display_name}};
    bus_.publish(tx, topic(room_id), "media.muted", data);
    changed(tx, room_id);
  });
}

void MediaService::remove(const Principal& who, std::int64_t room_id, std::int64_t janus_id) {
  host_access(who, room_id);
  auto [m, p] = db_.read([&](Tx& tx) {
    return std::pair{db::media_room(tx, room_id), db::participant(tx, room_id, janus_id)};
  });
  if (!m || !p || p->left_at) throw not_found("No such participant in the meeting.");
  if (p->person_id == who.person_id) throw field_error("participant", "self", "Leave instead.");
  auto& janus = client(m->instance);
  auto secret = room_secret(m->janus_room);
  // Their whole Janus session goes (the streams they receive too), not only what they send.
  std::vector<std::uint64_t> sessions;
  std::string opaque = opaque_id_of(janus_id);
  try {
    janus.each_handle([&](std::uint64_t sid, std::uint64_t, const json::object& info) {
      auto* o = info.if_contains("opaque_id");
      if (o && o->is_string() && o->as_string() == opaque &&
          std::find(sessions.begin(), sessions.end(), sid) == sessions.end())
        sessions.push_back(sid);
    });
  } catch (const JanusError& e) {
    if (e.code == 0) throw unavailable("the media server does not answer");
    spdlog::warn("Janus: cannot look up the sessions of participant {}: {}", janus_id, e.what());
  }
  try {
    janus.videoroom(
        {{"request", "kick"}, {"room", m->janus_room}, {"secret", secret}, {"id", janus_id}});
  } catch (const JanusError& e) {
    if (e.code == 0) throw unavailable("the media server does not answer");
    if (e.code != 428) throw;
  }
  for (auto sid : sessions) {
    try {
      janus.admin_on(sid, 0, {{"janus", "destroy_session"}});
    } catch (const JanusError& e) {
      spdlog::warn("Janus: cannot end session {}: {}", sid, e.what());
    }
  }
  MediaRoom after;
  db_.write([&](Tx& tx) {
    auto cur = db::participant(tx, room_id, janus_id);
    auto mr = db::media_room(tx, room_id);
    if (!cur || !mr) return;
    auto now = now_seconds();
    cur->depart(now);
    cur->removed_by = who.person_id;
    db::update_participant(tx, *cur);
    db::set_admission(tx, room_id, cur->person_id, "refused", now, who.person_id);
    // Tickets handed out in the last minute carry the old pin: they stop working now.
    ++mr->pin_generation;
    db::update_media_room(tx, *mr);
    after = *mr;
    audit_.append(tx, actor_of(who), "media.removed", room_target(room_id),
                  {{"participant", janus_id}, {"person", id_string(cur->person_id)}});
    json::object data{{"room_id", id_string(room_id)}, {"participant", janus_id}};
    bus_.publish(tx, topic(room_id), "media.removed", data);
    bus_.publish(tx, "person:" + std::to_string(cur->person_id), "media.removed", data);
    changed(tx, room_id);
  });
  if (after.room_id) janus_edit_pin(after, after.pin_generation - 1);
}

void MediaService::janus_edit_pin(const MediaRoom& m, std::int64_t) {
  try {
    client(m.instance)
        .videoroom({{"request", "edit"},
                    {"room", m.janus_room},
                    {"secret", room_secret(m.janus_room)},
                    {"new_pin", room_pin(m.janus_room, m.pin_generation)}});
  } catch (const JanusError& e) {
    // Not there (Janus restarted): it is made with the current pin on the next join.
    if (e.code != kJanusNoSuchRoom)
      spdlog::warn("Janus: cannot change the pin of room {}: {}", m.janus_room, e.what());
  }
}

void MediaService::lock(const Principal& who, std::int64_t room_id, bool locked) {
  host_access(who, room_id);
  std::optional<MediaRoom> after;
  db_.write([&](Tx& tx) {
    auto m = db::media_room(tx, room_id);
    if (!m || !m->session_started_at)
      throw Error(ErrorKind::conflict, "no-meeting", "Nobody is in the meeting.");
    if (m->locked_at.has_value() == locked) return;
    m->locked_at = locked ? std::optional(now_seconds()) : std::nullopt;
    m->locked_by = locked ? std::optional(who.person_id) : std::nullopt;
    if (locked) ++m->pin_generation;
    db::update_media_room(tx, *m);
    after = *m;
    audit_.append(tx, actor_of(who), locked ? "media.locked" : "media.unlocked",
                  room_target(room_id));
    changed(tx, room_id);
  });
  if (after && locked) janus_edit_pin(*after, after->pin_generation - 1);
}

void MediaService::end(const Principal& who, std::int64_t room_id) {
  host_access(who, room_id);
  std::optional<MediaRoom> ended;
  db_.write([&](Tx& tx) {
    auto m = db::media_room(tx, room_id);
    if (!m || !m->session_started_at) return;
    ended = *m;
    auto now = now_seconds();
    finish_recording(tx, room_id, who.person_id, now_millis());
    db::leave_all(tx, room_id, now);
    db::clear_admissions(tx, room_id);
    m->session_started_at.reset();
    m->locked_at.reset();
    m->locked_by.reset();
    m->recording_started_at.reset();
    db::update_media_room(tx, *m);
    audit_.append(tx, actor_of(who), "media.ended", room_target(room_id),
                  {{"started_at", rfc3339(*ended->session_started_at)}});
    bus_.publish(tx, topic(room_id), "media.ended", json::object{{"room_id", id_string(room_id)}});
  });
  if (!ended) return;
  // Destroying the Janus room disconnects everyone (and closes any recording's files); the next
  // session gets a new one.
  destroy_janus_room(*ended);
}

void MediaService::decide(const Principal& who, std::int64_t room_id, std::int64_t person_id,
                          bool admit) {
  host_access(who, room_id);
  db_.write([&](Tx& tx) {
    auto adm = db::admission(tx, room_id, person_id);
    if (!adm) throw not_found("That person has not asked to come in.");
    // "No" answers this request: they may knock again (a mistaken "no" is not final, and a
    // host who wants nobody else locks the room). Someone removed stays out until admitted.
    if (admit)
      db::set_admission(tx, room_id, person_id, "admitted", now_seconds(), who.person_id);
    else if (adm->state != "refused")
      db::forget_admission(tx, room_id, person_id);
    audit_.append(tx, actor_of(who), admit ? "media.admitted" : "media.refused",
                  room_target(room_id), {{"person", id_string(person_id)}});
    bus_.publish(tx, "person:" + std::to_string(person_id),
                 admit ? "media.admitted" : "media.refused",
                 json::object{{"room_id", id_string(room_id)}});
    changed(tx, room_id);
  });
}

void MediaService::janus_record(const MediaRoom& m, bool on, const std::string& dir) {
  auto& janus = client(m.instance);
  auto secret = room_secret(m.janus_room);
  try {
    if (on)
      janus.videoroom(
          {{"request", "edit"}, {"room", m.janus_room}, {"secret", secret}, {"new_rec_dir", dir}});
    janus.videoroom({{"request", "enable_recording"},
                     {"room", m.janus_room},
                     {"secret", secret},
                     {"record", on}});
  } catch (const JanusError& e) {
    if (e.code == 0) throw unavailable("the media server does not answer");
    if (on || e.code != kJanusNoSuchRoom) throw unavailable(e.what());
  }
}

Recording MediaService::start_recording(const Principal& who, std::int64_t room_id) {
  auto access = host_access(who, room_id);
  auto m = db_.read([&](Tx& tx) { return db::media_room(tx, room_id); });
  if (!m || !m->session_started_at)
    throw Error(ErrorKind::conflict, "no-meeting", "Nobody is in the meeting.");
  if (opts_.recordings_dir.empty() || client(m->instance).instance().name != "local")
    throw Error(ErrorKind::conflict, "recording-unavailable",
                "Recording needs the Janus that this server runs itself.");
  if (m->recording_started_at)
    throw Error(ErrorKind::conflict, "recording-on", "The meeting is being recorded already.");
  Recording r;
  r.room_id = room_id;
  r.meeting_id = access.meeting_id;
  r.instance = m->instance;
  r.janus_room = m->janus_room;
  r.started_by = who.person_id;
  r.started_by_name = who.display_name;
  r.state = "recording";
  // Its own folder: Janus names files by participant and time only.
  r.directory = (std::filesystem::path(opts_.recordings_dir) /
                 (std::to_string(m->janus_room) + "-" + std::to_string(now_millis())))
                    .string();
  std::filesystem::create_directories(r.directory);
  janus_record(*m, true, r.directory);
  r.started_at_ms = now_millis();
  db_.write([&](Tx& tx) {
    auto cur = db::media_room(tx, room_id);
    if (!cur || cur->janus_room != m->janus_room || cur->recording_started_at)
      throw Error(ErrorKind::conflict, "meeting-changed", "The meeting changed just now.");
    r.id = db::insert_recording(tx, r);
    cur->recording_started_at = r.started_at_ms / 1000;
    db::update_media_room(tx, *cur);
    audit_.append(tx, actor_of(who), "media.recording_started", room_target(room_id),
                  {{"recording", r.id}});
    changed(tx, room_id);
  });
  return r;
}

std::optional<Recording> MediaService::finish_recording(Tx& tx, std::int64_t room_id,
                                                        std::int64_t by, std::int64_t now_ms) {
  auto r = db::current_recording(tx, room_id);
  if (!r) return std::nullopt;
  r->stopped_by = by;
  r->stopped_at_ms = now_ms;
  r->state = "processing";
  db::update_recording(tx, *r);
  if (auto m = db::media_room(tx, room_id)) {
    m->recording_started_at.reset();
    db::update_media_room(tx, *m);
  }
  jobs_.enqueue(tx, "media.recording", {{"recording_id", r->id}}, 0, 3);
  return r;
}

Recording MediaService::stop_recording(const Principal& who, std::int64_t room_id) {
  host_access(who, room_id);
  auto m = db_.read([&](Tx& tx) { return db::media_room(tx, room_id); });
  if (!m || !m->recording_started_at)
    throw Error(ErrorKind::conflict, "recording-off", "The meeting is not being recorded.");
  // Janus closes the files first, so the job finds them complete.
  janus_record(*m, false, "");
  std::optional<Recording> r;
  db_.write([&](Tx& tx) {
    r = finish_recording(tx, room_id, who.person_id, now_millis());
    if (!r) throw Error(ErrorKind::conflict, "recording-off", "The meeting is not being recorded.");
    audit_.append(
        tx, actor_of(who), "media.recording_stopped", room_target(room_id),
        {{"recording", r->id}, {"seconds", (*r->stopped_at_ms - r->started_at_ms) / 1000}});
    changed(tx, room_id);
  });
  return *r;
}

std::vector<Recording> MediaService::recordings(const Principal& who, std::int64_t room_id) {
  workspace_.room_access(who, room_id);
  return db_.read([&](Tx& tx) { return db::recordings(tx, room_id, 50); });
}

void MediaService::process_recording(std::int64_t recording_id) {
  auto r = db_.read([&](Tx& tx) { return db::recording(tx, recording_id); });
  if (!r || r->state != "processing") return;
  namespace fs = std::filesystem;
  fs::path dir = r->directory;
  // The files are on the node whose Janus wrote them: another node leaves the job to it.
  if (!fs::is_directory(dir))
    throw std::runtime_error("recording " + std::to_string(r->id) + " is not on this node");
  fs::path work = dir / "converted";
  fs::path out = fs::path(opts_.staging_dir) / ("recording-" + std::to_string(r->id) + ".webm");
  double seconds = static_cast<double>(*r->stopped_at_ms - r->started_at_ms) / 1000.0;
  auto composed = compose_recording(dir, work, out, seconds);
  std::optional<std::int64_t> document;
  if (composed.ok) {
    try {
      if (!store_recording_) throw std::runtime_error("no place to store recordings");
      document = store_recording_(*r, out.string(), composed.size);
    } catch (const std::exception& e) {
      composed.ok = false;
      composed.problem = std::string("the file could not be stored: ") + e.what();
    }
  }
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove_all(work, ec);
  db_.write([&](Tx& tx) {
    auto cur = db::recording(tx, recording_id);
    if (!cur || cur->state != "processing") return;
    cur->state = composed.ok ? "ready" : "failed";
    cur->problem = composed.problem;
    cur->document_id = document;
    if (composed.ok) cur->size = composed.size;
    db::update_recording(tx, *cur);
    audit_.append(
        tx, {std::nullopt, "system", "job"},
        composed.ok ? "media.recording_stored" : "media.recording_failed",
        room_target(cur->room_id),
        {{"recording", cur->id},
         {"document", document ? json::value(id_string(*document)) : json::value(nullptr)},
         {"problem", cur->problem}});
    json::object data{{"room_id", id_string(cur->room_id)}, {"recording", recording_json(*cur)}};
    bus_.publish(tx, "person:" + std::to_string(cur->started_by),
                 composed.ok ? "media.recording_ready" : "media.recording_failed", data);
    changed(tx, cur->room_id);
  });
  if (composed.ok)
    fs::remove_all(dir, ec);  // the document holds it now
  else
    spdlog::warn("recording {} failed: {}", recording_id, composed.problem);
}

void MediaService::changed(Tx& tx, std::int64_t room_id) {
  bus_.publish(tx, topic(room_id), "media.changed", json::object{{"room_id", id_string(room_id)}});
}

bool MediaService::takes_part(Tx& tx, std::int64_t person_id, std::int64_t room_id) {
  return db::follows(tx, room_id, person_id, now_seconds());
}

bool MediaService::may_watch(std::int64_t person_id, std::int64_t room_id) {
  return db_.read([&](Tx& tx) { return takes_part(tx, person_id, room_id); });
}

bool MediaService::camera_on(std::int64_t person_id, std::int64_t room_id) {
  auto [m, mine] = db_.read([&](Tx& tx) {
    std::set<std::string> ids;
    for (const auto& p : db::live_participants(tx, room_id))
      if (p.person_id == person_id) ids.insert(opaque_id_of(p.janus_id));
    return std::pair{db::media_room(tx, room_id), ids};
  });
  if (!m || mine.empty() || !clients_.count(m->instance)) return false;
  bool on = false;
  try {
    client(m->instance).each_handle([&](std::uint64_t, std::uint64_t, const json::object& info) {
      auto* o = info.if_contains("opaque_id");
      if (o && o->is_string() && mine.count(std::string(o->as_string())) &&
          bytes_last_second(info, "in", "video") > 0)
        on = true;
    });
  } catch (const JanusError& e) {
    spdlog::warn("Janus: cannot tell whether a camera is on: {}", e.what());
  }
  return on;
}

std::vector<InstanceStatus> MediaService::last_status() {
  std::lock_guard lock(status_mu_);
  std::vector<InstanceStatus> out;
  for (const auto& [name, s] : last_) out.push_back(s);
  return out;
}

std::map<std::string, Traffic> MediaService::traffic_by_instance(std::int64_t max_age) {
  std::lock_guard lock(traffic_mu_);
  auto now = now_seconds();
  for (const auto& [name, c] : clients_) {
    auto& t = traffic_[name];
    if (t.at && now - t.at < max_age) continue;
    Traffic fresh;
    fresh.at = now;
    if (!answers(name)) {
      t = std::move(fresh);
      continue;
    }
    try {
      std::set<std::uint64_t> sessions;
      c->each_handle([&](std::uint64_t sid, std::uint64_t, const json::object& info) {
        sessions.insert(sid);
        ConnectionRate r;
        if (auto* o = info.if_contains("opaque_id"); o && o->is_string())
          r.opaque_id = std::string(o->as_string());
        if (auto* ps = info.if_contains("plugin_specific"); ps && ps->is_object()) {
          if (auto* v = ps->as_object().if_contains("room"); v && v->is_number())
            r.janus_room = v->to_number<std::int64_t>();
          if (auto* v = ps->as_object().if_contains("type"); v && v->is_string())
            r.kind = std::string(v->as_string());
        }
        r.in_kbps = bytes_last_second(info, "in") * 8 / 1000;
        r.out_kbps = bytes_last_second(info, "out") * 8 / 1000;
        fresh.in_kbps += r.in_kbps;
        fresh.out_kbps += r.out_kbps;
        if (fresh.connections.size() < 200) fresh.connections.push_back(std::move(r));
      });
      fresh.sessions = static_cast<std::int64_t>(sessions.size());
    } catch (const JanusError& e) {
      fresh.problem = e.what();
    }
    // Whose connections they are, by the opaque id each ticket gave: one read for the walk.
    struct Whose {
      std::int64_t room_id, participant, janus_room;
      std::string display_name, room_name;
    };
    std::map<std::string, Whose> whose;
    db_.read([&](Tx& tx) {
      for (auto& row : tx.query(
               "SELECT x.room_id, x.janus_id, p.display_name, r.name, m.janus_room FROM "
               "media_participants x JOIN people p ON p.id = x.person_id JOIN rooms r ON r.id = "
               "x.room_id JOIN media_rooms m ON m.room_id = x.room_id WHERE m.instance = ? AND "
               "m.session_started_at IS NOT NULL AND x.joined_at >= m.session_started_at",
               {name}))
        whose[opaque_id_of(row.int64(1))] = {row.int64(0), row.int64(1), row.int64(4), row.text(2),
                                             row.text(3)};
    });
    for (auto& r : fresh.connections) {
      auto w = whose.find(r.opaque_id);
      if (w == whose.end() || w->second.janus_room != r.janus_room) continue;
      r.room_id = w->second.room_id;
      r.participant = w->second.participant;
      r.display_name = w->second.display_name;
      r.room_name = w->second.room_name;
    }
    t = std::move(fresh);
  }
  return traffic_;
}

Traffic MediaService::traffic(std::int64_t max_age) {
  Traffic all;
  for (auto& [name, t] : traffic_by_instance(max_age)) {
    all.at = std::max(all.at, t.at);
    all.sessions += t.sessions;
    all.in_kbps += t.in_kbps;
    all.out_kbps += t.out_kbps;
  }
  return all;
}

std::vector<InstanceStatus> MediaService::status(const Principal& who) {
  if (!who.can("people.manage")) throw forbidden("Only administrators see the media servers.");
  auto out = last_status();
  // Rooms and people from our own records.
  db_.read([&](Tx& tx) {
    for (auto& s : out) {
      auto r = tx.one(
          "SELECT COUNT(DISTINCT m.room_id), COUNT(x.id) FROM media_rooms m LEFT JOIN "
          "media_participants x ON x.room_id = m.room_id AND x.left_at IS NULL WHERE m.instance = "
          "? AND m.session_started_at IS NOT NULL",
          {s.instance.name});
      if (r) {
        s.rooms = r->int64(0);
        s.participants = r->int64(1);
      }
    }
  });
  // Sessions and bitrates from Janus itself, connection by connection: walked at most every
  // few seconds, however many administrators watch the page.
  auto traffic = traffic_by_instance(kTrafficMaxAge);
  for (auto& s : out) {
    s.traffic = traffic[s.instance.name];
    if (s.problem.empty()) s.problem = s.traffic.problem;
  }
  return out;
}

void MediaService::start() {
  if (clients_.empty()) return;
  watcher_ = std::thread([this] { watch(); });
}

void MediaService::stop() {
  {
    std::lock_guard lock(watch_mu_);
    stopping_ = true;
  }
  watch_cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void MediaService::watch() {
  std::unique_lock lock(watch_mu_);
  std::int64_t rounds = 0;
  for (;;) {
    lock.unlock();
    for (const auto& [name, c] : clients_) {
      InstanceStatus s;
      s.instance = c->instance();
      try {
        auto info = c->info();
        if (auto* v = info.if_contains("version_string"); v && v->is_string())
          s.version = std::string(v->as_string());
        c->keepalive();  // a lost control session means Janus lost its rooms
        s.up = true;
      } catch (const JanusError& e) {
        s.problem = e.what();
      }
      s.restarts = restarts_;
      std::lock_guard sl(status_mu_);
      auto& prev = last_[name];
      if (prev.up && !s.up) spdlog::error("Janus {} does not answer: {}", name, s.problem);
      prev = s;
    }
    // Who left without saying so: every half minute, or more often with a short grace.
    if (++rounds % std::clamp<std::int64_t>(opts_.departed_after / 10, 1, 6) == 0) {
      try {
        sweep_departed();
      } catch (const std::exception& e) {
        spdlog::warn("media: sweeping departed participants failed: {}", e.what());
      }
    }
    lock.lock();
    if (watch_cv_.wait_for(lock, std::chrono::seconds(5), [&] { return stopping_; })) return;
  }
}

void MediaService::sweep_departed() {
  struct Live {
    std::int64_t room_id, janus_room;
    std::string instance;
  };
  auto now = now_seconds();
  auto rooms = db_.read([&](Tx& tx) {
    std::vector<Live> out;
    for (auto& r :
         tx.query("SELECT DISTINCT m.room_id, m.janus_room, m.instance FROM media_rooms m JOIN "
                  "media_participants x ON x.room_id = m.room_id AND x.left_at IS NULL WHERE "
                  "m.session_started_at IS NOT NULL AND x.joined_at < ?",
                  {now - opts_.departed_after}))
      out.push_back({r.int64(0), r.int64(1), r.text(2)});
    return out;
  });
  for (const auto& live : rooms) {
    auto it = clients_.find(live.instance);
    if (it == clients_.end()) continue;
    {
      std::lock_guard sl(status_mu_);
      auto st = last_.find(live.instance);
      if (st == last_.end() || !st->second.up) continue;  // not while Janus is away
    }
    std::set<std::int64_t> present;
    try {
      auto list =
          it->second->videoroom({{"request", "listparticipants"}, {"room", live.janus_room}});
      if (auto* ps = list.if_contains("participants"); ps && ps->is_array())
        for (auto& p : ps->as_array())
          if (auto* id = p.is_object() ? p.as_object().if_contains("id") : nullptr)
            if (id->is_int64() || id->is_uint64()) present.insert(id->to_number<std::int64_t>());
    } catch (const JanusError& e) {
      if (e.code != kJanusNoSuchRoom) continue;  // gone from Janus: everyone left
    }
    std::set<std::int64_t> unknown = present;  // in Janus under an id no live ticket gave
    db_.write([&](Tx& tx) {
      bool any = false;
      for (auto& p : db::live_participants(tx, live.room_id)) {
        unknown.erase(p.janus_id);
        if (p.joined_at >= now - opts_.departed_after || present.count(p.janus_id)) continue;
        p.depart(now);
        db::update_participant(tx, p);
        any = true;
      }
      if (any) changed(tx, live.room_id);
    });
    // A join token opens the room, not an id: someone who joined under an id that Ratusha did
    // not hand out (or one already replaced) would show as a nameless tile. Janus drops them.
    for (auto id : unknown) {
      try {
        it->second->videoroom({{"request", "kick"},
                               {"room", live.janus_room},
                               {"secret", room_secret(live.janus_room)},
                               {"id", id}});
        spdlog::warn("Janus {}: dropped participant {} of room {} (no ticket gave that id)",
                     live.instance, id, live.room_id);
        db_.write([&](Tx& tx) {
          audit_.append(tx, {std::nullopt, "system", "media"}, "media.dropped_unknown",
                        room_target(live.room_id), {{"participant", id}});
        });
      } catch (const JanusError& e) {
        if (e.code != 428)
          spdlog::warn("Janus {}: cannot drop {}: {}", live.instance, id, e.what());
      }
    }
  }
}

json::object recording_json(const Recording& r) {
  auto ms = [](std::optional<std::int64_t> v) {
    return v ? json::value(rfc3339_millis(*v)) : json::value(nullptr);
  };
  return {
      {"id", id_string(r.id)},
      {"room_id", id_string(r.room_id)},
      {"meeting_id", r.meeting_id ? json::value(id_string(*r.meeting_id)) : json::value(nullptr)},
      {"state", r.state},
      {"started_by",
       json::object{{"id", id_string(r.started_by)}, {"display_name", r.started_by_name}}},
      {"started_at", rfc3339_millis(r.started_at_ms)},
      {"stopped_at", ms(r.stopped_at_ms)},
      {"document_id",
       r.document_id ? json::value(id_string(*r.document_id)) : json::value(nullptr)},
      {"size", r.size ? json::value(*r.size) : json::value(nullptr)},
      {"problem", r.problem}};
}

json::object participant_json(const Participant& p) {
  return {{"id", p.janus_id},
          {"person_id", id_string(p.person_id)},
          {"display_name", p.display_name},
          {"host", p.host},
          {"hand_raised", p.hand_raised},
          {"sharing", p.sharing},
          {"muted", json::object{{"audio", p.muted_audio}, {"video", p.muted_video}}},
          {"joined_at", rfc3339(p.joined_at)}};
}

namespace {
json::object room_json(const workspace::Room& r, const std::optional<MediaRoom>& m) {
  bool live = m && m->session_started_at;
  return {{"id", id_string(r.id)},
          {"name", r.name},
          {"lobby", r.lobby},
          {"locked", live && m->locked_at.has_value()},
          {"recording", live && m->recording_started_at.has_value()}};
}
}  // namespace

json::object ticket_json(const Ticket& t) {
  json::object o{{"state", t.state}, {"room", room_json(t.room, t.media)}};
  if (t.state != "admitted") return o;
  o["participant"] = json::object{{"id", t.participant.janus_id},
                                  {"display_name", t.participant.display_name},
                                  {"host", t.participant.host},
                                  {"muted", json::object{{"audio", t.participant.muted_audio},
                                                         {"video", t.participant.muted_video}}}};
  o["janus"] = json::object{{"server", t.server},
                            {"room", t.media.janus_room},
                            {"pin", t.pin},
                            {"token", t.token},
                            {"room_token", t.room_token},
                            {"opaque_id", opaque_id_of(t.participant.janus_id)}};
  o["ice_servers"] = t.ice_servers;
  o["expires_at"] = rfc3339(t.expires_at);
  return o;
}

json::object live_state_json(const LiveState& s) {
  json::array people, waiting;
  for (const auto& p : s.participants) people.push_back(participant_json(p));
  for (const auto& w : s.waiting)
    waiting.push_back(json::object{{"person_id", id_string(w.person_id)},
                                   {"display_name", w.display_name},
                                   {"asked_at", rfc3339(w.asked_at)}});
  bool live = s.media && s.media->session_started_at;
  return {{"available", s.available},
          {"host", s.host},
          {"room", room_json(s.room, s.media)},
          {"locked", live && s.media->locked_at.has_value()},
          {"lobby", s.room.lobby},
          {"recording", live && s.media->recording_started_at.has_value()},
          {"participants", std::move(people)},
          {"waiting", std::move(waiting)}};
}

}  // namespace ratusha::media
