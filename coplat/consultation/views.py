"""Consultation pages. Public: the consultation with its topics, each topic, the
results and the open-data files. Citizens: propose, vote, the optional profile.
Staff: settings, moderation, offline input, prioritisation."""

import functools

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from wtforms.fields import SelectChoice

from coplat.consultation import bp, exports, services
from coplat.consultation.enums import (
    AgeBand,
    Answer,
    Channel,
    ConsultationStatus,
    Gender,
    TopicState,
)
from coplat.consultation.forms import (
    CategoryForm,
    ConsultationForm,
    MergeForm,
    OfflineInputForm,
    OfflineTopicForm,
    PrioritiseForm,
    ProfileForm,
    RejectForm,
    StaffTopicForm,
    TallyForm,
    TopicForm,
)
from coplat.consultation.models import (
    Consultation,
    OfflineInput,
    OfflineTally,
    Topic,
    TopicCategory,
)
from coplat.consultation.permissions import ConsultationAction
from coplat.consultation.results import RANKING_SHOWN
from coplat.consultation.results import results as compute_results
from coplat.consultation.services import ConsultationError
from coplat.core.i18n import current_language
from coplat.core.permissions import can, require
from coplat.core.rendering import back_or, render, see_other
from coplat.exercises.models import Exercise
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.extensions import db, htmx
from coplat.feedback import services as feedback

TOPICS_PER_PAGE = 30
SORTS = ("votes", "new")
PUBLIC_STATES = (TopicState.PUBLISHED, TopicState.REJECTED, TopicState.MERGED)


def linked(exercise: Exercise, consultation: Consultation | None) -> None:
    """Each knows the other, as read in one statement (and each keeps the other
    alive in the session's weakly-referencing identity map)."""
    set_committed_value(exercise, "consultation", consultation)
    if consultation is not None:
        set_committed_value(consultation, "exercise", exercise)


def exercise_and_consultation(slug: str) -> tuple[Exercise, Consultation | None]:
    """The exercise and its consultation (None if it has none), read in one statement."""
    row = db.session.execute(
        sa.select(Exercise, Consultation)
        .outerjoin(Consultation, Consultation.exercise_id == Exercise.id)
        .where(Exercise.slug == slug)
    ).first()
    if row is None:
        abort(404)
    exercise, consultation = row
    linked(exercise, consultation)
    return exercise, consultation


def get_consultation(slug: str) -> Consultation:
    consultation = exercise_and_consultation(slug)[1]
    if consultation is None:
        abort(404)
    return consultation


# A topic with its consultation and exercise, found by the address's slug and id in one
# statement; built once, since every vote starts with it. Loader options need every
# model mapped, so the two variants below are built on first use.
TOPIC_IN_EXERCISE = (
    sa.select(Topic, Consultation, Exercise)
    .join(Consultation, Consultation.id == Topic.consultation_id)
    .join(Exercise, Exercise.id == Consultation.exercise_id)
    .where(Exercise.slug == sa.bindparam("slug"), Topic.id == sa.bindparam("topic_id"))
)


@functools.cache
def vote_subjects() -> sa.Select:
    """What a vote reads: only what it checks and what its answer shows (any other
    column would load on first use, in a statement of its own)."""
    return TOPIC_IN_EXERCISE.options(
        load_only(Exercise.slug),
        load_only(
            Consultation.exercise_id,
            Consultation.opens_at,
            Consultation.closes_at,
            Consultation.vote_budget,
        ),
        load_only(
            Topic.consultation_id,
            Topic.author_id,
            Topic.state,
            Topic.title,
            Topic.online_votes,
            Topic.offline_votes,
        ),
    )


@functools.cache
def topic_page_subjects() -> sa.Select:
    """The topic's page also shows its category, where it was raised offline and
    what it was merged into."""
    return TOPIC_IN_EXERCISE.options(
        joinedload(Topic.category), joinedload(Topic.offline_input), joinedload(Topic.merged_into)
    )


def consultation_and_topic(
    slug: str, topic_id: int, statement: sa.Select
) -> tuple[Consultation, Topic | None]:
    """The consultation with its exercise and its topic `topic_id`, read in one
    statement; the topic is None when the consultation has no such topic."""
    row = db.session.execute(statement, {"slug": slug, "topic_id": topic_id}).first()
    if row is None:
        return get_consultation(slug), None
    topic, consultation, exercise = row
    linked(exercise, consultation)
    set_committed_value(topic, "consultation", consultation)
    return consultation, topic


