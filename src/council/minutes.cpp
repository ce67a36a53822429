#include "council/minutes.hpp"

#include <map>
#include <set>

#include "core/json.hpp"
#include "workspace/calendar.hpp"

namespace ratusha::council {

namespace {

// The words of the minutes: {bg, pl, en}.
struct Words {
  int lang = 0;
  const char* operator()(const char* const (&w)[3]) const { return w[lang]; }
};

std::string when(std::int64_t t, const std::string& zone) {
  auto l = workspace::to_local(t, zone);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d.%02d.%04d %02d:%02d", l.day, l.month, l.year, l.hour,
                l.minute);
  return buf;
}

std::string clock(std::int64_t t, const std::string& zone) {
  return when(t, zone).substr(11);
}

}  // namespace

render::Document draft_minutes(const MinutesData& m, const std::string& lang) {
  Words w{lang == "pl" ? 1 : lang == "en" ? 2 : 0};
  const auto& s = m.sitting;
  const auto& zone = s.time_zone;
  render::Document d;
  d.language = lang == "pl" ? "pl-PL" : lang == "en" ? "en" : "bg-BG";
  d.title = std::string(w({"Протокол № ", "Protokół nr ", "Minutes No. "})) +
            std::to_string(s.number) + " — " + s.body_name;

  auto choice_word = [&](const std::string& c) -> std::string {
    if (c == "yes") return w({"за", "za", "yes"});
    if (c == "no") return w({"против", "przeciw", "no"});
    if (c == "abstain") return w({"въздържал се", "wstrzymał się", "abstained"});
    return c;
  };
  auto result_word = [&](const std::string& r) -> std::string {
    if (r == "adopted") return w({"ПРИЕТО", "PRZYJĘTO", "ADOPTED"});
    if (r == "rejected") return w({"НЕ СЕ ПРИЕМА", "ODRZUCONO", "REJECTED"});
    if (r == "no_quorum") return w({"НЯМА КВОРУМ", "BRAK KWORUM", "NO QUORUM"});
    return r;
  };
  auto kind_word = [&](const std::string& k) -> std::string {
    if (k == "named") return w({"поименно", "imienne", "named"});
    if (k == "secret") return w({"тайно", "tajne", "secret"});
    return w({"явно", "jawne", "open"});
  };

  d.title_line(std::string(w({"ПРОТОКОЛ № ", "PROTOKÓŁ NR ", "MINUTES No. "})) +
               std::to_string(s.number));
  d.paragraph(s.body_name + "\n" + s.title);
  std::string held = std::string(w({"Дата и час: ", "Data i godzina: ", "Date and time: "})) +
                     when(s.opened_at.value_or(s.starts_at), zone);
  if (s.closed_at) held += " – " + clock(*s.closed_at, zone);
  d.paragraph(held);
  if (!s.place.empty()) d.paragraph(std::string(w({"Място: ", "Miejsce: ", "Place: "})) + s.place);
  std::string form = s.mode == "remote" ? w({"дистанционно", "zdalnie", "remote"})
                     : s.mode == "hybrid"
                         ? w({"смесено (в залата и дистанционно)", "hybrydowo (na sali i zdalnie)",
                              "hybrid (in the hall and remote)"})
                         : w({"присъствено", "stacjonarnie", "in person"});
  d.paragraph(std::string(w({"Форма: ", "Forma: ", "Form: "})) + form + "; " +
              (s.kind == "extraordinary"
                   ? w({"извънредно заседание", "sesja nadzwyczajna", "extraordinary sitting"})
                   : w({"редовно заседание", "sesja zwyczajna", "regular sitting"})));

  // Attendance: each member's first arrival and last departure.
  d.heading(w({"Присъствие", "Obecność", "Attendance"}));
  std::map<std::int64_t, std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>> times;
  std::set<std::int64_t> remote;
  for (const auto& e : m.attendance) {
    auto& [in, out] = times[e.person_id];
    if (e.event == "arrived" && !in) in = e.at;
    if (e.event == "left") out = e.at;
    if (e.remote) remote.insert(e.person_id);
  }
  std::int64_t came = 0;
  for (const auto& mb : m.members)
    if (times[mb.person_id].first) ++came;
  d.paragraph(std::string(w({"Общ брой на членовете по закон: ", "Ustawowy skład: ",
                             "Statutory number of members: "})) +
              std::to_string(s.seats) + ". " +
              w({"Регистрирали се: ", "Obecnych: ", "Registered: "}) + std::to_string(came) + ".");
  std::vector<std::vector<std::string>> rows{
      {w({"Член", "Członek", "Member"}), w({"Група", "Klub", "Group"}),
       w({"Пристигнал", "Przybył", "Arrived"}), w({"Напуснал", "Wyszedł", "Left"})}};
  for (const auto& mb : m.members) {
    auto [in, out] = times[mb.person_id];
    std::string name = mb.display_name;
    if (remote.count(mb.person_id))
      name += std::string(" (") + w({"дистанционно", "zdalnie", "remote"}) + ")";
    rows.push_back({name, mb.group_name,
                    in ? clock(*in, zone) : std::string(w({"отсъства", "nieobecny", "absent"})),
                    out ? clock(*out, zone) : ""});
  }
  d.table(rows);

  // Agenda.
  d.heading(w({"Дневен ред", "Porządek obrad", "Agenda"}));
  for (const auto& i : m.items) {
    std::string line = std::to_string(i.position) + ". " + i.title;
    if (!i.rapporteur.empty())
      line +=
          std::string(" (") + w({"докладва: ", "referuje: ", "rapporteur: "}) + i.rapporteur + ")";
    if (i.status == "withdrawn")
      line += std::string(" — ") + w({"оттеглена", "wycofany", "withdrawn"});
    if (i.added_by_vote)
      line += std::string(" — ") + w({"добавена с решение", "dodany uchwałą", "added by a vote"});
    d.item(line);
  }

  auto kind_of_speech = [&](const std::string& k) -> std::string {
    if (k == "reply") return w({"реплика", "ad vocem", "reply"});
    if (k == "point_of_order")
      return w({"процедурен въпрос", "wniosek formalny", "point of order"});
    return w({"изказване", "wystąpienie", "speech"});
  };
  auto speakers_of = [&](std::optional<std::int64_t> item) {
    for (const auto& sp : m.speakers) {
      if (sp.item_id != item || !sp.started_at) continue;
      std::string line =
          sp.display_name + " — " + kind_of_speech(sp.kind) + ", " + clock(*sp.started_at, zone);
      if (sp.ended_at)
        line += " (" + std::to_string((*sp.ended_at - *sp.started_at + 59) / 60) + " " +
                w({"мин.", "min", "min"}) + ")";
      d.item(line);
    }
  };
  auto vote_of = [&](const PublicVote& pv) {
    const auto& v = pv.vote;
    std::string head = std::string(w({"Гласуване № ", "Głosowanie nr ", "Vote No. "})) +
                       std::to_string(v.number) + ": " + v.title;
    d.subheading(head);
    std::string line = kind_word(v.kind) + "; " + w({"мнозинство ", "większość ", "majority "}) +
                       v.majority.id + "; " + w({"присъстващи ", "obecnych ", "present "}) +
                       std::to_string(v.present);
    if (v.manual)
      line += std::string("; ") +
              w({"поименно извикване от секретаря", "imienne wyczytanie przez protokolanta",
                 "named list entered by the clerk"});
    if (v.repeat_of)
      line += std::string("; ") + w({"повторно: ", "ponowne: ", "repeated: "}) + v.repeat_reason;
    d.paragraph(line);
    if (v.status == "closed") {
      std::string counts;
      auto tally = json::parse(v.tally);
      for (const auto& o : v.options) {
        auto* n = tally.as_object().if_contains(o);
        if (!counts.empty()) counts += ", ";
        counts += choice_word(o) + " " + std::to_string(n && n->is_int64() ? n->as_int64() : 0);
      }
      d.paragraph(counts + ". " + w({"Резултат: ", "Wynik: ", "Result: "}) +
                  result_word(v.result.value_or("")) + ".");
    }
    if (!pv.named.empty()) {
      std::vector<std::vector<std::string>> list{{w({"Член", "Członek", "Member"}),
                                                  w({"Група", "Klub", "Group"}),
                                                  w({"Глас", "Głos", "Vote"})}};
      for (const auto& x : pv.named)
        list.push_back(
            {x.name, x.group_name,
             x.status == "absent" ? w({"отсъства", "nieobecny", "absent"})
             : x.status == "conflict"
                 ? w({"конфликт на интереси", "wyłączony (art. 25a)", "conflict of interest"})
             : x.choice ? choice_word(*x.choice)
                        : w({"не гласува", "nie głosował", "did not vote"})});
      d.table(list);
    }
  };

  for (const auto& i : m.items) {
    d.heading(std::to_string(i.position) + ". " + i.title);
    if (!i.rapporteur.empty())
      d.paragraph(std::string(w({"Докладва: ", "Referuje: ", "Rapporteur: "})) + i.rapporteur);
    if (!i.draft.empty())
      d.paragraph(
          std::string(w({"Проект на решение:\n", "Projekt uchwały:\n", "Draft decision:\n"})) +
          i.draft);
    for (const auto& c : m.conflicts)
      if (c.item_id == i.id)
        d.paragraph(c.display_name + " " +
                    w({"декларира конфликт на интереси и не гласува",
                       "zgłosił wyłączenie od głosowania (art. 25a)",
                       "declared a conflict of interest and did not vote"}) +
                    (c.note.empty() ? std::string(".") : ": " + c.note));
    speakers_of(i.id);
    for (const auto& pv : m.votes)
      if (pv.vote.item_id == i.id) vote_of(pv);
  }
  bool other = false;
  for (const auto& pv : m.votes)
    if (!pv.vote.item_id) {
      if (!other)
        d.heading(w({"Процедурни гласувания", "Głosowania porządkowe", "Procedural votes"}));
      other = true;
      vote_of(pv);
    }
  bool loose = false;
  for (const auto& sp : m.speakers)
    if (!sp.item_id && sp.started_at) loose = true;
  if (loose) {
    d.heading(w({"Други изказвания", "Inne wystąpienia", "Other speeches"}));
    speakers_of(std::nullopt);
  }
  d.heading(w({"Закриване", "Zamknięcie", "Closing"}));
  if (s.closed_at)
    d.paragraph(std::string(w(
                    {"Заседанието е закрито в ", "Sesję zamknięto o ", "The sitting closed at "})) +
                clock(*s.closed_at, zone) + ".");
  d.paragraph(std::string(w({"Председател: ", "Przewodniczący: ", "Chair: "})) +
              "____________________\n" + w({"Протоколчик: ", "Protokolant: ", "Clerk: "}) +
              "____________________");
  return d;
}

}  // namespace ratusha::council
