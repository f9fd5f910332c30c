"""Plan pages. Public: the plan with its commitments and endorsements, the strategic
vision, the readiness check and the exports. The point of contact and the facilitator
edit the vision and choose the approved commitments; non-governmental actors endorse;
the point of contact submits."""

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coplat.commitments.models import Commitment
from coplat.core.forms import show_error
from coplat.core.i18n import LANGUAGES, translated_text
from coplat.core.permissions import require
from coplat.core.rendering import render, see_other
from coplat.core.uploads import UploadRejected, store_upload
from coplat.exercises.models import Actor
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.extensions import db
from coplat.plan import bp, services
from coplat.plan.document import MissingTranslation
from coplat.plan.enums import NON_GOVERNMENTAL
from coplat.plan.exports import FORMATS, PdfUnavailable, export
from coplat.plan.forms import (
    AttachmentForm,
    CommitmentChoiceForm,
    EndorseForm,
    RecordEndorsementForm,
    VisionForm,
)
from coplat.plan.models import ActionPlan, PlanAttachment
from coplat.plan.permissions import PlanAction
from coplat.plan.readiness import readiness, submit
from coplat.plan.services import PlanError
from coplat.plan.vision import SECTIONS, TEXT_KEYS


def get_plan(slug: str) -> ActionPlan:
    """The plan to show, with what its pages read (`services.with_contents`)."""
    return services.with_contents(services.find_plan(get_exercise(slug)))


def plan_to_change(slug: str, action: PlanAction) -> ActionPlan:
    """The plan, stored if it was not yet, once the user may do `action` to it."""
    exercise = get_exercise(slug)
    require(action, services.find_plan(exercise))
    return services.plan_of(exercise)


def commitment_form(plan: ActionPlan, from_request: bool = True) -> CommitmentChoiceForm:
    form = CommitmentChoiceForm() if from_request else CommitmentChoiceForm(formdata=None)
    form.commitment_id.choices = [
        (
            c.id,
            _(
                "%(title)s (revision %(number)s)",
                title=translated_text(c.approved_title),
                number=c.approved_revision.number,
            ),
        )
        for c in services.candidates(plan)
    ]
    return form


def endorsement_form(plan: ActionPlan, from_request: bool = True) -> RecordEndorsementForm:
    form = RecordEndorsementForm() if from_request else RecordEndorsementForm(formdata=None)
    form.actor_id.choices = [
        (a.id, f"{a.name} ({a.sector.label})")
        for a in plan.exercise.actors
        if a.sector in NON_GOVERNMENTAL
    ]
    return form


def render_plan(plan: ActionPlan, status: int = 200, **forms):
    forms.setdefault("commitment_form", commitment_form(plan, from_request=False))
    forms.setdefault("endorse_form", EndorseForm(formdata=None))
    forms.setdefault("record_form", endorsement_form(plan, from_request=False))
    check = readiness(plan)
    return render(
        "plan/show.html",
        status=status,
        exercise=plan.exercise,
        plan=plan,
        limit=services.limit_of(plan),
        limit_rule=services.limit_message(plan),
        endorsements=check.endorsements,
        representing=services.representing(current_user, plan.exercise),
        check=check,
        formats=FORMATS,
        languages=LANGUAGES,
        **forms,
    )


@bp.get("")
def show(slug: str):
    return render_plan(get_plan(slug))


def refused(plan: ActionPlan, error: PlanError, **forms):
    db.session.rollback()
    flash(str(error.message), "error")
    return render_plan(plan, status=409, **forms)


# ----- the commitments the plan holds -----------------------------------------------


@bp.post("/commitments")
def add_commitment(slug: str):
    plan = plan_to_change(slug, PlanAction.EDIT)
    form = commitment_form(plan)
    if not form.validate_on_submit():
        return render_plan(plan, status=422, commitment_form=form)
    commitment = owned_or_404(Commitment, form.commitment_id.data, plan.exercise)
    try:
        services.add_commitment(plan, commitment)
    except PlanError as error:
        return refused(plan, error, commitment_form=form)
    db.session.commit()
    flash(_("The commitment is now part of the plan."), "success")
    return see_other(url_for("plan.show", slug=slug))


