"""The evidence repository (OGP Local Annexes 4 and 5) as the public reads it: every
piece of evidence filed, and the public documents the record already holds (the
signed declaration, the STL's charter, the sessions' public attachments, the plan's
attachments), each tagged with its Annex 5 type. One query in SQL lists, filters and
pages them all; a page costs the same few queries whatever the repository's size."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from coplat.accounts.models import Role
from coplat.commitments.models import Commitment, Milestone
from coplat.core import paging, text
from coplat.core.sql import typed_null
from coplat.core.uploads import Upload
from coplat.exercises.models import STEP_NUMBERS, Declaration, Exercise, StlCharter
from coplat.extensions import db
from coplat.plan.models import ActionPlan, PlanAttachment
from coplat.tables.enums import AttachmentKind, SessionKind
from coplat.tables.models import SessionAttachment, TableSession, WorkingTable
from coplat.tracking.enums import EvidenceSection, EvidenceType
from coplat.tracking.models import Evidence

PER_PAGE = 30

# What a session's attachment proves, in Annex 5's terms.
ATTACHMENT_TYPES = {
    AttachmentKind.PHOTO: EvidenceType.PHOTOS,
    AttachmentKind.ATTENDANCE_LIST: EvidenceType.PARTICIPANT_LIST,
    AttachmentKind.PRESENTATION: EvidenceType.CONSULTATION_OUTPUTS,
    AttachmentKind.OTHER: EvidenceType.CONSULTATION_OUTPUTS,
}
SECTION_ORDER = {section: n for n, section in enumerate(EvidenceSection)}

# Where an item comes from: filed evidence, or a document of the record.
EVIDENCE = "evidence"
ATTACHMENT = "attachment"
DECLARATION = "declaration"
CHARTER = "charter"
PLAN_ATTACHMENT = "plan_attachment"


@dataclass(frozen=True)
class Filters:
    kind: str = ""  # an EvidenceType value
    step: int = 0
    text: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        kind = args.get("type", "")
        step = args.get("step", 0, type=int)
        return cls(
            kind=kind if kind in set(EvidenceType) else "",
            step=step if step in STEP_NUMBERS else 0,
            text=args.get("q", "")[: text.MAX_LENGTH],
            page=args.get("page", 1, type=int),
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.step or self.text.strip())

    def as_query(self, **changes) -> dict:
        values = {
            "type": self.kind,
            "step": self.step or "",
            "q": self.text,
            "page": self.page if self.page > 1 else "",
        } | changes
        return {key: value for key, value in values.items() if value not in ("", None)}


def _public_upload(column):
    """No document, or a public one (attendance lists with names may be staff-only)."""
    return sa.or_(
        column.is_(None),
        sa.exists().where(Upload.id == column, Upload.is_public.is_(True)),
    )


def items_of(exercise: Exercise, *, process: bool = True, commitment_id: int | None = None):
    """Every item of the repository as rows of one subquery. `process`: the co-creation
    process (evidence not attached to a commitment, and the record's documents);
    otherwise the evidence of one commitment."""
    filed = sa.select(
        sa.literal(EVIDENCE).label("source"),
        Evidence.id.label("id"),
        sa.cast(Evidence.kind, sa.String).label("kind"),
        Evidence.title.label("title"),
        Evidence.description.label("description"),
        sa.literal("").label("caption"),
        Evidence.upload_id.label("upload_id"),
        Evidence.link.label("link"),
        Evidence.dated_on.label("dated_on"),
        Evidence.step_number.label("step_number"),
        Evidence.session_id.label("session_id"),
        Evidence.commitment_id.label("commitment_id"),
        Evidence.milestone_id.label("milestone_id"),
        sa.cast(Evidence.author_role, sa.String).label("author_role"),
        Evidence.created_at.label("created_at"),
    ).where(Evidence.exercise_id == exercise.id)
    if not process:
        return filed.where(Evidence.commitment_id == commitment_id).subquery("items")
    filed = filed.where(Evidence.commitment_id.is_(None))

    attachments = (
        sa.select(
            sa.literal(ATTACHMENT),
            SessionAttachment.id,
            sa.case(
                {kind.value: kind_type.value for kind, kind_type in ATTACHMENT_TYPES.items()},
                value=sa.cast(SessionAttachment.kind, sa.String),
                else_=EvidenceType.CONSULTATION_OUTPUTS.value,
            ),
            TableSession.title,
            typed_null(sa.JSON),
            SessionAttachment.caption,
            SessionAttachment.upload_id,
            sa.literal(""),
            typed_null(sa.Date),
            sa.case((TableSession.kind == SessionKind.FOLLOW_UP, 6), else_=4),
            SessionAttachment.session_id,
            typed_null(sa.Integer),
            typed_null(sa.Integer),
            typed_null(sa.String),
            SessionAttachment.created_at,
        )
        .join(TableSession, TableSession.id == SessionAttachment.session_id)
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .join(Upload, Upload.id == SessionAttachment.upload_id)
        .where(WorkingTable.exercise_id == exercise.id, Upload.is_public.is_(True))
    )
    declaration = sa.select(
        sa.literal(DECLARATION),
        Declaration.id,
        sa.literal(EvidenceType.FORUM_TERMS.value),
        typed_null(sa.JSON),
        typed_null(sa.JSON),
        sa.literal(""),
        Declaration.document_id,
        Declaration.link,
        Declaration.signed_on,
        sa.literal(1),
        typed_null(sa.Integer),
        typed_null(sa.Integer),
        typed_null(sa.Integer),
        typed_null(sa.String),
        Declaration.created_at,
    ).where(
        Declaration.exercise_id == exercise.id,
        sa.or_(Declaration.document_id.is_not(None), Declaration.link != ""),
        _public_upload(Declaration.document_id),
    )
    charter = (
        sa.select(
            sa.literal(CHARTER),
            StlCharter.id,
            sa.literal(EvidenceType.FORUM_TERMS.value),
            typed_null(sa.JSON),
            typed_null(sa.JSON),
            sa.literal(""),
            StlCharter.document_id,
            sa.literal(""),
            StlCharter.installed_on,
            sa.literal(3),
            typed_null(sa.Integer),
            typed_null(sa.Integer),
            typed_null(sa.Integer),
            typed_null(sa.String),
            StlCharter.created_at,
        )
        .join(Upload, Upload.id == StlCharter.document_id)
        .where(StlCharter.exercise_id == exercise.id, Upload.is_public.is_(True))
    )
    plan_documents = (
        sa.select(
            sa.literal(PLAN_ATTACHMENT),
            PlanAttachment.id,
            sa.literal(EvidenceType.STRATEGY_DOCUMENTS.value),
            PlanAttachment.title,
            typed_null(sa.JSON),
            sa.literal(""),
            PlanAttachment.upload_id,
            sa.literal(""),
            typed_null(sa.Date),
            sa.literal(5),
            typed_null(sa.Integer),
            typed_null(sa.Integer),
            typed_null(sa.Integer),
            typed_null(sa.String),
            PlanAttachment.created_at,
        )
        .join(ActionPlan, ActionPlan.id == PlanAttachment.plan_id)
        .join(Upload, Upload.id == PlanAttachment.upload_id)
        .where(ActionPlan.exercise_id == exercise.id, Upload.is_public.is_(True))
    )
    return sa.union_all(filed, attachments, declaration, charter, plan_documents).subquery("items")


def _conditions(items, filters: Filters) -> list:
    conditions = []
    if filters.kind:
        conditions.append(items.c.kind == filters.kind)
    if filters.step:
        conditions.append(items.c.step_number == filters.step)
    found = text.matches(
        text.words_of(filters.text), items.c.title, items.c.description, items.c.caption
    )
    if found is not None:
        conditions.append(found)
    return conditions


def _section_position(items):
    return sa.case(
        {t.value: SECTION_ORDER[t.section] for t in EvidenceType},
        value=items.c.kind,
        else_=len(SECTION_ORDER),
    )


@dataclass
class Item:
    source: str
    id: int
    kind: EvidenceType
    title: dict | None
    description: dict | None
    caption: str
    link: str
    dated_on: date | None
    step_number: int | None
    commitment_id: int | None
    milestone_id: int | None
    author_role: Role | None
    created_at: datetime
    upload: Upload | None = None
    session: TableSession | None = None

    @property
    def is_evidence(self) -> bool:
        return self.source == EVIDENCE

    @property
    def section(self) -> EvidenceSection:
        return self.kind.section


@dataclass
class Group:
    section: EvidenceSection
    items: list[Item]


@dataclass
class Page(paging.Page[Item]):
    @property
    def groups(self) -> list[Group]:
        """The page's items by Annex 5 section, in the Annex's order."""
        found: dict[EvidenceSection, list[Item]] = {}
        for item in self.items:
            found.setdefault(item.section, []).append(item)
        return [Group(section, found[section]) for section in EvidenceSection if section in found]


def page_of(exercise: Exercise, filters: Filters) -> Page:
    """The process repository, filtered and paged, by Annex 5 section then newest first."""
    items = items_of(exercise)
    conditions = _conditions(items, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(items).where(*conditions))
    number = paging.page_number(filters.page, total, PER_PAGE)
    rows = db.session.execute(
        sa.select(items)
        .where(*conditions)
        .order_by(
            _section_position(items),
            # Dated items first, newest first (NULLs sort apart on each database).
            items.c.dated_on.is_(None),
            items.c.dated_on.desc(),
            items.c.created_at.desc(),
            items.c.source,
            items.c.id.desc(),
        )
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    ).all()
    return Page(load(rows), total, number, PER_PAGE)


def commitment_items(exercise: Exercise, commitment: Commitment) -> list[Item]:
    """One commitment's evidence, oldest first (its folder groups it by milestone)."""
    items = items_of(exercise, process=False, commitment_id=commitment.id)
    rows = db.session.execute(
        sa.select(items).order_by(
            items.c.dated_on.is_(None), items.c.dated_on, items.c.created_at, items.c.id
        )
    ).all()
    return load(rows)


def load(rows) -> list[Item]:
    """Rows as items, with their files and sessions (one query each)."""
    items = [
        Item(
            source=row.source,
            id=row.id,
            kind=EvidenceType(row.kind),
            title=row.title,
            description=row.description,
            caption=row.caption or "",
            link=row.link or "",
            dated_on=row.dated_on,
            step_number=row.step_number,
            commitment_id=row.commitment_id,
            milestone_id=row.milestone_id,
            author_role=Role(row.author_role) if row.author_role else None,
            created_at=row.created_at,
        )
        for row in rows
    ]
    upload_ids = {row.upload_id for row in rows if row.upload_id}
    uploads = (
        {u.id: u for u in db.session.scalars(sa.select(Upload).where(Upload.id.in_(upload_ids)))}
        if upload_ids
        else {}
    )
    session_ids = {row.session_id for row in rows if row.session_id}
    sessions = (
        {
            s.id: s
            for s in db.session.scalars(
                sa.select(TableSession)
                .where(TableSession.id.in_(session_ids))
                .options(selectinload(TableSession.table))
            )
        }
        if session_ids
        else {}
    )
    for item, row in zip(items, rows, strict=True):
        item.upload = uploads.get(row.upload_id)
        item.session = sessions.get(row.session_id)
    return items


@dataclass
class Folder:
    """A commitment's evidence: for the commitment as a whole, then per milestone."""

    commitment: Commitment
    general: list[Item]
    milestones: list[tuple[Milestone, list[Item]]]

    @property
    def total(self) -> int:
        return len(self.general) + sum(len(found) for _m, found in self.milestones)


def folder_of(exercise: Exercise, commitment: Commitment) -> Folder:
    items = commitment_items(exercise, commitment)
    by_milestone: dict[int, list[Item]] = {}
    general = []
    known = {m.id for m in commitment.milestones}
    for item in items:
        if item.milestone_id in known:
            by_milestone.setdefault(item.milestone_id, []).append(item)
        else:
            general.append(item)
    return Folder(
        commitment,
        general,
        [(m, by_milestone.get(m.id, [])) for m in commitment.milestones],
    )
