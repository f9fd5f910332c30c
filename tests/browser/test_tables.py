"""The working tables as people use them: the facilitator building a problem tree in
place with htmx (and without JavaScript), a visitor reading and downloading the tree's
diagram (also on a phone), quick attendance entry at a session, and a citizen proposing
a solution online while a table's call is open.

It runs on the demo exercise's tables, in the Spanish interface (the demo accounts
speak Spanish, and the contexts ask for es-MX). The demo persists for the whole browser
session, so every text a test adds is made unique."""

import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SLUG = "demo"
FACILITATOR = "facilitadora@demo.coplat.mx"
CITIZEN = "ciudadana@demo.coplat.mx"
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class DemoTable:
    id: int
    name: str  # Spanish
    problem: int  # the central problem's node id
    strategic: dict[int, str]  # strategic cause id -> Spanish text
    held_session: int  # a session with minutes and attendance
    accepts_proposals: bool

    @property
    def path(self) -> str:
        return f"/e/{SLUG}/tables/{self.id}"

    @property
    def tree_path(self) -> str:
        return f"{self.path}/tree"


@pytest.fixture(scope="session")
def demo_tables(live_app) -> list[DemoTable]:
    """The demo's working tables, in order, as the tests need them."""
    import sqlalchemy as sa

    from coplat.exercises.services import get_exercise
    from coplat.extensions import db
    from coplat.tables import services
    from coplat.tables.enums import NodeKind
    from coplat.tables.models import WorkingTable

    with live_app.app_context():
        exercise = get_exercise(SLUG)
        found = []
        for table in db.session.scalars(
            sa.select(WorkingTable)
            .where(WorkingTable.exercise_id == exercise.id)
            .order_by(WorkingTable.id)
        ):
            nodes = services.tree_nodes(table)
            held = [s for s in table.sessions if s.has_minutes and s.attendances]
            found.append(
                DemoTable(
                    id=table.id,
                    name=table.name["es"],
                    problem=next(n.id for n in nodes if n.kind == NodeKind.PROBLEM),
                    strategic={
                        n.id: n.text["es"]
                        for n in nodes
                        if n.kind == NodeKind.CAUSE and n.strategic
                    },
                    held_session=held[0].id if held else 0,
                    accepts_proposals=table.accepts_proposals(),
                )
            )
        db.session.remove()
    assert len(found) >= 3, "the demo should have its working tables"
    return found


def unique(text: str) -> str:
    return f"{text} {uuid.uuid4().hex[:8]}"


def path_of(url: str) -> str:
    return urlsplit(url).path


def mark_page(page) -> None:
    """A marker that only survives if the page is not loaded again."""
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__marker = 1; }")


def still_marked(page) -> bool:
    return page.evaluate("() => window.__marker") == 1


def htmx_request(page, action, url_part: str, status: int = 200, method: str = "POST"):
    """Do `action` (a click, a key press) and check htmx sent the request it causes."""
    with page.expect_response(lambda r: url_part in r.url and r.request.method == method) as answer:
        action()
    response = answer.value
    assert response.status == status, f"{response.url}: {response.status}"
    assert response.request.headers.get("hx-request") == "true"
    return response


def outline_item(page, text: str):
    """The outline's item (li) of the node showing exactly this text."""
    return page.locator("#tree li.node").filter(
        has=page.locator(":scope > p.node-text", has_text=text)
    )


def drawn_nodes(page, css: str, text: str):
    """The diagram's boxes matching `css` whose full text (their <title>) contains `text`."""
    return page.locator(f"#tree .diagram svg g.{css}").filter(
        has=page.locator("title", has_text=text)
    )


# ----- 1. building the tree in place --------------------------------------------------


