#pragma once
// All SQL of the media module.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "media/model.hpp"
#include "store/db.hpp"

namespace ratusha::media::db {

using store::Tx;

std::optional<MediaRoom> media_room(Tx& tx, std::int64_t room_id);
void insert_media_room(Tx& tx, const MediaRoom& r, std::int64_t now);
void update_media_room(Tx& tx, const MediaRoom& r);
// How many rooms each instance holds (placing a new room on the least used).
std::vector<std::pair<std::string, std::int64_t>> rooms_per_instance(Tx& tx);

std::vector<Participant> live_participants(Tx& tx, std::int64_t room_id);
std::optional<Participant> participant(Tx& tx, std::int64_t room_id, std::int64_t janus_id);
void insert_participant(Tx& tx, Participant& p);
// What hosts muted of the person's latest connection since `since` (a reconnect keeps it).
std::optional<std::pair<bool, bool>> muted_since(Tx& tx, std::int64_t room_id,
                                                 std::int64_t person_id, std::int64_t since);
void update_participant(Tx& tx, const Participant& p);
// Everyone still in: marked as left (the session ended).
void leave_all(Tx& tx, std::int64_t room_id, std::int64_t now);
// In the meeting now, or left it (not removed) in the last minute: hears how it ends.
bool follows(Tx& tx, std::int64_t room_id, std::int64_t person_id, std::int64_t now);

std::optional<Admission> admission(Tx& tx, std::int64_t room_id, std::int64_t person_id);
std::vector<Admission> waiting(Tx& tx, std::int64_t room_id);
void set_admission(Tx& tx, std::int64_t room_id, std::int64_t person_id, const std::string& state,
                   std::int64_t now, std::optional<std::int64_t> decided_by);
// Forgets one person's request or answer: they may ask again.
void forget_admission(Tx& tx, std::int64_t room_id, std::int64_t person_id);
void clear_admissions(Tx& tx, std::int64_t room_id);

std::int64_t insert_recording(Tx& tx, const Recording& r);
std::optional<Recording> recording(Tx& tx, std::int64_t id);
std::optional<Recording> current_recording(Tx& tx, std::int64_t room_id);
std::vector<Recording> recordings(Tx& tx, std::int64_t room_id, int limit);
void update_recording(Tx& tx, const Recording& r);

}  // namespace ratusha::media::db
