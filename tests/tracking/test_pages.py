"""The tracking pages as their users see them, on a set clock: the launch recorded with
its evidence, the public contact details, a commitment's progress (milestones with
their history, the overdue mark, the flag after two quiet quarters), the milestone
update as a full page, as an htmx fragment and without JavaScript, quarterly reports,
comments that appear only once published, the moderation queue, the monitoring body's
deadlines with the late mark, drafts hidden from everyone else, and the implementer's
commitment in the roles form.

`launched_plan` (tests/tracking/conftest.py): "valle", submitted on 1 December 2026,
launched on 15 January 2027; each commitment has two milestones, due 30 June and 31
December 2027. Requests share the fixture's app context, whose `g` remembers who
logged in: one account per test, other people act through the services."""

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role, RoleAssignment
from coplat.commitments.enums import MilestoneStatus
from coplat.extensions import db
from coplat.plan.enums import PlanStatus
from coplat.plan.readiness import submit
from coplat.tracking import services
from coplat.tracking.enums import AssessmentKind, CommentStatus, EvidenceType
from coplat.tracking.models import (
    Assessment,
    Evidence,
    MilestoneUpdate,
    ProgressReport,
)
from coplat.tracking.rules import Quarter
from tests.conftest import english
from tests.plan.conftest import _build
from tests.tables.conftest import english as english_app
from tests.tracking.conftest import BUILT_ON, LAUNCHED_ON, at

E = "/e/valle"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# During the second quarter of implementation; the first milestone is not due yet.
SPRING = date(2027, 5, 10)
# After the second quarter: the first milestone is overdue unless finished.
SUMMER = date(2027, 7, 10)


def text(response) -> str:
    return response.get_data(as_text=True)


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    assert found, f"no error beside {field_id}"
    return found.group(1)


def card(page: str, milestone) -> str:
    """One milestone's card on the commitment page."""
    start = page.index(f'<article id="milestone-{milestone.id}"')
    return page[start : page.index("</article>", start)]


def commitment_url(desk, commitment=None) -> str:
    return f"{E}/tracking/commitments/{(commitment or desk.commitment).id}"


def as_user(client, login, user) -> object:
    db.session.commit()
    login(client, user.id)
    return english(client)


@pytest.fixture
def submitted_plan(app):
    """A plan submitted on 1 December 2026, not yet launched."""
    with english_app(app):
        with at(BUILT_ON):
            desk = _build(endorsed=True)
            submit(desk.plan, desk.point_of_contact)
            db.session.commit()
        yield desk


# ----- the launch --------------------------------------------------------------------


def test_the_point_of_contact_records_the_launch_with_its_evidence(client, submitted_plan, login):
    desk = submitted_plan
    as_user(client, login, desk.point_of_contact)
    with at(LAUNCHED_ON, 19):
        plan_page = text(client.get(f"{E}/plan"))
        assert "Record the launch event" in plan_page
        response = client.post(
            f"{E}/plan/launch",
            data={
                "launched_on": "2027-01-15",
                "place": "Explanada municipal",
                "notes-es": "Presentación pública.",
                "notes-en": "Public presentation.",
                "evidence": (io.BytesIO(PDF), "minuta.pdf"),
                "evidence_kind": EvidenceType.MINUTES.value,
            },
        )
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"{E}/plan/launch")
        page = text(client.get(f"{E}/plan/launch"))
    assert "Launched on January 15, 2027" in page
    assert "Explanada municipal" in page
    assert "Public presentation." in page
    assert "Launch event of the action plan, January 15, 2027" in page
    assert "(Agendas and minutes of the forum&#39;s meetings)" in page
    db.session.commit()
    assert desk.plan.status == PlanStatus.LAUNCHED
    evidence = db.session.scalar(sa.select(Evidence))
    assert (evidence.step_number, evidence.kind, evidence.dated_on) == (
        5,
        EvidenceType.MINUTES,
        LAUNCHED_ON,
    )
    assert evidence.upload.original_name == "minuta.pdf"
    with at(LAUNCHED_ON, 19):
        plan_page = text(client.get(f"{E}/plan"))
    assert "Record the launch event" not in plan_page
    assert "The launch record and its evidence" in plan_page
    assert commitment_url(desk, desk.commitments[0]) in plan_page


