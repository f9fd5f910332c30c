"""The STL approves a commitment when its three sectors (government, civil society,
guarantor) approve the same revision. A sector speaks through its titular, or through
its suplente while the titular has not acted. An edit starts the review over; a change
to an approved commitment needs a reason and goes back to the STL; so does withdrawing
it."""

import pytest

from coplat.accounts.models import Role
from coplat.commitments import services
from coplat.commitments.enums import CommitmentStatus, ReviewOutcome, Verdict
from coplat.commitments.services import CommitmentError
from coplat.exercises.enums import Seat, Sector
from coplat.extensions import db

GOVERNMENT, CIVIL_SOCIETY, GUARANTOR = Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.GUARANTOR
REASON = {"es": "La Comisión pidió otra fecha.", "en": "The Commission asked for another date."}
NEW_TITLE = {"es": "Red de agua medida", "en": "A measured water network"}


def verdicts(commitment) -> dict[Sector, tuple[str, Seat, Verdict] | None]:
    """Each sector's standing decision on the open review: who, from which seat, what."""
    return {
        sector: (d.member_name, d.seat, d.verdict) if d else None
        for sector, d in services.sector_verdicts(commitment.open_review).items()
    }


# ----- approval ---------------------------------------------------------------------


def test_a_draft_goes_to_the_stl_as_its_latest_revision(desk):
    commitment = desk.draft()
    assert commitment.status == CommitmentStatus.DRAFT and commitment.open_review is None

    desk.submit(commitment)

    review = commitment.open_review
    assert commitment.status == CommitmentStatus.IN_REVIEW
    assert review.revision == commitment.latest_revision
    assert review.revision.number == 1
    assert review.opened_by_id == desk.facilitator.id
    assert verdicts(commitment) == {GOVERNMENT: None, CIVIL_SOCIETY: None, GUARANTOR: None}


def test_only_a_draft_is_sent_to_the_stl(desk):
    commitment = desk.in_review()
    with pytest.raises(CommitmentError, match="Only a draft"):
        services.submit_for_review(commitment, desk.facilitator)
    assert len(commitment.reviews) == 1


def test_approved_once_the_three_sectors_approve(desk):
    commitment = desk.in_review()
    review, revision = commitment.open_review, commitment.latest_revision

    desk.decide(commitment, GOVERNMENT)
    desk.decide(commitment, CIVIL_SOCIETY)
    assert commitment.status == CommitmentStatus.IN_REVIEW
    assert commitment.approved_revision is None

    desk.decide(commitment, GUARANTOR)
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.approved_revision == revision
    assert commitment.approved_at is not None
    assert (review.outcome, review.closed_at) == (ReviewOutcome.APPROVED, commitment.approved_at)
    assert commitment.open_review is None


def test_one_rejection_keeps_it_in_review(desk):
    commitment = desk.in_review()
    desk.decide(commitment, GOVERNMENT)
    desk.decide(commitment, CIVIL_SOCIETY)
    desk.decide(commitment, GUARANTOR, verdict=Verdict.REJECT, comment="Faltan indicadores.")

    assert commitment.status == CommitmentStatus.IN_REVIEW
    assert commitment.approved_revision is None
    assert verdicts(commitment)[GUARANTOR] == ("Gloria Garza", Seat.TITULAR, Verdict.REJECT)
    assert commitment.open_review.decisions[-1].comment == "Faltan indicadores."


def test_a_rejection_needs_a_comment(desk):
    commitment = desk.in_review()
    with pytest.raises(CommitmentError, match="Say why you reject it"):
        services.decide(commitment, desk.member(GUARANTOR), Verdict.REJECT, "   ")
    assert commitment.open_review.decisions == []


def test_a_member_decides_once_on_a_review(desk):
    commitment = desk.in_review()
    desk.decide(commitment, GOVERNMENT)
    with pytest.raises(CommitmentError, match="already decided on this revision"):
        services.decide(commitment, desk.member(GOVERNMENT), Verdict.APPROVE, "")
    assert len(commitment.open_review.decisions) == 1


def test_the_suplentes_decide_while_the_titulars_have_not(desk):
    commitment = desk.in_review()
    desk.decide(commitment, GOVERNMENT, Seat.SUPLENTE)
    assert verdicts(commitment)[GOVERNMENT] == ("Gerardo Galindo", Seat.SUPLENTE, Verdict.APPROVE)

    desk.decide(commitment, CIVIL_SOCIETY, Seat.SUPLENTE)
    desk.decide(commitment, GUARANTOR, Seat.SUPLENTE)
    assert commitment.status == CommitmentStatus.APPROVED


def test_the_titulars_rejection_prevails_over_the_suplentes_approval(desk):
    commitment = desk.in_review()
    desk.decide(commitment, GOVERNMENT, Seat.SUPLENTE)
    desk.decide(commitment, GOVERNMENT, verdict=Verdict.REJECT, comment="Sin presupuesto.")
    desk.decide(commitment, CIVIL_SOCIETY)
    desk.decide(commitment, GUARANTOR)

    assert verdicts(commitment)[GOVERNMENT] == ("Gabriela Gómez", Seat.TITULAR, Verdict.REJECT)
    assert commitment.status == CommitmentStatus.IN_REVIEW


