"""Solutions proposed for the strategic causes: online while the table's call is
open, or entered by the facilitator for someone at a session; rejected with a reason
that goes to the feedback log."""

from datetime import timedelta

import pytest

from coplat.accounts.models import Role, User
from coplat.core.models import utcnow
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry
from coplat.tables import services
from coplat.tables.enums import NodeKind, ProposalChannel
from coplat.tables.models import Proposal, TableSession, WorkingTable
from coplat.tables.services import TableError
from tests.tables.conftest import add_session, count, open_table

IDEA = {"title": {"es": "Sustituir la red del centro"}, "description": {"es": "Por etapas."}}


@pytest.fixture
def citizen_id(make_user):
    return make_user(email="lucia@example.mx", name="Lucía Pérez")


@pytest.fixture
def other_table_id(app, prioritised):
    return open_table(app, prioritised.exercise_id, prioritised.topics["lighting"], None)


def call_open(tree, days=7):
    tree.table.proposals_close_at = utcnow() + timedelta(days=days)
    db.session.commit()
    return tree.table.proposals_close_at


def propose(tree, user, cause, now=None, **fields):
    proposal = services.propose_online(tree.table, user, cause=cause, now=now, **IDEA, **fields)
    db.session.commit()
    return proposal


def enter(tree, cause, session=None, **fields):
    fields = {"proposer_name": "Vecinos del Centro", "proposer_sector": Sector.CITIZEN, **fields}
    proposal = services.enter_proposal(
        tree.table, tree.user, cause=cause, session=session, **IDEA, **fields
    )
    db.session.commit()
    return proposal


# ----- online -----------------------------------------------------------------------


def test_citizens_propose_online_for_a_strategic_cause(citizen_id, tree):
    lucia, cause = db.session.get(User, citizen_id), tree.strategic()
    call_open(tree)
    proposal = propose(tree, lucia, cause)
    assert (proposal.cause, proposal.table) == (cause, tree.table)
    assert proposal.channel == ProposalChannel.ONLINE
    assert (proposal.author_id, proposal.entered_by_id) == (lucia.id, lucia.id)
    assert (proposal.proposer_name, proposal.proposer_sector) == ("Lucía Pérez", Sector.CITIZEN)
    assert proposal.title == IDEA["title"] and proposal.decision is None
    assert proposal.session_id is None


def test_an_organisation_proposes_under_its_own_name(citizen_id, tree):
    call_open(tree)
    proposal = propose(
        tree,
        db.session.get(User, citizen_id),
        tree.strategic(),
        organisation="  Observatorio Ciudadano del Agua ",
        sector=Sector.CIVIL_SOCIETY,
    )
    assert proposal.proposer_name == "Observatorio Ciudadano del Agua"
    assert proposal.proposer_sector == Sector.CIVIL_SOCIETY


def test_online_proposals_only_while_the_call_is_open(citizen_id, tree):
    lucia, cause = db.session.get(User, citizen_id), tree.strategic()
    assert tree.table.proposals_close_at is None
    with pytest.raises(TableError, match="not taking proposals"):
        propose(tree, lucia, cause)  # no call
    closes = call_open(tree)
    assert propose(tree, lucia, cause, now=closes - timedelta(seconds=1)).id
    for now in (closes, closes + timedelta(minutes=1)):
        with pytest.raises(TableError, match="not taking proposals"):
            propose(tree, lucia, cause, now=now)
    call_open(tree, days=-1)
    with pytest.raises(TableError, match="not taking proposals"):
        propose(tree, lucia, cause)
    db.session.rollback()
    assert count(Proposal) == 1


@pytest.mark.parametrize("target", ["plain cause", "effect", "problem", "other table", None])
def test_online_proposals_only_for_a_strategic_cause_of_the_table(
    citizen_id, other_table_id, tree, target
):
    other = services.problem_of(db.session.get(WorkingTable, other_table_id))
    other_cause = services.add_node(other.table, other, NodeKind.CAUSE, {"es": "Otra"}, None)
    services.set_strategic(other_cause, True, None)
    db.session.commit()
    tree.strategic()  # the table has a strategic cause, just not the one chosen
    causes = {
        "plain cause": tree.cause(),
        "effect": tree.effect(),
        "problem": tree.problem,
        "other table": other_cause,
        None: None,
    }
    call_open(tree)
    with pytest.raises(TableError, match="strategic causes"):
        propose(tree, db.session.get(User, citizen_id), causes[target])
    db.session.rollback()
    assert count(Proposal) == 0


