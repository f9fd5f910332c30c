"""The public feedback log: every citizen input with its fate, filtered and paged,
the summary by category, downloads of the whole log, the verification of its hash
chain, and corrections by the facilitator and the STL."""

import csv
import io
import json

from flask import Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coplat.consultation.enums import Channel
from coplat.core.forms import show_error
from coplat.core.models import utcnow
from coplat.core.permissions import require
from coplat.core.rendering import render, see_other
from coplat.exercises.services import get_exercise, owned_or_404
from coplat.extensions import db, htmx
from coplat.feedback import bp, log
from coplat.feedback.chain import verify
from coplat.feedback.enums import Decision, Stage
from coplat.feedback.forms import CorrectionForm
from coplat.feedback.models import FeedbackEntry
from coplat.feedback.permissions import FeedbackAction
from coplat.feedback.services import DECIDERS, FeedbackError, correct
from coplat.tables.enums import ProposalChannel
from coplat.tables.services import tables_of

# Export format: bump when a column or key changes meaning.
EXPORT_VERSION = 1


def filters_from(args) -> log.Filters:
    return log.Filters(
        stage=args.get("stage", "") if args.get("stage") in set(Stage) else "",
        decision=args.get("decision", "")
        if args.get("decision") in {*Decision, log.PENDING}
        else "",
        category=args.get("category", 0, type=int),
        table=args.get("table", 0, type=int),
        channel=args.get("channel", "") if args.get("channel") in channels() else "",
        text=args.get("q", "")[:200],
        page=args.get("page", 1, type=int),
    )


def channels() -> dict[str, str]:
    """Where inputs came from: the consultation's channels and the tables'."""
    return {c.value: c.label for c in Channel} | {c.value: c.label for c in ProposalChannel}


@bp.get("")
def index(slug: str):
    exercise = get_exercise(slug)
    filters = filters_from(request.args)
    categories = log.categories_of(exercise)
    # htmx asks for the results alone: the summary only when it gives their count.
    fragment = bool(htmx) and not htmx.boosted
    summary = log.summary(exercise) if filters.summarised or not fragment else None
    return render(
        "feedback/index.html",
        "feedback/_results.html",
        exercise=exercise,
        filters=filters,
        results=log.page_of(exercise, filters, summary),
        summary=summary,
        categories={c.id: c for c in categories},
        tables={t.id: t for t in tables_of(exercise)},
        channels=channels(),
        decisions=list(Decision),
        stages=list(Stage),
        pending=log.PENDING,
        now=utcnow(),
    )


@bp.get("/verify")
def verification(slug: str):
    exercise = get_exercise(slug)
    return render("feedback/verify.html", exercise=exercise, result=verify(exercise.id))


# ----- downloads --------------------------------------------------------------------


def exported(entry: FeedbackEntry) -> dict:
    """One entry as the downloads give it: who decided as a role and a sector only."""
    item = entry.topic or entry.proposal
    return {
        "sequence": entry.sequence,
        "decided_at": entry.decided_at.isoformat(),
        "stage": entry.stage.value,
        "input_kind": "topic" if entry.topic_id else "proposal",
        "input_id": entry.topic_id or entry.proposal_id,
        "input_title": dict(item.title) if item else {},
        "decision": entry.decision.value,
        "reason": dict(entry.reason or {}),
        "merged_into_topic": entry.merged_into_id,
        "commitment": entry.commitment_id,
        "decided_by_role": entry.decided_role.value if entry.decided_role else "administrator",
        "decided_by_sector": entry.decided_sector.value if entry.decided_sector else None,
        "supersedes_sequence": entry.supersedes.sequence if entry.supersedes else None,
        "correction_reason": dict(entry.correction_reason or {}),
        "previous_hash": entry.previous_hash,
        "hash": entry.hash,
    }


def attachment(body: str, mimetype: str, name: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/log.json")
def log_json(slug: str):
    exercise = get_exercise(slug)
    document = {
        "format": "coplat-feedback-log",
        "version": EXPORT_VERSION,
        "exercise": exercise.slug,
        "entries": [exported(e) for e in log.entries_of(exercise)],
    }
    return attachment(
        json.dumps(document, ensure_ascii=False, indent=1),
        "application/json",
        f"{exercise.slug}-feedback-log.json",
    )


@bp.get("/log.csv")
def log_csv(slug: str):
    exercise = get_exercise(slug)
    out = io.StringIO()
    writer = csv.writer(out)
    columns = None
    for entry in log.entries_of(exercise):
        row = exported(entry)
        flat = {}
        for key, value in row.items():
            if isinstance(value, dict):
                for language in exercise.languages:
                    flat[f"{key}_{language}"] = value.get(language, "")
            else:
                flat[key] = "" if value is None else value
        if columns is None:
            columns = list(flat)
            writer.writerow(columns)
        writer.writerow([flat[c] for c in columns])
    # A byte-order mark, so spreadsheets open the accents right.
    return attachment("\ufeff" + out.getvalue(), "text/csv", f"{exercise.slug}-feedback-log.csv")


# ----- corrections ------------------------------------------------------------------


@bp.route("/entries/<int:entry_id>/correct", methods=["GET", "POST"])
def correct_entry(slug: str, entry_id: int):
    exercise = get_exercise(slug)
    entry = owned_or_404(FeedbackEntry, entry_id, exercise)
    require(FeedbackAction.CORRECT, exercise)
    form = CorrectionForm() if request.method == "POST" else CorrectionForm(formdata=None)
    form.decision.choices = [(d.value, d.label) for d in decisions_for(entry)]
    if request.method == "GET":
        form.decision.data = entry.decision.value
        form.reason.process(None, data=dict(entry.reason or {}))
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                correct(
                    entry,
                    current_user,
                    acting_as=DECIDERS,
                    correction_reason=form.correction_reason.texts,
                    reason=form.reason.texts,
                    decision=Decision(form.decision.data),
                )
            except FeedbackError as error:
                db.session.rollback()
                if not show_error(form, error.field, error.message):
                    form.decision.errors = [*form.decision.errors, str(error.message)]
            else:
                db.session.commit()
                flash(
                    _("The correction is in the log; the earlier decision stays public."), "success"
                )
                return see_other(item_url(exercise, entry))
    return render(
        "feedback/correct.html",
        status=status,
        exercise=exercise,
        entry=entry,
        form=form,
        back=item_url(exercise, entry),
    )


def decisions_for(entry: FeedbackEntry) -> list[Decision]:
    """What a correction may say: a topic's decision stands; a proposal's may move
    between adopted, modified and rejected."""
    if entry.proposal_id:
        return [Decision.ADOPTED, Decision.MODIFIED, Decision.REJECTED]
    return [entry.decision]


def item_url(exercise, entry: FeedbackEntry) -> str:
    if entry.topic_id:
        return url_for("consultation.topic", slug=exercise.slug, topic_id=entry.topic_id)
    if entry.proposal_id:
        return url_for(
            "tables.proposal",
            slug=exercise.slug,
            table_id=entry.proposal.table_id,
            proposal_id=entry.proposal_id,
        )
    abort(404)
