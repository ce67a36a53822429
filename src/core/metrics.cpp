#include "core/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace ratusha {

void Metrics::observe_request(const std::string& method, const std::string& route, int status,
                              double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  auto& h = latency_[{method, route}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

namespace {
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

std::string Metrics::render() const {
  std::ostringstream o;
  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(mu_);
    o << "# HELP ratusha_http_requests_total HTTP requests by route and status.\n"
         "# TYPE ratusha_http_requests_total counter\n";
    for (const auto& [k, n] : requests_) {
      o << "ratusha_http_requests_total{method=\"" << std::get<0>(k) << "\",route=\""
        << label(std::get<1>(k)) << "\",status=\"" << std::get<2>(k) << "\"} " << n << "\n";
    }
    o << "# HELP ratusha_http_request_duration_seconds Time to answer a request.\n"
         "# TYPE ratusha_http_request_duration_seconds histogram\n";
    for (const auto& [k, h] : latency_) {
      std::string l = "method=\"" + k.first + "\",route=\"" + label(k.second) + "\"";
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        o << "ratusha_http_request_duration_seconds_bucket{" << l << ",le=\"" << num(kBuckets[i])
          << "\"} " << h.buckets[i] << "\n";
      }
      o << "ratusha_http_request_duration_seconds_bucket{" << l << ",le=\"+Inf\"} " << h.count
        << "\n";
      o << "ratusha_http_request_duration_seconds_sum{" << l << "} " << num(h.sum) << "\n";
      o << "ratusha_http_request_duration_seconds_count{" << l << "} " << h.count << "\n";
    }
    gauges = gauges_;
  }
  for (const auto& g : gauges) {
    o << "# HELP " << g.name << " " << g.help << "\n# TYPE " << g.name << " gauge\n"
      << g.name << " " << num(g.read()) << "\n";
  }
  return o.str();
}

}  // namespace ratusha