# ----- at a session -------------------------------------------------------------------


def test_the_facilitator_enters_a_proposal_made_at_a_session(tree):
    session, cause = tree.session(), tree.strategic()
    proposal = enter(
        tree,
        cause,
        session,
        proposer_name=" Cámara de Comercio ",
        proposer_sector=Sector.PRIVATE_SECTOR,
    )
    assert proposal.channel == ProposalChannel.SESSION
    assert (proposal.session, proposal.cause) == (session, cause)
    assert (proposal.proposer_name, proposal.proposer_sector) == (
        "Cámara de Comercio",
        Sector.PRIVATE_SECTOR,
    )
    assert (proposal.entered_by_id, proposal.author_id) == (tree.user.id, None)


def test_entered_proposals_need_no_open_call(tree):
    assert not tree.table.accepts_proposals()
    assert enter(tree, tree.strategic()).id


def test_entered_proposals_refuse_another_tables_session_or_a_plain_cause(other_table_id, tree):
    other_session = add_session(db.session.get(WorkingTable, other_table_id))
    with pytest.raises(TableError, match="this table's sessions"):
        enter(tree, tree.strategic(), other_session)
    db.session.rollback()
    with pytest.raises(TableError, match="strategic causes"):
        enter(tree, tree.cause(), tree.session())
    db.session.rollback()
    assert count(Proposal) == 0 and count(TableSession) == 2


# ----- rejecting ------------------------------------------------------------------------


REASON = {"es": "Ya está en el programa estatal.", "en": "Already in the state programme."}


def reject(proposal, user, reason=REASON):
    entry = services.reject_proposal(proposal, user, reason)
    db.session.commit()
    return entry


def test_rejecting_needs_a_reason_in_spanish(tree):
    proposal = enter(tree, tree.strategic())
    for reason in ({}, {"en": "Already planned."}, {"es": "", "en": "Already planned."}):
        with pytest.raises(TableError, match="in Spanish"):
            reject(proposal, tree.user, reason)
        db.session.rollback()
    assert proposal.decision is None and count(FeedbackEntry) == 0


def test_a_rejection_goes_to_the_feedback_log(tree):
    proposal = enter(tree, tree.strategic())
    reject(proposal, tree.user)
    [entry] = db.session.query(FeedbackEntry).all()
    assert (entry.stage, entry.decision, entry.proposal_id) == (
        Stage.WORKING_TABLE,
        Decision.REJECTED,
        proposal.id,
    )
    assert (entry.exercise_id, entry.topic_id) == (tree.table.exercise_id, None)
    assert (entry.decided_by_id, entry.decided_role) == (tree.user.id, Role.FACILITATOR)
    assert entry.reason == REASON
    assert proposal.decision == Decision.REJECTED


@pytest.fixture
def stl_member_id(user_with_role, exercise_id):
    return user_with_role("stl_member", exercise_id)


def test_the_log_names_the_deciders_role(stl_member_id, tree):
    """Only the facilitator and the STL decide (tests/permissions/test_decisions.py);
    the entry names which of them did, and for the STL the sector."""
    cause = tree.strategic()
    reject(enter(tree, cause), db.session.get(User, stl_member_id))
    reject(enter(tree, cause), tree.user)  # the table's facilitator
    entries = db.session.query(FeedbackEntry).order_by(FeedbackEntry.id).all()
    assert [(e.decided_role, e.decided_sector) for e in entries] == [
        (Role.STL_MEMBER, Sector.CIVIL_SOCIETY),
        (Role.FACILITATOR, None),
    ]


def test_a_decided_proposal_is_not_rejected_again(tree):
    proposal = enter(tree, tree.strategic())
    reject(proposal, tree.user)
    with pytest.raises(TableError, match="already has a decision"):
        services.reject_proposal(proposal, tree.user, {"es": "Otra vez."})
    assert count(FeedbackEntry) == 1
