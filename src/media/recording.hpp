#pragma once
// Turning a meeting's Janus recording into one playable file. Janus writes each participant's
// streams as .mjr files; janus-pp-rec turns each into Opus or WebM; ffmpeg puts them together:
// the videos side by side in a grid (at most nine, by who came first), the voices mixed, each
// starting where it started in the meeting. The plan (`compose_args`) is pure and tested.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ratusha::media {

// One converted stream of one participant.
struct Track {
  std::string path;           // .opus or .webm made by janus-pp-rec
  std::string kind;           // audio | video
  std::string participant;    // Janus id, as in the file name
  double offset_seconds = 0;  // from the start of the recording
};

// The .mjr files of a folder as tracks (not yet converted): participant, kind and start time
// from Janus's file names (videoroom-ROOM-user-ID-MICROSECONDS-KIND-MINDEX.mjr); offsets
// relative to the earliest.
std::vector<Track> recorded_tracks(const std::vector<std::string>& mjr_names);

// ffmpeg's arguments (without "ffmpeg") for `tracks` → `out` (WebM: VP8 and Opus), `seconds`
// long. Empty when there is nothing to put together.
std::vector<std::string> compose_args(const std::vector<Track>& tracks, double seconds,
                                      const std::string& out);

struct Composed {
  bool ok = false;
  std::string problem;  // what went wrong, for the recording's record
  std::int64_t size = 0;
  std::vector<std::string> log;  // the commands run
};

// Converts every .mjr of `dir` with janus-pp-rec (into `work`) and composes `out`. Blocking;
// runs the programs as child processes.
Composed compose_recording(const std::filesystem::path& dir, const std::filesystem::path& work,
                           const std::filesystem::path& out, double seconds);

}  // namespace ratusha::media
