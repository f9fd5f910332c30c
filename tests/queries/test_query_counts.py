"""Every public page sends no more SQL statements when the data is six times bigger.

The demo exercise is read page by page, as an anonymous visitor, counting the statements
of each request; then it is made about six times bigger (tests/queries/grow.py: more
topics, votes, participants, categories, offline input, tables, tree nodes, sessions,
attendance, proposals, commitments, milestones, revisions, reviews, updates, reports,
comments, evidence, endorsements, attachments and log entries) and read again. A page
whose count grew reads something row by row; the failure names the statements sent more
often.

Every GET route of the app is either counted here (PAGES) or listed in EXEMPT with the
reason; a new route fails `test_every_public_page_is_counted` until it is one or the
other. The staff-only ones are checked to refuse an anonymous visitor."""

import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask import url_for

from coplat.commitments.models import CommitmentRevision, Milestone
from coplat.consultation.models import Consultation, OfflineInput, Topic, TopicCategory, Vote
from coplat.consultation.views import TOPICS_PER_PAGE
from coplat.demo import DEMO_SLUG
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.chain import verify
from coplat.feedback.models import FeedbackEntry
from coplat.plan.models import PlanCommitment
from coplat.tables.models import Attendance, Proposal, SessionAttachment, TableSession, TreeNode
from coplat.tracking.models import (
    CommitmentRating,
    Evidence,
    MilestoneUpdate,
    ProgressComment,
    ProgressReport,
)
from tests.queries.grow import grow, measured_records, round_out

E = f"/e/{DEMO_SLUG}"

# Every public page, as an anonymous visitor asks for it; {name} is a measured record
# (tests/queries/grow.py, `measured_records`).
PAGES = [
    "/",
    "/account/login",
    "/account/register",
    "/privacy",
    "/healthz",
    E,
    *(f"{E}/steps/{number}" for number in range(1, 7)),
    # The consultation: its topic list, filtered and paged, its results and open data.
    f"{E}/consultation",
    f"{E}/consultation?sort=new",
    f"{E}/consultation?state=rejected",
    f"{E}/consultation?state=merged",
    f"{E}/consultation?category={{category}}",
    f"{E}/consultation?page=2",
    f"{E}/consultation/topics/{{topic}}",
    f"{E}/consultation/results",
    f"{E}/consultation/topics.csv",
    f"{E}/consultation/topics.json",
    f"{E}/consultation/participation.csv",
    f"{E}/consultation/participation.json",
    # The working tables.
    f"{E}/tables",
    f"{E}/tables/{{table}}",
    f"{E}/tables/{{table}}/tree",
    f"{E}/tables/{{table}}/tree.svg",
    f"{E}/tables/{{table}}/sessions/{{session}}",
    f"{E}/tables/{{table}}/proposals/{{proposal}}",
    # Commitments and their revisions.
    f"{E}/commitments",
    f"{E}/commitments/{{commitment}}",
    f"{E}/commitments/{{commitment}}/revisions",
    f"{E}/commitments/{{commitment}}/revisions/1",
    f"{E}/commitments/{{commitment}}/revisions/compare",
    # The feedback log: first page and filtered (the summary is on each), its downloads
    # and the chain's verification.
    f"{E}/feedback",
    f"{E}/feedback?decision=rejected&q=a",
    f"{E}/feedback?stage=working_table&table={{table}}",
    f"{E}/feedback?decision=pending",
    f"{E}/feedback?category={{category}}",
    # (Its later pages: tests/feedback/test_log_queries.py, on logs built for it.)
    f"{E}/feedback/log.csv",
    f"{E}/feedback/log.json",
    f"{E}/feedback/verify",
    # The plan, its readiness and exports; the forms it shows read-only.
    f"{E}/plan",
    f"{E}/plan/readiness",
    f"{E}/plan/vision",
    f"{E}/plan/export.json",
    f"{E}/plan/export.csv",
    f"{E}/plan/export.html",
    # (DOCX and PDF render the same document as these, without the database.)
    f"{E}/plan/launch",
    f"{E}/site/contact",
    # Implementation: the board, a commitment's progress, a report, the assessments.
    f"{E}/tracking",
    f"{E}/tracking.csv",
    f"{E}/tracking.json",
    f"{E}/tracking/commitments/{{commitment}}",
    f"{E}/tracking/reports/{{report}}",
    f"{E}/assessments",
    f"{E}/assessments/{{assessment}}",
    # The evidence repository, search and news.
    f"{E}/evidence",
    f"{E}/evidence?type=photos",
    f"{E}/evidence?q=a",
    f"{E}/evidence?step=4",
    f"{E}/evidence?page=2",
    f"{E}/evidence/commitments/{{commitment}}",
    f"{E}/search?q=agua",
    f"{E}/news",
    f"{E}/news?page=2",
    "/files/{upload}/evidencia.pdf",
]

