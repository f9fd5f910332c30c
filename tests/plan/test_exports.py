"""The action plan's exports: one document in one language (the strategic vision of
Annex 1, then each commitment as Annex 2 lays it out, as the STL approved it), rendered
as DOCX, PDF, HTML, JSON and CSV, and by the `coplat export` command. A text that lacks
the export's language is never replaced by another language's: the export refuses,
naming the field, or marks it when asked."""

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import docx
import pytest
import sqlalchemy as sa
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph
from jsonschema import Draft202012Validator, FormatChecker

from coplat.cli import EXPORT_FORMATS, cli
from coplat.extensions import db
from coplat.plan.document import MISSING_MARK, SCHEMA_PATH, MissingTranslation, document
from coplat.plan.exports import FORMATS, PdfUnavailable, export, to_csv, to_html, to_json
from coplat.plan.models import PlanRevision
from coplat.tables import services as tables
from coplat.tables.enums import NodeKind

CAUSE = {"es": "Falta de mantenimiento", "en": "Lack of maintenance"}
WATER = "A water network without leaks"
LIGHTS = "Street lights people can see"


def milestone(es, en, starts_on, ends_on, status, institution="Comisión de Agua Potable"):
    return {
        "output": {"es": es, "en": en},
        "starts_on": starts_on,
        "ends_on": ends_on,
        "institution": institution,
        "contact": "Ing. Rosa Méndez",
        "status": status,
        "indicator": {"es": f"Indicador: {es}", "en": f"Indicator: {en}"},
    }


THREE_MILESTONES = [
    milestone(
        "Mapa de fugas publicado", "Leak map published", "2027-01-01", "2027-06-30", "complete"
    ),
    milestone("Fugas reparadas", "Leaks repaired", "2027-07-01", "2027-11-30", "in_progress"),
    milestone("Informe de resultados", "Results report", "2027-12-01", "2027-12-31", "not_started"),
]
LIGHTS_CONTENT = {
    "title": {"es": "Alumbrado que se ve", "en": LIGHTS},
    "problem": {"es": "La mitad de las lámparas no sirve.", "en": "Half the lamps are out."},
    "milestones": [
        milestone("Censo de lámparas", "Lamp census", "2027-02-01", "2027-04-30", "stuck", "Obras")
    ],
}


@pytest.fixture
def desk(build_plan):
    """Two approved commitments in the plan: the water network (3 milestones, from the
    table's topic and one of its strategic causes) and the street lights (1 milestone);
    the vision saved after, in Spanish and English."""
    desk = build_plan(commitments=0)
    problem = tables.add_node(
        desk.table, None, NodeKind.PROBLEM, {"es": "Fugas de agua"}, desk.facilitator
    )
    cause = tables.add_node(desk.table, problem, NodeKind.CAUSE, CAUSE, desk.facilitator)
    tables.set_strategic(cause, True, desk.facilitator)
    db.session.commit()
    water = desk.approved(topic=desk.table.topic.id, causes=[cause.id], milestones=THREE_MILESTONES)
    lights = desk.approved(**LIGHTS_CONTENT)
    desk.add(water, lights)
    desk.save_vision()
    return desk


# ----- reading a DOCX as a person would ------------------------------------------------


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def blocks(word) -> list:
    """The body in reading order: ("Heading 2", text) for a paragraph (its style and
    text), ("table", rows of cell texts) for a table."""
    found = []
    for child in word.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, word)
            found.append((paragraph.style.name, paragraph.text))
        elif child.tag == qn("w:tbl"):
            found.append(
                ("table", [[c.text for c in row.cells] for row in Table(child, word).rows])
            )
    return found


def headings(word, level: int) -> list[str]:
    return [text for style, text in blocks(word) if style == f"Heading {level}"]


def level(style: str) -> int | None:
    """A heading's level (the title's is 0); None for a paragraph or a table."""
    if style == "Title":
        return 0
    return int(style.removeprefix("Heading ")) if style.startswith("Heading ") else None


