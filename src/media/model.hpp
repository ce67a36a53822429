#pragma once
// Video and audio: a workspace room's live meeting on a Janus instance.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ratusha::media {

// Where a room's live meeting runs.
struct MediaRoom {
  std::int64_t room_id = 0;
  std::string instance;         // JanusInstance::name
  std::int64_t janus_room = 0;  // new for every live session
  std::int64_t pin_generation = 0;
  std::optional<std::int64_t> locked_at, locked_by, session_started_at, recording_started_at;
};

struct Stream {
  std::string mid, type;  // type: audio | video | data
};

// One join of one person (a reconnect is a new join with a new Janus id).
struct Participant {
  std::int64_t id = 0, room_id = 0, person_id = 0, janus_id = 0;
  std::string display_name;
  bool host = false, hand_raised = false, sharing = false, muted_audio = false, muted_video = false;
  std::vector<Stream> streams;
  std::int64_t joined_at = 0;
  std::optional<std::int64_t> left_at, removed_by;

  // Gone from the meeting (left, replaced, removed, swept): what they showed goes with them.
  void depart(std::int64_t now) {
    if (!left_at) left_at = now;
    hand_raised = sharing = false;
  }
};

struct Admission {
  std::int64_t person_id = 0;
  std::string display_name, state;  // waiting | admitted | refused (removed: out until admitted)
  std::int64_t asked_at = 0;
};

// A recording of a live meeting (times in milliseconds, for indexing the file later).
struct Recording {
  std::int64_t id = 0, room_id = 0, janus_room = 0, started_by = 0, started_at_ms = 0;
  std::optional<std::int64_t> meeting_id, stopped_by, stopped_at_ms, document_id, size;
  std::string instance, directory, started_by_name;
  std::string state;  // recording | processing | ready | failed
  std::string problem;
};

}  // namespace ratusha::media
