"""The services of implementation tracking, on a set clock: the launch, milestone
updates, quarterly reports, public comments and their moderation, the evidence
repository and the monitoring body's assessments. Each refusal leaves the record as it
was; what is recorded keeps its date and author."""

from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from coplat.accounts.models import Role
from coplat.commitments import services as commitments
from coplat.commitments.enums import MilestoneStatus
from coplat.core import clock
from coplat.extensions import db
from coplat.plan.enums import PlanStatus
from coplat.plan.readiness import submit
from coplat.tracking import services
from coplat.tracking.enums import AssessmentKind, CommentStatus, CompletionLevel, EvidenceType
from coplat.tracking.models import (
    Assessment,
    CommitmentRating,
    Evidence,
    MilestoneUpdate,
    ProgressComment,
)
from coplat.tracking.rules import Quarter
from coplat.tracking.services import COMMENT_MAX_LENGTH, TrackingError
from tests.plan.conftest import _build
from tests.tables.conftest import english
from tests.tracking.conftest import BUILT_ON, LAUNCHED_ON, ZONE, at, moment

Q = Quarter
INITIAL, COMMITMENT, FINAL = AssessmentKind.INITIAL, AssessmentKind.COMMITMENT, AssessmentKind.FINAL
PROGRESS = {"es": "Avance.", "en": "Progress."}


@pytest.fixture
def unlaunched_plan(app):
    """unlaunched_plan(submitted=True) -> PlanDesk: a ready plan built on 1 December 2026,
    submitted that day unless told."""

    def make(submitted: bool = True, **options):
        with at(BUILT_ON):
            desk = _build(endorsed=True, **options)
            if submitted:
                submit(desk.plan, desk.point_of_contact)
                db.session.commit()
        return desk

    with english(app):
        yield make


def launch(desk, day=LAUNCHED_ON, hour=18, **changes):
    options = {"launched_on": day, "place": "Explanada municipal", **changes}
    with at(day, hour):
        services.launch(desk.plan, desk.point_of_contact, **options)


@contextmanager
def refused(message: str, field: str | None = None):
    """Expect a TrackingError with that message (and field, when given); the session
    rolls back what the refused call may have changed."""
    with pytest.raises(TrackingError) as info:
        yield info
    db.session.rollback()
    assert str(info.value) == message
    if field is not None:
        assert info.value.field == field


# ----- the launch ------------------------------------------------------------------------


def test_the_launch_starts_implementation(unlaunched_plan):
    desk = unlaunched_plan()
    launch(desk, place="  Explanada municipal  ", link=" https://valle.example/video ")
    db.session.commit()

    plan = desk.plan
    assert plan.status == PlanStatus.LAUNCHED
    assert plan.launched_on == LAUNCHED_ON
    assert (plan.launch_place, plan.launch_link) == (
        "Explanada municipal",
        "https://valle.example/video",
    )
    assert plan.launched_at == datetime(2027, 1, 16, 0, 0, tzinfo=UTC)  # 18:00 in Mexico City
    assert plan.launched_by is desk.point_of_contact


def test_a_draft_plan_is_not_launched(unlaunched_plan):
    desk = unlaunched_plan(submitted=False)
    with refused("Submit the plan to OGP before recording its launch."):
        launch(desk)
    assert desk.plan.status == PlanStatus.DRAFT


def test_the_launch_is_recorded_once(unlaunched_plan):
    desk = unlaunched_plan()
    launch(desk)
    db.session.commit()

    with refused("The plan's launch is already recorded."):
        launch(desk, date(2027, 2, 1), place="Otra plaza")
    assert (desk.plan.launched_on, desk.plan.launch_place) == (LAUNCHED_ON, "Explanada municipal")


def test_the_launch_is_recorded_once_it_has_taken_place(unlaunched_plan):
    desk = unlaunched_plan()
    with (
        at(date(2027, 1, 14)),
        refused(
            "Record the launch once the event has taken place: its date is in the future.",
            "launched_on",
        ),
    ):
        services.launch(
            desk.plan, desk.point_of_contact, launched_on=LAUNCHED_ON, place="Explanada"
        )
    assert desk.plan.status == PlanStatus.SUBMITTED


