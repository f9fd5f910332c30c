"""The evidence repository (OGP Local Annexes 4 and 5): evidence filed through the form
(a file or a link, tagged with its Annex 5 type, attached to a step, a session, a
commitment or a milestone), the process's repository grouped by Annex 5 section with
the record's own public documents, filtered, searched and paged; each commitment's
folder by milestone; refusals that keep what was typed; and removal, after which the
file is no longer public."""

import io
import re
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from coplat.core.uploads import Upload
from coplat.exercises.models import Declaration
from coplat.extensions import db
from coplat.site import repository
from coplat.tables.enums import AttachmentKind
from coplat.tables.models import SessionAttachment
from coplat.tracking import services
from coplat.tracking.enums import EvidenceType
from coplat.tracking.models import Evidence
from tests.conftest import english
from tests.site.conftest import PDF, E, as_user, text
from tests.tracking.conftest import at

SPRING = date(2027, 5, 10)
TEXT_FILE = b"Esto no es un PDF.\n" * 20


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def error_of(page: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    assert found, f"no error beside {field_id}"
    return found.group(1)


def file_evidence(desk, user=None, **fields) -> Evidence:
    """Evidence filed through the service (a link unless told), at noon in spring."""
    values = {
        "kind": EvidenceType.MINUTES,
        "title": {"es": "Minuta de la sesión", "en": "Minutes of the session"},
        "link": "https://valle.example/minuta",
    } | fields
    with at(SPRING):
        evidence = services.add_evidence(desk.exercise, user or desk.facilitator, **values)
    db.session.commit()
    return evidence


def get(client, url: str):
    db.session.commit()
    with at(SPRING):
        return english(client).get(url)


def refused(client, data: dict) -> str:
    """The evidence form posted with `data`, refused: the page, with what was typed."""
    response = client.post(f"{E}/evidence/new", data=data)
    assert response.status_code == 422
    return text(response)


def upload(desk, name: str = "lista.pdf", public: bool = True) -> Upload:
    record = Upload(
        exercise=desk.exercise,
        original_name=name,
        stored_name=uuid.uuid4().hex,
        content_type="application/pdf",
        size=2048,
        is_public=public,
    )
    db.session.add(record)
    db.session.commit()
    return record


# ----- filing -------------------------------------------------------------------------


def test_the_facilitator_files_a_document_of_a_session(app, client, launched_plan, login):
    desk = launched_plan()
    session = desk.sessions[0]
    as_user(client, login, desk.facilitator)
    with at(SPRING):
        form = text(client.get(f"{E}/evidence/new?step=4&session={session.id}"))
        # The types come grouped by Annex 5's sections; the query string attaches it.
        assert (
            '<optgroup label="Evidence of public consultations and multi-stakeholder forums">'
            in form
        )
        assert re.search(r'<option selected value="4">', form)
        assert re.search(rf'<option selected value="{session.id}">', form)
        response = client.post(
            f"{E}/evidence/new",
            data={
                "kind": EvidenceType.PARTICIPANT_LIST.value,
                "title-es": "Lista de asistencia",
                "title-en": "Attendance list",
                "description-es": "Firmada por las personas asistentes.",
                "document": (io.BytesIO(PDF), "asistencia.pdf"),
                "link": "",
                "dated_on": "2026-11-30",
                "step_number": "4",
                "session": str(session.id),
                "commitment": "",
                "milestone": "",
            },
        )
    assert response.status_code == 303
    evidence = db.session.scalar(sa.select(Evidence))
    assert response.headers["Location"].endswith(f"{E}/evidence#evidence-{evidence.id}")
    assert (evidence.kind, evidence.step_number, evidence.session_id) == (
        EvidenceType.PARTICIPANT_LIST,
        4,
        session.id,
    )
    assert evidence.link == "" and evidence.upload.original_name == "asistencia.pdf"
    assert evidence.dated_on == date(2026, 11, 30)
    page = text(get(client, f"{E}/evidence"))
    item = page[page.index(f'id="evidence-{evidence.id}"') :]
    item = item[: item.index("</li>")]
    assert "Attendance list" in item
    assert "List of participants who attended" in item
    assert "Dated November 30, 2026" in item
    assert "Filed by: Facilitator" in item
    file_url = f"/files/{evidence.upload.id}/asistencia.pdf"
    assert f'href="{file_url}"' in item
    assert f'href="{E}/tables/{desk.table.id}/sessions/{session.id}"' in item
    # Under Annex 5's heading of its type.
    heading = page.rindex("<h3", 0, page.index(f'id="evidence-{evidence.id}"'))
    assert "Evidence of public consultations and multi-stakeholder forums" in page[heading:][:200]
    assert client.get(file_url).data == PDF


def test_the_implementer_files_evidence_on_a_milestone_of_their_commitment(
    client, launched_plan, login
):
    desk = launched_plan(commitments=2)
    milestone = desk.milestone(2)
    as_user(client, login, desk.implementer)
    with at(SPRING):
        form = text(client.get(f"{E}/evidence/new?milestone={milestone.id}"))
        # Only their commitment; no step or session of the process.
        assert 'name="step_number"' not in form and 'name="session"' not in form
        choices = form[form.index('<select id="commitment"') :]
        choices = choices[: choices.index("</select>")]
        assert re.findall(r'<option[^>]* value="(\d+)"', choices) == [str(desk.commitment.id)]
        response = client.post(
            f"{E}/evidence/new",
            data={
                "kind": EvidenceType.BUDGET_DECISIONS.value,
                "title-es": "Presupuesto de reparación",
                "link": "https://valle.example/presupuesto",
                "commitment": str(desk.commitment.id),
                "milestone": str(milestone.id),
            },
        )
    assert response.status_code == 303
    evidence = db.session.scalar(sa.select(Evidence))
    assert (evidence.commitment_id, evidence.milestone_id) == (desk.commitment.id, milestone.id)
    folder_url = f"{E}/evidence/commitments/{desk.commitment.id}"
    assert response.headers["Location"].endswith(f"{folder_url}#evidence-{evidence.id}")
    page = text(get(client, folder_url))
    section = page[page.index(f'id="milestone-{milestone.id}"') :]
    assert "Presupuesto de reparación" in section
    assert "Filed by: Implementer" in section
    assert "(not yet translated)" in section
    general = page[page.index('id="general-title"') : page.index(f'id="milestone-{milestone.id}"')]
    assert "Presupuesto" not in general


def test_an_implementer_files_nothing_on_another_commitment(client, launched_plan, login):
    desk = launched_plan(commitments=2)
    other = desk.commitments[1]
    as_user(client, login, desk.implementer)
    photos = {
        "kind": EvidenceType.PHOTOS.value,
        "title-es": "Fotos",
        "link": "https://valle.example/fotos",
    }
    with at(SPRING):
        page = refused(client, photos | {"commitment": str(other.id)})
        assert "Not a valid choice" in error_of(page, "commitment")
        # Nor on a milestone of it.
        milestone = str(desk.milestone(1, other).id)
        refused(client, photos | {"commitment": str(desk.commitment.id), "milestone": milestone})
    assert count(Evidence) == 0


@pytest.mark.parametrize("role", ["citizen", "monitoring"])
def test_who_does_not_file_evidence_is_refused(client, launched_plan, login, role):
    desk = launched_plan()
    as_user(client, login, getattr(desk, role))
    with at(SPRING):
        assert client.get(f"{E}/evidence/new").status_code == 403
        response = client.post(
            f"{E}/evidence/new",
            data={"kind": "photos", "title-es": "Fotos", "link": "https://valle.example/f"},
        )
    assert response.status_code == 403
    assert count(Evidence) == 0


def test_a_visitor_is_sent_to_log_in(client, launched_plan):
    launched_plan()
    response = get(client, f"{E}/evidence/new")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_a_refused_form_keeps_what_was_typed(app, client, launched_plan, login):
    desk = launched_plan()
    as_user(client, login, desk.point_of_contact)
    before = stored_files(app)
    with at(SPRING):
        # Neither a file nor a link: the service refuses, beside the link.
        page = refused(
            client,
            {
                "kind": EvidenceType.AUDIT_REPORTS.value,
                "title-es": "Informe de auditoría de la obra",
                "description-es": "Auditoría externa.",
                "dated_on": "2027-04-30",
                "commitment": str(desk.commitment.id),
            },
        )
        assert "Attach a file or give a link." in error_of(page, "link")
        assert 'value="Informe de auditoría de la obra"' in page
        assert "Auditoría externa." in page
        assert 'value="2027-04-30"' in page
        assert re.search(r'<option selected value="audit_reports">', page)
        assert re.search(rf'<option selected value="{desk.commitment.id}">', page)
        # A title in Spanish is required; a link must be a full address.
        page = refused(
            client, {"kind": "photos", "title-en": "Photos", "link": "valle.example/fotos"}
        )
        assert "Write this in Spanish." in error_of(page, "title-es")
        assert "starting with https://" in error_of(page, "link")
        assert 'value="Photos"' in page
        # A file that is not a document is refused by its content, and not kept.
        page = refused(
            client,
            {
                "kind": "photos",
                "title-es": "Fotos del arranque",
                "document": (io.BytesIO(TEXT_FILE), "fotos.pdf"),
                "step_number": "1",
            },
        )
        assert "This file type is not accepted." in error_of(page, "document")
        assert 'value="Fotos del arranque"' in page
        # A refusal of the service stores no file either.
        refused(
            client,
            {
                "kind": "photos",
                "title-es": "",
                "title-en": "Photos",
                "document": (io.BytesIO(PDF), "fotos.pdf"),
            },
        )
    assert stored_files(app) == before
    assert count(Evidence) == 0 and count(Upload) == 0


# ----- the repository -----------------------------------------------------------------


def test_the_repository_lists_the_records_public_documents(client, launched_plan):
    desk = launched_plan()
    session = desk.sessions[0]
    photo, names = upload(desk, "fotos.pdf"), upload(desk, "nombres.pdf", public=False)
    db.session.add_all(
        [
            SessionAttachment(
                session=session, upload=photo, kind=AttachmentKind.PHOTO, caption="Mesa 1"
            ),
            SessionAttachment(session=session, upload=names, kind=AttachmentKind.ATTENDANCE_LIST),
            Declaration(
                exercise=desk.exercise,
                signed_on=date(2026, 3, 1),
                link="https://valle.example/declaratoria",
            ),
        ]
    )
    page = text(get(client, f"{E}/evidence"))
    assert "Joint declaration of political will, signed" in page
    assert 'href="https://valle.example/declaratoria"' in page
    assert "Dated March 1, 2026" in page
    assert "Mesa 1" in page and f"/files/{photo.id}/fotos.pdf" in page
    assert re.search(r"From the exercise(&#39;|')s record", page)
    # A staff-only attendance list stays out of the public repository.
    assert "nombres.pdf" not in page
    assert "2 documents" in page
    photos = text(get(client, f"{E}/evidence?type=photos"))
    assert "Mesa 1" in photos and "Joint declaration" not in photos
    step_one = text(get(client, f"{E}/evidence?step=1"))
    assert "Joint declaration" in step_one and "Mesa 1" not in step_one


def test_the_repository_groups_by_section_filters_and_searches(client, launched_plan):
    desk = launched_plan()
    file_evidence(desk, kind=EvidenceType.CONSULTATION_PLAN, title={"es": "Plan de consulta"})
    file_evidence(
        desk,
        kind=EvidenceType.MINUTES,
        title={"es": "Minuta de participación ciudadana"},
        step_number=4,
    )
    file_evidence(
        desk,
        kind=EvidenceType.AUDIT_REPORTS,
        title={"es": "Auditoría"},
        description={"es": "Revisión de la Contraloría Municipal"},
    )
    # Evidence of a commitment lives in its folder, not in the process's.
    file_evidence(desk, title={"es": "Avance de obra"}, commitment=desk.commitment)
    page = text(get(client, f"{E}/evidence"))
    headings = re.findall(r'<h3 id="section-([a-z_]+)">', page)
    assert headings == ["consultation_plans", "consultations", "implementation"]
    assert "Avance de obra" not in page
    folders = page[page.index('id="folders-title"') : page.index('id="process-title"')]
    assert "1 document" in folders
    assert f'href="{E}/evidence/commitments/{desk.commitment.id}"' in folders

    minutes = text(get(client, f"{E}/evidence?type=minutes"))
    assert "Minuta de participación ciudadana" in minutes and "Plan de consulta" not in minutes
    assert "1 document" in minutes[minutes.index('id="results"') :]
    step = text(get(client, f"{E}/evidence?step=4"))
    assert "Minuta" in step and "Auditoría" not in step
    # Without accents or capitals, in the description too.
    found = text(get(client, f"{E}/evidence?q=PARTICIPACION"))
    assert "Minuta de participación ciudadana" in found and "Auditoría" not in found
    found = text(get(client, f"{E}/evidence?q=contraloria+municipal"))
    assert "Auditoría" in found and "Minuta" not in found
    nothing = text(get(client, f"{E}/evidence?q=presupuesto"))
    assert "No document matches these filters." in nothing
    assert 'value="presupuesto"' in nothing


def test_the_filters_answer_htmx_with_the_results_alone(htmx, launched_plan):
    desk = launched_plan()
    file_evidence(desk, kind=EvidenceType.PHOTOS, title={"es": "Fotos"})
    db.session.commit()
    with at(SPRING):
        response = htmx.get(f"{E}/evidence?type=photos")
    fragment = text(response)
    assert fragment.lstrip().startswith('<div id="results"')
    assert "<html" not in fragment and "Fotos" in fragment


def test_a_long_repository_is_paged(client, launched_plan, monkeypatch):
    desk = launched_plan()
    monkeypatch.setattr(repository, "PER_PAGE", 3)
    for n in range(7):
        file_evidence(
            desk, title={"es": f"Foto {n}"}, kind=EvidenceType.PHOTOS, dated_on=date(2027, 1, n + 1)
        )
    first = text(get(client, f"{E}/evidence"))
    assert "page 1 of 3" in first
    assert re.findall(r"Foto (\d)", first) == ["6", "5", "4"]
    last = text(get(client, f"{E}/evidence?page=3"))
    assert re.findall(r"Foto (\d)", last) == ["0"]
    assert f'href="{E}/evidence?page=2" ' in last


# ----- removal ------------------------------------------------------------------------


def test_removed_evidence_leaves_the_repository_and_its_file_is_no_longer_public(
    app, client, launched_plan, login
):
    desk = launched_plan()
    as_user(client, login, desk.facilitator)
    with at(SPRING):
        response = client.post(
            f"{E}/evidence/new",
            data={
                "kind": EvidenceType.PHOTOS.value,
                "title-es": "Fotos de la obra",
                "document": (io.BytesIO(PDF), "obra.pdf"),
                "commitment": str(desk.commitment.id),
            },
        )
    assert response.status_code == 303
    evidence = db.session.scalar(sa.select(Evidence))
    file_url = f"/files/{evidence.upload_id}/obra.pdf"
    folder_url = f"{E}/evidence/commitments/{desk.commitment.id}"
    page = text(get(client, folder_url))
    # The button only opens the question; the form that removes sits behind it, so one
    # stray click removes nothing, with or without JavaScript.
    question = re.search(r'<details class="confirm">(.*?)</details>', page, re.S)
    assert question, "no confirmation around the removal"
    assert '<summary class="button button-danger">Remove from the repository</summary>' in (
        question.group(1)
    )
    assert "Remove this evidence? Its file stops being public." in question.group(1)
    assert f'action="{E}/evidence/{evidence.id}/remove"' in question.group(1)
    assert page.count("/remove") == 1 and "hx-confirm" not in page
    with at(SPRING):
        response = client.post(f"{E}/evidence/{evidence.id}/remove")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(folder_url)
    assert "Fotos de la obra" not in text(get(client, folder_url))
    assert count(Evidence) == 0
    # The file stays for the record, but only the exercise's staff may read it: a
    # visitor is asked to log in. (A fresh app context: the fixture's remembers who
    # logged in.)
    with app.app_context():
        response = app.test_client().get(file_url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert client.get(file_url).status_code == 200


def test_the_implementer_does_not_remove_evidence(client, launched_plan, login):
    desk = launched_plan()
    evidence = file_evidence(desk, commitment=desk.commitment)
    as_user(client, login, desk.implementer)
    page = text(get(client, f"{E}/evidence/commitments/{desk.commitment.id}"))
    assert "/remove" not in page
    with at(SPRING):
        assert client.post(f"{E}/evidence/{evidence.id}/remove").status_code == 403
    assert count(Evidence) == 1


def test_evidence_of_another_exercise_is_not_found(client, launched_plan, login):
    desk = launched_plan()
    other = launched_plan(slug="otro")
    evidence = file_evidence(other)
    as_user(client, login, desk.facilitator)
    with at(SPRING):
        assert client.post(f"{E}/evidence/{evidence.id}/remove").status_code == 404
    assert get(client, f"{E}/evidence/commitments/{other.commitment.id}").status_code == 404
