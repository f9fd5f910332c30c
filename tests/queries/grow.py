"""Make the demo exercise several times bigger, in bulk, so the query-count tests can read
every public page before and after and compare.

Most records are copied: each copy of a row gets a new id and its references point at the
copies of what it referred to (a copied node hangs from a copied parent, a copied vote is
for a copied topic...). Besides the copies, the records a measured page reads grow in
place: the measured table gets more nodes, sessions and proposals, the measured session
more attendance, the measured commitment more milestones, revisions, reviews, updates and
reports, the measured report more comments. The counters pages show (votes, votes cast,
participants, profile answers) are recounted at the end, and the feedback log's new entries
are sealed in its hash chain. (The demo's voters also vote for the copies of the topics
they voted for, beyond their budget: pages show counts, which stay exact.)"""

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from coplat.accounts.models import User
from coplat.commitments.models import (
    Commitment,
    CommitmentRevision,
    Implementer,
    Milestone,
    Review,
    RevisionComment,
    SectorDecision,
    commitment_cause,
)
from coplat.consultation.enums import TopicState
from coplat.consultation.models import (
    Consultation,
    OfflineInput,
    OfflineTally,
    Participant,
    ProfileTally,
    Topic,
    TopicCategory,
    Vote,
)
from coplat.consultation.services import PROFILE_DIMENSIONS
from coplat.core.models import utcnow
from coplat.core.uploads import Upload
from coplat.exercises.models import (
    Actor,
    AgendaItem,
    AttendanceCount,
    AwarenessEvent,
    Declaration,
    Exercise,
    Jurisdiction,
    Signatory,
)
from coplat.extensions import db
from coplat.feedback import chain, tally
from coplat.feedback.models import FeedbackEntry
from coplat.plan.models import ActionPlan, Endorsement, PlanAttachment, PlanCommitment, PlanRevision
from coplat.tables.enums import AttachmentKind, NodeKind
from coplat.tables.models import (
    Attendance,
    Invitation,
    Proposal,
    SessionAttachment,
    TableSession,
    TreeChange,
    TreeNode,
    WorkingTable,
)
from coplat.tracking.models import (
    Assessment,
    CommitmentRating,
    Evidence,
    MilestoneUpdate,
    ProgressComment,
    ProgressReport,
)

Row = dict
Change = object  # a value, or a function of the original row


def rows_of(model, *where) -> list[Row]:
    table = model.__table__
    query = sa.select(table).where(*where)
    if "id" in table.c:
        query = query.order_by(table.c.id)
    return [dict(row) for row in db.session.execute(query).mappings()]


def insert(model, rows: list[Row]) -> list[int]:
    """Insert the rows (their "id" ignored) in one statement; their new ids, in order."""
    table = model.__table__
    if not rows:
        return []
    rows = [{key: value for key, value in row.items() if key != "id"} for row in rows]
    if "id" not in table.c:
        db.session.execute(sa.insert(table), rows)
        return []
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.execute(statement, rows).scalars())


def copy(model, rows: Iterable[Row], **changes: Change) -> dict[int, int]:
    """A copy of each row, with `changes`; returns original id -> copy's id."""
    rows = list(rows)
    copies = []
    for row in rows:
        new = dict(row)
        for key, change in changes.items():
            new[key] = change(row) if callable(change) else change
        copies.append(new)
    ids = insert(model, copies)
    return dict(zip((row["id"] for row in rows), ids, strict=True))


def mapped(mapping: dict[int, int], key: str) -> Callable[[Row], int | None]:
    """A change that points the reference `key` at the copy of what it named (or leaves
    it where it was, when that was not copied)."""
    return lambda row: mapping.get(row[key], row[key])


def suffixed(key: str, n: int) -> Callable[[Row], dict | str]:
    """The row's text (or translated text) with " (n)" added, so copies can be told apart."""

    def change(row):
        value = row[key]
        if isinstance(value, dict):
            return {language: f"{text} ({n})" for language, text in value.items()}
        return f"{value} ({n})"

    return change


