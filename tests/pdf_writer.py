"""A small PDF writer for the tests: pages of positioned text, written as PDF bytes by hand.

Real PDFs are made by pdfLaTeX, nbconvert (through LaTeX) or a browser's "print"; what the grader reads
from them is their text layer: runs of glyphs at positions, each font with a map from its codes to Unicode
(a ToUnicode CMap). This writer produces exactly that, with no dependency:

- every font is a Type0 (CID) font with Identity-H encoding and a ToUnicode CMap, so any Unicode text
  (𝑋3, Σ−1, ⎡ ⎢ ⎣) can be put on a page; the font program itself is not embedded (the text layer is
  what is tested; a viewer draws the glyphs with a substitute font);
- a font can be made without a ToUnicode map (``Font(..., unicode=False)``): its codes then mean nothing,
  as the glyphs of a browser-printed web font often do;
- a page can carry an image covering it (``Page(scan=True)``), as a scanned page does;
- content streams are Flate-compressed unless ``compress=False``.

``Text(x, y, text, font, size)`` puts one run at (x, y) in points from the bottom-left corner of a
612 × 792 page; glyphs are 0.5 em wide (the font's /DW), which is what extractors use to place runs.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Font:
    name: str  # the resource name used in content streams, e.g. "F1"
    base: str = "LMRoman10-Regular"  # the PDF BaseFont
    unicode: bool = True  # False: no ToUnicode map, the text layer cannot be decoded


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    font: str = "F1"
    size: float = 10.0


@dataclass
class Page:
    items: list[Text] = field(default_factory=list)
    scan: bool = False  # an image covering the page, as a scanner or a phone camera makes

    def add(self, x: float, y: float, text: str, font: str = "F1", size: float = 10.0) -> "Page":
        self.items.append(Text(x, y, text, font, size))
        return self


DEFAULT_FONTS = (Font("F1"), Font("F2", "LMMono10-Regular"), Font("F3", "LMRoman10-Bold"))


def _hex_utf16(char: str) -> str:
    return char.encode("utf-16-be").hex().upper()


def _cmap(codes: dict[str, int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    items = sorted(codes.items(), key=lambda kv: kv[1])
    for start in range(0, len(items), 100):
        chunk = items[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code:04X}> <{_hex_utf16(char)}>" for char, code in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


class _Objects:
    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def reserve(self) -> int:
        self.bodies.append(b"")
        return len(self.bodies)

    def set(self, number: int, body: bytes) -> None:
        self.bodies[number - 1] = body

    def add(self, body: bytes) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def stream(self, data: bytes, compress: bool, extra: str = "") -> int:
        if compress:
            data = zlib.compress(data)
            extra += " /Filter /FlateDecode"
        head = f"<< /Length {len(data)}{extra} >>\nstream\n".encode("ascii")
        return self.add(head + data + b"\nendstream")


def serialize(bodies: list[bytes], root: int, trailer_extra: str = "") -> bytes:
    """PDF bytes for numbered object bodies (object i is bodies[i-1]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    out += (f"trailer\n<< /Size {len(bodies) + 1} /Root {root} 0 R{trailer_extra} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode("ascii")
    return bytes(out)


def make_pdf(pages: list[Page], fonts: tuple[Font, ...] = DEFAULT_FONTS, compress: bool = True) -> bytes:
    """The PDF bytes of ``pages`` (see the module docstring)."""
    codes: dict[str, int] = {}
    for page in pages:
        for item in page.items:
            for char in item.text:
                codes.setdefault(char, len(codes) + 1)
    objects = _Objects()
    catalog, tree = objects.reserve(), objects.reserve()
    font_refs = {}
    cmap = objects.stream(_cmap(codes), compress) if codes else None
    for font in fonts:
        descendant = objects.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font.base} /CIDToGIDMap /Identity "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>".encode("ascii"))
        to_unicode = f" /ToUnicode {cmap} 0 R" if cmap and font.unicode else ""
        font_refs[font.name] = objects.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{font.base} /Encoding /Identity-H "
            f"/DescendantFonts [{descendant} 0 R]{to_unicode} >>".encode("ascii"))
    image = None
    if any(p.scan for p in pages):
        pixels = bytes(range(0, 256, 4)) * 64  # a 64 × 64 grey ramp
        image = objects.stream(pixels, compress, " /Type /XObject /Subtype /Image /Width 64 /Height 64 "
                                                 "/ColorSpace /DeviceGray /BitsPerComponent 8")
    fonts_dict = " ".join(f"/{name} {ref} 0 R" for name, ref in font_refs.items())
    kids = []
    for page in pages:
        ops = []
        if page.scan:
            ops.append("q 612 0 0 792 0 0 cm /Im1 Do Q")
        for item in page.items:
            glyphs = "".join(f"{codes[c]:04X}" for c in item.text)
            ops.append(f"BT /{item.font} {item.size:g} Tf 1 0 0 1 {item.x:g} {item.y:g} Tm <{glyphs}> Tj ET")
        content = objects.stream("\n".join(ops).encode("ascii"), compress)
        xobject = f" /XObject << /Im1 {image} 0 R >>" if page.scan else ""
        kids.append(objects.add(
            f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
            f"/Resources << /Font << {fonts_dict} >>{xobject} >> >>".encode("ascii")))
    objects.set(tree, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
                .encode("ascii"))
    objects.set(catalog, f"<< /Type /Catalog /Pages {tree} 0 R >>".encode("ascii"))
    return serialize(objects.bodies, catalog)