STAFF_ONLY = "staff only: an anonymous visitor is sent to log in"
OWN = "a signed-in person's own record: an anonymous visitor is sent to log in"
NO_DATABASE = "the package's own files: no database"
LANGUAGE = "not a page: the language switch sends the visitor back (no statement, checked)"
# GET routes not counted, and why. All but these two are checked to send an anonymous
# visitor to log in.
EXEMPT = {
    "static": NO_DATABASE,
    "core.set_language": LANGUAGE,
    "accounts.account": OWN,
    "consultation.profile": OWN,
    **{
        endpoint: STAFF_ONLY
        for endpoint in (
            "commitments.new",
            "commitments.edit",
            "commitments.withdraw",
            "consultation.settings",
            "consultation.moderation",
            "consultation.edit_topic",
            "consultation.offline",
            "consultation.offline_input",
            "consultation.prioritise",
            "exercises.create",
            "exercises.edit",
            "exercises.roles",
            "feedback.correct_entry",
            "site.add_evidence",
            "tables.settings",
            "tables.new_session",
            "tables.edit_session",
            "tables.minutes",
            "tables.enter_proposal",
            "tables.edit_proposal",
            "tables.tree_history",
            "tracking.assess",
            "tracking.moderation",
            "tracking.new_report",
        )
    },
}


@contextmanager
def counted(engine):
    """The SQL statements sent while the block runs."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


@dataclass
class Reading:
    """Each page's statements, read at one size of the data."""

    statements: dict[str, list[str]]
    sizes: dict[str, int]


def read_pages(app, urls: dict[str, str], warm_up: bool) -> dict[str, list[str]]:
    """Each page's statements, counted on its second reading when warming up (anything
    done once per process is done on the first). Each request has its own app context
    and session, as on a server: nothing read for one page is at hand for the next."""
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    statements = {}
    for page, url in urls.items():
        if warm_up:
            client.get(url)
        with counted(engine) as sent:
            response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
        statements[page] = sent
    return statements


def count(model, *where) -> sa.Select:
    return sa.select(sa.func.count()).select_from(model).where(*where)


def sizes(measured: dict[str, int]) -> dict[str, int]:
    """How much there is, in all and of what the measured pages show."""
    queries = {
        "topics": count(Topic),
        "votes": count(Vote),
        "tree nodes": count(TreeNode),
        "sessions": count(TableSession),
        "proposals": count(Proposal),
        "plan commitments": count(PlanCommitment),
        "milestone updates": count(MilestoneUpdate),
        "report comments": count(ProgressComment),
        "evidence": count(Evidence),
        "log entries": count(FeedbackEntry),
        "topics merged into the topic": count(Topic, Topic.merged_into_id == measured["topic"]),
        "entries on the topic": count(FeedbackEntry, FeedbackEntry.topic_id == measured["topic"]),
        "nodes of the table": count(TreeNode, TreeNode.table_id == measured["table"]),
        "sessions of the table": count(TableSession, TableSession.table_id == measured["table"]),
        "proposals of the table": count(Proposal, Proposal.table_id == measured["table"]),
        "present at the session": count(Attendance, Attendance.session_id == measured["session"]),
        "files of the session": count(
            SessionAttachment, SessionAttachment.session_id == measured["session"]
        ),
        "entries on the proposal": count(
            FeedbackEntry, FeedbackEntry.proposal_id == measured["proposal"]
        ),
        "milestones of the commitment": count(
            Milestone, Milestone.commitment_id == measured["commitment"]
        ),
        "revisions of the commitment": count(
            CommitmentRevision, CommitmentRevision.commitment_id == measured["commitment"]
        ),
        "reports on the commitment": count(
            ProgressReport, ProgressReport.commitment_id == measured["commitment"]
        ),
        "comments on the report": count(
            ProgressComment, ProgressComment.report_id == measured["report"]
        ),
        "ratings of the assessment": count(
            CommitmentRating, CommitmentRating.assessment_id == measured["assessment"]
        ),
    }
    return {name: db.session.scalar(query) for name, query in queries.items()}


def demo() -> Exercise:
    return db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


def url_values(measured: dict[str, int]) -> dict[str, int]:
    """The measured records, and a category of the consultation for the filters."""
    exercise = demo()
    category = db.session.scalar(
        sa.select(TopicCategory.id)
        .join(Consultation)
        .where(Consultation.exercise_id == exercise.id)
        .order_by(TopicCategory.position, TopicCategory.id)
        .limit(1)
    )
    return {**measured, "category": category}