def uploads(exercise_id: int, count: int, name: str) -> list[int]:
    now = utcnow()
    return insert(
        Upload,
        [
            {
                "exercise_id": exercise_id,
                "original_name": f"{name}-{n}.pdf",
                "stored_name": uuid.uuid4().hex,
                "content_type": "application/pdf",
                "size": 1024,
                "is_public": True,
                "uploaded_by_id": None,
                "created_at": now,
            }
            for n in range(count)
        ],
    )


class Grower:
    """Grows one exercise; `times` copies of most records, and as many more of the
    measured records (each a `measured` id the pages read)."""

    def __init__(self, exercise: Exercise, measured: dict[str, int], times: int):
        self.id = exercise.id
        self.measured = measured
        self.times = times
        self.random = random.Random(9)
        self.actor_copies: list[dict[int, int]] = []
        self.topic_copies: list[dict[int, int]] = []
        self.proposal_copies: list[dict[int, int]] = []

    # ----- the exercise ---------------------------------------------------------------

    def exercise_records(self) -> None:
        actors = rows_of(Actor, Actor.exercise_id == self.id)
        for n in range(1, self.times + 1):
            self.actor_copies.append(copy(Actor, actors, name=suffixed("name", n)))
        # Three jurisdictions: a plan may then hold twelve commitments.
        have = len(rows_of(Jurisdiction, Jurisdiction.exercise_id == self.id))
        insert(
            Jurisdiction,
            [
                {"exercise_id": self.id, "name": f"Municipio {n}", "state": "Hidalgo"}
                for n in range(max(0, 3 - have))
            ],
        )
        declaration = db.session.scalar(
            sa.select(Declaration.id).where(Declaration.exercise_id == self.id)
        )
        signatories = rows_of(Signatory, Signatory.declaration_id == declaration)
        events = rows_of(AwarenessEvent, AwarenessEvent.exercise_id == self.id)
        counts = rows_of(AttendanceCount, AttendanceCount.event_id.in_([e["id"] for e in events]))
        items = rows_of(AgendaItem, AgendaItem.exercise_id == self.id)
        for n, actor_copy in enumerate(self.actor_copies, start=1):
            copy(Signatory, signatories, actor_id=mapped(actor_copy, "actor_id"))
            event_copy = copy(AwarenessEvent, events, title=suffixed("title", n))
            copy(AttendanceCount, counts, event_id=mapped(event_copy, "event_id"))
            copy(AgendaItem, items, title=suffixed("title", n))

    # ----- the consultation -----------------------------------------------------------

    def consultation(self, new_people: int) -> None:
        consultation = db.session.scalar(
            sa.select(Consultation).where(Consultation.exercise_id == self.id)
        )
        cid = consultation.id
        categories = rows_of(TopicCategory, TopicCategory.consultation_id == cid)
        topics = rows_of(Topic, Topic.consultation_id == cid)
        votes = rows_of(Vote, Vote.topic_id.in_([t["id"] for t in topics]))
        inputs = rows_of(OfflineInput, OfflineInput.consultation_id == cid)
        tallies = rows_of(
            OfflineTally, OfflineTally.offline_input_id.in_([i["id"] for i in inputs])
        )
        for n in range(1, self.times + 1):
            category_copy = copy(
                TopicCategory,
                categories,
                name=suffixed("name", n),
                position=lambda row, n=n: row["position"] + 100 * n,
            )
            input_copy = copy(OfflineInput, inputs, place=suffixed("place", n))
            # A copy of a merged topic is merged into the original target, so the
            # measured topic gathers more merged topics.
            topic_copy = copy(
                Topic,
                topics,
                title=suffixed("title", n),
                category_id=mapped(category_copy, "category_id"),
                offline_input_id=mapped(input_copy, "offline_input_id"),
            )
            self.topic_copies.append(topic_copy)
            copy(Vote, votes, topic_id=mapped(topic_copy, "topic_id"))
            copy(
                OfflineTally,
                tallies,
                offline_input_id=mapped(input_copy, "offline_input_id"),
                topic_id=mapped(topic_copy, "topic_id"),
            )

        # New people who take part: each uses the budget on random published topics, and
        # three in ten give their profile (copied from the demo's participants).
        now = utcnow()
        people = insert(
            User,
            [
                {
                    "email": f"vecina.{n}@grow.example",
                    "name": f"Vecina {n}",
                    "password_hash": "-",
                    "locale": "es",
                    "is_admin": False,
                    "privacy_accepted_at": now,
                    "created_at": now,
                }
                for n in range(new_people)
            ],
        )
        profiles = [
            p
            for p in rows_of(Participant, Participant.consultation_id == cid)
            if p["profile_given_at"] is not None
        ]
        published = db.session.scalars(
            sa.select(Topic.id).where(
                Topic.consultation_id == cid, Topic.state == TopicState.PUBLISHED
            )
        ).all()
        budget = consultation.vote_budget or 3
        participants, new_votes = [], []
        for n, user_id in enumerate(people):
            chosen = self.random.sample(published, min(budget, len(published)))
            profile = profiles[n % len(profiles)] if profiles and n % 10 < 3 else None
            participants.append(
                {
                    "consultation_id": cid,
                    "user_id": user_id,
                    "joined_at": now,
                    "votes_cast": len(chosen),
                    "profile_given_at": now if profile else None,
                    **{d: profile[d] if profile else None for d in PROFILE_DIMENSIONS},
                }
            )
            new_votes += [{"topic_id": t, "user_id": user_id, "created_at": now} for t in chosen]
        insert(Participant, participants)
        insert(Vote, new_votes)
        self.recount(consultation)

    def recount(self, consultation: Consultation) -> None:
        """The counters pages show, as the services would have kept them."""
        cid = consultation.id
        db.session.execute(
            sa.update(Topic)
            .where(Topic.consultation_id == cid)
            .values(
                online_votes=sa.select(sa.func.count(Vote.id))
                .where(Vote.topic_id == Topic.id)
                .scalar_subquery(),
                offline_votes=sa.select(sa.func.coalesce(sa.func.sum(OfflineTally.votes), 0))
                .where(OfflineTally.topic_id == Topic.id)
                .scalar_subquery(),
            )
        )
        db.session.execute(
            sa.update(Participant)
            .where(Participant.consultation_id == cid)
            .values(
                votes_cast=sa.select(sa.func.count(Vote.id))
                .join(Topic)
                .where(Vote.user_id == Participant.user_id, Topic.consultation_id == cid)
                .scalar_subquery()
            )
        )
        participants = rows_of(Participant, Participant.consultation_id == cid)
        consultation.participant_count = len(participants)
        answers = defaultdict(int)
        for participant in participants:
            if participant["profile_given_at"] is not None:
                for dimension in PROFILE_DIMENSIONS:
                    answers[dimension, str(participant[dimension])] += 1
        db.session.execute(sa.delete(ProfileTally).where(ProfileTally.consultation_id == cid))
        insert(
            ProfileTally,
            [
                {"consultation_id": cid, "dimension": d, "value": v, "people": people}
                for (d, v), people in sorted(answers.items())
            ],
        )

    # ----- the working tables ---------------------------------------------------------

    def tables(self) -> None:
        tables = rows_of(WorkingTable, WorkingTable.exercise_id == self.id)
        measured = self.measured["table"]
        for n, topic_copy in enumerate(self.topic_copies, start=1):
            # Each copied prioritised topic gets a copy of its table, with all it holds.
            table_copy = copy(
                WorkingTable,
                tables,
                topic_id=mapped(topic_copy, "topic_id"),
                name=suffixed("name", n),
            )
            for table in tables:
                self.table_content(table["id"], table_copy[table["id"]], n)
            # The measured table grows in place.
            self.table_content(measured, measured, n)

    def table_content(self, source: int, target: int, n: int) -> None:
        """A copy of the source table's tree, history, sessions and proposals, in the
        target table (the source itself: the copied nodes hang from its problem)."""
        nodes = rows_of(TreeNode, TreeNode.table_id == source)
        node_copy: dict[int, int] = {}
        if source == target:
            node_copy.update({r["id"]: r["id"] for r in nodes if r["kind"] == NodeKind.PROBLEM})
        # Level by level, so each copy's parent exists before it.
        waiting = [r for r in nodes if r["id"] not in node_copy]
        while waiting:
            ready = [r for r in waiting if r["parent_id"] is None or r["parent_id"] in node_copy]
            assert ready, "the tree has a cycle"
            node_copy |= copy(
                TreeNode,
                ready,
                table_id=target,
                parent_id=mapped(node_copy, "parent_id"),
                text=suffixed("text", n),
            )
            waiting = [r for r in waiting if r["id"] not in node_copy]
        copy(
            TreeChange,
            rows_of(TreeChange, TreeChange.table_id == source),
            table_id=target,
            node_id=mapped(node_copy, "node_id"),
        )
        sessions = rows_of(TableSession, TableSession.table_id == source)
        session_copy = copy(TableSession, sessions, table_id=target, title=suffixed("title", n))
        session_ids = [s["id"] for s in sessions]
        for model in (Attendance, Invitation, SessionAttachment):
            copy(
                model,
                rows_of(model, model.session_id.in_(session_ids)),
                session_id=mapped(session_copy, "session_id"),
            )
        proposals = rows_of(Proposal, Proposal.table_id == source)
        self.proposal_copies.append(
            copy(
                Proposal,
                proposals,
                table_id=target,
                title=suffixed("title", n),
                cause_id=mapped(node_copy, "cause_id"),
                session_id=mapped(session_copy, "session_id"),
            )
        )

    def session(self) -> None:
        """More attendance, invitations and files at the measured session."""
        session = self.measured["session"]
        attendances = rows_of(Attendance, Attendance.session_id == session)
        invitations = rows_of(Invitation, Invitation.session_id == session)
        for actor_copy in self.actor_copies:
            copy(Attendance, attendances, actor_id=mapped(actor_copy, "actor_id"))
            copy(Invitation, invitations, actor_id=mapped(actor_copy, "actor_id"))
        files = uploads(self.id, self.times, "foto")
        insert(
            SessionAttachment,
            [
                {
                    "session_id": session,
                    "upload_id": upload,
                    "kind": AttachmentKind.PHOTO,
                    "caption": f"Foto {n}",
                    "created_at": utcnow(),
                }
                for n, upload in enumerate(files)
            ],
        )

    # ----- commitments and the plan ---------------------------------------------------

    def commitments(self, copies: int) -> None:
        """`copies` copies of each of the plan's commitments, held by the plan, with
        their revisions, reviews, milestones, updates, reports, evidence and ratings."""
        plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.exercise_id == self.id))
        entries = rows_of(PlanCommitment, PlanCommitment.plan_id == plan.id)
        held = [e["commitment_id"] for e in entries]
        position = max(e["position"] for e in entries)
        for n in range(1, copies + 1):
            mapping = self.commitment_records(held, n)
            position += len(entries)
            copy(
                PlanCommitment,
                entries,
                plan_id=plan.id,
                commitment_id=mapped(mapping, "commitment_id"),
                position=lambda row, p=position: row["position"] + p,
            )

    def commitment_records(self, ids: list[int], n: int) -> dict[int, int]:
        commitments = rows_of(Commitment, Commitment.id.in_(ids))
        mapping = copy(
            Commitment, commitments, title=suffixed("title", n), approved_revision_id=None
        )
        milestones = copy(
            Milestone,
            rows_of(Milestone, Milestone.commitment_id.in_(ids)),
            commitment_id=mapped(mapping, "commitment_id"),
        )
        copy(
            Implementer,
            rows_of(Implementer, Implementer.commitment_id.in_(ids)),
            commitment_id=mapped(mapping, "commitment_id"),
        )
        revisions = rows_of(CommitmentRevision, CommitmentRevision.commitment_id.in_(ids))
        revision_copy = copy(
            CommitmentRevision, revisions, commitment_id=mapped(mapping, "commitment_id")
        )
        for commitment in commitments:
            if commitment["approved_revision_id"] is not None:
                db.session.execute(
                    sa.update(Commitment)
                    .where(Commitment.id == mapping[commitment["id"]])
                    .values(approved_revision_id=revision_copy[commitment["approved_revision_id"]])
                )
        copy(
            RevisionComment,
            rows_of(RevisionComment, RevisionComment.revision_id.in_(list(revision_copy))),
            revision_id=mapped(revision_copy, "revision_id"),
        )
        reviews = rows_of(Review, Review.commitment_id.in_(ids))
        review_copy = copy(
            Review,
            reviews,
            commitment_id=mapped(mapping, "commitment_id"),
            revision_id=mapped(revision_copy, "revision_id"),
        )
        copy(
            SectorDecision,
            rows_of(SectorDecision, SectorDecision.review_id.in_(list(review_copy))),
            review_id=mapped(review_copy, "review_id"),
        )
        causes = db.session.execute(
            sa.select(commitment_cause).where(commitment_cause.c.commitment_id.in_(ids))
        ).mappings()
        links = [
            {"commitment_id": mapping[c["commitment_id"]], "node_id": c["node_id"]} for c in causes
        ]
        if links:
            db.session.execute(sa.insert(commitment_cause), links)
        for model in (MilestoneUpdate, Evidence):
            copy(
                model,
                rows_of(model, model.commitment_id.in_(ids)),
                commitment_id=mapped(mapping, "commitment_id"),
                milestone_id=mapped(milestones, "milestone_id"),
            )
        reports = rows_of(ProgressReport, ProgressReport.commitment_id.in_(ids))
        report_copy = copy(ProgressReport, reports, commitment_id=mapped(mapping, "commitment_id"))
        copy(
            ProgressComment,
            rows_of(ProgressComment, ProgressComment.report_id.in_(list(report_copy))),
            report_id=mapped(report_copy, "report_id"),
        )
        copy(
            CommitmentRating,
            rows_of(CommitmentRating, CommitmentRating.commitment_id.in_(ids)),
            commitment_id=mapped(mapping, "commitment_id"),
        )
        copy(
            Assessment,
            rows_of(Assessment, Assessment.commitment_id.in_(ids)),
            commitment_id=mapped(mapping, "commitment_id"),
        )
        return mapping

    def commitment(self) -> None:
        """The measured commitment grows in place: more milestones and implementers,
        revisions with comments, review rounds, updates, reports and evidence."""
        cid = self.measured["commitment"]
        milestones = rows_of(Milestone, Milestone.commitment_id == cid)
        implementers = rows_of(Implementer, Implementer.commitment_id == cid)
        revisions = rows_of(CommitmentRevision, CommitmentRevision.commitment_id == cid)
        reviews = rows_of(Review, Review.commitment_id == cid)
        updates = rows_of(MilestoneUpdate, MilestoneUpdate.commitment_id == cid)
        reports = rows_of(ProgressReport, ProgressReport.commitment_id == cid)
        evidence = rows_of(Evidence, Evidence.commitment_id == cid)
        # The copies take the first numbers and the originals move after them, so the
        # latest revision is still the one the commitment had.
        db.session.execute(
            sa.update(CommitmentRevision)
            .where(CommitmentRevision.commitment_id == cid)
            .values(number=CommitmentRevision.number + self.times * len(revisions))
        )
        for n in range(1, self.times + 1):
            milestone_copy = copy(
                Milestone,
                milestones,
                output=suffixed("output", n),
                position=lambda row, n=n: row["position"] + 100 * n,
            )
            copy(
                Implementer,
                implementers,
                institution=suffixed("institution", n),
                position=lambda row, n=n: row["position"] + 100 * n,
            )
            revision_copy = copy(
                CommitmentRevision,
                revisions,
                number=lambda row, n=n: (n - 1) * len(revisions) + row["number"],
            )
            copy(
                RevisionComment,
                rows_of(RevisionComment, RevisionComment.revision_id.in_(list(revision_copy))),
                revision_id=mapped(revision_copy, "revision_id"),
            )
            # Every round again; the last copy is a copy of the latest round, on the
            # latest revision, so the commitment's state stays as it was.
            last_round = reviews[-1]["id"]
            review_copy = copy(
                Review,
                reviews,
                revision_id=lambda row, copies=revision_copy, last=last_round: (
                    row["revision_id"]
                    if row["id"] == last
                    else copies.get(row["revision_id"], row["revision_id"])
                ),
            )
            copy(
                SectorDecision,
                rows_of(SectorDecision, SectorDecision.review_id.in_(list(review_copy))),
                review_id=mapped(review_copy, "review_id"),
            )
            copy(MilestoneUpdate, updates, milestone_id=mapped(milestone_copy, "milestone_id"))
            # Reports of earlier years (one per commitment and quarter).
            report_copy = copy(ProgressReport, reports, year=lambda row, n=n: row["year"] - n)
            copy(
                ProgressComment,
                rows_of(ProgressComment, ProgressComment.report_id.in_(list(report_copy))),
                report_id=mapped(report_copy, "report_id"),
            )
            copy(
                Evidence,
                evidence,
                title=suffixed("title", n),
                milestone_id=mapped(milestone_copy, "milestone_id"),
            )

    def report(self) -> None:
        comments = rows_of(ProgressComment, ProgressComment.report_id == self.measured["report"])
        for n in range(1, self.times + 1):
            copy(ProgressComment, comments, body=suffixed("body", n))

    def plan(self) -> None:
        plan = db.session.scalar(sa.select(ActionPlan).where(ActionPlan.exercise_id == self.id))
        revisions = rows_of(PlanRevision, PlanRevision.plan_id == plan.id)
        endorsements = rows_of(Endorsement, Endorsement.plan_id == plan.id)
        last = max(r["number"] for r in revisions)
        for n, actor_copy in enumerate(self.actor_copies, start=1):
            # Each copy ends with a copy of the latest revision: the plan reads the same.
            copy(
                PlanRevision,
                revisions,
                number=lambda row, n=n: last + (n - 1) * len(revisions) + row["number"],
            )
            copy(Endorsement, endorsements, actor_id=mapped(actor_copy, "actor_id"))
        self.plan_attachments(plan.id, self.times)

    def plan_attachments(self, plan_id: int, count: int) -> None:
        files = uploads(self.id, count, "anexo")
        insert(
            PlanAttachment,
            [
                {
                    "plan_id": plan_id,
                    "upload_id": upload,
                    "title": {"es": f"Anexo {n}", "en": f"Annex {n}"},
                    "created_at": utcnow(),
                }
                for n, upload in enumerate(files)
            ],
        )

    def evidence(self) -> None:
        """Copies of the repository's evidence on the process (the commitments' came with
        them)."""
        evidence = rows_of(
            Evidence, Evidence.exercise_id == self.id, Evidence.commitment_id.is_(None)
        )
        for n in range(1, self.times + 1):
            copy(Evidence, evidence, title=suffixed("title", n))

    # ----- the feedback log -----------------------------------------------------------

    def feedback(self) -> None:
        """An entry for each copied input that was decided, and corrections of the
        measured topic's and proposal's fate, sealed in the chain."""
        entries = rows_of(FeedbackEntry, FeedbackEntry.exercise_id == self.id)
        latest = max(entries, key=lambda e: e["sequence"])
        sequence, previous = latest["sequence"], latest["hash"]
        on_topic = {e["topic_id"]: e for e in entries if e["topic_id"]}
        on_proposal = {e["proposal_id"]: e for e in entries if e["proposal_id"]}
        new = []
        for topic_copy in self.topic_copies:
            new += [
                dict(on_topic[original], topic_id=copied, supersedes_id=None, correction_reason={})
                for original, copied in topic_copy.items()
                if original in on_topic
            ]
        for proposal_copy in self.proposal_copies:
            new += [
                dict(
                    on_proposal[original],
                    proposal_id=copied,
                    supersedes_id=None,
                    correction_reason={},
                )
                for original, copied in proposal_copy.items()
                if original in on_proposal
            ]
        for row in new:
            sequence += 1
            previous = self.seal(row, sequence, previous)
        insert(FeedbackEntry, new)
        for key in ("topic", "proposal"):
            current = (on_topic if key == "topic" else on_proposal)[self.measured[key]]
            for n in range(self.times):
                sequence += 1
                row = dict(
                    current,
                    supersedes_id=current["id"],
                    correction_reason={"es": f"Corrección {n}", "en": f"Correction {n}"},
                )
                previous = self.seal(row, sequence, previous)
                (row["id"],) = insert(FeedbackEntry, [row])
                current = row

    def seal(self, row: Row, sequence: int, previous: str) -> str:
        row["sequence"] = sequence
        entry = FeedbackEntry(
            **{k: v for k, v in row.items() if k not in ("id", "previous_hash", "hash")}
        )
        chain.seal(entry, previous)
        row["previous_hash"], row["hash"] = entry.previous_hash, entry.hash
        return entry.hash


