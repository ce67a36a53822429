#include "workspace/chat.hpp"

#include <algorithm>
#include <charconv>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "workspace/rules.hpp"
#include "workspace/store.hpp"

namespace ratusha::workspace {

using identity::Principal;
using store::Tx;

namespace {

std::string join_ids(const std::vector<std::int64_t>& ids) {
  std::string s;
  for (auto id : ids) s += (s.empty() ? "" : ",") + std::to_string(id);
  return s;
}

std::vector<std::int64_t> split_ids(const std::string& s) {
  std::vector<std::int64_t> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto comma = s.find(',', i);
    if (comma == std::string::npos) comma = s.size();
    std::int64_t v = 0;
    std::from_chars(s.data() + i, s.data() + comma, v);
    if (v > 0) out.push_back(v);
    i = comma + 1;
  }
  return out;
}

ChatMessage message_from(const store::Row& r) {
  ChatMessage m;
  m.id = r.int64(0);
  m.author_id = r.int64(1);
  m.author_name = r.text(2);
  m.deleted_at = r.opt_int64(7);
  m.body = m.deleted_at ? "" : r.text(3);
  m.document_id = m.deleted_at ? std::nullopt : r.opt_int64(4);
  m.document_name = m.deleted_at ? std::nullopt : r.opt_text(5);
  m.created_at = r.int64(6);
  m.mentions = split_ids(r.text(8));
  return m;
}

constexpr const char* kCols =
    "SELECT c.id, c.author_id, p.display_name, c.body, c.document_id, c.document_name, "
    "c.created_at, c.deleted_at, c.mentions FROM chat_messages c JOIN people p ON p.id = "
    "c.author_id ";

}  // namespace

json::object chat_message_json(const ChatMessage& m) {
  json::array mentions;
  for (auto id : m.mentions) mentions.push_back(json::value(id_string(id)));
  return {
      {"id", id_string(m.id)},
      {"author", json::object{{"id", id_string(m.author_id)}, {"display_name", m.author_name}}},
      {"body", m.body},
      {"document", m.document_id ? json::value(json::object{{"id", id_string(*m.document_id)},
                                                            {"name", m.document_name.value_or("")}})
                                 : json::value(nullptr)},
      {"mentions", std::move(mentions)},
      {"created_at", rfc3339(m.created_at)},
      {"deleted", m.deleted_at.has_value()}};
}

bool ChatService::may_take_part(Tx& tx, std::int64_t person_id, const ChatPlace& place) {
  if (place.kind == "meeting") return db::invitee(tx, place.id, person_id).has_value();
  if (place.kind == "room")
    return db::is_room_member(tx, place.id, person_id) ||
           db::invited_in_room_now(tx, place.id, person_id, now_seconds(), kJoinEarly) ||
           (in_room_ && in_room_(tx, person_id, place.id));
  return false;
}

bool ChatService::may_take_part(std::int64_t person_id, const ChatPlace& place) {
  return db_.read([&](Tx& tx) { return may_take_part(tx, person_id, place); });
}

std::vector<ChatMessage> ChatService::messages(const Principal& who, const ChatPlace& place,
                                               std::optional<std::int64_t> before, int limit) {
  return db_.read([&](Tx& tx) {
    if (!may_take_part(tx, who.person_id, place)) throw not_found("No such conversation.");
    std::string sql = std::string(kCols) + "WHERE c." + place.kind + "_id = ?";
    std::vector<store::Value> params{place.id};
    if (before) {
      sql += " AND c.id < ?";
      params.push_back(*before);
    }
    sql += " ORDER BY c.id DESC LIMIT ?";
    params.push_back(std::int64_t{limit});
    std::vector<ChatMessage> out;
    for (auto& r : tx.query(sql, params)) out.push_back(message_from(r));
    return out;
  });
}