def test_the_launch_s_day_is_counted_in_the_exercise_s_zone(unlaunched_plan):
    desk = unlaunched_plan()
    # 20:00 on 15 January in Mexico City is 16 January in UTC: the 16th is tomorrow.
    with clock.set_to(datetime(2027, 1, 15, 20, tzinfo=ZONE)):
        with refused(
            "Record the launch once the event has taken place: its date is in the future."
        ):
            services.launch(
                desk.plan, desk.point_of_contact, launched_on=date(2027, 1, 16), place="Plaza"
            )
        services.launch(desk.plan, desk.point_of_contact, launched_on=LAUNCHED_ON, place="Plaza")
    assert desk.plan.launched_on == LAUNCHED_ON


def test_the_launch_does_not_come_before_the_submission(unlaunched_plan):
    desk = unlaunched_plan()
    with refused("The launch cannot come before the plan's submission.", "launched_on"):
        launch(desk, date(2026, 11, 30))
    # The day of the submission will do.
    launch(desk, BUILT_ON)
    assert desk.plan.launched_on == BUILT_ON


def test_the_launch_needs_a_place_or_a_link(unlaunched_plan):
    desk = unlaunched_plan()
    with refused("Say where the event took place, or give its link.", "place"):
        launch(desk, place="   ", link="  ")
    launch(desk, place="", link="https://valle.example/transmision")
    assert desk.plan.status == PlanStatus.LAUNCHED


# ----- milestone updates -----------------------------------------------------------------


def test_a_milestone_is_not_updated_before_the_launch(unlaunched_plan):
    desk = unlaunched_plan()
    milestone = desk.commitments[0].milestones[0]
    with at(date(2027, 1, 10)), refused("Progress is recorded once the plan is launched."):
        services.update_milestone(
            milestone, desk.point_of_contact, status=MilestoneStatus.IN_PROGRESS, progress=PROGRESS
        )
    assert milestone.status == MilestoneStatus.NOT_STARTED


def test_a_commitment_outside_the_plan_is_not_updated(launched_plan):
    desk = launched_plan()
    with at(date(2027, 2, 1)):
        outside = desk.approved()  # approved, never added to the plan
    with at(date(2027, 2, 2)), refused("This commitment is not part of the launched plan."):
        services.update_milestone(
            outside.milestones[0],
            desk.point_of_contact,
            status=MilestoneStatus.IN_PROGRESS,
            progress=PROGRESS,
        )
    assert db.session.scalar(sa.select(sa.func.count(MilestoneUpdate.id))) == 0


@pytest.mark.parametrize("progress", [{}, {"en": "Progress."}, {"es": "   ", "en": "Progress."}])
def test_an_update_says_what_progress_was_made_in_spanish(launched_plan, progress):
    desk = launched_plan()
    with (
        at(date(2027, 2, 1)),
        refused("Say what progress was made, in Spanish at least.", "progress"),
    ):
        services.update_milestone(
            desk.milestone(), desk.implementer, status=MilestoneStatus.STUCK, progress=progress
        )
    assert desk.milestone().status == MilestoneStatus.NOT_STARTED


def test_an_update_keeps_the_statuses_its_author_and_its_time(launched_plan):
    desk = launched_plan()
    with clock.set_to(datetime(2027, 2, 3, 9, 15, tzinfo=ZONE)):
        first = services.update_milestone(
            desk.milestone(),
            desk.implementer,
            status=MilestoneStatus.IN_PROGRESS,
            progress={"es": "  Mapa en borrador. ", "en": ""},
        )
        db.session.commit()
    second = desk.update(date(2027, 3, 1), MilestoneStatus.STUCK, user=desk.point_of_contact)

    history = db.session.scalars(sa.select(MilestoneUpdate).order_by(MilestoneUpdate.id)).all()
    assert history == [first, second]
    assert [(u.previous_status, u.status) for u in history] == [
        (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS),
        (MilestoneStatus.IN_PROGRESS, MilestoneStatus.STUCK),
    ]
    assert [(u.author, u.author_role) for u in history] == [
        (desk.implementer, Role.IMPLEMENTER),
        (desk.point_of_contact, Role.POINT_OF_CONTACT),
    ]
    assert [u.created_at for u in history] == [
        datetime(2027, 2, 3, 15, 15, tzinfo=UTC),
        moment(date(2027, 3, 1)),
    ]
    assert first.progress == {"es": "Mapa en borrador."}
    assert (first.commitment, first.milestone) == (desk.commitment, desk.milestone())
    # The milestone keeps the latest status.
    assert desk.milestone().status == MilestoneStatus.STUCK


