"""The problem-tree SVG: judged only by what the output shows (parsed as XML)."""

import random
import re
import xml.etree.ElementTree as ET

from coplat.tables.diagram import DiagramLabels, DiagramNode, draw_tree

SVG = "{http://www.w3.org/2000/svg}"
LABELS = DiagramLabels(
    title="Problem tree: Water supply in the colonias",
    effects="Effects",
    problem="Central problem",
    causes="Causes",
    strategic="Strategic cause",
    description="3 causes (1 strategic) and 2 effects",
)
HOSTILE = "<script>alert(1)</script> & \"x\" 'y'"


def small_tree() -> list[DiagramNode]:
    return [
        DiagramNode(1, None, "problem", "Irregular water supply"),
        DiagramNode(2, 1, "cause", "Leaking pipes", strategic=True),
        DiagramNode(3, 1, "cause", "No maintenance budget", position=1),
        DiagramNode(4, 2, "cause", "Pipes older than 50 years"),
        DiagramNode(5, 1, "effect", "Families buy water from trucks"),
        DiagramNode(6, 5, "effect", "Household spending rises"),
    ]


def large_tree() -> list[DiagramNode]:
    """8 causes x 3 sub-causes x 1-2 sub-sub-causes, plus 10 effects, two of them with an
    effect of their own: 77 nodes, a realistic table's tree."""
    nodes = [DiagramNode(1, None, "problem", "Irregular water supply in the colonias")]
    next_id = 100
    for i in range(8):
        cause = next_id = next_id + 1
        nodes.append(DiagramNode(cause, 1, "cause", f"Cause {i} " * (1 + i), strategic=i % 3 == 0))
        for j in range(3):
            sub = next_id = next_id + 1
            nodes.append(DiagramNode(sub, cause, "cause", f"Sub-cause {i}.{j}", position=j))
            for k in range(1 + j % 2):
                next_id += 1
                nodes.append(DiagramNode(next_id, sub, "cause", f"Root cause {i}.{j}.{k} " * 3))
    for e in range(10):
        effect = next_id = next_id + 1
        nodes.append(DiagramNode(effect, 1, "effect", f"Effect {e}", position=e))
        if e in (2, 7):
            next_id += 1
            nodes.append(DiagramNode(next_id, effect, "effect", f"Effect of effect {e} " * 2))
    return nodes


def deep_tree() -> list[DiagramNode]:
    """Branches several levels deep on both sides, with siblings after a deep subtree."""
    return [
        DiagramNode(1, None, "problem", "Irregular water supply"),
        DiagramNode(10, 1, "cause", "Leaking pipes", strategic=True),
        DiagramNode(11, 10, "cause", "Old pipes"),
        DiagramNode(12, 11, "cause", "No renewal plan"),
        DiagramNode(13, 12, "cause", "Budget cut in 2019 when funds moved to the new highway"),
        DiagramNode(14, 10, "cause", "Illegal taps", position=1),
        DiagramNode(15, 1, "cause", "No maintenance budget", position=1),
        DiagramNode(16, 15, "cause", "Council priorities"),
        DiagramNode(20, 1, "effect", "Families buy water from trucks"),
        DiagramNode(21, 20, "effect", "Household spending rises"),
        DiagramNode(22, 21, "effect", "Less money for food"),
        DiagramNode(23, 20, "effect", "Trucks block the streets", position=1),
        DiagramNode(24, 1, "effect", "Illness", position=1),
    ]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element) -> dict[int, ET.Element]:
    return {int(g.get("data-node-id")): g for g in root.iter(f"{SVG}g") if g.get("data-node-id")}


def rects(root: ET.Element) -> dict[int, tuple[float, float, float, float]]:
    """x, y, width, height of every node's box."""
    out = {}
    for node_id, group in groups(root).items():
        rect = group.find(f"{SVG}rect")
        out[node_id] = tuple(float(rect.get(a)) for a in ("x", "y", "width", "height"))
    return out


def shown_text(group: ET.Element) -> str:
    return "".join(span.text or "" for span in group.iter(f"{SVG}tspan"))


