#pragma once
#include <string>

#include "app/app.hpp"

namespace ratusha::app {
// A realistic demo municipality: departments, about 60 employees, a 51-seat council with three
// standing committees. Refuses to run on a database that already has people.
int create_demo(App& app, const std::string& locale, bool as_json);
}  // namespace ratusha::app