def test_a_milestone_keeps_its_id_and_history_when_the_commitment_is_edited(launched_plan):
    desk = launched_plan()
    ids = [m.id for m in desk.commitment.milestones]
    update = desk.update(date(2027, 2, 3), MilestoneStatus.IN_PROGRESS)

    content = commitments.form_content(desk.commitment)  # with the ids the edit form sends
    content["milestones"][0]["output"] = {"es": "Mapa de fugas en línea", "en": "Leak map online"}
    with at(date(2027, 2, 10)):
        desk.change(desk.commitment, milestones=content["milestones"])
    db.session.expire_all()

    commitment = desk.commitment
    assert commitment.approved_revision.content["milestones"][0]["output"]["es"] == (
        "Mapa de fugas en línea"
    )
    assert [m.id for m in commitment.milestones] == ids
    assert commitment.milestones[0].status == MilestoneStatus.IN_PROGRESS
    assert update.milestone is commitment.milestones[0]
    # Progress goes on being recorded on the same milestone.
    later = desk.update(date(2027, 3, 1), MilestoneStatus.COMPLETE)
    assert later.milestone_id == ids[0]
    assert later.previous_status == MilestoneStatus.IN_PROGRESS


# ----- quarterly reports -----------------------------------------------------------------


def post(desk, day, quarter, **changes):
    values = {"progress": PROGRESS, **changes}
    with at(day):
        return services.post_report(
            desk.commitment, desk.point_of_contact, quarter=quarter, **values
        )


def test_a_report_keeps_its_quarter_author_and_time(launched_plan):
    desk = launched_plan()
    report = post(
        desk,
        date(2027, 4, 5),
        Q(2027, 1),
        delays={"es": " Lluvias. "},
        next_steps={"es": "Publicar el mapa.", "en": " "},
    )
    db.session.commit()

    assert (report.year, report.quarter) == (2027, 1)
    assert (report.commitment, report.author) == (desk.commitment, desk.point_of_contact)
    assert report.created_at == moment(date(2027, 4, 5))
    assert (report.delays, report.next_steps) == ({"es": "Lluvias."}, {"es": "Publicar el mapa."})


def test_a_report_is_not_posted_before_the_launch(unlaunched_plan):
    desk = unlaunched_plan()
    with at(date(2027, 1, 10)), refused("Progress is recorded once the plan is launched."):
        services.post_report(
            desk.commitments[0], desk.point_of_contact, quarter=Q(2026, 4), progress=PROGRESS
        )


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2027, 2, 1), Q(2026, 4)),  # before the launch's quarter
        (date(2027, 2, 1), Q(2027, 2)),  # a quarter still to come
        (date(2027, 7, 10), Q(2027, 4)),
        (date(2029, 1, 10), Q(2028, 3)),  # after the plan's end (30 June 2028)
    ],
)
def test_a_report_covers_a_quarter_of_implementation_up_to_the_current_one(
    launched_plan, day, quarter
):
    desk = launched_plan()
    with refused(
        "Report on a quarter of the plan's implementation, up to the current one.", "quarter"
    ):
        post(desk, day, quarter)


def test_the_current_quarter_and_the_launch_s_can_be_reported(launched_plan):
    desk = launched_plan()
    assert post(desk, date(2027, 2, 1), Q(2027, 1)).quarter == 1
    assert post(desk, date(2027, 7, 10), Q(2027, 3)).quarter == 3
    assert post(desk, date(2029, 1, 10), Q(2028, 2)).quarter == 2


