#!/usr/bin/env python3
"""Fail CI when the dev spend round scores below the bars of issue 13.

    python3 .ci/spend_gate.py OUT_DIR

Runs ../shared/corpus/spendscore.py --json and checks: transaction recall and precision at least
0.99, every re-published copy found, totals per body, year and category exact, and every
cross-check verdict equal to the truth's.
"""
import json
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
shared = root.parent / "shared" / "corpus"
out = sys.argv[1]
truth = shared / "dev" / "truth" / "spend-2015-17.json"
score = Path(out) / "spendscore.json"
subprocess.run([sys.executable, str(shared / "spendscore.py"), "--truth", str(truth), "--out", out, "--json", str(score)],
               capture_output=True, text=True, check=True)
s = json.loads(score.read_text(encoding="utf-8"))
t, d, T, c = s["transactions"], s["duplicates"], s["totals"], s["crosscheck"]
failures = []
if t["recall"] < 0.99 or t["precision"] < 0.99:
    failures.append(f"transactions recall {t['recall']} precision {t['precision']} < 0.99")
if d["groups_ok"] != d["groups"]:
    failures.append(f"duplicates {d['groups_ok']}/{d['groups']}")
if T["exact"] != T["truth"]:
    failures.append(f"totals exact {T['exact']}/{T['truth']}")
if c["verdict_ok"] != c["checks"]:
    failures.append(f"cross-check verdicts {c['verdict_ok']}/{c['checks']}")
print(f"spend-2015-17: recall={t['recall']} precision={t['precision']} duplicates={d['groups_ok']}/{d['groups']} "
      f"totals={T['exact']}/{T['truth']} crosscheck={c['verdict_ok']}/{c['checks']}")
for f in failures:
    print(f"  FAIL {f}")
sys.exit(1 if failures else 0)
