"""How many inputs of an exercise's log fall in each cell of its summary (a stage, a
category, a working table, a channel and a decision), kept as inputs are published,
entered, decided, merged or moved, in the flush that changes them: the log's page reads
these counts in one small query instead of grouping every topic and proposal.

The counts move with the ORM's own events on `Topic` and `Proposal` (and a working
table's topic), so every service that changes an input through its object keeps them.
Bulk loads that write rows past the ORM (the benchmark's seed, the query tests' growth)
call `rebuild` afterwards. A topic counts once published (any state but pending); a
proposal counts from the moment it is entered; a proposal's category is its table's
topic's."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, aliased, mapped_column

from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.extensions import db
from coplat.feedback.enums import Stage
from coplat.tables.models import Proposal, WorkingTable

PENDING = "pending"  # the decision of an input still waiting for one


class FeedbackTally(db.Model):
    """Inputs per summary cell. `category_id` 0: no category; `table_id` 0: a topic of
    the consultation; `decision` a Decision value or "pending"."""

    __tablename__ = "feedback_tally"
    __table_args__ = (
        sa.UniqueConstraint(
            "exercise_id", "stage", "category_id", "table_id", "channel", "decision"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(sa.ForeignKey("exercise.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(sa.String(24))
    category_id: Mapped[int] = mapped_column(default=0)
    table_id: Mapped[int] = mapped_column(default=0)
    channel: Mapped[str] = mapped_column(sa.String(24))
    decision: Mapped[str] = mapped_column(sa.String(16))
    inputs: Mapped[int] = mapped_column(default=0)


# ----- the cells, as the rows are now ---------------------------------------------------

# (exercise id, stage, category id, table id, channel, decision)
Key = tuple[int, str, int, int, str, str]


def _topic_cells():
    """exercise, cell and count of the published topics, grouped (filter by topic or by
    exercise)."""
    category = sa.func.coalesce(Topic.category_id, 0)
    decision = sa.func.coalesce(sa.cast(Topic.decision, sa.String), PENDING)
    channel = sa.cast(Topic.channel, sa.String)
    return (
        sa.select(
            Consultation.exercise_id,
            sa.literal(Stage.CONSULTATION.value, sa.String),
            category,
            sa.literal(0, sa.Integer),
            channel,
            decision,
            sa.func.count(),
        )
        .join(Consultation, Consultation.id == Topic.consultation_id)
        .where(Topic.state != TopicState.PENDING)
        .group_by(Consultation.exercise_id, category, channel, decision)
    )


def _proposal_cells():
    """exercise, cell and count of the proposals, grouped (filter by proposal or by
    exercise)."""
    table_topic = aliased(Topic)
    category = sa.func.coalesce(table_topic.category_id, 0)
    decision = sa.func.coalesce(sa.cast(Proposal.decision, sa.String), PENDING)
    channel = sa.cast(Proposal.channel, sa.String)
    return (
        sa.select(
            WorkingTable.exercise_id,
            sa.literal(Stage.WORKING_TABLE.value, sa.String),
            category,
            Proposal.table_id,
            channel,
            decision,
            sa.func.count(),
        )
        .join(WorkingTable, WorkingTable.id == Proposal.table_id)
        .join(table_topic, table_topic.id == WorkingTable.topic_id)
        .group_by(WorkingTable.exercise_id, category, Proposal.table_id, channel, decision)
    )


COLUMNS = ["exercise_id", "stage", "category_id", "table_id", "channel", "decision", "inputs"]


def rebuild(exercise_id: int) -> None:
    """Count the exercise's cells afresh from its inputs, in the caller's transaction:
    after rows were written past the ORM."""
    db.session.execute(sa.delete(FeedbackTally).where(FeedbackTally.exercise_id == exercise_id))
    table = FeedbackTally.__table__
    for cells, exercise_column in (
        (_topic_cells(), Consultation.exercise_id),
        (_proposal_cells(), WorkingTable.exercise_id),
    ):
        db.session.execute(
            sa.insert(table).from_select(COLUMNS, cells.where(exercise_column == exercise_id))
        )


def _cell_of(connection, cells, where) -> Key | None:
    """The one input's cell as the database holds it now; None when it does not count."""
    row = connection.execute(cells.where(where)).first()
    return tuple(row[:6]) if row else None


def _topic_cell(connection, topic_id: int) -> Key | None:
    return _cell_of(connection, _topic_cells(), Topic.id == topic_id)


def _proposal_cell(connection, proposal_id: int) -> Key | None:
    return _cell_of(connection, _proposal_cells(), Proposal.id == proposal_id)


def _move(connection, key: Key | None, change: int) -> None:
    """Add `change` inputs to the cell, making its row if it has none yet."""
    if key is None:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = FeedbackTally.__table__
    statement = insert(table).values(dict(zip(COLUMNS, (*key, change), strict=True)))
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=COLUMNS[:6], set_={"inputs": table.c.inputs + change}
        )
    )


