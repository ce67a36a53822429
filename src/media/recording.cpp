#include "media/recording.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>

extern char** environ;

namespace ratusha::media {

namespace fs = std::filesystem;

namespace {

constexpr int kTileW = 640, kTileH = 360, kFps = 15;
constexpr std::size_t kMaxTiles = 9;

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

// Runs a program (no shell), its output to `log`; true when it exits 0.
bool run(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return false;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

std::vector<Track> recorded_tracks(const std::vector<std::string>& mjr_names) {
  struct Raw {
    Track t;
    std::int64_t start = 0;
  };
  std::vector<Raw> raws;
  for (const auto& name : mjr_names) {
    // videoroom-ROOM-user-ID-TIME-KIND-MINDEX.mjr
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".mjr") != 0) continue;
    auto user = name.find("-user-");
    if (user == std::string::npos) continue;
    std::vector<std::string> parts;
    std::size_t start = user + 6;
    auto stem = name.substr(0, name.size() - 4);
    while (start <= stem.size()) {
      auto dash = stem.find('-', start);
      parts.push_back(
          stem.substr(start, dash == std::string::npos ? std::string::npos : dash - start));
      if (dash == std::string::npos) break;
      start = dash + 1;
    }
    if (parts.size() != 4 || (parts[2] != "audio" && parts[2] != "video")) continue;
    Raw r;
    r.t.participant = parts[0];
    r.t.kind = parts[2];
    r.t.path = name;
    auto [p, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), r.start);
    if (ec != std::errc{}) continue;
    raws.push_back(r);
  }
  std::int64_t first = INT64_MAX;
  for (const auto& r : raws) first = std::min(first, r.start);
  std::sort(raws.begin(), raws.end(), [](const Raw& a, const Raw& b) {
    return std::tie(a.start, a.t.participant, a.t.kind) <
           std::tie(b.start, b.t.participant, b.t.kind);
  });
  std::vector<Track> out;
  for (auto& r : raws) {
    r.t.offset_seconds = static_cast<double>(r.start - first) / 1e6;
    out.push_back(r.t);
  }
  return out;
}

