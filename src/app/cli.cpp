#include "app/cli.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "app/app.hpp"
#include "app/backup.hpp"
#include "app/demo.hpp"
#include "audit/audit.hpp"
#include "core/error.hpp"
#include "council/ledger.hpp"
#include "identity/rules.hpp"
#include "mail/routes.hpp"
#include "security/crypto.hpp"
#include "store/migrations.hpp"

namespace ratusha::app {

namespace {

struct Flags {
  std::optional<std::string> config, listen, data_dir, database_url, web_dir, log_level, log_format;
};

void add_common(CLI::App* cmd, Flags& f) {
  cmd->add_option("--config", f.config, "TOML configuration file (RATUSHA_CONFIG)");
  cmd->add_option("--data-dir", f.data_dir, "data directory (RATUSHA_DATA_DIR, default ./var)");
  cmd->add_option("--database-url", f.database_url,
                  "sqlite:PATH or postgresql://... (RATUSHA_DATABASE_URL)");
  cmd->add_option("--log-level", f.log_level, "trace, debug, info, warn, error");
  cmd->add_option("--log-format", f.log_format, "text or json");
}

Config resolve(const Flags& f) {
  Config c;
  if (f.config) c.config_file = *f.config;
  load_file_and_env(c);
  // Flags win over the file and the environment.
  if (f.listen) c.listen = *f.listen;
  if (f.data_dir) c.data_dir = *f.data_dir;
  if (f.database_url) c.database_url = *f.database_url;
  if (f.web_dir) c.web_dir = *f.web_dir;
  if (f.log_level) c.log_level = *f.log_level;
  if (f.log_format) c.log_format = *f.log_format;
  return c;
}

// %*: the message as a JSON string body (quotes, backslashes and control characters escaped),
// so that every line of --log-format=json is valid JSON whatever the message holds.
class JsonMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view text(msg.payload.data(), msg.payload.size());
    std::string quoted = json::serialize(json::string(text));
    dest.append(quoted.data() + 1, quoted.data() + quoted.size() - 1);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessage>();
  }
};

void setup_logging(const Config& c) {
  auto logger = spdlog::stderr_color_mt("ratusha");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(c.log_level));
  if (c.log_format == "json") {
    auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    f->add_flag<JsonMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%*"})");
    spdlog::set_formatter(std::move(f));
  } else
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
}

