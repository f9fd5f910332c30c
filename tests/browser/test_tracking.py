"""The tracking pages in Chromium, on the demo two quarters into implementation: the
implementer records a milestone's progress in place on a phone; a citizen's comment on
a progress report reaches the public once the facilitator publishes it; the monitoring
body's deadlines; axe-core on every tracking page, for the people who use them."""

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .test_accessibility import check
from .test_phone import WIDTH, overflow
from .test_tables import htmx_request, mark_page, still_marked

pytestmark = pytest.mark.browser

IMPLEMENTER = "implementadora@demo.coplat.mx"
FACILITATOR = "facilitadora@demo.coplat.mx"
POINT_OF_CONTACT = "enlace@demo.coplat.mx"
MONITORING = "monitoreo@demo.coplat.mx"
CITIZEN = "ciudadana@demo.coplat.mx"


@dataclass(frozen=True)
class DemoTracking:
    implementers_commitment: int
    milestone: int  # one of it, not finished
    flagged: int  # the commitment with no progress
    window: tuple[tuple[int, int], tuple[int, int]]  # the two quarters it had none: (year, n)
    report: int  # the latest report on the implementer's commitment
    initial_assessment: int


@pytest.fixture(scope="module")
def demo_tracking(live_app) -> DemoTracking:
    import sqlalchemy as sa

    from coplat.accounts.models import Role, User
    from coplat.exercises.models import Exercise
    from coplat.extensions import db
    from coplat.plan.services import find_plan
    from coplat.tracking import rules
    from coplat.tracking.enums import AssessmentKind
    from coplat.tracking.models import ProgressReport

    with live_app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "demo"))
        implementer = db.session.scalar(sa.select(User).where(User.email == IMPLEMENTER))
        commitment = implementer.assignment(exercise.id, Role.IMPLEMENTER).commitment
        plan = find_plan(exercise)
        [flagged] = rules.board(plan).flagged
        report = db.session.scalars(
            sa.select(ProgressReport)
            .where(ProgressReport.commitment_id == commitment.id)
            .order_by(ProgressReport.year.desc(), ProgressReport.quarter.desc())
        ).first()
        [initial] = [d for d in rules.deadlines(plan) if d.kind == AssessmentKind.INITIAL]
        found = DemoTracking(
            implementers_commitment=commitment.id,
            milestone=next(m.id for m in commitment.milestones if m.status not in rules.FINISHED),
            flagged=flagged.commitment.id,
            window=tuple(
                (q.year, q.number) for q in rules.quiet_quarters(plan, rules.today_of(exercise))
            ),
            report=report.id,
            initial_assessment=initial.assessment.id,
        )
        db.session.remove()
    return found


def fits(page) -> None:
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{page.url}: scrollWidth {scroll_width}; {overflow(page)}"


def test_the_implementer_records_progress_in_place_on_a_phone(
    new_context, sign_in, translate, demo_tracking
):
    """The demo's accounts read Spanish, whatever the browser asks for."""
    page = new_context(locale="en-US", viewport={"width": WIDTH, "height": 740}).new_page()
    sign_in(page, IMPLEMENTER)
    path = f"/e/demo/tracking/commitments/{demo_tracking.implementers_commitment}"
    page.goto(path)
    fits(page)
    milestone = page.locator(f"#milestone-{demo_tracking.milestone}")
    prefix = f"milestone-{demo_tracking.milestone}"
    mark_page(page)
    milestone.locator("summary").click()
    page.locator(f"#{prefix}-status").select_option("stuck")
    page.locator(f"#{prefix}-progress-es").fill("El proveedor no entregó las luminarias.")
    page.locator(f"#{prefix}-progress-en").fill("The supplier did not deliver the lamps.")
    htmx_request(page, lambda: milestone.locator("button[type=submit]").click(), "/milestones/")

    milestone = page.locator(f"#milestone-{demo_tracking.milestone}")
    expect(milestone.locator(".badge.milestone-stuck")).to_have_text(translate("es", "Stuck"))
    expect(milestone).to_contain_text("El proveedor no entregó las luminarias.")
    expect(milestone).to_contain_text(translate("es", "Implementer"))
    assert still_marked(page)
    fits(page)

    # The public sees the same history on the board's commitment page.
    visitor = new_context(locale="en-US").new_page()
    visitor.goto(path)
    expect(visitor.locator(f"#milestone-{demo_tracking.milestone}")).to_contain_text(
        "The supplier did not deliver the lamps."
    )