def test_the_titulars_approval_prevails_over_the_suplentes_rejection(desk):
    commitment = desk.in_review()
    desk.decide(commitment, CIVIL_SOCIETY, Seat.SUPLENTE, Verdict.REJECT, "Muy tímido.")
    desk.decide(commitment, GOVERNMENT)
    desk.decide(commitment, GUARANTOR)
    assert commitment.status == CommitmentStatus.IN_REVIEW

    desk.decide(commitment, CIVIL_SOCIETY)
    assert commitment.status == CommitmentStatus.APPROVED


def test_a_suplente_is_refused_once_the_titular_decided(desk):
    commitment = desk.in_review()
    desk.decide(commitment, GUARANTOR, verdict=Verdict.REJECT, comment="Faltan fechas.")
    with pytest.raises(CommitmentError, match="titular of your sector has already decided"):
        services.decide(commitment, desk.member(GUARANTOR, Seat.SUPLENTE), Verdict.APPROVE, "")
    assert [d.member_name for d in commitment.open_review.decisions] == ["Gloria Garza"]


@pytest.mark.parametrize(
    "role, details",
    [
        (None, {}),
        (Role.FACILITATOR, {}),
        (Role.STL_MEMBER, {}),  # no sector, no seat
        (Role.STL_MEMBER, {"sector": Sector.GOVERNMENT}),  # no seat
        (Role.STL_MEMBER, {"sector": Sector.ACADEMIA, "seat": Seat.TITULAR}),
    ],
    ids=["citizen", "facilitator", "stl-no-sector", "stl-no-seat", "stl-academia"],
)
def test_only_stl_members_with_an_stl_sector_and_a_seat_decide(desk, role, details):
    commitment = desk.in_review()
    someone = desk.person("someone@example.mx", role, **details)
    with pytest.raises(CommitmentError, match="Only an STL member with a sector and a seat"):
        services.decide(commitment, someone, Verdict.APPROVE, "")
    assert commitment.open_review.decisions == []


def test_nobody_decides_on_a_draft(desk):
    commitment = desk.draft()
    with pytest.raises(CommitmentError, match="not in review"):
        services.decide(commitment, desk.member(GOVERNMENT), Verdict.APPROVE, "")


# ----- edits during review ------------------------------------------------------------


def test_an_edit_during_review_starts_it_over_on_the_new_revision(desk):
    commitment = desk.in_review()
    first = commitment.open_review
    desk.decide(commitment, GOVERNMENT)
    desk.decide(commitment, CIVIL_SOCIETY)

    revision = desk.save(commitment, title=NEW_TITLE)

    assert revision.number == 2
    assert (first.outcome, first.closed_at) == (ReviewOutcome.RESTARTED, revision.created_at)
    second = commitment.open_review
    assert second is not first and second.revision == revision
    assert commitment.status == CommitmentStatus.IN_REVIEW
    assert verdicts(commitment) == {GOVERNMENT: None, CIVIL_SOCIETY: None, GUARANTOR: None}

    # The approvals of revision 1 do not count for revision 2.
    desk.decide(commitment, GUARANTOR)
    assert commitment.status == CommitmentStatus.IN_REVIEW
    desk.decide(commitment, GOVERNMENT)  # the same people decide again, on the new review
    desk.decide(commitment, CIVIL_SOCIETY)
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.approved_revision == revision


def test_saving_unchanged_content_makes_no_revision(desk):
    commitment = desk.in_review()
    review = commitment.open_review
    desk.decide(commitment, GOVERNMENT)

    assert desk.save(commitment) is None

    assert [r.number for r in commitment.revisions] == [1]
    assert commitment.open_review is review and review.outcome is None
    assert len(review.decisions) == 1


def test_an_edit_to_a_draft_opens_no_review(desk):
    commitment = desk.draft()
    revision = desk.save(commitment, title=NEW_TITLE)
    assert revision.number == 2 and revision.change_reason == {}
    assert commitment.status == CommitmentStatus.DRAFT
    assert commitment.reviews == []


def test_the_facilitator_returns_a_commitment_to_draft(desk):
    commitment = desk.in_review()
    review = commitment.open_review
    desk.decide(commitment, GUARANTOR, verdict=Verdict.REJECT, comment="Faltan fechas.")

    services.return_to_draft(commitment, desk.facilitator, "  Lo revisamos en la mesa.  ")
    db.session.commit()

    assert commitment.status == CommitmentStatus.DRAFT
    assert (review.outcome, review.note) == (ReviewOutcome.RETURNED, "Lo revisamos en la mesa.")
    assert review.closed_at is not None
    with pytest.raises(CommitmentError, match="not in review"):
        services.decide(commitment, desk.member(GOVERNMENT), Verdict.APPROVE, "")
    with pytest.raises(CommitmentError, match="not in review"):
        services.return_to_draft(commitment, desk.facilitator, "")

    revision = desk.save(commitment, ends_on="2028-01-31")
    desk.submit(commitment)
    assert commitment.open_review.revision == revision
    assert len(commitment.reviews) == 2


