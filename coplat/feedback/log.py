"""The public log as people read it: every citizen input — each published topic of
the consultation, each proposal of a working table — with its fate, filtered and paged
in the database. A page costs the same few queries whatever the log's size.

Topics and proposals are read by two selects, one per kind, each with the filters, the
order and the page's LIMIT of its own, so the database never gathers every input to
sort or count them: the union only merges two short, sorted lists. The words typed are
matched as `core.text` does for the site's search: case and accents do not matter."""

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from coplat.consultation.enums import Channel, TopicState
from coplat.consultation.models import Consultation, Topic, TopicCategory
from coplat.core import text
from coplat.core.paging import Page, page_number
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback import tally
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
from coplat.tables.enums import ProposalChannel
from coplat.tables.models import Proposal, WorkingTable

PER_PAGE = 50
PENDING = tally.PENDING


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

    @property
    def summarised(self) -> bool:
        """Whether the summary's counts say how many inputs pass these filters: all but
        the words do."""
        return not self.text.strip()


def _decided(column, filters: Filters) -> list:
    if filters.decision == PENDING:
        return [column.is_(None)]
    if filters.decision:
        return [column == Decision(filters.decision)]
    return []


def _consultation_of(exercise: Exercise):
    """The exercise's consultation's id, in SQL: a value the planner can look up an
    index of topics with, where a join would make it read them all."""
    return (
        sa.select(Consultation.id).where(Consultation.exercise_id == exercise.id).scalar_subquery()
    )


def _topics(exercise: Exercise, filters: Filters):
    """The exercise's public topics that pass the filters, as rows of the log; None when
    the filters leave out every topic. Topics awaiting moderation are not public yet."""
    if filters.stage not in ("", Stage.CONSULTATION) or filters.table:
        return None
    if filters.channel and filters.channel not in set(Channel):
        return None
    conditions = [
        Topic.consultation_id == _consultation_of(exercise),
        Topic.state != TopicState.PENDING,
        *_decided(Topic.decision, filters),
    ]
    if filters.category:
        conditions.append(Topic.category_id == filters.category)
    if filters.channel:
        conditions.append(Topic.channel == Channel(filters.channel))
    found = text.matches(text.phrase_of(filters.text), Topic.title)
    if found is not None:
        conditions.append(found)
    return (
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
        ).where(*conditions)
    ), Topic


def _proposals(exercise: Exercise, filters: Filters):
    """The exercise's proposals that pass the filters, as rows of the log (a proposal's
    category is its table's topic's); None when the filters leave out every proposal."""
    if filters.stage not in ("", Stage.WORKING_TABLE):
        return None
    if filters.channel and filters.channel not in set(ProposalChannel):
        return None
    table_topic = aliased(Topic)
    conditions = [WorkingTable.exercise_id == exercise.id, *_decided(Proposal.decision, filters)]
    if filters.category:
        conditions.append(table_topic.category_id == filters.category)
    if filters.table:
        conditions.append(Proposal.table_id == filters.table)
    if filters.channel:
        conditions.append(Proposal.channel == ProposalChannel(filters.channel))
    found = text.matches(text.phrase_of(filters.text), Proposal.title)
    if found is not None:
        conditions.append(found)
    return (
        sa.select(
            sa.literal("proposal").label("kind"),
            Proposal.id.label("id"),
            Proposal.title.label("title"),
            table_topic.category_id.label("category_id"),
            Proposal.table_id.label("table_id"),
            sa.cast(Proposal.channel, sa.String).label("channel"),
            sa.literal(Stage.WORKING_TABLE.value).label("stage"),
            Proposal.decision.label("decision"),
            Proposal.created_at.label("created_at"),
        )
        .join(WorkingTable, WorkingTable.id == Proposal.table_id)
        .join(table_topic, table_topic.id == WorkingTable.topic_id)
        .where(*conditions)
    ), Proposal


def _branches(exercise: Exercise, filters: Filters) -> list:
    """(select, model) for each kind of input the filters leave in."""
    return [b for b in (_topics(exercise, filters), _proposals(exercise, filters)) if b is not None]


def _count(branches) -> int:
    """How many inputs the branches select: one count per kind, added in one statement."""
    if not branches:
        return 0
    counts = [
        select.with_only_columns(sa.func.count(), maintain_column_froms=False).scalar_subquery()
        for select, _model in branches
    ]
    total = counts[0]
    for count in counts[1:]:
        total = total + count
    return db.session.scalar(sa.select(total))


