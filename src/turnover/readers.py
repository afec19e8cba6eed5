"""Every input file is read here: size, kind, encoding and parse problems become one-line errors.

``read_bytes`` refuses anything that is not a regular file (a folder, ``/dev/zero``, a FIFO)
and anything over ``max_bytes`` (with ``follow=False``, for state files, a symbolic link too);
``sha256_file`` hashes a file under the same checks in bounded memory; ``read_text`` adds
strict UTF-8; ``read_yaml`` adds a safe loader with node and alias limits (a "billion laughs"
file, or one of millions of plain nodes, is refused before it is built) and turns
every constructor failure (``2017-11-31`` is a ``ValueError`` in PyYAML) into the error type
the caller names; ``read_csv`` gives every cell as a string, or the error.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path

import pandas as pd
import yaml

from .errors import ConfigError, DataValidationError, TurnoverError

MAX_BYTES = 20_000_000          # no claims, article or bundled table comes near this
MAX_ALIASES = 100               # aliases in one YAML document
MAX_NODES = 100_000             # nodes in one YAML document, once every alias is expanded
MAX_STATE_BYTES = 256_000_000   # a file this program wrote and reads back (run record, published outputs)


def _where(path: Path, what: str) -> str:
    return f"{path}: {what}" if what else str(path)


def _open(path: Path, where: str, error: type[TurnoverError], max_bytes: int, follow: bool) -> tuple[int, int]:
    """A read-only descriptor of a regular file of at most ``max_bytes`` (checked on what is open)."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: a link is refused, not read
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{where} not found") from None
    except IsADirectoryError:
        raise error(f"{where} is not a regular file") from None
    except OSError as err:
        if not follow and err.errno == errno.ELOOP:
            raise error(f"{where} is a symbolic link (not followed)") from None
        raise error(f"{where} cannot be read ({err.strerror or type(err).__name__})") from None
    except ValueError:  # os.open refuses a path with a NUL byte before any file is touched
        raise error(f"{repr(str(where))[1:-1]} is not a valid path (NUL byte)") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{where} is not a regular file")
        if st.st_size > max_bytes:
            raise error(f"{where} is {st.st_size:,} bytes (limit {max_bytes:,})")
    except BaseException:
        os.close(fd)
        raise
    return fd, st.st_size


def read_bytes(path: Path | str, what: str = "", error: type[TurnoverError] = ConfigError,
               max_bytes: int = MAX_BYTES, follow: bool = True) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or ``error`` in one line.

    ``follow=False`` (state files: run records, manifests, published outputs) refuses a
    symbolic link as the last part of the path instead of reading what it points to."""
    path = Path(path)
    where = _where(path, what)
    fd, size = _open(path, where, error, max_bytes, follow)
    try:
        with open(fd, "rb", buffering=0) as fh:
            data = fh.read(size + 1)  # the size it has, not the limit: read(n) allocates n bytes
            if len(data) > size:  # grew since: the rest in pieces, never past the limit
                parts, total = [data], len(data)
                while total <= max_bytes and (piece := fh.read(min(1 << 20, max_bytes + 1 - total))):
                    parts.append(piece)
                    total += len(piece)
                data = b"".join(parts)
    except OSError as err:
        raise error(f"{where} cannot be read ({err.strerror or type(err).__name__})") from None
    if len(data) > max_bytes:  # grew while being read
        raise error(f"{where} is over {max_bytes:,} bytes")
    return data


def sha256_file(path: Path | str, what: str = "", error: type[TurnoverError] = ConfigError,
                max_bytes: int = MAX_BYTES, follow: bool = True) -> str:
    """Hex sha256 of a file, read like ``read_bytes`` (same checks) in 1 MB pieces: bounded memory."""
    path = Path(path)
    where = _where(path, what)
    fd, _size = _open(path, where, error, max_bytes, follow)
    h, seen = hashlib.sha256(), 0
    try:
        with open(fd, "rb", buffering=0) as fh:
            while piece := fh.read(1 << 20):
                seen += len(piece)
                if seen > max_bytes:
                    raise error(f"{where} is over {max_bytes:,} bytes")
                h.update(piece)
    except OSError as err:
        raise error(f"{where} cannot be read ({err.strerror or type(err).__name__})") from None
    return h.hexdigest()


def read_text(path: Path | str, what: str = "", error: type[TurnoverError] = ConfigError,
              max_bytes: int = MAX_BYTES, follow: bool = True) -> str:
    """``read_bytes`` decoded as strict UTF-8 (a BOM is dropped)."""
    data = read_bytes(path, what, error, max_bytes, follow)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise error(f"{_where(Path(path), what)} is not UTF-8 (byte {err.start}: "
                    f"{data[err.start:err.start + 1]!r})") from None


# libyaml's parser and composer when PyYAML was built with it (the wheels are): the config files
# load about ten times faster than with the pure-Python ones, which cost 0.2 s of every refresh
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LimitedLoader(_SafeLoader):
    """Safe loader that checks the composed document (aliases, expanded size) before building it.

    An alias is a second reference to a node already composed, so composing stays linear in the
    text; only building or walking the expanded objects would not."""

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None and _aliases(node):
            _expanded_size(node)
        return node


def _aliases(root: yaml.Node) -> int:
    """References to nodes already seen, i.e. the document's aliases (more than ``MAX_ALIASES`` fails)."""
    seen: set[int] = set()
    count, stack = 0, [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            count += 1
            if count > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases")
            continue
        seen.add(id(n))
        if isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            stack.extend(x for kv in n.value for x in kv)
    return count


def _expanded_size(node: yaml.Node) -> int:
    """Nodes the document would have with every alias expanded (memoised: linear in the graph)."""
    memo: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        if id(n) in memo:
            return memo[id(n)]
        memo[id(n)] = MAX_NODES + 1  # a cycle counts as too big
        if isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(c) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        else:
            total = 1
        memo[id(n)] = total = min(total, MAX_NODES + 1)
        if total > MAX_NODES:
            raise yaml.YAMLError(f"expands to more than {MAX_NODES:,} nodes (alias bomb?)")
        return total

    return size(node)


class _TooLarge(yaml.YAMLError):
    pass


def _count_nodes(text: str) -> None:
    """Walk the parser's events (no node is built) and stop at ``MAX_NODES``: a file of millions of
    plain nodes is refused in a fraction of a second, before composing it would take minutes."""
    n = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.NodeEvent):  # scalars, sequence and mapping starts, aliases
            n += 1
            if n > MAX_NODES:
                raise _TooLarge(f"more than {MAX_NODES:,} YAML nodes")


