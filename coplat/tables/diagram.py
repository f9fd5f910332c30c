"""A problem tree (árbol de problemas) drawn on the server as a standalone SVG document:
effects above, the central problem in the middle, causes below, every arrow pointing up
(a cause produces the problem, the problem produces its effects).

Pure function, standard library only, deterministic: the same nodes give the same string,
so the page and the downloaded file are identical. Colours are presentation attributes
rather than CSS, so an inlined copy neither leaks styles into the page nor picks up the
page's, and a downloaded copy looks the same anywhere."""

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

__all__ = ["DiagramLabels", "DiagramNode", "draw_tree"]


@dataclass(frozen=True)
class DiagramNode:
    id: int
    parent_id: int | None  # None only for the central problem
    kind: str  # "problem" | "cause" | "effect"
    text: str  # already in the reader's language
    strategic: bool = False  # only causes are ever strategic
    position: int = 0  # order among siblings (ascending, then id)


@dataclass(frozen=True)
class DiagramLabels:
    title: str
    effects: str
    problem: str
    causes: str
    strategic: str
    description: str  # one sentence for <desc>


# Geometry, in px. Text width is estimated (the server cannot measure glyphs): ~7px per
# character at 13px is generous for Latin text, so lines rarely touch the box edge.
#
# The layout is the one facilitators draw on paper: the level-1 causes side by side in one
# row under the problem (and the level-1 effects in one row above it), and everything
# deeper stacked in a column under (or, for effects, above) its level-1 ancestor, indented
# by depth like an outline. A column is as wide as its widest indented box, so a tree is
# about (level-1 nodes on its busier side) x (column width) wide however deep it grows.
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
NODE_WIDTH = 180  # a level-1 box, and the narrowest a column gets
MIN_NODE_WIDTH = 150  # deeper boxes narrow by their indent down to this, then the column widens
PROBLEM_WIDTH = 280  # the central problem is wider so it reads as the trunk
PAD_X = 10
PAD_Y = 10
INDENT = 24  # per level below level 1
SPINE = 10  # from a box's left edge to the vertical line its children hang from
COLUMN_GAP = 20  # between neighbouring columns
STACK_GAP = 20  # between causes stacked in a column
EFFECT_STACK_GAP = 28  # between effects, roomier: their arrowheads sit in the gap
HOOK = 10  # an effect's connector turns this far above the box below it
V_GAP = 48  # between the level-1 rows and the problem, room for the elbow connectors
MARGIN = 24
LABEL_WIDTH = 120  # left column with the row labels
GUTTER = 24  # between the row labels and the tree
MIN_WIDTH = 480
ARROW_CLEARANCE = 2  # stop short of a box so its (thick) border does not hide the tip
TITLE_GAP = 20
LEGEND_GAP = 32

INK = "#1f2328"  # text on white and on the light fills (>= 12.8:1)
LINE_COLOUR = "#4b5563"  # connectors and row brackets (7.6:1 on white)
STRATEGIC_INK = "#7a2e00"  # the strategic marker line (7.6:1 on its fill)
STAR = "★"


@dataclass(frozen=True)
class _Font:
    size: int
    char_width: float
    line_height: int
    bold: bool = False


BODY = _Font(size=13, char_width=7.0, line_height=18)
BODY_BOLD = _Font(size=13, char_width=7.6, line_height=18, bold=True)
PROBLEM_FONT = _Font(size=15, char_width=8.6, line_height=21, bold=True)
TITLE_FONT = _Font(size=18, char_width=10.4, line_height=24, bold=True)


@dataclass(frozen=True)
class _Style:
    fill: str
    stroke: str
    stroke_width: float
    ink: str
    font: _Font
    rx: int = 6


# Every ink/fill pair meets WCAG AA (>= 4.5:1); strategic causes also differ by border
# width and a text marker, never by colour alone.
STYLES = {
    "problem": _Style("#7a1f1f", "#4a1010", 2, "#ffffff", PROBLEM_FONT, rx=8),  # 10.3:1
    "cause": _Style("#fff4e5", "#b08a5a", 1.5, INK, BODY),  # 14.5:1
    "strategic": _Style("#ffe3bd", "#b34700", 3, INK, BODY),  # 12.8:1
    "effect": _Style("#e8f1fb", "#6f93bd", 1.5, INK, BODY),  # 13.9:1
}

