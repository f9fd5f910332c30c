"""axe-core finds no serious or critical accessibility violation on the main pages,
logged out and logged in, with every <details> opened so its forms are checked too."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
PUBLIC_PAGES = [
    "/",
    "/e/demo",
    "/e/demo/steps/1",
    "/e/demo/steps/2",
    "/e/demo/steps/3",
    "/e/demo/tables",
    "/e/demo/commitments",
    "/e/demo/feedback",
    "/e/demo/feedback?decision=pending",
    "/e/demo/feedback/verify",
    "/e/demo/plan",
    "/e/demo/plan/vision",
    "/e/demo/plan/readiness",
    "/account/login",
    "/account/register",
    "/privacy",
]
ADMIN_PAGES = ["/exercises/new", "/e/demo/edit", "/e/demo/roles"]
FACILITATOR_PAGES = [
    "/",
    "/e/demo",
    "/e/demo/steps/1",
    "/e/demo/steps/2",
    "/e/demo/steps/3",
    "/e/demo/tables",
    "/e/demo/commitments",
    "/e/demo/commitments/new",
    "/e/demo/plan",
    "/e/demo/plan/vision",
]
# The point of contact edits the strategic vision and submits the plan.
POINT_OF_CONTACT_PAGES = ["/e/demo/plan", "/e/demo/plan/vision", "/e/demo/plan/readiness"]


@pytest.fixture(scope="module")
def axe():
    return Axe()


def blocking_violations(axe, page) -> list[str]:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(
            f"    {node['target']}: {node.get('failureSummary', '')}" for node in v["nodes"]
        )
        for v in violations
        if v["impact"] in BLOCKING
    ]


def check(axe, page, paths, label):
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path} ({label}) answered {response.status}"
        problems += [f"{path} ({label}) {p}" for p in blocking_violations(axe, page)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
def test_public_pages_logged_out(new_context, axe, locale):
    check(axe, new_context(locale=locale).new_page(), PUBLIC_PAGES, f"logged out, {locale}")


def test_pages_logged_in_as_facilitator(page, axe, sign_in):
    sign_in(page, "facilitadora@demo.coplat.mx")
    check(axe, page, [*FACILITATOR_PAGES, "/account/"], "facilitator")


def test_pages_logged_in_as_point_of_contact(page, axe, sign_in):
    sign_in(page, "enlace@demo.coplat.mx")
    check(axe, page, POINT_OF_CONTACT_PAGES, "point of contact")


def test_administration_pages(page, axe, sign_in):
    sign_in(page, "admin@demo.coplat.mx")
    check(axe, page, ADMIN_PAGES, "administrator")


@pytest.mark.parametrize("account", [None, "facilitadora@demo.coplat.mx", "admin@demo.coplat.mx"])
def test_phone_width(new_context, axe, sign_in, account):
    """At 360 px wide tables scroll sideways, and such regions must be reachable by
    keyboard (scrollable-region-focusable)."""
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    paths = ["/", "/e/demo", "/e/demo/steps/1", "/e/demo/steps/2", "/e/demo/steps/3"]
    if account:
        sign_in(page, account)
    if account == "admin@demo.coplat.mx":
        paths += ADMIN_PAGES
    check(axe, page, paths, f"360 px wide, {account or 'logged out'}")


def test_forms_showing_errors(page, axe, sign_in):
    page.goto("/account/register")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    problems = blocking_violations(axe, page)
    sign_in(page, "facilitadora@demo.coplat.mx", "wrong password")
    problems += blocking_violations(axe, page)
    assert not problems, "\n".join(problems)


# ----- the topic consultation ---------------------------------------------------------
# The open one of `open_consultation` (votes, proposals, moderation in progress) and,
# when the demo has one, the demo's closed and prioritised one.


def consultation_paths(consultation) -> dict[str, list[str]]:
    base = consultation.path
    return {
        "public": [
            f"/e/{consultation.slug}",
            base,
            f"{base}?state=rejected",
            consultation.topic_path("water"),
            f"{base}/results",
        ],
        "citizen": [base, consultation.topic_path("lighting"), f"{base}/profile"],
        "facilitator": [
            base,
            f"{base}/moderation",
            f"{base}/settings",
            f"{base}/offline",
            f"{base}/offline/{consultation.offline_input}",
            f"{base}/topics/{consultation.pending}",
            f"{base}/topics/{consultation.pending}/edit",
        ],
        # Moderation and prioritisation decide, in the feedback log: not the administrator's.
        "administrator": [f"{base}/settings", f"{base}/offline"],
    }


@pytest.fixture(scope="module")
def demo_consultation_paths(live_app) -> dict[str, list[str]]:
    """The demo consultation's pages, one topic of each outcome; empty lists when the
    demo has no consultation."""
    import sqlalchemy as sa

    from coplat.consultation.enums import TopicState
    from coplat.consultation.models import Topic
    from coplat.exercises.services import get_exercise
    from coplat.extensions import db

    with live_app.app_context():
        consultation = get_exercise("demo").consultation
        if consultation is None:
            db.session.remove()
            return {"public": [], "staff": []}
        base = "/e/demo/consultation"
        topics = [
            db.session.scalar(
                sa.select(Topic.id)
                .where(Topic.consultation_id == consultation.id, condition)
                .order_by(Topic.id)
                .limit(1)
            )
            for condition in [
                Topic.prioritised.is_(True),
                Topic.state == TopicState.REJECTED,
                Topic.state == TopicState.MERGED,
            ]
        ]
        records = [r.id for r in consultation.offline_inputs[:1]]
        db.session.remove()
    topic_pages = [f"{base}/topics/{topic_id}" for topic_id in topics if topic_id]
    return {
        "public": [
            base,
            f"{base}?state=rejected",
            f"{base}?state=merged",
            *topic_pages,
            f"{base}/results",
        ],
        "staff": [
            f"{base}/moderation",
            f"{base}/settings",
            f"{base}/offline",
            *[f"{base}/offline/{record}" for record in records],
            f"{base}/prioritise",
        ],
    }


@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
def test_consultation_pages_logged_out(
    new_context, axe, locale, open_consultation, demo_consultation_paths
):
    paths = consultation_paths(open_consultation)["public"] + demo_consultation_paths["public"]
    check(axe, new_context(locale=locale).new_page(), paths, f"logged out, {locale}")


def test_consultation_pages_as_citizen_who_voted(page, axe, sign_in, open_consultation):
    sign_in(page, open_consultation.accounts["reader"], PASSWORD)
    check(axe, page, consultation_paths(open_consultation)["citizen"], "citizen")


def test_consultation_staff_pages_as_facilitator(page, axe, sign_in, open_consultation):
    sign_in(page, open_consultation.accounts["facilitator"], PASSWORD)
    check(axe, page, consultation_paths(open_consultation)["facilitator"], "facilitator")


def test_demo_consultation_staff_pages_as_facilitator(page, axe, sign_in, demo_consultation_paths):
    if not demo_consultation_paths["staff"]:
        pytest.skip("the demo has no consultation")
    sign_in(page, "facilitadora@demo.coplat.mx")
    paths = [p for p in demo_consultation_paths["staff"] if not p.endswith("/prioritise")]
    check(axe, page, paths, "facilitator")


def test_consultation_staff_pages_as_administrator(
    page, axe, sign_in, open_consultation, demo_consultation_paths
):
    sign_in(page, "admin@demo.coplat.mx")
    paths = consultation_paths(open_consultation)["administrator"]
    demo = [
        p
        for p in demo_consultation_paths["staff"]
        if not p.endswith(("/moderation", "/prioritise"))
    ]
    check(axe, page, paths + demo, "administrator")


def test_demo_prioritisation_page_as_stl_member(page, axe, sign_in, demo_consultation_paths):
    """Only the STL prioritises, so only an STL member reaches the page."""
    paths = [p for p in demo_consultation_paths["staff"] if p.endswith("/prioritise")]
    if not paths:
        pytest.skip("the demo has no consultation")
    sign_in(page, "stl.sociedad@demo.coplat.mx")
    check(axe, page, paths, "STL member")


@pytest.mark.parametrize("account", [None, "reader", "facilitator"])
def test_consultation_pages_at_phone_width(new_context, axe, sign_in, open_consultation, account):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    paths = consultation_paths(open_consultation)
    if account:
        sign_in(page, open_consultation.accounts[account], PASSWORD)
    check(
        axe,
        page,
        paths["facilitator" if account == "facilitator" else "public"],
        f"360 px wide, {account or 'logged out'}",
    )


def test_consultation_forms_showing_errors(new_context, axe, sign_in, open_consultation):
    """An empty topic proposal and an empty offline record come back with errors."""
    base = open_consultation.path
    page = new_context().new_page()
    sign_in(page, open_consultation.accounts["reader"], PASSWORD)
    page.goto(base)
    page.locator("#propose summary").click()
    with page.expect_navigation():
        page.locator("#propose button[type=submit]").click()
    assert page.locator("#propose .error").count() > 0
    problems = blocking_violations(axe, page)

    page = new_context().new_page()
    sign_in(page, open_consultation.accounts["facilitator"], PASSWORD)
    page.goto(f"{base}/offline")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    assert page.locator("main form.stacked .error").count() > 0
    problems += blocking_violations(axe, page)
    assert not problems, "\n".join(problems)


# ----- the working tables ---------------------------------------------------------------
# The demo's tables: each table's page (its diagram inline), a tree page, a held
# session, a proposal; for the facilitator the same pages with their editors, the tree
# with a form open in place, and the forms of the sessions and proposals.


@pytest.fixture(scope="module")
def demo_table_paths(live_app) -> dict[str, list[str]]:
    import sqlalchemy as sa

    from coplat.exercises.services import get_exercise
    from coplat.extensions import db
    from coplat.tables import services
    from coplat.tables.enums import NodeKind
    from coplat.tables.models import Proposal, WorkingTable

    with live_app.app_context():
        exercise = get_exercise("demo")
        tables = db.session.scalars(
            sa.select(WorkingTable)
            .where(WorkingTable.exercise_id == exercise.id)
            .order_by(WorkingTable.id)
        ).all()
        assert tables, "the demo has working tables"
        table = tables[0]
        base = f"/e/demo/tables/{table.id}"
        nodes = services.tree_nodes(table)
        problem = next(n.id for n in nodes if n.kind == NodeKind.PROBLEM)
        cause = next(n.id for n in nodes if n.kind == NodeKind.CAUSE and n.strategic)
        effect = next(n.id for n in nodes if n.kind == NodeKind.EFFECT)
        session = next(s.id for s in table.sessions if s.has_minutes and s.attendances)
        proposal = db.session.scalar(
            sa.select(Proposal.id)
            .where(Proposal.table_id == table.id, Proposal.decision.is_(None))
            .order_by(Proposal.id)
            .limit(1)
        ) or db.session.scalar(sa.select(Proposal.id).where(Proposal.table_id == table.id).limit(1))
        db.session.remove()
    return {
        "public": [
            "/e/demo/tables",
            *[f"/e/demo/tables/{t.id}" for t in tables],
            f"{base}/tree",
            f"{base}/sessions/{session}",
            f"{base}/proposals/{proposal}",
        ],
        "facilitator": [
            "/e/demo/tables",
            base,
            f"{base}/tree",
            f"{base}/tree?add={problem}&kind=cause",
            f"{base}/tree?add={problem}&kind=effect",
            f"{base}/tree?edit={cause}",
            f"{base}/tree?edit={effect}",
            f"{base}/tree?edit={problem}",
            f"{base}/tree/history",
            f"{base}/sessions/{session}",
            f"{base}/sessions/{session}/minutes",
            f"{base}/sessions/new",
            f"{base}/settings",
            f"{base}/proposals/new",
            f"{base}/proposals/{proposal}",
            f"{base}/proposals/{proposal}/edit",
        ],
        "phone": ["/e/demo/tables", base, f"{base}/tree", f"{base}/sessions/{session}"],
        "tree": [f"{base}/tree", str(problem)],
    }


@pytest.mark.parametrize("locale", ["es-MX", "en-US"])
def test_table_pages_logged_out(new_context, axe, locale, demo_table_paths):
    page = new_context(locale=locale).new_page()
    check(axe, page, demo_table_paths["public"], f"logged out, {locale}")


def test_table_pages_as_facilitator(page, axe, sign_in, demo_table_paths):
    sign_in(page, "facilitadora@demo.coplat.mx")
    check(axe, page, demo_table_paths["facilitator"], "facilitator")


@pytest.mark.parametrize("account", [None, "facilitadora@demo.coplat.mx"])
def test_table_pages_at_phone_width(new_context, axe, sign_in, demo_table_paths, account):
    """The diagram scrolls sideways in its own region, which must take keyboard focus."""
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    if account:
        sign_in(page, account)
    check(axe, page, demo_table_paths["phone"], f"360 px wide, {account or 'logged out'}")


def test_tree_form_showing_errors_in_place(page, axe, sign_in, demo_table_paths):
    """The add form of the tree, opened and sent empty with htmx, shows its errors."""
    tree, problem = demo_table_paths["tree"]
    sign_in(page, "facilitadora@demo.coplat.mx")
    page.goto(f"{tree}?add={problem}&kind=cause")
    page.wait_for_function("() => window.htmx !== undefined")
    form = page.locator(f"#node-{problem} form.node-form")
    with page.expect_response(lambda r: r.url.endswith("/tree/nodes")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 422
    page.locator(f"#node-{problem} form.node-form .error").first.wait_for()
    problems = blocking_violations(axe, page)
    assert not problems, "\n".join(problems)
