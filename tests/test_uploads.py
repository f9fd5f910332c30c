"""Uploaded files: checked by content, kept outside the static folder under a random
name, size-limited, and served only to those who may read them."""

import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from coplat.core.uploads import Upload, store_upload
from coplat.exercises.models import Declaration, Exercise
from coplat.extensions import db

REFUSED = (
    "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, WebP) or an office "
    "document (DOCX, XLSX, PPTX, ODT)."
)


def minimal_pdf(text: str = "Declaratoria conjunta") -> bytes:
    """A small, valid one-page PDF with a cross-reference table."""
    content = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF = minimal_pdf()
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 240
TEXT = "Declaración: esto no es un PDF, es texto con otro nombre.\n".encode() * 20


def stored_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def post_declaration(client, content: bytes, filename: str, **headers):
    return client.post(
        "/e/valle/declaration",
        data={
            "declaration-signed_on": "2026-03-10",
            "declaration-document": (io.BytesIO(content), filename, "application/pdf"),
        },
        content_type="multipart/form-data",
        headers=headers,
    )


def test_a_pdf_declaration_is_stored_outside_static_and_served(app, admin, client, exercise_id):
    before = stored_files(app)
    response = post_declaration(admin, PDF, "declaratoria firmada.pdf")
    assert response.status_code == 303
    with app.app_context():
        declaration = db.session.get(Exercise, exercise_id).declaration
        upload = declaration.document
        assert upload.original_name == "declaratoria_firmada.pdf"
        assert upload.content_type == "application/pdf"
        assert upload.size == len(PDF)
        assert upload.is_public and upload.exercise_id == exercise_id
        assert upload.uploaded_by_id is not None
        path = upload.path.resolve()
        upload_id, stored_name = upload.id, upload.stored_name
    # Kept under a random name, outside the folder the web server serves as is.
    assert stored_files(app) - before == {stored_name}
    assert re.fullmatch(r"[0-9a-f]{32}", stored_name)
    assert path.read_bytes() == PDF
    assert not path.is_relative_to(Path(app.static_folder).resolve())
    assert client.get(f"/static/{stored_name}").status_code == 404

    step_page = admin.get("/e/valle/steps/1").get_data(as_text=True)
    url = f"/files/{upload_id}/declaratoria_firmada.pdf"
    assert f'href="{url}"' in step_page
    assert re.search(r'<li class="met">The signed document \(PDF\) or a link to it', step_page)

    download = client.get(url)  # a visitor: the declaration is public evidence
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert not download.headers.get("Content-Disposition", "").startswith("attachment")


def test_a_new_document_replaces_the_previous_one(app, admin, exercise_id):
    post_declaration(admin, PDF, "primera.pdf")
    post_declaration(admin, minimal_pdf("Segunda version"), "segunda.pdf")
    with app.app_context():
        declaration = db.session.get(Exercise, exercise_id).declaration
        assert declaration.document.original_name == "segunda.pdf"
    assert count(app, Declaration) == 1


@pytest.mark.parametrize(
    ("content", "filename"),
    [(EXECUTABLE, "declaratoria.pdf"), (TEXT, "declaratoria.pdf"), (EXECUTABLE, "setup.exe")],
    ids=["executable renamed", "text renamed", "executable"],
)
def test_a_file_that_is_not_a_document_is_refused_by_content(app, admin, content, filename):
    before = stored_files(app)
    response = post_declaration(admin, content, filename)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert REFUSED in text
    assert "<html" in text  # without JavaScript: the whole page, the error on the field
    assert count(app, Upload) == 0
    assert count(app, Declaration) == 0
    assert stored_files(app) == before


def test_a_refused_file_with_htmx_returns_the_fragment(app, admin, exercise_id):
    before = stored_files(app)
    response = post_declaration(admin, TEXT, "acta.pdf", **{"HX-Request": "true"})
    assert response.status_code == 422
    text = response.get_data(as_text=True).strip()
    assert text.startswith('<section id="declaration"') and "<html" not in text
    assert REFUSED in text
    assert 'value="2026-03-10"' in text  # the date typed is kept
    assert count(app, Upload) == 0
    assert stored_files(app) == before


def test_a_file_over_the_size_limit_gets_the_413_page(app, admin, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    before = stored_files(app)
    big = PDF + b"%" + b"0" * (1024 * 1024 + 10)
    response = post_declaration(admin, big, "enorme.pdf")
    assert response.status_code == 413
    text = response.get_data(as_text=True)
    assert "File too large" in text
    assert "The file is larger than the limit of 1 MB. Go back and choose a smaller file." in text
    assert count(app, Upload) == 0 and count(app, Declaration) == 0
    assert stored_files(app) == before


# ----- who may read a file -------------------------------------------------------------


@pytest.fixture
def private_upload(app, exercise_id):
    """A staff-only file (e.g. an attendance list with names)."""
    with app.test_request_context():
        exercise = db.session.get(Exercise, exercise_id)
        stream = FileStorage(io.BytesIO(PDF), filename="lista de asistencia.pdf")
        upload = store_upload(stream, exercise=exercise, user=None, is_public=False)
        db.session.commit()
        return f"/files/{upload.id}/{upload.original_name}"


@pytest.mark.parametrize("role", ["citizen", "point_of_contact", "implementer", "monitoring"])
def test_a_private_file_is_refused_to_non_staff(as_role, private_upload, role):
    response = as_role(role).get(private_upload)
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
    assert PDF not in response.data


def test_a_private_file_sends_a_visitor_to_log_in(client, private_upload):
    response = client.get(private_upload)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize("role", ["facilitator", "stl_member", "admin"])
def test_a_private_file_is_served_to_staff(as_role, private_upload, role):
    response = as_role(role).get(private_upload)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Cache-Control"] == "private, no-store"


def test_staff_of_another_exercise_cannot_read_a_private_file(
    app, client, make_exercise, user_with_role, login, private_upload
):
    other = make_exercise(slug="otro")
    login(client, user_with_role("facilitator", other))
    assert client.get(private_upload).status_code == 403


def test_an_unknown_or_vanished_file_is_not_found(app, client, private_upload, admin):
    assert client.get("/files/999999/nada.pdf").status_code == 404
    with app.app_context():
        upload = db.session.scalar(sa.select(Upload))
        upload.path.unlink()
    response = admin.get(private_upload)
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
