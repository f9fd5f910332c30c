"""Exercise pages. Each step-page section (declaration, events, …) is a fragment that
the step page includes; its form posts to its own URL and, with htmx, gets the
fragment back (422 with the typed input when invalid), without htmx a 303 or the
whole page."""

import sqlalchemy as sa
from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from coplat.accounts.models import Role, RoleAssignment
from coplat.accounts.services import find_by_email
from coplat.commitments.models import Commitment
from coplat.core.i18n import translated_text
from coplat.core.permissions import can, require, requires
from coplat.core.rendering import render, see_other
from coplat.core.uploads import UploadRejected, store_upload
from coplat.exercises import bp, steps
from coplat.exercises.enums import STL_SECTORS, ExerciseKind, Sector
from coplat.exercises.forms import (
    ActorForm,
    AgendaItemForm,
    AwarenessEventForm,
    CharterForm,
    DeclarationForm,
    ExerciseForm,
    RoleForm,
    SignatoryForm,
)
from coplat.exercises.models import (
    STEP_NUMBERS,
    Actor,
    AgendaItem,
    AttendanceCount,
    AwarenessEvent,
    Declaration,
    Exercise,
    Signatory,
    StlCharter,
)
from coplat.exercises.permissions import ExerciseAction
from coplat.exercises.services import (
    ExerciseError,
    actor_in_use,
    add_signatory,
    assign_role,
    create_exercise,
    get_exercise,
    owned_or_404,
    set_jurisdictions,
    stl_members,
)
from coplat.extensions import db, htmx
from coplat.feedback import log
from coplat.site import home

# section -> (step it belongs to, form class). The form prefix is the section name.
SECTIONS = {
    "declaration": (1, DeclarationForm),
    "signatories": (1, SignatoryForm),
    "events": (2, AwarenessEventForm),
    "actors": (2, ActorForm),
    "charter": (3, CharterForm),
    "agenda": (3, AgendaItemForm),
}
# Sections whose record freezes when their step closes; the actor list and the
# agenda keep growing during the whole exercise.
FROZEN_WHEN_CLOSED = {"declaration", "signatories", "events", "charter"}


def new_form(exercise: Exercise, section: str, from_request: bool = False):
    """A section's form, prefilled where it edits a single record; with
    `from_request`, holding what was posted."""
    form_class = SECTIONS[section][1]
    kwargs = {"prefix": section}
    if not from_request:
        kwargs["formdata"] = None
    if section == "declaration" and exercise.declaration:
        kwargs["obj"] = exercise.declaration
    if section == "charter" and exercise.stl_charter:
        kwargs["obj"] = exercise.stl_charter
        kwargs["data"] = {"rules": dict(exercise.stl_charter.rules)}
    form = form_class(**kwargs)
    if section == "signatories":
        form.actor_id.choices = [
            SelectChoice(a.id, f"{a.name} ({a.sector.label})")
            for a in exercise.actors
            if a.sector in STL_SECTORS
        ]
    return form


def step_context(exercise: Exercise, number: int, **submitted) -> dict:
    step = exercise.step(number)
    forms = {
        section: submitted.get(section) or new_form(exercise, section)
        for section, (step_number, _form) in SECTIONS.items()
        if step_number == number
    }
    return {
        "exercise": exercise,
        "step": step,
        "number": number,
        "step_status": steps.status(step),
        "requirements": steps.requirements(exercise, number),
        "forms": forms,
        "editable": {section: can_edit_section(exercise, section) for section in forms},
        "stl_members": stl_members(exercise),
        # Step 4 lists the inputs still waiting for their decision.
        "pending_inputs": log.page_of(exercise, log.Filters(decision=log.PENDING))
        if number == 4
        else None,
        "Sector": Sector,
        "STL_SECTORS": STL_SECTORS,
    }


def can_edit_section(exercise: Exercise, section: str) -> bool:
    step = exercise.step(SECTIONS[section][0])
    frozen = section in FROZEN_WHEN_CLOSED and step.is_closed
    return can(ExerciseAction.RECORD_STEP_EVIDENCE, exercise) and not frozen


def render_section(exercise: Exercise, section: str, form=None, status: int = 200, error=None):
    number = SECTIONS[section][0]
    context = step_context(exercise, number, **({section: form} if form else {}))
    return render(
        "exercises/step.html",
        f"exercises/_{section}.html",
        status=status,
        section=section,
        section_error=error,
        **context,
    )


