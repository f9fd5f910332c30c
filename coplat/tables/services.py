"""The rules of the working tables, free of requests. Callers commit."""

import html
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import nh3
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from coplat.accounts.models import Role
from coplat.consultation.models import Topic
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor, Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.services import DECIDERS, record_decision
from coplat.tables.enums import NodeKind, ProposalChannel, TreeChangeKind
from coplat.tables.models import (
    Attendance,
    Invitation,
    Proposal,
    TableSession,
    TreeChange,
    TreeNode,
    WorkingTable,
)


class TableError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# ----- tables -------------------------------------------------------------------


def tables_of(exercise: Exercise) -> list[WorkingTable]:
    return db.session.scalars(
        sa.select(WorkingTable)
        .where(WorkingTable.exercise_id == exercise.id)
        .order_by(WorkingTable.id)
    ).all()


def topics_without_table(exercise: Exercise) -> list[Topic]:
    consultation = exercise.consultation
    if consultation is None:
        return []
    return db.session.scalars(
        sa.select(Topic)
        .where(
            Topic.consultation_id == consultation.id,
            Topic.prioritised.is_(True),
            ~sa.exists().where(WorkingTable.topic_id == Topic.id),
        )
        .order_by(Topic.id)
    ).all()


def open_table(exercise: Exercise, topic: Topic, user, facilitator=None) -> WorkingTable:
    """A table for a prioritised topic, its tree started from the topic's title."""
    if topic.exercise.id != exercise.id or not topic.prioritised:
        raise TableError(_l("Tables are opened for the topics the STL prioritised."))
    if db.session.scalar(sa.select(WorkingTable.id).where(WorkingTable.topic_id == topic.id)):
        raise TableError(_l("This topic already has its working table."))
    table = WorkingTable(
        exercise=exercise, topic=topic, name=dict(topic.title), facilitator=facilitator
    )
    db.session.add(table)
    db.session.flush()
    add_node(table, None, NodeKind.PROBLEM, dict(topic.title), user)
    return table


def facilitators_of(exercise: Exercise) -> list:
    from coplat.accounts.models import RoleAssignment, User

    return db.session.scalars(
        sa.select(User)
        .join(RoleAssignment)
        .where(RoleAssignment.exercise_id == exercise.id, RoleAssignment.role == Role.FACILITATOR)
        .order_by(User.name)
    ).all()


def table_figures(exercise: Exercise) -> dict[int, Counter]:
    """Per table: sessions, sessions with minutes, nodes, strategic causes, proposals.
    A few grouped queries, whatever the number of tables."""
    figures: dict[int, Counter] = {}

    def add(name, rows):
        for table_id, count in rows:
            figures.setdefault(table_id, Counter())[name] = count

    in_exercise = WorkingTable.exercise_id == exercise.id
    add(
        "sessions",
        db.session.execute(
            sa.select(TableSession.table_id, sa.func.count())
            .join(WorkingTable)
            .where(in_exercise)
            .group_by(TableSession.table_id)
        ),
    )
    add(
        "nodes",
        db.session.execute(
            sa.select(TreeNode.table_id, sa.func.count())
            .join(WorkingTable)
            .where(in_exercise)
            .group_by(TreeNode.table_id)
        ),
    )
    add(
        "strategic",
        db.session.execute(
            sa.select(TreeNode.table_id, sa.func.count())
            .join(WorkingTable)
            .where(in_exercise, TreeNode.strategic.is_(True))
            .group_by(TreeNode.table_id)
        ),
    )
    add(
        "proposals",
        db.session.execute(
            sa.select(Proposal.table_id, sa.func.count())
            .join(WorkingTable)
            .where(in_exercise)
            .group_by(Proposal.table_id)
        ),
    )
    return figures


# ----- sessions -----------------------------------------------------------------


