// The outbox against a real (temporary) SQLite database, with a fake SMTP server.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "audit/audit.hpp"
#include "core/error.hpp"
#include "jobs/jobs.hpp"
#include "mail/mail.hpp"
#include "security/crypto.hpp"
#include "store/db.hpp"
#include "store/migrations.hpp"

using namespace ratusha;
using namespace ratusha::mail;

namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    security::init_crypto();
    dir_ = std::filesystem::temp_directory_path() /
           ("ratusha-mail-" + security::hex(security::random_bytes(6)));
    std::filesystem::create_directories(dir_);
    db_ = store::Database::open("sqlite:" + (dir_ / "t.db").string(), 2);
    store::migrate(*db_);
    audit_ = std::make_unique<audit::AuditLog>(security::SigningKey::generate(), nullptr);
    jobs_ = std::make_unique<jobs::Queue>(*db_, *audit_, "test-node");
    outbox_ = make_outbox("smtp://127.0.0.1:1");
  }
  void TearDown() override {
    outbox_.reset();
    jobs_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Outbox> make_outbox(const std::string& url) {
    Settings s;
    s.smtp.url = url;
    s.from = "Ратуша <ratusha@example.org>";
    auto o = std::make_unique<Outbox>(*db_, *jobs_, s);
    o->set_transport(
        [this](const std::string& from, const std::string& to, const std::string& mime) {
          if (failure) failure();
          sent.push_back({from, to, mime});
        });
    return o;
  }

  static Message message(const std::string& key = {}) {
    Message m;
    m.to = "ivan@example.org";
    m.to_name = "Иван Петров";
    m.subject = "Покана";
    m.text = "Здравейте!";
    m.dedupe_key = key;
    return m;
  }

  std::int64_t queue(const Message& m) {
    return db_->write([&](store::Tx& tx) { return outbox_->queue(tx, m).value_or(0); });
  }

  std::string scalar(const std::string& sql) {
    return db_->read([&](store::Tx& tx) {
      auto r = tx.one(sql);
      return r && !r->is_null(0) ? r->text(0) : std::string("NULL");
    });
  }
  std::int64_t count(const std::string& sql) {
    return db_->read([&](store::Tx& tx) { return tx.one(sql)->int64(0); });
  }
  // Makes every queued job due now (instead of waiting for the backoff).
  void make_due() {
    db_->write(
        [](store::Tx& tx) { tx.exec("UPDATE jobs SET run_at = 0 WHERE status = 'queued'"); });
  }

  struct Sent {
    std::string from, to, mime;
  };
  std::vector<Sent> sent;
  std::function<void()> failure;
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<jobs::Queue> jobs_;
  std::unique_ptr<Outbox> outbox_;
};

}  // namespace

TEST_F(OutboxTest, QueuedOnlyWhenTheTransactionCommits) {
  EXPECT_THROW(db_->write([&](store::Tx& tx) {
    outbox_->queue(tx, message());
    throw std::runtime_error("the caller changes its mind");
  }),
               std::runtime_error);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);
  EXPECT_FALSE(jobs_->run_one());
  EXPECT_TRUE(sent.empty());
}

TEST_F(OutboxTest, SendsOnceAndASecondRunSendsNothing) {
  auto id = queue(message());
  ASSERT_GT(id, 0);
  EXPECT_EQ(scalar("SELECT status FROM mail_outbox"), "queued");
  auto mid = scalar("SELECT message_id FROM mail_outbox");
  EXPECT_EQ(mid.rfind("<" + std::to_string(id) + ".", 0), 0u);
  EXPECT_NE(mid.find("@example.org>"), std::string::npos);
  ASSERT_TRUE(jobs_->run_one());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].from, "ratusha@example.org");
  EXPECT_EQ(sent[0].to, "ivan@example.org");
  EXPECT_NE(sent[0].mime.find("Message-ID: " + mid + "\r\n"), std::string::npos);
  EXPECT_EQ(scalar("SELECT status || ' ' || attempts FROM mail_outbox"), "sent 1");
  EXPECT_NE(scalar("SELECT sent_at FROM mail_outbox"), "NULL");
  EXPECT_EQ(scalar("SELECT status FROM jobs"), "done");
  // The same job again (its lease was lost after sending): nothing is sent twice.
  auto job = jobs_->list(std::nullopt, std::nullopt, 10).at(0);
  outbox_->send_job(job);
  EXPECT_EQ(sent.size(), 1u);
}

