"""The action plan in the formats people and OGP read: DOCX and PDF to submit and
print, HTML to print from a browser, JSON and CSV as open data. Each renders the one
document `plan.document.document` builds, so no two formats disagree."""

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import docx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from flask import render_template
from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coplat.core.spreadsheets import safe_cell
from coplat.plan.document import MISSING_MARK, document
from coplat.plan.models import ActionPlan
from coplat.plan.services import PlanError


class PdfUnavailable(PlanError):
    pass


# ----- how values read --------------------------------------------------------------


def day(iso: str | None) -> str:
    return format_date(date.fromisoformat(iso), "medium") if iso else "—"


def money(resources: dict) -> str:
    amount = resources["budget_amount"]
    if amount is None:
        return "—"
    return f"{format_decimal(Decimal(amount), '#,##0.00')} {resources['budget_currency']}".strip()


def number(value: int | None) -> str:
    return "—" if value is None else str(value)


def listed(value: list[str] | str) -> str:
    """A closed-list answer: one label or several."""
    return (", ".join(value) if isinstance(value, list) else value) or "—"


def period(doc: dict) -> str:
    plan = doc["plan"]
    return _("From %(start)s to %(end)s", start=day(plan["starts_on"]), end=day(plan["ends_on"]))


def places(doc: dict) -> str:
    return "; ".join(
        f"{j['name']} ({j['state']})" if j["state"] else j["name"]
        for j in doc["exercise"]["jurisdictions"]
    )


def commitment_heading(commitment: dict) -> str:
    return _(
        "Commitment %(number)s: %(title)s",
        number=commitment["number"],
        title=commitment["fields"]["title"],
    )


def numbered(field: dict) -> str:
    return f"{field['number']}. {field['label']}" if field["number"] else field["label"]


def annex_value(commitment: dict, key: str):
    """The value an annex_2 entry shows (see the schema's annex_2)."""
    if key in ("topic", "causes"):
        return commitment[key]
    fields = commitment["fields"]
    if key == "dates":
        return {"starts_on": fields["starts_on"], "ends_on": fields["ends_on"]}
    return fields[key]


def implementer_columns(key: str) -> list[str]:
    """Annex 2 tables 3, 4 and 5; only the government's has a branch."""
    branch = [_("Branch of government")] if key == "government" else []
    return [
        _("Office, institution or organisation"),
        *branch,
        _("Contact name"),
        _("Title"),
        _("Email"),
        _("Role in implementation"),
    ]


def implementer_cells(key: str, row: dict) -> list[str]:
    branch = [row["branch"] or "—"] if key == "government" else []
    return [
        row["institution"],
        *branch,
        row["contact_name"],
        row["contact_title"],
        row["email"],
        row["role"],
    ]


def implementer_rows(key: str, rows: list[dict]) -> list[list[str]]:
    return [implementer_cells(key, row) for row in rows]


def resource_columns() -> list[str]:
    return [_("Budget"), _("Staff (people)"), _("Time (months)"), _("Other resources")]


def resource_cells(resources: dict) -> list[str]:
    return [
        money(resources),
        number(resources["staff"]),
        number(resources["months"]),
        resources["other_resources"] or "—",
    ]


def milestone_columns() -> list[str]:
    return [
        _("Output"),
        _("Start date"),
        _("End date"),
        _("Responsible institution"),
        _("Contact person"),
        _("Status"),
    ]


def milestone_cells(milestone: dict) -> list[str]:
    return [
        milestone["output"],
        day(milestone["starts_on"]),
        day(milestone["ends_on"]),
        milestone["institution"],
        milestone["contact"],
        milestone["status"],
    ]


def milestone_rows(milestones: list[dict]) -> list[list[str]]:
    return [milestone_cells(milestone) for milestone in milestones]


def endorsement_columns() -> list[str]:
    return [_("Actor"), _("Sector"), _("Representative"), _("Position"), _("Date")]