def part(word, heading: str) -> list:
    """The blocks under a heading, up to the next heading of its level or above."""
    body = blocks(word)
    start = next(i for i, (style, text) in enumerate(body) if level(style) and text == heading)
    end = next(
        (
            i
            for i in range(start + 1, len(body))
            if level(body[i][0]) is not None and level(body[i][0]) <= level(body[start][0])
        ),
        len(body),
    )
    return body[start + 1 : end]


def after(blocks_: list, label: str):
    """What follows a field's label: a paragraph's text, or a table's rows."""
    index = next(i for i, (_style, value) in enumerate(blocks_) if value == label)
    return blocks_[index + 1][1]


def word_text(word) -> str:
    texts = [p.text for p in word.paragraphs]
    texts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


def heading_paragraph(word, text: str):
    return next(p for p in word.paragraphs if p.text == text)


# ----- DOCX --------------------------------------------------------------------------


def test_docx_lays_out_the_vision_then_each_commitment(desk):
    result = export(desk.plan, "docx")
    word = open_docx(result.data)

    assert result.filename == "valle-action-plan-en.docx"
    assert word.core_properties.title == "Valle Verde exercise — OGP Local action plan"
    assert word.core_properties.language == "en"
    assert [t for s, t in blocks(word) if s == "Title"] == ["Valle Verde exercise"]
    assert headings(word, 1) == ["Strategic vision (Annex 1)", "Commitments (Annex 2)"]
    assert headings(word, 2) == [
        "1. Duration",
        "2. Foreword",
        "3. Cover letter from the head of government",
        "4. Challenges, opportunities and the open government strategic vision",
        "5. Collaboration and coordination in the local open government strategic vision"
        " and the OGP action plan",
        "6. Monitoring of the OGP action plan",
        "7. Endorsement by non-governmental actors",
        "8. Attachments",
        "9. Online co-creation",
        f"Commitment 1: {WATER}",
        f"Commitment 2: {LIGHTS}",
    ]

    duration = part(word, "1. Duration")
    assert after(duration, "1.1. End of the current administration") == "Oct 31, 2028"
    # A field named as its section shows under the section's heading alone.
    assert part(word, "2. Foreword") == [("Normal", "A plan made with people.")]
    vision = part(word, "4. Challenges, opportunities and the open government strategic vision")
    assert (
        after(
            vision,
            "4.1. What is the long-term vision for open government in your context"
            " and jurisdiction?",
        )
        == "An accountable government."
    )
    collaboration = headings(word, 2)[4]
    assert (
        after(part(word, collaboration), "5.6. How many groups took part in these spaces?") == "3"
    )


def test_docx_commitment_fields_and_tables(desk):
    word = open_docx(export(desk.plan, "docx").data)
    water = part(word, f"Commitment 1: {WATER}")

    assert after(water, "1. Title") == WATER
    assert after(water, "2. Start and end date") == "From Jan 1, 2027 to Dec 31, 2027"
    assert after(water, "6. Problem") == "40% of the water is lost."
    assert after(water, "11. Policy areas") == "Open data, Social accountability"
    assert after(water, "15. Resources available") == "Partial"
    assert after(water, "3. Implementing government institutions") == [
        [
            "Office, institution or organisation",
            "Branch of government",
            "Contact name",
            "Title",
            "Email",
            "Role in implementation",
        ],
        [
            "Comisión de Agua Potable",
            "Executive",
            "Ing. Rosa Méndez",
            "Director",
            "rosa.mendez@agua.gob.mx",
            "Repairs the network.",
        ],
        [
            "Cabildo",
            "Legislative",
            "Regidor Luis Paz",
            "Councillor",
            "luis.paz@valle.gob.mx",
            "Approves the budget.",
        ],
    ]
    # Annex 2 gives the non-governmental table no branch column.
    assert after(water, "4. Non-governmental implementing actors")[0][:2] == [
        "Office, institution or organisation",
        "Contact name",
    ]
    assert after(water, "14. Resources needed") == [
        ["Budget", "Staff (people)", "Time (months)", "Other resources"],
        ["1,500,000.50 MXN", "4", "12", "Donated sensors."],
    ]
    assert after(water, "17. Milestones") == [
        ["Output", "Start date", "End date", "Responsible institution", "Contact person", "Status"],
        [
            "Leak map published",
            "Jan 1, 2027",
            "Jun 30, 2027",
            "Comisión de Agua Potable",
            "Ing. Rosa Méndez",
            "Complete",
        ],
        [
            "Leaks repaired",
            "Jul 1, 2027",
            "Nov 30, 2027",
            "Comisión de Agua Potable",
            "Ing. Rosa Méndez",
            "In progress",
        ],
        [
            "Results report",
            "Dec 1, 2027",
            "Dec 31, 2027",
            "Comisión de Agua Potable",
            "Ing. Rosa Méndez",
            "Not started",
        ],
    ]
    beyond = water[[b[1] for b in water].index("Beyond the template (NOSC method)") :]
    assert after(beyond, "Topic") == "Water leaks"
    assert after(beyond, "Strategic causes it attacks") == "Lack of maintenance"
    assert after(beyond, "Ambition level") == "Proactive"

    lights = part(word, f"Commitment 2: {LIGHTS}")
    assert after(lights, "6. Problem") == "Half the lamps are out."
    assert after(lights, "17. Milestones")[1:] == [
        ["Lamp census", "Feb 1, 2027", "Apr 30, 2027", "Obras", "Ing. Rosa Méndez", "Stuck"]
    ]
    # Each commitment begins a page; the first follows the "Commitments" heading there.
    assert heading_paragraph(word, "Commitments (Annex 2)").paragraph_format.page_break_before
    assert heading_paragraph(word, f"Commitment 2: {LIGHTS}").paragraph_format.page_break_before


