"""One search across the micro-site: published topics, proposals, commitments, the
feedback log's entries, evidence, progress reports and sessions. The database filters
(see `core/text.py` for case and accents); each kind returns a few results at most. A
commitment is found by its approved title or its working copy, and shown with the
title the plan reads (the approved revision's)."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, selectinload

from coplat.commitments.models import Commitment, CommitmentRevision
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.core import text
from coplat.core.i18n import LANGUAGES
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.models import FeedbackEntry
from coplat.tables.models import Proposal, TableSession, WorkingTable
from coplat.tracking.models import Evidence, ProgressReport
from coplat.tracking.rules import Quarter

# Results shown per kind; more are counted as "more" without being read.
PER_KIND = 20


@dataclass
class Hit:
    title: dict | str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit]
    more: bool  # more than PER_KIND matched


@dataclass
class Results:
    query: str
    words: list[str]
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def _first(query, condition):
    """The query's first results, one more than shown to know whether there are more."""
    return db.session.scalars(query.where(condition).limit(PER_KIND + 1)).all()


def _topics(exercise: Exercise, words):
    topics = _first(
        sa.select(Topic)
        .join(Consultation, Consultation.id == Topic.consultation_id)
        .where(Consultation.exercise_id == exercise.id, Topic.state == TopicState.PUBLISHED)
        .order_by(Topic.created_at.desc(), Topic.id.desc()),
        text.matches(words, Topic.title, Topic.description),
    )
    return topics, [
        Hit(t.title, url_for("consultation.topic", slug=exercise.slug, topic_id=t.id))
        for t in topics
    ]


def _proposals(exercise: Exercise, words):
    proposals = _first(
        sa.select(Proposal)
        .join(WorkingTable, WorkingTable.id == Proposal.table_id)
        .where(WorkingTable.exercise_id == exercise.id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc()),
        text.matches(words, Proposal.title, Proposal.description, Proposal.proposer_name),
    )
    return proposals, [
        Hit(
            p.title,
            url_for("tables.proposal", slug=exercise.slug, table_id=p.table_id, proposal_id=p.id),
            p.proposer_name,
        )
        for p in proposals
    ]


def _approved_titles(revision) -> list:
    """An approved revision's title in each language, as SQL expressions."""
    return [revision.content[("title", lang)].as_string() for lang in LANGUAGES]


def _commitments(exercise: Exercise, words):
    approved = aliased(CommitmentRevision)
    commitments = _first(
        sa.select(Commitment)
        .outerjoin(approved, approved.id == Commitment.approved_revision_id)
        .where(Commitment.exercise_id == exercise.id)
        .order_by(Commitment.id)
        .options(selectinload(Commitment.approved_revision)),
        text.matches(
            words,
            Commitment.title,
            Commitment.problem,
            Commitment.action,
            *_approved_titles(approved),
        ),
    )
    return commitments, [
        Hit(
            c.approved_title,
            url_for("commitments.show", slug=exercise.slug, commitment_id=c.id),
            c.status.label,
        )
        for c in commitments
    ]


def _entries(exercise: Exercise, words):
    topic, proposal = aliased(Topic), aliased(Proposal)
    entries = _first(
        sa.select(FeedbackEntry)
        .outerjoin(topic, topic.id == FeedbackEntry.topic_id)
        .outerjoin(proposal, proposal.id == FeedbackEntry.proposal_id)
        .where(FeedbackEntry.exercise_id == exercise.id)
        .order_by(FeedbackEntry.sequence.desc())
        .options(selectinload(FeedbackEntry.topic), selectinload(FeedbackEntry.proposal)),
        text.matches(
            words,
            FeedbackEntry.reason,
            FeedbackEntry.correction_reason,
            topic.title,
            proposal.title,
        ),
    )
    hits = []
    for entry in entries:
        item = entry.topic or entry.proposal
        if entry.topic_id:
            url = url_for("consultation.topic", slug=exercise.slug, topic_id=entry.topic_id)
        else:
            url = url_for(
                "tables.proposal",
                slug=exercise.slug,
                table_id=entry.proposal.table_id,
                proposal_id=entry.proposal_id,
            )
        detail = _l(
            "Entry %(number)s: %(decision)s", number=entry.sequence, decision=entry.decision.label
        )
        hits.append(Hit(item.title if item else {}, url, str(detail)))
    return entries, hits


def _evidence(exercise: Exercise, words):
    found = _first(
        sa.select(Evidence)
        .where(Evidence.exercise_id == exercise.id)
        .order_by(Evidence.created_at.desc(), Evidence.id.desc()),
        text.matches(words, Evidence.title, Evidence.description),
    )
    hits = []
    for evidence in found:
        if evidence.commitment_id:
            url = url_for(
                "site.commitment_evidence",
                slug=exercise.slug,
                commitment_id=evidence.commitment_id,
                _anchor=f"evidence-{evidence.id}",
            )
        else:
            url = url_for(
                "site.evidence",
                slug=exercise.slug,
                type=evidence.kind.value,
                _anchor=f"evidence-{evidence.id}",
            )
        hits.append(Hit(evidence.title, url, evidence.kind.label))
    return found, hits


def _reports(exercise: Exercise, words):
    approved = aliased(CommitmentRevision)
    reports = _first(
        sa.select(ProgressReport)
        .join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .outerjoin(approved, approved.id == Commitment.approved_revision_id)
        .where(Commitment.exercise_id == exercise.id)
        .order_by(ProgressReport.created_at.desc(), ProgressReport.id.desc())
        .options(
            selectinload(ProgressReport.commitment).selectinload(Commitment.approved_revision)
        ),
        text.matches(
            words,
            ProgressReport.progress,
            ProgressReport.delays,
            ProgressReport.next_steps,
            Commitment.title,
            *_approved_titles(approved),
        ),
    )
    return reports, [
        Hit(
            r.commitment.approved_title,
            url_for("tracking.report", slug=exercise.slug, report_id=r.id),
            Quarter(r.year, r.quarter).label,
        )
        for r in reports
    ]


def _sessions(exercise: Exercise, words):
    sessions = _first(
        sa.select(TableSession)
        .join(WorkingTable, WorkingTable.id == TableSession.table_id)
        .where(WorkingTable.exercise_id == exercise.id)
        .order_by(TableSession.starts_at.desc(), TableSession.id.desc()),
        text.matches(
            words,
            TableSession.title,
            TableSession.agenda,
            TableSession.minutes,
            TableSession.place,
        ),
    )
    return sessions, [
        Hit(
            s.title,
            url_for("tables.session", slug=exercise.slug, table_id=s.table_id, session_id=s.id),
            s.kind.label,
        )
        for s in sessions
    ]


KINDS = [
    ("topics", _l("Consultation topics"), _topics),
    ("proposals", _l("Proposals at the working tables"), _proposals),
    ("commitments", _l("Commitments"), _commitments),
    ("feedback", _l("Feedback log"), _entries),
    ("evidence", _l("Evidence"), _evidence),
    ("reports", _l("Progress reports"), _reports),
    ("sessions", _l("Sessions"), _sessions),
]


def search(exercise: Exercise, query: str) -> Results:
    words = text.words_of(query)
    groups = []
    if words:
        for kind, label, find in KINDS:
            records, hits = find(exercise, words)
            if hits:
                groups.append(Group(kind, str(label), hits[:PER_KIND], len(records) > PER_KIND))
    return Results(query, words, groups)