def test_a_launch_dated_in_the_future_is_refused_keeping_what_was_typed(
    client, submitted_plan, login
):
    desk = submitted_plan
    as_user(client, login, desk.facilitator)
    with at(date(2027, 1, 10)):
        response = client.post(
            f"{E}/plan/launch",
            data={"launched_on": "2027-01-15", "place": "Casa de Cultura de Valle Verde"},
        )
    assert response.status_code == 422
    page = text(response)
    assert "its date is in the future" in error_of(page, "launched_on")
    assert "Casa de Cultura de Valle Verde" in page
    db.session.commit()
    assert desk.plan.status == PlanStatus.SUBMITTED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evidence)) == 0


def test_the_public_reads_the_launch_record(client, launched_plan):
    launched_plan()
    db.session.commit()
    with at(SPRING):
        page = text(english(client).get(f"{E}/plan/launch"))
    assert "Launched on January 15, 2027" in page
    assert "Explanada municipal" in page
    assert "The plan&#39;s public launch." in page
    assert "Record the launch" not in page


# ----- the contact details -----------------------------------------------------------


def post_contact(client, institution: str, name: str, email: str, phone: str = ""):
    return client.post(
        f"{E}/site/contact",
        data={"institution": institution, "name": name, "email": email, "phone": phone},
    )


def test_the_point_of_contact_publishes_the_contact_details(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.point_of_contact)
    response = post_contact(
        client, "Ayuntamiento de Valle Verde", "Pablo Ortiz", "gobierno.abierto@valle.gob.mx"
    )
    assert response.status_code == 303
    page = text(client.get(f"{E}/site/contact"))
    assert "Ayuntamiento de Valle Verde" in page
    assert 'href="mailto:gobierno.abierto@valle.gob.mx"' in page


def test_contact_details_without_a_way_to_reach_anyone_are_refused(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.facilitator)
    response = post_contact(client, "Secretaría de la Contraloría", "Ana", email="")
    assert response.status_code == 422
    page = text(response)
    assert "Give an email address or a telephone number." in error_of(page, "email")
    assert "Secretaría de la Contraloría" in page
    db.session.commit()
    assert desk.plan.contact_institution == ""


# ----- one commitment's progress -----------------------------------------------------


def test_the_commitment_page_shows_progress_and_the_history_of_each_milestone(
    client, launched_plan
):
    desk = launched_plan()
    desk.update(date(2027, 2, 3), MilestoneStatus.IN_PROGRESS)
    desk.update(date(2027, 4, 20), MilestoneStatus.COMPLETE)
    english(client)
    with at(SPRING):
        page = text(client.get(commitment_url(desk)))
    assert "A water network without leaks" in page
    assert "1 of 2 milestones complete" in page
    assert '<progress max="2" value="1"' in page
    assert "Leak map published" in page and "Leaks repaired" in page
    assert "From January 1, 2027 to June 30, 2027." in page
    first = card(page, desk.milestone(1))
    # Newest first, each with its date, its author's public role and the change.
    assert first.index("April 20, 2027") < first.index("February 3, 2027")
    assert "In progress → Complete" in first
    assert "Not started → In progress" in first
    assert "Implementer" in first
    assert "Milestone progress." in first
    assert "badge overdue" not in page
    assert "No progress recorded" not in page
    # Anonymous visitors read; they get no form.
    assert "Update this milestone" not in page
    assert "Post a quarterly report" not in page


