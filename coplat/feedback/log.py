"""The public log as people read it: every citizen input — each published topic of
the consultation, each proposal of a working table — with its fate, filtered and paged
in the database. A page costs the same few queries whatever the log's size."""

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic, TopicCategory
from coplat.core.paging import Page, page_number
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
from coplat.tables.models import Proposal, WorkingTable

PER_PAGE = 50
PENDING = "pending"


@dataclass(frozen=True)
class Filters:
    stage: str = ""
    decision: str = ""  # a Decision value, or PENDING
    category: int = 0
    table: int = 0
    channel: str = ""
    text: str = ""
    page: int = 1

    def as_query(self, **changes) -> dict:
        """The filters as URL parameters (empty ones left out), with `changes`."""
        values = {
            "stage": self.stage,
            "decision": self.decision,
            "category": self.category or "",
            "table": self.table or "",
            "channel": self.channel,
            "q": self.text,
            "page": self.page if self.page > 1 else "",
        } | changes
        return {key: value for key, value in values.items() if value not in ("", None)}


def inputs(exercise: Exercise):
    """One row per citizen input of the exercise, topics and proposals alike. Topics
    awaiting moderation are not public yet, so they are not listed."""
    table_topic = aliased(Topic)
    topics = (
        sa.select(
            sa.literal("topic").label("kind"),
            Topic.id.label("id"),
            Topic.title.label("title"),
            Topic.category_id.label("category_id"),
            sa.cast(sa.null(), sa.Integer).label("table_id"),
            sa.cast(Topic.channel, sa.String).label("channel"),
            sa.literal(Stage.CONSULTATION.value).label("stage"),
            Topic.decision.label("decision"),
            Topic.created_at.label("created_at"),
        )
        .join(Consultation, Consultation.id == Topic.consultation_id)
        .where(Consultation.exercise_id == exercise.id, Topic.state != TopicState.PENDING)
    )
    proposals = (
        sa.select(
            sa.literal("proposal"),
            Proposal.id,
            Proposal.title,
            table_topic.category_id,
            Proposal.table_id,
            sa.cast(Proposal.channel, sa.String),
            sa.literal(Stage.WORKING_TABLE.value),
            Proposal.decision,
            Proposal.created_at,
        )
        .join(WorkingTable, WorkingTable.id == Proposal.table_id)
        .join(table_topic, table_topic.id == WorkingTable.topic_id)
        .where(WorkingTable.exercise_id == exercise.id)
    )
    return sa.union_all(topics, proposals).subquery("inputs")


def _text_condition(column, text: str):
    """Titles are stored as JSON, whose text escapes accented letters (ó as \\u00f3):
    look for the words as typed and as escaped."""
    conditions = []
    for form in {text, json.dumps(text)[1:-1]}:
        escaped = form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(
            sa.func.lower(sa.cast(column, sa.Text)).like(f"%{escaped.lower()}%", escape="\\")
        )
    return sa.or_(*conditions)


def _filtered(items, filters: Filters):
    conditions = []
    if filters.stage:
        conditions.append(items.c.stage == filters.stage)
    if filters.decision == PENDING:
        conditions.append(items.c.decision.is_(None))
    elif filters.decision:
        conditions.append(items.c.decision == filters.decision)
    if filters.category:
        conditions.append(items.c.category_id == filters.category)
    if filters.table:
        conditions.append(items.c.table_id == filters.table)
    if filters.channel:
        conditions.append(items.c.channel == filters.channel)
    if filters.text.strip():
        conditions.append(_text_condition(items.c.title, filters.text.strip()))
    return conditions


@dataclass
class Item:
    kind: str  # "topic" or "proposal"
    id: int
    title: dict
    category_id: int | None
    table_id: int | None
    channel: str
    stage: Stage
    decision: Decision | None
    created_at: object
    # Filled for the page: the latest entry, and how many entries there are in all.
    entry: FeedbackEntry | None = None
    entries: int = 0