def load_yaml(text: str, where: str, error: type[TurnoverError] = ConfigError):
    """Parse YAML text safely; any parse or construction problem is ``error`` naming ``where``."""
    try:
        _count_nodes(text)
        return yaml.load(text, Loader=_LimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except _TooLarge as err:
        raise error(f"{where}: too large ({err})") from None
    except yaml.YAMLError as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise error(f"{where}: not valid YAML ({first})") from None
    except (ValueError, TypeError, OverflowError) as err:  # e.g. 2017-11-31 fails in the date constructor
        raise error(f"{where}: not valid YAML ({type(err).__name__}: {err})") from None
    except RecursionError:
        raise error(f"{where}: not valid YAML (nested too deeply)") from None


def read_yaml(path: Path | str, what: str = "", error: type[TurnoverError] = ConfigError,
              max_bytes: int = MAX_BYTES):
    """A YAML file through ``read_text`` and ``load_yaml``."""
    return load_yaml(read_text(path, what, error, max_bytes), _where(Path(path), what), error)


def read_csv(path: Path | str, what: str = "", error: type[TurnoverError] = ConfigError,
             max_bytes: int = MAX_BYTES) -> pd.DataFrame:
    """A CSV file with every cell a string ('' when empty); empty or malformed files are ``error``."""
    text = read_text(path, what, error, max_bytes)
    if not text.strip():
        raise error(f"{_where(Path(path), what)} is empty")
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise error(f"{_where(Path(path), what)} is not a valid CSV ({first})") from None


def require_columns(df: pd.DataFrame, columns, path: Path | str, error: type[TurnoverError] = ConfigError) -> None:
    """``error`` naming the file and every column of ``columns`` that ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise error(f"{path}: missing column(s) {', '.join(missing)}")


def validate_rows(df: pd.DataFrame, model, path: Path | str, id_column: str | None = None,
                  error: type[TurnoverError] = DataValidationError) -> list:
    """Each row of ``df`` through the pydantic ``model``; the first bad cell is ``error`` naming
    the file, line, row id and column (``official_figures.csv line 3 (row x), value_musd: ...``)."""
    from pydantic import ValidationError

    out = []
    for i, row in enumerate(df.to_dict(orient="records")):
        try:
            out.append(model.model_validate(row))
        except ValidationError as err:
            e = err.errors()[0]
            col = ".".join(str(p) for p in e["loc"]) or "(row)"
            rid = f" (row {row.get(id_column)})" if id_column and row.get(id_column) else ""
            value = f": {row[col]!r}" if col in row else ""
            msg = e["msg"].removeprefix("Value error, ")
            raise error(f"{path} line {i + 2}{rid}, column {col}{value}: {msg}") from None
    return out
