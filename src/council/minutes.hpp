#pragma once
// Draft minutes of a sitting, generated from what the sitting recorded: attendance with times,
// the agenda, who spoke, declared conflicts, and every vote with its rule, counts, result and
// named list. The clerk edits the ODF text and the chair signs it. Pure: data in, document out.
#include <string>
#include <vector>

#include "council/model.hpp"
#include "render/document.hpp"

namespace ratusha::council {

struct MinutesData {
  Sitting sitting;
  std::vector<Membership> members;  // the voting members on the day
  std::vector<AttendanceEvent> attendance;
  std::vector<Item> items;
  std::vector<PublicVote> votes;
  std::vector<Conflict> conflicts;
  std::vector<Speaker> speakers;
};

// lang: bg, pl or en.
render::Document draft_minutes(const MinutesData& m, const std::string& lang);

}  // namespace ratusha::council