TEST_F(OutboxTest, FailuresAreKeptAndRetried) {
  failure = [] { throw SmtpError("Couldn't connect to server", 0, false); };
  queue(message());
  ASSERT_TRUE(jobs_->run_one());
  EXPECT_TRUE(sent.empty());
  EXPECT_EQ(scalar("SELECT status || ' ' || attempts FROM mail_outbox"), "queued 1");
  EXPECT_EQ(scalar("SELECT last_error FROM mail_outbox"), "Couldn't connect to server");
  EXPECT_EQ(scalar("SELECT status FROM jobs"), "queued");
  EXPECT_FALSE(jobs_->run_one()) << "backoff: not due yet";
  make_due();
  ASSERT_TRUE(jobs_->run_one());
  EXPECT_EQ(scalar("SELECT attempts FROM mail_outbox"), "2");
  failure = nullptr;
  make_due();
  ASSERT_TRUE(jobs_->run_one());
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(scalar("SELECT status || ' ' || attempts FROM mail_outbox"), "sent 3");
  EXPECT_EQ(scalar("SELECT last_error FROM mail_outbox"), "NULL");
}

TEST_F(OutboxTest, TheLastAttemptMarksTheRowFailed) {
  failure = [] { throw SmtpError("Timeout was reached", 0, false); };
  queue(message());
  db_->write([](store::Tx& tx) { tx.exec("UPDATE jobs SET max_attempts = 2"); });
  ASSERT_TRUE(jobs_->run_one());
  make_due();
  ASSERT_TRUE(jobs_->run_one());
  EXPECT_EQ(scalar("SELECT status || ' ' || attempts FROM mail_outbox"), "failed 2");
  EXPECT_EQ(scalar("SELECT status FROM jobs"), "dead");
  // An administrator retries the dead job once the server is back: it goes out.
  failure = nullptr;
  auto job_id = jobs_->list(std::nullopt, std::nullopt, 10).at(0).id;
  ASSERT_TRUE(jobs_->retry({std::nullopt, "test", "test"}, job_id));
  ASSERT_TRUE(jobs_->run_one());
  EXPECT_EQ(sent.size(), 1u);
  EXPECT_EQ(scalar("SELECT status FROM mail_outbox"), "sent");
}

TEST_F(OutboxTest, ARefusedAddressFailsAtOnce) {
  failure = [] { throw SmtpError("Failed sending data to the peer (SMTP 550)", 550, true); };
  queue(message());
  ASSERT_TRUE(jobs_->run_one());
  EXPECT_EQ(scalar("SELECT status || ' ' || attempts FROM mail_outbox"), "failed 1");
  EXPECT_EQ(scalar("SELECT status FROM jobs"), "done") << "no retries for a refused address";
}

TEST_F(OutboxTest, TheSameDedupeKeyIsOneMessage) {
  auto a = queue(message("meeting:12:invite:7"));
  auto b = queue(message("meeting:12:invite:7"));
  auto c = queue(message("meeting:12:invite:8"));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'mail.send'"), 2);
  while (jobs_->run_one()) {
  }
  EXPECT_EQ(sent.size(), 2u);
}

TEST_F(OutboxTest, OffOrBadInput) {
  EXPECT_THROW(queue([] {
                 auto m = message();
                 m.to = "Иван <ivan@example.org>";
                 return m;
               }()),
               Error);
  EXPECT_THROW(queue([] {
                 auto m = message();
                 m.calendar = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n";
                 m.calendar_method = "REQUEST";
                 return m;
               }()),
               Error);
  outbox_ = make_outbox("");
  EXPECT_FALSE(outbox_->enabled());
  EXPECT_EQ(queue(message()), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM mail_outbox"), 0);
  EXPECT_THROW(make_outbox("http://example.org"), std::runtime_error);
}

TEST_F(OutboxTest, ListsNewestFirstWithoutBodies) {
  for (int i = 0; i < 3; ++i) queue(message());
  ASSERT_TRUE(jobs_->run_one());
  auto all = outbox_->list(std::nullopt, std::nullopt, 2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_GT(all[0].id, all[1].id);
  auto rest = outbox_->list(std::nullopt, all[1].id, 2);
  ASSERT_EQ(rest.size(), 1u);
  auto sent_rows = outbox_->list(std::string("sent"), std::nullopt, 10);
  ASSERT_EQ(sent_rows.size(), 1u);
  EXPECT_EQ(sent_rows[0].subject, "Покана");
  EXPECT_EQ(outbox_->list(std::string("queued"), std::nullopt, 10).size(), 2u);
}
