"""Feedback-log fixtures: the commitments desk (tests/commitments: the exercise "valle",
its consultation with three published topics, the "leaks" and "lighting" tables, a
facilitator and the STL) and helpers that record decisions through the feedback
services, or change stored rows behind them with plain SQL.

Everything runs in the desk's English app context; helpers commit, as a view would."""

from datetime import timedelta

import sqlalchemy as sa

from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import Consultation, Topic, TopicCategory
from coplat.core.models import utcnow
from coplat.exercises.enums import ExerciseKind, Sector
from coplat.exercises.services import create_exercise
from coplat.extensions import db
from coplat.feedback import services
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
from coplat.feedback.services import DECIDERS
from coplat.tables.enums import ProposalChannel
from coplat.tables.models import Proposal
from tests.commitments.conftest import desk, member_ids, other_table_id  # noqa: F401
from tests.consultation.conftest import consultation, make_consultation  # noqa: F401
from tests.tables.conftest import facilitator_id, prioritised, table_id  # noqa: F401

WHY = {"es": "No es competencia municipal.", "en": "Not the municipality's to do."}
CLEARER = {"es": "Lo decide el gobierno federal.", "en": "The federal government decides it."}
TYPO = {"es": "La razón anterior no se entendía.", "en": "The earlier reason was unclear."}


def decide(item, decision: Decision, user, *, reason=None, **details) -> FeedbackEntry:
    """Record a decision on a topic or a proposal, as its area's service would."""
    kind = "topic" if isinstance(item, Topic) else "proposal"
    entry = services.record_decision(
        item.exercise if kind == "proposal" else item.consultation.exercise,
        stage=Stage.CONSULTATION if kind == "topic" else Stage.WORKING_TABLE,
        decision=decision,
        user=user,
        acting_as=DECIDERS,
        reason=WHY if reason is None and decision != Decision.ADOPTED else reason,
        **{kind: item},
        **details,
    )
    db.session.commit()
    return entry


def add_topic(
    consultation,  # noqa: F811
    title: dict,
    *,
    category: TopicCategory | None = None,
    state=TopicState.PUBLISHED,
    channel=Channel.WEB,
    ago: timedelta = timedelta(0),
) -> Topic:
    topic = Topic(
        consultation=consultation,
        title=title,
        category=category,
        state=state,
        channel=channel,
        created_at=utcnow() - ago,
    )
    db.session.add(topic)
    db.session.commit()
    return topic


def add_proposal(table, title: dict, *, channel=ProposalChannel.SESSION) -> Proposal:
    proposal = Proposal(
        table=table,
        title=title,
        channel=channel,
        proposer_name="Vecinos del Centro",
        proposer_sector=Sector.CITIZEN,
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal


def another_exercise(slug: str = "monte"):
    """A second exercise with a consultation of two published topics."""
    exercise = create_exercise(
        slug=slug,
        jurisdictions=[("Monte Alto", "Hidalgo")],
        name={"es": "Ejercicio Monte Alto"},
        kind=ExerciseKind.MUNICIPAL,
        administration_ends=utcnow().date() + timedelta(days=700),
    )
    consultation = Consultation(  # noqa: F811
        exercise=exercise,
        question={"es": "¿Qué resolvemos?"},
        opens_at=utcnow() - timedelta(days=9),
        closes_at=utcnow() - timedelta(days=1),
    )
    db.session.add(consultation)
    db.session.commit()
    topics = [add_topic(consultation, {"es": f"Tema {n}"}) for n in (1, 2)]
    return exercise, topics


def tamper(statement: str, **params) -> None:
    """Change stored rows behind the application's back."""
    db.session.execute(sa.text(statement), params)
    db.session.commit()


def chain_of(exercise) -> list[FeedbackEntry]:
    return db.session.scalars(
        sa.select(FeedbackEntry)
        .where(FeedbackEntry.exercise_id == exercise.id)
        .order_by(FeedbackEntry.sequence)
    ).all()


def topics_of(desk) -> dict[str, Topic]:  # noqa: F811
    """The fixture's published topics by their Spanish title's first word, lowercased:
    "fugas" (Agua), "alumbrado" (Seguridad), "baches" (no category)."""
    found = db.session.scalars(
        sa.select(Topic).where(Topic.consultation_id == desk.exercise.consultation.id)
    )
    return {t.title["es"].split()[0].lower(): t for t in found}
