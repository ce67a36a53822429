#pragma once
// Live meetings in workspace rooms. Ratusha holds all control: it decides who may be in a room
// now (the workspace's rules), places the room on a Janus instance, makes the VideoRoom room
// there with a secret only it knows, and hands each person who may enter a ticket: a short
// Janus token for that one room, a longer one for their Janus session, and TURN credentials.
// Hosts admit people from the lobby, mute, stop cameras, remove, lock and end; every such act
// is audited. Events go to "media:<room id>" (those in the meeting) and to the person.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "jobs/jobs.hpp"
#include "media/janus.hpp"
#include "media/model.hpp"
#include "store/db.hpp"
#include "workspace/service.hpp"

namespace ratusha::media {

// Where browsers reach the local Janus's WebSocket API: relayed on our own origin.
inline constexpr const char* kRelayPath = "/janus";

struct MediaOptions {
  std::vector<JanusInstance> instances;  // empty: video and audio are off
  JanusSecrets secrets;
  std::string room_key;       // derives each Janus room's secret and pins
  std::string public_ws_url;  // what browsers connect to, when not the instance's own
  std::vector<std::string> stun_urls, turn_urls;
  std::string turn_secret;
  std::int64_t join_seconds = 60;            // the room token: the browser joins within this
  std::int64_t session_seconds = 12 * 3600;  // the Janus session token (and TURN credentials)
  std::int64_t departed_after = 60;          // gone from Janus this long: marked as left
  std::int64_t publishers = 100;             // VideoRoom's limit per room
  std::int64_t bitrate = 1'200'000;          // per publisher, bits/s (simulcast layers share it)
  std::string recordings_dir;  // where the local Janus writes recordings (empty: none)
  std::string staging_dir;     // the documents' staging area: finished files go there first
};

// Stores a finished recording (a file in the staging area) as a document; returns its id.
using RecordingStore =
    std::function<std::int64_t(const Recording&, const std::string& staged, std::int64_t size)>;

struct Ticket {
  std::string state;  // admitted | waiting
  workspace::Room room;
  MediaRoom media;
  Participant participant;
  std::string server, pin, token, room_token;
  std::int64_t expires_at = 0;
  json::array ice_servers;
};

struct LiveState {
  bool available = false, host = false;
  workspace::Room room;
  std::optional<MediaRoom> media;
  std::vector<Participant> participants;
  std::vector<Admission> waiting;  // hosts only
};

// One Janus handle's traffic in the last second.
struct ConnectionRate {
  std::string opaque_id, kind;  // kind: publisher | subscriber (VideoRoom's word)
  std::int64_t janus_room = 0, in_kbps = 0, out_kbps = 0;
  // Whose it is, from our records (a connection Ratusha did not hand out has none).
  std::int64_t room_id = 0, participant = 0;
  std::string display_name, room_name;
};

// What Janus moves, summed and connection by connection, as of `at` (a walk of its handles).
struct Traffic {
  std::int64_t at = 0, sessions = 0, in_kbps = 0, out_kbps = 0;
  std::vector<ConnectionRate> connections;  // at most 200
  std::string problem;
};

struct InstanceStatus {
  JanusInstance instance;
  bool up = false;
  std::string version, problem;
  std::int64_t rooms = 0, participants = 0;
  std::int64_t restarts = 0;  // how often this node found its rooms gone
  Traffic traffic;
};

class MediaService {
 public:
  MediaService(store::Database& db, audit::AuditLog& audit, events::Bus& bus, jobs::Queue& jobs,
               workspace::WorkspaceService& workspace, MediaOptions options);
  void on_recording(RecordingStore store) { store_recording_ = std::move(store); }
  ~MediaService();

  bool available() const { return !clients_.empty(); }
  // Before start(): a Janus to place rooms on (the local one is known only once it runs).
  void add_instance(const JanusInstance& instance);
  // Starts the thread that keeps the control sessions alive and notices restarts.
  void start();
  void stop();
  // A Janus instance was restarted: every room it had is gone.
  void forget_rooms(const std::string& instance);
  std::int64_t restarts() const { return restarts_; }

  // `replaces`: the caller's connection this one takes over (a reconnect): it is marked left.
  Ticket join(const identity::Principal& who, std::int64_t room_id,
              std::optional<std::int64_t> replaces = std::nullopt);
  // A fresh room token (and the current pin) for a connection already in: subscribing later,
  // after a pin change, or a long meeting. Checks again that the caller may still be there
  // (410 meeting-ended when their meeting is over). Also counts as activity of the session.
  struct RoomToken {
    std::string token, pin;
    std::int64_t expires_at = 0;
  };
  RoomToken room_token_for(const identity::Principal& who, std::int64_t room_id,
                           std::int64_t janus_id);
  // Stops waiting in the lobby.
  void withdraw(const identity::Principal& who, std::int64_t room_id);
  LiveState state(const identity::Principal& who, std::int64_t room_id);
  void set_streams(const identity::Principal& who, std::int64_t room_id, std::int64_t janus_id,
                   const std::vector<Stream>& streams);
  void leave(const identity::Principal& who, std::int64_t room_id, std::int64_t janus_id);
  // What a participant shows the others about themselves: a raised hand, a shared screen.
  enum class Shown { hand, screen };
  void show(const identity::Principal& who, std::int64_t room_id, std::int64_t janus_id, Shown what,
            bool on);

