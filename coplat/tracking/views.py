"""Tracking pages. Public: the launch record, the contact details, each commitment's
progress (milestones with their history, quarterly reports), a report with its
published comments, the monitoring body's deadlines and published assessments.
The point of contact and the facilitator record the launch and the contact details;
implementers (for their commitment) and the point of contact update milestones; the
point of contact reports every quarter; accounts comment and the facilitator
moderates; the monitoring body writes the assessments."""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms.fields import SelectChoice

from coplat.commitments.enums import MilestoneStatus, OgpValue
from coplat.commitments.models import Commitment, Milestone
from coplat.core.forms import show_error
from coplat.core.permissions import can, require
from coplat.core.rendering import render, see_other
from coplat.core.uploads import UploadRejected
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.extensions import db, htmx
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan
from coplat.plan.services import find_plan, plan_of
from coplat.tracking import bp, rules, services
from coplat.tracking.enums import AssessmentKind, CommentStatus, EvidenceType
from coplat.tracking.forms import (
    AssessmentForm,
    CommentForm,
    ContactForm,
    LaunchForm,
    MilestoneUpdateForm,
    ModerationForm,
    RatingForm,
    ReportForm,
)
from coplat.tracking.models import (
    Assessment,
    Evidence,
    MilestoneUpdate,
    ProgressComment,
    ProgressReport,
)
from coplat.tracking.permissions import TrackingAction
from coplat.tracking.services import TrackingError


def ogp_label(value: str) -> str:
    try:
        return OgpValue(value).label
    except ValueError:
        return value


def get_plan(slug: str) -> ActionPlan:
    return find_plan(get_exercise(slug))


def refusal(form, error: TrackingError) -> str | None:
    """Roll back and put the service's message beside its field; the message to show
    above the form when it concerns no field."""
    db.session.rollback()
    message = getattr(error, "message", error)
    if show_error(form, getattr(error, "field", None), message):
        return None
    return str(message)


def in_plan_or_404(plan: ActionPlan, commitment: Commitment) -> None:
    if commitment not in rules.plan_commitments(plan):
        abort(404)


# ----- the launch (INAI step 5) ------------------------------------------------------


def launch_title(exercise, day) -> dict:
    """The launch evidence's title, in each content language (Spanish always)."""
    titles = {}
    for language in dict.fromkeys(["es", *exercise.languages]):
        with force_locale(language):
            titles[language] = _(
                "Launch event of the action plan, %(day)s", day=format_date(day, "long")
            )
    return titles


def render_launch(plan: ActionPlan, form: LaunchForm, status: int = 200, problem=None):
    evidence = []
    if plan.id is not None and plan.launched_on is not None:
        evidence = db.session.scalars(
            sa.select(Evidence)
            .where(Evidence.exercise_id == plan.exercise_id, Evidence.step_number == 5)
            .order_by(Evidence.created_at, Evidence.id)
            .options(selectinload(Evidence.upload))
        ).all()
    return render(
        "tracking/launch.html",
        status=status,
        exercise=plan.exercise,
        plan=plan,
        form=form,
        problem=problem,
        evidence=evidence,
    )


@bp.route("/plan/launch", methods=["GET", "POST"])
def launch(slug: str):
    plan = get_plan(slug)
    if request.method == "GET":
        return render_launch(plan, LaunchForm(formdata=None))
    require(TrackingAction.LAUNCH, plan)
    form = LaunchForm()
    if not form.validate_on_submit():
        return render_launch(plan, form, 422)
    exercise = plan.exercise
    try:
        services.launch(
            plan,
            current_user,
            launched_on=form.launched_on.data,
            place=form.place.data or "",
            link=form.link.data or "",
            notes=form.notes.texts,
        )
        # Stored only once the launch is accepted: a refused form leaves no file behind.
        file = form.evidence.data
        if file and file.filename:
            services.add_evidence(
                exercise,
                current_user,
                kind=EvidenceType(form.evidence_kind.data),
                title=launch_title(exercise, plan.launched_on),
                file=file,
                dated_on=plan.launched_on,
                step_number=5,
            )
    except UploadRejected as error:
        db.session.rollback()
        form.evidence.errors = [*form.evidence.errors, str(error)]
        return render_launch(plan, form, 422)
    except TrackingError as error:
        return render_launch(plan, form, 422, problem=refusal(form, error))
    db.session.commit()
    flash(
        _(
            "The launch is recorded: implementation started on %(day)s.",
            day=format_date(plan.launched_on, "long"),
        ),
        "success",
    )
    return see_other(url_for("tracking.launch", slug=slug))