def get_topic(consultation: Consultation, topic_id: int) -> Topic:
    return visible_topic(consultation, db.session.get(Topic, topic_id))


def visible_topic(consultation: Consultation, topic: Topic | None) -> Topic:
    """A topic of this consultation; one awaiting moderation exists only for its
    author and the moderators."""
    if topic is None or topic.consultation_id != consultation.id:
        abort(404)
    if topic.state == TopicState.PENDING and not (
        (current_user.is_authenticated and topic.author_id == current_user.id)
        or can(ConsultationAction.MODERATE, consultation)
    ):
        abort(404)
    return topic


def category_choices(consultation: Consultation, blank: str) -> list[SelectChoice]:
    return [SelectChoice(0, blank)] + [
        SelectChoice(c.id, c.name.get(current_language()) or c.name.get("es", ""))
        for c in consultation.categories
    ]


def chosen_category(consultation: Consultation, category_id: int | None):
    return next((c for c in consultation.categories if c.id == category_id), None)


def topic_choices(consultation: Consultation) -> list[SelectChoice]:
    return [SelectChoice(0, "—")] + [
        SelectChoice(t.id, t.title.get(current_language()) or t.title.get("es", ""))
        for t in services.published_topics(consultation)
    ]


# ----- the consultation page ----------------------------------------------------


def topic_form(consultation: Consultation, from_request: bool = False) -> TopicForm:
    form = TopicForm(prefix="topic") if from_request else TopicForm(prefix="topic", formdata=None)
    form.category.choices = category_choices(consultation, _("Choose a category"))
    return form


def topics_page(consultation: Consultation):
    """Published topics (or the decided ones, when asked), filtered and paged."""
    state = request.args.get("state", TopicState.PUBLISHED.value)
    state = TopicState(state) if state in {s.value for s in PUBLIC_STATES} else TopicState.PUBLISHED
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "votes"
    category_id = request.args.get("category", type=int)
    query = (
        sa.select(Topic)
        .where(Topic.consultation_id == consultation.id, Topic.state == state)
        .options(selectinload(Topic.category), selectinload(Topic.merged_into))
    )
    if category_id:
        query = query.where(Topic.category_id == category_id)
    if sort == "new":
        query = query.order_by(Topic.created_at.desc(), Topic.id.desc())
    else:
        query = query.order_by((Topic.online_votes + Topic.offline_votes).desc(), Topic.id)
    page = db.paginate(query, per_page=TOPICS_PER_PAGE, error_out=False, count=True)
    return page, {"state": state.value, "sort": sort, "category": category_id or ""}


def consultation_context(consultation: Consultation, form: TopicForm | None = None) -> dict:
    exercise = consultation.exercise
    page, filters = topics_page(consultation)
    participant = services.participant_of(consultation, current_user)
    mine = []
    if current_user.is_authenticated:
        mine = db.session.scalars(
            sa.select(Topic)
            .where(Topic.consultation_id == consultation.id, Topic.author_id == current_user.id)
            .order_by(Topic.created_at.desc())
        ).all()
    status = consultation.status()
    return {
        "exercise": exercise,
        "consultation": consultation,
        "phase": status,
        "topics": page,
        "filters": filters,
        "voted": services.voted_topic_ids(current_user, [t.id for t in page.items]),
        "participant": participant,
        "votes_left": votes_left(consultation, participant),
        "my_topics": mine,
        "form": form or topic_form(consultation),
        "may_propose": consultation.accepts_topics and status == ConsultationStatus.OPEN,
        "pending": services.pending_count(consultation)
        if can(ConsultationAction.MODERATE, consultation)
        else 0,
    }


def votes_left(consultation: Consultation, participant) -> int | None:
    if consultation.vote_budget is None:
        return None
    return consultation.vote_budget - (participant.votes_cast if participant else 0)


@bp.get("")
def show(slug: str):
    exercise, consultation = exercise_and_consultation(slug)
    if consultation is None:
        if can(ConsultationAction.CONFIGURE, exercise):
            return redirect(url_for("consultation.settings", slug=slug))
        abort(404)
    context = consultation_context(consultation)
    return render("consultation/show.html", "consultation/_topics.html", **context)


