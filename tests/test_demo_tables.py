"""The demo's working tables: one per prioritised topic, played through the services,
so what the public and the STL see holds together; during implementation, the
follow-up meetings with civil society meet at them too."""

import re

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.commitments.services import commitments_of
from coplat.consultation.models import Topic
from coplat.core.models import utcnow
from coplat.demo import DEMO_SLUG
from coplat.exercises import steps
from coplat.exercises.enums import Sector
from coplat.exercises.models import Exercise
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
from coplat.plan.services import find_plan
from coplat.tables import services
from coplat.tables.enums import NodeKind, ProposalChannel, SessionKind, TreeChangeKind
from coplat.tables.models import Proposal


@pytest.fixture
def exercise(app, shared_demo):
    with app.app_context():
        yield db.session.scalar(sa.select(Exercise).where(Exercise.slug == DEMO_SLUG))


def held(table):
    return [s for s in table.sessions if s.starts_at < utcnow()]


def proposals(table) -> list[Proposal]:
    return list(
        db.session.scalars(
            sa.select(Proposal).where(Proposal.table_id == table.id).order_by(Proposal.id)
        )
    )


def decided_at(proposal):
    """When the proposal was first decided (a correction may follow)."""
    return db.session.scalar(
        sa.select(FeedbackEntry.decided_at)
        .where(FeedbackEntry.proposal_id == proposal.id)
        .order_by(FeedbackEntry.sequence)
        .limit(1)
    )


def depth(node, by_id) -> int:
    """How many nodes lie between this one and the central problem, plus one."""
    found = 0
    while node.parent_id is not None:
        node, found = by_id[node.parent_id], found + 1
    return found


def words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_one_table_per_prioritised_topic(exercise):
    tables = services.tables_of(exercise)
    prioritised = db.session.scalars(
        sa.select(Topic).where(
            Topic.consultation_id == exercise.consultation.id, Topic.prioritised.is_(True)
        )
    ).all()
    assert len(tables) == len(prioritised) == 4
    assert {t.topic_id for t in tables} == {t.id for t in prioritised}
    assert services.topics_without_table(exercise) == []
    facilitator = services.facilitators_of(exercise)[0]
    assert all(t.facilitator == facilitator for t in tables)
    assert all(t.name["es"] and t.name["en"] for t in tables)


def test_sessions_follow_the_prioritisation_at_local_hours(exercise):
    prioritised_at = exercise.consultation.prioritised_at
    for table in services.tables_of(exercise):
        assert len(table.sessions) >= 2
        assert [s.kind for s in table.sessions[:2]] == [
            SessionKind.OPEN_DAY,
            SessionKind.WORKING_TABLE,
        ]
        for session in table.sessions:
            assert prioritised_at < session.starts_at < session.ends_at
            assert session.place or session.link
            assert session.title["es"] and session.title["en"]
            assert session.agenda["es"] and session.agenda["en"]
            # Daytime or early evening in Santa Lucía, not the UTC clock.
            local = session.starts_at.astimezone(exercise.zone)
            assert 9 <= local.hour <= 18
        assert any(s.has_minutes for s in held(table))
    assert any(s.link for t in services.tables_of(exercise) for s in t.sessions)


def test_follow_up_meetings_come_after_the_launch(exercise):
    launched = find_plan(exercise).launched_at
    for table in services.tables_of(exercise):
        for session in table.sessions:
            # Co-creation before the launch, follow-up after it.
            assert (session.kind == SessionKind.FOLLOW_UP) == (session.starts_at > launched)
    kinds = {s.kind for t in services.tables_of(exercise) for s in t.sessions}
    assert kinds == set(SessionKind)


def test_one_upcoming_session_with_invitations_only(exercise):
    upcoming = [
        s for t in services.tables_of(exercise) for s in t.sessions if s.starts_at > utcnow()
    ]
    [session] = upcoming
    assert session.kind == SessionKind.FOLLOW_UP
    assert session is session.table.sessions[-1]
    assert session.invitations and not session.attendances and not session.has_minutes
    days_ahead = (session.starts_at - utcnow()).days
    assert 9 <= days_ahead <= 10