# --- laying out text like the three kinds of PDF students upload ----------------------------------------------


class Layout:
    """Puts lines on pages top to bottom, starting a new page when one is full."""

    def __init__(self, left: float = 72, top: float = 720, bottom: float = 72, leading: float = 14) -> None:
        self.left, self.top, self.bottom, self.leading = left, top, bottom, leading
        self.pages: list[Page] = [Page()]
        self.y = top

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def room(self, height: float) -> None:
        if self.y - height < self.bottom:
            self.new_page()

    def new_page(self, scan: bool = False) -> None:
        self.pages.append(Page(scan=scan))
        self.y = self.top

    def line(self, text: str, font: str = "F1", size: float = 10.0, indent: float = 0.0) -> None:
        self.room(self.leading)
        if text:
            self.page.add(self.left + indent, self.y, text, font, size)
        self.y -= self.leading

    def gap(self, height: float = 8.0) -> None:
        self.y -= height

    def heading(self, text: str, size: float = 14.0) -> None:
        self.gap(6)
        self.room(size + 8)
        self.page.add(self.left, self.y, text, "F3", size)
        self.y -= size + 8

    def matrix(self, lead: str, rows: list[list[str]], brackets: bool = True, col: float = 40.0) -> None:
        """``lead`` (say "Cov(Y) =") then a matrix as pdfLaTeX sets it: entries in columns, one baseline
        per row, the bracket built from pieces (⎡ ⎢ ⎣ and ⎤ ⎥ ⎦) and the lead on the matrix's axis."""
        height = self.leading * len(rows)
        self.room(height + 4)
        x0 = self.left + 6 * len(lead) + 8
        top = self.y
        mid = top - (len(rows) - 1) * self.leading / 2
        self.page.add(self.left, mid, lead)
        right = x0 + 10 + col * len(rows[0])
        for r, row in enumerate(rows):
            y = top - r * self.leading
            if brackets:
                first, last = r == 0, r == len(rows) - 1
                self.page.add(x0, y, "⎡" if first else "⎣" if last else "⎢")
                self.page.add(right, y, "⎤" if first else "⎦" if last else "⎥")
            for c, entry in enumerate(row):
                self.page.add(x0 + 10 + c * col, y, entry)
        self.y = top - height - 4


# --- a small typesetter: the Markdown-with-LaTeX of the fixtures, set the way a PDF shows it -------------------

