"""A commitment adopts a proposal of its table as it was, or adapts it saying what
changed; either is the proposal's decision in the feedback log."""

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.commitments import services
from coplat.commitments.services import CommitmentError
from coplat.exercises.enums import Seat, Sector
from coplat.extensions import db
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.models import FeedbackEntry

CHANGE = {"es": "Solo en el centro, por etapas.", "en": "Downtown only, in stages."}


def log() -> list[FeedbackEntry]:
    return db.session.scalars(sa.select(FeedbackEntry).order_by(FeedbackEntry.id)).all()


def take(desk, commitment, proposal, decision=Decision.ADOPTED, change=None, user=None):
    entry = services.take_proposal(
        commitment, proposal, decision, user or desk.facilitator, change=change
    )
    db.session.commit()
    return entry


def test_adopting_a_proposal_writes_its_decision_to_the_log(desk):
    commitment, proposal = desk.draft(), desk.proposal()
    assert services.proposals_to_take(commitment) == [proposal]

    take(desk, commitment, proposal)

    [entry] = log()
    assert entry.stage == Stage.WORKING_TABLE
    assert entry.decision == Decision.ADOPTED
    assert (entry.proposal, entry.commitment_id) == (proposal, commitment.id)
    assert (entry.decided_by_id, entry.decided_role) == (desk.facilitator.id, Role.FACILITATOR)
    assert entry.reason == {}
    assert (proposal.decision, proposal.commitment) == (Decision.ADOPTED, commitment)
    assert commitment.proposals == [proposal]
    assert services.proposals_to_take(commitment) == []


def test_adapting_a_proposal_says_what_changed(desk):
    commitment, proposal = desk.draft(), desk.proposal()
    take(desk, commitment, proposal, Decision.MODIFIED, CHANGE)

    [entry] = log()
    assert (entry.decision, entry.reason) == (Decision.MODIFIED, CHANGE)
    assert (proposal.decision, proposal.commitment) == (Decision.MODIFIED, commitment)


@pytest.mark.parametrize("change", [None, {}, {"es": ""}, {"en": "Downtown only."}])
def test_adapting_needs_the_change_in_spanish(desk, change):
    commitment, proposal = desk.draft(), desk.proposal()
    with pytest.raises(CommitmentError, match="Say what changed from the proposal"):
        services.take_proposal(commitment, proposal, Decision.MODIFIED, desk.facilitator, change)
    assert log() == [] and proposal.decision is None


def test_a_commitment_does_not_reject_proposals(desk):
    commitment, proposal = desk.draft(), desk.proposal()
    with pytest.raises(CommitmentError, match="adopts a proposal or adapts it"):
        services.take_proposal(commitment, proposal, Decision.REJECTED, desk.facilitator, CHANGE)
    assert log() == []


def test_a_proposal_of_another_table_is_refused(desk):
    commitment = desk.draft()
    elsewhere = desk.proposal(desk.other_table, "Lámparas solares")
    assert services.proposals_to_take(commitment) == []
    with pytest.raises(CommitmentError, match="Choose a proposal of this commitment's table"):
        services.take_proposal(commitment, elsewhere, Decision.ADOPTED, desk.facilitator)
    assert elsewhere.decision is None


def test_a_proposal_with_a_decision_is_refused(desk):
    commitment, proposal = desk.draft(), desk.proposal()
    other = desk.draft(title={"es": "Otro compromiso"})
    take(desk, commitment, proposal)

    with pytest.raises(CommitmentError, match="that has no decision yet"):
        services.take_proposal(other, proposal, Decision.MODIFIED, desk.facilitator, CHANGE)
    assert len(log()) == 1 and proposal.commitment == commitment


def test_a_commitment_without_a_topic_takes_no_proposal(desk):
    commitment = desk.draft(topic=None, causes=[])
    proposal = desk.proposal()
    assert services.proposals_to_take(commitment) == []
    with pytest.raises(CommitmentError, match="Choose a proposal"):
        services.take_proposal(commitment, proposal, Decision.ADOPTED, desk.facilitator)


def test_a_withdrawn_commitment_takes_no_proposal(desk):
    commitment, proposal = desk.draft(), desk.proposal()
    services.withdraw(commitment, desk.facilitator, {"es": "Se fusionó."})
    db.session.commit()
    with pytest.raises(CommitmentError, match="withdrawn"):
        services.take_proposal(commitment, proposal, Decision.ADOPTED, desk.facilitator)
    assert proposal.decision is None


def test_an_stl_member_records_the_decision_for_their_sector(desk):
    commitment, proposal = desk.draft(), desk.proposal()
    member = desk.member(Sector.CIVIL_SOCIETY, Seat.SUPLENTE)
    entry = take(desk, commitment, proposal, user=member)
    assert (entry.decided_role, entry.decided_sector) == (Role.STL_MEMBER, Sector.CIVIL_SOCIETY)