def _moved(connection, before: Key | None, after: Key | None) -> None:
    if before != after:
        _move(connection, before, -1)
        _move(connection, after, +1)


def _changed(target, keys: tuple[str, ...]) -> bool:
    attrs = sa.inspect(target).attrs
    return any(attrs[key].history.has_changes() for key in keys)


# ----- the events -------------------------------------------------------------------------

# What places a topic or a proposal in a cell, or makes it count.
TOPIC_KEYS = ("consultation_id", "state", "category_id", "channel", "decision")
PROPOSAL_KEYS = ("table_id", "channel", "decision")
# The cell before an update, read just before the row changes.
BEFORE = "_feedback_tally_before"


@sa.event.listens_for(Topic, "after_insert")
def _topic_added(mapper, connection, topic: Topic) -> None:
    if topic.state != TopicState.PENDING:
        _move(connection, _topic_cell(connection, topic.id), +1)


@sa.event.listens_for(Topic, "before_update")
def _topic_changing(mapper, connection, topic: Topic) -> None:
    topic.__dict__.pop(BEFORE, None)  # left by a flush that failed, if any
    if _changed(topic, TOPIC_KEYS):
        topic.__dict__[BEFORE] = _topic_cell(connection, topic.id)


@sa.event.listens_for(Topic, "after_update")
def _topic_changed(mapper, connection, topic: Topic) -> None:
    if BEFORE not in topic.__dict__:
        return
    before = topic.__dict__.pop(BEFORE)
    after = _topic_cell(connection, topic.id)
    _moved(connection, before, after)
    if sa.inspect(topic).attrs.category_id.history.has_changes():
        # The proposals of the topic's working table (if any) move with its category.
        connection.execute(
            sa.update(FeedbackTally)
            .where(
                FeedbackTally.stage == Stage.WORKING_TABLE.value,
                FeedbackTally.table_id.in_(
                    sa.select(WorkingTable.id).where(WorkingTable.topic_id == topic.id)
                ),
            )
            .values(category_id=topic.category_id or 0)
        )


@sa.event.listens_for(Topic, "before_delete")
def _topic_removed(mapper, connection, topic: Topic) -> None:
    _move(connection, _topic_cell(connection, topic.id), -1)


@sa.event.listens_for(Proposal, "after_insert")
def _proposal_added(mapper, connection, proposal: Proposal) -> None:
    _move(connection, _proposal_cell(connection, proposal.id), +1)


@sa.event.listens_for(Proposal, "before_update")
def _proposal_changing(mapper, connection, proposal: Proposal) -> None:
    proposal.__dict__.pop(BEFORE, None)  # left by a flush that failed, if any
    if _changed(proposal, PROPOSAL_KEYS):
        proposal.__dict__[BEFORE] = _proposal_cell(connection, proposal.id)


@sa.event.listens_for(Proposal, "after_update")
def _proposal_changed(mapper, connection, proposal: Proposal) -> None:
    if BEFORE in proposal.__dict__:
        before = proposal.__dict__.pop(BEFORE)
        _moved(connection, before, _proposal_cell(connection, proposal.id))


@sa.event.listens_for(Proposal, "before_delete")
def _proposal_removed(mapper, connection, proposal: Proposal) -> None:
    _move(connection, _proposal_cell(connection, proposal.id), -1)


@sa.event.listens_for(WorkingTable, "after_update")
def _table_moved(mapper, connection, table: WorkingTable) -> None:
    """A table given another topic: its proposals take that topic's category."""
    if sa.inspect(table).attrs.topic_id.history.has_changes():
        connection.execute(
            sa.update(FeedbackTally)
            .where(
                FeedbackTally.stage == Stage.WORKING_TABLE.value,
                FeedbackTally.table_id == table.id,
            )
            .values(
                category_id=sa.select(sa.func.coalesce(Topic.category_id, 0))
                .where(Topic.id == table.topic_id)
                .scalar_subquery()
            )
        )


# ----- reading ----------------------------------------------------------------------------


def cells_of(exercise_id: int) -> list[tuple[str, int | None, int | None, str, str, int]]:
    """The exercise's cells that hold inputs: (stage, category id or None, table id or
    None, channel, decision or "pending", inputs), in one query."""
    rows = db.session.execute(
        sa.select(
            FeedbackTally.stage,
            FeedbackTally.category_id,
            FeedbackTally.table_id,
            FeedbackTally.channel,
            FeedbackTally.decision,
            FeedbackTally.inputs,
        ).where(FeedbackTally.exercise_id == exercise_id, FeedbackTally.inputs > 0)
    ).all()
    return [
        (stage, category or None, table or None, channel, decision, inputs)
        for stage, category, table, channel, decision, inputs in rows
    ]


def pending(exercise_id: int) -> int:
    """How many of the exercise's inputs await a decision."""
    return db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(FeedbackTally.inputs), 0)).where(
            FeedbackTally.exercise_id == exercise_id, FeedbackTally.decision == PENDING
        )
    )
