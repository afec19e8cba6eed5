"""IMF Direction of Trade Statistics (DOTS) Excel exports -> long rows, any reporter.

The export has one sheet per flow ("Exports, FOB to Partner Countries", "Imports, CIF from
Partner Countries"); above the table sit the title, the reporter's name and the unit, then
a row of years; below, one row per partner (countries and aggregates such as World).
The layout is found by reading those header rows, never by fixed cell positions:
- the year row is the first row whose cells hold at least two four-digit years; the years
  must run on consecutively, one column each;
- the title (the cell starting "Exports"/"Imports") gives the flow and the partner-name
  column; the unit cell ("US Dollars, Millions"/"Thousands") the scale; the remaining
  header cell is the reporter, a country in ``partner_names.csv``.
Cells: a number is a reported value, "<number> e" an IMF estimate (status ``estimate``),
an empty cell is missing (no row, never 0). A partner printed twice
(the export heads each sheet with one partner that recurs in its group) must carry the same
values both times and is read once. Anything else - an unknown partner name, text
in a value cell, a value outside the year columns, a negative value - is a one-line
``DataValidationError`` naming file, sheet and row (exit 3).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...errors import DataValidationError
from ...countries.partner_names import lookup

SCHEME = "imf_dots"
HEADER_SEARCH_ROWS = 40
FLOWS = {"exports": "export", "imports": "import"}
UNITS = {"us dollars, millions": 1e6, "us dollars, thousands": 1e3, "us dollars": 1.0}
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_NUM = re.compile(r"^\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(e)?\s*$")


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _year(cell) -> int | None:
    if isinstance(cell, int) and 1900 <= cell <= 2100:
        return cell
    m = _YEAR.match(cell) if isinstance(cell, str) else None
    return int(m.group(1)) if m else None


class _Sheet:
    def __init__(self, path: Path, ws):
        self.path, self.title = path, ws.title
        self.rows = [list(r) for r in ws.iter_rows(values_only=True)]

    def where(self, row: int, col: int | None = None) -> str:
        cell = f" cell {_column_letter(col + 1)}{row + 1}" if col is not None else ""
        return f"{self.path.name}: sheet {self.title!r} row {row + 1}{cell}"

    def fail(self, msg: str, row: int | None = None, col: int | None = None) -> DataValidationError:
        at = self.where(row, col) if row is not None else f"{self.path.name}: sheet {self.title!r}"
        return DataValidationError(f"{at}: {msg}")

    def header(self) -> tuple[int, dict[int, int]]:
        """Index of the year row and {column: year}."""
        for i, row in enumerate(self.rows[:HEADER_SEARCH_ROWS]):
            years = {j: y for j, c in enumerate(row) if (y := _year(c)) is not None}
            if len(years) >= 2:
                cols = sorted(years)
                for a, b in zip(cols, cols[1:]):
                    if b != a + 1 or years[b] != years[a] + 1:
                        raise self.fail(f"years in the header row do not run on one column each "
                                        f"({years[a]} in {_column_letter(a + 1)}, {years[b]} in "
                                        f"{_column_letter(b + 1)})", i)
                return i, years
        raise self.fail(f"no row of years in the first {HEADER_SEARCH_ROWS} rows")

    def meta(self, head: int) -> tuple[str, int, float, str]:
        """flow, name column, scale, reporter name - from the cells above the year row."""
        flow = col = scale = reporter = None
        for i in range(head):
            for j, c in enumerate(self.rows[i]):
                if not isinstance(c, str) or not c.strip():
                    continue
                text = c.strip()
                first = text.split(",")[0].split()[0].lower()
                if first in FLOWS and flow is None:
                    flow, col = FLOWS[first], j
                elif text.lower() in UNITS:
                    scale = UNITS[text.lower()]
                elif reporter is None:
                    reporter = text
                else:
                    raise self.fail(f"unexpected header text {text!r}", i, j)
        if flow is None:
            raise self.fail("no title naming the flow (Exports.../Imports...) above the year row", head)
        if scale is None:
            raise self.fail("no unit (e.g. 'US Dollars, Millions') above the year row", head)
        if reporter is None:
            raise self.fail("no reporter name above the year row", head)
        return flow, col, scale, reporter

    def parse(self) -> tuple[str, str, pd.DataFrame]:
        head, years = self.header()
        flow, name_col, scale, reporter_name = self.meta(head)
        reporter, kind = lookup(SCHEME, reporter_name, f"{self.path.name}: sheet {self.title!r} header")
        if kind != "country":
            raise self.fail(f"reporter {reporter_name!r} is not a country", head)
        if name_col >= min(years):
            raise self.fail("the partner-name column is not left of the years", head)
        out, seen = [], {}
        for i in range(head + 1, len(self.rows)):
            row = self.rows[i]
            name = row[name_col] if name_col < len(row) else None
            cells = {j: c for j, c in enumerate(row) if j != name_col and c is not None and str(c).strip() != ""}
            stray = [j for j in cells if j not in years]
            if stray:
                raise self.fail("a value outside the year columns (header row shifted?)", i, stray[0])
            if name is None or not str(name).strip():
                if cells:
                    raise self.fail("values without a partner name", i)
                continue
            code, pkind = lookup(SCHEME, str(name), self.where(i))
            if pkind == "label":
                if cells:
                    raise self.fail(f"heading {str(name).strip()!r} carries values", i)
                continue
            if code in seen:  # the export repeats a partner (Australia heads the sheet and its group)
                first, same = seen[code]
                if same != cells:
                    raise self.fail(f"partner {code} again, with other values than on row {first + 1}", i)
                continue
            seen[code] = (i, cells)
            for j, c in cells.items():
                value, status = self.cell(c, i, j)
                out.append((code, pkind, years[j], value * scale, status))
        df = pd.DataFrame(out, columns=["partner", "partner_kind", "year", "value_usd", "status"])
        df.insert(0, "flow", flow)
        return reporter, flow, df

    def cell(self, c, i: int, j: int) -> tuple[float, str]:
        if isinstance(c, bool):
            raise self.fail(f"not a number: {c!r}", i, j)
        if isinstance(c, (int, float)):
            v, est = float(c), False
        else:
            m = _NUM.match(str(c))
            if not m:
                raise self.fail(f"not a number: {str(c)[:40]!r}", i, j)
            v, est = float(m.group(1)), bool(m.group(2))
        if not v >= 0:  # negative or NaN
            raise self.fail(f"impossible trade value {c!r}", i, j)
        return v, "estimate" if est else ("true_zero" if v == 0 else "reported")


def read(path: Path | str) -> pd.DataFrame:
    """Long rows (reporter, partner, partner_kind, flow, period, value_usd, status) of one export."""
    path = Path(path)
    import openpyxl  # here, not at the top: a refresh from the parsed-rows cache opens no workbook

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zip/xml errors of a damaged file: name the file, not a traceback
        raise DataValidationError(f"{path.name}: not a readable Excel workbook ({type(err).__name__})") from None
    try:
        sheets = [_Sheet(path, ws) for ws in wb.worksheets]
    finally:
        wb.close()
    frames, reporters, flows = [], set(), {}
    for sh in sheets:
        reporter, flow, df = sh.parse()
        if flow in flows:
            raise sh.fail(f"second sheet for {flow}s (first: {flows[flow]!r})")
        flows[flow] = sh.title
        reporters.add(reporter)
        frames.append(df)
    if len(reporters) != 1:
        raise DataValidationError(f"{path.name}: sheets name different reporters {sorted(reporters)}")
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "reporter", reporters.pop())
    df["period_start"] = pd.to_datetime(df["year"].astype(str) + "-01-01")
    df["period_end"] = pd.to_datetime(df["year"].astype(str) + "-12-31")
    df["note"] = df["status"].map({"estimate": "IMF estimate (cell marked ' e')"})
    return df.drop(columns="year")
