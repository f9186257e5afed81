#!/usr/bin/env python3
"""Validates the recall corpus: every tests/recall/*.json parses, every entry has the
fields and an act spelled as in scenarios/README.md, every prefix replays, and every
`intended` id is an enabled choice on the menu after that prefix (null = off-menu).

Usage: python3 tests/recall/check.py   (from the repository root)
The replay binary is $KIKU, else `kiku` on PATH, else /work/blind/kiku. A binary older
than the scenarios' optional `traces_change` field is fed a copy without that line."""
import glob, json, os, re, shutil, subprocess, sys, tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KIKU = os.environ.get('KIKU') or shutil.which('kiku') or '/work/blind/kiku'
PLAIN = {'Acknowledge', 'Empathize', 'SimpleReflection', 'ComplexReflection', 'Summarize', 'Silence', 'Affirm',
         'EmphasizeAutonomy', 'SeekCollaboration', 'AskPermission', 'Repair', 'Inform', 'Advise', 'Instruct',
         'Reassure', 'SelfDisclose', 'Judge', 'RedirectToWork'}
QRE = re.compile(r'^Question\((open|closed), (Person|Work), (Being|Doing|Feeling|Fact|Values|Change)\)$')
FIELDS = {'scenario', 'file', 'prefix', 'lang', 'text', 'intended', 'act'}
tmp = tempfile.mkdtemp()
cache = {}

def replay(file, prefix):
    key = (file, tuple(prefix))
    if key in cache: return cache[key]
    path = os.path.join(ROOT, file)
    def run(p):
        return subprocess.run([KIKU, 'replay', p, '--choices', ','.join(prefix), '--seed', '1', '--json'],
                              capture_output=True, text=True)
    o = run(path)
    if o.returncode and 'traces_change' in o.stderr:
        alt = os.path.join(tmp, os.path.basename(file))
        if not os.path.exists(alt):
            with open(path) as src, open(alt, 'w') as dst:
                dst.writelines(l for l in src if l.strip() != 'traces_change: true,')
        o = run(alt)
    cache[key] = (o.returncode, o.stdout if o.returncode == 0 else o.stderr)
    return cache[key]

def act_str(a):
    if isinstance(a, str): return a
    q = a['Question']
    return f"Question({'open' if q['open'] else 'closed'}, {q['focus']}, {q['frame']})"

errors = []
per = {}
total = Counter()
for fn in sorted(glob.glob(os.path.join(ROOT, 'tests/recall/*.json'))):
    try:
        data = json.load(open(fn))
    except Exception as e:
        errors.append(f'{fn}: not JSON: {e}'); continue
    name = os.path.basename(fn)
    c = Counter()
    points = set()
    for i, e in enumerate(data):
        where = f'{name}[{i}]'
        missing = FIELDS - set(e)
        if missing: errors.append(f'{where}: missing {missing}'); continue
        if e['lang'] not in ('ja', 'en'): errors.append(f'{where}: lang {e["lang"]}')
        if not e['text'].strip(): errors.append(f'{where}: empty text')
        if e['act'] not in PLAIN and not QRE.match(e['act']): errors.append(f'{where}: act {e["act"]!r}')
        if name != e['scenario'] + '.json': errors.append(f'{where}: scenario {e["scenario"]} in {name}')
        rc, out = replay(e['file'], e['prefix'])
        if rc: errors.append(f'{where}: prefix {e["prefix"]} does not replay: {out.strip()[:200]}'); continue
        d = json.loads(out)
        if d['scenario'] != e['scenario']: errors.append(f'{where}: file is scenario {d["scenario"]}')
        if d['over']: errors.append(f'{where}: conversation is over after the prefix')
        menu = {ch['id']: ch for ch in d['next_choices'] if ch.get('enabled', True)}
        if e['intended'] is not None:
            if e['intended'] not in menu:
                errors.append(f'{where}: intended {e["intended"]} not on the menu {sorted(menu)}'); continue
            if act_str(menu[e['intended']]['act']) != e['act']: c['act_differs'] += 1
        points.add(tuple(e['prefix']))
        c['total'] += 1; c[e['lang']] += 1
        c['off_menu' if e['intended'] is None else 'on_menu'] += 1
        c['kind:' + e.get('kind', '?')] += 1
    c['points'] = len(points)
    per[name] = c
    total.update(c)

for name, c in per.items():
    print(f"{name:28} {c['total']:3} entries, {c['points']:2} points, ja {c['ja']:3} en {c['en']:3}, "
          f"off-menu {c['off_menu']:2}, near-miss {c['kind:near']:2}, act differs from intended {c['act_differs']:2}")
print(f"{'TOTAL':28} {total['total']:3} entries, ja {total['ja']} en {total['en']}, off-menu {total['off_menu']}, "
      f"near-miss {total['kind:near']}, act differs {total['act_differs']}")
for e in errors: print('ERROR', e)
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if errors else 0)
