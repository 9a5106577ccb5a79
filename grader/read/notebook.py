"""Jupyter notebooks → blocks.  Nothing in a notebook is ever executed.

- The JSON is parsed here first (json module), so that a cut-off file, a top-level ``[]``/``null`` or
  a file that is not JSON gets its own message.  A format-4 notebook's cells are then read from that
  JSON directly: the grader needs only cell types, sources, tags and text outputs, and importing
  nbformat (its validator pulls in jsonschema) and validating would cost more than the rest of a
  cold grade.  Older formats go through ``nbformat.reads(..., as_version=4)``, which converts
  them (3 → 4) and normalises the cells.  When nbformat fails (a format version it does not
  know, a source list holding a number, metadata nested so deep that its validator recurses too far)
  the cells are taken from the parsed JSON directly, v3 "worksheets" included: grading what can be
  read beats refusing the file.  Very large notebooks (more than NBFORMAT_MAX_CELLS cells) are read
  directly too: nbformat's validation costs seconds there and adds nothing the grader uses.
- nbformat's validation warnings and log messages are silenced; what matters is reported in
  Document.notes instead.
- Markdown cell N → blocks_from_markdown(source, origin_prefix="cell N"): every block of the cell has
  origin "cell N".  Raw cells → one PROSE block; v3 heading cells → HEADING.
- Code cell N → one CODE block (origin "cell N") followed by its outputs (origin "cell N output"):
  consecutive stdout stream text as one OUTPUT block; for execute_result / display_data the first of
  text/markdown, text/latex, text/plain that is present (markdown and LaTeX say what the student
  meant to show; the plain form of a Markdown object is "<IPython...Markdown object>" and that of a
  sympy result is ASCII art).  stderr, errors and images are skipped.  Each output text is cut at
  MAX_OUTPUT_CHARS characters.
- Past MAX_BLOCKS blocks (grader.read.markdown), the sources of the remaining cells are kept as
  one PROSE block and their outputs skipped, with a note, as the text readers do.
- Template cell metadata (grader.read.template_cells): "question:1a" / "answer:1a" tags put "1a" into
  Block.tags of every block of that cell, "statement:1a" also sets Block.role to "statement", and an
  unchanged placeholder line is dropped.  nbgrader metadata and cell ids are ignored (nbformat
  renames duplicate ids at random, so nothing may depend on them).
"""

from __future__ import annotations

import dataclasses
import json

from grader.model import Block, BlockKind, Document
from grader.read import UnreadableSubmission, decode_bytes, sniff_binary
from grader.read.markdown import MAX_BLOCKS, blocks_from_markdown
from grader.read.template_cells import question_tags, without_placeholder
from grader.textnorm import normalize

MAX_OUTPUT_CHARS = 100_000
NBFORMAT_MAX_CELLS = 10_000
OUTPUT_MIME_PREFERENCE = ("text/markdown", "text/latex", "text/plain")
_RESULT_TYPES = ("execute_result", "display_data", "update_display_data", "pyout")


def read_notebook(data: bytes | str, name: str) -> Document:
    """Read a notebook (any nbformat version nbformat can convert) into a Document."""
    notes = _Notes()
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data)
        if not data:
            raise UnreadableSubmission("the file is empty")
        kind = sniff_binary(data)
        if kind:
            raise UnreadableSubmission(f"{name!r} is not a notebook: it looks like {kind}")
        text, decode_notes = decode_bytes(data)
        for note in decode_notes:
            notes.general(note)
    else:
        text = data
    text = text.lstrip("\ufeff")  # nbformat refuses a byte-order mark
    obj = _load_json(text, name)
    if not isinstance(obj, dict):
        raise UnreadableSubmission(
            f"{name!r} is not a notebook: its JSON is {_json_kind(obj)}, not an object"
        )
    cells = _cells_via_nbformat(text, obj, notes)
    if cells is None:
        cells = _raw_cells(obj, name)
    if not cells:
        notes.general("the notebook has no cells")
    blocks: list[Block] = []
    for number, cell in enumerate(cells, 1):
        if len(blocks) >= MAX_BLOCKS:
            blocks.extend(_rest_as_one_block(cells[number - 1 :], number))
            notes.general(f"the notebook has more than {MAX_BLOCKS:,} parts; the text of cells {number} "
                          "to the end was kept as one block and their outputs were skipped")
            break
        blocks.extend(_cell_blocks(cell, number, notes))
    return Document(name=name, format="notebook", blocks=tuple(blocks), notes=notes.render())