  // Hosts only.
  void mute(const identity::Principal& who, std::int64_t room_id, std::int64_t janus_id,
            const std::string& kind, bool muted);
  void remove(const identity::Principal& who, std::int64_t room_id, std::int64_t janus_id);
  void lock(const identity::Principal& who, std::int64_t room_id, bool locked);
  void end(const identity::Principal& who, std::int64_t room_id);
  void decide(const identity::Principal& who, std::int64_t room_id, std::int64_t person_id,
              bool admit);
  // Recording, with a notice to everyone in the meeting while it runs; stopping hands the
  // files to the "media.recording" job, which stores one WebM as a document.
  Recording start_recording(const identity::Principal& who, std::int64_t room_id);
  Recording stop_recording(const identity::Principal& who, std::int64_t room_id);
  // The room's recordings, the latest first (those who may be in the room).
  std::vector<Recording> recordings(const identity::Principal& who, std::int64_t room_id);
  // The job: compose and store (idempotent: a finished one is left alone).
  void process_recording(std::int64_t recording_id);

  // Whether Janus receives video from the person in the room now (a council that requires the
  // camera on asks before a remote member registers).
  bool camera_on(std::int64_t person_id, std::int64_t room_id);

  // Administrators: every instance's health, rooms, participants and bitrates (Janus's
  // handles walked at most every few seconds, however many look).
  std::vector<InstanceStatus> status(const identity::Principal& who);
  // For /metrics (no caller): health from the last check.
  std::vector<InstanceStatus> last_status();
  // For /metrics: all instances' traffic, walked again when older than `max_age` seconds.
  Traffic traffic(std::int64_t max_age);

  // Whether the person is in the room's meeting now, or just left it without being removed
  // (the realtime topic "media:<id>": the end of the meeting still reaches them).
  bool may_watch(std::int64_t person_id, std::int64_t room_id);
  // In the room's live meeting (or left it in the last minute, not removed): may follow it and
  // write in the room's chat beside it.
  static bool takes_part(store::Tx& tx, std::int64_t person_id, std::int64_t room_id);

  // Derived, never stored: the Janus room's secret and the pin of a generation.
  std::string room_secret(std::int64_t janus_room) const;
  std::string room_pin(std::int64_t janus_room, std::int64_t generation) const;

 private:
  JanusClient& client(const std::string& instance);
  std::string place(store::Tx& tx);           // the instance for a new live session
  bool answers(const std::string& instance);  // at its last check
  // Makes the VideoRoom room on its instance unless this node knows it is there.
  void ensure_janus_room(const MediaRoom& m, const workspace::Room& room);
  void janus_edit_pin(const MediaRoom& m, std::int64_t old_generation);
  // Writes a new live session (planned with its instance and Janus room id).
  void begin_session(store::Tx& tx, const MediaRoom& plan, std::int64_t now);
  void destroy_janus_room(const MediaRoom& m);
  workspace::WorkspaceService::RoomAccess host_access(const identity::Principal& who,
                                                      std::int64_t room_id);
  Participant own_participant(store::Tx& tx, const identity::Principal& who, std::int64_t room_id,
                              std::int64_t janus_id);
  void changed(store::Tx& tx, std::int64_t room_id);
  void watch();
  // Marks as left those whom Janus no longer has (a closed tab, a lost phone).
  void sweep_departed();
  // Tells Janus to stop and hands the recording to the job (in `tx`); false when it was not on.
  std::optional<Recording> finish_recording(store::Tx& tx, std::int64_t room_id, std::int64_t by,
                                            std::int64_t now_ms);
  void janus_record(const MediaRoom& m, bool on, const std::string& dir);
  std::string ws_url(const JanusInstance& inst) const;
  // Each instance's traffic, walked again when older than `max_age` seconds.
  std::map<std::string, Traffic> traffic_by_instance(std::int64_t max_age);

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  jobs::Queue& jobs_;
  workspace::WorkspaceService& workspace_;
  RecordingStore store_recording_;
  MediaOptions opts_;
  std::map<std::string, std::unique_ptr<JanusClient>> clients_;
  std::mutex known_mu_;
  std::set<std::pair<std::string, std::int64_t>> known_;  // (instance, Janus room) made
  std::mutex status_mu_;
  std::map<std::string, InstanceStatus> last_;
  std::atomic<std::int64_t> restarts_{0};
  std::mutex traffic_mu_;  // one walk at a time; the others wait for its answer
  std::map<std::string, Traffic> traffic_;
  std::thread watcher_;
  std::mutex watch_mu_;
  std::condition_variable watch_cv_;
  bool stopping_ = false;
};

json::object ticket_json(const Ticket& t);
json::object live_state_json(const LiveState& s);
json::object participant_json(const Participant& p);
json::object recording_json(const Recording& r);

}  // namespace ratusha::media