void print_issued(const identity::IssuedCode& c, bool as_json) {
  if (as_json) {
    std::cout << json::serialize(json::object{{"id", id_string(c.person.id)},
                                              {"display_name", c.person.display_name},
                                              {"access_code", c.access_code},
                                              {"activation_secret", c.activation_secret}})
              << "\n";
  } else {
    std::cout << c.person.display_name << "\n  access code:       " << c.access_code
              << "\n  activation secret: " << c.activation_secret
              << "  (give it to the person; it works once)\n";
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App cli{"Ratusha: the digital workplace of a municipality"};
  cli.set_version_flag("--version", std::string("ratusha ") + RATUSHA_VERSION);
  cli.require_subcommand(1);
  cli.footer(describe_options());
  Flags flags;

  auto* serve = cli.add_subcommand("serve", "run the web server");
  add_common(serve, flags);
  serve->add_option("--listen", flags.listen, "ADDR:PORT (RATUSHA_LISTEN, default 127.0.0.1:8080)");
  serve->add_option("--web-dir", flags.web_dir, "the built web app (RATUSHA_WEB_DIR)");

  auto* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
  add_common(migrate, flags);

  auto* user = cli.add_subcommand("user", "manage people from the console");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add a person and print their access code");
  add_common(user_add, flags);
  identity::NewPerson np;
  std::string role;
  std::optional<std::string> email, unit;
  bool as_json = false;
  user_add->add_option("--name", np.display_name, "full name")->required();
  user_add->add_option("--email", email, "e-mail address");
  user_add->add_option("--kind", np.kind, "employee, councillor or guest")->default_val("employee");
  user_add->add_option("--unit", unit, "name of the unit");
  user_add->add_option("--role", role, "administrator, clerk, chair, councillor, employee, guest");
  user_add->add_option("--locale", np.locale, "bg, pl or en")->default_val("bg");
  user_add->add_flag("--json", as_json, "print JSON");
  auto* user_list = user->add_subcommand("list", "list people");
  add_common(user_list, flags);
  user_list->add_flag("--json", as_json, "print JSON lines");
  std::string code;
  auto* user_disable = user->add_subcommand("disable", "disable a person's account");
  add_common(user_disable, flags);
  user_disable->add_option("access_code", code, "the person's access code")->required();
  auto* user_reset =
      user->add_subcommand("reset-code", "issue a new access code and activation secret");
  add_common(user_reset, flags);
  user_reset->add_option("access_code", code, "the person's current access code")->required();
  user_reset->add_flag("--json", as_json, "print JSON");

  auto* demo = cli.add_subcommand("demo", "create a demo municipality in an empty database");
  add_common(demo, flags);
  std::string locale = "bg";
  demo->add_option("--locale", locale, "bg (Bulgarian municipality) or pl (Polish)")
      ->check(CLI::IsMember({"bg", "pl"}));
  demo->add_flag("--json", as_json, "print the administrator's code as JSON");

  auto* audit_cmd = cli.add_subcommand("audit", "the audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "check the hash chain and signatures");
  add_common(audit_verify, flags);

  auto* council_cmd = cli.add_subcommand("council", "the council's votes");
  council_cmd->require_subcommand(1);
  auto* council_verify = council_cmd->add_subcommand(
      "verify", "recompute each vote's ledger: chain, signatures and result");
  add_common(council_verify, flags);
  std::int64_t verify_vote = 0;
  std::string ledger_file;
  council_verify->add_option("--vote", verify_vote, "only this vote (its id)");
  council_verify->add_option("--file", ledger_file,
                             "a published ledger (JSON from /api/v1/public/council/votes/ID/"
                             "ledger) checked on its own, without the database");

  auto* docs_cmd = cli.add_subcommand("documents", "stored documents");
  docs_cmd->require_subcommand(1);
  auto* docs_verify =
      docs_cmd->add_subcommand("verify", "re-hash every stored file and report any damage");
  add_common(docs_verify, flags);

  auto* mail_cmd = cli.add_subcommand("mail", "outgoing e-mail");
  mail_cmd->require_subcommand(1);
  auto* mail_test = mail_cmd->add_subcommand(
      "test", "queue a test message; the running server's job worker sends it");
  add_common(mail_test, flags);
  std::string mail_to, dedupe_key;
  bool mail_calendar = false;
  mail_test->add_option("--to", mail_to, "recipient address")->required();
  mail_test->add_flag("--calendar", mail_calendar, "add a calendar invitation (METHOD:REQUEST)");
  mail_test->add_option("--dedupe-key", dedupe_key,
                        "queue nothing when a message with this key was queued before");

  auto* backup = cli.add_subcommand(
      "backup", "write a consistent copy of the database and of the stored files");
  add_common(backup, flags);
  std::string output;
  backup->add_option("--output", output, "file to write (SQLite copy or pg_dump custom format)")
      ->required();

  auto* routes =
      cli.add_subcommand("routes", "print the HTTP routing table as JSON (for tests and docs)");
  add_common(routes, flags);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  try {
    Config cfg = resolve(flags);
    setup_logging(cfg);
    if (serve->parsed()) {
      App app(cfg, cfg.migrate_on_start);
      return app.serve();
    }
    if (migrate->parsed()) {
      security::init_crypto();
      auto db = store::Database::open(cfg.effective_database_url(), 1);
      auto st = store::migrate(*db);
      std::cout << "applied " << st.newly_applied.size() << " migration(s); " << st.applied
                << " in total\n";
      return 0;
    }
    if (user_add->parsed()) {
      App app(cfg, true);
      np.email = email;
      np.unit_name = unit;
      if (!role.empty()) np.roles.push_back({role, "organisation", {}});
      print_issued(app.identity().create_person_cli(np), as_json);
      return 0;
    }
    if (user_list->parsed()) {
      App app(cfg, true);
      identity::Principal console;
      console.permissions = identity::all_permissions();
      identity::db::PeopleFilter f;
      f.limit = 200;
      for (;;) {
        auto people = app.identity().list_people(console, f);
        for (const auto& p : people) {
          if (as_json) {
            std::cout << json::serialize(identity::person_json(p)) << "\n";
          } else {
            std::printf("%-15s %-9s %-10s %s\n", p.access_code.c_str(), p.status.c_str(),
                        p.kind.c_str(), p.display_name.c_str());
          }
        }
        if (people.size() < static_cast<std::size_t>(f.limit)) break;
        f.after_id = people.back().id;
      }
      return 0;
    }
    if (user_disable->parsed()) {
      App app(cfg, true);
      app.identity().disable_cli(code);
      std::cout << "disabled " << code << "\n";
      return 0;
    }
    if (user_reset->parsed()) {
      App app(cfg, true);
      print_issued(app.identity().reset_code_cli(code), as_json);
      return 0;
    }
    if (demo->parsed()) {
      App app(cfg, true);
      return create_demo(app, locale, as_json);
    }
    if (audit_verify->parsed()) {
      App app(cfg, false);
      auto res = audit::verify(app.db(), app.audit().public_key());
      if (res.ok) {
        std::cout << "audit log intact: " << res.checked << " entries verified\n";
        return 0;
      }
      std::cout << "AUDIT LOG BROKEN at " << res.problem << "\n";
      return 1;
    }
    if (council_verify->parsed()) {
      auto report = [](std::int64_t id, const council::Replay& r) {
        if (r.ok)
          std::cout << "vote " << id << ": intact, " << r.entries << " entries, " << r.ballots
                    << " ballots, result " << r.result.value_or("(still open)") << "\n";
        else
          std::cout << "VOTE " << id << " BROKEN: " << r.problem << "\n";
        return r.ok;
      };
      if (!ledger_file.empty()) {
        std::ifstream in(ledger_file);
        std::stringstream text;
        text << in.rdbuf();
        if (!in) {
          std::cerr << "cannot read " << ledger_file << "\n";
          return 2;
        }
        auto doc = json::parse(text.str()).as_object();
        std::vector<council::LedgerEntry> entries;
        for (auto& v : doc.at("entries").as_array()) {
          auto& o = v.as_object();
          council::LedgerEntry e;
          e.vote_id = std::stoll(std::string(o.at("vote_id").as_string()));
          e.seq = o.at("seq").as_int64();
          e.kind = o.at("kind").as_string();
          e.payload = o.at("payload").as_string();
          e.prev_hash = o.at("prev_hash").as_string();
          e.hash = o.at("hash").as_string();
          e.signature = o.at("signature").as_string();
          if (o.at("receipt").is_string()) e.receipt = std::string(o.at("receipt").as_string());
          entries.push_back(std::move(e));
        }
        auto key_hex = std::string(doc.at("public_key").as_string());
        auto key = security::unhex(key_hex).value_or("");
        std::int64_t id = entries.empty() ? 0 : entries.front().vote_id;
        std::cout << "public key in the file: " << key_hex
                  << " (compare it with the one the municipality publishes)\n";
        auto r = council::replay(entries, key);
        // A published ledger is a closed vote's, whole, and says which vote it is.
        if (r.ok && !r.closed) {
          r.ok = false;
          r.problem = "the ledger ends before the vote's close (cut short?)";
        }
        if (r.ok && std::to_string(id) != std::string(doc.at("vote_id").as_string())) {
          r.ok = false;
          r.problem = "the entries belong to another vote than the file says";
        }
        return report(id, r) ? 0 : 1;
      }
      App app(cfg, false);
      bool ok = true;
      std::vector<std::int64_t> ids =
          verify_vote ? std::vector<std::int64_t>{verify_vote} : app.council().all_votes();
      for (auto id : ids) ok = report(id, app.council().verify(id)) && ok;
      if (ids.empty()) std::cout << "no votes yet\n";
      return ok ? 0 : 1;
    }
    if (docs_verify->parsed()) {
      App app(cfg, false);
      auto r = app.documents().verify();
      for (const auto& sha : r.missing) std::cout << "MISSING  " << sha << "\n";
      for (const auto& sha : r.damaged) std::cout << "DAMAGED  " << sha << "\n";
      for (const auto& sha : r.unreferenced) std::cout << "unused   " << sha << "\n";
      std::cout << (r.ok() ? "documents intact: " : "DOCUMENTS DAMAGED: ") << r.checked
                << " files checked, " << r.missing.size() << " missing, " << r.damaged.size()
                << " damaged, " << r.unreferenced.size() << " stored but unused\n";
      return r.ok() ? 0 : 1;
    }
    if (mail_test->parsed()) {
      App app(cfg, true);
      auto id = mail::queue_test_message(app.mail(), app.db(), app.audit(),
                                         {std::nullopt, "console", "cli"}, mail_to, "",
                                         mail_calendar, dedupe_key);
      std::cout << "queued mail " << id << " to " << mail_to << "\n";
      return 0;
    }
    if (routes->parsed()) {
      App app(cfg, true);
      json::array out;
      for (const auto& r : app.routes().routes())
        out.push_back(json::object{{"method", r.method}, {"path", r.pattern}});
      std::cout << json::serialize(out) << "\n";
      return 0;
    }
    if (backup->parsed()) {
      return write_backup(cfg, output);
    }
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    for (const auto& fe : e.errors())
      std::cerr << "  " << fe.field << ": " << fe.message << " (" << fe.code << ")\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace ratusha::app
