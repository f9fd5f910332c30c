"""Working-table pages. Public: the tables, each table with its sessions, tree and
proposals, a session's minutes and attendance, the tree as SVG. Staff: opening tables,
sessions, invitations and attendance, minutes and evidence, building the tree with the
room, entering proposals and deciding on them. Citizens: proposing online."""

import sqlalchemy as sa
from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload
from wtforms.fields import SelectChoice

from coplat.core.i18n import current_language, translated_text
from coplat.core.permissions import can, require
from coplat.core.rendering import render, see_other
from coplat.core.uploads import UploadRejected, store_upload
from coplat.exercises.enums import Sector
from coplat.exercises.models import Actor
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.extensions import db, htmx
from coplat.feedback import services as feedback
from coplat.tables import bp, services
from coplat.tables.diagram import DiagramLabels, DiagramNode, draw_tree
from coplat.tables.enums import AttachmentKind, NodeKind, SessionKind
from coplat.tables.forms import (
    AttachmentForm,
    MinutesForm,
    NodeForm,
    OpenTableForm,
    PersonForm,
    ProposalForm,
    RejectProposalForm,
    SessionForm,
    StaffProposalForm,
    TableForm,
)
from coplat.tables.models import (
    Attendance,
    Invitation,
    Proposal,
    SessionAttachment,
    TableSession,
    TreeNode,
    WorkingTable,
)
from coplat.tables.permissions import TableAction
from coplat.tables.services import TableError


def get_table(slug: str, table_id: int) -> WorkingTable:
    return owned_or_404(WorkingTable, table_id, get_exercise(slug))


def part_of(table: WorkingTable, model, item_id: int):
    """A session, node or proposal of this table; anything else is 404."""
    item = db.get_or_404(model, item_id)
    if item.table_id != table.id:
        abort(404)
    return item


def choices_of(items, text) -> list[SelectChoice]:
    return [SelectChoice(item.id, text(item)) for item in items]


# ----- the list of tables ---------------------------------------------------------


def open_table_form(exercise, from_request=False) -> OpenTableForm:
    form = OpenTableForm() if from_request else OpenTableForm(formdata=None)
    form.topic.choices = choices_of(
        services.topics_without_table(exercise), lambda t: translated_text(t.title)
    )
    form.facilitator.choices = [SelectChoice(0, _("Choose later"))] + choices_of(
        services.facilitators_of(exercise), lambda u: u.name
    )
    return form


@bp.get("")
def index(slug: str):
    exercise = get_exercise(slug)
    return render_index(exercise)


def render_index(exercise, form=None, status=200):
    tables = services.tables_of(exercise)
    return render(
        "tables/index.html",
        status=status,
        exercise=exercise,
        tables=tables,
        figures=services.table_figures(exercise),
        upcoming=services.upcoming_sessions(exercise),
        form=form or open_table_form(exercise),
    )


@bp.post("")
def open_table(slug: str):
    exercise = get_exercise(slug)
    require(TableAction.MANAGE, exercise)
    form = open_table_form(exercise, from_request=True)
    if form.validate_on_submit():
        topic = next(t for t in services.topics_without_table(exercise) if t.id == form.topic.data)
        facilitator = next(
            (u for u in services.facilitators_of(exercise) if u.id == form.facilitator.data), None
        )
        table = services.open_table(exercise, topic, current_user, facilitator=facilitator)
        db.session.commit()
        flash(_("The working table is open. Plan its first session."), "success")
        return see_other(url_for("tables.show", slug=slug, table_id=table.id))
    return render_index(exercise, form, 422)


# ----- one table ------------------------------------------------------------------


def proposals_of(table: WorkingTable) -> list[Proposal]:
    return db.session.scalars(
        sa.select(Proposal)
        .where(Proposal.table_id == table.id)
        .order_by(Proposal.id)
        .options(selectinload(Proposal.cause), selectinload(Proposal.commitment))
    ).all()