class _Notes:
    """Notes in order of first appearance; per-cell ones are grouped so that 200 000 bad cells make
    one line, not 200 000."""

    def __init__(self) -> None:
        self.items: dict[str, list[int]] = {}

    def general(self, text: str) -> None:
        self.items.setdefault(text, [])

    def cell(self, text: str, number: int) -> None:
        self.items.setdefault(text, []).append(number)

    def render(self) -> tuple[str, ...]:
        out = []
        for text, cells in self.items.items():
            if not cells:
                out.append(text)
                continue
            shown = ", ".join(str(c) for c in cells[:5])
            more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
            out.append(f"{text} ({'cell' if len(cells) == 1 else 'cells'} {shown}{more})")
        return tuple(out)


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string"


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8", errors="surrogatepass"))


def _load_json(text: str, name: str) -> object:
    end = len(text.rstrip())
    if not end:
        raise UnreadableSubmission(f"{name!r} is not a notebook: it holds only blank space")
    try:
        return json.loads(text)
    except RecursionError:
        raise UnreadableSubmission(f"{name!r} cannot be read: its JSON is nested too deeply") from None
    except json.JSONDecodeError as exc:
        if exc.pos >= end:
            raise UnreadableSubmission(
                f"{name!r} is cut off: the notebook ends in the middle of its JSON at byte "
                f"{_byte_offset(text, exc.pos)}"
            ) from None
        if exc.msg.startswith("Unterminated string"):
            raise UnreadableSubmission(
                f"{name!r} is cut off: the notebook ends in the middle of its JSON at byte "
                f"{_byte_offset(text, end)} (inside a string that starts at byte "
                f"{_byte_offset(text, exc.pos)})"
            ) from None
        if exc.pos == len(text) - len(text.lstrip()):
            snippet = text.strip()[:40]
            raise UnreadableSubmission(
                f"{name!r} is not a notebook: it is not JSON (it begins {snippet!r})"
            ) from None
        raise UnreadableSubmission(
            f"{name!r} is not a notebook the grader can read: its JSON is broken at line {exc.lineno}, "
            f"column {exc.colno} ({exc.msg})"
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise UnreadableSubmission(
            f"{name!r} is not a notebook the grader can read: {str(exc)[:200]}"
        ) from None


def _sheet_cells(obj: dict) -> list | None:
    """The cells of a notebook dict: "cells" (v4) or every worksheet's cells (v3)."""
    cells = obj.get("cells")
    if isinstance(cells, list):
        return cells
    sheets = obj.get("worksheets")
    if isinstance(sheets, list):
        return [
            cell
            for sheet in sheets
            if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list)
            for cell in sheet["cells"]
        ]
    return None


def _version_note(version: object) -> str:
    tail = "its cells were read as they are"
    if version is None:
        return f"the notebook does not say which format version it uses; {tail}"
    if isinstance(version, str):
        return f"the notebook gives its format version as the text {version[:20]!r}; {tail}"
    if isinstance(version, int) and not isinstance(version, bool):
        return f"the notebook says it is format version {version}, which the grader does not know; {tail}"
    return f"the notebook's format version is not a number; {tail}"


def _quiet_nbformat():
    """nbformat's warnings (missing or duplicate cell ids) and its validation log line, silenced."""
    from traitlets.log import get_logger

    from grader.read.quiet import quiet

    logger = get_logger()
    return quiet(getattr(logger, "logger", logger))  # the logger inside a LoggerAdapter


def _cells_via_nbformat(text: str, obj: dict, notes: _Notes) -> list | None:
    version = obj.get("nbformat")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 4:
        notes.general(_version_note(version))
        return None
    if version == 4 or len(_sheet_cells(obj) or ()) > NBFORMAT_MAX_CELLS:
        return None  # read directly (see the module's docstring)
    import nbformat  # only older notebooks pay for importing it

    try:
        with _quiet_nbformat():
            nb = nbformat.reads(text, as_version=4, capture_validation_error={})
    except RecursionError:
        notes.general(
            "the notebook's metadata is nested too deeply for the notebook library; "
            "its cells were read directly"
        )
        return None
    except Exception as exc:  # nbformat raises many kinds of error on malformed notebooks
        notes.general(
            f"the notebook library could not read this notebook ({type(exc).__name__}); "
            "its cells were read directly"
        )
        return None
    cells = nb.get("cells")
    return cells if isinstance(cells, list) else None