def test_a_quarter_has_one_report_per_commitment(launched_plan):
    desk = launched_plan(commitments=2)
    desk.report(date(2027, 4, 5), Q(2027, 1))

    with refused("This commitment already has its report for Q1 2027.", "quarter"):
        post(desk, date(2027, 4, 6), Q(2027, 1))
    # Another commitment's report for the same quarter is its own.
    desk.report(date(2027, 4, 6), Q(2027, 1), commitment=desk.commitments[1])


@pytest.mark.parametrize("progress", [{}, {"en": "Progress."}, {"es": " "}])
def test_a_report_describes_the_quarter_s_progress_in_spanish(launched_plan, progress):
    desk = launched_plan()
    with refused("Describe the progress of the quarter, in Spanish at least.", "progress"):
        post(desk, date(2027, 4, 5), Q(2027, 1), progress=progress)


# ----- comments on reported progress -----------------------------------------------------


@pytest.fixture
def report(launched_plan):
    desk = launched_plan()
    made = desk.report(date(2027, 4, 5), Q(2027, 1))
    made.desk = desk
    return made


def comment(report, body="¿Cuándo se publica el mapa?", day=date(2027, 4, 10)):
    with at(day):
        made = services.comment_on(report, report.desk.citizen, body)
        db.session.commit()
    return made


@pytest.mark.parametrize("body", ["", "   ", None])
def test_an_empty_comment_is_refused(report, body):
    with refused("Write your comment.", "body"):
        comment(report, body)


def test_a_comment_has_a_length_limit(report):
    with refused("Keep your comment under 2000 characters.", "body"):
        comment(report, "x" * (COMMENT_MAX_LENGTH + 1))
    assert len(comment(report, "x" * COMMENT_MAX_LENGTH).body) == COMMENT_MAX_LENGTH


def test_a_comment_waits_for_moderation(report):
    made = comment(report, "  ¿Cuándo se publica el mapa?  ")

    assert made.status == CommentStatus.PENDING
    assert made.body == "¿Cuándo se publica el mapa?"
    assert (made.author_name, made.created_at) == (
        report.desk.citizen.name,
        moment(date(2027, 4, 10)),
    )
    assert report.published_comments == []

    with at(date(2027, 4, 12)):
        services.moderate(made, report.desk.facilitator, publish=True)
        db.session.commit()
    assert made.status == CommentStatus.PUBLISHED
    assert (made.moderated_by_id, made.moderated_at) == (
        report.desk.facilitator.id,
        moment(date(2027, 4, 12)),
    )
    assert report.published_comments == [made]


def test_rejecting_a_comment_needs_a_reason(report):
    made = comment(report)
    with refused("Say why the comment is not published.", "note"):
        services.moderate(made, report.desk.facilitator, publish=False, note="  ")
    assert made.status == CommentStatus.PENDING

    with at(date(2027, 4, 12)):
        services.moderate(made, report.desk.facilitator, publish=False, note=" Insultos. ")
        db.session.commit()
    assert (made.status, made.moderation_note) == (CommentStatus.REJECTED, "Insultos.")
    assert report.published_comments == []


def test_a_comment_is_moderated_once(report):
    made = comment(report)
    services.moderate(made, report.desk.facilitator, publish=False, note="Fuera de tema.")
    db.session.commit()

    with refused("This comment was already moderated."):
        services.moderate(made, report.desk.facilitator, publish=True)
    assert db.session.get(ProgressComment, made.id).status == CommentStatus.REJECTED


# ----- the evidence repository -----------------------------------------------------------


def evidence(desk, **changes):
    values = {
        "kind": EvidenceType.PHOTOS,
        "title": {"es": "Fotos de la reparación", "en": "Photos of the repair"},
        "link": "https://valle.example/fotos",
        **changes,
    }
    with at(date(2027, 3, 1)):
        made = services.add_evidence(desk.exercise, desk.implementer, **values)
        db.session.commit()
    return made


def evidence_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Evidence.id)))


@pytest.mark.parametrize("title", [{}, {"en": "Photos"}, {"es": "  "}])
def test_evidence_needs_a_spanish_title(launched_plan, title):
    desk = launched_plan()
    with refused("Give the evidence a title, in Spanish at least.", "title"):
        evidence(desk, title=title)
    assert evidence_count() == 0