def test_docx_drops_the_control_characters_xml_forbids(build_plan):
    """Text pasted from a PDF brings backspaces and form feeds, which XML 1.0 forbids:
    the document leaves them out and keeps the rest, tabs and line breaks included."""
    desk = build_plan(commitments=0)
    desk.exercise.name = {"es": "Ejercicio\x0c Valle", "en": "Valle\x0c exercise"}
    desk.table.topic.title = {"es": "Fugas\x01 de agua", "en": "Water\x01 leaks"}
    db.session.commit()
    desk.add(
        desk.approved(
            title={"es": "Red sin\x08 fugas", "en": "A network\x08 without leaks"},
            problem={"es": "Se pierde\x00 el agua.", "en": "Water\x00 is lost.\tEvery day."},
            topic=desk.table.topic.id,
            milestones=[
                milestone("Mapa\x1f", "Leak\x1f map", "2027-01-01", "2027-06-30", "complete")
            ],
        )
    )
    desk.save_vision()

    word = open_docx(export(desk.plan, "docx").data)

    text = word_text(word)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert word.core_properties.title == "Valle exercise — OGP Local action plan"
    assert [t for s, t in blocks(word) if s == "Title"] == ["Valle exercise"]
    commitment = part(word, "Commitment 1: A network without leaks")
    assert after(commitment, "1. Title") == "A network without leaks"
    assert after(commitment, "6. Problem") == "Water is lost.\tEvery day."
    assert "Water leaks" in text
    assert "Leak map" in text


def test_spanish_export_speaks_spanish(desk):
    desk.endorse()
    result = export(desk.plan, "docx", "es")
    word = open_docx(result.data)
    water = part(word, next(h for h in headings(word, 2) if h.endswith(": Red de agua sin fugas")))
    text = word_text(word)

    assert result.filename == "valle-action-plan-es.docx"
    assert word.core_properties.language == "es"
    assert [t for s, t in blocks(word) if s == "Title"] == ["Ejercicio Valle Verde"]
    assert after(water, "6. Problema") == "Se pierde el 40 % del agua."
    milestones = after(water, "17. Hitos")
    assert milestones[0][0] == "Descripción de la salida"
    assert [row[0] for row in milestones[1:]] == [
        "Mapa de fugas publicado",
        "Fugas reparadas",
        "Informe de resultados",
    ]
    assert milestones[3][-1] == "No iniciado"
    endorsers = next(b[1] for b in blocks(word) if b[0] == "table" and b[1][0][0] == "Actor")
    assert endorsers[1][:2] == ["Colectivo Agua Limpia", "Sociedad civil"]
    assert "Un gobierno que rinde cuentas." in text
    assert "An accountable government." not in text
    assert "40% of the water is lost." not in text