def test_an_overdue_milestone_is_marked_once_its_date_has_passed(client, launched_plan):
    desk = launched_plan()
    desk.update(date(2027, 6, 1), MilestoneStatus.IN_PROGRESS)
    english(client)
    with at(date(2027, 6, 30)):
        due_today = text(client.get(commitment_url(desk)))
    with at(SUMMER):
        page = text(client.get(commitment_url(desk)))
    assert "badge overdue" not in card(due_today, desk.milestone(1))
    assert '<strong class="badge overdue">Overdue</strong>' in card(page, desk.milestone(1))
    assert "badge overdue" not in card(page, desk.milestone(2))
    assert '<dt>Overdue milestones</dt>\n    <dd><strong class="flag-text">1</strong>' in page


def test_a_commitment_without_progress_in_two_quarters_is_flagged(client, launched_plan):
    desk = launched_plan(commitments=2)
    other = desk.commitments[1]
    desk.update(date(2027, 5, 2), milestone=desk.milestone(1, other))
    english(client)
    with at(SUMMER):
        quiet = text(client.get(commitment_url(desk)))
        active = text(client.get(commitment_url(desk, other)))
    assert "No progress recorded in Q1 2027 and Q2 2027." in quiet
    assert "No progress recorded" not in active


def test_before_the_launch_the_page_says_tracking_has_not_started(client, submitted_plan):
    desk = submitted_plan
    db.session.commit()
    with at(date(2027, 1, 5)):
        page = text(english(client).get(commitment_url(desk, desk.commitments[0])))
    assert "Implementation starts when the plan is presented at its public launch event." in page


def test_a_commitment_outside_the_plan_has_no_tracking_page(client, launched_plan):
    desk = launched_plan()
    outside = desk.approved()
    with at(SPRING):
        assert client.get(commitment_url(desk, outside)).status_code == 404
        assert client.get(f"{E}/tracking/commitments/999999").status_code == 404


# ----- updating a milestone ----------------------------------------------------------


def milestone_data(milestone, status="in_progress", es="Se levantó el 40 % del mapa.", en=""):
    prefix = f"milestone-{milestone.id}"
    return {
        f"{prefix}-status": status,
        f"{prefix}-progress-es": es,
        f"{prefix}-progress-en": en,
    }


def post_update(client, milestone, **fields):
    """The milestone's update form, posted with `milestone_data(milestone, **fields)`."""
    return client.post(
        f"{E}/tracking/milestones/{milestone.id}", data=milestone_data(milestone, **fields)
    )


def test_the_implementer_updates_a_milestone_without_javascript(client, launched_plan, login):
    desk = launched_plan()
    milestone = desk.milestone(1)
    as_user(client, login, desk.implementer)
    with at(SPRING):
        page = text(client.get(commitment_url(desk)))
        assert "Update this milestone" in page
        response = post_update(client, milestone, en="40% of the map is surveyed.")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(
            f"{commitment_url(desk)}#milestone-{milestone.id}"
        )
        page = text(client.get(response.headers["Location"]))
    assert "The milestone is now “In progress”; the update is public." in page
    assert "40% of the map is surveyed." in page
    assert "Not started → In progress" in page
    db.session.commit()
    assert milestone.status == MilestoneStatus.IN_PROGRESS
    update = db.session.scalar(sa.select(MilestoneUpdate))
    assert (update.author_id, update.author_role) == (desk.implementer.id, Role.IMPLEMENTER)


def test_with_htmx_the_milestone_re_renders_in_place(htmx, launched_plan, login):
    desk = launched_plan()
    milestone = desk.milestone(1)
    as_user(htmx, login, desk.implementer)
    with at(SPRING):
        response = post_update(htmx, milestone, status="complete", en="The map is online.")
    assert response.status_code == 200
    fragment = text(response)
    assert "<html" not in fragment
    assert fragment.lstrip().startswith(f'<article id="milestone-{milestone.id}"')
    assert "The map is online." in fragment
    assert "Not started → Complete" in fragment
    # The summary above the milestones follows, out of band.
    assert (
        'id="commitment-summary" aria-labelledby="commitment-summary-title" hx-swap-oob="true"'
        in (fragment)
    )
    assert "1 of 2 milestones complete" in fragment


