"""Commitment pages. Public: the list, each commitment with its STL decisions, its
revisions and their comparison. Facilitator: drafting (rows added and removed in place,
the quality check refreshed as fields change), sending to the STL, returning to draft,
withdrawing, saying which proposals it takes. STL members: approving or rejecting the
revision under review for their sector, and commenting."""

import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms.fields import SelectChoice

from coplat.commitments import bp, services
from coplat.commitments.enums import AmbitionLevel, CommitmentStatus, MilestoneStatus, Verdict
from coplat.commitments.forms import (
    CommentForm,
    CommitmentForm,
    ReasonForm,
    ReturnForm,
    ReviewForm,
    TakeProposalForm,
    form_data,
)
from coplat.commitments.models import Commitment, CommitmentRevision, Review
from coplat.commitments.permissions import CommitmentAction
from coplat.commitments.services import CommitmentError
from coplat.consultation.models import Topic
from coplat.core.forms import show_error
from coplat.core.i18n import translated_text
from coplat.core.permissions import require
from coplat.core.rendering import render, see_other
from coplat.exercises.enums import Seat
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.extensions import db
from coplat.feedback.enums import Decision
from coplat.tables.models import TreeNode

ROW_LISTS = ("government", "non_governmental", "other", "milestones")


def get_commitment(slug: str, commitment_id: int) -> Commitment:
    return owned_or_404(Commitment, commitment_id, get_exercise(slug))


def get_revision(commitment: Commitment, number: int) -> CommitmentRevision:
    revision = next((r for r in commitment.revisions if r.number == number), None)
    if revision is None:
        abort(404)
    return revision


def references(*contents: dict) -> dict:
    """The topics and tree nodes the contents name, for showing them by their text."""
    topic_ids = {c.get("topic") for c in contents if c.get("topic")}
    node_ids = {node for c in contents for node in c.get("causes") or []}
    topics = db.session.scalars(sa.select(Topic).where(Topic.id.in_(topic_ids))).all()
    nodes = db.session.scalars(sa.select(TreeNode).where(TreeNode.id.in_(node_ids))).all()
    return {"topics": {t.id: t for t in topics}, "nodes": {n.id: n for n in nodes}}


# ----- the list -------------------------------------------------------------------


@bp.get("")
def index(slug: str):
    exercise = get_exercise(slug)
    commitments = services.commitments_of(exercise)
    return render(
        "commitments/index.html",
        exercise=exercise,
        commitments=commitments,
        statuses=list(CommitmentStatus),
        topics=references(*({"topic": c.topic_id} for c in commitments))["topics"],
    )


# ----- drafting -------------------------------------------------------------------


def drafting_form(exercise, content: dict | None = None) -> CommitmentForm:
    """The form filled from the request, or (given `content`) from saved content."""
    if content is None:
        form = CommitmentForm()
    else:
        form = CommitmentForm(formdata=None, data=form_data(content))
    form.topic.choices = [SelectChoice(0, _("No topic"))] + [
        SelectChoice(topic.id, translated_text(topic.title))
        for topic, _table in services.topics_with_table(exercise)
    ]
    form.causes.choices = [
        SelectChoice(node.id, translated_text(node.text))
        for nodes in services.strategic_causes_by_topic(exercise).values()
        for node in nodes
    ]
    return form


def tracked_status(commitment: Commitment | None):
    """Once the commitment is submitted, implementers report its milestones' statuses
    on the tracking page and the edit form only shows them: a function giving a row's
    status by its milestone's id (a new row: not started). None before."""
    if commitment is None or commitment.submitted_at is None:
        return None
    statuses = {milestone.id: milestone.status for milestone in commitment.milestones}
    return lambda milestone_id: statuses.get(milestone_id, MilestoneStatus.NOT_STARTED)