# ----- missing translations ---------------------------------------------------------


def test_a_text_without_english_refuses_the_export_naming_it(desk):
    water = desk.commitments[0]
    desk.change(water, problem={"es": "Solo en español."})
    desk.save_vision(foreword={"es": "Un prólogo sin traducir."})

    with pytest.raises(MissingTranslation) as refused:
        export(desk.plan, "docx")

    assert refused.value.fields == ["Strategic vision, 2. Foreword", f"“{WATER}”: 6. Problem"]
    assert str(refused.value) == (
        "The plan lacks its English text in 2 fields: Strategic vision, 2. Foreword;"
        f" “{WATER}”: 6. Problem"
    )
    # Spanish has every text, so the Spanish export goes ahead.
    assert "Solo en español." in word_text(open_docx(export(desk.plan, "docx", "es").data))


def test_mark_missing_puts_the_marker_never_the_other_language(desk):
    water = desk.commitments[0]
    desk.change(water, problem={"es": "Solo en español."})
    desk.save_vision(foreword={"es": "Un prólogo sin traducir."})

    doc = document(desk.plan, mark_missing=True)
    word = open_docx(export(desk.plan, "docx", mark_missing=True).data)

    assert doc["commitments"][0]["fields"]["problem"] == MISSING_MARK
    assert doc["strategic_vision"]["sections"][1]["fields"][0]["value"] == MISSING_MARK
    assert after(part(word, f"Commitment 1: {WATER}"), "6. Problem") == "[translation missing]"
    assert part(word, "2. Foreword") == [("Normal", "[translation missing]")]
    assert "Solo en español." not in word_text(word)
    assert "Un prólogo sin traducir." not in word_text(word)


def test_an_empty_text_is_empty_not_missing(desk):
    desk.change(desk.commitments[0], additional_information={})

    doc = document(desk.plan)

    assert doc["commitments"][0]["fields"]["additional_information"] == ""


def test_a_cause_written_in_spanish_only_is_missing_in_english(desk):
    cause = tables.strategic_causes(desk.table)[0]
    tables.edit_node(cause, {"es": CAUSE["es"]}, desk.facilitator)
    db.session.commit()

    with pytest.raises(MissingTranslation) as refused:
        document(desk.plan)

    assert refused.value.fields == [f"“{WATER}”: Strategic causes it attacks"]


# ----- what the plan holds ---------------------------------------------------------------


def test_a_change_under_review_stays_out_of_the_plan(desk):
    water = desk.commitments[0]
    desk.change(water, approve=False, title={"es": "Red medida", "en": "A measured water network"})
    assert water.latest_revision.number == 2

    doc = document(desk.plan)
    html = to_html(doc)

    assert doc["commitments"][0]["fields"]["title"] == WATER
    assert doc["commitments"][0]["revision"] == 1
    assert f"Commitment 1: {WATER}" in html
    assert "A measured water network" not in html


def test_a_withdrawn_commitment_leaves_once_the_stl_approves_it(desk):
    water = desk.commitments[0]
    desk.withdraw(water, approve=False)
    assert [c["fields"]["title"] for c in document(desk.plan)["commitments"]] == [WATER, LIGHTS]

    desk.approve(water)
    doc = document(desk.plan)

    assert [(c["number"], c["fields"]["title"]) for c in doc["commitments"]] == [(1, LIGHTS)]
    assert headings(open_docx(export(desk.plan, "docx").data), 2)[-1] == f"Commitment 1: {LIGHTS}"


def test_endorsements_of_the_current_revision_fill_field_7(desk):
    desk.endorse()
    recorded = desk.record()

    endorsements = document(desk.plan)["strategic_vision"]["sections"][6]["fields"][0]["value"]

    assert [(e["actor"], e["sector"], e["representative"]) for e in endorsements] == [
        ("Colectivo Agua Limpia", "Civil society", "Sofía Salas"),
        ("Universidad del Valle", "Academia", "Dra. Inés Ramos"),
    ]
    assert endorsements[0]["signed_document"] is None
    assert endorsements[1]["signed_document"] == {
        "name": "endorsement.pdf",
        "url": f"http://coplat.test/files/{recorded.document_id}/endorsement.pdf",
    }


