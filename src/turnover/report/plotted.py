"""What a chart plots, as data: every trace is drawn from a frame that also becomes its CSV.

``Plotted.add`` takes a frame with ``x`` and ``y`` (and the columns of ``CSV_COLUMNS`` that
apply), draws the trace from exactly those values and keeps the frame, so the chart's
"download data (CSV)" link holds what is on the screen, with the source of every value.
A trace carries ``meta={"csv": series}`` so a browser test can match it with its CSV rows.
"""

from __future__ import annotations

import urllib.parse

import pandas as pd
import plotly.graph_objects as go

CSV_COLUMNS = ["series", "reporter", "x", "y", "unit", "period", "qualifier", "source_kind", "source"]


def _values(col: pd.Series) -> list:
    """Plain lists (never typed arrays), numbers as floats, labels and dates as strings."""
    if pd.api.types.is_numeric_dtype(col):
        return [None if pd.isna(v) else float(v) for v in col]
    return [str(v) for v in col]


class Plotted:
    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []

    def add(self, fig: go.Figure, trace, frame: pd.DataFrame, series: str, unit: str,
            row: int | None = None, col: int | None = None) -> None:
        """Draw ``trace`` with ``frame``'s x and y and keep the frame for the CSV."""
        f = frame.reset_index(drop=True).assign(series=series, unit=unit)
        trace.update(x=_values(f["x"]), y=_values(f["y"]), meta={"csv": series})
        if row is None:
            fig.add_trace(trace)
        else:
            fig.add_trace(trace, row=row, col=col)
        self.frames.append(f)

    @property
    def empty(self) -> bool:
        return not any(len(f) for f in self.frames)

    def table(self) -> pd.DataFrame:
        """One row per plotted value: series, reporter, x, y, unit, period, qualifier, source."""
        if self.empty:
            return pd.DataFrame(columns=CSV_COLUMNS)
        df = pd.concat([f for f in self.frames if len(f)], ignore_index=True).reindex(columns=CSV_COLUMNS)
        return df


def csv_text(table: pd.DataFrame) -> str:
    return table.to_csv(index=False, lineterminator="\n")


def data_uri(table: pd.DataFrame) -> str:
    """The CSV as a ``data:`` URI (percent-encoded UTF-8: works offline, no script needed)."""
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(csv_text(table), safe=",;:/.-_")


def from_uri(uri: str) -> str:
    """The CSV text of a ``data_uri`` (for tests)."""
    head, _, body = uri.partition(",")
    assert head.startswith("data:text/csv"), head
    return urllib.parse.unquote(body)
