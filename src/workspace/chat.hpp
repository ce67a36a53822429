#pragma once
// Chat beside every meeting (its invitees) and in every room (those who may be in it): history,
// @mentions that notify, links to documents. Messages are plain text; nothing in them is ever
// interpreted as markup.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "documents/service.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "store/db.hpp"

namespace ratusha::workspace {

struct ChatPlace {
  std::string kind;  // meeting | room
  std::int64_t id = 0;
  std::string topic() const { return "chat:" + kind + ":" + std::to_string(id); }
};

struct ChatMessage {
  std::int64_t id = 0, author_id = 0, created_at = 0;
  std::string author_name, body;
  std::optional<std::int64_t> document_id, deleted_at;
  std::optional<std::string> document_name;
  std::vector<std::int64_t> mentions;
};

class ChatService {
 public:
  static constexpr std::size_t kMaxLength = 4000;  // characters

  ChatService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
              documents::DocumentsService& documents)
      : db_(db), audit_(audit), bus_(bus), documents_(documents) {}

  std::vector<ChatMessage> messages(const identity::Principal& who, const ChatPlace& place,
                                    std::optional<std::int64_t> before, int limit);
  ChatMessage post(const identity::Principal& who, const ChatPlace& place, const std::string& body,
                   const std::vector<std::int64_t>& mentions,
                   std::optional<std::int64_t> document_id);
  void remove(const identity::Principal& who, std::int64_t message_id);
  // Whether a person may read and write there now (also asked before every live event).
  bool may_take_part(std::int64_t person_id, const ChatPlace& place);
  // Others who take part in a room's chat: those in its live video meeting (the media module
  // knows who), hosts who keep the room without being a member among them.
  using InRoom = std::function<bool(store::Tx&, std::int64_t person_id, std::int64_t room_id)>;
  void also_in_room(InRoom in_room) { in_room_ = std::move(in_room); }

 private:
  bool may_take_part(store::Tx& tx, std::int64_t person_id, const ChatPlace& place);

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  documents::DocumentsService& documents_;
  InRoom in_room_;
};

json::object chat_message_json(const ChatMessage& m);

}  // namespace ratusha::workspace