def test_facilitator_builds_the_tree_in_place(new_context, sign_in, translate, demo_tables):
    table = demo_tables[0]
    page = new_context().new_page()
    sign_in(page, FACILITATOR)
    page.goto(table.tree_path)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    mark_page(page)

    # "Add a cause" on the central problem opens the form in place, focused.
    problem = page.locator(f"#node-{table.problem}")
    add_link = problem.locator(":scope > .node-actions a", has_text=translate("es", "Add a cause"))
    htmx_request(page, add_link.click, f"/tree?add={table.problem}", method="GET")
    form = problem.locator("form.node-form")
    expect(form).to_be_visible()
    spanish, english = form.locator("#node-text-es"), form.locator("#node-text-en")
    expect(spanish).to_be_focused()

    # Type a cause and press Enter: it is in the outline and in the drawing.
    cause = unique("Falta de mantenimiento preventivo")
    spanish.fill(cause)
    english.fill(unique("No preventive maintenance"))
    htmx_request(page, lambda: spanish.press("Enter"), "/tree/nodes")
    causes = page.locator("section[aria-labelledby=causes-title]")
    expect(causes.locator("li.node.cause > p.node-text", has_text=cause)).to_have_count(1)
    expect(drawn_nodes(page, "node.cause", cause)).to_have_count(1)
    assert still_marked(page), "adding a cause loaded the page again"

    # The add form stays open, empty and focused, for the next cause.
    form = page.locator(f"#node-{table.problem} form.node-form")
    spanish, english = form.locator("#node-text-es"), form.locator("#node-text-en")
    expect(spanish).to_be_focused()
    expect(spanish).to_have_value("")

    # Sent without the Spanish text: an error, and the English text is still there.
    typed = unique("Only in English")
    english.fill(typed)
    submit = form.locator("button[type=submit]")
    expect(submit).to_have_text(translate("es", "Add"))
    htmx_request(page, submit.click, "/tree/nodes", status=422)
    form = page.locator(f"#node-{table.problem} form.node-form")
    expect(form.get_by_role("alert")).to_have_text(
        translate("es", "Please correct the fields marked below. Nothing you typed was lost.")
    )
    expect(form.locator("#node-text-es-error")).to_have_text(
        translate("es", "Write this in Spanish.")
    )
    expect(form.locator("#node-text-es")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#node-text-en")).to_have_value(typed)
    expect(drawn_nodes(page, "node", typed)).to_have_count(0)
    assert still_marked(page)

    # Mark the new cause as strategic.
    item = outline_item(page, cause)
    expect(item).to_have_count(1)
    node_id = item.get_attribute("id")
    assert node_id and node_id.startswith("node-")
    item = page.locator(f"#{node_id}")
    mark = item.locator(
        ":scope > .node-actions button", has_text=translate("es", "Mark as strategic")
    )
    htmx_request(page, mark.click, f"/tree/nodes/{node_id[5:]}/strategic")
    expect(item).to_have_class(re.compile(r"\bstrategic\b"))
    expect(item.locator(":scope > p.node-text .strategic-mark")).to_contain_text(
        translate("es", "Strategic cause")
    )
    expect(drawn_nodes(page, "node.cause.strategic", cause)).to_have_count(1)
    expect(
        drawn_nodes(page, "node.cause.strategic", cause).locator("tspan.marker")
    ).to_contain_text(translate("es", "Strategic cause"))
    expect(
        item.locator(":scope > .node-actions button", has_text=translate("es", "Not strategic"))
    ).to_have_count(1)

    # Edit it in place: the form opens with its text, and saving shows the new text.
    edit = item.locator(":scope > .node-actions a", has_text=translate("es", "Edit"))
    htmx_request(page, edit.click, f"/tree?edit={node_id[5:]}", method="GET")
    edit_form = item.locator("form.node-form")
    expect(edit_form.locator("#node-text-es")).to_have_value(cause)
    expect(edit_form.locator("#node-text-es")).to_be_focused()
    renamed = unique("Mantenimiento sólo cuando hay fallas")
    edit_form.locator("#node-text-es").fill(renamed)
    save = edit_form.locator("button[type=submit]")
    expect(save).to_have_text(translate("es", "Save"))
    htmx_request(page, save.click, f"/tree/nodes/{node_id[5:]}")
    expect(item.locator(":scope > p.node-text")).to_contain_text(renamed)
    expect(item).to_have_class(re.compile(r"\bstrategic\b"))
    expect(drawn_nodes(page, "node.cause.strategic", renamed)).to_have_count(1)
    expect(drawn_nodes(page, "node", cause)).to_have_count(0)
    expect(outline_item(page, cause)).to_have_count(0)

    # Delete it, confirming the question htmx asks.
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    delete = item.locator(":scope > .node-actions button", has_text=translate("es", "Delete"))
    htmx_request(page, delete.click, f"/tree/nodes/{node_id[5:]}/delete")
    assert questions == [translate("es", "Delete this and everything that hangs from it?")]
    expect(page.locator(f"#{node_id}")).to_have_count(0)
    expect(outline_item(page, renamed)).to_have_count(0)
    expect(drawn_nodes(page, "node", renamed)).to_have_count(0)
    assert still_marked(page), "the tree was edited without loading the page again"

    # All of it persisted.
    page.reload()
    expect(outline_item(page, renamed)).to_have_count(0)
    expect(outline_item(page, cause)).to_have_count(0)


# ----- 2. reading the diagram ---------------------------------------------------------


def boxes(page, css: str) -> list[dict]:
    return page.locator(f".diagram svg g.{css}").evaluate_all(
        "gs => gs.map(g => { const r = g.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom}; })"
    )


def test_visitor_reads_and_downloads_the_diagram(new_context, translate, demo_tables):
    table = demo_tables[0]
    page = new_context().new_page()
    page.goto(table.path)

    # An image with a name: its title names the table's tree.
    svg = page.locator("main .diagram > svg")
    expect(svg).to_have_count(1)
    expect(svg).to_have_attribute("role", "img")
    title = translate("es", "Problem tree: %(name)s", name=table.name)
    expect(svg.locator(":scope > title")).to_have_text(title)
    expect(svg).to_have_accessible_name(re.compile(re.escape(title)))

    # Effects above the problem, causes below it.
    (problem,) = boxes(page, "node.problem")
    effects, causes = boxes(page, "node.effect"), boxes(page, "node.cause")
    assert effects and causes, "the demo tree has effects and causes"
    assert max(box["bottom"] for box in effects) <= problem["top"]
    assert min(box["top"] for box in causes) >= problem["bottom"]

    # The strategic causes are marked, in words as well as in colour.
    strategic = page.locator(".diagram svg g.node.strategic")
    expect(strategic).to_have_count(len(table.strategic))
    for cause_id, text in table.strategic.items():
        drawn = page.locator(f'.diagram svg g.node.cause.strategic[data-node-id="{cause_id}"]')
        expect(drawn.locator("title")).to_have_text(text)
        expect(drawn.locator("tspan.marker")).to_contain_text(translate("es", "Strategic cause"))

    # The download is the same diagram, as a standalone SVG document.
    link = page.get_by_role("link", name=translate("es", "Download the diagram (SVG)"))
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".svg")
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("<svg"), content[:80]
    root = ET.fromstring(content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.find("{http://www.w3.org/2000/svg}title").text == title
    drawn_ids = {
        g.get("data-node-id")
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if "strategic" in (g.get("class") or "").split()
    }
    assert drawn_ids == {str(cause_id) for cause_id in table.strategic}


def test_diagram_scrolls_sideways_on_a_phone(new_context, demo_tables):
    table = demo_tables[0]
    page = new_context(viewport=PHONE).new_page()
    for path in [table.path, table.tree_path]:
        page.goto(path)
        diagram = page.locator("main .diagram").first
        sizes = diagram.evaluate(
            """d => ({scroll: d.scrollWidth, client: d.clientWidth,
                      overflow: getComputedStyle(d).overflowX})"""
        )
        assert sizes["overflow"] in ("auto", "scroll"), f"{path}: {sizes}"
        assert sizes["scroll"] > sizes["client"], f"{path}: the diagram should scroll: {sizes}"
        assert diagram.evaluate("d => { d.scrollLeft = 120; return d.scrollLeft; }") > 0
        page_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert page_width <= PHONE["width"], f"{path}: the page scrolls sideways ({page_width})"

        # The node text is drawn at its natural size, never shrunk to fit.
        sizes = page.locator("main .diagram svg").first.evaluate(
            """svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return [...svg.querySelectorAll('g.node text')].map(
                    t => parseFloat(getComputedStyle(t).fontSize) * scale);
            }"""
        )
        assert sizes, path
        assert min(sizes) >= 13, f"{path}: node text at {min(sizes):.1f}px"


# ----- 3. the tree without JavaScript -------------------------------------------------


def test_facilitator_adds_a_cause_without_javascript(new_context, sign_in, translate, demo_tables):
    table = demo_tables[1]
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, FACILITATOR)
    assert path_of(page.url) != "/account/login", "logged in without JavaScript"
    page.goto(table.tree_path)

    problem = page.locator(f"#node-{table.problem}")
    with page.expect_navigation():
        problem.locator(":scope > .node-actions a", has_text=translate("es", "Add a cause")).click()
    assert path_of(page.url) == table.tree_path
    assert f"add={table.problem}" in page.url
    form = problem.locator("form.node-form")
    expect(form).to_be_visible()
    expect(problem.locator("h3")).to_have_text(translate("es", "New cause of the problem"))

    cause = unique("Cuadrillas sin vehículo propio")
    form.locator("#node-text-es").fill(cause)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert path_of(page.url) == table.tree_path, page.url
    causes = page.locator("section[aria-labelledby=causes-title]")
    expect(causes.locator("li.node.cause > p.node-text", has_text=cause)).to_have_count(1)
    expect(drawn_nodes(page, "node.cause", cause)).to_have_count(1)

    # Sent empty, the form comes back with the error, still without JavaScript.
    with page.expect_navigation():
        problem.locator(":scope > .node-actions a", has_text=translate("es", "Add a cause")).click()
    form = problem.locator("form.node-form")
    form.locator("#node-text-en").fill("Typed in English only")
    with page.expect_navigation() as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 422
    expect(form.locator("#node-text-es-error")).to_have_text(
        translate("es", "Write this in Spanish.")
    )
    expect(form.locator("#node-text-en")).to_have_value("Typed in English only")