def _newest(branches, offset: int) -> list:
    """The page's rows: each kind's newest `offset + PER_PAGE` (its own ORDER BY and
    LIMIT), merged, the page cut from the merge."""
    if not branches:
        return []
    merged = _merged(branches, offset)
    return db.session.execute(
        sa.select(merged)
        .order_by(merged.c.created_at.desc(), merged.c.kind, merged.c.id.desc())
        .limit(PER_PAGE)
        .offset(offset)
    ).all()


def _newest_counted(branches) -> tuple[list, int]:
    """The first page's rows (and a few more) and how many inputs there are in all, in
    one statement: each row carries how many of its kind match (a window over the
    kind's rows, which its LIMIT does not cut), so the words are looked for once."""
    if not branches:
        return [], 0
    merged = _merged(branches, 0, counted=True)
    rows = db.session.execute(
        sa.select(merged).order_by(merged.c.created_at.desc(), merged.c.kind, merged.c.id.desc())
    ).all()
    return rows, sum({row.kind: row.matching for row in rows}.values())


def _merged(branches, offset: int, counted: bool = False):
    lists = []
    for select, model in branches:
        if counted:
            select = select.add_columns(sa.func.count().over().label("matching"))
        lists.append(
            sa.select(
                select.order_by(model.created_at.desc(), model.id.desc())
                .limit(offset + PER_PAGE)
                .subquery()
            )
        )
    return (sa.union_all(*lists) if len(lists) > 1 else lists[0]).subquery("inputs")


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


def page_of(exercise: Exercise, filters: Filters, summary: "Summary | None" = None) -> Page[Item]:
    """One page of the log. With the exercise's `summary` at hand, filters it counts
    (`Filters.summarised`) take their total from it; otherwise the statement that
    reads the first page counts too, and a later page is counted first."""
    branches = _branches(exercise, filters)
    if summary is not None and filters.summarised:
        total = summary.count(filters)
        number = page_number(filters.page, total, PER_PAGE)
        rows = _newest(branches, (number - 1) * PER_PAGE) if total else []
    else:
        if filters.page <= 1:
            newest, total = _newest_counted(branches)
            number, rows = 1, newest[:PER_PAGE]
        else:
            total = _count(branches)
            number = page_number(filters.page, total, PER_PAGE)
            rows = _newest(branches, (number - 1) * PER_PAGE) if total else []
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
    on_items = [
        column.in_(ids)
        for column, ids in (
            (FeedbackEntry.topic_id, topic_ids),
            (FeedbackEntry.proposal_id, proposal_ids),
        )
        if ids
    ]
    entries = db.session.scalars(
        sa.select(FeedbackEntry)
        .where(sa.or_(*on_items))
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


# One cell of the summary: a stage, a category (None: none), a working table (None: a
# topic), a channel and a decision (or PENDING).
Cell = tuple[str, int | None, int | None, str, str]


@dataclass
class Summary:
    rows: list[SummaryRow]  # one per category (None: inputs without a category)
    total: SummaryRow
    # How many inputs fall in each cell: what `count` adds up.
    cells: dict[Cell, int] = field(default_factory=dict)

    def count(self, filters: Filters) -> int:
        """How many inputs pass the filters, words aside (`Filters.summarised`)."""
        return sum(
            count
            for (stage, category_id, table_id, channel, decision), count in self.cells.items()
            if (not filters.stage or stage == filters.stage)
            and (not filters.decision or decision == filters.decision)
            and (not filters.category or category_id == filters.category)
            and (not filters.table or table_id == filters.table)
            and (not filters.channel or channel == filters.channel)
        )


def summary(exercise: Exercise) -> Summary:
    """Counts by category and decision (OGP Local §3.3.2), and by stage, table and
    channel for the pages' totals, read from the counts kept as inputs change
    (`feedback.tally`) in one small query: no input is read."""
    cells: dict[Cell, int] = {}
    by_category: dict[int | None, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for stage, category_id, table_id, channel, key, count in tally.cells_of(exercise.id):
        cells[stage, category_id, table_id, channel, key] = count
        row = by_category.setdefault(category_id, {})
        row[key] = row.get(key, 0) + count
        totals[key] = totals.get(key, 0) + count
    return Summary(
        # The categories in the order they were made; inputs without one last.
        [
            SummaryRow(c, by_category[c])
            for c in sorted(by_category, key=lambda c: (c is None, c or 0))
        ],
        SummaryRow(None, totals),
        cells,
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
    return tally.pending(exercise.id)
