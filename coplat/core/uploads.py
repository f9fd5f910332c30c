"""Uploaded files: size limited (MAX_CONTENT_LENGTH), type checked by content, stored
outside the static folder under a random name, served through a view that checks who
may read them."""

import uuid
from pathlib import Path

import filetype
import sqlalchemy as sa
from flask import Blueprint, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from coplat.core.models import CreatedAtMixin
from coplat.extensions import db

# Detected type -> what we accept. Extensions alone are never trusted.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}
ACCEPT_ATTRIBUTE = ",".join("." + ext for ext in ALLOWED_TYPES)


class Upload(CreatedAtMixin, db.Model):
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("exercise.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size: Mapped[int]
    # Public evidence (a signed declaration) or staff-only (an attendance list with names).
    is_public: Mapped[bool] = mapped_column(default=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )

    exercise: Mapped["Exercise | None"] = relationship()  # noqa: F821

    @property
    def path(self) -> Path:
        return Path(current_app.config["UPLOAD_FOLDER"]) / self.stored_name


class UploadRejected(ValueError):
    pass


def store_upload(file: FileStorage, *, exercise, user, is_public: bool = True) -> Upload:
    """Check the file's content and keep it. The caller commits."""
    head = file.stream.read(8192)
    file.stream.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED_TYPES:
        raise UploadRejected(
            _l(
                "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, WebP) "
                "or an office document (DOCX, XLSX, PPTX, ODT)."
            )
        )
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = uuid.uuid4().hex
    destination = folder / stored_name
    file.save(destination)
    original = secure_filename(file.filename or "") or f"document.{kind.extension}"
    if not original.lower().endswith("." + kind.extension):
        original = f"{original.rsplit('.', 1)[0]}.{kind.extension}"
    upload = Upload(
        exercise=exercise,
        original_name=original,
        stored_name=stored_name,
        content_type=ALLOWED_TYPES[kind.extension],
        size=destination.stat().st_size,
        is_public=is_public,
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(upload)
    return upload


bp = Blueprint("uploads", __name__)


@bp.get("/files/<int:upload_id>/<path:name>")
def download(upload_id: int, name: str):
    from coplat.core.permissions import require
    from coplat.exercises.permissions import ExerciseAction

    upload = db.get_or_404(Upload, upload_id)
    if not upload.is_public:
        require(ExerciseAction.READ_PRIVATE, upload.exercise)
    if not upload.path.exists():
        abort(404)
    response = send_file(
        upload.path,
        mimetype=upload.content_type,
        download_name=upload.original_name,
        as_attachment=upload.content_type != "application/pdf"
        and not upload.content_type.startswith("image/"),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not upload.is_public:
        response.headers["Cache-Control"] = "private, no-store"
    return response
