"""A milestone keeps its row (and so, once the plan is launched, its updates and evidence)
through an edit: a content row carrying the id of one of the commitment's milestones (the
edit form sends it) takes that milestone; a row without one takes the milestone whose
output it repeats; any other row is a new milestone. Revisions store no ids.

Before the commitment is submitted the facilitator drafts each milestone's status with
the rest of Annex 2; once submitted, implementers report it, and an edit keeps it (see
tests/tracking/test_milestone_identity.py for the implementers' side)."""

from coplat.commitments import services
from coplat.commitments.enums import CommitmentStatus, MilestoneStatus
from coplat.commitments.models import Milestone
from coplat.core.models import utcnow
from coplat.extensions import db

REASON = {"es": "La Comisión pidió otro hito."}
A_OUTPUT = {"es": "Mapa de fugas publicado", "en": "Leak map published"}
B_EDITED = {"es": "Fugas reparadas en el centro", "en": "Leaks repaired downtown"}
C_OUTPUT = {"es": "Informe de reparaciones", "en": "Repairs report"}


def rows_of(commitment) -> list[tuple[int, str]]:
    db.session.expire_all()
    return [(m.id, m.output["es"]) for m in commitment.milestones]


def with_ids(commitment) -> list[dict]:
    """The commitment's milestone rows as the edit form sends them."""
    return services.form_content(commitment)["milestones"]


def test_a_row_with_its_id_keeps_its_milestone_while_another_is_dropped(desk):
    commitment = desk.draft()
    (a_id, _a), (b_id, _b) = rows_of(commitment)
    _a_row, b_row = with_ids(commitment)
    c_row = {**b_row, "output": C_OUTPUT}
    del c_row["id"]

    desk.save(commitment, milestones=[{**b_row, "output": B_EDITED}, c_row])

    (first_id, first), (second_id, second) = rows_of(commitment)
    assert (first_id, first) == (b_id, "Fugas reparadas en el centro")
    assert second == "Informe de reparaciones" and second_id not in (a_id, b_id)
    assert db.session.get(Milestone, a_id) is None


def test_rows_are_matched_by_id_before_their_output(desk):
    """Two rows swap their outputs: each milestone follows its id, not its text."""
    commitment = desk.draft()
    (a_id, a), (b_id, b) = rows_of(commitment)
    a_row, b_row = with_ids(commitment)

    desk.save(
        commitment,
        milestones=[{**a_row, "output": b_row["output"]}, {**b_row, "output": a_row["output"]}],
    )

    assert rows_of(commitment) == [(a_id, b), (b_id, a)]


def test_without_ids_a_row_keeps_a_milestone_only_by_its_very_output(desk):
    """The demo and the tests send no ids: an edited output is a new milestone rather
    than another milestone's row taken by its position."""
    commitment = desk.draft()
    (a_id, _a), (b_id, b) = rows_of(commitment)
    a_row, b_row = desk.content()["milestones"]

    desk.save(commitment, milestones=[{**a_row, "output": B_EDITED}, b_row])

    (edited_id, edited), kept = rows_of(commitment)
    assert edited == "Fugas reparadas en el centro" and edited_id not in (a_id, b_id)
    assert kept == (b_id, b)


def test_an_id_that_is_not_one_of_the_commitments_milestones_is_ignored(desk):
    commitment, other = desk.draft(), desk.draft()
    [(_a_id, _a), (b_id, _b)] = rows_of(commitment)
    foreign_id = other.milestones[0].id
    a_row, b_row = with_ids(commitment)

    desk.save(commitment, milestones=[{**a_row, "id": foreign_id, "output": C_OUTPUT}, b_row])

    (new_id, new), (kept_id, _kept) = rows_of(commitment)
    assert new == "Informe de reparaciones" and new_id != foreign_id
    assert kept_id == b_id
    assert db.session.get(Milestone, foreign_id).commitment == other


def test_revisions_hold_no_ids(desk):
    commitment = desk.draft()
    a_row, b_row = with_ids(commitment)
    revision = desk.save(commitment, milestones=[{**a_row, "output": B_EDITED}, b_row])

    assert revision.number == 2
    assert all("id" not in row for row in revision.content["milestones"])
    assert services.content_of(commitment) == revision.content
    # Sent again with the ids, the same content is no change.
    assert desk.save(commitment, milestones=with_ids(commitment)) is None


def test_before_submission_the_status_is_drafted_with_the_rest(desk):
    commitment = desk.approved()
    a_row, b_row = with_ids(commitment)

    revision = desk.save(commitment, REASON, milestones=[{**a_row, "status": "complete"}, b_row])

    assert revision.number == 2
    assert revision.content["milestones"][0]["status"] == "complete"
    assert commitment.milestones[0].status == MilestoneStatus.COMPLETE
    assert commitment.status == CommitmentStatus.IN_REVIEW


def test_once_submitted_an_edit_keeps_each_status_and_a_new_milestone_is_not_started(desk):
    commitment = desk.approved()
    commitment.submitted_at = utcnow()
    commitment.milestones[0].status = MilestoneStatus.STUCK  # as an implementer reported
    db.session.commit()
    a_row, b_row = with_ids(commitment)
    c_row = {**b_row, "output": C_OUTPUT, "status": "complete"}
    del c_row["id"]

    # Statuses alone: no change, no reason asked.
    assert desk.save(commitment, milestones=[{**a_row, "status": "complete"}, b_row]) is None
    assert [r.number for r in commitment.revisions] == [1]
    assert commitment.status == CommitmentStatus.APPROVED

    revision = desk.save(
        commitment, REASON, milestones=[{**a_row, "status": "not_started"}, b_row, c_row]
    )

    assert revision.number == 2
    assert [m.status for m in commitment.milestones] == [
        MilestoneStatus.STUCK,
        MilestoneStatus.NOT_STARTED,
        MilestoneStatus.NOT_STARTED,
    ]
    assert [row["status"] for row in revision.content["milestones"]] == [
        "stuck",
        "not_started",
        "not_started",
    ]