def measured_records(exercise: Exercise) -> dict[str, int]:
    """The records whose pages are measured, each with much to show (the topic others
    were merged into, the first table, its first session...)."""

    def first(query):
        value = db.session.scalar(query.limit(1))
        assert value is not None, query
        return value

    eid = exercise.id
    table = first(
        sa.select(WorkingTable.id).where(WorkingTable.exercise_id == eid).order_by(WorkingTable.id)
    )
    plan = first(sa.select(ActionPlan.id).where(ActionPlan.exercise_id == eid))
    commitment = first(
        sa.select(PlanCommitment.commitment_id)
        .where(PlanCommitment.plan_id == plan)
        .order_by(PlanCommitment.position)
    )
    decided = sa.select(FeedbackEntry.topic_id).where(FeedbackEntry.exercise_id == eid)
    merged = aliased(Topic)
    merged_here = (
        sa.select(sa.func.count(merged.id)).where(merged.merged_into_id == Topic.id)
    ).scalar_subquery()
    return {
        # A decided topic others were merged into, with the most votes.
        "topic": first(
            sa.select(Topic.id)
            .join(Consultation)
            .where(Consultation.exercise_id == eid, Topic.id.in_(decided))
            .order_by(merged_here.desc(), (Topic.online_votes + Topic.offline_votes).desc())
        ),
        "table": table,
        "session": first(
            sa.select(TableSession.id)
            .where(TableSession.table_id == table)
            .order_by(TableSession.starts_at)
        ),
        "proposal": first(
            sa.select(Proposal.id)
            .where(
                Proposal.table_id == table,
                Proposal.commitment_id.is_not(None),
                Proposal.id.in_(sa.select(FeedbackEntry.proposal_id)),
            )
            .order_by(Proposal.id)
        ),
        "commitment": commitment,
        "report": first(
            sa.select(ProgressReport.id)
            .where(ProgressReport.commitment_id == commitment)
            .order_by(ProgressReport.id)
        ),
        "assessment": first(
            sa.select(Assessment.id)
            .where(Assessment.exercise_id == eid, Assessment.published_at.is_not(None))
            .order_by(Assessment.id)
        ),
        "upload": first(
            sa.select(Evidence.upload_id)
            .where(Evidence.exercise_id == eid, Evidence.upload_id.is_not(None))
            .order_by(Evidence.id)
        ),
    }


