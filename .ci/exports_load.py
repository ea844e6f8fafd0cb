"""The exports load in pandas and polars as the CSV says (issue 4): responses.parquet in both,
responses.xlsx in pandas, row for row and column for column against responses.csv.

Usage: python3 .ci/exports_load.py reports/<round>
"""
import csv
import math
import sys
from pathlib import Path

import pandas as pd
import polars as pl

out = Path(sys.argv[1])
with open(out / "responses.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
csv_columns = list(rows[0].keys()) if rows else []

problems = []

# Parquet: the CSV's columns with value_text after value; value and confidence numbers.
for name, frame in [
    ("pandas", pd.read_parquet(out / "responses.parquet")),
    ("polars", pl.read_parquet(out / "responses.parquet").to_pandas()),
]:
    if len(frame) != len(rows):
        problems.append(f"{name}: responses.parquet has {len(frame)} rows, responses.csv {len(rows)}")
        continue
    expected = csv_columns[:5] + ["value_text"] + csv_columns[5:]
    if list(frame.columns) != expected:
        problems.append(f"{name}: columns {list(frame.columns)} != {expected}")
        continue
    for i, r in enumerate(rows):
        if frame["body_code"].iat[i] != r["body_code"] or frame["field"].iat[i] != r["field"]:
            problems.append(f"{name}: row {i} is {frame['body_code'].iat[i]}/{frame['field'].iat[i]}, the CSV's {r['body_code']}/{r['field']}")
            break
        if frame["value_text"].iat[i] != r["value"]:
            problems.append(f"{name}: row {i} value_text {frame['value_text'].iat[i]!r} != {r['value']!r}")
            break
        v = frame["value"].iat[i]
        try:
            want = float(r["value"])
        except ValueError:
            want = None
        if want is None and not (v is None or (isinstance(v, float) and math.isnan(v))):
            problems.append(f"{name}: row {i} value {v!r} where the CSV has no number ({r['value']!r})")
            break
        if want is not None and (v is None or abs(float(v) - want) > 1e-9):
            problems.append(f"{name}: row {i} value {v!r} != {want}")
            break

# The workbook: same header and rows as the CSV.
sheet = pd.read_excel(out / "responses.xlsx", dtype=str, keep_default_na=False)
if list(sheet.columns) != csv_columns:
    problems.append(f"responses.xlsx: columns {list(sheet.columns)} != {csv_columns}")
elif len(sheet) != len(rows):
    problems.append(f"responses.xlsx: {len(sheet)} rows, responses.csv {len(rows)}")
else:
    for i, r in enumerate(rows):
        if sheet["body_code"].iat[i] != r["body_code"] or sheet["status"].iat[i] != r["status"]:
            problems.append(f"responses.xlsx: row {i} differs from the CSV")
            break

for p in problems:
    print(p)
print(f"exports: {out}: responses.parquet (pandas, polars) and responses.xlsx (pandas) hold the CSV's {len(rows)} rows" if not problems else "exports: FAILED")
sys.exit(1 if problems else 0)