def test_the_flagged_commitment_says_so_on_its_page(page, translate, demo_tracking):
    page.goto(f"/e/demo/tracking/commitments/{demo_tracking.flagged}")
    first, second = (
        translate("es", "Q%(number)s %(year)s", number=number, year=year)
        for year, number in demo_tracking.window
    )
    flag = translate(
        "es", "No progress recorded in %(first)s and %(second)s.", first=first, second=second
    )
    expect(page.locator("main .alert-warning")).to_contain_text(flag)
    page.goto(f"/e/demo/tracking/commitments/{demo_tracking.implementers_commitment}")
    expect(page.locator("main .alert-warning")).to_have_count(0)


def test_a_comment_reaches_the_public_once_published(
    new_context, sign_in, translate, demo_tracking
):
    report = f"/e/demo/tracking/reports/{demo_tracking.report}"
    citizen = new_context(locale="en-US").new_page()
    sign_in(citizen, CITIZEN)
    citizen.goto(report)
    citizen.locator("#body").fill("¿Cuándo se publica el padrón de luminarias?")
    htmx_request(
        citizen, lambda: citizen.locator("#comments button[type=submit]").click(), "/comments"
    )
    expect(citizen.locator("#comments")).to_contain_text(translate("es", "Waiting for moderation"))

    visitor = new_context(locale="en-US").new_page()
    visitor.goto(report)
    expect(visitor.locator("#comments")).not_to_contain_text("padrón de luminarias")

    facilitator = new_context(locale="en-US").new_page()
    sign_in(facilitator, FACILITATOR)
    facilitator.goto("/e/demo/tracking/comments")
    card = facilitator.locator("article.card").filter(has_text="padrón de luminarias")
    htmx_request(
        facilitator, lambda: card.locator("button[value=publish]").click(), "/tracking/comments/"
    )
    visitor.goto(report)
    expect(visitor.locator("#comments")).to_contain_text(
        "¿Cuándo se publica el padrón de luminarias?"
    )


def test_the_assessments_show_the_initial_one_published_on_time(new_context, demo_tracking):
    page = new_context(locale="en-US").new_page()
    page.goto("/e/demo/assessments")
    expect(page.locator("main")).to_contain_text("On time")
    expect(page.locator("main")).not_to_contain_text("Published late")
    page.goto(f"/e/demo/assessments/{demo_tracking.initial_assessment}")
    expect(page.locator("h1")).to_contain_text("Initial assessment")


@pytest.fixture(scope="module")
def axe():
    return Axe()


def tracking_pages(demo: DemoTracking) -> list[str]:
    return [
        f"/e/demo/tracking/commitments/{demo.implementers_commitment}",
        f"/e/demo/tracking/commitments/{demo.flagged}",
        f"/e/demo/tracking/reports/{demo.report}",
        "/e/demo/assessments",
        f"/e/demo/assessments/{demo.initial_assessment}",
        "/e/demo/plan",
        "/e/demo/plan/launch",
        "/e/demo/site/contact",
    ]


@pytest.mark.parametrize(
    "account, extra",
    [
        (None, []),
        (IMPLEMENTER, []),
        (POINT_OF_CONTACT, ["new_report"]),
        (FACILITATOR, ["/e/demo/tracking/comments"]),
        (MONITORING, ["/e/demo/assessments/commitment/{commitment}", "/e/demo/assessments/final"]),
    ],
)
def test_tracking_pages_have_no_serious_accessibility_violation(
    new_context, sign_in, axe, demo_tracking, account, extra
):
    page = new_context(viewport={"width": WIDTH, "height": 740}).new_page()
    if account:
        sign_in(page, account)
    paths = tracking_pages(demo_tracking)
    for path in extra:
        if path == "new_report":
            path = f"/e/demo/tracking/commitments/{demo_tracking.flagged}/reports/new"
        paths.append(path.format(commitment=demo_tracking.implementers_commitment))
    check(axe, page, paths, f"360 px wide, {account or 'logged out'}")
    for path in paths:
        page.goto(path)
        fits(page)