GREEK = {"Sigma": "Σ", "mu": "µ", "gamma": "γ", "sigma": "σ", "lambda": "λ", "alpha": "α", "pi": "π", "theta": "θ",
         "perp": "⊥", "mid": "|", "approx": "≈", "cdot": "·", "neq": "≠", "top": "⊤", "{": "{", "}": "}", "pm": "±",
         "in": "∈", "to": "→", "leq": "≤", "geq": "≥", ",": " ", ";": " ", "quad": "  ", "infty": "∞", "ne": "≠"}


def _italic(c: str) -> str:
    if "A" <= c <= "Z":
        return chr(0x1D434 + ord(c) - ord("A"))
    if "a" <= c <= "z":
        return "ℎ" if c == "h" else chr(0x1D44E + ord(c) - ord("a"))
    return c


def _group(s: str, i: int) -> tuple[str, int]:
    """The brace group or single token at s[i]: (its text, the index after it)."""
    if i < len(s) and s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1 : j], j + 1
    if i < len(s) and s[i] == "\\":
        j = i + 1
        while j < len(s) and s[j].isalpha():
            j += 1
        return s[i : max(j, i + 2)], max(j, i + 2)
    return s[i : i + 1], i + 1


def math_runs(tex: str, style: str, dy: float = 0.0, scale: float = 1.0) -> list[tuple[str, float, float]]:
    """LaTeX math → (glyphs, baseline shift, size factor) pieces, as pdfLaTeX sets them: letters in mathematical
    italic, '-' as '−', scripts smaller and shifted, \\frac as a small numerator above a small denominator."""
    out: list[tuple[str, float, float]] = []
    i = 0
    while i < len(tex):
        c = tex[i]
        if c in "_^":
            body, i = _group(tex, i + 1)
            out += math_runs(body, style, dy + (-2.5 if c == "_" else 3.5) * scale, scale * 0.7)
            continue
        if c == "\\":
            name, i = _group(tex, i)
            word = name[1:]
            if word in ("mathrm", "text", "operatorname", "mathbf"):
                body, i = _group(tex, i)
                out.append((body, dy, scale))
            elif word in ("frac", "dfrac"):
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(("\x00frac", dy, scale))  # numerator and denominator start at the same x
                out += math_runs(top, style, dy + 4 * scale, scale * 0.7)
                out.append(("\x00over", dy, scale))
                out += math_runs(bottom, style, dy - 3 * scale, scale * 0.7)
                out.append(("\x00end", dy, scale))
            elif word in ("left", "right", "big", "Big", "displaystyle"):
                continue
            else:
                out.append((GREEK.get(word, word), dy, scale))
            continue
        if c in "{}":
            i += 1
            continue
        glyph = _italic(c) if c.isalpha() else "−" if c == "-" else c
        out.append((glyph, dy, scale))
        i += 1
    return out


_MATRIX = re.compile(r"\\begin\{[bp]matrix\}(.*?)\\end\{[bp]matrix\}", re.S)