# ----- the public contact details (Annex 4) ------------------------------------------


def render_contact(plan: ActionPlan, form: ContactForm, status: int = 200, problem=None):
    return render(
        "tracking/contact.html",
        status=status,
        exercise=plan.exercise,
        plan=plan,
        form=form,
        problem=problem,
    )


@bp.route("/site/contact", methods=["GET", "POST"])
def contact(slug: str):
    plan = get_plan(slug)
    if request.method == "GET":
        data = {
            "institution": plan.contact_institution,
            "name": plan.contact_name,
            "email": plan.contact_email,
            "phone": plan.contact_phone,
        }
        return render_contact(plan, ContactForm(formdata=None, data=data))
    require(TrackingAction.SET_CONTACT, plan)
    form = ContactForm()
    if not form.validate_on_submit():
        return render_contact(plan, form, 422)
    plan = plan_of(plan.exercise)
    try:
        services.set_contact(
            plan,
            institution=form.institution.data or "",
            name=form.name.data or "",
            email=form.email.data or "",
            phone=form.phone.data or "",
        )
    except TrackingError as error:
        return render_contact(plan, form, 422, problem=refusal(form, error))
    db.session.commit()
    flash(_("The contact details are saved; the public site shows them."), "success")
    return see_other(url_for("tracking.contact", slug=slug))


# ----- one commitment's progress -----------------------------------------------------


def milestone_form(milestone: Milestone, from_request: bool = False) -> MilestoneUpdateForm:
    prefix = f"milestone-{milestone.id}"
    if from_request:
        return MilestoneUpdateForm(prefix=prefix)
    return MilestoneUpdateForm(
        prefix=prefix, formdata=None, data={"status": milestone.status.value}
    )


def commitment_context(plan: ActionPlan, commitment: Commitment, forms=None) -> dict:
    exercise = plan.exercise
    today = rules.today_of(exercise)
    launched = plan.is_launched
    row = window = None
    if launched:
        board = rules.board(plan, today)
        row = next((r for r in board.rows if r.commitment.id == commitment.id), None)
        window = rules.quiet_quarters(plan, today)
    updates = db.session.scalars(
        sa.select(MilestoneUpdate)
        .where(MilestoneUpdate.commitment_id == commitment.id)
        .order_by(MilestoneUpdate.created_at.desc(), MilestoneUpdate.id.desc())
    ).all()
    history = defaultdict(list)
    for update in updates:
        history[update.milestone_id].append(update)
    reports = db.session.scalars(
        sa.select(ProgressReport)
        .where(ProgressReport.commitment_id == commitment.id)
        .order_by(ProgressReport.year.desc(), ProgressReport.quarter.desc())
        .options(selectinload(ProgressReport.comments))
    ).all()
    forms = forms or {}
    may_update = launched and can(TrackingAction.UPDATE_MILESTONE, commitment)
    return {
        "exercise": exercise,
        "plan": plan,
        "commitment": commitment,
        "title": commitment.approved_title,
        "launched": launched,
        "today": today,
        "row": row,
        "overall": rules.overall_status(commitment.milestones),
        "complete": sum(m.status == MilestoneStatus.COMPLETE for m in commitment.milestones),
        "window": window,
        "milestones": commitment.milestones,
        "history": history,
        "dropped": history.get(None, []),
        "reports": reports,
        "quarter_of": lambda report: rules.Quarter(report.year, report.quarter),
        "is_overdue": rules.is_overdue,
        "may_update": may_update,
        "forms": {m.id: forms.get(m.id) or milestone_form(m) for m in commitment.milestones}
        if may_update
        else {},
    }


def get_tracked(slug: str, commitment_id: int) -> tuple[ActionPlan, Commitment]:
    """The plan and one of its commitments; a commitment outside the plan is 404."""
    exercise = get_exercise(slug)
    commitment = owned_or_404(Commitment, commitment_id, exercise)
    plan = find_plan(exercise)
    in_plan_or_404(plan, commitment)
    return plan, commitment