def round_out(exercise: Exercise, measured: dict[str, int], topics_per_page: int) -> None:
    """What the demo lacks, so the small exercise already shows every kind of record a
    page reads: a plan attachment, a photo of the measured session, and a second page
    of published topics."""
    grower = Grower(exercise, measured, 1)
    consultation = db.session.scalar(
        sa.select(Consultation.id).where(Consultation.exercise_id == exercise.id)
    )
    published = rows_of(
        Topic, Topic.consultation_id == consultation, Topic.state == TopicState.PUBLISHED
    )
    for n in range(1, topics_per_page // len(published) + 1):
        copy(Topic, published, title=suffixed("title", n), online_votes=0, offline_votes=0)
    plan = db.session.scalar(sa.select(ActionPlan.id).where(ActionPlan.exercise_id == exercise.id))
    grower.plan_attachments(plan, 1)
    (upload,) = uploads(exercise.id, 1, "foto")
    insert(
        SessionAttachment,
        [
            {
                "session_id": measured["session"],
                "upload_id": upload,
                "kind": AttachmentKind.PHOTO,
                "caption": "Foto",
                "created_at": utcnow(),
            }
        ],
    )
    tally.rebuild(exercise.id)
    db.session.commit()


def grow(exercise: Exercise, measured: dict[str, int], times: int = 5) -> None:
    """Make the exercise about `times` + 1 times bigger (its plan three times)."""
    grower = Grower(exercise, measured, times)
    grower.exercise_records()
    grower.consultation(new_people=200 * times)
    grower.tables()
    grower.session()
    grower.commitment()
    grower.report()
    grower.commitments(copies=2)
    grower.evidence()
    grower.plan()
    grower.feedback()
    tally.rebuild(exercise.id)
    db.session.commit()
    db.session.expire_all()
