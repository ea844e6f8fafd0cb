#!/usr/bin/env python3
"""Check `foi compare` on the two dev CAMHS rounds against their truth files (standard library only).

usage: compare_gate.py COMPARE_OUT TRUTH_DIR [--strict-2018]

Kept pace per year must equal the truths' headlines: 2015-16 and 2016-17 (camhs-2016) always;
2017-18, 2018-19 and the restated bodies (camhs-2018's `restated_outturn`) only with
--strict-2018 (they depend on how well camhs-2018 is read); otherwise they are printed.
Every camhs-2016 body must map to a body of the latest round.
"""
import csv, json, sys

out, truth_dir = sys.argv[1], sys.argv[2]
strict_2018 = "--strict-2018" in sys.argv
summary = json.load(open(f"{out}/summary.json"))
t16 = json.load(open(f"{truth_dir}/camhs-2016.json"))
t18 = json.load(open(f"{truth_dir}/camhs-2018.json"))
failed = False
for truth, years, strict in [(t16, ["2015-16", "2016-17"], True), (t18, ["2017-18", "2018-19"], strict_2018)]:
    for y in years:
        for k in ["classifiable", "kept_pace", "backfilled", "percent_kept_pace"]:
            key = f"camhs.{y}.{k}"
            got, want = summary.get(key), truth["headline"].get(key)
            ok = got == want
            print(f"{'ok  ' if ok else 'DIFF'} {key}: {got} (truth {want})")
            failed |= strict and not ok
want = sorted(t18["restated"]["restated_outturn"])
got = sorted(summary.get("restated.bodies", []))
print(f"restated: {got}\n   truth: {want}\n   extra: {sorted(set(got) - set(want))} missing: {sorted(set(want) - set(got))}")
failed |= strict_2018 and got != want
mapping = list(csv.DictReader(open(f"{out}/mapping.csv")))
unmapped = [m["body_code"] for m in mapping if m["round"] == "camhs-2016" and not m["body_code_latest"]]
print(f"camhs-2016 bodies mapped: {sum(1 for m in mapping if m['round'] == 'camhs-2016') - len(unmapped)}, unmapped: {unmapped}")
failed |= bool(unmapped)
sys.exit(1 if failed else 0)