# Characters XML 1.0 forbids (control codes, lone surrogates): dropped, or the document
# would not parse.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# An id prefix is used as-is in id attributes, url(#...) references and the space-separated
# aria-labelledby list, so it must be a name with nothing to escape.
_ID_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


# ---------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class _Tree:
    problem: DiagramNode
    children: dict[int, list[DiagramNode]]  # ordered children of every reachable node


# Which parents each kind may hang from; anything else is ignored.
_PARENT_KINDS = {"cause": {"problem", "cause"}, "effect": {"problem", "effect"}}


def _order(node: DiagramNode) -> tuple[int, int]:
    return (node.position, node.id)


def _build_tree(nodes: Sequence[DiagramNode]) -> _Tree | None:
    """Keep only what hangs from the central problem, so orphans, cycles, wrong-kind
    parents and any second problem simply drop out."""
    by_id: dict[int, DiagramNode] = {}
    for node in nodes:
        by_id.setdefault(node.id, node)
    problems = sorted((n for n in by_id.values() if n.kind == "problem"), key=_order)
    if not problems:
        return None
    problem = problems[0]

    under: dict[int, list[DiagramNode]] = {}
    for node in by_id.values():
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        if parent is not None and parent.kind in _PARENT_KINDS.get(node.kind, ()):
            under.setdefault(parent.id, []).append(node)

    # Each node sits in one parent's list, so a walk down from the problem visits each
    # reachable node once; cycles are never reachable from the problem.
    children: dict[int, list[DiagramNode]] = {}
    queue = deque([problem.id])
    while queue:
        parent_id = queue.popleft()
        children[parent_id] = sorted(under.get(parent_id, []), key=_order)
        queue.extend(kid.id for kid in children[parent_id])
    return _Tree(problem, children)


@dataclass(frozen=True)
class _Column:
    """One level-1 node and everything that hangs from it, as one column of boxes."""

    nodes: tuple[tuple[DiagramNode, int], ...]  # the level-1 node first, then depth first
    width: float

    def indent(self, depth: int) -> float:
        return INDENT * (depth - 1)

    def box_width(self, depth: int) -> float:
        """Deeper boxes narrow by their indent, so the column keeps a straight right edge."""
        return self.width - self.indent(depth)


def _columns(firsts: list[DiagramNode], children: dict[int, list[DiagramNode]]) -> list[_Column]:
    """A column per level-1 node, each listing its branch depth first with every node's
    depth. Iterative, so a very deep chain cannot exhaust the recursion limit."""
    columns = []
    for first in firsts:
        order: list[tuple[DiagramNode, int]] = []
        pending = [(first, 1)]
        while pending:
            node, depth = pending.pop()
            order.append((node, depth))
            pending.extend((kid, depth + 1) for kid in reversed(children[node.id]))
        deepest = max(depth for _, depth in order)
        width = max(NODE_WIDTH, INDENT * (deepest - 1) + MIN_NODE_WIDTH)
        columns.append(_Column(tuple(order), width))
    return columns


def _side_width(columns: list[_Column]) -> float:
    return sum(column.width for column in columns) + COLUMN_GAP * max(0, len(columns) - 1)


