#!/usr/bin/env bash
# Validity check for the recall development corpus: every prefix replays (seed 1)
# to an open menu, and every non-null `intended` id is an enabled choice on it.
# It only runs `kiku replay`; it never runs or reads a matcher.
# Usage: tests/recall-dev/validate.sh   (KIKU=path/to/kiku to choose the binary;
# default: $CARGO_TARGET_DIR/debug/kiku, else `cargo run -p kiku --no-default-features`)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${KIKU:-}" ]; then
  if [ -x "${CARGO_TARGET_DIR:-target}/debug/kiku" ]; then KIKU="${CARGO_TARGET_DIR:-target}/debug/kiku"
  else cargo build -q -p kiku --no-default-features; KIKU="${CARGO_TARGET_DIR:-target}/debug/kiku"; fi
fi
export KIKU
python3 - "$@" <<'PY'
import json, glob, os, re, subprocess, sys, collections
ACT = re.compile(r"(Acknowledge|Empathize|SimpleReflection|ComplexReflection|Summarize|Silence|Affirm"
                 r"|EmphasizeAutonomy|SeekCollaboration|AskPermission|Repair|Inform|Advise|Instruct"
                 r"|Reassure|SelfDisclose|Judge|RedirectToWork)"
                 r"|Question\((open|closed), (Person|Work), (Being|Doing|Feeling|Fact|Values|Change)"
                 r"(, leading)?(, blaming)?(, follow_up)?\)")
kiku = os.environ["KIKU"]
files = sorted(glob.glob("tests/recall-dev/*.json"))
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
        if not isinstance(e.get("text"), str) or not e["text"].strip():
            print(f"{f}[{i}]: empty text"); bad += 1
        if not ACT.fullmatch(str(e.get("act"))):
            print(f"{f}[{i}]: act {e.get('act')!r} is not spelt as in scenarios/README.md"); bad += 1
        if e["kind"] == "para" and e["intended"] is None:
            print(f"{f}[{i}]: a paraphrase must name its intended choice"); bad += 1
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
print(f"{sum(counts.values())} entries, {len(menus)} distinct prefixes, {bad} problem(s)")
scen = sorted({s for s, _, _ in counts})
print("scenario | total | ja | en | para | near | off")
for s in scen + ["ALL"]:
    c = lambda l=None, k=None: sum(v for (a, b, d), v in counts.items()
                                   if (s == "ALL" or a == s) and (l is None or b == l) and (k is None or d == k))
    print(f"{s} | {c()} | {c('ja')} | {c('en')} | {c(k='para')} | {c(k='near')} | {c(k='off')}")
sys.exit(1 if bad else 0)
PY