ChatMessage ChatService::post(const Principal& who, const ChatPlace& place, const std::string& raw,
                              const std::vector<std::int64_t>& mentions,
                              std::optional<std::int64_t> document_id) {
  auto first = raw.find_first_not_of(" \t\r\n");
  auto body = first == std::string::npos
                  ? std::string()
                  : raw.substr(first, raw.find_last_not_of(" \t\r\n") - first + 1);
  if (body.empty() && !document_id) throw field_error("body", "required", "Write something.");
  if (utf8_length(body) > kMaxLength)
    throw field_error("body", "too_long", "At most 4,000 characters.");
  if (has_control_chars(body, true))
    throw field_error("body", "invalid", "Control characters are not allowed.");
  if (mentions.size() > 50) throw field_error("mentions", "too_many", "At most 50 mentions.");
  // A linked document must be one the author may see; its name travels with the message.
  std::optional<std::string> document_name;
  if (document_id) {
    try {
      document_name = documents_.node(who, *document_id).node.name;
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found) throw;
      throw field_error("document_id", "not_found", "There is no such document you may see.");
    }
  }
  return db_.write([&](Tx& tx) {
    if (!may_take_part(tx, who.person_id, place)) throw not_found("No such conversation.");
    std::vector<std::int64_t> mentioned;
    for (std::size_t i = 0; i < mentions.size(); ++i) {
      if (!may_take_part(tx, mentions[i], place))
        throw field_error("mentions[" + std::to_string(i) + "]", "not_here",
                          "Only people in this conversation can be mentioned.");
      if (std::find(mentioned.begin(), mentioned.end(), mentions[i]) == mentioned.end())
        mentioned.push_back(mentions[i]);
    }
    auto now = now_seconds();
    auto id = tx.insert("INSERT INTO chat_messages (" + place.kind +
                            "_id, author_id, body, document_id, document_name, mentions, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        {place.id, who.person_id, body, store::opt(document_id),
                         store::opt(document_name), join_ids(mentioned), now});
    auto m = message_from(*tx.one(std::string(kCols) + "WHERE c.id = ?", {id}));
    bus_.publish(tx, place.topic(), "chat.message", chat_message_json(m));
    std::string where = place.kind == "meeting"
                            ? db::meeting(tx, place.id).value_or(Meeting{}).title
                            : db::room(tx, place.id).value_or(Room{}).name;
    std::string link = "/" + std::string(place.kind == "meeting" ? "meetings/" : "rooms/") +
                       std::to_string(place.id);
    // The first 200 characters, cut at a character boundary.
    std::string excerpt;
    std::size_t chars = 0;
    for (char c : body) {
      bool starts_character = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      if (starts_character && ++chars > 200) break;
      excerpt += c;
    }
    for (auto p : mentioned) {
      if (p == who.person_id) continue;
      json::object data{{"actor", who.display_name}, {"excerpt", excerpt}};
      auto nid = tx.insert(
          "INSERT INTO notifications (person_id, kind, title, body, link, data, created_at) "
          "VALUES (?, 'chat.mention', ?, ?, ?, ?, ?)",
          {p, where, who.display_name + ": " + excerpt, link, json::serialize(data), now});
      bus_.publish(tx, "person:" + std::to_string(p), "notification",
                   json::object{{"id", id_string(nid)},
                                {"kind", "chat.mention"},
                                {"title", where},
                                {"body", who.display_name + ": " + excerpt},
                                {"link", link},
                                {"data", data},
                                {"created_at", rfc3339(now)}});
    }
    return m;
  });
}

void ChatService::remove(const Principal& who, std::int64_t message_id) {
  db_.write([&](Tx& tx) {
    auto r =
        tx.one("SELECT meeting_id, room_id, author_id, deleted_at FROM chat_messages WHERE id = ?",
               {message_id});
    if (!r) throw not_found("No such message.");
    ChatPlace place =
        r->is_null(0) ? ChatPlace{"room", r->int64(1)} : ChatPlace{"meeting", r->int64(0)};
    if (!may_take_part(tx, who.person_id, place)) throw not_found("No such message.");
    bool moderator = who.can("people.manage");
    if (r->int64(2) != who.person_id && !moderator)
      throw forbidden("Only its author removes a message.");
    if (!r->is_null(3)) return;
    tx.exec(
        "UPDATE chat_messages SET deleted_at = ?, body = '', document_id = NULL, "
        "document_name = NULL WHERE id = ?",
        {now_seconds(), message_id});
    audit_.append(tx, {who.person_id, who.display_name, who.address}, "chat.message_removed",
                  "message:" + std::to_string(message_id),
                  {{"place", place.kind + ":" + std::to_string(place.id)},
                   {"author", id_string(r->int64(2))}});
    bus_.publish(tx, place.topic(), "chat.removed", json::object{{"id", id_string(message_id)}});
  });
}

}  // namespace ratusha::workspace