def test_a_refused_update_keeps_what_was_typed(htmx, launched_plan, login):
    desk = launched_plan()
    milestone = desk.milestone(1)
    as_user(htmx, login, desk.implementer)
    with at(SPRING):
        response = post_update(htmx, milestone, status="stuck", es="", en="Waiting for the budget.")
    assert response.status_code == 422
    fragment = text(response)
    assert fragment.lstrip().startswith(f'<article id="milestone-{milestone.id}"')
    assert "Write this in Spanish." in error_of(fragment, f"milestone-{milestone.id}-progress-es")
    assert "Waiting for the budget." in fragment
    assert '<option selected value="stuck">' in fragment
    db.session.commit()
    assert milestone.status == MilestoneStatus.NOT_STARTED


def test_a_refused_update_without_javascript_re_renders_the_page(client, launched_plan, login):
    desk = launched_plan()
    milestone = desk.milestone(2)
    as_user(client, login, desk.point_of_contact)
    with at(SPRING):
        response = post_update(client, milestone, es="", en="Crews hired.")
    assert response.status_code == 422
    page = text(response)
    assert "<html" in page
    assert "Please correct the fields marked below." in page
    assert "Crews hired." in page


def test_a_milestone_is_not_updated_before_the_launch(client, submitted_plan, login):
    desk = submitted_plan
    milestone = desk.commitments[0].milestones[0]
    as_user(client, login, desk.point_of_contact)
    with at(date(2027, 1, 5)):
        response = post_update(client, milestone)
    assert response.status_code == 422
    assert "Progress is recorded once the plan is launched." in card(text(response), milestone)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MilestoneUpdate)) == 0


# ----- quarterly reports -------------------------------------------------------------


def test_the_point_of_contact_reports_on_an_open_quarter(client, launched_plan, login):
    desk = launched_plan()
    desk.report(date(2027, 4, 2), Quarter(2027, 1))
    as_user(client, login, desk.point_of_contact)
    new = f"{commitment_url(desk)}/reports/new"
    with at(SPRING):
        form = text(client.get(new))
        # Quarters so far without a report, newest first.
        assert re.findall(r'<option[^>]*value="(\d{4}-\d)"', form) == ["2027-2"]
        response = client.post(
            new,
            data={
                "quarter": "2027-2",
                "progress-es": "Se publicó el mapa de fugas.",
                "progress-en": "The leak map is published.",
                "delays-es": "",
                "next_steps-es": "Reparar las fugas.",
            },
        )
        assert response.status_code == 303
        page = text(client.get(response.headers["Location"]))
        assert "Progress report for Q2 2027" in page
        assert "The leak map is published." in page
        assert "None reported." in page
        tracked = text(client.get(commitment_url(desk)))
        assert tracked.index("Report for Q2 2027") < tracked.index("Report for Q1 2027")
        left = text(client.get(new))
    assert "Every quarter of implementation so far has its report." in left


def test_a_second_report_for_a_quarter_is_refused_keeping_what_was_typed(
    client, launched_plan, login
):
    desk = launched_plan()
    desk.report(date(2027, 4, 2), Quarter(2027, 1))
    as_user(client, login, desk.point_of_contact)
    with at(SPRING):
        response = client.post(
            f"{commitment_url(desk)}/reports/new",
            data={"quarter": "2027-1", "progress-es": "Otra vez el primer trimestre."},
        )
    assert response.status_code == 422
    page = text(response)
    assert "already has its report for Q1 2027" in error_of(page, "quarter")
    assert "Otra vez el primer trimestre." in page
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressReport)) == 1


# ----- comments on a report ----------------------------------------------------------