@bp.post("/topics")
def propose(slug: str):
    consultation = get_consultation(slug)
    require(ConsultationAction.TAKE_PART, consultation)
    form = topic_form(consultation, from_request=True)
    if form.validate_on_submit():
        language = current_language()
        try:
            topic = services.submit_topic(
                consultation,
                current_user,
                title={language: form.title.data.strip()},
                description={language: d} if (d := (form.description.data or "").strip()) else {},
                category=chosen_category(consultation, form.category.data),
            )
        except ConsultationError as error:
            db.session.rollback()
            form.title.errors = [*form.title.errors, str(error.message)]
        else:
            db.session.commit()
            flash(
                _("Thank you! Your topic will appear once the facilitator has reviewed it."),
                "success",
            )
            return see_other(url_for("consultation.topic", slug=slug, topic_id=topic.id))
    context = consultation_context(consultation, form)
    return render("consultation/show.html", status=422, **context)


# ----- one topic and its vote ---------------------------------------------------


def vote_context(
    consultation: Consultation,
    topic: Topic,
    *,
    voted: bool | None = None,
    votes_cast: int | None = None,
    error: str | None = None,
    user_id: int | None = None,
) -> dict:
    """What a topic's vote block shows; `voted` and `votes_cast` (the citizen's votes
    in use) are read unless given."""
    if user_id is None and current_user.is_authenticated:
        user_id = current_user.id
    if voted is None:
        voted = services.has_voted(topic.id, user_id)
    left = None
    if consultation.vote_budget is not None:
        if votes_cast is None:
            votes_cast = services.votes_cast(consultation, user_id)
        left = consultation.vote_budget - votes_cast
    return {
        "exercise": consultation.exercise,
        "consultation": consultation,
        "phase": consultation.status(),
        "t": topic,
        "voted": {topic.id} if voted else set(),
        "votes_left": left,
        "vote_error": error,
    }


@bp.get("/topics/<int:topic_id>")
def topic(slug: str, topic_id: int):
    consultation, topic = consultation_and_topic(slug, topic_id, topic_page_subjects())
    topic = visible_topic(consultation, topic)
    offline = services.offline_votes_by_channel(consultation, [topic.id]).get(topic.id, {})
    merged_here = db.session.scalars(
        sa.select(Topic).where(Topic.merged_into_id == topic.id).order_by(Topic.id)
    ).all()
    decisions = feedback.history(topic=topic)
    return render(
        "consultation/topic.html",
        offline=offline,
        merged_here=merged_here,
        decisions=decisions,
        **vote_context(consultation, topic),
    )


def change_vote(slug: str, topic_id: int, action, voted: bool):
    """Vote or withdraw (`voted`: whether the citizen has voted once `action` is done).
    For htmx the answer is the topic's vote block, built from what the request has
    read and written: the commit keeps it loaded."""
    consultation, topic = consultation_and_topic(slug, topic_id, vote_subjects())
    require(ConsultationAction.TAKE_PART, consultation)
    topic = visible_topic(consultation, topic)
    try:
        votes_cast = action(topic, current_user)
    except ConsultationError as error:
        message = str(error.message)  # in the user's language, read before the rollback
        user_id = current_user.id
        db.session.rollback()
        if htmx:
            # The rollback expired what was read: the topic, its consultation and
            # exercise come back in one statement.
            consultation, topic = consultation_and_topic(slug, topic_id, vote_subjects())
            topic = visible_topic(consultation, topic)
            context = vote_context(consultation, topic, error=message, user_id=user_id)
            return render("consultation/_vote_changed.html", status=409, **context)
        flash(message, "error")
    else:
        if htmx:
            session = db.session()
            session.expire_on_commit = False
            try:
                session.commit()
            finally:
                session.expire_on_commit = True
            context = vote_context(consultation, topic, voted=voted, votes_cast=votes_cast)
            return render("consultation/_vote_changed.html", **context)
        db.session.commit()
    fallback = url_for("consultation.topic", slug=slug, topic_id=topic_id)
    return redirect(back_or(fallback) + f"#vote-{topic_id}", code=303)


@bp.post("/topics/<int:topic_id>/vote")
def vote(slug: str, topic_id: int):
    return change_vote(slug, topic_id, services.cast_vote, voted=True)