def render_drafting(exercise, commitment, form, *, status=200, fragment=None, **context):
    return render(
        "commitments/edit.html",
        fragment,
        status=status,
        exercise=exercise,
        commitment=commitment,
        form=form,
        topics=services.topics_with_table(exercise),
        causes=services.strategic_causes_by_topic(exercise),
        quality=services.quality(form.content(), exercise),
        untranslated=services.untranslated(form.content(), exercise),
        ambition_descriptions={level.value: level.description for level in AmbitionLevel},
        tracked_status=tracked_status(commitment),
        action=url_for("commitments.edit", slug=exercise.slug, commitment_id=commitment.id)
        if commitment
        else url_for("commitments.new", slug=exercise.slug),
        **context,
    )


def change_rows(form, change: str) -> str | None:
    """'add-<list>' appends an empty row, 'remove-<list>-<n>' drops row n; nothing is
    saved and everything typed stays. Returns the id of a new row, to focus it."""
    verb, _sep, target = change.partition("-")
    name, _sep, index = target.rpartition("-") if verb == "remove" else (target, "", "")
    if name not in ROW_LISTS:
        abort(400)
    rows = getattr(form, name)
    if verb == "add":
        if len(rows.entries) >= rows.max_entries:
            return None
        return rows.append_entry().id
    if verb == "remove":
        rows.entries = [e for e in rows.entries if e.name != f"{name}-{index}"]
        return None
    abort(400)


def drafting(exercise, commitment: Commitment | None):
    """POST of the drafting form: save, check the quality, or add or remove a row."""
    form = drafting_form(exercise)
    change = request.form.get("change", "")
    if change == "check":
        return render_drafting(
            exercise, commitment, form, fragment="commitments/_quality.html", checked=True
        )
    if change:
        new_row = change_rows(form, change)
        return render_drafting(
            exercise, commitment, form, fragment="commitments/_drafting.html", new_row=new_row
        )
    problem = None
    if form.validate_on_submit():
        try:
            if commitment is None:
                commitment = services.create(exercise, form.content(), current_user)
                revision = commitment.latest_revision
            else:
                revision = services.save(
                    commitment, form.content(), current_user, reason=form.change_reason.texts
                )
        except CommitmentError as error:
            db.session.rollback()
            if not show_error(form, error.field, error.message):
                problem = error.message
        else:
            db.session.commit()
            if revision is None:
                flash(_("Nothing changed, so no new revision was saved."), "info")
            elif commitment.status == CommitmentStatus.IN_REVIEW:
                flash(
                    _(
                        "Revision %(number)s saved. The STL reviews this revision now.",
                        number=revision.number,
                    ),
                    "success",
                )
            else:
                flash(_("Revision %(number)s saved.", number=revision.number), "success")
            return see_other(
                url_for("commitments.show", slug=exercise.slug, commitment_id=commitment.id)
            )
    return render_drafting(
        exercise,
        commitment,
        form,
        status=422,
        fragment="commitments/_drafting.html",
        problem=problem,
    )


@bp.route("/new", methods=["GET", "POST"])
def new(slug: str):
    exercise = get_exercise(slug)
    require(CommitmentAction.DRAFT, exercise)
    if request.method == "POST":
        return drafting(exercise, None)
    topic = request.args.get("topic", type=int)
    form = drafting_form(exercise, {"topic": topic})
    return render_drafting(exercise, None, form)


@bp.route("/<int:commitment_id>/edit", methods=["GET", "POST"])
def edit(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.DRAFT, commitment)
    exercise = commitment.exercise
    try:
        services.check_changeable(commitment)
    except CommitmentError as error:
        flash(str(error.message), "error")
        return see_other(url_for("commitments.show", slug=slug, commitment_id=commitment.id))
    if request.method == "POST":
        return drafting(exercise, commitment)
    form = drafting_form(exercise, services.form_content(commitment))
    return render_drafting(exercise, commitment, form)


# ----- one commitment -------------------------------------------------------------