def section_saved(exercise: Exercise, section: str):
    """After a successful change: the fresh fragment for htmx, a 303 otherwise."""
    db.session.commit()
    if htmx:
        return render_section(exercise, section)
    number = SECTIONS[section][0]
    return see_other(url_for("exercises.step", slug=exercise.slug, number=number) + f"#{section}")


def editable_section(slug: str, section: str) -> Exercise:
    exercise = get_exercise(slug)
    require(ExerciseAction.RECORD_STEP_EVIDENCE, exercise)
    if not can_edit_section(exercise, section):
        message = _("Its step is closed, so this record can no longer change.")
        if htmx:  # the section shows why, in place
            abort(render_section(exercise, section, status=409, error=message))
        abort(409)
    return exercise


def submitted(exercise: Exercise, section: str):
    form = new_form(exercise, section, from_request=True)
    return form, form.validate_on_submit()


# ----- public pages -----------------------------------------------------------


@bp.get("/e/<slug>")
def show(slug: str):
    """The exercise's public home: its open-government micro-site (OGP Local Annex 4)
    around the overview of the six steps."""
    exercise = home.load_exercise(slug)
    overview = [
        {
            "step": step,
            "step_status": steps.status(step),
            "requirements": steps.requirements(exercise, step.number),
        }
        for step in exercise.steps
    ]
    return render(
        "exercises/show.html",
        exercise=exercise,
        overview=overview,
        summaries=steps.STEP_SUMMARIES,
        stl_members=stl_members(exercise),
        **home.context(exercise),
    )


@bp.get("/e/<slug>/steps/<int:number>")
def step(slug: str, number: int):
    exercise = get_exercise(slug)
    if number not in STEP_NUMBERS:
        abort(404)
    return render(
        "exercises/step.html",
        section=None,
        summaries=steps.STEP_SUMMARIES,
        **step_context(exercise, number),
    )


@bp.post("/e/<slug>/steps/<int:number>/close")
def close_step(slug: str, number: int):
    exercise = get_exercise(slug)
    if number not in STEP_NUMBERS:
        abort(404)
    require(ExerciseAction.CLOSE_STEP, exercise)
    try:
        steps.close_step(exercise, number, current_user)
    except steps.StepError as error:
        flash(str(error.message), "error")
        context = step_context(exercise, number)
        return render(
            "exercises/step.html",
            section=None,
            summaries=steps.STEP_SUMMARIES,
            status=409,
            **context,
        )
    db.session.commit()
    flash(_("Step %(number)s is closed.", number=number), "success")
    return see_other(url_for("exercises.step", slug=slug, number=number))


# ----- step 1: declaration ----------------------------------------------------


def attach_document(form, exercise: Exercise, record) -> bool:
    """Store the form's document on the record; False (with the error on the field)
    when the file is refused."""
    file = form.document.data
    if not file or not file.filename:
        return True
    try:
        record.document = store_upload(file, exercise=exercise, user=current_user)
    except UploadRejected as error:
        form.document.errors = [*form.document.errors, str(error)]
        return False
    return True


@bp.post("/e/<slug>/declaration")
def save_declaration(slug: str):
    exercise = editable_section(slug, "declaration")
    form, valid = submitted(exercise, "declaration")
    if valid:
        declaration = exercise.declaration or Declaration(exercise=exercise)
        declaration.signed_on = form.signed_on.data
        declaration.link = (form.link.data or "").strip()
        if attach_document(form, exercise, declaration):
            db.session.add(declaration)
            return section_saved(exercise, "declaration")
        db.session.rollback()
    return render_section(exercise, "declaration", form, status=422)


@bp.post("/e/<slug>/declaration/signatories")
def add_signatory_view(slug: str):
    exercise = editable_section(slug, "signatories")
    form, valid = submitted(exercise, "signatories")
    if valid:
        actor = db.session.get(Actor, form.actor_id.data)
        if actor is None or actor.exercise_id != exercise.id:
            abort(404)
        if exercise.declaration is None:
            exercise.declaration = Declaration()
        try:
            add_signatory(
                exercise,
                actor,
                form.representative.data.strip(),
                (form.position.data or "").strip(),
            )
        except ExerciseError as error:
            form.actor_id.errors = [str(error.message)]
        else:
            return section_saved(exercise, "signatories")
    return render_section(exercise, "signatories", form, status=422)


@bp.post("/e/<slug>/declaration/signatories/<int:item_id>/delete")
def delete_signatory(slug: str, item_id: int):
    exercise = editable_section(slug, "signatories")
    signatory = owned_or_404(Signatory, item_id, exercise)
    db.session.delete(signatory)
    return section_saved(exercise, "signatories")


