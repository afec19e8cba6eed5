"""IMF Direction of Trade Statistics (DOTS) Excel exports -> long rows, any reporter.

The export has one sheet per flow ("Exports, FOB to Partner Countries", "Imports, CIF from
Partner Countries"); above the table sit the title, the reporter's name and the unit, then
a row of years; below, one row per partner (countries and aggregates such as World).
The layout is found by reading those header rows, never by fixed cell positions:
- the year row is the first row whose cells hold at least two four-digit years; the years
  must rise from one column to the next, one column each with no empty column between them
  (an export leaves out the years in which the reporter has no figure at all, e.g. 1961,
  1966 for Algeria; Belarus and Kazakhstan run 1992-2020 without a gap);
- the title (the cell starting "Exports"/"Imports") gives the flow and the partner-name
  column; the unit cell ("US Dollars, Millions"/"Thousands") the scale; the remaining
  header cell is the reporter, a country in ``partner_names.csv``.
Cells: a number is a reported value, "<number> e" an IMF estimate (status ``estimate``;
estimates of 1,000 and more are printed with thousands separators, "1,872.13 e"),
an empty cell is missing (no row, never 0). A partner printed twice
(the export heads each sheet with one partner that recurs in its group) must carry the same
values both times and is read once. Anything else - an unknown partner name, text
in a value cell, a value outside the year columns, a negative value - is a one-line
``DataValidationError`` naming file, sheet and row (exit 3).

The reporter is read from the header and must be a country, unless the caller allows IMF
groups and other areas (``aggregates=True``: World, Euro Area, Belgium-Luxembourg, SACCA ...),
which the all-pairs context reads but the panel never holds as reporters.

Workbooks are read with python-calamine (Rust's calamine): the same cells as openpyxl's
read-only mode, measured on all 235 bundled exports, about 20 times faster
(``tests/ingest/test_dots_all.py`` reads the expected values through openpyxl).
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
# a plain number, or one with thousands separators (never a decimal comma: "952,8" is refused)
_NUM = re.compile(r"^\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(e)?\s*$")


def _column_letter(n: int) -> str:
    """1 -> 'A', 27 -> 'AA' (Excel's column names)."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _year(cell) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)) and float(cell).is_integer() and 1900 <= cell <= 2100:
        return int(cell)
    m = _YEAR.match(cell) if isinstance(cell, str) else None
    return int(m.group(1)) if m else None


def _blank(c) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())


class _Sheet:
    def __init__(self, path: Path, title: str, rows: list[list]):
        self.path, self.title = path, title
        self.rows = rows
        self.negative_ok = False  # only in an IMF group's sums (see ``parse``)

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
                    if b != a + 1 or years[b] <= years[a]:
                        raise self.fail(f"years in the header row do not rise one column each "
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

    def reporter(self) -> tuple[str, str, str, dict[int, int]]:
        """(code, kind, name as printed, {column: year}) of the reporter, from the header."""
        head, years = self.header()
        _, _, _, reporter_name = self.meta(head)
        code, kind = lookup(SCHEME, reporter_name, f"{self.path.name}: sheet {self.title!r} header")
        return code, kind, reporter_name, years

    def parse(self, aggregates: bool = False) -> tuple[str, str, pd.DataFrame]:
        head, years = self.header()
        flow, name_col, scale, reporter_name = self.meta(head)
        reporter, kind = lookup(SCHEME, reporter_name, f"{self.path.name}: sheet {self.title!r} header")
        if kind == "label" or (kind != "country" and not aggregates):
            raise self.fail(f"reporter {reporter_name!r} is not a country", head)
        # the IMF's group sums carry a few small negative cells (World and Advanced Economies
        # with Malaysia, 1948-1951): kept as printed there, refused in any country's export
        self.negative_ok = kind != "country"
        if name_col >= min(years):
            raise self.fail("the partner-name column is not left of the years", head)
        out, seen = [], {}
        for i in range(head + 1, len(self.rows)):
            row = self.rows[i]
            name = row[name_col] if name_col < len(row) else None
            cells = {j: c for j, c in enumerate(row) if j != name_col and not _blank(c)}
            stray = [j for j in cells if j not in years]
            if stray:
                raise self.fail("a value outside the year columns (header row shifted?)", i, stray[0])
            if _blank(name):
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
            v, est = float(m.group(1).replace(",", "")), bool(m.group(2))
        if not v >= 0 and not (self.negative_ok and v == v):  # negative or NaN
            raise self.fail(f"impossible trade value {c!r}", i, j)
        return v, "estimate" if est else ("true_zero" if v == 0 else "reported")


def sheets(path: Path | str) -> list[_Sheet]:
    """Every sheet of the workbook, cell by cell from A1 (empty cells as ``None``)."""
    path = Path(path)
    from python_calamine import CalamineWorkbook  # here: a refresh from the cache opens no workbook

    wb = None
    try:
        wb = CalamineWorkbook.from_path(str(path))
        out = []
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            out.append(_Sheet(path, name, [[None if c == "" else c for c in r] for r in rows]))
    except Exception as err:  # zip/xml errors of a damaged file: name the file, not a traceback
        raise DataValidationError(f"{path.name}: not a readable Excel workbook ({type(err).__name__})") from None
    finally:
        if wb is not None:
            wb.close()
    return out


def reporter_of(path: Path | str) -> dict:
    """What the header says: reporter code, kind, name as printed, first and last year (every
    sheet must name the same reporter). Reads no value cell."""
    path = Path(path)
    got = [sh.reporter() for sh in sheets(path)]
    if not got:
        raise DataValidationError(f"{path.name}: no sheet")
    if len({(c, k) for c, k, _, _ in got}) != 1:
        raise DataValidationError(f"{path.name}: sheets name different reporters {sorted({g[2] for g in got})}")
    years = sorted({y for *_, ys in got for y in ys.values()})
    code, kind, name, _ = got[0]
    return {"reporter": code, "reporter_kind": kind, "reporter_name": name.strip(),
            "first_year": years[0], "last_year": years[-1]}


def read(path: Path | str, aggregates: bool = False) -> pd.DataFrame:
    """Long rows (reporter, partner, partner_kind, flow, period, value_usd, status) of one export;
    ``aggregates`` allows a reporter that is an IMF group or another area (see module doc)."""
    path = Path(path)
    frames, reporters, flows = [], set(), {}
    for sh in sheets(path):
        reporter, flow, df = sh.parse(aggregates)
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