@bp.post("/topics/<int:topic_id>/withdraw")
def withdraw(slug: str, topic_id: int):
    return change_vote(slug, topic_id, services.withdraw_vote, voted=False)


# ----- settings and categories ------------------------------------------------------


def settings_form(exercise: Exercise) -> ConsultationForm:
    consultation = exercise.consultation
    if consultation is None:
        return ConsultationForm()
    # Only `data`: with `obj` WTForms would show the stored UTC times.
    data = {
        "question": dict(consultation.question),
        "explanation": dict(consultation.explanation or {}),
        "opens_at": exercise.to_local(consultation.opens_at),
        "closes_at": exercise.to_local(consultation.closes_at),
        "accepts_topics": consultation.accepts_topics,
        "vote_budget": consultation.vote_budget,
        "regions": consultation.regions,
    }
    return ConsultationForm(data=data)


def render_settings(exercise: Exercise, form, category_form=None, status=200, error=None):
    return render(
        "consultation/settings.html",
        "consultation/_categories.html",
        status=status,
        exercise=exercise,
        consultation=exercise.consultation,
        form=form,
        category_form=category_form or CategoryForm(prefix="category", formdata=None),
        category_error=error,
    )


@bp.route("/settings", methods=["GET", "POST"])
def settings(slug: str):
    exercise = get_exercise(slug)
    require(ConsultationAction.CONFIGURE, exercise)
    form = settings_form(exercise)
    if form.validate_on_submit():
        consultation = exercise.consultation or Consultation(exercise=exercise)
        try:
            opens_at = exercise.to_utc(form.opens_at.data)
            closes_at = exercise.to_utc(form.closes_at.data)
            services.check_period(opens_at, closes_at)
            services.change_vote_budget(consultation, form.vote_budget.data)
        except ConsultationError as error:
            db.session.rollback()
            form.closes_at.errors = [*form.closes_at.errors, str(error.message)]
        else:
            form.question.populate_obj(consultation, "question")
            form.explanation.populate_obj(consultation, "explanation")
            consultation.opens_at, consultation.closes_at = opens_at, closes_at
            consultation.accepts_topics = form.accepts_topics.data
            consultation.regions = (form.regions.data or "").strip()
            db.session.add(consultation)
            db.session.commit()
            flash(_("The consultation was saved."), "success")
            return see_other(url_for("consultation.settings", slug=slug))
    return render_settings(exercise, form, status=422 if form.errors else 200)


def editable_consultation(slug: str) -> Consultation:
    consultation = get_consultation(slug)
    require(ConsultationAction.CONFIGURE, consultation)
    return consultation


def categories_saved(consultation: Consultation):
    db.session.commit()
    if htmx:
        return render_settings(consultation.exercise, settings_form(consultation.exercise))
    return see_other(
        url_for("consultation.settings", slug=consultation.exercise.slug) + "#categories"
    )


@bp.post("/categories")
def add_category(slug: str):
    consultation = editable_consultation(slug)
    form = CategoryForm(prefix="category")
    if form.validate_on_submit():
        services.add_category(consultation, {})
        form.name.populate_obj(consultation.categories[-1], "name")
        return categories_saved(consultation)
    return render_settings(consultation.exercise, settings_form(consultation.exercise), form, 422)


@bp.post("/categories/<int:category_id>")
def rename_category(slug: str, category_id: int):
    consultation = editable_consultation(slug)
    category = owned_or_404(TopicCategory, category_id, consultation.exercise)
    form = CategoryForm(prefix=f"category-{category.id}")
    if form.validate_on_submit():
        form.name.populate_obj(category, "name")
        return categories_saved(consultation)
    error = _("Write the category's name in Spanish.")
    return render_settings(
        consultation.exercise, settings_form(consultation.exercise), status=422, error=error
    )


@bp.post("/categories/<int:category_id>/delete")
def delete_category(slug: str, category_id: int):
    consultation = editable_consultation(slug)
    category = owned_or_404(TopicCategory, category_id, consultation.exercise)
    if services.category_in_use(category):
        return render_settings(
            consultation.exercise,
            settings_form(consultation.exercise),
            status=409,
            error=_("Topics use this category, so it stays; rename it instead."),
        )
    db.session.delete(category)
    return categories_saved(consultation)


