#include "media/recording.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace ratusha::media;

namespace {
std::string arg_after(const std::vector<std::string>& args, const std::string& flag) {
  auto it = std::find(args.begin(), args.end(), flag);
  return it == args.end() || it + 1 == args.end() ? "" : *(it + 1);
}
}  // namespace

TEST(MediaRecording, TracksFromJanusFileNames) {
  auto t = recorded_tracks({"videoroom-42-user-7-1700000002500000-video-1.mjr",
                            "videoroom-42-user-7-1700000002000000-audio-0.mjr",
                            "videoroom-42-user-9-1700000005000000-audio-0.mjr",
                            "videoroom-42-user-9-1700000005000000-data-2.mjr", "notes.txt",
                            "videoroom-42-user-x-notanumber-audio-0.mjr"});
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].participant, "7");
  EXPECT_EQ(t[0].kind, "audio");
  EXPECT_DOUBLE_EQ(t[0].offset_seconds, 0.0);
  EXPECT_EQ(t[1].kind, "video");
  EXPECT_DOUBLE_EQ(t[1].offset_seconds, 0.5);
  EXPECT_EQ(t[2].participant, "9");
  EXPECT_DOUBLE_EQ(t[2].offset_seconds, 3.0);
}

TEST(MediaRecording, OneParticipantNeedsNoGrid) {
  auto args =
      compose_args({{"v.webm", "video", "7", 0}, {"a.opus", "audio", "7", 0.25}}, 12.5, "out.webm");
  auto f = arg_after(args, "-filter_complex");
  EXPECT_EQ(f.find("xstack"), std::string::npos);
  EXPECT_EQ(f.find("amix"), std::string::npos);
  EXPECT_NE(f.find("adelay=250:all=1"), std::string::npos);
  EXPECT_EQ(arg_after(args, "-t"), "12.500");
  EXPECT_EQ(args.back(), "out.webm");
  EXPECT_EQ(arg_after(args, "-c:v"), "libvpx");
  EXPECT_EQ(arg_after(args, "-c:a"), "libopus");
}

TEST(MediaRecording, ThreeVideosMakeATwoByTwoGridWithOneBlackCell) {
  std::vector<Track> t{{"1.webm", "video", "1", 0},   {"2.webm", "video", "2", 1.5},
                       {"3.webm", "video", "3", 2},   {"1.opus", "audio", "1", 0},
                       {"2.opus", "audio", "2", 1.5}, {"3.opus", "audio", "3", 2}};
  auto args = compose_args(t, 60, "o.webm");
  auto f = arg_after(args, "-filter_complex");
  EXPECT_NE(f.find("xstack=inputs=4:layout=0_0|640_0|0_360|640_360"), std::string::npos) << f;
  EXPECT_NE(f.find("color=c=black"), std::string::npos);
  EXPECT_NE(f.find("tpad=start_duration=1.500"), std::string::npos);
  EXPECT_NE(f.find("amix=inputs=3"), std::string::npos);
  EXPECT_EQ(std::count(args.begin(), args.end(), "-i"), 6);
}

TEST(MediaRecording, AtMostNineTilesAndAudioOnlyWorks) {
  std::vector<Track> many;
  for (int i = 0; i < 12; ++i) many.push_back({std::to_string(i) + ".webm", "video", "p", 0});
  auto f = arg_after(compose_args(many, 10, "o.webm"), "-filter_complex");
  EXPECT_NE(f.find("xstack=inputs=9"), std::string::npos);
  auto audio = compose_args({{"a.opus", "audio", "1", 0}}, 5, "o.webm");
  EXPECT_EQ(std::find(audio.begin(), audio.end(), "-c:v"), audio.end());
  EXPECT_TRUE(compose_args({}, 5, "o.webm").empty());
}