def page_of(exercise: Exercise, filters: Filters) -> Page[Item]:
    items = inputs(exercise)
    conditions = _filtered(items, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(items).where(*conditions))
    number = page_number(filters.page, total, PER_PAGE)
    rows = db.session.execute(
        sa.select(items)
        .where(*conditions)
        .order_by(items.c.created_at.desc(), items.c.kind, items.c.id.desc())
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    ).all()
    page_items = [
        Item(
            kind=row.kind,
            id=row.id,
            title=row.title,
            category_id=row.category_id,
            table_id=row.table_id,
            channel=row.channel,
            stage=Stage(row.stage),
            decision=Decision(row.decision) if row.decision else None,
            created_at=row.created_at,
        )
        for row in rows
    ]
    _attach_entries(page_items)
    return Page(page_items, total, number, PER_PAGE)


def _attach_entries(items: list[Item]) -> None:
    """Each item's latest entry and its count of entries, in one query."""
    topic_ids = [i.id for i in items if i.kind == "topic"]
    proposal_ids = [i.id for i in items if i.kind == "proposal"]
    if not items:
        return
    entries = db.session.scalars(
        sa.select(FeedbackEntry)
        .where(
            sa.or_(
                FeedbackEntry.topic_id.in_(topic_ids),
                FeedbackEntry.proposal_id.in_(proposal_ids),
            )
        )
        .order_by(FeedbackEntry.sequence)
        .options(selectinload(FeedbackEntry.merged_into), selectinload(FeedbackEntry.commitment))
    ).all()
    by_item = {(i.kind, i.id): i for i in items}
    for entry in entries:
        key = ("topic", entry.topic_id) if entry.topic_id else ("proposal", entry.proposal_id)
        item = by_item[key]
        item.entry = entry
        item.entries += 1


@dataclass
class SummaryRow:
    category_id: int | None
    counts: dict[str, int]  # by Decision value, and PENDING

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def reached(self) -> int:
        """Inputs that reached the plan: adopted as they were, or modified."""
        return self.counts.get(Decision.ADOPTED.value, 0) + self.counts.get(
            Decision.MODIFIED.value, 0
        )


@dataclass
class Summary:
    rows: list[SummaryRow]  # one per category (None: inputs without a category)
    total: SummaryRow


def summary(exercise: Exercise) -> Summary:
    """Counts by topic category and decision (OGP Local §3.3.2), in one query."""
    items = inputs(exercise)
    rows = db.session.execute(
        sa.select(items.c.category_id, items.c.decision, sa.func.count()).group_by(
            items.c.category_id, items.c.decision
        )
    ).all()
    by_category: dict[int | None, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for category_id, decision, count in rows:
        key = Decision(decision).value if decision else PENDING
        by_category.setdefault(category_id, {})[key] = count
        totals[key] = totals.get(key, 0) + count
    return Summary(
        [SummaryRow(c, counts) for c, counts in by_category.items()], SummaryRow(None, totals)
    )


def categories_of(exercise: Exercise) -> list[TopicCategory]:
    return db.session.scalars(
        sa.select(TopicCategory)
        .join(Consultation, Consultation.id == TopicCategory.consultation_id)
        .where(Consultation.exercise_id == exercise.id)
        .order_by(TopicCategory.position, TopicCategory.id)
    ).all()


def entries_of(exercise: Exercise) -> list[FeedbackEntry]:
    """The whole log, in the chain's order, for the downloads."""
    return db.session.scalars(
        sa.select(FeedbackEntry)
        .where(FeedbackEntry.exercise_id == exercise.id)
        .order_by(FeedbackEntry.sequence)
        .options(
            selectinload(FeedbackEntry.topic),
            selectinload(FeedbackEntry.proposal),
            selectinload(FeedbackEntry.merged_into),
            selectinload(FeedbackEntry.commitment),
            selectinload(FeedbackEntry.supersedes),
        )
    ).all()


def pending_count(exercise: Exercise) -> int:
    items = inputs(exercise)
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(items).where(items.c.decision.is_(None))
    )