@pytest.fixture(scope="module")
def readings(app, shared_demo) -> dict[str, Reading]:
    """The pages read on the demo ("small") and on the demo grown ("large")."""
    with app.app_context():
        measured = measured_records(demo())
        round_out(demo(), measured, topics_per_page=TOPICS_PER_PAGE)
        values = url_values(measured)
        small_sizes = sizes(measured)
    urls = {page: page.format(**values) for page in PAGES}
    small = Reading(read_pages(app, urls, warm_up=True), small_sizes)
    with app.app_context():
        grow(demo(), measured)
        large_sizes = sizes(measured)
    large = Reading(read_pages(app, urls, warm_up=False), large_sizes)
    return {"small": small, "large": large}


def shape(statement: str) -> str:
    """A statement on one line, its IN lists shortened, to tell which ones grew."""
    statement = re.sub(r"\s+", " ", statement)
    return re.sub(r"IN \([^)]*\)", "IN (…)", statement)[:300]


@pytest.mark.parametrize("page", PAGES)
def test_a_public_page_costs_no_more_queries_on_more_data(readings, page, shared_demo):
    """As many statements or fewer: an eager load with nothing to load on the page shown
    (no merged topic among a page of the log, say) sends none."""
    small = readings["small"].statements[page]
    large = readings["large"].statements[page]
    more = Counter(map(shape, large)) - Counter(map(shape, small))
    assert len(large) <= len(small), (
        f"{page}: {len(small)} statements on the demo, {len(large)} on the demo grown; "
        f"the ones sent more often: {dict(more)}"
    )


def test_the_large_exercise_is_several_times_bigger(app, readings, shared_demo):
    with app.app_context():
        assert verify(demo().id).intact, "the grown log is sealed in its chain"
    small, large = readings["small"].sizes, readings["large"].sizes
    assert all(small.values()), small
    for name in small:
        # The plan is limited to twelve commitments: three times the demo's four.
        times = 3 if name in ("plan commitments", "ratings of the assessment") else 5
        assert large[name] >= times * small[name], (name, small[name], large[name])


def test_every_public_page_is_counted(app, shared_demo):
    """Each GET route is counted in PAGES or exempt with a reason."""
    adapter = app.url_map.bind(app.config["SERVER_NAME"])
    any_record = defaultdict(lambda: 1)
    counted_endpoints = {
        adapter.match(page.split("?")[0].format_map(any_record))[0] for page in PAGES
    }
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert not counted_endpoints & EXEMPT.keys()
    assert routes - counted_endpoints - EXEMPT.keys() == set(), "count these pages, or exempt"
    assert EXEMPT.keys() - routes == set(), "exempt routes that no longer exist"


def test_the_language_switch_sends_a_visitor_back_without_a_statement(app, shared_demo):
    with app.app_context():
        engine = db.engine
    with counted(engine) as sent:
        response = app.test_client().get("/language?lang=en&next=/privacy")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/privacy")
    assert sent == []


def test_the_exempt_pages_send_a_visitor_to_log_in(app, shared_demo):
    """Each rule of an exempt endpoint (but the static files), asked for anonymously with
    the demo's records, answers with a redirection to the login page."""
    with app.app_context():
        exercise = demo()
        measured = measured_records(exercise)
        values = {
            "slug": DEMO_SLUG,
            "topic_id": measured["topic"],
            "table_id": measured["table"],
            "session_id": measured["session"],
            "proposal_id": measured["proposal"],
            "commitment_id": measured["commitment"],
            "input_id": db.session.scalar(
                sa.select(sa.func.min(OfflineInput.id))
                .join(Consultation)
                .where(Consultation.exercise_id == exercise.id)
            ),
            "entry_id": db.session.scalar(
                sa.select(sa.func.min(FeedbackEntry.id)).where(
                    FeedbackEntry.exercise_id == exercise.id
                )
            ),
        }
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and EXEMPT.get(rule.endpoint, NO_DATABASE) not in (NO_DATABASE, LANGUAGE)
    ]
    assert {rule.endpoint for rule in rules} == {
        endpoint for endpoint, reason in EXEMPT.items() if reason not in (NO_DATABASE, LANGUAGE)
    }
    client = app.test_client()
    for rule in rules:
        # An implementation assessment is of one commitment; the others of the plan.
        kind = "commitment" if "commitment_id" in rule.arguments else "initial"
        arguments = {**values, "kind": kind}
        with app.test_request_context():
            url = url_for(rule.endpoint, **{key: arguments[key] for key in rule.arguments})
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response.headers["Location"].startswith("/account/login"), url
