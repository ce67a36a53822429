#!/usr/bin/env python3
"""Generates the workspace benchmark's data as SQL (the same for SQLite and PostgreSQL).

  --mode upcoming: PEOPLE people and one room; MEETINGS one-off meetings spread over the coming
    year, each with PERSON (the measured person) and two others invited.
  --mode reminders: MEETINGS meetings of INVITEES people each, all starting at START (UTC
    seconds), so that their default 15-minute reminders fall due in the same minute.
Ids start at 2,000,000 so they never meet real rows.
"""
import argparse
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["upcoming", "reminders"], required=True)
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--meetings", type=int, default=5000)
    ap.add_argument("--invitees", type=int, default=100)
    ap.add_argument("--person", type=int, required=True)
    ap.add_argument("--now", type=int, required=True)
    ap.add_argument("--start", type=int, default=0)
    a = ap.parse_args()
    rng = random.Random(2026)
    out = ["BEGIN;"]
    base = 2_000_000 if a.mode == "upcoming" else 3_000_000
    people = list(range(base, base + a.people))
    for p in people:
        out.append(
            f"INSERT INTO people (id, access_code, display_name, kind, status, locale, search_key, "
            f"created_at, updated_at) VALUES ({p}, 'B{p}', 'Служител {p}', 'employee', 'active', 'bg', "
            f"'служител {p}', {a.now}, {a.now});")
    room = base
    out.append(f"INSERT INTO rooms (id, kind, name, created_at, updated_at) VALUES ({room}, 'meeting', "
               f"'Зала {room}', {a.now}, {a.now});")
    for i in range(a.meetings):
        mid = base + i
        if a.mode == "upcoming":
            start = a.now + rng.randrange(0, 365 * 86400) // 900 * 900
            invited = [a.person] + rng.sample(people, 2)
        else:
            start = a.start
            invited = rng.sample(people, a.invitees)
        end = start + 3600
        organiser = invited[0]
        out.append(
            f"INSERT INTO meetings (id, uid, room_id, organiser_id, title, agenda, time_zone, local_start, "
            f"duration, starts_at, ends_at, expanded_until, status, sequence, created_at, updated_at) VALUES "
            f"({mid}, 'bench-{mid}', {room}, {organiser}, 'Среща {mid}', '', 'UTC', 'x', 3600, {start}, "
            f"{end}, {start + 1}, 'scheduled', 0, {a.now}, {a.now});")
        out.append(f"INSERT INTO meeting_occurrences (meeting_id, starts_at, ends_at) VALUES ({mid}, {start}, {end});")
        for k, p in enumerate(invited):
            via = "organiser" if k == 0 else f"person:{p}"
            response = "accepted" if k == 0 else "needs-action"
            out.append(f"INSERT INTO meeting_invitees (meeting_id, person_id, via, response) VALUES "
                       f"({mid}, {p}, '{via}', '{response}');")
            out.append(f"INSERT INTO meeting_attendance (person_id, starts_at, meeting_id, ends_at) VALUES "
                       f"({p}, {start}, {mid}, {end});")
        if i % 500 == 499:
            out.append("COMMIT;")
            out.append("BEGIN;")
    out.append("COMMIT;")
    print("\n".join(out))


if __name__ == "__main__":
    main()
