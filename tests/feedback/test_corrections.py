"""A correction is a new entry that supersedes the latest decision on an input; the
corrected entry stays public. A topic's decision stands (only its reason may be
restated); a proposal's may move between adopted, modified and rejected."""

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.commitments import services as commitments
from coplat.exercises.enums import Sector
from coplat.extensions import db
from coplat.feedback import chain, services
from coplat.feedback.enums import Decision
from coplat.feedback.models import FeedbackEntry
from coplat.feedback.services import FeedbackError
from tests.feedback.conftest import CLEARER, DECIDERS, TYPO, WHY, chain_of, decide, topics_of


def correct(entry, user, **changes):
    fields = {"correction_reason": TYPO, "reason": CLEARER} | changes
    corrected = services.correct(entry, user, acting_as=DECIDERS, **fields)
    db.session.commit()
    return corrected


def count_entries() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(FeedbackEntry))


@pytest.fixture
def adopted(desk):
    """A proposal the draft commitment adopted: (proposal, commitment, its entry)."""
    commitment, proposal = desk.draft(), desk.proposal()
    entry = commitments.take_proposal(commitment, proposal, Decision.ADOPTED, desk.facilitator)
    db.session.commit()
    return proposal, commitment, entry


def test_a_correction_supersedes_and_both_entries_stay(desk):
    topic = topics_of(desk)["baches"]
    first = decide(topic, Decision.REJECTED, desk.facilitator)
    member = desk.member(Sector.CIVIL_SOCIETY)

    second = correct(first, member)

    assert services.history(topic=topic) == [first, second]
    assert services.current_entry(topic=topic) == second
    assert (second.supersedes, second.sequence) == (first, first.sequence + 1)
    assert (second.reason, second.correction_reason) == (CLEARER, TYPO)
    assert (second.decision, topic.decision) == (Decision.REJECTED, Decision.REJECTED)
    assert (second.decided_role, second.decided_sector) == (Role.STL_MEMBER, Sector.CIVIL_SOCIETY)
    # The corrected entry is untouched.
    assert (first.reason, first.supersedes_id, first.correction_reason) == (WHY, None, {})
    assert chain.verify(desk.exercise.id) == chain.Verification(2)


def test_rejecting_an_adopted_proposal_releases_its_commitment(desk, adopted):
    proposal, commitment, entry = adopted
    rejected = correct(entry, desk.facilitator, decision=Decision.REJECTED)
    assert (proposal.decision, proposal.commitment) == (Decision.REJECTED, None)
    assert rejected.commitment is None and rejected.supersedes == entry
    # The first entry still says the commitment adopted it.
    assert entry.commitment == commitment
    assert commitment.proposals == []
    assert services.history(proposal=proposal) == [entry, rejected]


def test_restating_an_adopted_proposal_keeps_its_commitment(desk, adopted):
    proposal, commitment, entry = adopted
    restated = correct(entry, desk.facilitator)
    assert (restated.decision, restated.commitment) == (Decision.ADOPTED, commitment)
    assert (proposal.decision, proposal.commitment) == (Decision.ADOPTED, commitment)


def test_a_rejected_proposal_is_adapted_only_by_a_commitment(desk):
    proposal = desk.proposal()
    first = decide(proposal, Decision.REJECTED, desk.facilitator)
    with pytest.raises(FeedbackError, match="commitment's page"):
        correct(first, desk.facilitator, decision=Decision.MODIFIED)
    assert proposal.decision == Decision.REJECTED
    assert services.history(proposal=proposal) == [first]


def test_an_adopted_proposal_becomes_modified_in_its_commitment(desk, adopted):
    proposal, commitment, entry = adopted
    modified = correct(entry, desk.member(Sector.GUARANTOR), decision=Decision.MODIFIED)
    assert (proposal.decision, proposal.commitment) == (Decision.MODIFIED, commitment)
    assert (modified.decided_role, modified.supersedes) == (Role.STL_MEMBER, entry)
    assert chain.verify(desk.exercise.id).intact


def test_only_the_latest_entry_can_be_corrected(desk):
    topic = topics_of(desk)["baches"]
    first = decide(topic, Decision.REJECTED, desk.facilitator)
    correct(first, desk.facilitator)
    with pytest.raises(FeedbackError, match="Only the latest decision"):
        correct(first, desk.facilitator)
    assert count_entries() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"correction_reason": {}}, "correction_reason"),
        ({"correction_reason": {"es": ""}}, "correction_reason"),
        ({"correction_reason": {"en": "It was unclear."}}, "correction_reason"),
        ({"reason": {}}, "reason"),
        ({"reason": {"en": "Federal matter."}}, "reason"),
    ],
)
def test_a_correction_needs_its_reasons_in_spanish(desk, fields, field):
    topic = topics_of(desk)["baches"]
    first = decide(topic, Decision.REJECTED, desk.facilitator)
    with pytest.raises(FeedbackError, match="in Spanish at least") as raised:
        correct(first, desk.facilitator, **fields)
    assert raised.value.field == field
    db.session.rollback()
    assert chain_of(desk.exercise) == [first]


@pytest.mark.parametrize("decision", [Decision.ADOPTED, Decision.MODIFIED, Decision.MERGED])
def test_a_topics_decision_stands(desk, decision):
    topic = topics_of(desk)["baches"]
    first = decide(topic, Decision.REJECTED, desk.facilitator)
    with pytest.raises(FeedbackError, match="only between adopted, modified and rejected") as e:
        correct(first, desk.facilitator, decision=decision)
    assert e.value.field == "decision"
    db.session.rollback()
    assert topic.decision == Decision.REJECTED and count_entries() == 1


def test_a_proposal_is_not_corrected_into_a_merge(desk):
    first = decide(desk.proposal(), Decision.REJECTED, desk.facilitator)
    with pytest.raises(FeedbackError, match="only between"):
        correct(first, desk.facilitator, decision=Decision.MERGED)


def test_a_merged_topic_keeps_its_target_when_its_reason_is_restated(desk):
    topics = topics_of(desk)
    first = decide(topics["baches"], Decision.MERGED, desk.facilitator, merged_into=topics["fugas"])
    restated = correct(first, desk.facilitator)
    assert (restated.decision, restated.merged_into) == (Decision.MERGED, topics["fugas"])