# ----- 4. attendance ----------------------------------------------------------------


def test_attendance_is_recorded_in_place(new_context, sign_in, translate, demo_tables):
    table = demo_tables[0]
    assert table.held_session, "the demo's first table held a session"
    page = new_context().new_page()
    sign_in(page, FACILITATOR)
    page.goto(f"{table.path}/sessions/{table.held_session}")
    attendance = page.locator("#attendance")
    totals = attendance.locator("table")

    def present_total() -> int:
        return int(totals.locator("tfoot td").nth(1).inner_text())

    sector = attendance.locator("#attendee-sector")
    sector_label = sector.locator("option[value=academia]").inner_text().strip()
    sector_row = totals.locator("tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^\s*{re.escape(sector_label)}\s*$"))
    )
    before = present_total()
    in_sector = int(sector_row.locator("td").nth(1).inner_text()) if sector_row.count() else 0
    mark_page(page)

    name = unique("Mtra. Rosario Islas")
    attendance.locator("#attendee-name").fill(name)
    sector.select_option("academia")
    attendance.get_by_label(translate("es", "A person"), exact=True).check()
    button = attendance.locator("form.quick-entry button[type=submit]")
    expect(button).to_have_text(translate("es", "Add to the attendance"))
    htmx_request(page, button.click, f"/sessions/{table.held_session}/attendance")

    attendance = page.locator("#attendance")
    expect(attendance.locator("table tfoot td").nth(1)).to_have_text(str(before + 1))
    expect(sector_row.locator("td").nth(1)).to_have_text(str(in_sector + 1))
    # The facilitator sees the people by name; the quick form is empty for the next one.
    expect(attendance.locator("ul.people li", has_text=name)).to_have_count(1)
    expect(attendance.locator("#attendee-name")).to_have_value("")
    assert still_marked(page), "recording attendance loaded the page again"

    # A new name without its sector is refused in place, keeping what was typed.
    other = unique("Colectivo Sin Sector")
    attendance.locator("#attendee-name").fill(other)
    button = attendance.locator("form.quick-entry button[type=submit]")
    htmx_request(page, button.click, f"/sessions/{table.held_session}/attendance", status=422)
    attendance = page.locator("#attendance")
    expect(attendance.locator("#attendee-sector-error")).to_have_text(
        translate("es", "Choose the sector of a new participant.")
    )
    expect(attendance.locator("#attendee-name")).to_have_value(other)
    expect(attendance.locator("table tfoot td").nth(1)).to_have_text(str(before + 1))
    assert still_marked(page)

    page.reload()
    assert present_total() == before + 1
    expect(page.locator("#attendance ul.people li", has_text=other)).to_have_count(0)