@bp.post("/commitments/<int:commitment_id>/remove")
def remove_commitment(slug: str, commitment_id: int):
    plan = plan_to_change(slug, PlanAction.EDIT)
    commitment = owned_or_404(Commitment, commitment_id, plan.exercise)
    try:
        services.remove_commitment(plan, commitment)
    except PlanError as error:
        return refused(plan, error)
    db.session.commit()
    flash(_("The commitment left the plan; it stays approved."), "success")
    return see_other(url_for("plan.show", slug=slug))


# ----- the strategic vision (Annex 1) -----------------------------------------------


def vision_form(plan: ActionPlan, proposed: dict) -> VisionForm:
    """The saved vision; an empty field the record knows about starts with its proposal."""
    exercise = plan.exercise
    data = {key: getattr(plan, key) or {} for key in TEXT_KEYS}
    data.update(
        administration_ends=exercise.administration_ends,
        plan_starts_on=exercise.plan_starts_on,
        plan_ends_on=exercise.plan_ends_on,
        group_count=plan.group_count,
        meeting_count=plan.meeting_count,
        monitoring_contact=plan.monitoring_contact,
        consultation_link=plan.consultation_link,
    )
    for key, proposal in proposed.items():
        if data.get(key) in (None, "", {}) and proposal.value not in (None, "", {}):
            data[key] = proposal.value
    return VisionForm(formdata=None, data=data)


def render_vision(
    plan: ActionPlan,
    form: VisionForm,
    proposed: dict,
    status: int = 200,
    attachment_form: AttachmentForm | None = None,
):
    return render(
        "plan/vision.html",
        status=status,
        exercise=plan.exercise,
        plan=plan,
        form=form,
        sections=SECTIONS,
        proposed=proposed,
        attachment_form=attachment_form or AttachmentForm(formdata=None),
    )


@bp.route("/vision", methods=["GET", "POST"])
def vision(slug: str):
    if request.method == "GET":
        plan = get_plan(slug)
        proposed = services.proposals(plan)
        return render_vision(plan, vision_form(plan, proposed), proposed)
    plan = plan_to_change(slug, PlanAction.EDIT)
    proposed = services.proposals(plan)
    form = VisionForm()
    if not form.validate_on_submit():
        return render_vision(plan, form, proposed, status=422)
    try:
        changed = services.save_vision(plan, form.values(), current_user)
        # Stored only once the vision is accepted: a refused form leaves no file behind.
        letter = form.letter.data
        if letter and letter.filename:
            upload = store_upload(letter, exercise=plan.exercise, user=current_user)
            services.set_letter(plan, upload, current_user)
            changed = True
    except (PlanError, UploadRejected) as error:
        db.session.rollback()
        message = getattr(error, "message", error)
        field = getattr(error, "field", None) or (
            "letter" if isinstance(error, UploadRejected) else None
        )
        if not show_error(form, field, message):
            flash(str(message), "error")
        return render_vision(plan, form, proposed, status=422)
    db.session.commit()
    if changed:
        flash(_("The strategic vision is saved."), "success")
    else:
        flash(_("Nothing changed: the strategic vision is as it was."), "info")
    return see_other(url_for("plan.vision", slug=slug))


@bp.post("/attachments")
def add_attachment(slug: str):
    plan = plan_to_change(slug, PlanAction.EDIT)
    proposed = services.proposals(plan)
    form = AttachmentForm()
    file = form.document.data
    if not form.validate_on_submit() or not (file and file.filename):
        if not (file and file.filename):
            form.document.errors = [*form.document.errors, _("Choose the document to attach.")]
        return render_vision(plan, vision_form(plan, proposed), proposed, 422, form)
    try:
        services.check_draft(plan)
        upload = store_upload(file, exercise=plan.exercise, user=current_user)
        services.add_attachment(plan, upload, form.title.texts)
    except (PlanError, UploadRejected) as error:
        db.session.rollback()
        form.document.errors = [str(getattr(error, "message", error))]
        return render_vision(plan, vision_form(plan, proposed), proposed, 422, form)
    db.session.commit()
    flash(_("The document is attached to the plan."), "success")
    return see_other(url_for("plan.vision", slug=slug, _anchor="field-attachments"))