# ----- step 2: awareness events and actors -----------------------------------


@bp.post("/e/<slug>/events")
def add_event(slug: str):
    exercise = editable_section(slug, "events")
    form, valid = submitted(exercise, "events")
    if valid:
        event = AwarenessEvent(
            exercise=exercise,
            held_on=form.held_on.data,
            place=(form.place.data or "").strip(),
            link=(form.link.data or "").strip(),
        )
        form.title.populate_obj(event, "title")
        form.description.populate_obj(event, "description")
        event.attendance = [
            AttendanceCount(sector=Sector(sector), count=count)
            for sector, count in form.counts.data.items()
            if count
        ]
        db.session.add(event)
        return section_saved(exercise, "events")
    return render_section(exercise, "events", form, status=422)


@bp.post("/e/<slug>/events/<int:item_id>/delete")
def delete_event(slug: str, item_id: int):
    exercise = editable_section(slug, "events")
    event = owned_or_404(AwarenessEvent, item_id, exercise)
    db.session.delete(event)
    return section_saved(exercise, "events")


@bp.post("/e/<slug>/actors")
def add_actor(slug: str):
    exercise = editable_section(slug, "actors")
    form, valid = submitted(exercise, "actors")
    if valid:
        db.session.add(
            Actor(
                exercise=exercise,
                name=form.name.data.strip(),
                is_organisation=form.is_organisation.data == "1",
                sector=Sector(form.sector.data),
                contact=(form.contact.data or "").strip(),
                joined_on=form.joined_on.data,
            )
        )
        return section_saved(exercise, "actors")
    return render_section(exercise, "actors", form, status=422)


@bp.post("/e/<slug>/actors/<int:item_id>/delete")
def delete_actor(slug: str, item_id: int):
    exercise = editable_section(slug, "actors")
    actor = owned_or_404(Actor, item_id, exercise)
    if actor_in_use(actor):
        error = _(
            "%(name)s signed the declaration or holds a role, so it stays on the list.",
            name=actor.name,
        )
        return render_section(exercise, "actors", status=409, error=error)
    db.session.delete(actor)
    return section_saved(exercise, "actors")


# ----- step 3: STL ------------------------------------------------------------


@bp.post("/e/<slug>/stl/charter")
def save_charter(slug: str):
    exercise = editable_section(slug, "charter")
    form, valid = submitted(exercise, "charter")
    if valid:
        charter = exercise.stl_charter or StlCharter(exercise=exercise)
        form.rules.populate_obj(charter, "rules")
        charter.installed_on = form.installed_on.data
        if attach_document(form, exercise, charter):
            db.session.add(charter)
            return section_saved(exercise, "charter")
        db.session.rollback()
    return render_section(exercise, "charter", form, status=422)


@bp.post("/e/<slug>/stl/agenda")
def add_agenda_item(slug: str):
    exercise = editable_section(slug, "agenda")
    form, valid = submitted(exercise, "agenda")
    if valid:
        item = AgendaItem(
            exercise=exercise, starts_on=form.starts_on.data, ends_on=form.ends_on.data
        )
        form.title.populate_obj(item, "title")
        db.session.add(item)
        return section_saved(exercise, "agenda")
    return render_section(exercise, "agenda", form, status=422)


@bp.post("/e/<slug>/stl/agenda/<int:item_id>/delete")
def delete_agenda_item(slug: str, item_id: int):
    exercise = editable_section(slug, "agenda")
    item = owned_or_404(AgendaItem, item_id, exercise)
    db.session.delete(item)
    return section_saved(exercise, "agenda")


# ----- administration: exercises and roles -----------------------------------


def exercise_fields(form: ExerciseForm) -> dict:
    return {
        "name": form.name.texts,
        "description": form.description.texts,
        "kind": ExerciseKind(form.kind.data),
        "administration_ends": form.administration_ends.data,
        "plan_starts_on": form.plan_starts_on.data,
        "plan_ends_on": form.plan_ends_on.data,
        "timezone": form.timezone.data,
        "content_languages": ",".join(form.content_languages.data),
    }


def jurisdictions_of(form: ExerciseForm) -> list[tuple[str, str]]:
    return [
        (entry.form.name.data.strip(), (entry.form.state.data or "").strip())
        for entry in form.jurisdictions
        if (entry.form.name.data or "").strip()
    ]