def _raw_cells(obj: dict, name: str) -> list:
    cells = _sheet_cells(obj)
    if cells is None:
        raise UnreadableSubmission(f"{name!r} is not a notebook: it has no list of cells")
    return cells


def _source(value: object, number: int, notes: _Notes) -> str | None:
    """A cell source as text; numbers are turned into text, anything else skipped, with a note."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        notes.cell("a cell source that was a number was read as text", number)
        return str(value)
    if isinstance(value, list):
        parts = []
        odd = False
        for item in value:
            if isinstance(item, str):
                parts.append(item)
            else:
                odd = True
                if isinstance(item, (int, float)) and not isinstance(item, bool):
                    parts.append(str(item))
        if odd:
            notes.cell("a cell source holding items that are not text was read as far as it could be",
                       number)
        return "".join(parts)
    notes.cell("cells whose source is not text were skipped", number)
    return None


def _cell_blocks(cell: object, number: int, notes: _Notes) -> list[Block]:
    if not isinstance(cell, dict):
        notes.cell("cells that are not JSON objects were skipped", number)
        return []
    origin = f"cell {number}"
    kind = cell.get("cell_type")
    blocks: list[Block] = []
    metadata = cell.get("metadata")
    if kind == "code":
        # v3 notebooks read without nbformat keep a code cell's source under "input".
        source = _source(cell["source"] if "source" in cell else cell.get("input"), number, notes)
        source = without_placeholder(source, metadata) if source else source
        if source and source.strip():
            blocks.append(Block(BlockKind.CODE, normalize(source.strip("\n")), origin))
        blocks.extend(_output_blocks(cell.get("outputs"), number, notes))
    elif kind in ("markdown", "raw", "heading"):
        source = _source(cell.get("source"), number, notes)
        source = without_placeholder(source, metadata) if source else source
        if source is None or not source.strip():
            return []
        if kind == "markdown":
            blocks = blocks_from_markdown(source, origin_prefix=origin)
        elif kind == "raw":
            blocks = [Block(BlockKind.PROSE, normalize(source).strip(), origin)]
        else:
            level = cell.get("level")
            level = level if isinstance(level, int) and 1 <= level <= 6 else 1
            blocks = [Block(BlockKind.HEADING, normalize(source).strip(), origin, level=level)]
    else:
        notes.cell("cells of an unknown type were skipped", number)
        return []
    tags, role = question_tags(metadata)
    if tags:
        blocks = [dataclasses.replace(b, tags=tags, role=role) for b in blocks]
    return blocks


def _rest_as_one_block(cells: list, first: int) -> list[Block]:
    """Past MAX_BLOCKS: the sources of the remaining cells as one prose block, like the text readers
    do, so that a notebook of 200 000 cells stays quick to read and to segment."""
    ignored = _Notes()
    sources = []
    for number, cell in enumerate(cells, first):
        if isinstance(cell, dict):
            value = cell["source"] if "source" in cell else cell.get("input")
            sources.append(_source(value, number, ignored) or "")
    text = normalize("\n\n".join(s for s in sources if s.strip())).strip()
    return [Block(BlockKind.PROSE, text, f"cell {first}")] if text else []


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(item for item in value if isinstance(item, str))
    return ""


def _result_text(output: dict) -> str:
    data = output.get("data")
    if not isinstance(data, dict):  # v3 keeps the representations beside output_type
        data = {"text/markdown": output.get("markdown"), "text/latex": output.get("latex"),
                "text/plain": output.get("text")}
    for mime in OUTPUT_MIME_PREFERENCE:
        text = _text(data.get(mime))
        if text.strip():
            return text
    return ""


def _output_blocks(outputs: object, number: int, notes: _Notes) -> list[Block]:
    if not isinstance(outputs, list):
        return []
    origin = f"cell {number} output"
    blocks: list[Block] = []
    stream: list[str] = []

    def emit(text: str) -> None:
        if len(text) > MAX_OUTPUT_CHARS:
            text = text[:MAX_OUTPUT_CHARS]
            notes.cell(f"outputs longer than {MAX_OUTPUT_CHARS:,} characters were cut", number)
        text = normalize(text).strip("\n")
        if text.strip():
            blocks.append(Block(BlockKind.OUTPUT, text, origin))

    for output in outputs:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            if output.get("name", output.get("stream")) != "stderr":  # warnings, not answers
                stream.append(_text(output.get("text")))
            continue
        if stream:
            emit("".join(stream))
            stream = []
        if kind in _RESULT_TYPES:
            emit(_result_text(output))
    if stream:
        emit("".join(stream))
    return blocks