class Typesetter(Layout):
    """Sets Markdown with $…$ math as one of three kinds of PDF:

    - "latex": pdfLaTeX's look: headings in a larger bold font, math glyphs as Unicode (𝑋, Σ, −) with lowered and
      raised scripts, matrices built of bracket pieces;
    - "nbconvert": a notebook through nbconvert's LaTeX: the same, but headings numbered ("1 Problem 1",
      "1.0.1 (a)"), code in a monospace font with its output under it;
    - "browser": a page printed from a browser with the math drawn by a web font whose glyphs have no text form.
    """

    def __init__(self, style: str) -> None:
        super().__init__()
        self.style = style
        self.numbers = [0, 0, 0]

    def runs(self, text: str) -> list[tuple[str, float, float, str]]:
        """(glyphs, shift, size factor, font) pieces of a line of Markdown text."""
        out = []
        bold = False
        for k, part in enumerate(re.split(r"(\$[^$]+\$)", text)):
            if k % 2:
                if self.style == "browser":
                    out.append(("".join(g for g, _, _ in math_runs(part[1:-1], "latex")) or "x", 0.0, 1.0, "F4"))
                else:
                    out += [(g, dy, s, "F1") for g, dy, s in math_runs(part[1:-1], self.style)]
                continue
            for j, piece in enumerate(part.split("**")):
                if j:
                    bold = not bold
                if piece:
                    out.append((piece, 0.0, 1.0, "F3" if bold else "F1"))
        return out

    def put(self, text: str, size: float = 10.0, font: str | None = None) -> None:
        self.room(self.leading)
        x = self.left
        frac_x = frac_end = 0.0
        for glyphs, dy, factor, run_font in self.runs(text):
            if glyphs.startswith("\x00"):  # a fraction: stack the denominator under the numerator
                if glyphs == "\x00frac":
                    frac_x = x
                elif glyphs == "\x00over":
                    frac_end, x = x, frac_x
                else:
                    x = max(x, frac_end)
                continue
            self.page.add(x, self.y + dy, glyphs, font or run_font, size * factor)
            x += 0.5 * size * factor * len(glyphs)
        self.y -= self.leading

    def paragraph(self, text: str) -> None:
        words, line = text.split(" "), ""
        for word in words:  # wrap at about 90 characters, never inside $…$
            if line and len(line) + len(word) > 90 and line.count("$") % 2 == 0:
                self.put(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        if line:
            self.put(line)
        self.gap(6)

    def display(self, tex: str, lead: str = "") -> None:
        m = _MATRIX.search(tex)
        if not m:
            self.put(lead + "$" + tex + "$")
            return
        before = lead + tex[: m.start()]
        rows = [[c.strip() for c in r.split("&")] for r in m.group(1).split("\\\\") if r.strip()]
        rows = [["".join(g for g, _, _ in math_runs(c, "latex")) for c in row] for row in rows]
        if self.style == "browser":
            self.put("$" + tex + "$")
            return
        lead_text = "".join(g for g, _, _ in math_runs(before, "latex")).strip()
        self.matrix(lead_text, rows)
        rest = tex[m.end():].strip()
        if rest:
            self.put("$" + rest + "$")

    def title(self, level: int, text: str) -> None:
        if self.style == "nbconvert":
            self.numbers[level - 1] += 1
            for k in range(level, 3):
                self.numbers[k] = 0
            number = ".".join(str(n) for n in self.numbers[:level])
            text = f"{number} {text}"
        self.heading(text.replace("$", ""), {1: 16.0, 2: 13.0}.get(level, 11.0))

    def code(self, lines: list[str]) -> None:
        for line in lines:
            self.line(line, "F2")
        self.gap(6)


def typeset(markdown: str, style: str, new_page_at: tuple[str, ...] = ()) -> list[Page]:
    """The pages of ``markdown`` set as a ``style`` PDF (see Typesetter); a heading listed in ``new_page_at``
    starts a new page."""
    t = Typesetter(style)
    lines = markdown.split("\n")
    i, para = 0, []

    def flush() -> None:
        if para:
            text = " ".join(para)
            m = re.search(r"\$\$(.*?)\$\$", text)
            if m:
                if text[: m.start()].strip():
                    t.paragraph(text[: m.start()].strip())
                t.display(m.group(1).strip())
                if text[m.end():].strip():
                    t.paragraph(text[m.end():].strip())
            elif "\\begin{bmatrix}" in text:
                head, _, tail = text.partition("$")
                math, _, after = tail.partition("$")
                t.display(math, head)
                if after.strip(" ,."):
                    t.paragraph(after.strip())
            else:
                t.paragraph(text)
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            t.code(lines[i + 1 : j])
            i = j + 1
            continue
        if line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            title = line[level:].strip()
            if title in new_page_at:
                t.new_page(scan=title.startswith("scan:"))
            t.title(min(level, 3), title)
        elif not line.strip():
            flush()
        else:
            para.append(line.strip())
        i += 1
    flush()
    return t.pages


BROWSER_FONTS = DEFAULT_FONTS + (Font("F4", "MJXc-TeX-math-I", unicode=False),)


def typeset_pdf(markdown: str, style: str, **kwargs) -> bytes:
    return make_pdf(typeset(markdown, style, **kwargs), BROWSER_FONTS if style == "browser" else DEFAULT_FONTS)
