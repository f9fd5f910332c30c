"""The action plan as one document in one language: plain data that every export
(DOCX, PDF, HTML, JSON, CSV) renders, and that the JSON export publishes as it is
(described by schema/plan-v1.schema.json).

Free text comes in the document's language only. OGP reads the plan in English, so a
text written in Spanish alone is never shown in its place: the document is refused,
naming each such field, or (when asked) carries MISSING_MARK there."""

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from flask import url_for
from flask_babel import force_locale, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coplat.commitments.models import Commitment
from coplat.commitments.services import fields, labels_of
from coplat.core.i18n import pick
from coplat.core.models import utcnow
from coplat.core.uploads import Upload
from coplat.plan.models import ActionPlan, PlanAttachment
from coplat.plan.services import (
    EndorsementState,
    Named,
    PlanError,
    current_fingerprint,
    endorsements_of,
    is_approved,
    limit_of,
    named_in,
)
from coplat.plan.vision import SECTIONS, VisionField

FORMAT = "coplat-ogp-local-plan"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schema" / "plan-v1.schema.json"
# Stays the same in every language, so that a reader (or a script) finds every gap.
MISSING_MARK = "[translation missing]"
LANGUAGE_NAMES = {"en": _l("English"), "es": _l("Spanish")}

# Names a missing text's place, in the reader's language: evaluated after the document
# is built, outside the document's language.
Where = Callable[[], str]


class MissingTranslation(PlanError):
    def __init__(self, fields: list[str], language: str = "en"):
        self.fields = list(fields)
        self.language = language
        super().__init__(
            lazy_ngettext(
                "The plan lacks its %(language)s text in %(num)s field: %(fields)s",
                "The plan lacks its %(language)s text in %(num)s fields: %(fields)s",
                len(self.fields),
                language=LANGUAGE_NAMES.get(language, language),
                fields="; ".join(self.fields),
            )
        )


class _Texts:
    """Picks each free text in the document's language and notes where one lacks it."""

    def __init__(self, language: str):
        self.language = language
        self.missing: list[Where] = []

    def __call__(self, value: dict | None, where: Where) -> str:
        value = value or {}
        text = value.get(self.language) or ""
        if text.strip():
            return text
        if any(isinstance(other, str) and other.strip() for other in value.values()):
            self.missing.append(where)
            return MISSING_MARK
        return ""  # empty in every language: a gap the readiness check reports


def document(plan: ActionPlan, language: str = "en", mark_missing: bool = False) -> dict:
    """The whole plan in `language`. Raises MissingTranslation when a free text has no
    version in that language, unless `mark_missing` puts MISSING_MARK in its place."""
    texts = _Texts(language)
    with force_locale(language):
        endorsements = [_endorsement(state) for state in endorsements_of(plan)]
        content = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "language": language,
            "generated_at": _moment(utcnow()),
            "exercise": _exercise(plan, texts),
            "plan": _plan(plan),
            "strategic_vision": _vision(plan, texts, endorsements),
            "endorsements_needing_renewal": [e for e in endorsements if e["needs_renewal"]],
            "annex_2": _annex_2(),
            "commitments": _commitments(plan, texts),
        }
    if texts.missing and not mark_missing:
        names = list(dict.fromkeys(where() for where in texts.missing))
        raise MissingTranslation(names, language)
    return content


