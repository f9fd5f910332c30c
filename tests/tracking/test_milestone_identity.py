"""A commitment can change for six months after its submission (OGP Local §3.2.1.3),
while its milestones are being implemented. The edit form then leaves each milestone's
status to the implementers (it only shows it), and each form row carries its milestone's
id, so that an edit never hands one milestone's history and evidence to another.

`launched_plan` (tests/tracking/conftest.py): "valle", submitted on 1 December 2026 (the
last day for changes is 1 June 2027), launched on 15 January 2027; the first commitment,
the implementer's, has two milestones: "Leak map published" and "Leaks repaired".
Requests share the fixture's app context: the facilitator is logged in, the implementer
acts through the services."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from coplat.commitments import services as commitments
from coplat.commitments.enums import CommitmentStatus, MilestoneStatus
from coplat.commitments.models import CommitmentRevision, Milestone
from coplat.extensions import db
from coplat.tracking import services
from coplat.tracking.enums import EvidenceType
from coplat.tracking.models import MilestoneUpdate
from tests.commitments.test_pages import form_fields
from tests.conftest import english
from tests.tracking.conftest import at

E = "/e/valle"
EDITED_ON = date(2027, 2, 10)
REASON = "La Comisión pidió separar la reparación por colonias."


def text(response) -> str:
    return response.get_data(as_text=True)


def edit_url(commitment) -> str:
    return f"{E}/commitments/{commitment.id}/edit"


def revisions(commitment) -> list[int]:
    return db.session.scalars(
        sa.select(CommitmentRevision.number)
        .where(CommitmentRevision.commitment_id == commitment.id)
        .order_by(CommitmentRevision.number)
    ).all()


def updates() -> list[MilestoneUpdate]:
    return db.session.scalars(sa.select(MilestoneUpdate).order_by(MilestoneUpdate.id)).all()


@pytest.fixture
def facilitator(client, login):
    """The client, logged in as the plan's facilitator, reading English."""

    def logged_in(desk):
        db.session.commit()
        login(client, desk.facilitator.id)
        return english(client)

    return logged_in


def edit_form(client, commitment) -> dict[str, list[str]]:
    with at(EDITED_ON):
        page = text(client.get(edit_url(commitment)))
    return form_fields(page)


def post_edit(client, commitment, fields: dict):
    with at(EDITED_ON):
        return client.post(edit_url(commitment), data=fields)


# ----- the status is the implementers' ------------------------------------------------


def test_the_edit_form_shows_the_status_and_sends_the_milestone_ids(
    client, launched_plan, facilitator
):
    desk = launched_plan()
    desk.update(date(2027, 2, 3), MilestoneStatus.IN_PROGRESS)
    first, second = desk.commitment.milestones
    facilitator(desk)

    with at(EDITED_ON):
        page = text(client.get(edit_url(desk.commitment)))

    fields = form_fields(page)
    assert "milestones-0-status" not in fields and "milestones-1-status" not in fields
    assert 'name="milestones-0-status"' not in page
    assert (fields["milestones-0-id"], fields["milestones-1-id"]) == (
        [str(first.id)],
        [str(second.id)],
    )
    shown = [
        re.sub(r"<[^>]+>|\s+", " ", found).split()
        for found in re.findall(r'id="milestones-\d-status-shown">(.*?)</p>', page, re.S)
    ]
    assert shown == [["Status", "In", "progress"], ["Status", "Not", "started"]]
    assert "implementers report each milestone's status" in page
    assert f'href="{E}/tracking/commitments/{desk.commitment.id}"' in page


def test_an_edit_after_submission_keeps_the_implementers_status_and_saves_no_revision(
    client, launched_plan, facilitator
):
    desk = launched_plan()
    desk.update(date(2027, 2, 3), MilestoneStatus.IN_PROGRESS)
    before = revisions(desk.commitment)
    facilitator(desk)
    fields = edit_form(client, desk.commitment)

    # Sent back untouched, with no reason: nothing changed.
    response = post_edit(client, desk.commitment, fields)

    assert response.status_code == 303
    with at(EDITED_ON):
        shown = text(client.get(response.headers["Location"]))
    assert "Nothing changed, so no new revision was saved." in shown
    db.session.expire_all()
    assert revisions(desk.commitment) == before
    assert desk.commitment.status == CommitmentStatus.APPROVED
    assert desk.milestone(1).status == MilestoneStatus.IN_PROGRESS
    assert len(updates()) == 1


def test_a_stale_form_does_not_undo_an_implementers_update(client, launched_plan, facilitator):
    desk = launched_plan()
    facilitator(desk)
    # The facilitator opens the form while the first milestone is not started…
    fields = edit_form(client, desk.commitment)
    # …the implementer reports it complete…
    desk.update(date(2027, 2, 5), MilestoneStatus.COMPLETE)
    # …and the facilitator sends the form, with a status as an older form did.
    fields["milestones-0-status"] = ["not_started"]
    response = post_edit(client, desk.commitment, fields)

    assert response.status_code == 303
    db.session.expire_all()
    assert desk.milestone(1).status == MilestoneStatus.COMPLETE
    assert [u.status for u in updates()] == [MilestoneStatus.COMPLETE]
    assert revisions(desk.commitment) == [1]