def test_a_comment_appears_only_once_published(client, launched_plan):
    desk = launched_plan()
    report = desk.report(date(2027, 4, 2), Quarter(2027, 1))
    with at(date(2027, 4, 3)):
        comment = services.comment_on(report, desk.citizen, "¿Cuándo llega el mapa a mi colonia?")
    db.session.commit()
    english(client)
    url = f"{E}/tracking/reports/{report.id}"
    with at(SPRING):
        before = text(client.get(url))
        assert "¿Cuándo llega el mapa a mi colonia?" not in before
        assert "No comment yet." in before
        assert "Log in to comment" in before
        services.moderate(comment, desk.facilitator, publish=True)
        db.session.commit()
        after = text(client.get(url))
    assert "¿Cuándo llega el mapa a mi colonia?" in after
    assert desk.citizen.name in after
    assert "1 comment" in after


def test_a_citizen_comments_and_sees_the_comment_waiting(client, launched_plan, login):
    desk = launched_plan()
    report = desk.report(date(2027, 4, 2), Quarter(2027, 1))
    as_user(client, login, desk.citizen)
    url = f"{E}/tracking/reports/{report.id}"
    with at(SPRING):
        empty = client.post(url + "/comments", data={"body": "   "})
        assert empty.status_code == 422
        assert "Write your comment." in error_of(text(empty), "body")
        response = client.post(url + "/comments", data={"body": "Falta mi colonia."})
        assert response.status_code == 303
        page = text(client.get(url))
    mine = page[page.index('id="comments"') :]
    assert "Falta mi colonia." in mine
    assert "Waiting for moderation" in mine
    assert "0 comments" in page


def test_the_facilitator_moderates_comments(client, launched_plan, login):
    desk = launched_plan()
    report = desk.report(date(2027, 4, 2), Quarter(2027, 1))
    with at(date(2027, 4, 3)):
        kind = services.comment_on(report, desk.citizen, "Buen avance.")
        rude = services.comment_on(report, desk.citizen, "Insulto.")
    db.session.commit()
    as_user(client, login, desk.facilitator)
    with at(SPRING):
        queue = text(client.get(f"{E}/tracking/comments"))
        assert "2 comments await moderation" in queue
        assert "on the report for Q1 2027" in queue
        assert "A water network without leaks" in queue
        swapped = client.post(
            f"{E}/tracking/comments/{kind.id}",
            data={"decision": "publish"},
            headers={"HX-Request": "true"},
        )
        refused = client.post(
            f"{E}/tracking/comments/{rude.id}",
            data={"decision": "reject", f"comment-{rude.id}-note": ""},
        )
        rejected = client.post(
            f"{E}/tracking/comments/{rude.id}",
            data={"decision": "reject", f"comment-{rude.id}-note": "Contiene un insulto."},
        )
        empty = text(client.get(f"{E}/tracking/comments"))
    assert swapped.status_code == 200
    card = text(swapped)
    assert card.lstrip().startswith(f'<article class="card" id="moderate-{kind.id}"')
    assert "The comment is published." in card
    assert refused.status_code == 422
    assert "Say why the comment is not published." in error_of(
        text(refused), f"comment-{rude.id}-note"
    )
    assert rejected.status_code == 303
    assert "Nothing awaits moderation." in empty
    db.session.commit()
    assert (kind.status, rude.status) == (CommentStatus.PUBLISHED, CommentStatus.REJECTED)
    assert rude.moderation_note == "Contiene un insulto."


# ----- the monitoring body's assessments ---------------------------------------------


def assessment_row(page: str, kind: str) -> str:
    start = page.index(f'id="deadline-{kind}')
    return page[start : page.index("</tr>", start)]


def test_an_unpublished_assessment_past_its_deadline_is_marked_late(client, launched_plan):
    launched_plan()
    db.session.commit()
    english(client)
    with at(date(2027, 1, 31)):
        early = text(client.get(f"{E}/assessments"))
    with at(date(2027, 2, 2)):
        late = text(client.get(f"{E}/assessments"))
    assert "February 1, 2027" in assessment_row(early, "initial")
    assert "Late" not in assessment_row(early, "initial")
    assert '<strong class="badge overdue">Late</strong>' in assessment_row(late, "initial")
    assert "1 assessment is late." in late
    assert "Write the assessment" not in late