def take_form(commitment, from_request=False) -> TakeProposalForm:
    form = TakeProposalForm() if from_request else TakeProposalForm(formdata=None)
    form.proposal.choices = [
        SelectChoice(p.id, f"{translated_text(p.title)} ({p.proposer_name})")
        for p in services.proposals_to_take(commitment)
    ]
    return form


def render_show(commitment: Commitment, status=200, **forms):
    exercise = commitment.exercise
    content = services.content_of(commitment)
    review = commitment.open_review
    my_seat = services.stl_seat(current_user, exercise) if current_user.is_authenticated else None
    forms.setdefault("review_form", ReviewForm(formdata=None))
    forms.setdefault("return_form", ReturnForm(formdata=None))
    forms.setdefault("take_form", take_form(commitment))
    forms.setdefault("comment_form", CommentForm(formdata=None))
    return render(
        "commitments/show.html",
        status=status,
        exercise=exercise,
        commitment=commitment,
        content=content,
        fields=services.fields(),
        refs=references(content),
        quality=services.quality(content, exercise),
        untranslated=services.untranslated(content, exercise),
        review=review,
        verdicts=services.sector_verdicts(review) if review else {},
        my_seat=my_seat,
        my_decision=next((d for d in review.decisions if d.user_id == current_user.id), None)
        if review and my_seat
        else None,
        titular_decided=bool(review and my_seat)
        and any(d.sector == my_seat.sector and d.seat == Seat.TITULAR for d in review.decisions),
        reviews=closed_reviews(commitment),
        modifications=[r for r in commitment.revisions if r.change_reason],
        **forms,
    )


def closed_reviews(commitment: Commitment) -> list[Review]:
    """Earlier review rounds, newest first, with their decisions and revisions."""
    return db.session.scalars(
        sa.select(Review)
        .where(Review.commitment_id == commitment.id, Review.outcome.is_not(None))
        .order_by(Review.id.desc())
        .options(selectinload(Review.decisions), selectinload(Review.revision))
    ).all()


@bp.get("/<int:commitment_id>")
def show(slug: str, commitment_id: int):
    return render_show(get_commitment(slug, commitment_id))


def back_to(commitment: Commitment, anchor: str = ""):
    return see_other(
        url_for(
            "commitments.show",
            slug=commitment.exercise.slug,
            commitment_id=commitment.id,
            _anchor=anchor or None,
        )
    )


@bp.post("/<int:commitment_id>/submit")
def submit(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.DRAFT, commitment)
    try:
        services.submit_for_review(commitment, current_user)
    except CommitmentError as error:
        flash(str(error.message), "error")
        return back_to(commitment)
    db.session.commit()
    flash(_("Sent to the STL: each sector can now approve or reject this revision."), "success")
    return back_to(commitment, "review")


@bp.post("/<int:commitment_id>/return")
def return_to_draft(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.DRAFT, commitment)
    form = ReturnForm()
    if not form.validate_on_submit():
        return render_show(commitment, 422, return_form=form)
    try:
        services.return_to_draft(commitment, current_user, form.note.data)
    except CommitmentError as error:
        flash(str(error.message), "error")
        return back_to(commitment)
    db.session.commit()
    flash(_("Back to draft. Edit it with the reviewers' reasons, then send it again."), "success")
    return back_to(commitment)


@bp.post("/<int:commitment_id>/review")
def review(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.REVIEW, commitment)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.decide(commitment, current_user, Verdict(form.verdict.data), form.comment.data)
        except CommitmentError as error:
            db.session.rollback()
            if not show_error(form, error.field, error.message):
                form.verdict.errors = [*form.verdict.errors, str(error.message)]
        else:
            db.session.commit()
            if commitment.status == CommitmentStatus.APPROVED:
                flash(_("Your decision is recorded. The three sectors approved it."), "success")
            else:
                flash(_("Your decision is recorded."), "success")
            return back_to(commitment, "review")
    return render_show(commitment, 422, review_form=form)


