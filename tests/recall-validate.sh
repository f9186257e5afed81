#!/usr/bin/env bash
# Validity check for a recall corpus folder (tests/recall-dev, tests/recall-heldout,
# tests/recall-heldout2): every entry has its fields and a spelled act, every prefix
# replays (seed 1) to an open menu, and every non-null `intended` id is an enabled
# choice on it; prints counts by scenario, language, kind and act.
# It only runs `kiku replay`; it never runs or reads a matcher.
# Usage: tests/recall-validate.sh tests/recall-DIR   (KIKU=path/to/kiku to choose the binary;
# default: $CARGO_TARGET_DIR/debug/kiku, else it builds `cargo build -p kiku --no-default-features`)
set -euo pipefail
corpus="${1:?usage: tests/recall-validate.sh tests/recall-DIR}"
[ -d "$corpus" ] || { echo "no corpus folder $corpus" >&2; exit 2; }
corpus="$(cd "$corpus" && pwd)"
cd "$(dirname "$0")/.."
if [ -z "${KIKU:-}" ]; then
  if [ -x "${CARGO_TARGET_DIR:-target}/debug/kiku" ]; then KIKU="${CARGO_TARGET_DIR:-target}/debug/kiku"
  else cargo build -q -p kiku --no-default-features; KIKU="${CARGO_TARGET_DIR:-target}/debug/kiku"; fi
fi
export KIKU
python3 - "$corpus" <<'PY'
import json, glob, os, re, subprocess, sys, collections
kiku = os.environ["KIKU"]
PLAIN = {"Acknowledge", "Empathize", "SimpleReflection", "ComplexReflection", "Summarize", "Silence",
         "Affirm", "EmphasizeAutonomy", "SeekCollaboration", "AskPermission", "Repair", "Inform",
         "Advise", "Instruct", "Reassure", "SelfDisclose", "Judge", "RedirectToWork"}
QUESTION = re.compile(r"^Question\((open|closed), (Person|Work), (Being|Doing|Feeling|Fact|Values|Change)"
                      r"(, leading)?(, blaming)?(, follow_up)?\)$")

full_acts = collections.Counter()
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.json")))
bad = 0
menus = {}
counts = collections.Counter()
for f in files:
    entries = json.load(open(f))
    for i, e in enumerate(entries):
        for k in ("scenario", "file", "prefix", "lang", "text", "intended", "act", "kind"):
            if k not in e:
                print(f"{f}[{i}]: missing {k}"); bad += 1
        if e["lang"] not in ("ja", "en") or e["kind"] not in ("para", "near", "off"):
            print(f"{f}[{i}]: bad lang/kind"); bad += 1
        if e["act"] not in PLAIN and not QUESTION.match(e["act"]):
            print(f"{f}[{i}]: act `{e['act']}` is not spelled as in scenarios/README.md"); bad += 1
        if e["kind"] == "para" and e["intended"] is None:
            print(f"{f}[{i}]: a paraphrase without an intended id"); bad += 1
        if not e["text"].strip():
            print(f"{f}[{i}]: empty text"); bad += 1
        if e["kind"] == "off" and e["intended"] is not None:
            print(f"{f}[{i}]: off-menu entry with an intended id"); bad += 1
        key = (e["file"], tuple(e["prefix"]))
        if key not in menus:
            r = subprocess.run([kiku, "replay", e["file"], "--choices", ",".join(e["prefix"]),
                                "--seed", "1", "--json"], capture_output=True, text=True)
            if r.returncode != 0:
                menus[key] = None
                print(f"{f}[{i}]: prefix {e['prefix']} does not replay: {r.stderr.strip()}")
            else:
                d = json.loads(r.stdout)
                if d["over"]:
                    menus[key] = None
                    print(f"{f}[{i}]: prefix {e['prefix']} reaches an ending ({d['ending']})")
                else:
                    menus[key] = {c["id"] for c in d["next_choices"] if c.get("enabled", True)}
        m = menus[key]
        if m is None:
            bad += 1; continue
        if e["intended"] is not None and e["intended"] not in m:
            print(f"{f}[{i}]: `{e['intended']}` is not on the menu {sorted(m)} after {e['prefix']}"); bad += 1
        counts[(e["scenario"], e["lang"], e["kind"])] += 1
        full_acts[e["act"]] += 1
print(f"{sum(counts.values())} entries, {len(menus)} distinct prefixes, {bad} problem(s)")
scen = sorted({s for s, _, _ in counts})
print("scenario | total | ja | en | para | near | off")
for s in scen + ["ALL"]:
    c = lambda l=None, k=None: sum(v for (a, b, d), v in counts.items()
                                   if (s == "ALL" or a == s) and (l is None or b == l) and (k is None or d == k))
    print(f"{s} | {c()} | {c('ja')} | {c('en')} | {c(k='para')} | {c(k='near')} | {c(k='off')}")
print("act | entries")
for a, v in sorted(full_acts.items(), key=lambda x: (-x[1], x[0])):
    print(f"{a} | {v}")
nulls = sum(1 for f in files for e in json.load(open(f)) if e["intended"] is None)
print(f"intended null: {nulls}")
print("OK" if not bad else f"FAILED: {bad} problem(s)")
sys.exit(1 if bad else 0)
PY
