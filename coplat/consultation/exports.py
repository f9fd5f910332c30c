"""Open data: the consultation's topics and its participation breakdown, as CSV and
JSON. Column names are stable (documented in docs/open-data.md); labels follow the
reader's language, keys never do."""

import csv
import io
import json

import sqlalchemy as sa
from flask import Response, url_for
from sqlalchemy.orm import selectinload

from coplat.consultation.enums import OFFLINE_CHANNELS, TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.consultation.results import Results, results
from coplat.core.models import utcnow
from coplat.core.spreadsheets import safe_cell
from coplat.extensions import db

TOPIC_COLUMNS = [
    "id",
    "title_es",
    "title_en",
    "description_es",
    "description_en",
    "category_es",
    "category_en",
    "channel",
    "state",
    "online_votes",
    *[f"offline_votes_{channel.value}" for channel in OFFLINE_CHANNELS],
    "offline_votes",
    "total_votes",
    "share_of_votes",
    "prioritised",
    "merged_into_id",
    "reason_es",
    "reason_en",
    "created_at",
    "url",
]
PARTICIPATION_COLUMNS = ["dimension", "value", "label", "people"]
HIDDEN = "<5"


def _iso(moment) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def consultation_record(consultation: Consultation) -> dict:
    exercise = consultation.exercise
    return {
        "exercise": exercise.slug,
        "question_es": consultation.question.get("es", ""),
        "question_en": consultation.question.get("en", ""),
        "opens_at": _iso(consultation.opens_at),
        "closes_at": _iso(consultation.closes_at),
        "status": consultation.status().value,
        "vote_budget": consultation.vote_budget,
        "online_participants": consultation.participant_count,
        "prioritised_at": _iso(consultation.prioritised_at),
        "generated_at": _iso(utcnow()),
        "url": url_for("consultation.show", slug=exercise.slug, _external=True),
    }


def topic_rows(consultation: Consultation, outcome: Results) -> list[dict]:
    ranked = {r.topic.id: r for r in outcome.ranking}
    topics = db.session.scalars(
        sa.select(Topic)
        .where(Topic.consultation_id == consultation.id, Topic.state != TopicState.PENDING)
        .order_by(Topic.id)
        .options(selectinload(Topic.category))
    )
    rows = []
    for topic in topics:
        entry = ranked.get(topic.id)
        offline = entry.offline if entry else {}
        category = topic.category.name if topic.category else {}
        rows.append(
            {
                "id": topic.id,
                "title_es": topic.title.get("es", ""),
                "title_en": topic.title.get("en", ""),
                "description_es": (topic.description or {}).get("es", ""),
                "description_en": (topic.description or {}).get("en", ""),
                "category_es": category.get("es", ""),
                "category_en": category.get("en", ""),
                "channel": topic.channel.value,
                "state": topic.state.value,
                "online_votes": topic.online_votes,
                **{f"offline_votes_{c.value}": offline.get(c, 0) for c in OFFLINE_CHANNELS},
                "offline_votes": topic.offline_votes,
                "total_votes": topic.total_votes,
                "share_of_votes": round(entry.share, 4) if entry else 0.0,
                "prioritised": topic.prioritised,
                "merged_into_id": topic.merged_into_id,
                "reason_es": (topic.reason or {}).get("es", ""),
                "reason_en": (topic.reason or {}).get("en", ""),
                "created_at": _iso(topic.created_at),
                "url": url_for(
                    "consultation.topic",
                    slug=consultation.exercise.slug,
                    topic_id=topic.id,
                    _external=True,
                ),
            }
        )
    return rows


def participation_rows(outcome: Results) -> list[dict]:
    return [
        {
            "dimension": breakdown.dimension,
            "value": cell.key,
            "label": cell.label,
            "people": HIDDEN if cell.hidden else cell.people,
        }
        for breakdown in outcome.breakdowns
        for cell in breakdown.cells
    ]


def _csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    # Citizens write the titles: none may run as a formula in a spreadsheet.
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    # The byte-order mark lets spreadsheet programs read the accents as UTF-8.
    return "\ufeff" + buffer.getvalue()


def download(consultation: Consultation, dataset: str, extension: str) -> Response:
    outcome = results(consultation)
    if dataset == "topics":
        columns, rows = TOPIC_COLUMNS, topic_rows(consultation, outcome)
    else:
        columns, rows = PARTICIPATION_COLUMNS, participation_rows(outcome)
    if extension == "csv":
        body, mimetype = _csv(columns, rows), "text/csv; charset=utf-8"
    else:
        document = {"consultation": consultation_record(consultation), dataset: rows}
        body = json.dumps(document, ensure_ascii=False, indent=2)
        mimetype = "application/json"
    filename = f"{consultation.exercise.slug}-{dataset}.{extension}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