def test_attendance_says_in_place_when_someone_is_already_present(
    new_context, sign_in, translate, demo_tables
):
    table = demo_tables[0]
    page = new_context().new_page()
    sign_in(page, FACILITATOR)
    page.goto(f"{table.path}/sessions/{table.held_session}")
    attendance = page.locator("#attendance")
    # An organisation already recorded as present (named in public and to the staff).
    present = attendance.locator("ul.people li").first.evaluate(
        "li => li.firstChild.textContent.trim()"
    )
    total = attendance.locator("table tfoot td").nth(1).inner_text()
    mark_page(page)

    attendance.locator("#attendee-name").fill(present)
    button = attendance.locator("form.quick-entry button[type=submit]")
    htmx_request(page, button.click, f"/sessions/{table.held_session}/attendance")
    attendance = page.locator("#attendance")
    expect(attendance.locator("table tfoot td").nth(1)).to_have_text(total)
    assert still_marked(page)
    notice = translate("es", "%(name)s was already on the list.", name=present)
    expect(attendance.get_by_text(notice)).to_be_visible(timeout=2_000)
    # Said once, in place: it does not wait for the next page either.
    page.goto(table.path)
    expect(page.get_by_text(notice)).to_have_count(0)


# ----- 5. proposing online --------------------------------------------------------