# ----- moderation -----------------------------------------------------------------


MODERATION_QUEUE = 100


def moderation_context(consultation: Consultation, forms: dict | None = None) -> dict:
    """The oldest topics awaiting moderation, then a page of published ones (a
    duplicate may surface late). One list of merge targets serves every card."""
    queue = (
        sa.select(Topic)
        .where(Topic.consultation_id == consultation.id, Topic.state == TopicState.PENDING)
        .options(selectinload(Topic.category))
    )
    pending = db.session.scalars(queue.order_by(Topic.created_at).limit(MODERATION_QUEUE)).all()
    published = db.paginate(
        sa.select(Topic)
        .where(Topic.consultation_id == consultation.id, Topic.state == TopicState.PUBLISHED)
        .order_by(Topic.created_at.desc(), Topic.id.desc())
        .options(selectinload(Topic.category)),
        per_page=TOPICS_PER_PAGE,
        error_out=False,
    )
    forms = forms or {}

    def card(topic: Topic) -> dict:
        reject_form, merge_form = forms.get(topic.id, (None, None))
        return {
            "topic": topic,
            "reject": reject_form or RejectForm(prefix=f"reject-{topic.id}", formdata=None),
            "merge": merge_form or MergeForm(prefix=f"merge-{topic.id}", formdata=None),
        }

    return {
        "exercise": consultation.exercise,
        "consultation": consultation,
        "pending_cards": [card(t) for t in pending],
        "published_cards": [card(t) for t in published.items],
        "published": published,
        "pending_count": services.pending_count(consultation),
        "merge_targets": services.published_topics(consultation),
        "final": consultation.prioritised_at is not None,
    }


def render_moderation(consultation: Consultation, forms=None, status=200, error=None):
    return render(
        "consultation/moderation.html",
        "consultation/_moderation.html",
        status=status,
        moderation_error=error,
        **moderation_context(consultation, forms),
    )


def moderated(consultation: Consultation, message: str):
    db.session.commit()
    if htmx:
        return render_moderation(consultation)
    flash(message, "success")
    return see_other(url_for("consultation.moderation", slug=consultation.exercise.slug))


def moderation_refused(consultation: Consultation, error: ConsultationError, forms=None):
    db.session.rollback()
    return render_moderation(consultation, forms, status=409, error=str(error.message))


def moderated_topic(slug: str, topic_id: int) -> tuple[Consultation, Topic]:
    consultation = get_consultation(slug)
    require(ConsultationAction.MODERATE, consultation)
    return consultation, get_topic(consultation, topic_id)


@bp.get("/moderation")
def moderation(slug: str):
    consultation = get_consultation(slug)
    require(ConsultationAction.MODERATE, consultation)
    return render_moderation(consultation)


@bp.post("/topics/<int:topic_id>/publish")
def publish(slug: str, topic_id: int):
    consultation, topic = moderated_topic(slug, topic_id)
    try:
        services.publish(topic)
    except ConsultationError as error:
        return moderation_refused(consultation, error)
    return moderated(consultation, _("The topic is published."))


@bp.post("/topics/<int:topic_id>/reject")
def reject(slug: str, topic_id: int):
    consultation, topic = moderated_topic(slug, topic_id)
    form = RejectForm(prefix=f"reject-{topic.id}")
    if form.validate_on_submit():
        try:
            services.reject(topic, current_user, form.reason.texts)
        except ConsultationError as error:
            return moderation_refused(consultation, error, {topic.id: (form, None)})
        return moderated(consultation, _("The topic was rejected; its author can read why."))
    return render_moderation(consultation, {topic.id: (form, None)}, status=422)


@bp.post("/topics/<int:topic_id>/merge")
def merge(slug: str, topic_id: int):
    consultation, topic = moderated_topic(slug, topic_id)
    form = MergeForm(prefix=f"merge-{topic.id}")
    if form.validate_on_submit():
        target = db.session.get(Topic, form.target.data) or topic  # the service refuses both
        try:
            services.merge(topic, target, current_user)
        except ConsultationError as error:
            return moderation_refused(consultation, error, {topic.id: (None, form)})
        return moderated(consultation, _("The topic was merged; its votes moved across."))
    return render_moderation(consultation, {topic.id: (None, form)}, status=422)


