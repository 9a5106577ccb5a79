"""Inline SVG charts for the class summary: drawn at render time, no script, no library.

Each chart is an ``<svg>`` element with a ``viewBox`` (it scales with the page), a ``<title>`` for
screen readers, a ``<title>`` per bar (the exact figure on hover) and its numbers printed as text,
so it still reads when printed in black and white. Labels are escaped here: they can hold question
titles and misconception ids, and this is the only place that writes markup by hand.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from grader.render import feedback

FONT = 'font-family="system-ui, sans-serif"'
BAR = "#0969da"
MUTED = "#59636e"


def histogram(bins: list[tuple[str, int]], title: str, width: int = 520, height: int = 210,
              color: str = BAR) -> Markup:
    """Vertical bars, one per bin: its count above it, its label below."""
    top, bottom, side = 22, 34, 8
    n = max(len(bins), 1)
    slot = (width - 2 * side) / n
    tallest = max((c for _, c in bins), default=0) or 1
    room = height - top - bottom
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg" {FONT}><title>{escape(title)}</title>',
             f'<line x1="{side}" y1="{top + room}" x2="{width - side}" y2="{top + room}" stroke="#d0d7de"/>']
    font = 11 if slot >= 34 else 9
    for k, (label, count) in enumerate(bins):
        h = room * count / tallest
        x = side + k * slot + slot * 0.12
        w = slot * 0.76
        y = top + room - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="2" fill="{color}">'
                     f'<title>{escape(label)}: {count}</title></rect>')
        cx = x + w / 2
        parts.append(f'<text x="{cx:.1f}" y="{y - 5:.1f}" font-size="11" text-anchor="middle" fill="#1f2328">'
                     f'{count}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{top + room + 16:.1f}" font-size="{font}" text-anchor="middle" '
                     f'fill="{MUTED}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(rows: list[tuple[str, float, str]], title: str, max_value: float, width: int = 720,
          label_width: int = 320, color: str = BAR) -> Markup:
    """Horizontal bars: (label, value, text printed after the bar), one row each."""
    row_h, pad = 24, 6
    height = max(len(rows), 1) * row_h + 2 * pad
    room = width - label_width - 90
    scale = room / max_value if max_value > 0 else 0
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg" {FONT}><title>{escape(title)}</title>']
    for k, (label, value, shown) in enumerate(rows):
        y = pad + k * row_h
        w = max(value * scale, 1.5 if value > 0 else 0)
        short = label if len(label) <= 44 else label[:43] + "…"  # ~7 px a character at 12 px
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" font-size="12" text-anchor="end" fill="#1f2328">'
                     f'<title>{escape(label)}</title>{escape(short)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="2" '
                     f'fill="{color}"><title>{escape(label)}: {escape(shown)}</title></rect>')
        parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 16}" font-size="12" fill="{MUTED}">'
                     f'{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def score_bins(scores: list[float], maximum: float, n: int = 10) -> list[tuple[str, int]]:
    """``n`` equal bins over [0, maximum]; the last one includes the maximum."""
    if maximum <= 0:
        return [("0", len(scores))]
    step = maximum / n
    counts = [0] * n
    for s in scores:
        counts[min(int(max(s, 0) / step), n - 1)] += 1
    return [(f"{feedback.points(k * step)}–{feedback.points((k + 1) * step)}", c) for k, c in enumerate(counts)]


def question_bins(scores: list[float], points: float) -> list[tuple[str, int]]:
    """Zero and full marks apart (what staff look for first), the partial credit in quarters between."""
    if points <= 0:
        return [("0", len(scores))]
    edges = [0.25, 0.5, 0.75, 1.0]
    shown = feedback.points
    labels = ["0"] + [f"≤{shown(e * points)}" for e in edges[:-1]] + [f"<{shown(points)}", shown(points)]
    counts = [0] * len(labels)
    for s in scores:
        share = s / points
        if share <= 1e-9:
            k = 0
        elif share >= 1 - 1e-9:
            k = len(labels) - 1
        else:
            k = 1 + next(i for i, e in enumerate(edges) if share <= e + 1e-9)
        counts[k] += 1
    return list(zip(labels, counts))