def test_evidence_needs_a_file_or_a_link(launched_plan):
    desk = launched_plan()
    with refused("Attach a file or give a link.", "link"):
        evidence(desk, link="  ")

    made = evidence(desk, link="", upload=desk.document("fotos.pdf"))
    assert made.upload.original_name == "fotos.pdf"


def test_evidence_keeps_what_it_is_attached_to_and_its_author(launched_plan):
    desk = launched_plan()
    made = evidence(
        desk, kind=EvidenceType.BUDGET_DECISIONS, milestone=desk.milestone(2), step_number=6
    )

    # A milestone given alone brings its commitment.
    assert (made.commitment, made.milestone, made.step_number) == (
        desk.commitment,
        desk.milestone(2),
        6,
    )
    assert made.kind.section.value == "implementation"
    assert (made.author_id, made.author_role) == (desk.implementer.id, Role.IMPLEMENTER)
    assert made.created_at == moment(date(2027, 3, 1))


def test_a_milestone_must_belong_to_the_evidence_s_commitment(launched_plan):
    desk = launched_plan(commitments=2)
    with refused("Choose a milestone of that commitment.", "milestone"):
        evidence(desk, commitment=desk.commitments[1], milestone=desk.milestone(1))
    assert evidence_count() == 0


def test_evidence_stays_within_its_exercise(launched_plan):
    desk = launched_plan()
    other = launched_plan(slug="cerro")

    with refused("Choose a commitment of this exercise.", "commitment"):
        evidence(desk, commitment=other.commitment)
    with refused("Choose a commitment of this exercise.", "commitment"):
        evidence(desk, milestone=other.milestone())
    with refused("Choose a session of this exercise.", "session"):
        evidence(desk, session=other.sessions[0])
    assert evidence_count() == 0
    assert evidence(desk, session=desk.sessions[0]).session is desk.sessions[0]


@pytest.mark.parametrize("step", [0, 7])
def test_evidence_names_one_of_the_six_steps(launched_plan, step):
    desk = launched_plan()
    with refused("Choose one of the six steps.", "step_number"):
        evidence(desk, step_number=step)


def test_removing_evidence_makes_its_file_private(launched_plan):
    desk = launched_plan()
    upload = desk.document("acta.pdf")
    made = evidence(desk, link="", upload=upload, kind=EvidenceType.MINUTES)
    assert upload.is_public is True

    services.remove_evidence(made)
    db.session.commit()

    assert evidence_count() == 0
    assert upload.is_public is False


# ----- the monitoring body's assessments -------------------------------------------------


def assess(
    desk, kind, day=date(2027, 1, 20), *, commitment=None, ratings=None, publish=False, **values
):
    with at(day):
        made = services.save_assessment(
            desk.exercise,
            desk.monitoring,
            kind,
            commitment=commitment,
            values=values,
            ratings=ratings,
            publish=publish,
        )
        db.session.commit()
    return made


def rate_all(desk, impact="moderate"):
    return {
        c.id: {
            "relevant_values": ["civic_participation"],
            "verifiable": True,
            "potential_impact": impact,
        }
        for c in desk.commitments
    }


SUMMARY = {"es": "Hallazgos.", "en": "Findings."}
CO_CREATION = {"es": "Se cumplieron los requisitos.", "en": "The requirements were met."}


def assessment_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Assessment.id)))


def test_a_draft_plan_is_not_assessed(unlaunched_plan):
    desk = unlaunched_plan(submitted=False)
    desk.monitoring = desk.person("monitoring.valle@example.mx", Role.MONITORING)
    with refused("The monitoring body assesses the plan once it is submitted."):
        assess(desk, INITIAL, summary=SUMMARY)
    assert assessment_count() == 0


def test_a_submitted_plan_gets_its_initial_assessment_in_one_go(unlaunched_plan):
    desk = unlaunched_plan(commitments=2)
    desk.monitoring = desk.person("monitoring.valle@example.mx", Role.MONITORING)

    made = assess(
        desk,
        INITIAL,
        summary=SUMMARY,
        co_creation=CO_CREATION,
        ratings=rate_all(desk),
        publish=True,
    )

    assert made.published_at == moment(date(2027, 1, 20))
    assert [(r.commitment, r.potential_impact.value, r.verifiable) for r in made.ratings] == [
        (c, "moderate", True) for c in desk.commitments
    ]