def test_a_real_change_after_submission_keeps_the_statuses_and_starts_new_milestones_unstarted(
    client, launched_plan, facilitator
):
    desk = launched_plan()
    desk.update(date(2027, 2, 3), MilestoneStatus.STUCK)
    facilitator(desk)
    fields = edit_form(client, desk.commitment)
    fields.update(
        {
            "change_reason-es": [REASON],
            "milestones-0-status": ["complete"],
            "milestones-2-output-es": ["Informe de reparaciones publicado"],
            "milestones-2-starts_on": ["2027-10-01"],
            "milestones-2-ends_on": ["2027-12-31"],
            "milestones-2-status": ["complete"],
        }
    )

    response = post_edit(client, desk.commitment, fields)

    assert response.status_code == 303
    db.session.expire_all()
    commitment = desk.commitment
    assert [m.status for m in commitment.milestones] == [
        MilestoneStatus.STUCK,
        MilestoneStatus.NOT_STARTED,
        MilestoneStatus.NOT_STARTED,
    ]
    assert revisions(commitment) == [1, 2]
    assert commitment.status == CommitmentStatus.IN_REVIEW
    # The revision records the statuses as they stood, and no milestone ids.
    rows = commitment.latest_revision.content["milestones"]
    assert [row["status"] for row in rows] == ["stuck", "not_started", "not_started"]
    assert all("id" not in row for row in rows)


def test_saving_a_status_alone_after_submission_is_no_change(launched_plan):
    desk = launched_plan()
    desk.update(date(2027, 2, 3), MilestoneStatus.IN_PROGRESS)
    content = commitments.content_of(desk.commitment)
    content["milestones"][0]["status"] = "complete"
    content["milestones"][1]["status"] = "incomplete"

    with at(EDITED_ON):
        # No reason asked: the approved commitment does not change.
        assert commitments.save(desk.commitment, content, desk.facilitator) is None
    db.session.commit()

    assert [m.status for m in desk.commitment.milestones] == [
        MilestoneStatus.IN_PROGRESS,
        MilestoneStatus.NOT_STARTED,
    ]
    assert revisions(desk.commitment) == [1]
    assert desk.commitment.status == CommitmentStatus.APPROVED


# ----- each milestone keeps its own row -------------------------------------------------


def test_editing_one_milestone_while_dropping_another_keeps_each_history_in_place(
    client, launched_plan, facilitator
):
    """[A, B] saved as [B edited, C]: "B edited" keeps B's row, updates and evidence; A's
    milestone is dropped (its update stays on the commitment); C is a new milestone."""
    desk = launched_plan()
    a, b = desk.commitment.milestones
    a_id, b_id = a.id, b.id
    on_a = desk.update(date(2027, 2, 1), MilestoneStatus.IN_PROGRESS, milestone=a)
    on_b = desk.update(date(2027, 2, 3), MilestoneStatus.STUCK, milestone=b)
    with at(date(2027, 2, 3)):
        photo = services.add_evidence(
            desk.exercise,
            desk.implementer,
            kind=EvidenceType.PHOTOS,
            title={"es": "Fotos de la primera reparación"},
            link="https://valle.gob.mx/fotos/reparacion",
            commitment=desk.commitment,
            milestone=b,
        )
    db.session.commit()
    facilitator(desk)
    fields = edit_form(client, desk.commitment)

    # Row 1 becomes B (its hidden id included) with its output edited, row 2 a new C.
    edited = {
        name.replace("milestones-1-", "milestones-0-"): values
        for name, values in fields.items()
        if name.startswith("milestones-1-")
    }
    edited["milestones-0-output-es"] = ["Fugas reparadas en todas las colonias"]
    fields = {k: v for k, v in fields.items() if not k.startswith("milestones-")}
    fields.update(edited)
    fields.update(
        {
            "milestones-1-output-es": ["Informe de reparaciones publicado"],
            "milestones-1-starts_on": ["2027-10-01"],
            "milestones-1-ends_on": ["2027-12-31"],
            "change_reason-es": [REASON],
        }
    )
    response = post_edit(client, desk.commitment, fields)

    assert response.status_code == 303
    db.session.expire_all()
    b_edited, c = desk.commitment.milestones
    assert (b_edited.id, b_edited.output["es"]) == (b_id, "Fugas reparadas en todas las colonias")
    assert b_edited.status == MilestoneStatus.STUCK
    assert (c.output["es"], c.status) == ("Informe de reparaciones publicado", "not_started")
    assert c.id not in (a_id, b_id)
    assert db.session.get(Milestone, a_id) is None
    assert on_b.milestone is b_edited and photo.milestone is b_edited
    assert on_a.milestone is None and on_a.commitment is desk.commitment
    # The revision stores the content without ids, as every revision does.
    assert all("id" not in row for row in desk.commitment.latest_revision.content["milestones"])


def test_an_id_from_another_commitment_is_not_followed(launched_plan):
    desk = launched_plan(commitments=2)
    mine, theirs = desk.commitments[0], desk.commitments[1]
    foreign = desk.milestone(1, commitment=theirs)
    foreign_id, foreign_output = foreign.id, dict(foreign.output)
    content = commitments.content_of(mine)
    content["milestones"][1] = {
        **content["milestones"][1],
        "id": foreign_id,
        "output": {"es": "Otro hito", "en": "Another milestone"},
    }

    with at(EDITED_ON):
        commitments.save(mine, content, desk.facilitator, reason={"es": REASON})
    db.session.commit()
    db.session.expire_all()

    assert [m.output["es"] for m in mine.milestones] == ["Mapa de fugas publicado", "Otro hito"]
    assert foreign_id not in [m.id for m in mine.milestones]
    assert db.session.get(Milestone, foreign_id).output == foreign_output
    assert db.session.get(Milestone, foreign_id).commitment is theirs