# ----------------------------------------------------------------------------- text


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _wrap(text: str, width: float, font: _Font) -> list[str]:
    """Greedy word wrap; words longer than a line (URLs, compounds) are cut, never
    dropped. Explicit line breaks are kept."""
    max_chars = max(1, int(width // font.char_width))
    lines: list[str] = []
    for paragraph in _clean(text).splitlines():
        current = ""
        for word in paragraph.split():
            if current and len(current) + 1 + len(word) <= max_chars:
                current += " " + word
                continue
            if current:
                lines.append(current)
            while len(word) > max_chars:
                lines.append(word[:max_chars])
                word = word[max_chars:]
            current = word
        if current:
            lines.append(current)
    return lines


def _num(value: float) -> str:
    """Stable, compact coordinates (no float noise in the output)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(**values: object) -> str:
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        shown = _num(value) if isinstance(value, int | float) else str(value)
        parts.append(f"{name.rstrip('_').replace('_', '-')}={quoteattr(shown)}")
    return " ".join(parts)


def _text(value: str) -> str:
    return escape(_clean(value))


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Box:
    """A node placed on the canvas, ready to draw."""

    node: DiagramNode
    style: _Style
    x: float  # left
    y: float  # top
    width: float
    height: float
    marker: tuple[str, ...]  # the strategic label line(s), empty otherwise
    lines: tuple[str, ...]

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class _Band:
    """A labelled stretch of rows (all effects, the problem, all causes)."""

    label: str
    top: float
    bottom: float


@dataclass(frozen=True)
class _LegendItem:
    style: _Style
    text: str
    x: float
    y: float
    width: float


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    title: tuple[str, ...]
    boxes: dict[int, _Box]
    parents: dict[int, int]  # child id -> parent id
    bands: tuple[_Band, ...]
    legend: tuple[_LegendItem, ...]


@dataclass(frozen=True)
class _Content:
    """A node's words before it is placed."""

    style: _Style
    width: float
    marker: tuple[str, ...]
    lines: tuple[str, ...]

    @property
    def height(self) -> float:
        text_lines = max(1, len(self.lines))
        return (
            2 * PAD_Y
            + len(self.marker) * BODY_BOLD.line_height
            + text_lines * self.style.font.line_height
        )


def _content(node: DiagramNode, labels: DiagramLabels, width: float) -> _Content:
    strategic = node.strategic and node.kind == "cause"
    style = STYLES["strategic" if strategic else node.kind]
    inner = width - 2 * PAD_X
    marker = _wrap(f"{STAR} {labels.strategic}", inner, BODY_BOLD) if strategic else []
    return _Content(style, width, tuple(marker), tuple(_wrap(node.text, inner, style.font)))


LEGEND_ITEM_HEIGHT = 2 * 8 + BODY.line_height


def _legend(labels: DiagramLabels) -> list[tuple[_Style, str, float]]:
    """Sample boxes in the order the rows appear, top to bottom."""
    samples = [
        (STYLES["effect"], labels.effects),
        (STYLES["problem"], labels.problem),
        (STYLES["cause"], labels.causes),
        (STYLES["strategic"], f"{STAR} {labels.strategic}"),
    ]
    return [
        (style, text, len(_clean(text)) * BODY_BOLD.char_width + 2 * PAD_X + style.stroke_width)
        for style, text in samples
    ]


def _place_legend(
    samples: list[tuple[_Style, str, float]], width: float, top: float
) -> tuple[list[_LegendItem], float]:
    """Left to right, wrapping onto a new line when the row is full; returns the bottom."""
    items, x, y = [], float(MARGIN), top
    for style, text, item_width in samples:
        if x > MARGIN and x + item_width > width - MARGIN:
            x, y = float(MARGIN), y + LEGEND_ITEM_HEIGHT + 10
        items.append(_LegendItem(style, text, x, y, item_width))
        x += item_width + 12
    return items, y + LEGEND_ITEM_HEIGHT


def _place_columns(
    columns: list[_Column], left: float, labels: DiagramLabels
) -> tuple[dict[int, float], dict[int, _Content]]:
    """Left edge and words of every node on one side, columns side by side from left."""
    x_of: dict[int, float] = {}
    contents: dict[int, _Content] = {}
    for column in columns:
        for node, depth in column.nodes:
            x_of[node.id] = left + column.indent(depth)
            contents[node.id] = _content(node, labels, column.box_width(depth))
        left += column.width + COLUMN_GAP
    return x_of, contents


def _layout(tree: _Tree, labels: DiagramLabels) -> _Layout:
    problem = tree.problem
    firsts = tree.children[problem.id]
    causes = _columns([n for n in firsts if n.kind == "cause"], tree.children)
    effects = _columns([n for n in firsts if n.kind == "effect"], tree.children)

    # Width: the wider side (or the problem) decides; both sides share the problem's centre.
    samples = _legend(labels)
    cause_width, effect_width = _side_width(causes), _side_width(effects)
    tree_width = max(cause_width, effect_width, PROBLEM_WIDTH + COLUMN_GAP)
    left = MARGIN + LABEL_WIDTH + GUTTER
    width = max(
        MIN_WIDTH,
        left + tree_width + MARGIN,
        max(item_width for _, _, item_width in samples) + 2 * MARGIN,
    )
    centre = left + (width - MARGIN - left) / 2

    x_of, contents = _place_columns(causes, centre - cause_width / 2, labels)
    effect_x, effect_contents = _place_columns(effects, centre - effect_width / 2, labels)
    x_of.update(effect_x)
    contents.update(effect_contents)
    x_of[problem.id] = centre - PROBLEM_WIDTH / 2
    contents[problem.id] = _content(problem, labels, PROBLEM_WIDTH)

    boxes: dict[int, _Box] = {}

    def place(node: DiagramNode, top: float, height: float) -> None:
        content = contents[node.id]
        boxes[node.id] = _Box(
            node,
            content.style,
            x_of[node.id],
            top,
            content.width,
            height,
            content.marker,
            content.lines,
        )

    def row_height(columns: list[_Column]) -> float:
        """The level-1 boxes of a side are all as tall as its tallest: a neat row whose
        connectors to the problem all turn at the same height."""
        return max(contents[column.nodes[0][0].id].height for column in columns)

    title = _wrap(labels.title, width - 2 * MARGIN, TITLE_FONT)
    y = MARGIN + len(title) * TITLE_FONT.line_height + TITLE_GAP
    bands: list[_Band] = []

    if effects:  # the level-1 row, with each column's deeper effects stacked upwards
        stacked = max(
            sum(contents[node.id].height + EFFECT_STACK_GAP for node, _ in column.nodes[1:])
            for column in effects
        )
        row_top, height = y + stacked, row_height(effects)
        for column in effects:
            place(column.nodes[0][0], row_top, height)
            cursor = row_top
            for node, _ in column.nodes[1:]:
                cursor -= EFFECT_STACK_GAP + contents[node.id].height
                place(node, cursor, contents[node.id].height)
        bands.append(_Band(labels.effects, y, row_top + height))
        y = row_top + height + V_GAP

    place(problem, y, contents[problem.id].height)
    bands.append(_Band(labels.problem, y, boxes[problem.id].bottom))
    y = boxes[problem.id].bottom

    if causes:  # the level-1 row, with each column's deeper causes stacked downwards
        row_top, height = y + V_GAP, row_height(causes)
        for column in causes:
            place(column.nodes[0][0], row_top, height)
            cursor = row_top + height
            for node, _ in column.nodes[1:]:
                place(node, cursor + STACK_GAP, contents[node.id].height)
                cursor = boxes[node.id].bottom
            y = max(y, cursor)
        bands.append(_Band(labels.causes, row_top, y))

    legend, legend_bottom = _place_legend(samples, width, y + LEGEND_GAP)
    parents = {kid.id: parent_id for parent_id, kids in tree.children.items() for kid in kids}
    return _Layout(
        width=width,
        height=legend_bottom + MARGIN,
        title=tuple(title),
        boxes=boxes,
        parents=parents,
        bands=tuple(bands),
        legend=tuple(legend),
    )


# ---------------------------------------------------------------------------- drawing


def _baseline(line_top: float, font: _Font) -> float:
    """Baseline that centres a line of this font in its line box (no dominant-baseline,
    which renderers disagree on)."""
    return line_top + font.line_height / 2 + font.size * 0.35


def _tspans(lines: Sequence[str], cx: float, top: float, font: _Font, **extra: object) -> str:
    out = []
    for index, line in enumerate(lines):
        y = _baseline(top + index * font.line_height, font)
        out.append(f"<tspan {_attrs(x=cx, y=y, **extra)}>{_text(line)}</tspan>")
    return "".join(out)


def _font_attrs(font: _Font) -> dict[str, object]:
    return {"font_size": font.size, "font_weight": "bold" if font.bold else None}


def _draw_box(box: _Box) -> str:
    style = box.style
    classes = ["node", box.node.kind] + (["strategic"] if style is STYLES["strategic"] else [])
    text_height = len(box.marker) * BODY_BOLD.line_height + len(box.lines) * style.font.line_height
    top = box.y + (box.height - text_height) / 2  # centre the words in a stretched box
    marker = _tspans(
        box.marker, box.cx, top, BODY_BOLD, fill=STRATEGIC_INK, font_weight="bold", class_="marker"
    )
    words = _tspans(box.lines, box.cx, top + len(box.marker) * BODY_BOLD.line_height, style.font)
    rect = _attrs(
        x=box.x,
        y=box.y,
        width=box.width,
        height=box.height,
        rx=style.rx,
        fill=style.fill,
        stroke=style.stroke,
        stroke_width=style.stroke_width,
    )
    text = _attrs(text_anchor="middle", fill=style.ink, **_font_attrs(style.font))
    return (
        f"<g {_attrs(class_=' '.join(classes), data_node_id=str(box.node.id))}>"
        f"<title>{_text(box.node.text)}</title>"
        f"<rect {rect}/><text {text}>{marker}{words}</text></g>"
    )


def _path(steps: Sequence[str], ids: str) -> str:
    return f"<path {_attrs(d=' '.join(steps), marker_end=f'url(#{ids}-arrow)')}/>"


def _connector(child: _Box, parent: _Box, ids: str) -> str:
    """An elbow path whose arrowhead points up the flow: towards the parent for a cause,
    towards the child for an effect (a cause produces its parent; an effect is produced
    by its parent)."""
    if parent.node.kind == "problem":
        # A level-1 node and the problem, in rows: the horizontal run sits halfway
        # across the gap between the rows.
        lower, upper = (child, parent) if child.y > parent.y else (parent, child)
        mid = upper.bottom + V_GAP / 2
        steps = [f"M{_num(lower.cx)} {_num(lower.y)}", f"V{_num(mid)}"]
        if lower.cx != upper.cx:
            steps.append(f"H{_num(upper.cx)}")
        steps.append(f"V{_num(upper.bottom + ARROW_CLEARANCE)}")
        return _path(steps, ids)
    spine = parent.x + SPINE
    if child.node.kind == "cause":
        # From the cause's left side across to its parent's spine and up into the parent.
        steps = [
            f"M{_num(child.x)} {_num(child.y + child.height / 2)}",
            f"H{_num(spine)}",
            f"V{_num(parent.bottom + ARROW_CLEARANCE)}",
        ]
        return _path(steps, ids)
    # From the effect's top up its spine, then across just below the child and up into
    # it; the child's own spine leaves its top at the same x, so the line reads through.
    hook = child.bottom + EFFECT_STACK_GAP - HOOK
    steps = [
        f"M{_num(spine)} {_num(parent.y)}",
        f"V{_num(hook)}",
        f"H{_num(child.x + SPINE)}",
        f"V{_num(child.bottom + ARROW_CLEARANCE)}",
    ]
    return _path(steps, ids)


def _draw_band(band: _Band) -> str:
    lines = _wrap(band.label, LABEL_WIDTH, BODY_BOLD)
    top = (band.top + band.bottom) / 2 - len(lines) * BODY_BOLD.line_height / 2
    bracket_x = MARGIN + LABEL_WIDTH + GUTTER / 2
    bracket = _attrs(
        x1=bracket_x, y1=band.top, x2=bracket_x, y2=band.bottom, stroke=LINE_COLOUR, stroke_width=2
    )
    return (
        f'<g class="row-label"><line {bracket}/>'
        f"<text {_attrs(fill=INK, **_font_attrs(BODY_BOLD))}>"
        f"{_tspans(lines, MARGIN, top, BODY_BOLD)}</text></g>"
    )


def _draw_legend_item(item: _LegendItem) -> str:
    style = item.style
    rect = _attrs(
        x=item.x,
        y=item.y,
        width=item.width,
        height=LEGEND_ITEM_HEIGHT,
        rx=style.rx,
        fill=style.fill,
        stroke=style.stroke,
        stroke_width=style.stroke_width,
    )
    ink = STRATEGIC_INK if style is STYLES["strategic"] else style.ink
    text = _attrs(text_anchor="middle", fill=ink, **_font_attrs(BODY_BOLD))
    spans = _tspans([item.text], item.x + item.width / 2, item.y + 8, BODY_BOLD)
    return f"<g><rect {rect}/><text {text}>{spans}</text></g>"


def _open_svg(width: float, height: float, labels: DiagramLabels, ids: str) -> list[str]:
    """Root element, accessible name and description, white background (so a downloaded
    file stays readable in a dark viewer) and the arrowhead."""
    size = _attrs(width=width, height=height, viewBox=f"0 0 {_num(width)} {_num(height)}")
    named = _attrs(aria_labelledby=f"{ids}-title {ids}-desc")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" {named} class="problem-tree" '
        f"{_attrs(font_family=FONT_FAMILY, font_size=BODY.size)}>",
        f"<title {_attrs(id=f'{ids}-title')}>{_text(labels.title)}</title>",
        f"<desc {_attrs(id=f'{ids}-desc')}>{_text(labels.description)}</desc>",
        f"<defs><marker {_attrs(id=f'{ids}-arrow')} "
        'viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0 0L10 5L0 10z" fill="{LINE_COLOUR}"/></marker></defs>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]


def _draw_title(lines: Sequence[str]) -> str:
    # Left-aligned: a wide tree opens scrolled to the left, where the title must be.
    attrs = _attrs(class_="heading", fill=INK, **_font_attrs(TITLE_FONT))
    return f"<text {attrs}>{_tspans(lines, MARGIN, MARGIN, TITLE_FONT)}</text>"


def _render(layout: _Layout, labels: DiagramLabels, ids: str) -> str:
    parts = _open_svg(layout.width, layout.height, labels, ids)
    parts.append(_draw_title(layout.title))
    parts.extend(_draw_band(band) for band in layout.bands)
    # Connectors first, so boxes sit on top of the lines.
    parts.append(
        f'<g class="connectors" {_attrs(fill="none", stroke=LINE_COLOUR)} stroke-width="1.5">'
    )
    for child_id, parent_id in layout.parents.items():
        parts.append(_connector(layout.boxes[child_id], layout.boxes[parent_id], ids))
    parts.append("</g>")
    parts.append('<g class="nodes">')
    parts.extend(_draw_box(box) for box in layout.boxes.values())
    parts.append("</g>")
    parts.append('<g class="legend">')
    parts.extend(_draw_legend_item(item) for item in layout.legend)
    parts.append("</g></svg>")
    return "\n".join(parts)


def _render_empty(labels: DiagramLabels, ids: str) -> str:
    """No central problem yet: just the title, still a valid document."""
    title = _wrap(labels.title, MIN_WIDTH - 2 * MARGIN, TITLE_FONT)
    height = 2 * MARGIN + max(1, len(title)) * TITLE_FONT.line_height
    parts = _open_svg(MIN_WIDTH, height, labels, ids)
    parts.append(_draw_title(title))
    parts.append("</svg>")
    return "\n".join(parts)


def draw_tree(
    nodes: Sequence[DiagramNode], labels: DiagramLabels, *, id_prefix: str = "tree"
) -> str:
    """Return a complete standalone SVG document string (starts with '<svg', has xmlns,
    width, height, viewBox). Its ids (title, description, arrowhead) start with
    id_prefix, so two diagrams, or a diagram and its page, can share a document."""
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a plain XML name, not {id_prefix!r}")
    tree = _build_tree(nodes)
    if tree is None:
        return _render_empty(labels, id_prefix)
    return _render(_layout(tree, labels), labels, id_prefix)