def test_an_implementation_assessment_is_about_one_commitment_of_the_plan(launched_plan):
    desk = launched_plan()
    message = "An implementation assessment is about one commitment."
    with refused(message):
        assess(desk, COMMITMENT, summary=SUMMARY, completion="limited")
    with refused(message):
        assess(desk, INITIAL, commitment=desk.commitment, summary=SUMMARY)
    with at(date(2027, 1, 20)):
        outside = desk.approved()
    with refused("This commitment is not part of the launched plan."):
        assess(desk, COMMITMENT, commitment=outside, summary=SUMMARY, completion="limited")
    assert assessment_count() == 0


def test_a_draft_assessment_is_rewritten_until_published(launched_plan):
    desk = launched_plan(commitments=2)
    first = assess(desk, INITIAL, summary={"es": "Borrador."}, ratings=rate_all(desk, "minor"))
    again = assess(
        desk,
        INITIAL,
        date(2027, 1, 25),
        summary=SUMMARY,
        ratings={desk.commitments[0].id: {"potential_impact": "transformative"}},
    )

    assert again is first
    assert again.summary == {"es": "Hallazgos.", "en": "Findings."}
    assert (again.created_at, again.updated_at) == (
        moment(date(2027, 1, 20)),
        moment(date(2027, 1, 25)),
    )
    assert again.published_at is None
    # The ratings are the latest ones: one commitment, rated again.
    ratings = db.session.scalars(sa.select(CommitmentRating)).all()
    assert [(r.commitment, r.potential_impact.value) for r in ratings] == [
        (desk.commitments[0], "transformative")
    ]

    assess(
        desk,
        INITIAL,
        date(2027, 1, 28),
        summary=SUMMARY,
        co_creation=CO_CREATION,
        ratings=rate_all(desk, "minor"),
        publish=True,
    )
    assert [r.potential_impact.value for r in first.ratings] == ["minor", "minor"]
    assert assessment_count() == 1


def test_publishing_needs_the_findings(launched_plan):
    desk = launched_plan()
    with refused("Write the findings, in Spanish at least.", "summary"):
        assess(
            desk,
            COMMITMENT,
            commitment=desk.commitment,
            summary={"en": "Findings."},
            completion="limited",
            publish=True,
        )


def test_the_initial_assessment_judges_co_creation_and_every_commitment(launched_plan):
    desk = launched_plan(commitments=2)
    with refused("Assess the co-creation requirements, in Spanish at least.", "co_creation"):
        assess(desk, INITIAL, summary=SUMMARY, ratings=rate_all(desk), publish=True)
    one = {desk.commitments[0].id: {"potential_impact": "minor"}}
    with refused("Rate every commitment of the plan before publishing."):
        assess(desk, INITIAL, summary=SUMMARY, co_creation=CO_CREATION, ratings=one, publish=True)
    assert assessment_count() == 0

    made = assess(
        desk,
        INITIAL,
        summary=SUMMARY,
        co_creation=CO_CREATION,
        ratings=rate_all(desk),
        publish=True,
    )
    assert made.is_published


def test_an_implementation_assessment_states_the_level_of_completion(launched_plan):
    desk = launched_plan()
    with refused("Choose the level of completion.", "completion"):
        assess(desk, COMMITMENT, commitment=desk.commitment, summary=SUMMARY, publish=True)

    made = assess(
        desk,
        COMMITMENT,
        date(2028, 1, 10),
        commitment=desk.commitment,
        summary=SUMMARY,
        completion="substantial",
        early_results={"es": "Menos fugas."},
        publish=True,
    )
    assert (made.completion, made.early_results) == (
        CompletionLevel.SUBSTANTIAL,
        {"es": "Menos fugas."},
    )


LESSONS = {"es": "Lecciones aprendidas."}