def points(d: str) -> list[tuple[float, float]]:
    """The corners of a connector path made of M, H and V steps."""
    out: list[tuple[float, float]] = []
    for command, args in re.findall(r"([MHV])([^MHV]*)", d):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            out.append((numbers[0], numbers[1]))
        elif command == "H":
            out.append((numbers[0], out[-1][1]))
        else:
            out.append((out[-1][0], numbers[0]))
    return out


def connectors(root: ET.Element) -> list[list[tuple[float, float]]]:
    return [points(p.get("d")) for p in root.findall(f".//{SVG}g[@class='connectors']/{SVG}path")]


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    (x1, y1, w1, h1), (x2, y2, w2, h2) = a, b
    return not (x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1)


def under_bottom(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    """An arrow tip just below a box's bottom edge, pointing into it."""
    x, y, width, height = box
    return x < point[0] < x + width and 0 < point[1] - (y + height) <= 3


def on_edge(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    x, y, width, height = box
    across = x <= point[0] <= x + width and point[1] in (y, y + height)
    return across or (point[0] in (x, x + width) and y <= point[1] <= y + height)


def on_top(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    x, y, width, _ = box
    return point[1] == y and x < point[0] < x + width


def on_left_side(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    x, y, _, height = box
    return point[0] == x and y < point[1] < y + height


def test_a_standalone_accessible_svg_document():
    svg = draw_tree(small_tree(), LABELS)
    root = parse(svg)

    assert svg.startswith("<svg")
    assert root.tag == f"{SVG}svg"
    _, _, view_width, view_height = (float(v) for v in root.get("viewBox").split())
    assert (float(root.get("width")), float(root.get("height"))) == (view_width, view_height)
    assert root.get("role") == "img"
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    named = [by_id[ref].text for ref in root.get("aria-labelledby").split()]
    assert named == [LABELS.title, LABELS.description]
    assert all(ident.startswith("tree-") for ident in by_id)
    assert root.find(f"{SVG}defs/{SVG}marker") is not None


def test_effects_above_problem_above_causes():
    boxes = rects(parse(draw_tree(small_tree(), LABELS)))
    problem_top, problem_bottom = boxes[1][1], boxes[1][1] + boxes[1][3]

    for effect in (5, 6):
        assert boxes[effect][1] + boxes[effect][3] < problem_top
    for cause in (2, 3, 4):
        assert boxes[cause][1] > problem_bottom


def test_deeper_causes_sit_lower_and_deeper_effects_higher():
    boxes = rects(parse(draw_tree(small_tree(), LABELS)))

    assert boxes[4][1] > boxes[2][1] + boxes[2][3]  # cause of a cause below its parent
    assert boxes[6][1] + boxes[6][3] < boxes[5][1]  # effect of an effect above its parent
    assert boxes[2][1] == boxes[3][1]  # siblings share a row


def test_the_level_one_rows_are_centred_on_the_problem_and_keep_their_order():
    nodes = [
        DiagramNode(1, None, "problem", "P"),
        DiagramNode(2, 1, "cause", "Second", position=2),
        DiagramNode(3, 1, "cause", "First", position=1),
        DiagramNode(4, 1, "cause", "Tie, lower id", position=2),
        DiagramNode(5, 1, "effect", "Only effect"),
    ]
    boxes = rects(parse(draw_tree(nodes, LABELS)))
    centre = {node_id: x + width / 2 for node_id, (x, _, width, _) in boxes.items()}

    assert centre[3] < centre[2] < centre[4]
    assert centre[1] == (centre[3] + centre[4]) / 2 == centre[5]


def test_arrows_point_upwards():
    root = parse(draw_tree(small_tree(), LABELS))
    paths = root.findall(f".//{SVG}g[@class='connectors']/{SVG}path")

    assert len(paths) == 5  # one per node but the problem
    for path in paths:
        corners = points(path.get("d"))  # the arrowhead sits at the last corner
        assert corners[-1][1] < corners[-2][1], path.get("d")
        assert path.get("marker-end") == "url(#tree-arrow)"


def test_every_connector_joins_a_node_to_its_parent():
    """Causes point up into their parent (and the level-1 causes into the problem);
    effects point up away from the problem, into the effect their parent produces."""
    nodes = deep_tree()
    root = parse(draw_tree(nodes, LABELS))
    boxes = rects(root)
    paths = connectors(root)

    assert len(paths) == len(nodes) - 1
    for node in nodes[1:]:
        child, parent = boxes[node.id], boxes[node.parent_id]
        if node.parent_id == 1:  # a row of level-1 nodes, joined at the box centres
            lower, upper = (child, parent) if node.kind == "cause" else (parent, child)
            start = (lower[0] + lower[2] / 2, lower[1])
            joined = [p for p in paths if p[0] == start and under_bottom(p[-1], upper)]
        elif node.kind == "cause":  # from the cause's left side up into its parent
            joined = [p for p in paths if on_left_side(p[0], child) and under_bottom(p[-1], parent)]
        else:  # from the parent effect's top up into the child's bottom
            joined = [p for p in paths if on_top(p[0], parent) and under_bottom(p[-1], child)]
        assert len(joined) == 1, (node, joined)


def test_connectors_never_cross_a_box():
    """Each run of a connector misses every box but the two it joins (it may only touch
    their edges), so the lines never hide words or seem to join the wrong nodes."""
    for nodes in (deep_tree(), large_tree()):
        root = parse(draw_tree(nodes, LABELS))
        boxes = list(rects(root).values())
        for path in connectors(root):
            ends = [b for b in boxes if on_edge(path[0], b) or under_bottom(path[-1], b)]
            assert len(ends) == 2, path
            for (x1, y1), (x2, y2) in zip(path, path[1:], strict=False):
                run = (min(x1, x2), min(y1, y2), abs(x2 - x1) or 0.01, abs(y2 - y1) or 0.01)
                for box in boxes:
                    inside = (box[0] + 1, box[1] + 1, box[2] - 2, box[3] - 2)
                    assert box in ends or not overlaps(run, inside), (path, box)


def test_a_large_tree_stays_compact_and_readable():
    """A realistic table's tree fits a projector or a landscape page: about the width of
    its busier level-1 row, however many nodes hang below it."""
    nodes = large_tree()
    root = parse(draw_tree(nodes, LABELS))
    boxes = rects(root)

    assert len(nodes) == 77 and len(boxes) == len(nodes)
    width, height = float(root.get("width")), float(root.get("height"))
    assert width <= 2200
    placed = list(boxes.values())
    for i, box in enumerate(placed):
        for other in placed[i + 1 :]:
            assert not overlaps(box, other), (box, other)
    sizes = [float(el.get("font-size")) for el in root.iter() if el.get("font-size")]
    assert min(sizes) >= 13
    assert min(w for _, _, w, _ in placed) >= 150
    # Everything fits inside the canvas, with a margin.
    assert all(x > 0 and y > 0 and x + w < width and y + h < height for x, y, w, h in placed)


def test_depth_makes_a_tree_taller_not_wider():
    causes = [DiagramNode(1, None, "problem", "P")] + [
        DiagramNode(10 + i, 1, "cause", f"Cause {i}", position=i) for i in range(4)
    ]
    subs = [DiagramNode(100 + i, 10 + i % 4, "cause", f"Sub-cause {i}") for i in range(24)]
    flat, bushy = parse(draw_tree(causes, LABELS)), parse(draw_tree(causes + subs, LABELS))

    assert bushy.get("width") == flat.get("width")
    assert float(bushy.get("height")) > float(flat.get("height")) + 6 * 30


def test_deeper_causes_stack_under_their_level_one_cause_indented_by_depth():
    boxes = rects(parse(draw_tree(deep_tree(), LABELS)))
    x, y, width, height = boxes[10]  # level 1: "Leaking pipes"
    bottom = {node_id: b[1] + b[3] for node_id, b in boxes.items()}

    # Depth first, top to bottom: 10, 11, 12, 13, then the sibling 14 after 11's branch.
    tops = [boxes[node_id][1] for node_id in (10, 11, 12, 13, 14)]
    assert tops == sorted(tops)
    for child, parent in ((11, 10), (12, 11), (13, 12), (14, 10)):
        assert boxes[child][1] > bottom[parent]  # below its parent
        assert boxes[child][0] > boxes[parent][0]  # and indented to its right
    assert boxes[12][0] - boxes[11][0] == boxes[11][0] - boxes[10][0]  # one step a level
    assert boxes[14][0] == boxes[11][0]  # siblings share an indent
    # The column keeps a straight right edge; its boxes stay clear of the next column.
    assert {round(b[0] + b[2], 2) for n, b in boxes.items() if 10 <= n <= 14} == {x + width}
    assert boxes[15][0] > x + width and boxes[16][0] > boxes[15][0]


def test_deeper_effects_stack_above_their_level_one_effect_indented_by_depth():
    boxes = rects(parse(draw_tree(deep_tree(), LABELS)))

    bottoms = [boxes[node_id][1] + boxes[node_id][3] for node_id in (20, 21, 22, 23)]
    assert bottoms == sorted(bottoms, reverse=True)  # depth first, bottom to top
    for child, parent in ((21, 20), (22, 21), (23, 20)):
        assert boxes[child][1] + boxes[child][3] < boxes[parent][1]  # above its parent
        assert boxes[child][0] > boxes[parent][0]  # and indented to its right
    assert boxes[20][1] == boxes[24][1]  # the level-1 effects share a row


def test_narrower_deep_boxes_still_show_every_word():
    nodes = deep_tree()
    found = groups(parse(draw_tree(nodes, LABELS)))
    boxes = rects(parse(draw_tree(nodes, LABELS)))

    assert boxes[13][2] < boxes[10][2] and boxes[13][2] >= 150
    assert len(found[13].findall(f".//{SVG}tspan")) >= 3  # wrapped onto several lines
    for node in nodes:
        spans = found[node.id].iter(f"{SVG}tspan")
        words = "".join(span.text for span in spans if span.get("class") != "marker")
        assert words.replace(" ", "") == node.text.replace(" ", "")


def test_a_very_deep_chain_is_drawn():
    nodes = [DiagramNode(1, None, "problem", "P")]
    nodes += [DiagramNode(n, n - 1, "cause", f"Level {n}") for n in range(2, 1200)]

    assert len(groups(parse(draw_tree(nodes, LABELS)))) == len(nodes)


def test_long_text_is_wrapped_never_truncated():
    long_text = "Water reaches the upper colonias only twice a week " * 6 + "x" * 70
    nodes = [DiagramNode(1, None, "problem", "P"), DiagramNode(2, 1, "cause", long_text)]
    short = rects(parse(draw_tree([nodes[0], DiagramNode(2, 1, "cause", "Short")], LABELS)))
    root = parse(draw_tree(nodes, LABELS))
    group = groups(root)[2]

    assert len(group.findall(f".//{SVG}tspan")) > 10
    assert re.sub(r"\s", "", shown_text(group)) == re.sub(r"\s", "", long_text)
    assert group.find(f"{SVG}title").text == long_text
    assert rects(root)[2][3] > short[2][3] * 4  # the box grows with its lines


def test_strategic_causes_are_marked_by_class_and_words():
    nodes = [*small_tree(), DiagramNode(7, 1, "effect", "Not a cause", strategic=True)]
    found = groups(parse(draw_tree(nodes, LABELS)))

    assert found[2].get("class").split() == ["node", "cause", "strategic"]
    assert LABELS.strategic in shown_text(found[2])
    for node_id in (1, 3, 4, 5, 7):
        assert "strategic" not in found[node_id].get("class")
        assert LABELS.strategic not in shown_text(found[node_id])
    assert found[2].find(f"{SVG}rect").get("stroke-width") == "3"


def test_hostile_text_is_escaped():
    labels = DiagramLabels(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE)
    nodes = [
        DiagramNode(1, None, "problem", HOSTILE),
        DiagramNode(2, 1, "cause", HOSTILE, strategic=True),
        DiagramNode(3, 1, "effect", HOSTILE + "\x00\x1b"),  # control codes XML forbids
    ]
    svg = draw_tree(nodes, labels)
    root = parse(svg)

    assert "<script" not in svg
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    found = groups(root)
    assert [found[n].find(f"{SVG}title").text for n in (1, 2, 3)] == [HOSTILE] * 3
    assert root.find(f"{SVG}title").text == HOSTILE


def test_orphans_and_misplaced_nodes_are_skipped():
    nodes = [
        *small_tree(),
        DiagramNode(20, 999, "cause", "Parent was deleted"),
        DiagramNode(21, 5, "cause", "A cause under an effect"),
        DiagramNode(22, 2, "effect", "An effect under a cause"),
        DiagramNode(23, 24, "cause", "Cycle A"),
        DiagramNode(24, 23, "cause", "Cycle B"),
        DiagramNode(25, 25, "cause", "Its own parent"),
        DiagramNode(26, None, "problem", "A second problem"),
        DiagramNode(27, 20, "cause", "Child of an orphan"),
    ]
    found = groups(parse(draw_tree(nodes, LABELS)))

    assert sorted(found) == [1, 2, 3, 4, 5, 6]


def test_without_a_problem_only_the_title_is_drawn():
    for nodes in ([], [DiagramNode(2, 1, "cause", "Cause without its problem")]):
        root = parse(draw_tree(nodes, LABELS))

        assert root.tag == f"{SVG}svg"
        assert groups(root) == {}
        shown = " ".join(span.text for span in root.iter(f"{SVG}tspan"))  # may wrap
        assert shown == LABELS.title
        _, _, view_width, view_height = (float(v) for v in root.get("viewBox").split())
        assert (float(root.get("width")), float(root.get("height"))) == (view_width, view_height)


def test_output_is_deterministic_whatever_the_input_order():
    nodes = large_tree()
    shuffled = nodes[:]
    random.Random(7).shuffle(shuffled)

    assert draw_tree(nodes, LABELS) == draw_tree(nodes, LABELS) == draw_tree(shuffled, LABELS)


def test_row_labels_and_legend_use_the_labels():
    root = parse(draw_tree(small_tree(), LABELS))
    row_labels = [shown_text(g) for g in root.iter(f"{SVG}g") if g.get("class") == "row-label"]
    legend = shown_text(root.find(f".//{SVG}g[@class='legend']"))

    assert row_labels == [LABELS.effects, LABELS.problem, LABELS.causes]
    for label in (LABELS.effects, LABELS.problem, LABELS.causes, LABELS.strategic):
        assert label in legend


def test_row_labels_span_their_whole_side():
    root = parse(draw_tree(deep_tree(), LABELS))
    boxes = rects(root)
    brackets = {
        shown_text(g): g.find(f"{SVG}line")
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "row-label"
    }
    effects, causes = brackets[LABELS.effects], brackets[LABELS.causes]

    assert float(effects.get("y1")) == min(boxes[n][1] for n in range(20, 25))
    assert float(effects.get("y2")) == boxes[20][1] + boxes[20][3]
    assert float(causes.get("y1")) == boxes[10][1]
    assert float(causes.get("y2")) == max(boxes[n][1] + boxes[n][3] for n in range(10, 17))


def test_id_prefix_renames_every_id_and_reference():
    svg = draw_tree(small_tree(), LABELS, id_prefix="table-7-tree")
    root = parse(svg)
    ids = {el.get("id") for el in root.iter() if el.get("id")}

    assert ids == {"table-7-tree-title", "table-7-tree-desc", "table-7-tree-arrow"}
    assert root.get("aria-labelledby") == "table-7-tree-title table-7-tree-desc"
    markers = {p.get("marker-end") for p in root.iter(f"{SVG}path") if p.get("marker-end")}
    assert markers == {"url(#table-7-tree-arrow)"}
    assert "tree-title" not in svg.replace("table-7-tree-title", "")
    # The default keeps the historical ids; an empty tree gets the prefix too.
    assert 'id="tree-title"' in draw_tree(small_tree(), LABELS)
    assert 'id="other-title"' in draw_tree([], LABELS, id_prefix="other")


def test_an_id_prefix_that_would_need_escaping_is_refused():
    for bad in ("", "two words", 'x"y', "a)b", "1tree", "<t>"):
        try:
            draw_tree(small_tree(), LABELS, id_prefix=bad)
        except ValueError:
            continue
        raise AssertionError(bad)