@bp.get("/tracking/commitments/<int:commitment_id>")
def commitment(slug: str, commitment_id: int):
    plan, item = get_tracked(slug, commitment_id)
    return render("tracking/commitment.html", **commitment_context(plan, item))


@bp.post("/tracking/milestones/<int:milestone_id>")
def update_milestone(slug: str, milestone_id: int):
    exercise = get_exercise(slug)
    milestone = db.get_or_404(Milestone, milestone_id)
    item = milestone.commitment
    if item.exercise_id != exercise.id:
        abort(404)
    require(TrackingAction.UPDATE_MILESTONE, item)
    plan = find_plan(exercise)
    in_plan_or_404(plan, item)
    form = milestone_form(milestone, from_request=True)
    problem = None
    if form.validate_on_submit():
        try:
            services.update_milestone(
                milestone,
                current_user,
                status=MilestoneStatus(form.status.data),
                progress=form.progress.texts,
            )
        except TrackingError as error:
            problem = refusal(form, error)
        else:
            db.session.commit()
            message = _(
                "The milestone is now “%(status)s”; the update is public.",
                status=milestone.status.label,
            )
            if htmx:
                context = commitment_context(plan, item)
                return render(
                    "tracking/commitment.html",
                    "tracking/_milestone.html",
                    m=milestone,
                    saved=message,
                    oob=True,
                    **context,
                )
            flash(message, "success")
            return see_other(
                url_for(
                    "tracking.commitment",
                    slug=slug,
                    commitment_id=item.id,
                    _anchor=f"milestone-{milestone.id}",
                )
            )
    context = commitment_context(plan, item, {milestone.id: form})
    return render(
        "tracking/commitment.html",
        "tracking/_milestone.html",
        status=422,
        m=milestone,
        problem=problem,
        problem_for=milestone.id,
        **context,
    )


# ----- quarterly progress reports ----------------------------------------------------


def parse_quarter(value: str | None) -> rules.Quarter | None:
    year, _sep, number = (value or "").partition("-")
    try:
        quarter = rules.Quarter(int(year), int(number))
    except ValueError:
        return None
    return quarter if 1 <= quarter.number <= 4 else None


def quarter_value(quarter: rules.Quarter) -> str:
    return f"{quarter.year}-{quarter.number}"


def open_quarters(plan: ActionPlan, commitment: Commitment) -> list[rules.Quarter]:
    """The quarters still without this commitment's report, newest first."""
    if not plan.is_launched:
        return []
    reported = {
        rules.Quarter(year, number)
        for year, number in db.session.execute(
            sa.select(ProgressReport.year, ProgressReport.quarter).where(
                ProgressReport.commitment_id == commitment.id
            )
        )
    }
    reportable = rules.reportable_quarters(plan, rules.today_of(plan.exercise))
    return [q for q in reversed(reportable) if q not in reported]


def report_form(plan, commitment, from_request: bool = False) -> ReportForm:
    form = ReportForm() if from_request else ReportForm(formdata=None)
    form.quarter.choices = [
        SelectChoice(quarter_value(q), q.label) for q in open_quarters(plan, commitment)
    ]
    return form


def render_new_report(plan, commitment, form, status=200, problem=None):
    return render(
        "tracking/new_report.html",
        status=status,
        exercise=plan.exercise,
        plan=plan,
        commitment=commitment,
        title=commitment.approved_title,
        launched=plan.is_launched,
        form=form,
        problem=problem,
    )


@bp.route("/tracking/commitments/<int:commitment_id>/reports/new", methods=["GET", "POST"])
def new_report(slug: str, commitment_id: int):
    exercise = get_exercise(slug)
    item = owned_or_404(Commitment, commitment_id, exercise)
    require(TrackingAction.REPORT_PROGRESS, item)
    plan = find_plan(exercise)
    in_plan_or_404(plan, item)
    if request.method == "GET":
        return render_new_report(plan, item, report_form(plan, item))
    form = report_form(plan, item, from_request=True)
    if not form.validate_on_submit():
        return render_new_report(plan, item, form, 422)
    quarter = parse_quarter(form.quarter.data)
    if quarter is None:
        form.quarter.errors = [*form.quarter.errors, _("Choose the quarter the report covers.")]
        return render_new_report(plan, item, form, 422)
    try:
        report = services.post_report(
            item,
            current_user,
            quarter=quarter,
            progress=form.progress.texts,
            delays=form.delays.texts,
            next_steps=form.next_steps.texts,
        )
    except TrackingError as error:
        return render_new_report(plan, item, form, 422, problem=refusal(form, error))
    try:
        db.session.commit()
    except IntegrityError:
        # Someone posted the same quarter's report a moment before.
        db.session.rollback()
        form.quarter.errors = [
            *form.quarter.errors,
            _("This commitment already has its report for %(quarter)s.", quarter=quarter.label),
        ]
        return render_new_report(plan, item, form, 422)
    flash(
        _("The report for %(quarter)s is published.", quarter=quarter.label),
        "success",
    )
    return see_other(url_for("tracking.report", slug=slug, report_id=report.id))