def test_the_final_learning_exercise_follows_implementation(unlaunched_plan):
    desk = unlaunched_plan()
    desk.monitoring = desk.person("monitoring.valle@example.mx", Role.MONITORING)
    with refused(
        "The final learning exercise follows the plan's end (2028-06-30): keep it as a draft"
        " until then."
    ):
        assess(desk, FINAL, date(2028, 7, 15), summary=SUMMARY, lessons=LESSONS, publish=True)
    assert assessment_count() == 0


def test_the_final_learning_exercise_waits_for_the_plan_s_end_and_closes_it(launched_plan):
    desk = launched_plan()
    with refused(
        "The final learning exercise follows the plan's end (2028-06-30): keep it as a draft"
        " until then."
    ):
        assess(desk, FINAL, date(2028, 6, 30), summary=SUMMARY, lessons=LESSONS, publish=True)
    assert desk.plan.status == PlanStatus.LAUNCHED

    draft = assess(desk, FINAL, date(2028, 6, 30), summary=SUMMARY, lessons=LESSONS)
    assert not draft.is_published
    made = assess(desk, FINAL, date(2028, 7, 1), summary=SUMMARY, lessons=LESSONS, publish=True)
    assert made.is_published
    assert desk.plan.status == PlanStatus.CLOSED


def test_an_implementation_assessment_waits_for_the_commitment_s_end(launched_plan):
    desk = launched_plan(commitments=2)
    early = "The implementation assessment follows the commitment's end ({day}): keep it as a draft until then."
    with refused(early.format(day="2027-12-31")):
        assess(
            desk,
            COMMITMENT,
            date(2027, 12, 31),
            commitment=desk.commitment,
            summary=SUMMARY,
            completion="substantial",
            publish=True,
        )
    # A commitment whose milestones are all finished has ended: it is assessed then.
    second = desk.commitments[1]
    desk.update(date(2027, 5, 2), MilestoneStatus.COMPLETE, milestone=desk.milestone(1, second))
    desk.update(date(2027, 5, 3), MilestoneStatus.COMPLETE, milestone=desk.milestone(2, second))
    made = assess(
        desk,
        COMMITMENT,
        date(2027, 5, 20),
        commitment=second,
        summary=SUMMARY,
        completion="complete",
        publish=True,
    )
    assert made.is_published


def test_the_final_learning_exercise_tells_its_lessons(launched_plan):
    desk = launched_plan()
    with refused("Write the lessons learned, in Spanish at least.", "lessons"):
        assess(desk, FINAL, date(2028, 7, 15), summary=SUMMARY, publish=True)
    made = assess(desk, FINAL, date(2028, 7, 15), summary=SUMMARY, lessons=LESSONS, publish=True)
    assert made.published_at == moment(date(2028, 7, 15))


def test_a_published_assessment_no_longer_changes(launched_plan):
    desk = launched_plan()
    made = assess(
        desk,
        COMMITMENT,
        date(2028, 1, 10),
        commitment=desk.commitment,
        summary=SUMMARY,
        completion="limited",
        publish=True,
    )

    with refused("This assessment is published; it no longer changes."):
        assess(
            desk,
            COMMITMENT,
            date(2028, 1, 11),
            commitment=desk.commitment,
            summary={"es": "Otra cosa."},
            completion="complete",
        )
    db.session.expire_all()
    assert (made.summary, made.completion) == (SUMMARY, CompletionLevel.LIMITED)
    assert made.published_at == moment(date(2028, 1, 10))


def test_dropping_the_first_milestone_leaves_the_second_its_history(launched_plan):
    """An approved change that removes a milestone does not hand the removed one's row
    (and its updates) to the milestone that moves up."""
    desk = launched_plan()
    second = desk.milestone(2)
    second_id = second.id
    update = desk.update(date(2027, 2, 3), MilestoneStatus.IN_PROGRESS, milestone=second)

    content = commitments.content_of(desk.commitment)
    with at(date(2027, 2, 10)):
        desk.change(desk.commitment, milestones=content["milestones"][1:])
    db.session.expire_all()

    [remaining] = desk.commitment.milestones
    assert remaining.id == second_id
    assert remaining.output["en"] == "Leaks repaired"
    assert remaining.status == MilestoneStatus.IN_PROGRESS
    assert update.milestone is remaining