def test_an_endorsement_of_an_earlier_revision_waits_apart(desk):
    desk.endorse()
    desk.save_vision(foreword={"es": "Otro prólogo.", "en": "Another foreword."})

    doc = document(desk.plan)

    assert doc["strategic_vision"]["sections"][6]["fields"][0]["value"] == []
    assert [e["actor"] for e in doc["endorsements_needing_renewal"]] == ["Colectivo Agua Limpia"]
    assert doc["endorsements_needing_renewal"][0]["needs_renewal"] is True


def test_exporting_numbers_no_revision(desk):
    revisions = db.session.scalar(sa.select(sa.func.count()).select_from(PlanRevision))
    assert document(desk.plan)["plan"]["revision"] == desk.plan.latest_revision.number

    desk.remove(desk.commitments[1])  # the plan changes; nobody saved a revision of it
    doc = document(desk.plan)

    assert doc["plan"]["revision"] is None
    assert len(doc["commitments"]) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanRevision)) == revisions


# ----- JSON, CSV, HTML, PDF ------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_json_follows_its_schema_and_round_trips(desk, validator):
    desk.endorse()
    desk.record()
    doc = document(desk.plan)
    result = export(desk.plan, "json")
    published = json.loads(result.data.decode("utf-8"))

    assert result.mimetype == "application/json"
    assert result.filename == "valle-action-plan-en.json"
    assert not sorted(validator.iter_errors(published), key=str)
    assert published["format"] == "coplat-ogp-local-plan"
    assert published["format_version"] == 1
    assert {**published, "generated_at": None} == {**doc, "generated_at": None}
    assert json.loads(to_json(doc)) == doc
    assert "Red de agua sin fugas" not in result.data.decode("utf-8")
    water = published["commitments"][0]
    assert water["fields"]["resources"]["budget_amount"] == "1500000.50"
    assert [m["status"] for m in water["fields"]["milestones"]] == [
        "Complete",
        "In progress",
        "Not started",
    ]


def test_the_schema_refuses_what_it_does_not_describe(desk, validator):
    doc = document(desk.plan, "es")
    assert not list(validator.iter_errors(doc))

    doc["commitments"][0]["fields"]["budget"] = "mucho"
    doc["plan"]["status"] = "approved"

    assert len(list(validator.iter_errors(doc))) == 2


def test_the_milestone_table_gives_the_output_the_widest_column(desk):
    """Word reads the cells' widths and LibreOffice the table's grid: both say so."""
    word = open_docx(export(desk.plan, "docx").data)
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Output")
    grid = [column.width for column in table.columns]
    cells = [cell.width for cell in table.rows[1].cells]
    assert grid == cells
    assert grid[0] == max(grid) and grid[0] > 1.5 * grid[1]
    assert abs(sum(grid) - Cm(17)) < Cm(0.1), "the table spans the page between its margins"


def test_csv_has_a_row_per_commitment_and_per_milestone(desk):
    data = export(desk.plan, "csv").data
    text = data.decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    records = [dict(zip(header, row, strict=True)) for row in rows]

    assert text.startswith("\ufeff")  # so spreadsheets read the accents as UTF-8
    assert header[:4] == ["Row type", "Commitment", "Milestone", "1. Title"]
    assert "6. Problem" in header
    assert len(rows) == 2 + 4
    assert [(r["Row type"], r["Commitment"], r["Milestone"]) for r in records] == [
        ("commitment", "1", ""),
        ("milestone", "1", "1"),
        ("milestone", "1", "2"),
        ("milestone", "1", "3"),
        ("commitment", "2", ""),
        ("milestone", "2", "1"),
    ]
    assert records[0]["1. Title"] == WATER
    assert records[0]["3. Implementing government institutions"] == (
        "Comisión de Agua Potable; Cabildo"
    )
    assert records[2]["Output"] == "Leaks repaired"
    assert records[2]["Status"] == "In progress"
    assert records[2]["Start date"] == "2027-07-01"
    assert records[5]["Output"] == "Lamp census"


