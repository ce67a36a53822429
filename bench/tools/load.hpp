// What the HTTP load clients in bench/tools share: their options, the latency summary, and the
// tallies of answers, so that every tool reports percentiles the same way.
#pragma once

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace bench {

using clk = std::chrono::steady_clock;

inline double ms(clk::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// Sorts the latencies and gives {count, p50_ms, p99_ms, max_ms} (nearest rank: the value below
// which a fraction p of the samples lie).
inline boost::json::object summary(std::vector<double>& l) {
  std::sort(l.begin(), l.end());
  auto pct = [&](double p) {
    if (l.empty()) return 0.0;
    return l[std::min(l.size() - 1, static_cast<std::size_t>(p * static_cast<double>(l.size())))];
  };
  return {{"count", static_cast<std::int64_t>(l.size())},
          {"p50_ms", pct(0.50)},
          {"p99_ms", pct(0.99)},
          {"max_ms", l.empty() ? 0.0 : l.back()}};
}

// "--name value" options, each handed to its setter; false (and a word on stderr) for an
// unknown one or a missing value.
using Setters = std::map<std::string, std::function<void(const std::string&)>>;
inline bool parse_options(int argc, char** argv, const Setters& setters) {
  for (int i = 1; i < argc; ++i) {
    auto it = setters.find(argv[i]);
    if (it == setters.end() || i + 1 >= argc) {
      std::cerr << (it == setters.end() ? "unknown option " : "no value for ") << argv[i] << "\n";
      return false;
    }
    it->second(argv[++i]);
  }
  return true;
}

// Answers by HTTP status, and the first few problems by their words.
struct Tally {
  std::map<int, int> statuses;
  std::map<std::string, int> errors;

  boost::json::object json() const {
    boost::json::object s, e;
    for (const auto& [k, v] : statuses) s[std::to_string(k)] = v;
    for (const auto& [k, v] : errors) e[k] = v;
    return {{"statuses", std::move(s)}, {"errors", std::move(e)}};
  }
};

}  // namespace bench