def check_session_times(starts_at: datetime, ends_at: datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise TableError(_l("The session must end after it starts."))


MINUTES_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def clean_minutes(text: str) -> str:
    """Minutes arrive as HTML from the editor, or as plain text without JavaScript:
    plain text becomes paragraphs; either way only harmless markup survives."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        paragraphs = re.split(r"\n\s*\n", text)
        text = "".join(
            "<p>" + html.escape(p.strip()).replace("\n", "<br>") + "</p>"
            for p in paragraphs
            if p.strip()
        )
    return nh3.clean(
        text,
        tags=MINUTES_TAGS,
        attributes={"a": {"href"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def set_minutes(session: TableSession, minutes: dict[str, str]) -> None:
    check_started(session)
    cleaned = {lang: clean_minutes(text) for lang, text in minutes.items()}
    session.minutes = {lang: text for lang, text in cleaned.items() if text}


def find_actor(exercise: Exercise, name: str) -> Actor | None:
    """The exercise's actor of that name, whatever its case or spacing. Compared in
    Python: SQLite's lower() leaves accented capitals (Á, Ñ) alone."""
    wanted = " ".join(name.split()).casefold()
    actors = db.session.scalars(sa.select(Actor).where(Actor.exercise_id == exercise.id))
    return next((a for a in actors if " ".join(a.name.split()).casefold() == wanted), None)


def find_or_add_actor(
    exercise: Exercise, name: str, sector: Sector, is_organisation: bool
) -> Actor:
    """An attendee typed in the room: the exercise's actor of that name, or a new one."""
    actor = find_actor(exercise, name)
    if actor is None:
        name = " ".join(name.split())
        actor = Actor(exercise=exercise, name=name, sector=sector, is_organisation=is_organisation)
        db.session.add(actor)
        db.session.flush()
    return actor


def _check_actor(session: TableSession, actor: Actor) -> None:
    if actor.exercise is not session.table.exercise:
        raise TableError(_l("Choose an actor of this exercise."))


def record_attendance(session: TableSession, actor: Actor, sector: Sector | None = None) -> bool:
    """Count the actor as present; False when they were already counted."""
    _check_actor(session, actor)
    check_started(session)
    if any(a.actor is actor or a.actor_id == actor.id for a in session.attendances):
        return False
    session.attendances.append(Attendance(actor=actor, sector=sector or actor.sector))
    return True


def invite(session: TableSession, actor: Actor, sector: Sector | None = None) -> bool:
    """Put the actor on the session's invitation list; False when already on it."""
    _check_actor(session, actor)
    if any(i.actor is actor or i.actor_id == actor.id for i in session.invitations):
        return False
    session.invitations.append(Invitation(actor=actor, sector=sector or actor.sector))
    return True


def check_started(session: TableSession, now: datetime | None = None) -> None:
    """Attendance and minutes record what happened: not before the session starts."""
    if session.starts_at > (now or utcnow()):
        raise TableError(_l("Attendance and minutes are recorded once the session has started."))


def attendance_by_sector(session: TableSession) -> dict[Sector, tuple[int, int]]:
    """Per sector: (invited, attended), in the sectors' order, sectors with neither left
    out."""
    invited = Counter(i.sector for i in session.invitations)
    attended = Counter(a.sector for a in session.attendances)
    return {
        sector: (invited[sector], attended[sector])
        for sector in Sector
        if invited[sector] or attended[sector]
    }


def upcoming_sessions(exercise: Exercise, now: datetime | None = None) -> list[TableSession]:
    return db.session.scalars(
        sa.select(TableSession)
        .join(WorkingTable)
        .where(WorkingTable.exercise_id == exercise.id, TableSession.starts_at >= (now or utcnow()))
        .order_by(TableSession.starts_at)
    ).all()


# ----- the problem tree -----------------------------------------------------------


def tree_nodes(table: WorkingTable) -> list[TreeNode]:
    return db.session.scalars(
        sa.select(TreeNode)
        .where(TreeNode.table_id == table.id)
        .order_by(TreeNode.position, TreeNode.id)
    ).all()


def children_of(nodes: list[TreeNode]) -> dict[int | None, list[TreeNode]]:
    children: dict[int | None, list[TreeNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    return children


def descendants(node: TreeNode, nodes: list[TreeNode]) -> list[TreeNode]:
    children = children_of(nodes)
    found, stack = [], list(children.get(node.id, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(children.get(child.id, []))
    return found


def problem_of(table: WorkingTable) -> TreeNode | None:
    return db.session.scalar(
        sa.select(TreeNode).where(TreeNode.table_id == table.id, TreeNode.kind == NodeKind.PROBLEM)
    )


def _log(table, node, kind, user, before=None, after=None) -> None:
    db.session.add(
        TreeChange(
            table_id=table.id,
            node_id=node.id if kind != TreeChangeKind.DELETED else None,
            node_kind=node.kind,
            kind=kind,
            before=dict(before or {}),
            after=dict(after or {}),
            user_id=getattr(user, "id", None),
            changed_at=utcnow(),
        )
    )


def _check_parent(table: WorkingTable, parent: TreeNode | None, kind: NodeKind) -> None:
    if kind == NodeKind.PROBLEM:
        if parent is not None or problem_of(table) is not None:
            raise TableError(_l("The tree has one central problem."))
        return
    if parent is None or parent.table_id != table.id:
        raise TableError(_l("Choose where this goes in the tree."))
    if parent.kind not in (NodeKind.PROBLEM, kind):
        raise TableError(
            _l("A cause hangs from the problem or from another cause; an effect, likewise.")
        )


def _next_position(table: WorkingTable, parent: TreeNode | None) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(TreeNode.position)).where(
            TreeNode.table_id == table.id, TreeNode.parent_id == getattr(parent, "id", None)
        )
    )
    return (highest or 0) + 1


def add_node(
    table: WorkingTable, parent: TreeNode | None, kind: NodeKind, text: dict, user
) -> TreeNode:
    if not text.get("es"):
        raise TableError(_l("Write this in Spanish."))
    _check_parent(table, parent, kind)
    node = TreeNode(
        table_id=table.id,
        parent_id=getattr(parent, "id", None),
        kind=kind,
        text=dict(text),
        position=_next_position(table, parent),
    )
    db.session.add(node)
    db.session.flush()
    _log(table, node, TreeChangeKind.ADDED, user, after=text)
    return node


def edit_node(node: TreeNode, text: dict, user) -> None:
    if not text.get("es"):
        raise TableError(_l("Write this in Spanish."))
    if dict(node.text) == text:
        return
    before = dict(node.text)
    node.text = dict(text)
    _log(node.table, node, TreeChangeKind.EDITED, user, before=before, after=text)


def set_strategic(node: TreeNode, strategic: bool, user) -> None:
    if node.kind != NodeKind.CAUSE:
        raise TableError(_l("Only causes are marked as strategic."))
    if node.strategic == strategic:
        return
    node.strategic = strategic
    kind = TreeChangeKind.MARKED_STRATEGIC if strategic else TreeChangeKind.UNMARKED_STRATEGIC
    _log(node.table, node, kind, user, after=node.text)


def move_node(node: TreeNode, new_parent: TreeNode, user) -> None:
    """Hang a node (with its branch) from another node on the same side of the tree."""
    if node.kind == NodeKind.PROBLEM:
        raise TableError(_l("The central problem stays in the middle."))
    _check_parent(node.table, new_parent, node.kind)
    if new_parent.id == node.id or new_parent in descendants(node, tree_nodes(node.table)):
        raise TableError(_l("A node cannot hang from its own branch."))
    if new_parent.id == node.parent_id:
        return
    # The history reads "from this parent to that one".
    old_parent = db.session.get(TreeNode, node.parent_id)
    node.parent_id = new_parent.id
    node.position = _next_position(node.table, new_parent)
    _log(
        node.table, node, TreeChangeKind.MOVED, user, before=old_parent.text, after=new_parent.text
    )


def shift_node(node: TreeNode, step: int, user) -> None:
    """Move a node one place left (-1) or right (+1) among its siblings."""
    siblings = [
        n for n in tree_nodes(node.table) if n.parent_id == node.parent_id and n.kind == node.kind
    ]
    index = siblings.index(node)
    target = index + step
    if node.kind == NodeKind.PROBLEM or not 0 <= target < len(siblings):
        return
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    _log(node.table, node, TreeChangeKind.REORDERED, user, after=node.text)


def delete_node(node: TreeNode, user) -> None:
    """Delete a node and its branch, unless a proposal targets one of them: citizens'
    input never disappears with a node."""
    if node.kind == NodeKind.PROBLEM:
        raise TableError(_l("The central problem cannot be deleted; edit its text instead."))
    branch = [node, *descendants(node, tree_nodes(node.table))]
    targeted = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Proposal)
        .where(Proposal.cause_id.in_([n.id for n in branch]))
    )
    if targeted:
        raise TableError(
            _l(
                "Proposals target this cause or one below it. Move those proposals to "
                "another cause first."
            )
        )
    for doomed in branch:
        _log(node.table, doomed, TreeChangeKind.DELETED, user, before=doomed.text)
    # One statement for the whole branch: deleting row by row would race the
    # database's own ON DELETE CASCADE on parent_id.
    db.session.execute(sa.delete(TreeNode).where(TreeNode.id.in_([n.id for n in branch])))


def targeted_cause_ids(table: WorkingTable) -> set[int]:
    """Causes that proposals target: they cannot be deleted."""
    return set(
        db.session.scalars(
            sa.select(Proposal.cause_id).where(
                Proposal.table_id == table.id, Proposal.cause_id.is_not(None)
            )
        )
    )


def history(table: WorkingTable, limit: int = 200) -> list[TreeChange]:
    return db.session.scalars(
        sa.select(TreeChange)
        .where(TreeChange.table_id == table.id)
        .order_by(TreeChange.changed_at.desc(), TreeChange.id.desc())
        .limit(limit)
    ).all()


# ----- proposals ------------------------------------------------------------------


def strategic_causes(table: WorkingTable) -> list[TreeNode]:
    return [n for n in tree_nodes(table) if n.kind == NodeKind.CAUSE and n.strategic]


def _check_cause(table: WorkingTable, cause: TreeNode | None) -> None:
    if cause is None or cause.table_id != table.id or not cause.strategic:
        raise TableError(_l("Choose one of the table's strategic causes."))


def propose_online(
    table: WorkingTable,
    user,
    *,
    cause: TreeNode | None,
    title: dict,
    description: dict,
    organisation: str = "",
    sector: Sector = Sector.CITIZEN,
    now: datetime | None = None,
) -> Proposal:
    if not table.accepts_proposals(now):
        raise TableError(_l("This table is not taking proposals online at the moment."))
    _check_cause(table, cause)
    proposal = Proposal(
        table=table,
        cause=cause,
        title=title,
        description=description,
        channel=ProposalChannel.ONLINE,
        proposer_name=organisation.strip() or user.name,
        proposer_sector=sector,
        author_id=user.id,
        entered_by_id=user.id,
    )
    db.session.add(proposal)
    return proposal


def enter_proposal(
    table: WorkingTable,
    user,
    *,
    cause: TreeNode | None,
    title: dict,
    description: dict,
    proposer_name: str,
    proposer_sector: Sector,
    session: TableSession | None = None,
) -> Proposal:
    """The facilitator writes down a proposal made aloud at a session."""
    _check_cause(table, cause)
    if session is not None and session.table_id != table.id:
        raise TableError(_l("Choose one of this table's sessions."))
    proposal = Proposal(
        table=table,
        cause=cause,
        title=title,
        description=description,
        channel=ProposalChannel.SESSION,
        proposer_name=proposer_name.strip(),
        proposer_sector=proposer_sector,
        session=session,
        entered_by_id=user.id,
    )
    db.session.add(proposal)
    return proposal


def reject_proposal(proposal: Proposal, user, reason: dict, now: datetime | None = None):
    if proposal.decision is not None:
        raise TableError(_l("This proposal already has a decision."))
    if not reason.get("es"):
        raise TableError(_l("Say why, in Spanish at least."))
    return record_decision(
        proposal.exercise,
        stage=Stage.WORKING_TABLE,
        decision=Decision.REJECTED,
        user=user,
        acting_as=DECIDERS,
        reason=reason,
        proposal=proposal,
        now=now,
    )


# ----- step 4 ---------------------------------------------------------------------


@dataclass(frozen=True)
class Readiness:
    with_minutes: bool
    with_strategic_cause: bool
    proposals_decided: bool


def tables_ready(exercise: Exercise) -> Readiness:
    """INAI step 4 as far as the tables go: every prioritised topic has its table, with a
    session that has minutes and a tree with a strategic cause; no proposal waits for
    its decision."""
    consultation = exercise.consultation
    not_ready = Readiness(False, False, False)
    if consultation is None or consultation.prioritised_at is None:
        return not_ready
    topics = db.session.scalars(
        sa.select(Topic.id).where(
            Topic.consultation_id == consultation.id, Topic.prioritised.is_(True)
        )
    ).all()
    tables = {t.topic_id: t for t in tables_of(exercise)}
    if not topics or any(topic_id not in tables for topic_id in topics):
        return not_ready
    chosen = [tables[topic_id] for topic_id in topics]
    figures = table_figures(exercise)
    pending = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Proposal)
        .join(WorkingTable)
        .where(WorkingTable.exercise_id == exercise.id, Proposal.decision.is_(None))
    )
    # Which tables have a session with minutes: one query, not one per table.
    minuted = {
        table_id
        for table_id, minutes in db.session.execute(
            sa.select(TableSession.table_id, TableSession.minutes).where(
                TableSession.table_id.in_([table.id for table in chosen])
            )
        )
        if any(text.strip() for text in (minutes or {}).values())  # as has_minutes
    }
    return Readiness(
        with_minutes=all(table.id in minuted for table in chosen),
        with_strategic_cause=all(figures.get(t.id, Counter())["strategic"] for t in chosen),
        proposals_decided=pending == 0,
    )