def test_a_draft_is_seen_only_by_the_monitoring_body(client, launched_plan):
    desk = launched_plan()
    with at(date(2027, 1, 20)):
        draft = services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Borrador de hallazgos."}},
        )
    db.session.commit()
    english(client)
    with at(date(2027, 1, 25)):
        listing = text(client.get(f"{E}/assessments"))
        hidden = client.get(f"{E}/assessments/{draft.id}")
    assert "Draft saved" not in listing
    assert "Borrador de hallazgos." not in listing
    assert hidden.status_code == 404


def test_the_monitoring_body_sees_its_draft(client, launched_plan, login):
    desk = launched_plan()
    with at(date(2027, 1, 20)):
        draft = services.save_assessment(
            desk.exercise,
            desk.monitoring,
            AssessmentKind.INITIAL,
            values={"summary": {"es": "Borrador de hallazgos."}},
        )
    as_user(client, login, desk.monitoring)
    with at(date(2027, 1, 25)):
        listing = text(client.get(f"{E}/assessments"))
        page = client.get(f"{E}/assessments/{draft.id}")
        form = text(client.get(f"{E}/assessments/initial"))
    assert "Draft saved on" in assessment_row(listing, "initial")
    assert "Continue the draft" in assessment_row(listing, "initial")
    assert page.status_code == 200
    assert "Only the monitoring body sees this draft." in text(page)
    assert "Borrador de hallazgos." in form
    assert "A water network without leaks" in form


def initial_data(desk, **changes) -> dict:
    rating = f"rating-{desk.commitment.id}"
    data = {
        "summary-es": "El plan cumple los requisitos mínimos.",
        "summary-en": "The plan meets the minimum requirements.",
        "co_creation-es": "Hubo foro, regularidad y respaldo.",
        "co_creation-en": "There was a forum, regularity and endorsement.",
        f"{rating}-relevant_values": ["access_to_information", "civic_participation"],
        f"{rating}-verifiable": "y",
        f"{rating}-potential_impact": "moderate",
        f"{rating}-note-es": "Bien acotado.",
        "publish": "1",
    }
    return {**data, **changes}


def test_the_monitoring_body_publishes_the_initial_assessment(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.monitoring)
    with at(date(2027, 1, 20)):
        response = client.post(f"{E}/assessments/initial", data=initial_data(desk))
        assert response.status_code == 303
        page = text(client.get(response.headers["Location"]))
        listing = text(client.get(f"{E}/assessments"))
        form = text(client.get(f"{E}/assessments/initial"))
    assert "The plan meets the minimum requirements." in page
    assert "Access to information; Civic participation" in page
    assert "Moderate" in page
    assert '<span class="badge closed">On time</span>' in page
    assert "Published on January 20, 2027" in assessment_row(listing, "initial")
    assert "On time" in assessment_row(listing, "initial")
    # Published, it no longer changes: the form gives way to the text.
    assert "a published assessment no longer changes" in form
    assert 'name="publish"' not in form


def test_a_late_assessment_stays_marked_once_published(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.monitoring)
    with at(date(2027, 3, 1)):
        response = client.post(f"{E}/assessments/initial", data=initial_data(desk))
        assert response.status_code == 303
        listing = text(client.get(f"{E}/assessments"))
    assert '<strong class="badge overdue">Published late</strong>' in assessment_row(
        listing, "initial"
    )


