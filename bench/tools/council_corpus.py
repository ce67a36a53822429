#!/usr/bin/env python3
"""SQL for the council benchmark: a body of --members members (the first chairs it), each with
an API token that may vote (written to --tokens, one per line, chair first), and an open sitting
at which everyone is present. Ids start at --base so they do not meet the demo's."""
import argparse
import hashlib
import secrets
import time

p = argparse.ArgumentParser()
p.add_argument("--members", type=int, default=10000)
p.add_argument("--base", type=int, default=1_000_000)
p.add_argument("--tokens", required=True)
p.add_argument("--now", type=int, default=int(time.time()))
a = p.parse_args()

now, base, n = a.now, a.base, a.members
out = ["BEGIN;"]
out.append(f"INSERT INTO units (id, name, kind, created_at) VALUES ({base}, 'Kongres {n}', 'body', {now});")
out.append(
    "INSERT INTO council_bodies (unit_id, kind, jurisdiction, seats, term_start, time_zone, created_at, updated_at) "
    f"VALUES ({base}, 'council', 'pl', {n}, '2024-01-01', 'UTC', {now}, {now});")
tokens = []
for i in range(n):
    pid = base + i
    out.append(
        "INSERT INTO people (id, access_code, display_name, kind, status, locale, search_key, created_at, updated_at) "
        f"VALUES ({pid}, 'K{pid}', 'Delegat {i}', 'councillor', 'active', 'pl', 'delegat {i}', {now}, {now});")
    role = "chair" if i == 0 else "member"
    out.append(
        "INSERT INTO council_memberships (id, body_id, person_id, role, seat, from_date, created_at, updated_at) "
        f"VALUES ({pid}, {base}, {pid}, '{role}', '{i + 1}', '2024-01-01', {now}, {now});")
    out.append(
        "INSERT INTO role_assignments (id, person_id, role, scope_kind, scope_id) "
        f"VALUES ({pid}, {pid}, 'councillor', 'body', {base});")
    token = secrets.token_urlsafe(24)
    tokens.append(token)
    digest = hashlib.sha256(token.encode()).hexdigest()
    # The chair's device also runs the sitting (opens and closes the vote).
    scopes = "council.vote,council.manage" if i == 0 else "council.vote"
    # last_used_at now: the first use of a token would otherwise write it down, a write per member.
    out.append(
        "INSERT INTO api_tokens (id, name, owner_id, token_hash, scopes, created_at, last_used_at) "
        f"VALUES ({pid}, 'hall device', {pid}, '{digest}', '{scopes}', {now}, {now});")
    out.append(
        "INSERT INTO council_attendance (sitting_id, person_id, present, remote, since) "
        f"VALUES ({base}, {pid}, 1, 0, {now});")
local = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(now))
out.insert(3, "INSERT INTO council_sittings (id, body_id, number, kind, mode, title, time_zone, local_start, "
           f"starts_at, duration, status, opened_at, created_at, updated_at) VALUES ({base}, {base}, 1, 'regular', "
           f"'in_person', 'Posiedzenie', 'UTC', '{local}', {now}, 14400, 'open', {now}, {now}, {now});")
out.append("COMMIT;")
# The sitting's attendance rows reference it: it must come before them (inserted above).
print("\n".join(out))
with open(a.tokens, "w") as f:
    f.write("\n".join(tokens) + "\n")
