#include "app/demo.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

#include "core/error.hpp"
#include "identity/rules.hpp"

namespace ratusha::app {

namespace {

struct Names {
  std::vector<std::string> male_first, female_first, male_last, female_last;
};

struct Municipality {
  std::string name, prefix, council, domain;
  std::vector<std::string> departments, committees;
  Names names;
  std::vector<std::pair<std::string, std::string>> groups;  // party groups: name, short name
};

Municipality bulgarian() {
  return {"Община Габрово",
          "GAB",
          "Общински съвет – Габрово",
          "gabrovo.example",
          {"Дирекция „Информационни технологии“", "Дирекция „Финанси и бюджет“",
           "Дирекция „Устройство на територията“", "Дирекция „Образование и култура“",
           "Дирекция „Социални дейности“", "Дирекция „Правно обслужване“"},
          {"Постоянна комисия по бюджет и финанси", "Постоянна комисия по образование и култура",
           "Постоянна комисия по устройство на територията"},
          {{"Георги", "Иван", "Димитър", "Николай", "Петър", "Христо", "Стоян", "Тодор", "Васил",
            "Кирил", "Александър", "Мартин"},
           {"Мария", "Елена", "Иванка", "Петя", "Десислава", "Гергана", "Радослава", "Цветелина",
            "Надежда", "Виктория", "Силвия", "Йорданка"},
           {"Петров", "Иванов", "Георгиев", "Димитров", "Николов", "Стоянов", "Христов", "Тодоров",
            "Колев", "Маринов", "Ангелов", "Вълчев", "Генчев", "Русев"},
           {"Петрова", "Иванова", "Георгиева", "Димитрова", "Николова", "Стоянова", "Христова",
            "Тодорова", "Колева", "Маринова", "Ангелова", "Вълчева", "Генчева", "Русева"}},
          {{"Група „Обединени граждани“", "ОГ"},
           {"Група „Развитие“", "Р"},
           {"Група „Зелен град“", "ЗГ"},
           {"Независими общински съветници", "НС"}}};
}

Municipality polish() {
  return {
      "Miasto Słupsk",
      "SLP",
      "Rada Miejska w Słupsku",
      "slupsk.example",
      {"Wydział Informatyki", "Wydział Finansów i Budżetu", "Wydział Architektury i Urbanistyki",
       "Wydział Edukacji i Kultury", "Wydział Spraw Społecznych", "Biuro Prawne"},
      {"Komisja Budżetu i Finansów", "Komisja Edukacji, Kultury i Sportu",
       "Komisja Gospodarki Przestrzennej"},
      {{"Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Marcin", "Grzegorz",
        "Łukasz", "Jakub", "Wojciech", "Mateusz"},
       {"Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Magdalena", "Joanna",
        "Zofia", "Dorota", "Beata", "Żaneta"},
       {"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur"},
       {"Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowska",
        "Zielińska", "Szymańska", "Woźniak", "Dąbrowska", "Kozłowska", "Jankowska", "Mazur"}},
      {{"Klub Radnych „Wspólne Miasto”", "WM"},
       {"Klub Radnych „Rozwój”", "R"},
       {"Klub Radnych „Zielony Słupsk”", "ZS"},
       {"Radni niezrzeszeni", "N"}}};
}

// Latin letters for e-mail addresses.
std::string transliterate(const std::string& s) {
  static const std::vector<std::pair<std::string, std::string>> map = {
      {"А", "a"},  {"Б", "b"},  {"В", "v"},  {"Г", "g"},  {"Д", "d"},   {"Е", "e"},   {"Ж", "zh"},
      {"З", "z"},  {"И", "i"},  {"Й", "y"},  {"К", "k"},  {"Л", "l"},   {"М", "m"},   {"Н", "n"},
      {"О", "o"},  {"П", "p"},  {"Р", "r"},  {"С", "s"},  {"Т", "t"},   {"У", "u"},   {"Ф", "f"},
      {"Х", "h"},  {"Ц", "ts"}, {"Ч", "ch"}, {"Ш", "sh"}, {"Щ", "sht"}, {"Ъ", "a"},   {"Ю", "yu"},
      {"Я", "ya"}, {"а", "a"},  {"б", "b"},  {"в", "v"},  {"г", "g"},   {"д", "d"},   {"е", "e"},
      {"ж", "zh"}, {"з", "z"},  {"и", "i"},  {"й", "y"},  {"к", "k"},   {"л", "l"},   {"м", "m"},
      {"н", "n"},  {"о", "o"},  {"п", "p"},  {"р", "r"},  {"с", "s"},   {"т", "t"},   {"у", "u"},
      {"ф", "f"},  {"х", "h"},  {"ц", "ts"}, {"ч", "ch"}, {"ш", "sh"},  {"щ", "sht"}, {"ъ", "a"},
      {"ю", "yu"}, {"я", "ya"}, {"ą", "a"},  {"ć", "c"},  {"ę", "e"},   {"ł", "l"},   {"ń", "n"},
      {"ó", "o"},  {"ś", "s"},  {"ź", "z"},  {"ż", "z"},  {"Ł", "l"},   {"Ś", "s"},   {"Ż", "z"},
      {"Z", "z"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool hit = false;
    for (const auto& [from, to] : map) {
      if (s.compare(i, from.size(), from) == 0) {
        out += to;
        i += from.size();
        hit = true;
        break;
      }
    }
    if (!hit) {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      ++i;
    }
  }
  return out;
}

}  // namespace

int create_demo(App& app, const std::string& locale, bool as_json) {
  auto& id = app.identity();
  if (id.has_people())
    throw std::runtime_error("the database already has people; the demo needs an empty one");
  Municipality m = locale == "pl" ? polish() : bulgarian();
  id.set_setting_cli("organisation_name", m.name);
  id.set_setting_cli("code_prefix", m.prefix);
  id.set_setting_cli("locale", locale);
  auto root = id.create_unit_cli(m.name, "municipality", std::nullopt);
  std::vector<std::int64_t> departments;
  for (const auto& d : m.departments)
    departments.push_back(id.create_unit_cli(d, "department", root));
  (void)root;

  identity::Principal console;
  console.display_name = "console";
  console.address = "cli";
  console.permissions = identity::all_permissions();

  // The council elected for the current term, and its standing committees.
  const std::string term_start = locale == "pl" ? "2024-05-07" : "2023-11-06";
  council::BodyInput cb;
  cb.name = m.council;
  cb.kind = "council";
  cb.jurisdiction = locale;
  cb.seats = 51;
  cb.term_start = term_start;
  cb.time_zone = locale == "pl" ? "Europe/Warsaw" : "Europe/Sofia";
  auto council = app.council().create_body(console, cb).id;
  std::vector<std::int64_t> committees;
  for (const auto& c : m.committees) {
    council::BodyInput ci = cb;
    ci.name = c;
    ci.kind = "standing_committee";
    ci.seats = 7;
    ci.parent_id = council;
    committees.push_back(app.council().create_body(console, ci).id);
  }
  std::vector<std::int64_t> groups;
  for (const auto& [name, short_name] : m.groups)
    groups.push_back(app.council().create_group(console, council, name, short_name).id);
  auto join = [&](std::int64_t body, std::int64_t person, const std::string& role,
                  std::optional<std::int64_t> group, const std::string& seat) {
    council::MembershipInput mi;
    mi.person_id = person;
    mi.role = role;
    mi.seat = seat;
    mi.group_id = group;
    mi.from_date = term_start;
    app.council().add_member(console, body, mi);
  };

  std::size_t n = 0;
  auto person = [&](std::size_t i) {
    const auto& nm = m.names;
    bool female = i % 2 == 1;
    const auto& first = female ? nm.female_first : nm.male_first;
    const auto& last = female ? nm.female_last : nm.male_last;
    // Walk the lists with co-prime strides so names repeat rarely.
    std::string f = first[(i * 5 + i / 7) % first.size()];
    std::string l = last[(i * 3 + i / 5) % last.size()];
    return std::pair{f, l};
  };
  auto email_of = [&](const std::string& f, const std::string& l, std::size_t i) {
    return transliterate(f.substr(0, f.find_first_of(" "))).substr(0, 1) + "." + transliterate(l) +
           std::to_string(i) + "@" + m.domain;
  };

  std::optional<identity::IssuedCode> admin;
  // 60 employees across the departments; the first is the IT administrator, the first of the
  // legal department is the council's clerk.
  for (std::size_t i = 0; i < 60; ++i, ++n) {
    auto [f, l] = person(n);
    identity::NewPerson p;
    p.display_name = f + " " + l;
    p.email = email_of(f, l, n);
    p.kind = "employee";
    p.locale = locale;
    p.unit_id = departments[i % departments.size()];
    p.roles.push_back({"employee", "organisation", {}});
    if (i == 0) {
      p.unit_id = departments[0];
      p.roles.push_back({"administrator", "organisation", {}});
    }
    auto issued = id.create_person(console, p);
    if (i == 0) admin = issued;
    if (i == 5) join(council, issued.person.id, "clerk", std::nullopt, "");
  }
  // 51 councillors; committee members of seven each, the first councillor chairs the council.
  for (std::size_t seat = 0; seat < 51; ++seat, ++n) {
    auto [f, l] = person(n);
    identity::NewPerson p;
    p.display_name = f + " " + l;
    p.email = email_of(f, l, n);
    p.kind = "councillor";
    p.locale = locale;
    p.unit_id = council;
    auto issued = id.create_person(console, p);
    join(council, issued.person.id,
         seat == 0  ? "chair"
         : seat < 3 ? "deputy_chair"
                    : "member",
         groups[seat % groups.size()], std::to_string(seat + 1));
    if (seat < 21)
      join(committees[seat % committees.size()], issued.person.id,
           seat < committees.size() ? "chair" : "member", std::nullopt, "");
  }

  std::filesystem::create_directories(app.config().data_dir);
  std::string note = app.config().data_dir + "/demo-administrator.txt";
  {
    std::ofstream out(note, std::ios::trunc);
    out << "access_code=" << admin->access_code
        << "\nactivation_secret=" << admin->activation_secret << "\n";
  }
  std::filesystem::permissions(
      note, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  if (as_json) {
    std::cout << json::serialize(
                     json::object{{"municipality", m.name},
                                  {"people", static_cast<std::int64_t>(n)},
                                  {"administrator",
                                   json::object{{"display_name", admin->person.display_name},
                                                {"access_code", admin->access_code},
                                                {"activation_secret", admin->activation_secret}}}})
              << "\n";
  } else {
    std::cout << "Created " << m.name << ": " << m.departments.size() << " departments, " << n
              << " people, a 51-seat council with " << m.committees.size() << " committees.\n"
              << "Administrator " << admin->person.display_name
              << "\n  access code:       " << admin->access_code
              << "\n  activation secret: " << admin->activation_secret << "\n";
  }
  return 0;
}

}  // namespace ratusha::app
