#include "documents/content.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <magic.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <vector>

namespace ratusha::documents {

namespace fs = std::filesystem;

namespace {

// libmagic handles are not thread-safe: one per thread, loaded once.
magic_t thread_magic() {
  thread_local struct Handle {
    magic_t m = nullptr;
    Handle() {
      m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
      if (m && magic_load(m, nullptr) != 0) {
        magic_close(m);
        m = nullptr;
      }
    }
    ~Handle() {
      if (m) magic_close(m);
    }
  } h;
  return h.m;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

void send_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("clamd: send failed: ") + std::strerror(errno));
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

int connect_clamd(const std::string& where, std::chrono::seconds timeout) {
  int fd = -1;
  if (!where.empty() && where[0] == '/') {
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (where.size() >= sizeof a.sun_path) throw std::runtime_error("clamd socket path too long");
    std::memcpy(a.sun_path, where.c_str(), where.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      throw std::runtime_error("clamd is not reachable at " + where);
    }
  } else {
    auto colon = where.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("clamav_socket: PATH or HOST:PORT");
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(where.substr(0, colon).c_str(), where.substr(colon + 1).c_str(), &hints,
                    &res) != 0 ||
        !res)
      throw std::runtime_error("clamd address not found: " + where);
    fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = ::connect(fd, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (rc != 0) {
      ::close(fd);
      throw std::runtime_error("clamd is not reachable at " + where);
    }
  }
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  return fd;
}

}  // namespace

std::string detect_content_type(const fs::path& file) {
  magic_t m = thread_magic();
  const char* t = m ? magic_file(m, file.c_str()) : nullptr;
  std::string type = t ? t : "application/octet-stream";
  if (type == "text/plain" || type == "text/csv") type += "; charset=utf-8";
  return type;
}

ScanResult clamav_scan(const std::string& socket, const fs::path& file,
                       std::chrono::seconds timeout) {
  Fd in{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (in.fd < 0) throw std::runtime_error("cannot open the upload to scan it");
  Fd s{connect_clamd(socket, timeout)};
  static const char cmd[] = "zINSTREAM";
  send_all(s.fd, cmd, sizeof cmd);  // including the NUL terminator
  std::vector<char> buf(64 * 1024);
  for (;;) {
    ssize_t n = ::read(in.fd, buf.data(), buf.size());
    if (n < 0) throw std::runtime_error("cannot read the upload to scan it");
    if (n == 0) break;
    std::uint32_t len = htonl(static_cast<std::uint32_t>(n));
    send_all(s.fd, reinterpret_cast<const char*>(&len), 4);
    try {
      send_all(s.fd, buf.data(), static_cast<std::size_t>(n));
    } catch (const std::runtime_error&) {
      break;  // clamd stops reading when its stream limit is reached; its reply says so
    }
  }
  std::uint32_t zero = 0;
  try {
    send_all(s.fd, reinterpret_cast<const char*>(&zero), 4);
  } catch (const std::runtime_error&) {
  }
  std::string reply;
  char c;
  while (::recv(s.fd, &c, 1, 0) == 1 && c != '\0') reply += c;
  // "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
  ScanResult r;
  if (reply.ends_with(" FOUND")) {
    r.verdict = ScanResult::Verdict::infected;
    auto colon = reply.find(": ");
    r.signature = reply.substr(colon == std::string::npos ? 0 : colon + 2);
    r.signature.resize(r.signature.size() - 6);
  } else if (reply.ends_with(": OK")) {
    r.verdict = ScanResult::Verdict::clean;
  } else if (reply.find("size limit") != std::string::npos) {
    r.verdict = ScanResult::Verdict::not_scanned;
    r.signature = "larger than clamd's StreamMaxLength";
  } else {
    throw std::runtime_error("clamd answered: " + (reply.empty() ? "nothing" : reply));
  }
  return r;
}

namespace {

// Runs a text extractor with a time limit and returns its standard output, cut at max_bytes (the
// extractor is stopped then: a zip bomb or a huge PDF costs no more than that).
std::string run_extractor(const std::vector<std::string>& argv, std::size_t max_bytes) {
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return {};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    return {};
  }
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) ::dup2(devnull, 2);
    ::alarm(30);  // a hostile file cannot keep the extractor busy for long
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string out;
  std::vector<char> buf(64 * 1024);
  while (out.size() < max_bytes) {
    ssize_t n = ::read(pipefd[0], buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf.data(),
               std::min<std::size_t>(static_cast<std::size_t>(n), max_bytes - out.size()));
  }
  ::close(pipefd[0]);
  if (out.size() >= max_bytes) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Where the text of an office document lives inside its zip.
std::optional<std::string> office_member(const std::string& type) {
  if (type.starts_with("application/vnd.oasis.opendocument.")) return "content.xml";
  if (type.starts_with("application/vnd.openxmlformats-officedocument.wordprocessingml"))
    return "word/document.xml";
  if (type.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml"))
    return "xl/sharedStrings.xml";
  if (type.starts_with("application/vnd.openxmlformats-officedocument.presentationml"))
    return "ppt/slides/slide*.xml";
  return std::nullopt;
}

}  // namespace

std::string office_xml_text(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() / 2);
  std::size_t i = 0;
  while (i < xml.size()) {
    char c = xml[i];
    if (c == '<') {
      auto close = xml.find('>', i);
      if (close == std::string_view::npos) break;
      // The tag's name without '/', attributes or a namespace prefix.
      auto tag = xml.substr(i + 1, close - i - 1);
      if (!tag.empty() && tag.front() == '/') tag.remove_prefix(1);
      tag = tag.substr(0, tag.find_first_of(" /\t\r\n"));
      if (auto colon = tag.find(':'); colon != std::string_view::npos) tag.remove_prefix(colon + 1);
      // Paragraphs, cells, tabs and breaks separate words; runs and spans do not (a word is
      // often split across runs).
      if (tag == "p" || tag == "h" || tag == "tab" || tag == "br" || tag == "s" || tag == "tc" ||
          tag == "si" || tag == "line-break" || tag == "table-cell" || tag == "cr")
        out += ' ';
      i = close + 1;
    } else if (c == '&') {
      auto semi = xml.find(';', i);
      if (semi == std::string_view::npos || semi - i > 10) {
        out += c;
        ++i;
        continue;
      }
      auto ent = xml.substr(i + 1, semi - i - 1);
      if (ent == "amp")
        out += '&';
      else if (ent == "lt")
        out += '<';
      else if (ent == "gt")
        out += '>';
      else if (ent == "quot")
        out += '"';
      else if (ent == "apos")
        out += '\'';
      else if (ent.size() > 1 && ent[0] == '#') {
        unsigned long cp = 0;
        try {
          cp = ent[1] == 'x' ? std::stoul(std::string(ent.substr(2)), nullptr, 16)
                             : std::stoul(std::string(ent.substr(1)));
        } catch (...) {
        }
        if (cp >= 0x20 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF))
          append_utf8(out, static_cast<char32_t>(cp));
        else
          out += ' ';
      } else {
        out += ' ';
      }
      i = semi + 1;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string extract_text(const fs::path& file, const std::string& content_type,
                         std::size_t max_bytes) {
  if (content_type.starts_with("application/pdf"))
    return run_extractor({"pdftotext", "-q", "-enc", "UTF-8", "-l", "500", file.string(), "-"},
                         max_bytes);
  if (auto member = office_member(content_type)) {
    // The XML is several times the text; read up to 8x, keep up to max_bytes of text.
    auto xml = run_extractor({"unzip", "-p", "-qq", file.string(), *member}, max_bytes * 8);
    auto text = office_xml_text(xml);
    if (text.size() > max_bytes) text.resize(max_bytes);
    return text;
  }
  if (content_type.starts_with("text/")) {
    std::ifstream in(file, std::ios::binary);
    std::string s(max_bytes, '\0');
    in.read(s.data(), static_cast<std::streamsize>(max_bytes));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
  }
  return {};
}

}  // namespace ratusha::documents