def test_held_sessions_have_bilingual_safe_minutes(exercise):
    for table in services.tables_of(exercise):
        for session in held(table):
            assert set(session.minutes) == {"es", "en"}
            for text in session.minutes.values():
                assert "<script" not in text.lower()
                assert "<h3>" in text and "<li>" in text and "<strong>" in text
                assert 120 <= words(text) <= 250
            assert session.minutes["es"] != session.minutes["en"]


def test_attendance_by_sector_at_held_sessions(exercise):
    walk_ins = 0
    for table in services.tables_of(exercise):
        for session in held(table):
            totals = services.attendance_by_sector(session)
            attended = sum(n for _, n in totals.values())
            assert 12 <= attended == len(session.attendances) <= 25
            assert len([s for s, (_, n) in totals.items() if n]) >= 4
            invited = {i.actor_id for i in session.invitations}
            came = {a.actor_id for a in session.attendances}
            # Most invited people came; a few came uninvited.
            assert len(invited & came) >= 0.75 * len(invited)
            walk_ins += len(came - invited)
            assert any(not a.actor.is_organisation for a in session.attendances)
            assert {Sector.GOVERNMENT, Sector.CIVIL_SOCIETY} <= set(totals)
    assert walk_ins >= 8


def test_every_tree_is_a_full_problem_tree(exercise):
    for table in services.tables_of(exercise):
        nodes = services.tree_nodes(table)
        assert 15 <= len(nodes) <= 24
        [problem] = [n for n in nodes if n.kind == NodeKind.PROBLEM]
        # The open day sharpened the problem beyond the topic's title, in both languages.
        assert problem.text["es"] != table.topic.title["es"]
        assert problem.text["en"] != table.topic.title["en"]
        by_id = {n.id: n for n in nodes}
        children = services.children_of(nodes)
        causes = [n for n in children[problem.id] if n.kind == NodeKind.CAUSE]
        effects = [n for n in children[problem.id] if n.kind == NodeKind.EFFECT]
        assert 4 <= len(causes) <= 5 and 4 <= len(effects) <= 6
        assert all(1 <= len(children.get(c.id, [])) <= 3 for c in causes)
        assert any(children.get(e.id) for e in effects)
        # A cause of a cause of a cause of the problem.
        assert max(depth(n, by_id) for n in nodes if n.kind == NodeKind.CAUSE) >= 3
        strategic = [n for n in nodes if n.strategic]
        assert 2 <= len(strategic) <= 3
        assert all(n.kind == NodeKind.CAUSE for n in strategic)
        assert all(n.text.get("es") and n.text.get("en") for n in nodes)


def test_tree_history_was_made_at_the_sessions(exercise):
    prioritised_at = exercise.consultation.prioritised_at
    kinds = set()
    for table in services.tables_of(exercise):
        changes = services.history(table)
        nodes = services.tree_nodes(table)
        added = {c.node_id for c in changes if c.kind == TreeChangeKind.ADDED}
        assert added == {n.id for n in nodes}
        # Dated at the sessions where the room made them, not when the demo loaded.
        last = max(s.ends_at for s in held(table))
        assert all(prioritised_at < c.changed_at <= last for c in changes)
        assert all(c.user and c.user.assignment(exercise.id, Role.FACILITATOR) for c in changes)
        kinds |= {c.kind for c in changes}
        problem = services.problem_of(table)
        [edit] = [c for c in changes if c.kind == TreeChangeKind.EDITED]
        assert edit.node_id == problem.id and edit.after == problem.text
    assert {TreeChangeKind.MARKED_STRATEGIC, TreeChangeKind.MOVED} <= kinds


