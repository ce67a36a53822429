#!/usr/bin/env python3
"""Checks a published council vote on its own, with nothing but Python 3's standard library:

    python3 tools/verify_vote.py ledger.json          # a file saved from
    curl -s https://SITE/api/v1/public/council/votes/ID/ledger | python3 tools/verify_vote.py -

It recomputes every entry's SHA-256 hash and its link to the one before, checks every Ed25519
signature against the public key in the export (compare it with the one the municipality
publishes), replays the ballots (the last one of each voter counts where votes may be changed)
and recomputes the result from the majority and quorum recorded when the vote opened. The
format is in docs/council.md. It is written from RFC 8032 and the format alone and shares no
code with the server, so that a bug in one does not hide in the other. Exit status 0: intact.
"""
import hashlib
import json
import sys

# ---- Ed25519 verification (RFC 8032, section 5.1.7), extended coordinates -----------------
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _mul(s, pt):
    acc = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            acc = _add(acc, pt)
        pt = _add(pt, pt)
        s >>= 1
    return acc


def _recover_x(y, sign):
    if y >= P:
        return None
    xx = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    if xx == 0:
        return None if sign else 0
    x = pow(xx, (P + 3) // 8, P)
    if (x * x - xx) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - xx) % P != 0:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def _decode(b):
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


def _encode(pt):
    x, y, z, _ = pt
    zi = pow(z, P - 2, P)
    x, y = x * zi % P, y * zi % P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


_BY = 4 * pow(5, P - 2, P) % P
_BASE = (_recover_x(_BY, 0), _BY, 1, _recover_x(_BY, 0) * _BY % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decode(public), _decode(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % L
    return _encode(_mul(s, _BASE)) == _encode(_add(r, _mul(h, a)))


# ---- the rules of LAW.md, in integers ----------------------------------------------------
def meets(frac, yes, base):
    num, den, strict = frac["num"], frac["den"], frac["strict"]
    return yes * den > num * base if strict else yes * den >= num * base


def decide(opened, tally, options):
    if options == ["yes", "no", "abstain"]:
        y, n, a, winner = tally.get("yes", 0), tally.get("no", 0), tally.get("abstain", 0), None
    else:  # an election: the best placed against all the others; a tie elects no one
        counts = [(tally.get(o, 0), o) for o in options if o != "abstain"]
        best = max((c for c, _ in counts), default=0)
        leaders = [o for c, o in counts if c == best and c > 0]
        others = sum(c for c, _ in counts)
        a = tally.get("abstain", 0)
        if len(leaders) != 1:
            y, n, winner = 0, others, None
        else:
            y, n, winner = best, others - best, leaders[0]
    seats, present = opened["seats"], opened["present"]
    if not meets(opened["quorum"], present, seats):
        return "no_quorum", None
    m = opened["majority"]
    base = {"composition": seats, "present": present, "cast": y + n + a, "for_against": y + n}[m["base"]]
    if y == 0 or not meets(m, y, base):
        return "rejected", None
    return "adopted", winner


def receipt_of(hash_hex):
    b32 = __import__("base64").b32encode(bytes.fromhex(hash_hex[:20])).decode()
    return "-".join(b32[i:i + 4] for i in range(0, 16, 4))


def expected_receipt(entry, payload):
    """A named ballot's receipt comes from its entry's hash; a secret one's from its random id
    (secret ballots enter the ledger only at the close)."""
    if "ballot" in payload:
        return receipt_of(hashlib.sha256(("ratusha-secret-ballot/1\n" + payload["ballot"]).encode()).hexdigest())
    return receipt_of(entry["hash"])


def check(doc):
    try:
        return check_entries(doc)
    except (KeyError, TypeError, ValueError) as e:
        return False, f"the export is malformed ({type(e).__name__}: {e})"


def check_entries(doc):
    key = bytes.fromhex(doc["public_key"])
    entries = doc["entries"]
    prev = "0" * 64
    last_secret = ""
    opened, voters, last, secret_ids, tally = None, set(), {}, set(), {}
    closed = None
    for i, e in enumerate(entries):
        where = f"entry {e.get('seq')}"
        if str(e["vote_id"]) != str(doc["vote_id"]):
            return False, f"{where}: belongs to another vote than the file says"
        if e["seq"] != i + 1:
            return False, f"{where}: out of sequence"
        if e["prev_hash"] != prev:
            return False, f"{where}: does not follow the entry before it"
        data = f"ratusha-vote-ledger/1\n{e['vote_id']}\n{e['seq']}\n{e['kind']}\n{e['prev_hash']}\n{e['payload']}"
        if hashlib.sha256(data.encode()).hexdigest() != e["hash"]:
            return False, f"{where}: its hash is wrong"
        if not ed25519_verify(key, e["hash"].encode(), bytes.fromhex(e["signature"])):
            return False, f"{where}: its signature is not the key's"
        prev = e["hash"]
        p = json.loads(e["payload"])
        if e["kind"] == "ballot" and e.get("receipt") not in (None, expected_receipt(e, p)):
            return False, f"{where}: its receipt does not match its hash"
        if closed is not None:
            return False, f"{where}: comes after the close"
        if i == 0:
            if e["kind"] != "opened":
                return False, f"{where}: the first entry must open the vote"
            opened = p
            voters = {v["id"] for v in p["voters"] if v["status"] == "entitled"}
            continue
        if e["kind"] == "ballot":
            if p["choice"] not in opened["options"]:
                return False, f"{where}: the choice is not one of the options"
            if opened["kind"] == "secret":
                if "voter" in p or p.get("ballot") in secret_ids:
                    return False, f"{where}: a secret ballot that names its voter or repeats"
                if p["ballot"] <= last_secret:
                    return False, f"{where}: secret ballots out of the order of their ids"
                last_secret = p["ballot"]
                secret_ids.add(p["ballot"])
                tally[p["choice"]] = tally.get(p["choice"], 0) + 1
                if len(secret_ids) > len(voters):
                    return False, f"{where}: more ballots than voters"
            else:
                if p["voter"] not in voters:
                    return False, f"{where}: the voter was not entitled to vote"
                if p["voter"] in last and not opened.get("vote_change"):
                    return False, f"{where}: a second ballot where votes cannot be changed"
                last[p["voter"]] = p["choice"]
        elif e["kind"] in ("closed", "cancelled"):
            closed = (e["kind"], p)
        else:
            return False, f"{where}: unknown kind {e['kind']}"
    if opened is None:
        return False, "the ledger is empty"
    if opened["kind"] != "secret":
        for choice in last.values():
            tally[choice] = tally.get(choice, 0) + 1
    counts = {o: tally.get(o, 0) for o in opened["options"]}
    if closed is None:
        return False, "the ledger ends before the vote's close (cut short?)"
    if closed[0] == "cancelled":
        return True, "intact, cancelled"
    result, winner = decide(opened, counts, opened["options"])
    rec = closed[1]
    if rec["result"] != result or (rec.get("winner") or None) != winner:
        return False, f"the recorded result {rec['result']} is not what the ballots give ({result})"
    if rec["tally"] != counts:
        return False, f"the recorded counts {rec['tally']} are not what the ballots give ({counts})"
    return True, f"intact: {sum(counts.values())} ballots, {counts}, result {result}" + (f", elected {winner}" if winner else "")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    text = sys.stdin.read() if sys.argv[1] == "-" else open(sys.argv[1], encoding="utf-8").read()
    ok, message = check(json.loads(text))
    print(("vote %s: " % json.loads(text).get("vote_id")) + message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
