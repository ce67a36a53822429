#!/usr/bin/env python3
"""Generates the search benchmark's corpus as SQL for SQLite or PostgreSQL (stdout).

SPACES spaces of DOCS documents each, with Bulgarian and Polish text (already folded the way
Ratusha folds for search: lower case, no accents). The person PERSON may enter GRANTED of the
spaces; nobody else is granted the rest. Ids start at 1,000,000 so they never meet real rows.
Also writes the query list (one per line) to the file given as --queries.
"""
import argparse
import random

BG = ("общински съвет решение заседание бюджет протокол комисия кмет община дневен ред "
      "предложение докладна записка гласуване проект наредба такси улици училище детска градина "
      "транспорт инвестиции програма отчет имот собственост търг концесия регистър сграда ремонт "
      "парк площад културен дом читалище болница социални услуги възрастни младежи спорт туризъм").split()
PL = ("rada miejska uchwala sesja budzet protokol komisja burmistrz gmina porzadek obrad wniosek "
      "projekt glosowanie oplaty ulica szkola przedszkole transport inwestycje program sprawozdanie "
      "nieruchomosc przetarg rejestr budynek remont park plac kultura biblioteka szpital pomoc "
      "spoleczna seniorzy mlodziez sport turystyka zazolc gesla jazn").split()
CYR = "бвгдзклмнпрстфхцчш"
CYR_V = "аеиоуъя"
LAT = "bcdfghjklmnprstwz"
LAT_V = "aeiouy"


def synthetic(rng, n):
    words = set()
    while len(words) < n:
        cyr = rng.random() < 0.5
        c, v = (CYR, CYR_V) if cyr else (LAT, LAT_V)
        words.add("".join(rng.choice(c) + rng.choice(v) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def q(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spaces", type=int, default=100)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--granted", type=int, default=3)
    ap.add_argument("--person", type=int, required=True)
    ap.add_argument("--words", type=int, default=150)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--dialect", choices=["sqlite", "postgresql"], default="sqlite")
    a = ap.parse_args()
    rng = random.Random(2026)
    vocab = BG + PL + synthetic(rng, 5000)
    # Zipf-like: the real words are the frequent ones.
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(vocab))]
    out = ["BEGIN;"]
    nid = 1_000_000
    for s in range(a.spaces):
        sid = 1_000_000 + s
        root = nid
        nid += 1
        out.append(f"INSERT INTO doc_spaces (id, kind, owner_id, name, root_id, created_at) VALUES "
                   f"({sid}, 'unit', {sid}, 'Пространство {s}', {root}, 0);")
        out.append(f"INSERT INTO doc_nodes (id, space_id, parent_id, path, kind, name, name_key, created_at, updated_at) "
                   f"VALUES ({root}, {sid}, NULL, '/{root}/', 'folder', 'Пространство {s}', 'пространство {s}', 0, 0);")
        audience = f"person:{a.person}" if s < a.granted else "person:0"
        out.append(f"INSERT INTO doc_grants (node_id, node_path, audience, access, implicit, created_at) "
                   f"VALUES ({root}, '/{root}/', '{audience}', 'view', 1, 0);")
        for _ in range(a.docs):
            d = nid
            nid += 1
            title = " ".join(rng.choices(vocab, weights, k=4))
            body = " ".join(rng.choices(vocab, weights, k=a.words))
            out.append(f"INSERT INTO doc_nodes (id, space_id, parent_id, path, kind, name, name_key, size, "
                       f"content_type, created_at, updated_at, current_version) VALUES ({d}, {sid}, {root}, "
                       f"'/{root}/{d}/', 'file', {q(title + '.pdf')}, {q(title + '.pdf')}, 1000, 'application/pdf', 0, 0, 1);")
            # The scope column as Ratusha writes it: the ids on the document's path.
            scope = f"'a{root} a{d}'" if a.dialect == "sqlite" else f"'{{{root},{d}}}'"
            out.append(f"INSERT INTO doc_search (rowid, name, body, scope) VALUES "
                       f"({d}, {q(title + ' pdf')}, {q(body)}, {scope});")
        if s % 10 == 9:
            out.append("COMMIT;")
            out.append("BEGIN;")
    out.append("COMMIT;")
    print("\n".join(out))
    queries = []
    for w in BG[:20] + PL[:20]:
        queries.append(w)
    for w in rng.sample(vocab[len(BG) + len(PL):], 20):
        queries.append(w)
    for _ in range(20):
        queries.append(" ".join(rng.sample(BG + PL, 2)))
    for w in rng.sample(BG + PL, 10):
        queries.append(w[:4])  # a prefix, as people type
    with open(a.queries, "w") as f:
        f.write("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
