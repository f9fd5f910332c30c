"""OGP Local §3.2.1.3: a commitment changes no later than six months after it was
submitted with the plan. Its last day is the same day six months on (or the month's
last day when that month is shorter)."""

from datetime import UTC, date, datetime

import pytest

from coplat.commitments import services
from coplat.commitments.enums import CommitmentStatus
from coplat.commitments.services import CommitmentError, add_months
from coplat.extensions import db

REASON = {"es": "La Comisión pidió otra fecha."}
SUBMITTED = datetime(2027, 1, 15, 17, 30, tzinfo=UTC)  # last day for changes: 2027-07-15


def on(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T12:00:00+00:00")


@pytest.fixture
def submitted(desk):
    """An approved commitment that reached OGP with the plan on SUBMITTED."""
    commitment = desk.approved()
    commitment.submitted_at = SUBMITTED
    db.session.commit()
    return commitment


def save_later(desk, commitment, day: str):
    content = desk.content(ends_on="2028-01-31")
    return services.save(commitment, content, desk.facilitator, reason=REASON, now=on(day))


def test_changes_are_refused_more_than_six_months_after_submission(desk, submitted):
    with pytest.raises(CommitmentError) as refused:
        save_later(desk, submitted, "2027-07-16")
    assert "submitted on 2027-01-15" in refused.value.message
    assert "ended on 2027-07-15" in refused.value.message

    with pytest.raises(CommitmentError, match="ended on 2027-07-15"):
        services.withdraw(submitted, desk.facilitator, REASON, now=on("2027-07-16"))

    db.session.rollback()
    assert submitted.status == CommitmentStatus.APPROVED
    assert len(submitted.revisions) == 1


@pytest.mark.parametrize("day", ["2027-07-14", "2027-07-15"])
def test_changes_are_accepted_until_the_last_day(desk, submitted, day):
    revision = save_later(desk, submitted, day)
    assert revision.number == 2
    assert submitted.status == CommitmentStatus.IN_REVIEW


@pytest.mark.parametrize("day", ["2027-07-14", "2027-07-15"])
def test_withdrawal_is_accepted_until_the_last_day(desk, submitted, day):
    services.withdraw(submitted, desk.facilitator, REASON, now=on(day))
    assert submitted.latest_revision.content["withdrawn"] is True
    assert submitted.status == CommitmentStatus.IN_REVIEW


def test_a_returned_change_is_not_sent_again_after_the_limit(desk, submitted):
    save_later(desk, submitted, "2027-07-01")
    services.return_to_draft(submitted, desk.facilitator, "", now=on("2027-07-02"))
    assert submitted.status == CommitmentStatus.DRAFT

    with pytest.raises(CommitmentError, match="ended on 2027-07-15"):
        services.submit_for_review(submitted, desk.facilitator, now=on("2027-07-16"))
    assert submitted.status == CommitmentStatus.DRAFT

    review = services.submit_for_review(submitted, desk.facilitator, now=on("2027-07-14"))
    assert review.revision == submitted.latest_revision
    assert submitted.status == CommitmentStatus.IN_REVIEW


def test_the_limit_falls_on_the_last_day_of_a_shorter_month(desk, submitted):
    submitted.submitted_at = datetime(2026, 8, 31, 9, tzinfo=UTC)
    with pytest.raises(CommitmentError, match="ended on 2027-02-28"):
        save_later(desk, submitted, "2027-03-01")
    assert save_later(desk, submitted, "2027-02-28").number == 2


def test_days_are_counted_in_the_exercises_time_zone(desk, submitted):
    # 20:00 on 15 January in Mexico City, already the 16th in UTC.
    submitted.submitted_at = datetime(2027, 1, 16, 2, tzinfo=UTC)
    assert desk.exercise.timezone == "America/Mexico_City"

    with pytest.raises(CommitmentError, match="submitted on 2027-01-15"):
        services.withdraw(
            submitted, desk.facilitator, REASON, now=datetime(2027, 7, 16, 6, tzinfo=UTC)
        )
    # 21:00 on 15 July there: still the last day.
    services.withdraw(submitted, desk.facilitator, REASON, now=datetime(2027, 7, 16, 3, tzinfo=UTC))
    assert submitted.status == CommitmentStatus.IN_REVIEW


def test_a_commitment_not_yet_submitted_has_no_limit(desk):
    commitment = desk.approved()
    assert commitment.submitted_at is None
    assert save_later(desk, commitment, "2035-01-01").number == 2


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2027, 1, 15), 6, date(2027, 7, 15)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2027, 10, 31), 1, date(2027, 11, 30)),
        (date(2027, 12, 15), 1, date(2028, 1, 15)),
        (date(2027, 7, 31), 6, date(2028, 1, 31)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2027, 1, 31), -1, date(2026, 12, 31)),
        (date(2027, 5, 20), 0, date(2027, 5, 20)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
