"""The log's page costs the same few queries whatever the log's size: one exercise
with 10,000 entries (5,000 inputs, each decided and corrected) is read with as many
SQL statements as one with twenty."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from coplat.commitments.models import Commitment
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic, TopicCategory
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback import log, tally
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.log import Filters
from coplat.feedback.models import FeedbackEntry
from coplat.tables.enums import ProposalChannel
from coplat.tables.models import Proposal, WorkingTable

TOPIC_DECISIONS = (Decision.ADOPTED, Decision.REJECTED, Decision.MERGED)
PROPOSAL_DECISIONS = (Decision.ADOPTED, Decision.MODIFIED, Decision.REJECTED)
HASH = "0" * 64  # the chain is not what this test reads


def next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def build_log(exercise_id: int, user_id: int, *, decided: int, pending: int) -> int:
    """`decided` topics and as many proposals, each with a decision and its correction
    (two entries), and `pending` of each without a decision, inserted in bulk; the
    inputs alternate in time so every page mixes them. Returns the number of entries."""
    now = utcnow()
    consultation = Consultation(
        exercise_id=exercise_id,
        question={"es": "¿Qué resolvemos?"},
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=60),
        prioritised_at=now - timedelta(days=59),
    )
    db.session.add(consultation)
    db.session.flush()
    categories = [
        TopicCategory(consultation_id=consultation.id, name={"es": name}, position=n)
        for n, name in enumerate(("Agua", "Seguridad"))
    ]
    db.session.add_all(categories)
    db.session.flush()

    # Distinct commitments and merge targets from row to row, so a query per row
    # would show in the count.
    commitments = [
        Commitment(exercise_id=exercise_id, title={"es": f"Compromiso {n}"})
        for n in range(min(decided, 50))
    ]
    db.session.add_all(commitments)
    db.session.flush()

    def commitment_of(n: int) -> int:
        return commitments[n % len(commitments)].id

    def merged(n: int) -> bool:
        return n < decided and n % 3 == 2

    count = decided + pending
    first_topic = next_id(Topic)
    topic_ids = range(first_topic, first_topic + count)
    db.session.execute(
        sa.insert(Topic),
        [
            {
                "id": topic_id,
                "consultation_id": consultation.id,
                "title": {"es": f"Tema {n}: iluminación y fugas", "en": f"Topic {n}"},
                "category_id": categories[n % 3].id if n % 3 < 2 else None,
                "state": TopicState.MERGED if merged(n) else TopicState.PUBLISHED,
                "merged_into_id": topic_id - 1 if merged(n) else None,
                "decision": TOPIC_DECISIONS[n % 3] if n < decided else None,
                "created_at": now - timedelta(minutes=2 * n),
            }
            for n, topic_id in enumerate(topic_ids)
        ],
    )
    tables = [
        WorkingTable(exercise_id=exercise_id, topic_id=topic_id, name={"es": f"Mesa {n}"})
        for n, topic_id in enumerate(topic_ids[:2])
    ]
    db.session.add_all(tables)

    first_proposal = next_id(Proposal)
    proposal_ids = range(first_proposal, first_proposal + count)
    db.session.execute(
        sa.insert(Proposal),
        [
            {
                "id": proposal_id,
                "table_id": tables[n % 2].id,
                "title": {"es": f"Propuesta {n}: sensores", "en": f"Proposal {n}"},
                "channel": ProposalChannel.ONLINE if n % 4 == 0 else ProposalChannel.SESSION,
                "proposer_name": "Vecinos",
                "proposer_sector": Sector.CITIZEN,
                "decision": PROPOSAL_DECISIONS[n % 3] if n < decided else None,
                "commitment_id": commitment_of(n) if n < decided and n % 3 < 2 else None,
                "created_at": now - timedelta(minutes=2 * n + 1),
            }
            for n, proposal_id in enumerate(proposal_ids)
        ],
    )

    entries = []
    entry_id = next_id(FeedbackEntry)
    for n in range(decided):
        for kind, item_id, decision in (
            ("topic", topic_ids[n], TOPIC_DECISIONS[n % 3]),
            ("proposal", proposal_ids[n], PROPOSAL_DECISIONS[n % 3]),
        ):
            first = entry_id
            for corrects in (None, first):
                # The second entry on each input corrects the first.
                entries.append(
                    {
                        "id": entry_id,
                        "exercise_id": exercise_id,
                        "sequence": len(entries) + 1,
                        "stage": Stage.CONSULTATION if kind == "topic" else Stage.WORKING_TABLE,
                        "topic_id": item_id if kind == "topic" else None,
                        "proposal_id": item_id if kind == "proposal" else None,
                        "decision": decision,
                        "reason": {"es": "Razón"},
                        "merged_into_id": item_id - 1 if decision == Decision.MERGED else None,
                        "commitment_id": commitment_of(n)
                        if kind == "proposal" and decision != Decision.REJECTED
                        else None,
                        "decided_by_id": user_id,
                        "decided_at": now - timedelta(days=1),
                        "supersedes_id": corrects,
                        "correction_reason": {"es": "Más clara"} if corrects else {},
                        "previous_hash": HASH,
                        "hash": HASH,
                    }
                )
                entry_id += 1
    db.session.execute(sa.insert(FeedbackEntry), entries)
    # The summary's counts, as a bulk load past the ORM must make them.
    tally.rebuild(exercise_id)
    db.session.commit()
    return len(entries)


@contextmanager
def counted(app):
    """Count the SQL statements sent while the block runs."""
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def logs(app, make_exercise, make_user):
    """Two exercises: "chico" with a log of 20 entries, "grande" with 10,000."""
    user_id = make_user()
    sizes = {}
    with app.app_context():
        for slug, decided, pending in (("chico", 5, 2), ("grande", 2_500, 100)):
            exercise_id = make_exercise(slug)
            sizes[slug] = build_log(exercise_id, user_id, decided=decided, pending=pending)
    assert sizes == {"chico": 20, "grande": 10_000}
    return sizes


FILTERS = [
    Filters(),
    Filters(decision="rejected", text="iluminación"),
    Filters(decision="pending"),
    Filters(page=3),
]


def test_the_log_reads_in_a_fixed_number_of_queries(app, logs):
    costs = {}
    for slug in logs:
        with app.app_context():
            exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == slug))
            for filters in FILTERS:
                with counted(app) as statements:
                    page = log.page_of(exercise, filters)
                    log.summary(exercise)
                    for item in page.items:
                        # What a row of the page shows.
                        if item.entry is not None:
                            _ = (item.entry.merged_into, item.entry.commitment)
                costs[slug, filters] = len(statements)
                assert page.items or filters.decision
    for filters in FILTERS:
        assert costs["grande", filters] == costs["chico", filters], filters
    assert max(costs.values()) <= 6


def test_the_big_log_is_paged_and_counted(app, logs):
    with app.app_context():
        exercise = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "grande"))
        page = log.page_of(exercise, Filters(page=3))
        assert (page.total, page.pages, page.number, len(page.items)) == (5_200, 104, 3, 50)
        assert all(item.entries == 2 for item in page.items if item.decision)
        assert all(item.entry.supersedes_id for item in page.items if item.decision)
        summary = log.summary(exercise)
        assert summary.total.total == 5_200
        assert summary.total.counts["pending"] == 200


PAGES = ["", "?decision=rejected&q=iluminaci%C3%B3n", "?decision=pending", "?page=3"]


def test_the_log_page_costs_the_same_queries_whatever_its_size(app, logs):
    client = app.test_client()
    if client.get("/e/chico/feedback").status_code == 404:
        pytest.skip("the feedback log page is not there yet")
    costs = {}
    for slug in logs:
        for query in PAGES:
            client.get(f"/e/{slug}/feedback{query}")  # anything done once per process
            with counted(app) as statements:
                response = client.get(f"/e/{slug}/feedback{query}")
            assert response.status_code == 200, response.get_data(as_text=True)[:500]
            costs[slug, query] = len(statements)
    for query in PAGES:
        assert costs["grande", query] == costs["chico", query], (query, costs)
    # The big log's rows are on the page.
    text = client.get("/e/grande/feedback?page=3").get_data(as_text=True)
    assert "Tema 50:" in text or "Propuesta 50:" in text