@bp.post("/attachments/<int:attachment_id>/delete")
def delete_attachment(slug: str, attachment_id: int):
    plan = plan_to_change(slug, PlanAction.EDIT)
    attachment = owned_or_404(PlanAttachment, attachment_id, plan.exercise)
    try:
        services.remove_attachment(plan, attachment)
    except PlanError as error:
        return refused(plan, error)
    db.session.commit()
    flash(_("The attachment was removed."), "success")
    return see_other(url_for("plan.vision", slug=slug, _anchor="field-attachments"))


# ----- endorsements -----------------------------------------------------------------


@bp.post("/endorse")
def endorse(slug: str):
    plan = plan_to_change(slug, PlanAction.ENDORSE)
    form = EndorseForm()
    if not form.validate_on_submit():
        return render_plan(plan, status=422, endorse_form=form)
    try:
        endorsement = services.endorse(plan, current_user, form.position.data or "")
    except PlanError as error:
        return refused(plan, error, endorse_form=form)
    db.session.commit()
    flash(
        _(
            "%(actor)s endorses revision %(number)s of the plan.",
            actor=endorsement.actor.name,
            number=endorsement.revision.number,
        ),
        "success",
    )
    return see_other(url_for("plan.show", slug=slug, _anchor="endorsements"))


@bp.post("/endorsements")
def record_endorsement(slug: str):
    plan = plan_to_change(slug, PlanAction.RECORD_ENDORSEMENT)
    form = endorsement_form(plan)
    file = form.document.data
    valid = form.validate_on_submit()
    if not (file and file.filename):
        form.document.errors = [*form.document.errors, _("Attach the signed endorsement.")]
        valid = False
    if not valid:
        return render_plan(plan, status=422, record_form=form)
    actor = owned_or_404(Actor, form.actor_id.data, plan.exercise)
    try:
        services.check_endorsable(plan, actor)
        document = store_upload(file, exercise=plan.exercise, user=current_user)
        endorsement = services.record_endorsement(
            plan, actor, form.representative.data, form.position.data or "", document, current_user
        )
    except UploadRejected as error:
        db.session.rollback()
        form.document.errors = [str(error)]
        return render_plan(plan, status=422, record_form=form)
    except PlanError as error:
        return refused(plan, error, record_form=form)
    db.session.commit()
    flash(
        _(
            "The endorsement of %(actor)s is recorded for revision %(number)s of the plan.",
            actor=endorsement.actor.name,
            number=endorsement.revision.number,
        ),
        "success",
    )
    return see_other(url_for("plan.show", slug=slug, _anchor="endorsements"))


# ----- readiness and submission -----------------------------------------------------


@bp.get("/readiness")
def readiness_page(slug: str):
    plan = get_plan(slug)
    return render("plan/readiness.html", exercise=plan.exercise, plan=plan, check=readiness(plan))


@bp.post("/submit")
def submit_plan(slug: str):
    plan = plan_to_change(slug, PlanAction.SUBMIT)
    try:
        submit(plan, current_user)
    except PlanError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return render(
            "plan/readiness.html",
            status=409,
            exercise=plan.exercise,
            plan=plan,
            check=readiness(plan),
        )
    db.session.commit()
    flash(
        _("The plan is recorded as submitted to OGP. Its commitments can change for six months."),
        "success",
    )
    return see_other(url_for("plan.show", slug=slug))


# ----- exports ----------------------------------------------------------------------


@bp.get("/export.<fmt>")
def download(slug: str, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    plan = get_plan(slug)
    language = request.args.get("lang", "en")
    if language not in LANGUAGES:
        abort(404)
    try:
        result = export(plan, fmt, language, mark_missing=request.args.get("mark") == "1")
    except (MissingTranslation, PdfUnavailable) as error:
        return render(
            "plan/export_refused.html",
            status=409,
            exercise=plan.exercise,
            plan=plan,
            error=error,
            fmt=fmt,
            language=language,
        )
    # The print view opens in the browser; the other formats download as files.
    disposition = "inline" if result.mimetype.startswith("text/html") else "attachment"
    return Response(
        result.data,
        mimetype=result.mimetype,
        headers={"Content-Disposition": f'{disposition}; filename="{result.filename}"'},
    )
