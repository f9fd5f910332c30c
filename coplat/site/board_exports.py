"""The tracking board as open data: one row (CSV) or object (JSON) per commitment with
its title as the plan reads it (the approved revision's) and the board's figures, and
in JSON the plan's totals and its quarters. Column names and
coded values never change with the reader's language (docs/open-data.md)."""

import csv
import io
import json

from flask import Response, url_for

from coplat.core.i18n import LANGUAGES
from coplat.core.models import utcnow
from coplat.core.spreadsheets import safe_cell
from coplat.tracking.rules import Board, Quarter

# Bump when a column or key changes meaning.
EXPORT_VERSION = 1
FORMATS = ("csv", "json")

COLUMNS = [
    "position",
    "commitment_id",
    *[f"title_{lang}" for lang in LANGUAGES],
    "status",
    "milestones_complete",
    "milestones_total",
    "percent_complete",
    *[f"next_milestone_{lang}" for lang in LANGUAGES],
    "next_milestone_due",
    "overdue_milestones",
    "flagged",
    "latest_report_quarter",
    "latest_report_posted_at",
    "latest_report_url",
    "url",
]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def rows(board: Board) -> list[dict]:
    slug = board.plan.exercise.slug
    found = []
    for position, row in enumerate(board.rows, start=1):
        commitment, report, upcoming = row.commitment, row.latest_report, row.next_milestone
        found.append(
            {
                "position": position,
                "commitment_id": commitment.id,
                **{f"title_{lang}": commitment.approved_title.get(lang, "") for lang in LANGUAGES},
                "status": row.status.value,
                "milestones_complete": row.complete,
                "milestones_total": row.total,
                "percent_complete": row.percent,
                **{
                    f"next_milestone_{lang}": (upcoming.output or {}).get(lang, "")
                    if upcoming
                    else ""
                    for lang in LANGUAGES
                },
                "next_milestone_due": _iso(upcoming.ends_on) if upcoming else None,
                "overdue_milestones": len(row.overdue),
                "flagged": row.flagged,
                "latest_report_quarter": str(Quarter(report.year, report.quarter))
                if report
                else None,
                "latest_report_posted_at": _iso(report.created_at) if report else None,
                "latest_report_url": url_for(
                    "tracking.report", slug=slug, report_id=report.id, _external=True
                )
                if report
                else None,
                "url": url_for(
                    "tracking.commitment", slug=slug, commitment_id=commitment.id, _external=True
                ),
            }
        )
    return found


def plan_record(board: Board) -> dict:
    plan, exercise = board.plan, board.plan.exercise
    return {
        "exercise": exercise.slug,
        "status": plan.status.value,
        "launched_on": _iso(plan.launched_on),
        "starts_on": _iso(exercise.plan_starts_on),
        "ends_on": _iso(exercise.plan_ends_on),
        "today": _iso(board.today),
        "current_quarter": str(Quarter.of(board.today)),
        "commitments": len(board.rows),
        "milestones_complete": board.complete,
        "milestones_total": board.total,
        "percent_complete": board.percent,
        "flagged_commitments": len(board.flagged),
        "overdue_milestones": sum(len(row.overdue) for row in board.rows),
        "generated_at": _iso(utcnow()),
        "url": url_for("site.board", slug=exercise.slug, _external=True),
    }


def quarter_rows(board: Board) -> list[dict]:
    return [
        {
            "quarter": str(quarter),
            "starts_on": _iso(quarter.starts_on),
            "ends_on": _iso(quarter.ends_on),
            "activity": board.activity.get(quarter, 0),
            "milestones_due": board.due.get(quarter, 0),
        }
        for quarter in board.quarters
    ]


def as_csv(board: Board) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    # Titles are typed by people: none may run as a formula in a spreadsheet.
    for row in rows(board):
        writer.writerow(
            {key: safe_cell("" if value is None else value) for key, value in row.items()}
        )
    # The byte-order mark lets spreadsheet programs read the accents as UTF-8.
    return "\ufeff" + buffer.getvalue()


def as_json(board: Board) -> str:
    document = {
        "format": "coplat-tracking-board",
        "version": EXPORT_VERSION,
        "plan": plan_record(board),
        "commitments": rows(board),
        "quarters": quarter_rows(board),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def download(board: Board, fmt: str) -> Response:
    if fmt == "csv":
        body, mimetype = as_csv(board), "text/csv; charset=utf-8"
    else:
        body, mimetype = as_json(board), "application/json"
    filename = f"{board.plan.exercise.slug}-tracking-board.{fmt}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