@bp.post("/<int:commitment_id>/proposals")
def take_proposal(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.TAKE_PROPOSAL, commitment)
    form = take_form(commitment, from_request=True)
    if form.validate_on_submit():
        proposal = next(
            p for p in services.proposals_to_take(commitment) if p.id == form.proposal.data
        )
        try:
            services.take_proposal(
                commitment,
                proposal,
                Decision(form.decision.data),
                current_user,
                change=form.change.texts,
            )
        except CommitmentError as error:
            db.session.rollback()
            if not show_error(form, error.field, error.message):
                form.proposal.errors = [*form.proposal.errors, str(error.message)]
        else:
            db.session.commit()
            flash(_("Recorded in the feedback log."), "success")
            return back_to(commitment, "proposals")
    return render_show(commitment, 422, take_form=form)


@bp.route("/<int:commitment_id>/withdraw", methods=["GET", "POST"])
def withdraw(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.DRAFT, commitment)
    form = ReasonForm() if request.method == "POST" else ReasonForm(formdata=None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                services.withdraw(commitment, current_user, form.reason.texts)
            except CommitmentError as error:
                db.session.rollback()
                if not show_error(form, error.field, error.message):
                    form.reason.form.es.errors = [str(error.message)]
            else:
                db.session.commit()
                if commitment.status == CommitmentStatus.WITHDRAWN:
                    flash(_("The commitment was withdrawn."), "success")
                else:
                    flash(_("The STL reviews the withdrawal now."), "success")
                return back_to(commitment)
    return render(
        "commitments/withdraw.html",
        status=status,
        exercise=commitment.exercise,
        commitment=commitment,
        form=form,
    )


# ----- revisions ------------------------------------------------------------------


@bp.get("/<int:commitment_id>/revisions")
def revisions(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    revisions = db.session.scalars(
        sa.select(CommitmentRevision)
        .where(CommitmentRevision.commitment_id == commitment.id)
        .order_by(CommitmentRevision.number.desc())
        .options(selectinload(CommitmentRevision.comments), selectinload(CommitmentRevision.author))
    ).all()
    return render(
        "commitments/revisions.html",
        exercise=commitment.exercise,
        commitment=commitment,
        revisions=revisions,
    )


@bp.get("/<int:commitment_id>/revisions/compare")
def compare(slug: str, commitment_id: int):
    commitment = get_commitment(slug, commitment_id)
    latest = commitment.latest_revision.number
    before = get_revision(commitment, request.args.get("from", max(latest - 1, 1), type=int))
    after = get_revision(commitment, request.args.get("to", latest, type=int))
    return render(
        "commitments/compare.html",
        exercise=commitment.exercise,
        commitment=commitment,
        before=before,
        after=after,
        changes=services.compare(before.content, after.content),
        refs=references(before.content, after.content),
    )


def render_revision(commitment, revision, form=None, status=200):
    return render(
        "commitments/revision.html",
        status=status,
        exercise=commitment.exercise,
        commitment=commitment,
        revision=revision,
        content=revision.content,
        fields=services.fields(),
        refs=references(revision.content),
        comment_form=form or CommentForm(formdata=None),
    )


@bp.get("/<int:commitment_id>/revisions/<int:number>")
def revision(slug: str, commitment_id: int, number: int):
    commitment = get_commitment(slug, commitment_id)
    return render_revision(commitment, get_revision(commitment, number))


@bp.post("/<int:commitment_id>/revisions/<int:number>/comments")
def comment(slug: str, commitment_id: int, number: int):
    commitment = get_commitment(slug, commitment_id)
    require(CommitmentAction.COMMENT, commitment)
    revision = get_revision(commitment, number)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.comment(revision, current_user, form.body.data)
        except CommitmentError as error:
            show_error(form, error.field, error.message)
        else:
            db.session.commit()
            flash(_("Your comment is published."), "success")
            return see_other(
                url_for(
                    "commitments.revision",
                    slug=slug,
                    commitment_id=commitment.id,
                    number=number,
                    _anchor="comments",
                )
            )
    return render_revision(commitment, revision, form, 422)
