"""The micro-site's pages: the tracking board and its downloads, the evidence
repository (browse, file, remove), the news of each step and the search. The home
itself is `exercises.show`, which reads `site.home`."""

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields import SelectChoice

from coplat.commitments.models import Commitment
from coplat.core.forms import show_error
from coplat.core.i18n import translated_text
from coplat.core.permissions import can, require
from coplat.core.rendering import render, see_other
from coplat.core.uploads import UploadRejected
from coplat.exercises.models import STEP_NUMBERS, Exercise
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.exercises.steps import STEP_TITLES
from coplat.extensions import db
from coplat.plan.enums import PlanStatus
from coplat.plan.models import ActionPlan
from coplat.plan.services import find_plan
from coplat.site import board_exports, bp, home, news, repository
from coplat.site.forms import EvidenceForm, evidence_types
from coplat.site.search import search as run_search
from coplat.tables.models import TableSession, WorkingTable
from coplat.tracking import rules, services
from coplat.tracking.enums import EvidenceSection, EvidenceType
from coplat.tracking.models import Evidence
from coplat.tracking.permissions import TrackingAction
from coplat.tracking.rules import Quarter

# ----- the tracking board -------------------------------------------------------------


def board_of(tracking: rules.Tracking) -> rules.Board:
    """The board once implementation started; an empty one before."""
    if tracking.plan.is_launched:
        return tracking.board
    return rules.Board(tracking.plan, tracking.today, [], [])


@bp.get("/tracking")
def board(slug: str):
    exercise = get_exercise(slug)
    plan = find_plan(exercise)
    tracking = rules.tracking(plan)
    found = board_of(tracking)
    return render(
        "site/board.html",
        exercise=exercise,
        plan=plan,
        board=found,
        implemented=plan.is_launched,
        inactivity=tracking.inactivity if plan.status == PlanStatus.LAUNCHED else None,
        meeting_year=home.year_behind(plan, found.today),
        today=found.today,
        current=Quarter.of(found.today),
        Quarter=Quarter,
    )


@bp.get("/tracking.<fmt>")
def board_download(slug: str, fmt: str):
    if fmt not in board_exports.FORMATS:
        abort(404)
    exercise = get_exercise(slug)
    return board_exports.download(board_of(rules.tracking(find_plan(exercise))), fmt)


# ----- the evidence repository ----------------------------------------------------------


def commitment_folders(exercise: Exercise, plan: ActionPlan) -> list[tuple[Commitment, int]]:
    """The plan's commitments, each with how much evidence its folder holds (one
    grouped query besides the commitments')."""
    commitments = rules.plan_commitments(plan)
    counts = dict(
        db.session.execute(
            sa.select(Evidence.commitment_id, sa.func.count())
            .where(Evidence.exercise_id == exercise.id, Evidence.commitment_id.is_not(None))
            .group_by(Evidence.commitment_id)
        ).all()
    )
    return [(c, counts.get(c.id, 0)) for c in commitments]


@bp.get("/evidence")
def evidence(slug: str):
    exercise = get_exercise(slug)
    filters = repository.Filters.from_args(request.args)
    plan = find_plan(exercise)
    return render(
        "site/evidence.html",
        "site/_evidence_results.html",
        exercise=exercise,
        filters=filters,
        results=repository.page_of(exercise, filters),
        folders=commitment_folders(exercise, plan),
        types=evidence_types(),
        sections=list(EvidenceSection),
        steps=STEP_NUMBERS,
    )


@bp.get("/evidence/commitments/<int:commitment_id>")
def commitment_evidence(slug: str, commitment_id: int):
    exercise = get_exercise(slug)
    commitment = owned_or_404(Commitment, commitment_id, exercise)
    return render(
        "site/commitment_evidence.html",
        exercise=exercise,
        commitment=commitment,
        folder=repository.folder_of(exercise, commitment),
    )


def filing_scope(exercise: Exercise, plan: ActionPlan) -> tuple[bool, list[Commitment]]:
    """Whether the user may file evidence on the process, and the commitments they may
    file evidence on (an implementer: their own). 403 when neither."""
    commitments = rules.plan_commitments(plan)
    process = can(TrackingAction.ADD_EVIDENCE, exercise)
    allowed = [c for c in commitments if can(TrackingAction.ADD_EVIDENCE, c)]
    if not (process or allowed):
        require(TrackingAction.ADD_EVIDENCE, exercise)  # answers 403, or the login page
    return process, allowed