@bp.route("/topics/<int:topic_id>/edit", methods=["GET", "POST"])
def edit_topic(slug: str, topic_id: int):
    consultation, topic = moderated_topic(slug, topic_id)
    data = {"title": dict(topic.title), "description": dict(topic.description or {})}
    form = StaffTopicForm(data=data, category=topic.category_id or 0)
    form.category.choices = category_choices(consultation, _("No category"))
    if form.validate_on_submit():
        form.title.populate_obj(topic, "title")
        form.description.populate_obj(topic, "description")
        topic.category = chosen_category(consultation, form.category.data)
        db.session.commit()
        flash(_("The topic was saved."), "success")
        return see_other(back_or(url_for("consultation.topic", slug=slug, topic_id=topic.id)))
    return render(
        "consultation/edit_topic.html",
        status=422 if form.errors else 200,
        exercise=consultation.exercise,
        consultation=consultation,
        topic=topic,
        form=form,
    )


# ----- offline input ------------------------------------------------------------------


def offline_allowed(slug: str) -> Consultation:
    consultation = get_consultation(slug)
    require(ConsultationAction.RECORD_OFFLINE, consultation)
    return consultation


@bp.route("/offline", methods=["GET", "POST"])
def offline(slug: str):
    consultation = offline_allowed(slug)
    form = OfflineInputForm(prefix="offline")
    refusal = None
    if form.validate_on_submit():
        try:
            services.check_moderation_open(consultation)
        except ConsultationError as error:
            refusal = str(error.message)
        else:
            record = OfflineInput(
                consultation=consultation,
                channel=Channel(form.channel.data),
                place=form.place.data.strip(),
                held_on=form.held_on.data,
                participants=form.participants.data or 0,
                notes=(form.notes.data or "").strip(),
                recorded_by_id=current_user.id,
            )
            db.session.add(record)
            db.session.commit()
            flash(_("Recorded. Now add the topics and votes it gathered."), "success")
            return see_other(url_for("consultation.offline_input", slug=slug, input_id=record.id))
    return render(
        "consultation/offline.html",
        status=409 if refusal else (422 if form.errors else 200),
        exercise=consultation.exercise,
        consultation=consultation,
        form=form,
        refusal=refusal,
    )


def offline_forms(consultation: Consultation, topic_form=None, tally_form=None) -> dict:
    topic_form = topic_form or OfflineTopicForm(prefix="new", formdata=None)
    topic_form.category.choices = category_choices(consultation, _("No category"))
    tally_form = tally_form or TallyForm(prefix="tally", formdata=None)
    tally_form.topic.choices = topic_choices(consultation)
    return {"topic_form": topic_form, "tally_form": tally_form}


def render_offline_record(record: OfflineInput, status=200, error=None, **forms):
    consultation = record.consultation
    return render(
        "consultation/offline_input.html",
        "consultation/_offline_input.html",
        status=status,
        exercise=consultation.exercise,
        consultation=consultation,
        record=record,
        final=consultation.prioritised_at is not None,
        offline_error=error,
        **offline_forms(consultation, **forms),
    )


def offline_saved(record: OfflineInput):
    db.session.commit()
    if htmx:
        return render_offline_record(record)
    slug = record.consultation.exercise.slug
    return see_other(url_for("consultation.offline_input", slug=slug, input_id=record.id))


@bp.get("/offline/<int:input_id>")
def offline_input(slug: str, input_id: int):
    consultation = offline_allowed(slug)
    return render_offline_record(owned_or_404(OfflineInput, input_id, consultation.exercise))


@bp.post("/offline/<int:input_id>/topics")
def add_offline_topic(slug: str, input_id: int):
    consultation = offline_allowed(slug)
    record = owned_or_404(OfflineInput, input_id, consultation.exercise)
    form = OfflineTopicForm(prefix="new")
    form.category.choices = category_choices(consultation, _("No category"))
    if form.validate_on_submit():
        try:
            services.add_offline_topic(
                record,
                title=form.title.texts,
                description=form.description.texts,
                category=chosen_category(consultation, form.category.data),
                votes=form.votes.data or 0,
            )
        except ConsultationError as error:
            db.session.rollback()
            return render_offline_record(record, 409, str(error.message), topic_form=form)
        return offline_saved(record)
    return render_offline_record(record, 422, topic_form=form)