def test_publishing_an_incomplete_assessment_is_refused_keeping_what_was_typed(
    client, launched_plan, login
):
    desk = launched_plan()
    as_user(client, login, desk.monitoring)
    with at(date(2027, 1, 20)):
        response = client.post(
            f"{E}/assessments/initial",
            data=initial_data(desk, **{"co_creation-es": "", "co_creation-en": ""}),
        )
    assert response.status_code == 422
    page = text(response)
    assert "Assess the co-creation requirements" in error_of(page, "co_creation-es")
    assert "El plan cumple los requisitos mínimos." in page
    assert "Bien acotado." in page
    db.session.commit()
    assert db.session.scalar(sa.select(Assessment.published_at)) is None


def test_a_rating_needs_its_potential_impact(client, launched_plan, login):
    desk = launched_plan()
    rating = f"rating-{desk.commitment.id}"
    as_user(client, login, desk.monitoring)
    with at(date(2027, 1, 20)):
        response = client.post(
            f"{E}/assessments/initial",
            data=initial_data(desk, publish="0", **{f"{rating}-potential_impact": ""}),
        )
    assert response.status_code == 422
    assert "Choose the potential impact of this commitment." in error_of(
        text(response), f"{rating}-potential_impact"
    )


def test_the_monitoring_body_assesses_a_commitment(client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.monitoring)
    url = f"{E}/assessments/commitment/{desk.commitment.id}"
    with at(SUMMER):
        draft = client.post(url, data={"summary-es": "Avanza.", "publish": "0"})
        assert draft.status_code == 303
        refused = client.post(url, data={"summary-es": "Avanza.", "publish": "1"})
        assert refused.status_code == 422
        assert "Choose the level of completion." in error_of(text(refused), "completion")
        early = client.post(
            url, data={"summary-es": "Avanza.", "completion": "substantial", "publish": "1"}
        )
        assert early.status_code == 422
        assert "follows the commitment&#39;s end (2027-12-31)" in early.get_data(as_text=True)
    with at(date(2028, 1, 10)):
        published = client.post(
            url,
            data={
                "summary-es": "Avanza.",
                "completion": "substantial",
                "early_results-es": "Menos fugas.",
                "publish": "1",
            },
        )
        assert published.status_code == 303
        page = text(client.get(published.headers["Location"]))
    assert "Commitment implementation assessment: A water network without leaks" in page
    assert "Substantial" in page
    assert "Menos fugas." in page
    assert client.get(f"{E}/assessments/commitment").status_code == 404
    assert client.get(f"{E}/assessments/initial/{desk.commitment.id}").status_code == 404
    assert client.get(f"{E}/assessments/unknown").status_code == 404


# ----- the implementer's commitment in the roles form --------------------------------


def test_an_implementer_is_assigned_to_a_commitment(client, launched_plan, login):
    desk = launched_plan(commitments=2)
    admin = desk.person("admin.valle@example.mx")
    admin.is_admin = True
    worker = desk.person("obras@example.mx")
    second = desk.commitments[1]
    as_user(client, login, admin)
    missing = client.post(
        f"{E}/roles", data={"role-email": "obras@example.mx", "role-role": "implementer"}
    )
    assert missing.status_code == 422
    assert "An implementer answers for one commitment" in error_of(
        text(missing), "role-commitment_id"
    )
    response = client.post(
        f"{E}/roles",
        data={
            "role-email": "obras@example.mx",
            "role-role": "implementer",
            "role-commitment_id": str(second.id),
        },
    )
    assert response.status_code == 303
    page = text(client.get(f"{E}/roles"))
    assert "Answers for: A water network without leaks" in page
    db.session.commit()
    assignment = worker.assignment(desk.exercise.id, Role.IMPLEMENTER)
    assert assignment.commitment_id == second.id
    # Another role answers for no commitment, whatever the form sent.
    client.post(
        f"{E}/roles",
        data={
            "role-email": "obras@example.mx",
            "role-role": "facilitator",
            "role-commitment_id": str(second.id),
        },
    )
    db.session.commit()
    facilitator = db.session.scalar(
        sa.select(RoleAssignment).where(
            RoleAssignment.user_id == worker.id, RoleAssignment.role == Role.FACILITATOR
        )
    )
    assert facilitator.commitment_id is None