def evidence_form(exercise: Exercise, process: bool, commitments: list[Commitment], data=None):
    """The form, with the choices this user has: the process's steps and sessions for
    the facilitator and the point of contact, the commitments (and their milestones)
    they may file on."""
    form = EvidenceForm() if data is None else EvidenceForm(formdata=None, data=data)
    form.kind.choices = evidence_types()
    empty = [SelectChoice("", "—")]
    if process:
        form.step_number.choices = empty + [
            SelectChoice(n, f"{n}. {STEP_TITLES[n]}") for n in STEP_NUMBERS
        ]
        sessions = db.session.scalars(
            sa.select(TableSession)
            .join(WorkingTable, WorkingTable.id == TableSession.table_id)
            .where(WorkingTable.exercise_id == exercise.id)
            .order_by(TableSession.starts_at.desc(), TableSession.id.desc())
            .options(selectinload(TableSession.table))
        ).all()
        form.session.choices = empty + [
            SelectChoice(
                s.id,
                f"{translated_text(s.title)} — {exercise.to_local(s.starts_at):%Y-%m-%d}",
                optgroup=translated_text(s.table.name),
            )
            for s in sessions
        ]
    else:
        form.step_number.choices = empty
        form.session.choices = empty
    form.commitment.choices = (empty if process else []) + [
        SelectChoice(c.id, translated_text(c.approved_title)) for c in commitments
    ]
    form.milestone.choices = empty + [
        SelectChoice(
            m.id, f"{n}. {translated_text(m.output)}", optgroup=translated_text(c.approved_title)
        )
        for c in commitments
        for n, m in enumerate(c.milestones, start=1)
    ]
    return form


def prefilled(commitments: list[Commitment]) -> dict:
    """What the query string attaches the evidence to (a link from a milestone, a
    session, a step's page)."""
    data = {}
    milestone_id = request.args.get("milestone", type=int)
    commitment_id = request.args.get("commitment", type=int)
    for commitment in commitments:
        for milestone in commitment.milestones:
            if milestone.id == milestone_id:
                data["milestone"], commitment_id = milestone.id, commitment.id
    if any(c.id == commitment_id for c in commitments):
        data["commitment"] = commitment_id
    if (step := request.args.get("step", type=int)) in STEP_NUMBERS:
        data["step_number"] = step
    if session_id := request.args.get("session", type=int):
        data["session"] = session_id
    if (kind := request.args.get("type", "")) in set(EvidenceType):
        data["kind"] = kind
    return data


def render_form(exercise: Exercise, form, process: bool, status: int = 200):
    return render(
        "site/evidence_form.html",
        status=status,
        exercise=exercise,
        form=form,
        process=process,
        back=back_to(exercise, form.commitment.data),
    )


def back_to(exercise: Exercise, commitment_id: int | None) -> str:
    if commitment_id:
        return url_for("site.commitment_evidence", slug=exercise.slug, commitment_id=commitment_id)
    return url_for("site.evidence", slug=exercise.slug)


@bp.route("/evidence/new", methods=["GET", "POST"])
def add_evidence(slug: str):
    exercise = get_exercise(slug)
    plan = find_plan(exercise)
    process, commitments = filing_scope(exercise, plan)
    if request.method == "GET":
        data = prefilled(commitments)
        if not process and "commitment" not in data and commitments:
            data["commitment"] = commitments[0].id
        form = evidence_form(exercise, process, commitments, data=data)
        return render_form(exercise, form, process)

    form = evidence_form(exercise, process, commitments)
    if not form.validate_on_submit():
        return render_form(exercise, form, process, status=422)
    milestones = {m.id: m for c in commitments for m in c.milestones}
    commitment = next((c for c in commitments if c.id == form.commitment.data), None)
    milestone = milestones.get(form.milestone.data)
    session = owned_or_404(TableSession, form.session.data, exercise) if form.session.data else None
    subject = commitment or (milestone.commitment if milestone else exercise)
    require(TrackingAction.ADD_EVIDENCE, subject)
    try:
        filed = services.add_evidence(
            exercise,
            current_user,
            kind=EvidenceType(form.kind.data),
            title=form.title.texts,
            description=form.description.texts,
            file=form.document.data or None,
            link=form.link.data or "",
            dated_on=form.dated_on.data,
            step_number=form.step_number.data,
            session=session,
            commitment=commitment,
            milestone=milestone,
        )
    except services.TrackingError as error:
        db.session.rollback()
        if not show_error(form, error.field, error.message):
            flash(str(error.message), "error")
        return render_form(exercise, form, process, status=422)
    except UploadRejected as error:
        db.session.rollback()
        form.document.errors = [*form.document.errors, str(error)]
        return render_form(exercise, form, process, status=422)
    db.session.commit()
    flash(_("The evidence is in the repository."), "success")
    return see_other(back_to(exercise, filed.commitment_id) + f"#evidence-{filed.id}")


@bp.post("/evidence/<int:evidence_id>/remove")
def remove_evidence(slug: str, evidence_id: int):
    exercise = get_exercise(slug)
    item = owned_or_404(Evidence, evidence_id, exercise)
    require(TrackingAction.REMOVE_EVIDENCE, item)
    back = back_to(exercise, item.commitment_id)
    services.remove_evidence(item)
    db.session.commit()
    flash(
        _("The evidence was removed from the repository; its file is no longer public."), "success"
    )
    return see_other(back)


# ----- news and search -----------------------------------------------------------------


@bp.get("/news")
def news_page(slug: str):
    exercise = get_exercise(slug)
    return render(
        "site/news.html",
        exercise=exercise,
        results=news.page_of(exercise, request.args.get("page", 1, type=int)),
    )


@bp.get("/search")
def search(slug: str):
    exercise = get_exercise(slug)
    query = request.args.get("q", "")[:200]
    return render(
        "site/search.html",
        "site/_search_results.html",
        exercise=exercise,
        query=query,
        results=run_search(exercise, query),
    )