@bp.post("/offline/<int:input_id>/tallies")
def set_tally(slug: str, input_id: int):
    consultation = offline_allowed(slug)
    record = owned_or_404(OfflineInput, input_id, consultation.exercise)
    form = TallyForm(prefix="tally")
    form.topic.choices = topic_choices(consultation)
    if form.validate_on_submit():
        topic = get_topic(consultation, form.topic.data)
        try:
            services.set_tally(record, topic, form.votes.data)
        except ConsultationError as error:
            db.session.rollback()
            return render_offline_record(record, 409, str(error.message), tally_form=form)
        return offline_saved(record)
    return render_offline_record(record, 422, tally_form=form)


@bp.post("/offline/<int:input_id>/tallies/<int:tally_id>/delete")
def remove_tally(slug: str, input_id: int, tally_id: int):
    consultation = offline_allowed(slug)
    record = owned_or_404(OfflineInput, input_id, consultation.exercise)
    tally = owned_or_404(OfflineTally, tally_id, consultation.exercise)
    if tally.offline_input_id != record.id:
        abort(404)
    try:
        services.remove_tally(tally)
    except ConsultationError as error:
        db.session.rollback()
        return render_offline_record(record, 409, str(error.message))
    return offline_saved(record)


# ----- results, open data and prioritisation ---------------------------------------------


@bp.get("/results")
def results(slug: str):
    consultation = get_consultation(slug)
    return render(
        "consultation/results.html",
        exercise=consultation.exercise,
        consultation=consultation,
        phase=consultation.status(),
        results=compute_results(consultation, shown=RANKING_SHOWN),
    )


@bp.get("/<any(topics, participation):dataset>.<any(csv, json):extension>")
def download(slug: str, dataset: str, extension: str):
    consultation = get_consultation(slug)
    return exports.download(consultation, dataset, extension)


@bp.route("/prioritise", methods=["GET", "POST"])
def prioritise(slug: str):
    consultation = get_consultation(slug)
    require(ConsultationAction.PRIORITISE, consultation)
    form = PrioritiseForm()
    published = services.published_topics(consultation)
    form.topics.choices = [
        SelectChoice(t.id, t.title.get(current_language()) or t.title.get("es", ""))
        for t in published
    ]
    error = None
    if form.validate_on_submit():
        chosen = [t for t in published if t.id in set(form.topics.data)]
        try:
            services.prioritise(consultation, chosen, current_user, reason=form.reason.texts)
        except ConsultationError as error_:
            db.session.rollback()
            error = str(error_.message)
        else:
            db.session.commit()
            flash(_("The prioritisation is recorded, with every topic's decision."), "success")
            return see_other(url_for("consultation.results", slug=slug))
    return render(
        "consultation/prioritise.html",
        status=409 if error else (422 if form.errors else 200),
        exercise=consultation.exercise,
        consultation=consultation,
        phase=consultation.status(),
        pending=services.pending_count(consultation),
        results=compute_results(consultation),
        form=form,
        error=error,
    )


# ----- the optional participation profile -----------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
def profile(slug: str):
    consultation = get_consultation(slug)
    require(ConsultationAction.TAKE_PART, consultation)
    participant = services.participant_of(consultation, current_user)
    form = ProfileForm()
    form.set_regions(consultation.region_list)
    if participant is not None and form.validate_on_submit():
        answers = services.Profile(
            age_band=AgeBand(form.age_band.data),
            gender=Gender(form.gender.data),
            region=form.region.data,
            indigenous=Answer(form.indigenous.data),
            disability=Answer(form.disability.data),
        )
        try:
            services.give_profile(participant, answers)
        except ConsultationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Thank you. Your answers only ever count in totals."), "success")
        return see_other(url_for("consultation.show", slug=slug))
    return render(
        "consultation/profile.html",
        status=422 if form.errors else 200,
        exercise=consultation.exercise,
        consultation=consultation,
        participant=participant,
        form=form,
    )


@bp.post("/profile/erase")
def erase_profile(slug: str):
    consultation = get_consultation(slug)
    require(ConsultationAction.TAKE_PART, consultation)
    participant = services.participant_of(consultation, current_user)
    if participant is not None:
        services.erase_profile(participant)
        db.session.commit()
    flash(_("Your profile answers were erased."), "success")
    return see_other(url_for("consultation.profile", slug=slug))