def test_csv_defuses_texts_a_spreadsheet_would_run_as_formulas(build_plan):
    """Commitments and topics are people's words: a cell a spreadsheet would read as a
    formula starts with an apostrophe instead, whatever column it is in."""
    formula = '=HYPERLINK("http://evil.example","clic")'
    desk = build_plan(commitments=0)
    desk.table.topic.title = {"es": formula, "en": formula}
    db.session.commit()
    desk.add(
        desk.approved(
            title={"es": formula, "en": formula},
            problem={"es": "+1 fuga", "en": "+1 leak"},
            topic=desk.table.topic.id,
            milestones=[
                milestone("-Mapa", "-Map", "2027-01-01", "2027-06-30", "complete", "@Obras")
            ],
        )
    )
    desk.save_vision()

    text = export(desk.plan, "csv").data.decode("utf-8").removeprefix("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text)))
    records = [dict(zip(header, row, strict=True)) for row in rows]

    assert records[0]["1. Title"] == "'" + formula
    assert records[0]["Topic"] == "'" + formula
    assert [value for value in records[0].values() if value.startswith("'")] == [
        "'" + formula,
        "'+1 leak",
        "'" + formula,
    ]
    assert records[1]["Output"] == "'-Map"
    assert records[1]["Responsible institution"] == "'@Obras"
    cells = [cell for row in [header, *rows] for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_spanish_csv_headers(desk):
    header = next(csv.reader(io.StringIO(to_csv(document(desk.plan, "es")).decode()[1:])))

    assert "6. Problema" in header and "6. Problem" not in header
    assert {"Descripción de la salida", "Estado", "Institución responsable"} <= set(header)


def test_html_is_a_standalone_printable_page(desk):
    html = export(desk.plan, "html").data.decode("utf-8")

    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert f"Commitment 1: {WATER}" in html
    assert f"Commitment 2: {LIGHTS}" in html
    assert "@page" in html and "<script" not in html
    assert 'rel="stylesheet"' not in html  # every style inline: it prints anywhere
    assert "Leak map published" in html
    assert '<html lang="es">' in to_html(document(desk.plan, "es"))


def test_html_marks_a_missing_translation(desk):
    desk.change(desk.commitments[0], problem={"es": "Solo en español."})

    html = to_html(document(desk.plan, mark_missing=True))

    assert "<mark>[translation missing]</mark>" in html
    assert "Solo en español." not in html


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_pdf(desk):
    try:
        result = export(desk.plan, "pdf")
    except PdfUnavailable:
        pytest.skip("WeasyPrint cannot load Pango here")
    assert result.data.startswith(b"%PDF")
    assert result.mimetype == "application/pdf"
    assert result.filename == "valle-action-plan-en.pdf"


def test_printed_pages_break_before_each_part_and_commitment(desk):
    weasyprint = pytest.importorskip("weasyprint", exc_type=OSError)
    pages = weasyprint.HTML(string=to_html(document(desk.plan))).render().pages

    # The ids of the headings each printed page begins or holds, page by page.
    starts = [sorted(page.anchors) for page in pages if page.anchors]
    assert starts == [["vision"], ["commitment-1", "commitments"], ["commitment-2"]]
    assert not pages[0].anchors  # the cover stands alone


def test_pdf_without_weasyprint_says_what_to_install(desk, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it now fails

    with pytest.raises(PdfUnavailable, match="libpango-1.0-0 libpangoft2-1.0-0"):
        export(desk.plan, "pdf")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_docx(desk, tmp_path):
    source = tmp_path / "plan.docx"
    source.write_bytes(export(desk.plan, "docx").data)

    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )

    pages = page_count((tmp_path / "plan.pdf").read_bytes())
    # A cover, the vision, a page per commitment at least; a runaway layout, far more.
    assert 1 + 2 <= pages < 40


# ----- the command -----------------------------------------------------------------------


def test_the_command_offers_every_format():
    assert set(EXPORT_FORMATS) == set(FORMATS)


def test_the_command_writes_the_file(desk, app, tmp_path):
    output = tmp_path / "plan.docx"

    result = app.test_cli_runner().invoke(
        cli, args=["export", "valle", "--format", "docx", "-o", str(output)]
    )

    assert result.exit_code == 0, result.output
    assert f"Wrote {output}" in result.output
    assert f"Commitment 1: {WATER}" in headings(open_docx(output.read_bytes()), 2)


def test_the_command_links_files_to_the_base_url(desk, app, tmp_path):
    recorded = desk.record()
    output = tmp_path / "plan.json"

    result = app.test_cli_runner().invoke(
        cli,
        args=["export", "valle", "--format", "json", "-o", str(output)]
        + ["--base-url", "https://gobiernoabierto.example"],
    )

    assert result.exit_code == 0, result.output
    endorsement = json.loads(output.read_bytes())["strategic_vision"]["sections"][6]["fields"][0]
    assert endorsement["value"][0]["signed_document"]["url"] == (
        f"https://gobiernoabierto.example/files/{recorded.document_id}/endorsement.pdf"
    )


def test_without_an_address_the_command_links_to_where_coplat_run_serves(
    desk, app, tmp_path, monkeypatch
):
    monkeypatch.delenv("COPLAT_BASE_URL", raising=False)
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    recorded = desk.record()
    output = tmp_path / "plan.json"

    result = app.test_cli_runner().invoke(
        cli, args=["export", "valle", "--format", "json", "-o", str(output)]
    )

    assert result.exit_code == 0, result.output
    endorsement = json.loads(output.read_bytes())["strategic_vision"]["sections"][6]["fields"][0]
    assert endorsement["value"][0]["signed_document"]["url"] == (
        f"http://127.0.0.1:5000/files/{recorded.document_id}/endorsement.pdf"
    )
    help_text = app.test_cli_runner().invoke(cli, args=["export", "--help"]).output
    assert "else http://127.0.0.1:5000" in " ".join(help_text.split())


def test_the_default_address_is_where_coplat_run_serves(monkeypatch):
    from coplat.cli import run_command
    from coplat.config import default_base_url

    monkeypatch.delenv("COPLAT_BASE_URL", raising=False)
    defaults = {option.name: option.default for option in run_command.params}
    assert default_base_url() == f"http://{defaults['host']}:{defaults['port']}"
    assert default_base_url() == "http://127.0.0.1:5000"

    monkeypatch.setenv("COPLAT_BASE_URL", "https://gobiernoabierto.example")
    assert default_base_url() == "https://gobiernoabierto.example"


def test_the_command_refuses_an_unknown_exercise(desk, app, tmp_path):
    output = tmp_path / "plan.docx"

    result = app.test_cli_runner().invoke(
        cli, args=["export", "nowhere", "--format", "docx", "-o", str(output)]
    )

    assert result.exit_code != 0
    assert "No exercise has the identifier 'nowhere'" in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_the_command_names_the_missing_translations(desk, app, tmp_path):
    desk.change(desk.commitments[1], problem={"es": "Sin traducción."})
    output = tmp_path / "plan.pdf"

    result = app.test_cli_runner().invoke(
        cli, args=["export", "valle", "--format", "pdf", "-o", str(output)]
    )

    assert result.exit_code != 0
    assert f"“{LIGHTS}”: 6. Problem" in result.output
    assert "--mark-missing" in result.output
    assert not output.exists()

    marked = app.test_cli_runner().invoke(
        cli, args=["export", "valle", "--format", "csv", "--mark-missing", "-o", str(output)]
    )
    assert marked.exit_code == 0, marked.output
    assert "[translation missing]" in output.read_text(encoding="utf-8-sig")


def test_the_command_without_pango(desk, app, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    result = app.test_cli_runner().invoke(
        cli, args=["export", "valle", "--format", "pdf", "-o", str(tmp_path / "plan.pdf")]
    )

    assert result.exit_code != 0
    assert "Pango" in result.output
    assert "Traceback" not in result.output