def comments_context(report: ProgressReport, form: CommentForm | None = None) -> dict:
    mine = []
    if current_user.is_authenticated:
        mine = [
            c
            for c in report.comments
            if c.author_id == current_user.id and c.status != CommentStatus.PUBLISHED
        ]
    return {
        "report": report,
        "published": report.published_comments,
        "mine": mine,
        "comment_form": form or CommentForm(formdata=None),
    }


def render_report(report: ProgressReport, form=None, status=200, problem=None, saved=None):
    commitment = report.commitment
    return render(
        "tracking/report.html",
        "tracking/_comments.html",
        status=status,
        exercise=commitment.exercise,
        commitment=commitment,
        title=commitment.approved_title,
        quarter=rules.Quarter(report.year, report.quarter),
        problem=problem,
        saved=saved,
        **comments_context(report, form),
    )


@bp.get("/tracking/reports/<int:report_id>")
def report(slug: str, report_id: int):
    return render_report(owned_or_404(ProgressReport, report_id, get_exercise(slug)))


@bp.post("/tracking/reports/<int:report_id>/comments")
def comment(slug: str, report_id: int):
    item = owned_or_404(ProgressReport, report_id, get_exercise(slug))
    require(TrackingAction.COMMENT, item)
    form = CommentForm()
    if not form.validate_on_submit():
        return render_report(item, form, 422)
    try:
        services.comment_on(item, current_user, form.body.data)
    except TrackingError as error:
        return render_report(item, form, 422, problem=refusal(form, error))
    db.session.commit()
    message = _("Thank you. Your comment appears once the facilitator publishes it.")
    if htmx:
        return render_report(item, saved=message)
    flash(message, "success")
    return see_other(url_for("tracking.report", slug=slug, report_id=item.id, _anchor="comments"))


# ----- moderation of the comments ----------------------------------------------------


def moderation_form(comment: ProgressComment, from_request: bool = False) -> ModerationForm:
    prefix = f"comment-{comment.id}"
    return (
        ModerationForm(prefix=prefix)
        if from_request
        else ModerationForm(prefix=prefix, formdata=None)
    )


def pending_comments(exercise) -> list[ProgressComment]:
    return db.session.scalars(
        sa.select(ProgressComment)
        .join(ProgressReport, ProgressReport.id == ProgressComment.report_id)
        .join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .where(
            Commitment.exercise_id == exercise.id,
            ProgressComment.status == CommentStatus.PENDING,
        )
        .order_by(ProgressComment.created_at, ProgressComment.id)
        .options(selectinload(ProgressComment.report).selectinload(ProgressReport.commitment))
    ).all()


def card_context(comment: ProgressComment, form=None, problem=None) -> dict:
    report = comment.report
    return {
        "comment": comment,
        "form": form or moderation_form(comment),
        "problem": problem,
        "report_quarter": rules.Quarter(report.year, report.quarter),
        "report_title": report.commitment.approved_title,
    }


def render_moderation(exercise, forms=None, status=200):
    forms = forms or {}
    cards = [card_context(c, *forms.get(c.id, (None, None))) for c in pending_comments(exercise)]
    return render("tracking/moderation.html", status=status, exercise=exercise, cards=cards)


@bp.get("/tracking/comments")
def moderation(slug: str):
    exercise = get_exercise(slug)
    require(TrackingAction.MODERATE, exercise)
    return render_moderation(exercise)