def test_proposals_target_their_tables_strategic_causes(exercise):
    channels = set()
    for table in services.tables_of(exercise):
        found = proposals(table)
        assert 3 <= len(found) <= 6
        for proposal in found:
            assert proposal.cause.table_id == table.id and proposal.cause.strategic
            assert proposal.title["es"] and proposal.title["en"]
            assert proposal.description["es"] and proposal.description["en"]
            assert proposal.created_at < utcnow()
            if proposal.channel == ProposalChannel.SESSION:
                # Said in the room by someone who was there.
                assert proposal.session.table_id == table.id
                assert proposal.session.has_minutes
                names = {a.actor.name for a in proposal.session.attendances}
                assert proposal.proposer_name in names
                assert proposal.author_id is None and proposal.entered_by_id
            else:
                assert proposal.author_id and proposal.session is None
                assert proposal.created_at < table.proposals_close_at
                assert proposal.created_at > table.sessions[0].ends_at
        online = [p for p in found if p.channel == ProposalChannel.ONLINE]
        # The open call of the public-works table drew a third online proposal late.
        assert 1 <= len(online) <= 3 <= len(found) - len(online)
        channels |= {p.channel for p in found}
    assert channels == set(ProposalChannel)


def test_one_proposal_rejected_at_its_working_table_with_its_feedback(exercise):
    # The others are decided as the commitments are drafted (tests/test_demo_commitments).
    everything = [p for t in services.tables_of(exercise) for p in proposals(t)]
    at_tables = [
        p
        for p in everything
        if p.decision == Decision.REJECTED and p.table.sessions[1].ends_at >= decided_at(p)
    ]
    [rejected] = at_tables
    # The table's answer, and later the facilitator's correction of its reason
    # (tests/test_demo_feedback.py); both stay in the log.
    entry, correction = db.session.scalars(
        sa.select(FeedbackEntry)
        .where(FeedbackEntry.proposal_id == rejected.id)
        .order_by(FeedbackEntry.sequence)
    )
    assert entry.stage == Stage.WORKING_TABLE and entry.decision == Decision.REJECTED
    assert entry.reason["es"] and entry.reason["en"]
    assert entry.decided_role == Role.FACILITATOR
    assert rejected.created_at < entry.decided_at == rejected.table.sessions[1].ends_at
    assert correction.supersedes_id == entry.id and correction.decision == Decision.REJECTED
    assert entry.decided_at < correction.decided_at < utcnow()


def test_one_late_online_proposal_is_adapted_by_its_tables_commitment(exercise):
    everything = [p for t in services.tables_of(exercise) for p in proposals(t)]
    late = max(everything, key=lambda p: p.created_at)
    assert late.channel == ProposalChannel.ONLINE and late.author_id
    table = late.table
    assert late.created_at < table.proposals_close_at
    assert late.cause.strategic and late.cause.table_id == table.id
    # It came after the table's other proposals were decided, and was answered after.
    others = [p for p in proposals(table) if p is not late]
    assert all(decided_at(p) < late.created_at < decided_at(late) < utcnow() for p in others)
    assert late.decision == Decision.MODIFIED
    assert late.commitment is not None and late.commitment.topic_id == table.topic_id


def test_every_call_closed_during_co_creation(exercise):
    # The public-works table kept its call open while the commitments were drafted.
    tables = services.tables_of(exercise)
    assert not any(t.accepts_proposals() for t in tables)
    closing = sorted(t.proposals_close_at for t in tables)
    approved = max(c.approved_at for c in commitments_of(exercise))
    assert closing[-1] > approved > closing[-2]
    assert closing[-1] < find_plan(exercise).submitted_at


def test_step_4_is_met_and_closed_by_the_stl(exercise):
    # Consultation, minutes, strategic causes, every input decided, the commitments
    # approved (tests/test_demo_commitments): the STL closed the step.
    assert all(r.met for r in steps.requirements(exercise, 4))
    assert exercise.step(4).is_closed