def citizen_name(live_app, email: str) -> str:
    from coplat.accounts.services import find_by_email
    from coplat.extensions import db

    with live_app.app_context():
        name = find_by_email(email).name
        db.session.remove()
    return name


def reopen_call(live_app, table: DemoTable) -> None:
    """The demo's calls closed during co-creation (its plan is being implemented): the
    facilitator opens the table's call again for two weeks."""
    from datetime import timedelta

    from coplat.core.models import utcnow
    from coplat.extensions import db
    from coplat.tables.models import WorkingTable

    with live_app.app_context():
        db.session.get(WorkingTable, table.id).proposals_close_at = utcnow() + timedelta(days=14)
        db.session.commit()
        db.session.remove()


def test_citizen_proposes_a_solution_online(new_context, sign_in, translate, live_app, demo_tables):
    table = next((t for t in demo_tables if t.accepts_proposals), None)
    if table is None:
        # The public-works table, whose call closed last.
        table = demo_tables[-1]
        reopen_call(live_app, table)
    page = new_context().new_page()
    sign_in(page, CITIZEN)
    page.goto(table.path)

    propose = page.locator("#propose")
    expect(propose.locator("h3")).to_have_text(translate("es", "Propose a solution"))
    title = unique("Publicar cada contrato de obra con su avance en fotos")
    propose.locator("#proposal-title").fill(title)

    # Sent without choosing a cause: refused, keeping the proposal's title.
    with page.expect_navigation() as answer:
        propose.locator("button[type=submit]").click()
    assert answer.value.status == 422
    expect(propose.locator("#proposal-cause-error")).to_be_visible()
    expect(propose.locator("#proposal-title")).to_have_value(title)

    cause_id, cause_text = next(iter(table.strategic.items()))
    propose.locator("#proposal-cause").select_option(str(cause_id))
    propose.locator("#proposal-description").fill(
        "Una ficha por obra, actualizada cada mes, con la empresa y el monto."
    )
    send = propose.locator("button[type=submit]")
    expect(send).to_have_text(translate("es", "Send my proposal"))
    with page.expect_navigation():
        send.click()

    assert re.search(rf"{re.escape(table.path)}/proposals/\d+$", path_of(page.url)), page.url
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("main .badge.pending")).to_have_text(translate("es", "Pending decision"))
    expect(page.locator("main dl.facts")).to_contain_text(citizen_name(live_app, CITIZEN))
    expect(page.locator("main dl.facts")).to_contain_text(cause_text)
    expect(page.locator(".alert-success, [role=status]").first).to_contain_text(
        translate("es", "Thank you! Your proposal is public and awaits the table's decision.")
    )

    # It is listed on the table's page, pending.
    page.goto(table.path)
    listed = page.locator("#proposals li", has_text=title)
    expect(listed.locator(".badge")).to_have_text(translate("es", "Pending decision"))