@bp.post("/tracking/comments/<int:comment_id>")
def moderate(slug: str, comment_id: int):
    exercise = get_exercise(slug)
    item = owned_or_404(ProgressComment, comment_id, exercise)
    require(TrackingAction.MODERATE, item)
    form = moderation_form(item, from_request=True)
    publish = request.form.get("decision") == "publish"
    problem = None
    if form.validate_on_submit():
        try:
            services.moderate(item, current_user, publish=publish, note=form.note.data or "")
        except TrackingError as error:
            problem = refusal(form, error)
        else:
            db.session.commit()
            message = (
                _("The comment is published.")
                if publish
                else _("The comment is not published; its author can read why.")
            )
            if htmx:
                return render(
                    "tracking/moderation.html",
                    "tracking/_comment_card.html",
                    exercise=exercise,
                    cards=[],
                    card=card_context(item),
                    saved=message,
                )
            flash(message, "success")
            return see_other(url_for("tracking.moderation", slug=slug))
    if htmx:
        return render(
            "tracking/moderation.html",
            "tracking/_comment_card.html",
            status=422,
            exercise=exercise,
            cards=[],
            card=card_context(item, form, problem),
        )
    if item.status != CommentStatus.PENDING:
        # Moderated meanwhile (by someone else): it left the queue; say why it is gone.
        flash(str(problem), "error")
        return see_other(url_for("tracking.moderation", slug=slug))
    return render_moderation(exercise, {item.id: (form, problem)}, status=422)


# ----- the monitoring body's assessments (§3.5) --------------------------------------


@dataclass
class DeadlineRow:
    deadline: rules.Deadline
    # published, draft, no_date, late, due
    state: str
    title: dict | None

    @property
    def assessment(self) -> Assessment | None:
        return self.deadline.assessment


def deadline_rows(plan: ActionPlan, may_assess: bool) -> list[DeadlineRow]:
    rows = []
    for deadline in rules.deadlines(plan):
        if deadline.published_on:
            state = "published"
        elif deadline.assessment is not None and may_assess:
            state = "draft"
        elif deadline.due_on is None:
            state = "no_date"
        elif deadline.late:
            state = "late"
        else:
            state = "due"
        title = deadline.commitment.approved_title if deadline.commitment else None
        rows.append(DeadlineRow(deadline, state, title))
    return rows


@bp.get("/assessments")
def assessments(slug: str):
    exercise = get_exercise(slug)
    plan = find_plan(exercise)
    may_assess = can(TrackingAction.ASSESS, exercise)
    rows = deadline_rows(plan, may_assess) if plan.status != PlanStatus.DRAFT else []
    return render(
        "tracking/assessments.html",
        exercise=exercise,
        plan=plan,
        rows=rows,
        may_assess=may_assess,
        late=sum(row.deadline.late and row.state != "published" for row in rows),
        today=rules.today_of(exercise),
    )


def assessment_data(assessment: Assessment | None) -> dict:
    if assessment is None:
        return {}
    return {
        "summary": dict(assessment.summary or {}),
        "co_creation": dict(assessment.co_creation or {}),
        "completion": assessment.completion.value if assessment.completion else "",
        "early_results": dict(assessment.early_results or {}),
        "lessons": dict(assessment.lessons or {}),
    }


def rating_forms(assessment, commitments, from_request: bool) -> dict[int, RatingForm]:
    saved = {r.commitment_id: r for r in assessment.ratings} if assessment else {}
    forms = {}
    for item in commitments:
        prefix = f"rating-{item.id}"
        if from_request:
            forms[item.id] = RatingForm(request.form, prefix=prefix)
            continue
        rating = saved.get(item.id)
        data = (
            {
                "relevant_values": list(rating.relevant_values or []),
                "verifiable": rating.verifiable,
                "potential_impact": rating.potential_impact.value,
                "note": dict(rating.note or {}),
            }
            if rating
            else {}
        )
        forms[item.id] = RatingForm(prefix=prefix, data=data)
    return forms


def deadline_of(plan, kind, commitment) -> rules.Deadline | None:
    return next(
        (
            d
            for d in rules.deadlines(plan)
            if d.kind == kind
            and (d.commitment.id if d.commitment else None)
            == (commitment.id if commitment else None)
        ),
        None,
    )