def proposal_form(table, nodes, from_request=False) -> ProposalForm:
    form = (
        ProposalForm(prefix="proposal")
        if from_request
        else ProposalForm(prefix="proposal", formdata=None)
    )
    form.cause.choices = cause_choices(nodes)
    return form


def cause_choices(nodes) -> list[SelectChoice]:
    return [SelectChoice(0, _("Choose a strategic cause"))] + [
        SelectChoice(n.id, translated_text(n.text))
        for n in nodes
        if n.kind == NodeKind.CAUSE and n.strategic
    ]


def table_context(table: WorkingTable, form=None) -> dict:
    # The table's sessions and their attendances in two queries, not one per listed
    # session. Loaded onto the table, which the page holds: sessions loaded on their own
    # would only be held by the session's weak identity map.
    db.session.scalars(
        sa.select(WorkingTable)
        .where(WorkingTable.id == table.id)
        .options(selectinload(WorkingTable.sessions).selectinload(TableSession.attendances))
    ).one()
    nodes = services.tree_nodes(table)
    return {
        "exercise": table.exercise,
        "table": table,
        "nodes": nodes,
        "causes": {n.id: n for n in nodes},
        "proposals": proposals_of(table),
        "diagram": diagram(table, nodes),
        "form": form or proposal_form(table, nodes),
    }


@bp.get("/<int:table_id>")
def show(slug: str, table_id: int):
    table = get_table(slug, table_id)
    return render("tables/show.html", **table_context(table))


@bp.route("/<int:table_id>/settings", methods=["GET", "POST"])
def settings(slug: str, table_id: int):
    table = get_table(slug, table_id)
    exercise = table.exercise
    require(TableAction.MANAGE, table)
    closes = table.proposals_close_at
    form = TableForm(
        data={
            "name": dict(table.name),
            "facilitator": table.facilitator_id or 0,
            "proposals_close_at": exercise.to_local(closes) if closes else None,
        }
    )
    form.facilitator.choices = [SelectChoice(0, _("Not yet chosen"))] + choices_of(
        services.facilitators_of(exercise), lambda u: u.name
    )
    if form.validate_on_submit():
        form.name.populate_obj(table, "name")
        table.facilitator_id = form.facilitator.data or None
        closes = form.proposals_close_at.data
        table.proposals_close_at = exercise.to_utc(closes) if closes else None
        db.session.commit()
        flash(_("The table was saved."), "success")
        return see_other(url_for("tables.show", slug=slug, table_id=table.id))
    return render(
        "tables/settings.html",
        status=422 if form.errors else 200,
        exercise=exercise,
        table=table,
        form=form,
    )


# ----- sessions -------------------------------------------------------------------


def running_session(slug: str, table_id: int, session_id: int):
    """The table and its session, for someone allowed to run it."""
    table = get_table(slug, table_id)
    session = part_of(table, TableSession, session_id)
    require(TableAction.RUN_SESSION, table)
    return table, session


def render_session_form(template: str, table, session, form):
    return render(
        template,
        status=422 if form.errors else 200,
        exercise=table.exercise,
        table=table,
        session=session,
        form=form,
    )


def session_form(table, session=None, from_request=False) -> SessionForm:
    if from_request:
        return SessionForm()
    if session is None:
        return SessionForm(formdata=None)
    exercise = table.exercise
    return SessionForm(
        formdata=None,
        data={
            "kind": session.kind.value,
            "title": dict(session.title),
            "starts_at": exercise.to_local(session.starts_at),
            "ends_at": exercise.to_local(session.ends_at) if session.ends_at else None,
            "place": session.place,
            "link": session.link,
            "agenda": dict(session.agenda),
        },
    )