def endorsement_cells(endorsement: dict) -> list[str]:
    return [
        endorsement["actor"],
        endorsement["sector"],
        endorsement["representative"],
        endorsement["position"],
        day(endorsement["endorsed_on"]),
    ]


def endorsement_rows(endorsements: list[dict]) -> list[list[str]]:
    return [endorsement_cells(endorsement) for endorsement in endorsements]


def status(doc: dict) -> str:
    plan = doc["plan"]
    if plan["revision"] is None:
        return plan["status_label"]
    return _(
        "%(status)s, revision %(number)s", status=plan["status_label"], number=plan["revision"]
    )


def title_of_document(doc: dict) -> str:
    return f"{doc['exercise']['name']} — {_('OGP Local action plan')}"


# ----- JSON and CSV ------------------------------------------------------------------


def to_json(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _csv_columns(doc: dict) -> dict[str, str]:
    """Column key -> header, in the document's language; fields carry their number."""
    label = {f["key"]: numbered(f) for f in doc["annex_2"]}
    return {
        "record": _("Row type"),
        "commitment": _("Commitment"),
        "milestone": _("Milestone"),
        "title": label["title"],
        "starts_on": _("Start date"),
        "ends_on": _("End date"),
        "government": label["government"],
        "non_governmental": label["non_governmental"],
        "other": label["other"],
        **{
            key: label[key]
            for key in (
                "problem",
                "status_quo",
                "action",
                "contribution",
                "vision_objective",
                "policy_areas",
                "policy_sectors",
                "ogp_values",
            )
        },
        "budget_amount": _("Budget"),
        "budget_currency": _("Currency"),
        "staff": _("Staff (people)"),
        "months": _("Time (months)"),
        "other_resources": _("Other resources"),
        "resources_available": label["resources_available"],
        "additional_information": label["additional_information"],
        "topic": label["topic"],
        "ambition": label["ambition"],
        "sdgs": label["sdgs"],
        "gender_perspective": label["gender_perspective"],
        "output": _("Output"),
        "institution": _("Responsible institution"),
        "contact": _("Contact person"),
        "status": _("Status"),
        "indicator": _("Result indicator"),
    }


def _commitment_row(commitment: dict) -> dict:
    fields = commitment["fields"]
    resources = fields["resources"]
    row = {
        key: fields[key]
        for key in (
            "title",
            "starts_on",
            "ends_on",
            "problem",
            "status_quo",
            "action",
            "contribution",
            "vision_objective",
            "resources_available",
            "additional_information",
            "ambition",
            "gender_perspective",
        )
    }
    row |= {key: "; ".join(fields[key]) for key in ("policy_areas", "policy_sectors", "ogp_values")}
    row |= {
        key: "; ".join(r["institution"] for r in fields[key])
        for key in ("government", "non_governmental", "other")
    }
    row |= {key: resources[key] for key in resources}
    row |= {"sdgs": "; ".join(fields["sdgs"]), "topic": commitment["topic"]}
    return {"record": "commitment", "commitment": commitment["number"], **row}


def _milestone_row(commitment: dict, milestone: dict) -> dict:
    return {
        "record": "milestone",
        "commitment": commitment["number"],
        **{
            key: milestone[key]
            for key in ("output", "starts_on", "ends_on", "institution", "contact", "status")
        },
        "milestone": milestone["number"],
        "indicator": milestone["indicator"],
    }


def _safe_row(row: dict) -> dict:
    """People wrote the texts: none may run as a formula in a spreadsheet."""
    return {key: safe_cell(value) for key, value in row.items()}


def to_csv(doc: dict) -> bytes:
    """One row per commitment, each followed by one row per milestone; `record` says
    which a row is."""
    with force_locale(doc["language"]):
        columns = _csv_columns(doc)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writerow(_safe_row(columns))
    for commitment in doc["commitments"]:
        writer.writerow(_safe_row(_commitment_row(commitment)))
        for milestone in commitment["fields"]["milestones"]:
            writer.writerow(_safe_row(_milestone_row(commitment, milestone)))
    # The byte order mark makes spreadsheets read the accents as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ----- HTML and PDF ------------------------------------------------------------------


def to_html(doc: dict) -> str:
    with force_locale(doc["language"]):
        return render_template(
            "plan/print.html",
            doc=doc,
            missing_mark=MISSING_MARK,
            day=day,
            money=money,
            number=number,
            listed=listed,
            period=period(doc),
            places=places(doc),
            title=title_of_document(doc),
            commitment_heading=commitment_heading,
            numbered=numbered,
            annex_value=annex_value,
            status=status(doc),
            implementer_columns=implementer_columns,
            implementer_rows=implementer_rows,
            resource_columns=resource_columns(),
            resource_cells=resource_cells,
            milestone_columns=milestone_columns(),
            milestone_rows=milestone_rows,
            endorsement_columns=endorsement_columns(),
            endorsement_rows=endorsement_rows,
        )


def to_pdf(doc: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and a machine without it
    # still exports every other format.
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(
            _l(
                "The PDF export needs the system libraries Pango (Debian: libpango-1.0-0"
                " libpangoft2-1.0-0). Install them, or export DOCX or HTML and print that."
            )
        ) from error
    return HTML(string=to_html(doc)).write_pdf()


# ----- DOCX ----------------------------------------------------------------------------

# XML 1.0, which DOCX is made of, allows tab, line feed and carriage return and no other
# C0 control character; text pasted from a PDF brings backspaces and form feeds.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(value):
    """The document (or any part of it) with the characters XML forbids taken out of
    every text. Every text the DOCX holds comes from the document, so cleaning it once
    covers paragraphs, runs, table cells, headings and core properties alike."""
    if isinstance(value, str):
        return XML_FORBIDDEN.sub("", value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    return value


def _a4(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)


def _paragraphs(word, text: str) -> None:
    """Free text keeps its paragraphs; an empty value shows as a dash."""
    for line in [line for line in (text or "").splitlines() if line.strip()] or ["—"]:
        word.add_paragraph(line)


def _label(word, text: str) -> None:
    word.add_paragraph().add_run(text).bold = True


# The width between A4's 2 cm margins, shared among a table's columns.
TEXT_WIDTH_CM = 17
# The milestone's output is a sentence; dates, status and contact are short.
MILESTONE_WEIGHTS = (3, 1.5, 1.5, 2, 1.7, 1.4)


def _table(word, columns: list[str], rows: list[list[str]], weights=None) -> None:
    table = word.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows or [["—"] * len(columns)]:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text or "—"
    if weights:
        table.autofit = False
        for column, weight in zip(table.columns, weights, strict=True):
            # Word reads each cell's width, LibreOffice the table's grid: set both.
            column.width = Cm(TEXT_WIDTH_CM * weight / sum(weights))
            for cell in column.cells:
                cell.width = column.width
    word.add_paragraph()


def _cover(word, doc: dict) -> None:
    word.add_heading(doc["exercise"]["name"], level=0)
    word.add_paragraph(_("OGP Local action plan"))
    word.add_paragraph(period(doc))
    word.add_paragraph(places(doc))
    word.add_paragraph(status(doc))


def _vision_value(word, field: dict) -> None:
    kind, value = field["kind"], field["value"]
    if kind in ("text", "contact", "link"):
        _paragraphs(word, value)
    elif kind == "period":
        word.add_paragraph(day(value))
    elif kind == "count":
        word.add_paragraph(number(value))
    elif kind == "letter":
        word.add_paragraph(" ".join(filter(None, [value["name"], value["url"]])) if value else "—")
    elif kind == "attachments":
        for item in value:
            word.add_paragraph(
                " — ".join(filter(None, [item["title"], item["name"], item["url"]])),
                style="List Bullet",
            )
        if not value:
            word.add_paragraph("—")
    elif kind == "endorsements":
        _table(word, endorsement_columns(), endorsement_rows(value))


def _vision(word, doc: dict) -> None:
    heading = word.add_heading(_("Strategic vision (Annex 1)"), level=1)
    heading.paragraph_format.page_break_before = True
    for section in doc["strategic_vision"]["sections"]:
        word.add_heading(f"{section['number']}. {section['title']}", level=2)
        for field in section["fields"]:
            if field["label"] != section["title"]:
                _label(word, numbered(field))
            _vision_value(word, field)


def _annex_value(word, commitment: dict, field: dict) -> None:
    key, kind = field["key"], field["kind"]
    value = annex_value(commitment, key)
    if kind == "text" or kind == "topic":
        _paragraphs(word, value)
    elif kind == "causes":
        for cause in value:
            word.add_paragraph(cause, style="List Bullet")
        if not value:
            word.add_paragraph("—")
    elif kind == "dates":
        word.add_paragraph(
            _("From %(start)s to %(end)s", start=day(value["starts_on"]), end=day(value["ends_on"]))
        )
    elif kind == "rows":
        _table(word, implementer_columns(key), implementer_rows(key, value))
    elif kind == "choices":
        word.add_paragraph(listed(value))
    elif kind == "resources":
        _table(word, resource_columns(), [resource_cells(value)])
    elif kind == "milestones":
        _table(word, milestone_columns(), milestone_rows(value), MILESTONE_WEIGHTS)


def _commitment(word, commitment: dict, annex: list[dict], first: bool) -> None:
    heading = word.add_heading(commitment_heading(commitment), level=2)
    # Each commitment starts a page; the first follows the "Commitments" heading there.
    heading.paragraph_format.page_break_before = not first
    for field in annex:
        if field["number"]:
            _label(word, numbered(field))
            _annex_value(word, commitment, field)
    word.add_heading(_("Beyond the template (NOSC method)"), level=3)
    for field in annex:
        if not field["number"]:
            _label(word, field["label"])
            _annex_value(word, commitment, field)
    indicators = [m for m in commitment["fields"]["milestones"] if m["indicator"]]
    if indicators:
        _label(word, _("Result indicator"))
        for milestone in indicators:
            word.add_paragraph(
                f"{milestone['number']}. {milestone['output']}: {milestone['indicator']}",
                style="List Bullet",
            )


def to_docx(doc: dict) -> bytes:
    doc = xml_safe(doc)
    with force_locale(doc["language"]):
        word = docx.Document()
        _a4(word)
        word.core_properties.title = title_of_document(doc)
        word.core_properties.language = doc["language"]
        _cover(word, doc)
        _vision(word, doc)
        heading = word.add_heading(_("Commitments (Annex 2)"), level=1)
        heading.paragraph_format.page_break_before = True
        for position, commitment in enumerate(doc["commitments"]):
            _commitment(word, commitment, doc["annex_2"], first=position == 0)
        if not doc["commitments"]:
            word.add_paragraph(_("The plan holds no commitment yet."))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# ----- the registry --------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    render: Callable[[dict], bytes]
    mimetype: str
    extension: str


@dataclass(frozen=True)
class Export:
    data: bytes
    mimetype: str
    filename: str


FORMATS = {
    "docx": Format(
        to_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "pdf": Format(to_pdf, "application/pdf", "pdf"),
    "html": Format(lambda doc: to_html(doc).encode("utf-8"), "text/html", "html"),
    "json": Format(to_json, "application/json", "json"),
    "csv": Format(to_csv, "text/csv", "csv"),
}


def export(plan: ActionPlan, fmt: str, language: str = "en", mark_missing: bool = False) -> Export:
    """The plan in format `fmt` (a key of FORMATS) and `language`. Raises
    MissingTranslation, and PdfUnavailable for a PDF on a machine without Pango."""
    chosen = FORMATS[fmt]
    data = chosen.render(document(plan, language, mark_missing))
    filename = f"{plan.exercise.slug}-action-plan-{language}.{chosen.extension}"
    return Export(data, chosen.mimetype, filename)