# ----- small values ---------------------------------------------------------------


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _moment(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def _upload(upload: Upload | None) -> dict | None:
    """A file's name, and its address when anyone may download it."""
    if upload is None:
        return None
    url = (
        url_for("uploads.download", upload_id=upload.id, name=upload.original_name, _external=True)
        if upload.is_public
        else None
    )
    return {"name": upload.original_name, "url": url}


# ----- exercise and plan ------------------------------------------------------------


def _exercise(plan: ActionPlan, texts: _Texts) -> dict:
    exercise = plan.exercise
    return {
        "slug": exercise.slug,
        "name": texts(exercise.name, lambda: _("Name of the exercise")),
        "kind": exercise.kind.label,
        "jurisdictions": [{"name": j.name, "state": j.state} for j in exercise.jurisdictions],
        "joint": exercise.is_joint,
    }


def _revision_number(plan: ActionPlan) -> int | None:
    """The number of the revision the plan's content matches; None when it changed
    since the last one (exporting never numbers a new revision)."""
    latest = plan.latest_revision
    if latest is not None and latest.fingerprint == current_fingerprint(plan):
        return latest.number
    return None


def _plan(plan: ActionPlan) -> dict:
    exercise = plan.exercise
    return {
        "status": plan.status.value,
        "status_label": plan.status.label,
        "revision": _revision_number(plan),
        "starts_on": _day(exercise.plan_starts_on),
        "ends_on": _day(exercise.plan_ends_on),
        "commitment_limit": limit_of(plan),
    }


# ----- Annex 1: the strategic vision -----------------------------------------------


def _endorsement(state: EndorsementState) -> dict:
    endorsement = state.endorsement
    return {
        "actor": endorsement.actor.name,
        "sector": endorsement.actor.sector.label,
        "representative": endorsement.representative,
        "position": endorsement.position,
        "endorsed_at": _moment(endorsement.endorsed_at),
        # The day as the exercise lives it, which is what the printed plan shows.
        "endorsed_on": endorsement.exercise.to_local(endorsement.endorsed_at).date().isoformat(),
        "plan_revision": endorsement.revision.number,
        "needs_renewal": state.needs_renewal,
        "signed_document": _upload(endorsement.document),
    }


def _attachment(attachment: PlanAttachment, texts: _Texts) -> dict:
    def where() -> str:
        return _("8. Title of the attachment “%(title)s”", title=pick(attachment.title)[0])

    return {"title": texts(attachment.title, where), **_upload(attachment.upload)}


def _vision_value(plan: ActionPlan, field: VisionField, texts: _Texts, endorsements: list):
    kind = field.kind
    if kind == "text":

        def where() -> str:
            return _("Strategic vision, %(field)s", field=f"{field.number}. {field.label}")

        return texts(getattr(plan, field.key), where)
    if kind == "period":
        return _day(getattr(plan.exercise, field.key))
    if kind == "count":
        return getattr(plan, field.key)
    if kind in ("contact", "link"):
        return getattr(plan, field.key) or ""
    if kind == "letter":
        return _upload(plan.letter)
    if kind == "attachments":
        return [_attachment(attachment, texts) for attachment in plan.attachments]
    if kind == "endorsements":
        # Field 7 lists the endorsements of the plan as it is now; the others wait
        # for renewal and are listed apart.
        return [e for e in endorsements if not e["needs_renewal"]]
    raise ValueError(f"Annex 1 field {field.number} has an unknown kind: {kind}")


def _vision(plan: ActionPlan, texts: _Texts, endorsements: list) -> dict:
    return {
        "sections": [
            {
                "number": section.number,
                "title": str(section.title),
                "fields": [
                    {
                        "number": field.number,
                        "key": field.key,
                        "label": str(field.label),
                        "kind": field.kind,
                        "value": _vision_value(plan, field, texts, endorsements),
                    }
                    for field in section.fields
                ],
            }
            for section in SECTIONS
        ]
    }


# ----- Annex 2: the commitments ---------------------------------------------------


def _annex_2() -> list[dict]:
    """The commitment template's fields in order, numbered 1–17, then those the NOSC
    method adds (unnumbered)."""
    return [
        {"number": f.number, "key": f.key, "label": f.label, "kind": f.kind}
        for f in fields()
        if f.key != "withdrawn"  # the plan holds no withdrawn commitment
    ]


def _field_name(key: str) -> str:
    """ "6. Problem": a commitment field as its page names it, in the reader's language."""
    key = {"other_resources": "resources"}.get(key, key)  # a part of field 14
    field = next(f for f in fields() if f.key == key)
    return f"{field.number}. {field.label}" if field.number else field.label


def _implementer(row: dict, texts: _Texts, where: Where) -> dict:
    return {
        "institution": row.get("institution") or "",
        "branch": next(iter(labels_of("branch", row.get("branch"))), ""),
        "contact_name": row.get("contact_name") or "",
        "contact_title": texts(row.get("contact_title"), where),
        "email": row.get("email") or "",
        "role": texts(row.get("role"), where),
    }


def _milestone(number: int, row: dict, texts: _Texts, where: Where) -> dict:
    return {
        "number": number,
        "output": texts(row.get("output"), where),
        "starts_on": row.get("starts_on"),
        "ends_on": row.get("ends_on"),
        "institution": row.get("institution") or "",
        "contact": row.get("contact") or "",
        "status": next(iter(labels_of("milestone_status", row.get("status"))), ""),
        "indicator": texts(row.get("indicator"), where),
    }


def _commitment(number: int, commitment: Commitment, texts: _Texts, named: Named) -> dict:
    # The revision the STL approved: a change under review is not part of the plan yet.
    revision = commitment.approved_revision
    content = revision.content
    title = content.get("title") or {}

    def at(name: Where) -> Where:
        return lambda: _("“%(title)s”: %(field)s", title=pick(title)[0], field=name())

    def text(key: str) -> str:
        return texts(content.get(key), at(lambda: _field_name(key)))

    def rows(key: str) -> list[dict]:
        return [
            _implementer(row, texts, at(lambda n=n: f"{_field_name(key)} ({n})"))
            for n, row in enumerate(content.get(key) or [], start=1)
        ]

    def label(key: str) -> str:
        return next(iter(labels_of(key, content.get(key))), "")

    topic = named.topic(content)
    milestones = [
        _milestone(n, row, texts, at(lambda n=n: _("17. Milestone %(number)s", number=n)))
        for n, row in enumerate(content.get("milestones") or [], start=1)
    ]
    return {
        "number": number,
        "id": commitment.id,
        "revision": revision.number,
        "approved_at": _moment(commitment.approved_at),
        "topic": texts(topic.title, at(lambda: _field_name("topic"))) if topic else "",
        "causes": [
            texts(node.text, at(lambda: _field_name("causes"))) for node in named.causes(content)
        ],
        "fields": {
            "title": text("title"),
            "starts_on": content.get("starts_on"),
            "ends_on": content.get("ends_on"),
            "government": rows("government"),
            "non_governmental": rows("non_governmental"),
            "other": rows("other"),
            "problem": text("problem"),
            "status_quo": text("status_quo"),
            "action": text("action"),
            "contribution": text("contribution"),
            "vision_objective": text("vision_objective"),
            "policy_areas": labels_of("policy_areas", content.get("policy_areas")),
            "policy_sectors": labels_of("policy_sectors", content.get("policy_sectors")),
            "ogp_values": labels_of("ogp_values", content.get("ogp_values")),
            "resources": {
                "budget_amount": content.get("budget_amount"),
                "budget_currency": content.get("budget_currency") or "",
                "staff": content.get("staff"),
                "months": content.get("months"),
                "other_resources": text("other_resources"),
            },
            "resources_available": label("resources_available"),
            "additional_information": text("additional_information"),
            "milestones": milestones,
            "ambition": label("ambition"),
            "sdgs": labels_of("sdgs", content.get("sdgs")),
            "gender_perspective": text("gender_perspective"),
        },
    }


def _commitments(plan: ActionPlan, texts: _Texts) -> list[dict]:
    # A commitment whose withdrawal the STL approved stays held until someone removes
    # it (the readiness check says so), but it is no longer part of the plan.
    held = [commitment for commitment in plan.commitments if is_approved(commitment)]
    named = named_in(held)
    return [_commitment(number, c, texts, named) for number, c in enumerate(held, start=1)]