def save_session(table: WorkingTable, form: SessionForm, session: TableSession | None):
    """Validate and store the session form; the session, or None with the errors set."""
    if not form.validate_on_submit():
        return None
    exercise = table.exercise
    starts_at = exercise.to_utc(form.starts_at.data)
    ends_at = exercise.to_utc(form.ends_at.data) if form.ends_at.data else None
    try:
        services.check_session_times(starts_at, ends_at)
    except TableError as error:
        form.ends_at.errors = [*form.ends_at.errors, str(error.message)]
        return None
    session = session or TableSession(table=table)
    session.kind = SessionKind(form.kind.data)
    form.title.populate_obj(session, "title")
    form.agenda.populate_obj(session, "agenda")
    session.starts_at, session.ends_at = starts_at, ends_at
    session.place = (form.place.data or "").strip()
    session.link = (form.link.data or "").strip()
    db.session.add(session)
    db.session.commit()
    return session


@bp.route("/<int:table_id>/sessions/new", methods=["GET", "POST"])
def new_session(slug: str, table_id: int):
    table = get_table(slug, table_id)
    require(TableAction.RUN_SESSION, table)
    form = session_form(table, from_request=request.method == "POST")
    if request.method == "POST" and (session := save_session(table, form, None)):
        flash(_("The session was saved. Invite each sector's participants."), "success")
        return see_other(session_url(session))
    return render_session_form("tables/session_form.html", table, None, form)