std::vector<std::string> compose_args(const std::vector<Track>& tracks, double seconds,
                                      const std::string& out) {
  std::vector<const Track*> videos, audios;
  for (const auto& t : tracks) (t.kind == "video" ? videos : audios).push_back(&t);
  if (videos.size() > kMaxTiles) videos.resize(kMaxTiles);
  if (videos.empty() && audios.empty()) return {};
  std::vector<std::string> args{"-hide_banner", "-loglevel", "warning", "-y"};
  std::string filter;
  int input = 0;
  std::vector<std::string> tiles, voices;
  for (const auto* v : videos) {
    args.insert(args.end(), {"-i", v->path});
    std::string label = "v" + std::to_string(input);
    // Same size and rate for every tile; black until the participant's video began.
    filter += "[" + std::to_string(input) + ":v]fps=" + std::to_string(kFps) +
              ",scale=" + std::to_string(kTileW) + ":" + std::to_string(kTileH) +
              ":force_original_aspect_ratio=decrease,pad=" + std::to_string(kTileW) + ":" +
              std::to_string(kTileH) + ":(ow-iw)/2:(oh-ih)/2,setsar=1,tpad=start_duration=" +
              seconds_text(v->offset_seconds) + ":start_mode=add:color=black[" + label + "];";
    tiles.push_back(label);
    ++input;
  }
  for (const auto* a : audios) {
    args.insert(args.end(), {"-i", a->path});
    std::string label = "a" + std::to_string(input);
    auto ms = std::to_string(static_cast<long long>(a->offset_seconds * 1000 + 0.5));
    filter +=
        "[" + std::to_string(input) + ":a]aresample=48000,adelay=" + ms + ":all=1[" + label + "];";
    voices.push_back(label);
    ++input;
  }
  std::string video_out, audio_out;
  if (!tiles.empty()) {
    std::size_t n = tiles.size();
    std::size_t cols = n == 1 ? 1 : n == 2 ? 2 : n <= 4 ? 2 : 3;
    std::size_t rows = (n + cols - 1) / cols;
    if (n == 1) {
      video_out = tiles[0];
    } else {
      // Empty cells of the grid are black.
      std::size_t cells = cols * rows;
      for (std::size_t i = n; i < cells; ++i) {
        std::string label = "e" + std::to_string(i);
        filter += "color=c=black:s=" + std::to_string(kTileW) + "x" + std::to_string(kTileH) +
                  ":r=" + std::to_string(kFps) + "[" + label + "];";
        tiles.push_back(label);
      }
      for (const auto& t : tiles) filter += "[" + t + "]";
      filter += "xstack=inputs=" + std::to_string(cells) + ":layout=";
      for (std::size_t i = 0; i < cells; ++i) {
        if (i) filter += "|";
        filter += std::to_string((i % cols) * kTileW) + "_" + std::to_string((i / cols) * kTileH);
      }
      filter += ":fill=black[vout];";
      video_out = "vout";
    }
  }
  if (!voices.empty()) {
    if (voices.size() == 1) {
      audio_out = voices[0];
    } else {
      for (const auto& v : voices) filter += "[" + v + "]";
      filter +=
          "amix=inputs=" + std::to_string(voices.size()) + ":duration=longest:normalize=0[aout];";
      audio_out = "aout";
    }
  }
  if (!filter.empty() && filter.back() == ';') filter.pop_back();
  args.insert(args.end(), {"-filter_complex", filter});
  if (!video_out.empty())
    args.insert(args.end(),
                {"-map", "[" + video_out + "]", "-c:v", "libvpx", "-deadline", "realtime",
                 "-cpu-used", "8", "-b:v", "1500k", "-g", std::to_string(kFps * 2)});
  if (!audio_out.empty())
    args.insert(args.end(), {"-map", "[" + audio_out + "]", "-c:a", "libopus", "-b:a", "64k"});
  args.insert(args.end(), {"-t", seconds_text(seconds), "-f", "webm", out});
  return args;
}

Composed compose_recording(const fs::path& dir, const fs::path& work, const fs::path& out,
                           double seconds) {
  Composed c;
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.file_size(ec) > 0) names.push_back(e.path().filename().string());
  auto tracks = recorded_tracks(names);
  if (tracks.empty()) {
    c.problem = "nothing was recorded (nobody sent audio or video)";
    return c;
  }
  fs::create_directories(work);
  auto log = work / "convert.log";
  std::vector<Track> converted;
  for (auto t : tracks) {
    auto src = (dir / t.path).string();
    auto dst = (work / (fs::path(t.path).stem().string() + (t.kind == "audio" ? ".opus" : ".webm")))
                   .string();
    std::vector<std::string> cmd{"janus-pp-rec", src, dst};
    c.log.push_back("janus-pp-rec " + t.path);
    // A stream with no usable packets (a camera never turned on) is left out.
    if (!run(cmd, log) || !fs::exists(dst) || fs::file_size(dst, ec) == 0) continue;
    t.path = dst;
    converted.push_back(t);
  }
  auto args = compose_args(converted, seconds, out.string());
  if (args.empty()) {
    c.problem = "janus-pp-rec could not convert any stream (see " + log.string() + ")";
    return c;
  }
  args.insert(args.begin(), "ffmpeg");
  c.log.push_back("ffmpeg (" + std::to_string(converted.size()) + " streams)");
  if (!run(args, log) || !fs::exists(out) || fs::file_size(out, ec) == 0) {
    c.problem = "ffmpeg could not put the streams together (see " + log.string() + ")";
    return c;
  }
  c.ok = true;
  c.size = static_cast<std::int64_t>(fs::file_size(out));
  return c;
}

}  // namespace ratusha::media
