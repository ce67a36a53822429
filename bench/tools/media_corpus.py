#!/usr/bin/env python3
"""SQL for the media benchmark: --people people, each with a personal room and an API token
(written to --out as "TOKEN ROOM_ID" lines). Ids start at --base so they do not meet the
demo's."""
import argparse
import hashlib
import secrets
import time

p = argparse.ArgumentParser()
p.add_argument("--people", type=int, default=1000)
p.add_argument("--base", type=int, default=2_000_000)
p.add_argument("--out", required=True)
p.add_argument("--now", type=int, default=int(time.time()))
a = p.parse_args()

now, base = a.now, a.base
out, lines = ["BEGIN;"], []
for i in range(a.people):
    pid = base + i
    out.append(
        "INSERT INTO people (id, access_code, display_name, kind, status, locale, search_key, created_at, updated_at) "
        f"VALUES ({pid}, 'M{pid}', 'Uczestnik {i}', 'employee', 'active', 'pl', 'uczestnik {i}', {now}, {now});")
    out.append(f"INSERT INTO rooms (id, kind, name, owner_id, created_at, updated_at) VALUES ({pid}, 'personal', 'Pokój {i}', {pid}, {now}, {now});")
    out.append(f"INSERT INTO room_members (room_id, person_id, added_at) VALUES ({pid}, {pid}, {now});")
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(token.encode()).hexdigest()
    # last_used_at now: the first use of a token would otherwise write it down.
    out.append(
        "INSERT INTO api_tokens (id, name, owner_id, token_hash, scopes, created_at, last_used_at) "
        f"VALUES ({pid}, 'bench', {pid}, '{digest}', 'documents.read', {now}, {now});")
    lines.append(f"{token} {pid}")
out.append("COMMIT;")
print("\n".join(out))
with open(a.out, "w") as f:
    f.write("\n".join(lines) + "\n")