def render_assess(plan, kind, commitment, assessment, form, ratings, status=200, problem=None):
    commitments = rules.plan_commitments(plan) if kind == AssessmentKind.INITIAL else []
    if assessment is not None and assessment.is_published:
        # Read-only: the stored ratings, not the forms.
        saved = {r.commitment_id: r for r in assessment.ratings}
        rated = [(c, c.approved_title, saved.get(c.id)) for c in commitments]
    else:
        rated = [(c, c.approved_title, ratings[c.id]) for c in commitments]
    return render(
        "tracking/assess.html",
        status=status,
        exercise=plan.exercise,
        plan=plan,
        kind=kind,
        commitment=commitment,
        title=commitment.approved_title if commitment else None,
        assessment=assessment,
        deadline=deadline_of(plan, kind, commitment) if plan.status != PlanStatus.DRAFT else None,
        form=form,
        rated=rated,
        ogp_label=ogp_label,
        problem=problem,
    )


@bp.route("/assessments/<kind>", methods=["GET", "POST"])
@bp.route("/assessments/<kind>/<int:commitment_id>", methods=["GET", "POST"])
def assess(slug: str, kind: str, commitment_id: int | None = None):
    exercise = get_exercise(slug)
    try:
        kind = AssessmentKind(kind)
    except ValueError:
        abort(404)
    if (kind == AssessmentKind.COMMITMENT) != (commitment_id is not None):
        abort(404)
    require(TrackingAction.ASSESS, exercise)
    plan = find_plan(exercise)
    about = None
    if commitment_id is not None:
        about = owned_or_404(Commitment, commitment_id, exercise)
        in_plan_or_404(plan, about)
    assessment = services.assessment_for(exercise, kind, about)
    commitments = rules.plan_commitments(plan) if kind == AssessmentKind.INITIAL else []
    if request.method == "GET":
        form = AssessmentForm(formdata=None, data=assessment_data(assessment))
        ratings = rating_forms(assessment, commitments, from_request=False)
        return render_assess(plan, kind, about, assessment, form, ratings)
    form = AssessmentForm()
    ratings = rating_forms(assessment, commitments, from_request=True)
    valid = form.validate_on_submit()
    for rating in ratings.values():
        valid = rating.validate() and valid
        if rating.started() and not rating.potential_impact.data:
            rating.potential_impact.errors = [
                *rating.potential_impact.errors,
                _("Choose the potential impact of this commitment."),
            ]
            valid = False
    if not valid:
        return render_assess(plan, kind, about, assessment, form, ratings, 422)
    publish = request.form.get("publish") == "1"
    try:
        saved = services.save_assessment(
            exercise,
            current_user,
            kind,
            commitment=about,
            values={
                "summary": form.summary.texts,
                "co_creation": form.co_creation.texts,
                "completion": form.completion.data or None,
                "early_results": form.early_results.texts,
                "lessons": form.lessons.texts,
            },
            ratings={cid: rating.rating() for cid, rating in ratings.items() if rating.rating()},
            publish=publish,
        )
    except TrackingError as error:
        problem = refusal(form, error)
        assessment = services.assessment_for(exercise, kind, about)
        return render_assess(plan, kind, about, assessment, form, ratings, 422, problem)
    db.session.commit()
    if publish:
        flash(_("The assessment is published."), "success")
        return see_other(url_for("tracking.assessment", slug=slug, assessment_id=saved.id))
    flash(
        _("The draft is saved. Only the monitoring body sees it until it is published."), "success"
    )
    return see_other(request.path)


@bp.get("/assessments/<int:assessment_id>")
def assessment(slug: str, assessment_id: int):
    exercise = get_exercise(slug)
    item = owned_or_404(Assessment, assessment_id, exercise)
    if not item.is_published and not can(TrackingAction.ASSESS, item):
        abort(404)
    plan = find_plan(exercise)
    ratings = {r.commitment_id: r for r in item.ratings}
    return render(
        "tracking/assessment.html",
        exercise=exercise,
        plan=plan,
        assessment=item,
        title=item.commitment.approved_title if item.commitment else None,
        deadline=deadline_of(plan, item.kind, item.commitment),
        rated=[
            (c, c.approved_title, ratings.get(c.id))
            for c in rules.plan_commitments(plan)
            if item.kind == AssessmentKind.INITIAL
        ],
        ogp_label=ogp_label,
    )