# ----- changes after approval -----------------------------------------------------------


def test_changing_an_approved_commitment_needs_a_reason_in_spanish(desk):
    commitment = desk.approved()
    for reason in (None, {}, {"en": "The Commission asked for another date."}):
        with pytest.raises(CommitmentError, match="Say why the approved commitment changes"):
            services.save(
                commitment, desk.content(ends_on="2028-01-31"), desk.facilitator, reason=reason
            )
    db.session.rollback()
    assert commitment.status == CommitmentStatus.APPROVED
    assert [r.number for r in commitment.revisions] == [1]
    assert commitment.ends_on.isoformat() == "2027-12-31"


def test_a_change_to_an_approved_commitment_goes_back_to_the_stl(desk):
    commitment = desk.approved()
    approved = commitment.approved_revision

    revision = desk.save(commitment, reason=REASON, ends_on="2028-01-31")

    assert revision.change_reason == REASON
    assert commitment.status == CommitmentStatus.IN_REVIEW
    assert commitment.open_review.revision == revision
    assert commitment.approved_revision == approved  # the approved text stands meanwhile

    desk.approve(commitment)
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.approved_revision == revision


def test_an_unchanged_save_of_an_approved_commitment_opens_no_review(desk):
    commitment = desk.approved()
    assert desk.save(commitment, reason=REASON) is None
    assert commitment.status == CommitmentStatus.APPROVED
    assert commitment.open_review is None


# ----- withdrawal ---------------------------------------------------------------------


WITHDRAWAL = {"es": "La mesa lo fusionó con otro compromiso."}


def test_a_draft_is_withdrawn_at_once(desk):
    commitment = desk.draft()
    services.withdraw(commitment, desk.facilitator, WITHDRAWAL)
    db.session.commit()

    assert commitment.status == CommitmentStatus.WITHDRAWN
    latest = commitment.latest_revision
    assert (latest.number, latest.content["withdrawn"]) == (2, True)
    assert latest.change_reason == WITHDRAWAL
    assert commitment.reviews == []


def test_a_commitment_in_its_first_review_is_withdrawn_at_once(desk):
    commitment = desk.in_review()
    review = commitment.open_review
    desk.decide(commitment, GOVERNMENT)

    services.withdraw(commitment, desk.facilitator, WITHDRAWAL)
    db.session.commit()

    assert commitment.status == CommitmentStatus.WITHDRAWN
    assert review.outcome == ReviewOutcome.RETURNED
    assert commitment.open_review is None


def test_withdrawing_needs_a_reason_in_spanish(desk):
    commitment = desk.draft()
    for reason in ({}, {"en": "Merged."}, {"es": ""}):
        with pytest.raises(CommitmentError, match="Say why the commitment is withdrawn"):
            services.withdraw(commitment, desk.facilitator, reason)
    assert commitment.status == CommitmentStatus.DRAFT


def test_withdrawing_an_approved_commitment_is_reviewed(desk):
    commitment = desk.approved()
    approved = commitment.approved_revision

    services.withdraw(commitment, desk.facilitator, WITHDRAWAL)
    db.session.commit()

    latest = commitment.latest_revision
    assert commitment.status == CommitmentStatus.IN_REVIEW
    assert commitment.open_review.revision == latest
    assert latest.content["withdrawn"] is True and latest.change_reason == WITHDRAWAL
    assert commitment.approved_revision == approved

    desk.decide(commitment, GOVERNMENT)
    desk.decide(commitment, CIVIL_SOCIETY)
    assert commitment.status == CommitmentStatus.IN_REVIEW
    desk.decide(commitment, GUARANTOR)
    assert commitment.status == CommitmentStatus.WITHDRAWN
    assert commitment.approved_revision == latest


def test_a_withdrawn_commitment_no_longer_changes(desk):
    commitment = desk.draft()
    services.withdraw(commitment, desk.facilitator, WITHDRAWAL)
    db.session.commit()

    with pytest.raises(CommitmentError, match="withdrawn; it no longer changes"):
        services.save(commitment, desk.content(title=NEW_TITLE), desk.facilitator)
    with pytest.raises(CommitmentError, match="withdrawn; it no longer changes"):
        services.withdraw(commitment, desk.facilitator, WITHDRAWAL)
    with pytest.raises(CommitmentError, match="Only a draft"):
        services.submit_for_review(commitment, desk.facilitator)
    db.session.rollback()
    assert commitment.status == CommitmentStatus.WITHDRAWN
    assert len(commitment.revisions) == 2
