"""The rules of implementation tracking, free of requests. Callers commit."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from coplat.accounts.models import Role
from coplat.commitments.enums import MilestoneStatus
from coplat.commitments.models import Commitment, Milestone
from coplat.core.forms import RefusedInput
from coplat.core.models import utcnow
from coplat.core.uploads import Upload, store_upload
from coplat.exercises.models import STEP_NUMBERS, Exercise
from coplat.extensions import db
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan
from coplat.plan.services import find_plan
from coplat.tables.models import TableSession
from coplat.tracking import rules
from coplat.tracking.enums import (
    AssessmentKind,
    CommentStatus,
    CompletionLevel,
    EvidenceType,
    PotentialImpact,
)
from coplat.tracking.models import (
    Assessment,
    CommitmentRating,
    Evidence,
    MilestoneUpdate,
    ProgressComment,
    ProgressReport,
)

COMMENT_MAX_LENGTH = 2000
# The order in which a person's roles name them on the public record.
PUBLIC_ROLES = (
    Role.POINT_OF_CONTACT,
    Role.IMPLEMENTER,
    Role.FACILITATOR,
    Role.STL_MEMBER,
    Role.MONITORING,
)


class TrackingError(RefusedInput):
    pass


def public_role(user, exercise: Exercise) -> Role | None:
    roles = user.roles_in(exercise.id)
    return next((role for role in PUBLIC_ROLES if role in roles), None)


def has_spanish(value: dict | None) -> bool:
    return bool((value or {}).get("es", "").strip())


def _texts(value: dict | None) -> dict:
    return {lang: text.strip() for lang, text in (value or {}).items() if (text or "").strip()}


# ----- the launch (INAI step 5) ------------------------------------------------------


def launch(
    plan: ActionPlan,
    user,
    *,
    launched_on: date,
    place: str = "",
    link: str = "",
    notes: dict | None = None,
    now: datetime | None = None,
) -> None:
    """Record the public event that presented the plan: the plan is launched and its
    implementation starts that day."""
    now = now or utcnow()
    if plan.status == PlanStatus.DRAFT:
        raise TrackingError(_l("Submit the plan to OGP before recording its launch."))
    if plan.status != PlanStatus.SUBMITTED:
        raise TrackingError(_l("The plan's launch is already recorded."))
    exercise = plan.exercise
    if launched_on > exercise.to_local(now).date():
        raise TrackingError(
            _l("Record the launch once the event has taken place: its date is in the future."),
            field="launched_on",
        )
    if plan.submitted_at and launched_on < rules.local_day(exercise, plan.submitted_at):
        raise TrackingError(
            _l("The launch cannot come before the plan's submission."), field="launched_on"
        )
    if not (place.strip() or link.strip()):
        raise TrackingError(_l("Say where the event took place, or give its link."), field="place")
    plan.status = PlanStatus.LAUNCHED
    plan.launched_on = launched_on
    plan.launch_place = place.strip()
    plan.launch_link = link.strip()
    plan.launch_notes = _texts(notes)
    plan.launched_at = now
    plan.launched_by = user


def set_contact(plan: ActionPlan, *, institution: str, name: str, email: str, phone: str) -> None:
    """Annex 4: the responsible institution and the point of contact, for the public."""
    if not institution.strip():
        raise TrackingError(_l("Name the responsible institution."), field="institution")
    if not (email.strip() or phone.strip()):
        raise TrackingError(_l("Give an email address or a telephone number."), field="email")
    plan.contact_institution = institution.strip()
    plan.contact_name = name.strip()
    plan.contact_email = email.strip()
    plan.contact_phone = phone.strip()


# ----- progress ----------------------------------------------------------------------


def launched_plan(exercise: Exercise) -> ActionPlan:
    plan = find_plan(exercise)
    if not plan.is_launched:
        raise TrackingError(_l("Progress is recorded once the plan is launched."))
    return plan


def check_in_plan(plan: ActionPlan, commitment: Commitment) -> None:
    if commitment not in rules.plan_commitments(plan):
        raise TrackingError(_l("This commitment is not part of the launched plan."))


def update_milestone(
    milestone: Milestone,
    user,
    *,
    status: MilestoneStatus,
    progress: dict,
    now: datetime | None = None,
) -> MilestoneUpdate:
    """Record a milestone's new status with a short account of progress; the update
    keeps its date and author, and the milestone its latest status."""
    commitment = milestone.commitment
    exercise = commitment.exercise
    plan = launched_plan(exercise)
    check_in_plan(plan, commitment)
    if not has_spanish(progress):
        raise TrackingError(
            _l("Say what progress was made, in Spanish at least."), field="progress"
        )
    update = MilestoneUpdate(
        commitment=commitment,
        milestone=milestone,
        status=status,
        previous_status=milestone.status,
        progress=_texts(progress),
        author_id=user.id,
        author_role=public_role(user, exercise),
        created_at=now or utcnow(),
    )
    milestone.status = status
    db.session.add(update)
    return update


def post_report(
    commitment: Commitment,
    user,
    *,
    quarter: rules.Quarter,
    progress: dict,
    delays: dict | None = None,
    next_steps: dict | None = None,
    now: datetime | None = None,
) -> ProgressReport:
    """The point of contact's report on one commitment for one quarter of
    implementation (OGP Local §3.5.4)."""
    exercise = commitment.exercise
    plan = launched_plan(exercise)
    check_in_plan(plan, commitment)
    now = now or utcnow()
    if quarter not in rules.reportable_quarters(plan, exercise.to_local(now).date()):
        raise TrackingError(
            _l("Report on a quarter of the plan's implementation, up to the current one."),
            field="quarter",
        )
    already = db.session.scalar(
        db.select(ProgressReport.id).where(
            ProgressReport.commitment_id == commitment.id,
            ProgressReport.year == quarter.year,
            ProgressReport.quarter == quarter.number,
        )
    )
    if already:
        raise TrackingError(
            _l("This commitment already has its report for %(quarter)s.", quarter=quarter.label),
            field="quarter",
        )
    if not has_spanish(progress):
        raise TrackingError(
            _l("Describe the progress of the quarter, in Spanish at least."), field="progress"
        )
    report = ProgressReport(
        commitment=commitment,
        year=quarter.year,
        quarter=quarter.number,
        progress=_texts(progress),
        delays=_texts(delays),
        next_steps=_texts(next_steps),
        author_id=user.id,
        created_at=now,
    )
    db.session.add(report)
    return report


def comment_on(report: ProgressReport, user, body: str, now=None) -> ProgressComment:
    """A member of the public comments on reported progress; shown once moderated."""
    body = (body or "").strip()
    if not body:
        raise TrackingError(_l("Write your comment."), field="body")
    if len(body) > COMMENT_MAX_LENGTH:
        raise TrackingError(
            _l("Keep your comment under %(max)s characters.", max=COMMENT_MAX_LENGTH),
            field="body",
        )
    comment = ProgressComment(
        report=report,
        author_id=user.id,
        author_name=user.name,
        body=body,
        status=CommentStatus.PENDING,
        created_at=now or utcnow(),
    )
    db.session.add(comment)
    return comment


def moderate(comment: ProgressComment, user, *, publish: bool, note: str = "", now=None) -> None:
    if comment.status != CommentStatus.PENDING:
        raise TrackingError(_l("This comment was already moderated."))
    if not publish and not note.strip():
        raise TrackingError(_l("Say why the comment is not published."), field="note")
    comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    comment.moderation_note = note.strip()
    comment.moderated_by_id = user.id
    comment.moderated_at = now or utcnow()


# ----- the evidence repository (Annexes 4 and 5) -------------------------------------


def add_evidence(
    exercise: Exercise,
    user,
    *,
    kind: EvidenceType,
    title: dict,
    description: dict | None = None,
    upload: Upload | None = None,
    file: FileStorage | None = None,
    link: str = "",
    dated_on: date | None = None,
    step_number: int | None = None,
    session: TableSession | None = None,
    commitment: Commitment | None = None,
    milestone: Milestone | None = None,
    now: datetime | None = None,
) -> Evidence:
    """File a document or a link in the repository, attached to the process (a step
    or a session) or to a commitment or one of its milestones. A `file` just sent is
    stored only once everything else is accepted (its type may still be refused:
    `UploadRejected`)."""
    has_file = upload is not None or bool(file and file.filename)
    if not has_spanish(title):
        raise TrackingError(_l("Give the evidence a title, in Spanish at least."), field="title")
    if not has_file and not link.strip():
        raise TrackingError(_l("Attach a file or give a link."), field="link")
    if step_number is not None and step_number not in STEP_NUMBERS:
        raise TrackingError(_l("Choose one of the six steps."), field="step_number")
    if session is not None and session.exercise is not exercise:
        raise TrackingError(_l("Choose a session of this exercise."), field="session")
    if milestone is not None:
        if commitment is None:
            commitment = milestone.commitment
        if milestone.commitment is not commitment:
            raise TrackingError(_l("Choose a milestone of that commitment."), field="milestone")
    # After the milestone's commitment is known: a milestone given alone may belong to
    # another exercise.
    if commitment is not None and commitment.exercise is not exercise:
        raise TrackingError(_l("Choose a commitment of this exercise."), field="commitment")
    if upload is None and has_file:
        upload = store_upload(file, exercise=exercise, user=user)
    evidence = Evidence(
        exercise=exercise,
        kind=kind,
        title=_texts(title),
        description=_texts(description),
        upload=upload,
        link=link.strip(),
        dated_on=dated_on,
        step_number=step_number,
        session=session,
        commitment=commitment,
        milestone=milestone,
        author_id=user.id,
        author_role=public_role(user, exercise),
        created_at=now or utcnow(),
    )
    db.session.add(evidence)
    return evidence


def remove_evidence(evidence: Evidence) -> None:
    """Take a piece of evidence out of the repository; its file stops being public."""
    if evidence.upload is not None:
        evidence.upload.is_public = False
    db.session.delete(evidence)


# ----- the monitoring body's assessments (§3.5) --------------------------------------


def assessment_for(
    exercise: Exercise, kind: AssessmentKind, commitment: Commitment | None = None
) -> Assessment | None:
    about = (
        Assessment.commitment_id == commitment.id
        if commitment is not None
        else Assessment.commitment_id.is_(None)
    )
    return db.session.scalar(
        db.select(Assessment).where(
            Assessment.exercise_id == exercise.id, Assessment.kind == kind, about
        )
    )


def _check_assessable(plan: ActionPlan, kind: AssessmentKind, commitment) -> None:
    if plan.status == PlanStatus.DRAFT:
        raise TrackingError(_l("The monitoring body assesses the plan once it is submitted."))
    if (kind == AssessmentKind.COMMITMENT) != (commitment is not None):
        raise TrackingError(_l("An implementation assessment is about one commitment."))
    if commitment is not None:
        check_in_plan(plan, commitment)


def save_assessment(
    exercise: Exercise,
    user,
    kind: AssessmentKind,
    *,
    commitment: Commitment | None = None,
    values: dict,
    ratings: dict[int, dict] | None = None,
    publish: bool = False,
    now: datetime | None = None,
) -> Assessment:
    """Write (or rewrite) a draft assessment; publishing makes it public and final.
    `values` holds summary, co_creation, completion, early_results and lessons;
    `ratings`, for the initial assessment, maps each commitment's id to its relevant
    values, verifiability, potential impact and note."""
    now = now or utcnow()
    plan = find_plan(exercise)
    _check_assessable(plan, kind, commitment)
    assessment = assessment_for(exercise, kind, commitment)
    if assessment is not None and assessment.is_published:
        raise TrackingError(_l("This assessment is published; it no longer changes."))
    if assessment is None:
        assessment = Assessment(
            exercise=exercise, kind=kind, commitment=commitment, created_at=now, author_id=user.id
        )
        db.session.add(assessment)
    for name in ("summary", "co_creation", "early_results", "lessons"):
        setattr(assessment, name, _texts(values.get(name)))
    completion = values.get("completion")
    assessment.completion = CompletionLevel(completion) if completion else None
    assessment.updated_at = now
    assessment.author_id = user.id
    if kind == AssessmentKind.INITIAL:
        _rate(assessment, plan, ratings or {})
    if publish:
        _check_publishable(assessment, plan, exercise.to_local(now).date())
        assessment.published_at = now
        if kind == AssessmentKind.FINAL:
            # The final learning exercise ends the plan's cycle (INAI step 6).
            plan.status = PlanStatus.CLOSED
    return assessment


def _rate(assessment: Assessment, plan: ActionPlan, ratings: dict[int, dict]) -> None:
    """The initial assessment's ratings, one per commitment of the plan. A commitment
    rated before keeps its row, rewritten in place: a new row beside the old one would
    break the one-rating-per-commitment constraint, since rows are inserted before
    orphans are deleted."""
    commitments = {c.id: c for c in rules.plan_commitments(plan)}
    existing = {r.commitment_id: r for r in assessment.ratings}
    rows = []
    for commitment_id, rating in ratings.items():
        if commitment_id not in commitments:
            continue
        row = existing.get(commitment_id) or CommitmentRating(commitment=commitments[commitment_id])
        row.relevant_values = list(rating.get("relevant_values") or [])
        row.verifiable = bool(rating.get("verifiable"))
        row.potential_impact = PotentialImpact(rating.get("potential_impact") or "none")
        row.note = _texts(rating.get("note"))
        rows.append(row)
    assessment.ratings = rows


def _check_publishable(assessment: Assessment, plan: ActionPlan, today: date) -> None:
    if not has_spanish(assessment.summary):
        raise TrackingError(_l("Write the findings, in Spanish at least."), field="summary")
    match assessment.kind:
        case AssessmentKind.INITIAL:
            if not has_spanish(assessment.co_creation):
                raise TrackingError(
                    _l("Assess the co-creation requirements, in Spanish at least."),
                    field="co_creation",
                )
            # A rating made in this call has no commitment_id until the next flush.
            rated = {r.commitment.id for r in assessment.ratings}
            if any(c.id not in rated for c in rules.plan_commitments(plan)):
                raise TrackingError(_l("Rate every commitment of the plan before publishing."))
        case AssessmentKind.COMMITMENT:
            if assessment.completion is None:
                raise TrackingError(_l("Choose the level of completion."), field="completion")
            # §3.5.2: once the commitment is fully implemented or the plan ends.
            commitment = assessment.commitment
            finished = rules.finished_dates(plan.exercise, [commitment]).get(commitment.id)
            ends_on = rules.commitment_end(commitment, plan.exercise.plan_ends_on, finished)
            # Its planned last day is still implementation; the day it finished is not.
            early = ends_on is not None and (
                today < ends_on or (today == ends_on and finished != ends_on)
            )
            if not plan.is_launched or early:
                raise TrackingError(
                    _l(
                        "The implementation assessment follows the commitment's end"
                        " (%(day)s): keep it as a draft until then.",
                        day=ends_on.isoformat() if ends_on else "—",
                    )
                )
        case AssessmentKind.FINAL:
            plan_ends_on = plan.exercise.plan_ends_on
            if not plan.is_launched or (plan_ends_on is not None and today <= plan_ends_on):
                raise TrackingError(
                    _l(
                        "The final learning exercise follows the plan's end (%(day)s):"
                        " keep it as a draft until then.",
                        day=plan_ends_on.isoformat() if plan_ends_on else "—",
                    )
                )
            if not has_spanish(assessment.lessons):
                raise TrackingError(
                    _l("Write the lessons learned, in Spanish at least."), field="lessons"
                )
