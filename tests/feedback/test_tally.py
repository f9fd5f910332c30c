"""The summary's kept counts (`feedback.tally`): after every kind of change the
services make to an input, the counts equal a recount of the inputs by the grouped
query the log's summary ran before the counts were kept (`recount`, the oracle), and
the log's page shows the same summary as that query gave."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from coplat.accounts.models import User
from coplat.consultation import services as consultation
from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import Consultation, OfflineInput, Topic, TopicCategory
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback import log, services, tally
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.log import PENDING, Summary, SummaryRow
from coplat.tables import services as tables
from coplat.tables.models import Proposal, WorkingTable
from tests.conftest import english
from tests.feedback.conftest import CLEARER, DECIDERS, TYPO, decide
from tests.feedback.test_log import Log
from tests.tables.conftest import english as in_english


def recount(exercise_id: int) -> dict:
    """Inputs per cell, grouped from the inputs themselves: the summary's query before
    the counts were kept."""
    table_topic = aliased(Topic)
    consultation_id = (
        sa.select(Consultation.id).where(Consultation.exercise_id == exercise_id).scalar_subquery()
    )
    topics = (
        sa.select(
            sa.literal(Stage.CONSULTATION.value),
            Topic.category_id,
            sa.cast(sa.null(), sa.Integer),
            sa.cast(Topic.channel, sa.String),
            Topic.decision,
            sa.func.count(),
        )
        .where(Topic.consultation_id == consultation_id, Topic.state != TopicState.PENDING)
        .group_by(Topic.category_id, Topic.channel, Topic.decision)
    )
    proposals = (
        sa.select(
            sa.literal(Stage.WORKING_TABLE.value),
            table_topic.category_id,
            Proposal.table_id,
            sa.cast(Proposal.channel, sa.String),
            Proposal.decision,
            sa.func.count(),
        )
        .join(WorkingTable, WorkingTable.id == Proposal.table_id)
        .join(table_topic, table_topic.id == WorkingTable.topic_id)
        .where(WorkingTable.exercise_id == exercise_id)
        .group_by(table_topic.category_id, Proposal.table_id, Proposal.channel, Proposal.decision)
    )
    return {
        (stage, category, table, channel, Decision(decision).value if decision else PENDING): n
        for stage, category, table, channel, decision, n in db.session.execute(
            sa.union_all(topics, proposals)
        )
    }


def kept(exercise_id: int) -> dict:
    return {cell[:5]: cell[5] for cell in tally.cells_of(exercise_id)}


def old_summary(exercise) -> Summary:
    """The summary as the log built it from `recount`."""
    by_category, totals = {}, {}
    cells = recount(exercise.id)
    for (_stage, category_id, _table, _channel, key), count in cells.items():
        row = by_category.setdefault(category_id, {})
        row[key] = row.get(key, 0) + count
        totals[key] = totals.get(key, 0) + count
    return Summary(
        [
            SummaryRow(c, by_category[c])
            for c in sorted(by_category, key=lambda c: (c is None, c or 0))
        ],
        SummaryRow(None, totals),
        cells,
    )


def assert_exact(exercise_id: int) -> dict:
    db.session.expire_all()
    counts = recount(exercise_id)
    assert kept(exercise_id) == counts
    return counts


# ----- the consultation: topics ---------------------------------------------------------


@pytest.fixture
def open_desk(app, consultation, user_with_role, make_user):
    """The open consultation of "valle" (three published topics), its facilitator and a
    citizen, in an English app context."""
    facilitator_id = user_with_role("facilitator", consultation.exercise_id)
    citizen_id = make_user(email="lucia@example.mx", name="Lucia")
    with in_english(app):
        yield (
            db.session.get(Consultation, consultation.id),
            db.session.get(User, facilitator_id),
            db.session.get(User, citizen_id),
        )


def topic_named(consultation_, es: str) -> Topic:
    return db.session.scalar(
        sa.select(Topic).where(
            Topic.consultation_id == consultation_.id, Topic.title["es"].as_string() == es
        )
    )


def test_topics_count_once_published_in_their_cell(open_desk):
    consultation_, facilitator, citizen = open_desk
    exercise_id = consultation_.exercise_id
    categories = {c.name["es"]: c for c in consultation_.categories}
    counts = assert_exact(exercise_id)
    assert sum(counts.values()) == 3

    # Submitted: awaiting moderation, not counted yet.
    topic = consultation.submit_topic(
        consultation_, citizen, title={"es": "Ruido"}, description={}, category=None
    )
    db.session.commit()
    assert assert_exact(exercise_id) == counts

    consultation.publish(topic)
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["consultation", None, None, "web", PENDING] == 2

    # Rejected while awaiting moderation: counted at once, as rejected.
    other = consultation.submit_topic(
        consultation_,
        citizen,
        title={"es": "Perros"},
        description={},
        category=categories["Agua"],
    )
    db.session.commit()
    consultation.reject(other, facilitator, {"es": "Fuera de tema"})
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["consultation", categories["Agua"].id, None, "web", "rejected"] == 1

    # Merged into another topic: its decision moves.
    consultation.merge(topic, topic_named(consultation_, "Baches"), facilitator)
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["consultation", None, None, "web", "merged"] == 1

    # Decided in the log (as the STL's prioritisation records it), then corrected.
    lighting = topic_named(consultation_, "Alumbrado público")
    entry = decide(lighting, Decision.REJECTED, facilitator)
    assert_exact(exercise_id)
    services.correct(entry, facilitator, acting_as=DECIDERS, correction_reason=TYPO, reason=CLEARER)
    db.session.commit()
    assert_exact(exercise_id)

    # Raised offline (the view records the input as this does): published at once, in
    # its channel.
    offline = OfflineInput(
        consultation=consultation_,
        channel=Channel.ASSEMBLY,
        place="Plaza",
        held_on=utcnow().date(),
        participants=20,
        recorded_by_id=facilitator.id,
    )
    db.session.add(offline)
    db.session.commit()
    consultation.add_offline_topic(
        offline, title={"es": "Mercado"}, description={}, category=None, votes=3
    )
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["consultation", None, None, "assembly", PENDING] == 1


def test_a_topic_moved_to_another_category_moves_its_count(open_desk):
    consultation_, _facilitator, _citizen = open_desk
    exercise_id = consultation_.exercise_id
    categories = {c.name["es"]: c for c in consultation_.categories}
    leaks = topic_named(consultation_, "Fugas de agua")
    leaks.category = categories["Seguridad"]
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["consultation", categories["Seguridad"].id, None, "web", PENDING] == 2
    leaks.category_id = None
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["consultation", None, None, "web", PENDING] == 2


# ----- the working tables: proposals ----------------------------------------------------


def test_proposals_count_as_entered_decided_corrected_and_moved(desk):
    exercise_id = desk.exercise.id
    user = desk.facilitator
    assert_exact(exercise_id)

    entered = tables.enter_proposal(
        desk.table,
        user,
        cause=desk.causes[0],
        title={"es": "Sensores en la red"},
        description={},
        proposer_name="Vecinos del Centro",
        proposer_sector=Sector.CITIZEN,
    )
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["working_table", desk.topic.category_id, desk.table.id, "session", PENDING] == 1

    desk.table.proposals_close_at = utcnow() + timedelta(days=3)
    db.session.commit()
    online = tables.propose_online(
        desk.table,
        desk.person("lucia@example.mx"),
        cause=desk.causes[1],
        title={"es": "Reportes por teléfono"},
        description={},
    )
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["working_table", desk.topic.category_id, desk.table.id, "online", PENDING] == 1

    tables.reject_proposal(online, user, {"es": "Ya existe"})
    db.session.commit()
    assert_exact(exercise_id)

    # Adopted by a commitment, then corrected: modified, then rejected.
    commitment = desk.draft()
    first = decide(entered, Decision.ADOPTED, user, commitment=commitment)
    counts = assert_exact(exercise_id)
    assert counts["working_table", desk.topic.category_id, desk.table.id, "session", "adopted"]
    second = services.correct(
        first,
        user,
        acting_as=DECIDERS,
        correction_reason=TYPO,
        reason=CLEARER,
        decision=Decision.MODIFIED,
    )
    db.session.commit()
    assert_exact(exercise_id)
    services.correct(
        second,
        user,
        acting_as=DECIDERS,
        correction_reason=TYPO,
        reason=CLEARER,
        decision=Decision.REJECTED,
    )
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert counts["working_table", desk.topic.category_id, desk.table.id, "session", "rejected"]

    # The table's topic in another category: its proposals follow it.
    other = db.session.scalar(
        sa.select(TopicCategory).where(
            TopicCategory.consultation_id == desk.topic.consultation_id,
            TopicCategory.id != desk.topic.category_id,
        )
    )
    desk.topic.category = other
    db.session.commit()
    counts = assert_exact(exercise_id)
    assert {cell[1] for cell in counts if cell[0] == "working_table"} == {other.id}
    desk.topic.category = None
    db.session.commit()
    assert_exact(exercise_id)

    # A proposal with no decision removed from the record.
    spare = tables.enter_proposal(
        desk.table,
        user,
        cause=desk.causes[0],
        title={"es": "Lámparas"},
        description={},
        proposer_name="Ana",
        proposer_sector=Sector.CITIZEN,
    )
    db.session.commit()
    assert_exact(exercise_id)
    db.session.delete(spare)
    db.session.commit()
    assert_exact(exercise_id)


def test_another_exercise_keeps_its_own_counts(desk, book):
    exercise_id = desk.exercise.id
    assert_exact(exercise_id)
    tally.rebuild(exercise_id)
    db.session.commit()
    assert_exact(exercise_id)
    assert kept(exercise_id + 1000) == {}


def test_rebuild_makes_the_counts_the_events_keep(desk, book):
    before = kept(desk.exercise.id)
    db.session.execute(sa.delete(tally.FeedbackTally))
    tally.rebuild(desk.exercise.id)
    db.session.commit()
    assert kept(desk.exercise.id) == before == recount(desk.exercise.id)


# ----- the page -------------------------------------------------------------------------


@pytest.fixture
def book(desk):
    return Log(desk)


def test_the_page_shows_the_summary_the_inputs_gave(book, app, monkeypatch):
    exercise = book.exercise
    assert log.summary(exercise) == old_summary(exercise)
    assert log.pending_count(exercise) == sum(
        n for cell, n in recount(exercise.id).items() if cell[4] == PENDING
    )
    client = english(app.test_client())
    kept_page = client.get("/e/valle/feedback").get_data(as_text=True)
    monkeypatch.setattr(log, "summary", old_summary)
    counted_page = client.get("/e/valle/feedback").get_data(as_text=True)
    assert "Summary by category" in kept_page
    assert kept_page == counted_page