@bp.route("/exercises/new", methods=["GET", "POST"])
@requires(ExerciseAction.CREATE)
def create():
    form = ExerciseForm()
    if form.validate_on_submit():
        try:
            exercise = create_exercise(
                slug=form.slug.data, jurisdictions=jurisdictions_of(form), **exercise_fields(form)
            )
        except ExerciseError as error:
            form.slug.errors = [str(error.message)]
        else:
            db.session.commit()
            flash(_("The exercise was created. Now assign its roles."), "success")
            return see_other(url_for("exercises.roles", slug=exercise.slug))
    return render(
        "exercises/form.html", form=form, exercise=None, status=422 if form.errors else 200
    )


@bp.route("/e/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str):
    exercise = get_exercise(slug)
    require(ExerciseAction.EDIT, exercise)
    data = {
        "name": dict(exercise.name),
        "description": dict(exercise.description or {}),
        "content_languages": exercise.languages,
        "jurisdictions": [{"name": j.name, "state": j.state} for j in exercise.jurisdictions],
    }
    form = ExerciseForm(obj=exercise, data=data)
    form.slug.render_kw = {"readonly": True}
    if form.validate_on_submit():
        fields = exercise_fields(form)
        for name, value in fields.items():
            setattr(exercise, name, value)
        set_jurisdictions(exercise, jurisdictions_of(form))
        db.session.commit()
        flash(_("The exercise was saved."), "success")
        return see_other(url_for("exercises.show", slug=slug))
    form.slug.data = exercise.slug
    return render(
        "exercises/form.html", form=form, exercise=exercise, status=422 if form.errors else 200
    )


def role_form(exercise: Exercise, from_request: bool = True) -> RoleForm:
    form = RoleForm(prefix="role") if from_request else RoleForm(prefix="role", formdata=None)
    form.actor_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(a.id, f"{a.name} ({a.sector.label})") for a in exercise.actors
    ]
    form.commitment_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(c.id, translated_text(c.title))
        for c in db.session.scalars(
            sa.select(Commitment)
            .where(Commitment.exercise_id == exercise.id)
            .order_by(Commitment.id)
        )
    ]
    return form


def render_roles(exercise: Exercise, form: RoleForm, status: int = 200):
    assignments = db.session.scalars(
        sa.select(RoleAssignment)
        .where(RoleAssignment.exercise_id == exercise.id)
        .order_by(RoleAssignment.role, RoleAssignment.sector, RoleAssignment.id)
    ).all()
    return render(
        "exercises/roles.html",
        "exercises/_roles.html",
        status=status,
        exercise=exercise,
        form=form,
        assignments=assignments,
    )


@bp.route("/e/<slug>/roles", methods=["GET", "POST"])
def roles(slug: str):
    exercise = get_exercise(slug)
    require(ExerciseAction.MANAGE_ROLES, exercise)
    form = role_form(exercise)
    if form.validate_on_submit():
        user = find_by_email(form.email.data)
        actor = db.session.get(Actor, form.actor_id.data) if form.actor_id.data else None
        commitment = None
        if form.commitment_id.data and form.role.data == Role.IMPLEMENTER:
            commitment = owned_or_404(Commitment, form.commitment_id.data, exercise)
        if user is None:
            form.email.errors = [_("No account has this email. Ask the person to register first.")]
        elif actor is not None and actor.exercise_id != exercise.id:
            abort(404)
        else:
            try:
                assign_role(
                    exercise,
                    user,
                    Role(form.role.data),
                    sector=Sector(form.sector.data) if form.sector.data else None,
                    seat=form.seat.data or None,
                    actor=actor,
                    commitment=commitment,
                )
            except ExerciseError as error:
                form.role.errors = [str(error.message)]
            else:
                db.session.commit()
                if htmx:
                    return render_roles(exercise, role_form(exercise, from_request=False))
                flash(
                    _("%(name)s is now %(role)s.", name=user.name, role=Role(form.role.data).label),
                    "success",
                )
                return see_other(url_for("exercises.roles", slug=slug))
    return render_roles(exercise, form, status=422 if form.errors else 200)


@bp.post("/e/<slug>/roles/<int:item_id>/delete")
def delete_role(slug: str, item_id: int):
    exercise = get_exercise(slug)
    require(ExerciseAction.MANAGE_ROLES, exercise)
    assignment = owned_or_404(RoleAssignment, item_id, exercise)
    db.session.delete(assignment)
    db.session.commit()
    if htmx:
        return render_roles(exercise, role_form(exercise, from_request=False))
    return see_other(url_for("exercises.roles", slug=slug))
