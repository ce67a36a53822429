-- Groups of people (a working group, a project team, the mayor's advisers): kept by the
-- administrators, used as an audience wherever people are chosen (documents, later meetings).
CREATE TABLE person_groups (
  id {{id}},
  name TEXT NOT NULL,
  name_key TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES people(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE person_group_members (
  group_id BIGINT NOT NULL REFERENCES person_groups(id),
  person_id BIGINT NOT NULL REFERENCES people(id),
  added_by BIGINT REFERENCES people(id),
  added_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, person_id)
);
CREATE INDEX person_group_members_person ON person_group_members (person_id);