@bp.route("/<int:table_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(slug: str, table_id: int, session_id: int):
    table, session = running_session(slug, table_id, session_id)
    form = session_form(table, session, from_request=request.method == "POST")
    if request.method == "POST" and save_session(table, form, session):
        flash(_("The session was saved."), "success")
        return see_other(session_url(session))
    return render_session_form("tables/session_form.html", table, session, form)


@bp.post("/<int:table_id>/sessions/<int:session_id>/delete")
def delete_session(slug: str, table_id: int, session_id: int):
    table, session = running_session(slug, table_id, session_id)
    if session.has_minutes or session.attendances:
        flash(_("A session with minutes or attendance stays on the record."), "error")
        return see_other(session_url(session))
    db.session.delete(session)
    db.session.commit()
    flash(_("The session was deleted."), "success")
    return see_other(url_for("tables.show", slug=slug, table_id=table.id))


def session_url(session: TableSession, anchor: str = "") -> str:
    table = session.table
    url = url_for(
        "tables.session", slug=table.exercise.slug, table_id=table.id, session_id=session.id
    )
    return url + (f"#{anchor}" if anchor else "")


def session_context(session: TableSession, **forms) -> dict:
    table = session.table
    # Who was invited and who came, with their actors, and the files with their
    # uploads: three queries whatever their number.
    db.session.scalars(
        sa.select(TableSession)
        .where(TableSession.id == session.id)
        .options(
            selectinload(TableSession.attendances).joinedload(Attendance.actor),
            selectinload(TableSession.invitations).joinedload(Invitation.actor),
            selectinload(TableSession.attachments).joinedload(SessionAttachment.upload),
        )
    ).one()
    context = {
        "exercise": table.exercise,
        "table": table,
        "session": session,
        "by_sector": services.attendance_by_sector(session),
        "attendee_form": PersonForm(prefix="attendee", formdata=None),
        "invitee_form": PersonForm(prefix="invitee", formdata=None),
        "attachment_form": AttachmentForm(prefix="attachment", formdata=None),
        "actor_names": [],
        "section_notice": None,
    }
    if can(TableAction.RUN_SESSION, table):
        context["actor_names"] = db.session.scalars(
            sa.select(Actor.name).where(Actor.exercise_id == table.exercise_id).order_by(Actor.name)
        ).all()
    context.update(forms)
    return context


@bp.get("/<int:table_id>/sessions/<int:session_id>")
def session(slug: str, table_id: int, session_id: int):
    table = get_table(slug, table_id)
    session = part_of(table, TableSession, session_id)
    return render("tables/session.html", **session_context(session))


def record_person(slug, table_id, session_id, prefix, section, record):
    """Attendance and invitations share one quick form: a name from the exercise's
    actors (or a new actor) and, optionally, the sector they come for."""
    table, session = running_session(slug, table_id, session_id)
    form = PersonForm(prefix=prefix)
    status, notice = 200, None
    if form.validate_on_submit():
        sector = Sector(form.sector.data) if form.sector.data else None
        name = form.name.data
        known = services.find_actor(table.exercise, name)
        if known is None and sector is None:
            form.sector.errors = [_("Choose the sector of a new participant.")]
        else:
            actor = known or services.find_or_add_actor(
                table.exercise, name, sector, form.is_organisation.data == "1"
            )
            try:
                added = record(session, actor, sector)
            except TableError as error:
                db.session.rollback()
                form.name.errors = [str(error.message)]
            else:
                db.session.commit()
                if not added:
                    notice = _("%(name)s was already on the list.", name=actor.name)
                if not htmx:
                    if notice:
                        flash(notice, "message")
                    return see_other(session_url(session, section))
                form = PersonForm(prefix=prefix, formdata=None)
    if form.errors:
        status = 422
    context = session_context(session, **{f"{prefix}_form": form, "section_notice": notice})
    return render("tables/session.html", f"tables/_{section}.html", status=status, **context)


@bp.post("/<int:table_id>/sessions/<int:session_id>/attendance")
def add_attendee(slug: str, table_id: int, session_id: int):
    return record_person(
        slug, table_id, session_id, "attendee", "attendance", services.record_attendance
    )


@bp.post("/<int:table_id>/sessions/<int:session_id>/invitations")
def add_invitee(slug: str, table_id: int, session_id: int):
    return record_person(
        slug,
        table_id,
        session_id,
        "invitee",
        "invitations",
        services.invite,
    )


def remove_from_session(slug, table_id, session_id, model, item_id, section):
    table, session = running_session(slug, table_id, session_id)
    item = db.get_or_404(model, item_id)
    if item.session_id != session.id:
        abort(404)
    db.session.delete(item)
    db.session.commit()
    db.session.refresh(session)
    if htmx:
        return render("tables/session.html", f"tables/_{section}.html", **session_context(session))
    return see_other(session_url(session, section))


@bp.post("/<int:table_id>/sessions/<int:session_id>/attendance/<int:item_id>/delete")
def remove_attendee(slug: str, table_id: int, session_id: int, item_id: int):
    return remove_from_session(slug, table_id, session_id, Attendance, item_id, "attendance")


@bp.post("/<int:table_id>/sessions/<int:session_id>/invitations/<int:item_id>/delete")
def remove_invitee(slug: str, table_id: int, session_id: int, item_id: int):
    return remove_from_session(slug, table_id, session_id, Invitation, item_id, "invitations")


@bp.route("/<int:table_id>/sessions/<int:session_id>/minutes", methods=["GET", "POST"])
def minutes(slug: str, table_id: int, session_id: int):
    table, session = running_session(slug, table_id, session_id)
    form = MinutesForm(data={"minutes": dict(session.minutes)})
    if form.validate_on_submit():
        try:
            services.set_minutes(session, form.minutes.texts)
        except TableError as error:
            form.minutes.form.es.errors = [str(error.message)]
        else:
            db.session.commit()
            flash(_("The minutes were published."), "success")
            return see_other(session_url(session, "minutes"))
    return render_session_form("tables/minutes.html", table, session, form)


@bp.post("/<int:table_id>/sessions/<int:session_id>/attachments")
def add_attachment(slug: str, table_id: int, session_id: int):
    table, session = running_session(slug, table_id, session_id)
    form = AttachmentForm(prefix="attachment")
    if form.validate_on_submit():
        try:
            upload = store_upload(
                form.document.data,
                exercise=table.exercise,
                user=current_user,
                is_public=form.is_public.data == "1",
            )
        except UploadRejected as error:
            form.document.errors = [str(error)]
        else:
            session.attachments.append(
                SessionAttachment(
                    upload=upload,
                    kind=AttachmentKind(form.kind.data),
                    caption=(form.caption.data or "").strip(),
                )
            )
            db.session.commit()
            if not htmx:
                return see_other(session_url(session, "attachments"))
            form = AttachmentForm(prefix="attachment", formdata=None)
    context = session_context(session, attachment_form=form)
    return render(
        "tables/session.html",
        "tables/_attachments.html",
        status=422 if form.errors else 200,
        **context,
    )


@bp.post("/<int:table_id>/sessions/<int:session_id>/attachments/<int:item_id>/delete")
def remove_attachment(slug: str, table_id: int, session_id: int, item_id: int):
    return remove_from_session(
        slug, table_id, session_id, SessionAttachment, item_id, "attachments"
    )


# ----- the problem tree ---------------------------------------------------------------


def diagram(table: WorkingTable, nodes: list[TreeNode]) -> Markup:
    causes = [n for n in nodes if n.kind == NodeKind.CAUSE]
    effects = sum(1 for n in nodes if n.kind == NodeKind.EFFECT)
    strategic = sum(1 for n in causes if n.strategic)
    description = ", ".join(
        [
            ngettext("%(num)d cause", "%(num)d causes", len(causes)),
            ngettext("%(num)d strategic", "%(num)d strategic", strategic),
            ngettext("%(num)d effect", "%(num)d effects", effects),
        ]
    )
    labels = DiagramLabels(
        title=_("Problem tree: %(name)s", name=translated_text(table.name)),
        effects=_("Effects"),
        problem=_("Central problem"),
        causes=_("Causes"),
        strategic=_("Strategic cause"),
        description=description,
    )
    drawn = [
        DiagramNode(
            id=n.id,
            parent_id=n.parent_id,
            kind=n.kind.value,
            text=translated_text(n.text),
            strategic=n.strategic,
            position=n.position,
        )
        for n in nodes
    ]
    return Markup(draw_tree(drawn, labels, id_prefix="diagram"))


def parent_choices(node: TreeNode, nodes: list[TreeNode]) -> list[SelectChoice]:
    """Where a node may hang: the problem, or a node of its own kind outside its branch."""
    own_branch = {node.id} | {n.id for n in services.descendants(node, nodes)}
    return [
        SelectChoice(n.id, translated_text(n.text))
        for n in nodes
        if n.kind in (NodeKind.PROBLEM, node.kind) and n.id not in own_branch
    ]


def tree_context(table: WorkingTable, *, form=None, editing=None, adding=None, kind=None):
    """The tree page: the drawing, then the outline; for the facilitator, the outline
    carries the actions and at most one open form (editing a node or adding below one)."""
    nodes = services.tree_nodes(table)
    if form is None and editing is not None:
        form = NodeForm(prefix="node", formdata=None, data={"text": dict(editing.text)})
    if form is None:
        form = NodeForm(prefix="node", formdata=None)
    if editing is not None:
        form.parent.choices = parent_choices(editing, nodes)
        if request.method == "GET":
            form.parent.data = editing.parent_id
    return {
        "exercise": table.exercise,
        "table": table,
        "nodes": nodes,
        "children": services.children_of(nodes),
        "problem": next((n for n in nodes if n.kind == NodeKind.PROBLEM), None),
        "diagram": diagram(table, nodes),
        "form": form,
        "editing": editing,
        "adding": adding,
        "adding_kind": kind,
        "targeted": services.targeted_cause_ids(table),
    }


def tree_url(table: WorkingTable, anchor: str = "", **args) -> str:
    url = url_for("tables.tree", slug=table.exercise.slug, table_id=table.id, **args)
    return url + (f"#{anchor}" if anchor else "")


@bp.get("/<int:table_id>/tree")
def tree(slug: str, table_id: int):
    table = get_table(slug, table_id)
    editing = adding = kind = None
    if can(TableAction.EDIT_TREE, table):
        if node_id := request.args.get("edit", type=int):
            editing = part_of(table, TreeNode, node_id)
        elif node_id := request.args.get("add", type=int):
            adding = part_of(table, TreeNode, node_id)
            kind = NodeKind.EFFECT if request.args.get("kind") == "effect" else NodeKind.CAUSE
            if adding.kind not in (NodeKind.PROBLEM, kind):
                kind = adding.kind
    context = tree_context(table, editing=editing, adding=adding, kind=kind)
    return render("tables/tree.html", "tables/_tree.html", **context)


@bp.get("/<int:table_id>/tree.svg")
def tree_svg(slug: str, table_id: int):
    table = get_table(slug, table_id)
    response = Response(str(diagram(table, services.tree_nodes(table))), mimetype="image/svg+xml")
    if request.args.get("download"):
        name = f"{table.exercise.slug}-table-{table.id}-tree.svg"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def tree_changed(table: WorkingTable, node: TreeNode | None, **args):
    """After a change: htmx gets the refreshed tree (keeping an add form open so the
    facilitator can go on typing); a plain form goes back to the tree."""
    db.session.commit()
    anchor = f"node-{node.id}" if node is not None else "tree"
    if not htmx:
        return see_other(tree_url(table, anchor, **args))
    adding = part_of(table, TreeNode, args["add"]) if "add" in args else None
    kind = NodeKind(args["kind"]) if "kind" in args else None
    context = tree_context(table, adding=adding, kind=kind)
    return render("tables/tree.html", "tables/_tree.html", **context)


def tree_refused(table: WorkingTable, form, status=422, **open_form):
    db.session.rollback()
    context = tree_context(table, form=form, **open_form)
    return render("tables/tree.html", "tables/_tree.html", status=status, **context)


def editable_tree(slug: str, table_id: int) -> WorkingTable:
    table = get_table(slug, table_id)
    require(TableAction.EDIT_TREE, table)
    return table


@bp.post("/<int:table_id>/tree/nodes")
def add_node(slug: str, table_id: int):
    table = editable_tree(slug, table_id)
    parent = part_of(table, TreeNode, request.form.get("parent", type=int) or 0)
    kind = NodeKind.EFFECT if request.form.get("kind") == "effect" else NodeKind.CAUSE
    form = NodeForm(prefix="node")
    form.parent.choices = []
    if form.validate_on_submit():
        try:
            services.add_node(table, parent, kind, form.text.texts, current_user)
        except TableError as error:
            form.text.form.es.errors = [str(error.message)]
        else:
            return tree_changed(table, parent, add=parent.id, kind=kind.value)
    return tree_refused(table, form, adding=parent, kind=kind)


@bp.post("/<int:table_id>/tree/nodes/<int:node_id>")
def edit_node(slug: str, table_id: int, node_id: int):
    table = editable_tree(slug, table_id)
    node = part_of(table, TreeNode, node_id)
    form = NodeForm(prefix="node")
    if form.validate_on_submit():
        try:
            services.edit_node(node, form.text.texts, current_user)
            if node.kind != NodeKind.PROBLEM and form.parent.data != node.parent_id:
                new_parent = part_of(table, TreeNode, form.parent.data or 0)
                services.move_node(node, new_parent, current_user)
        except TableError as error:
            form.parent.errors = [str(error.message)]
        else:
            return tree_changed(table, node)
    return tree_refused(table, form, editing=node)


@bp.post("/<int:table_id>/tree/nodes/<int:node_id>/strategic")
def mark_strategic(slug: str, table_id: int, node_id: int):
    table = editable_tree(slug, table_id)
    node = part_of(table, TreeNode, node_id)
    try:
        services.set_strategic(node, request.form.get("strategic") == "1", current_user)
    except TableError as error:
        return refused_action(table, node, error)
    return tree_changed(table, node)


@bp.post("/<int:table_id>/tree/nodes/<int:node_id>/shift")
def shift_node(slug: str, table_id: int, node_id: int):
    table = editable_tree(slug, table_id)
    node = part_of(table, TreeNode, node_id)
    services.shift_node(node, -1 if request.form.get("direction") == "up" else 1, current_user)
    return tree_changed(table, node)


@bp.post("/<int:table_id>/tree/nodes/<int:node_id>/delete")
def delete_node(slug: str, table_id: int, node_id: int):
    table = editable_tree(slug, table_id)
    node = part_of(table, TreeNode, node_id)
    parent_id = node.parent_id
    try:
        services.delete_node(node, current_user)
    except TableError as error:
        return refused_action(table, node, error)
    return tree_changed(table, db.session.get(TreeNode, parent_id) if parent_id else None)


def refused_action(table: WorkingTable, node: TreeNode, error: TableError):
    """A one-button action the rules refuse: say why beside the tree."""
    db.session.rollback()
    if not htmx:
        flash(str(error.message), "error")
        return see_other(tree_url(table, f"node-{node.id}"))
    context = tree_context(table)
    context["tree_error"] = str(error.message)
    return render("tables/tree.html", "tables/_tree.html", status=409, **context)


@bp.get("/<int:table_id>/tree/history")
def tree_history(slug: str, table_id: int):
    table = get_table(slug, table_id)
    require(TableAction.READ_HISTORY, table)
    return render(
        "tables/history.html",
        exercise=table.exercise,
        table=table,
        changes=services.history(table),
    )


# ----- proposals ----------------------------------------------------------------------


@bp.post("/<int:table_id>/proposals")
def propose(slug: str, table_id: int):
    table = get_table(slug, table_id)
    require(TableAction.PROPOSE, table)
    nodes = services.tree_nodes(table)
    form = proposal_form(table, nodes, from_request=True)
    if form.validate_on_submit():
        try:
            proposal = services.propose_online(
                table,
                current_user,
                cause=next((n for n in nodes if n.id == form.cause.data), None),
                title={current_language(): form.title.data.strip()},
                description=(
                    {current_language(): d} if (d := (form.description.data or "").strip()) else {}
                ),
                organisation=form.organisation.data or "",
            )
        except TableError as error:
            db.session.rollback()
            form.cause.errors = [str(error.message)]
        else:
            db.session.commit()
            flash(
                _("Thank you! Your proposal is public and awaits the table's decision."), "success"
            )
            return see_other(proposal_url(proposal))
    return render("tables/show.html", status=422, **table_context(table, form))


def staff_proposal_form(table, nodes, proposal=None, from_request=False) -> StaffProposalForm:
    if from_request:
        form = StaffProposalForm(prefix="entry")
    elif proposal is not None:
        form = StaffProposalForm(
            prefix="entry",
            formdata=None,
            data={
                "cause": proposal.cause_id or 0,
                "title": dict(proposal.title),
                "description": dict(proposal.description),
                "proposer_name": proposal.proposer_name,
                "proposer_sector": proposal.proposer_sector.value,
                "session": proposal.session_id or 0,
            },
        )
    else:
        form = StaffProposalForm(prefix="entry", formdata=None)
    form.cause.choices = cause_choices(nodes)
    form.session.choices = [SelectChoice(0, _("Not at a session"))] + choices_of(
        table.sessions, lambda s: translated_text(s.title)
    )
    return form


def render_entry(table, form, proposal=None, status=200):
    return render(
        "tables/proposal_form.html",
        status=status,
        exercise=table.exercise,
        table=table,
        proposal=proposal,
        form=form,
    )


@bp.route("/<int:table_id>/proposals/new", methods=["GET", "POST"])
def enter_proposal(slug: str, table_id: int):
    table = get_table(slug, table_id)
    require(TableAction.ENTER_PROPOSAL, table)
    nodes = services.tree_nodes(table)
    form = staff_proposal_form(table, nodes, from_request=request.method == "POST")
    if request.method == "GET" and (session_id := request.args.get("session", type=int)):
        form.session.data = session_id
    if form.validate_on_submit():
        try:
            services.enter_proposal(
                table,
                current_user,
                cause=next((n for n in nodes if n.id == form.cause.data), None),
                title=form.title.texts,
                description=form.description.texts,
                proposer_name=form.proposer_name.data,
                proposer_sector=Sector(form.proposer_sector.data),
                session=next((s for s in table.sessions if s.id == form.session.data), None),
            )
        except TableError as error:
            db.session.rollback()
            form.cause.errors = [str(error.message)]
        else:
            db.session.commit()
            flash(_("The proposal was recorded. Enter the next one."), "success")
            return see_other(
                url_for(
                    "tables.enter_proposal",
                    slug=slug,
                    table_id=table.id,
                    session=form.session.data or None,
                )
            )
    return render_entry(table, form, status=422 if form.errors else 200)


@bp.route("/<int:table_id>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit_proposal(slug: str, table_id: int, proposal_id: int):
    table = get_table(slug, table_id)
    proposal = part_of(table, Proposal, proposal_id)
    require(TableAction.ENTER_PROPOSAL, table)
    nodes = services.tree_nodes(table)
    form = staff_proposal_form(table, nodes, proposal, from_request=request.method == "POST")
    if form.validate_on_submit():
        cause = next((n for n in nodes if n.id == form.cause.data), None)
        if cause is None or cause.kind != NodeKind.CAUSE:
            form.cause.errors = [_("Choose one of the table's strategic causes.")]
        else:
            proposal.cause = cause
            form.title.populate_obj(proposal, "title")
            form.description.populate_obj(proposal, "description")
            proposal.proposer_name = form.proposer_name.data.strip()
            proposal.proposer_sector = Sector(form.proposer_sector.data)
            proposal.session = next((s for s in table.sessions if s.id == form.session.data), None)
            db.session.commit()
            flash(_("The proposal was saved."), "success")
            return see_other(proposal_url(proposal))
    return render_entry(table, form, proposal, status=422 if form.errors else 200)


def proposal_url(proposal: Proposal) -> str:
    table = proposal.table
    return url_for(
        "tables.proposal", slug=table.exercise.slug, table_id=table.id, proposal_id=proposal.id
    )


def render_proposal(table, proposal, form=None, status=200):
    decisions = feedback.history(proposal=proposal)
    return render(
        "tables/proposal.html",
        status=status,
        exercise=table.exercise,
        table=table,
        proposal=proposal,
        decisions=decisions,
        form=form or RejectProposalForm(prefix="reject", formdata=None),
    )


@bp.get("/<int:table_id>/proposals/<int:proposal_id>")
def proposal(slug: str, table_id: int, proposal_id: int):
    table = get_table(slug, table_id)
    return render_proposal(table, part_of(table, Proposal, proposal_id))


@bp.post("/<int:table_id>/proposals/<int:proposal_id>/reject")
def reject_proposal(slug: str, table_id: int, proposal_id: int):
    table = get_table(slug, table_id)
    proposal = part_of(table, Proposal, proposal_id)
    require(TableAction.DECIDE_PROPOSAL, table)
    form = RejectProposalForm(prefix="reject")
    if form.validate_on_submit():
        try:
            services.reject_proposal(proposal, current_user, form.reason.texts)
        except TableError as error:
            flash(str(error.message), "error")
            return see_other(proposal_url(proposal))
        db.session.commit()
        flash(_("The decision is in the feedback log."), "success")
        return see_other(proposal_url(proposal))
    return render_proposal(table, proposal, form, status=422)
