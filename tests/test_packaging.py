"""A non-editable install (a wheel, as a container image would use) carries the root
templates, the compiled catalogues, the migrations and the static files."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("coplat-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.parametrize(
    "expected",
    [
        "coplat/templates/base.html",
        "coplat/templates/exercises/show.html",
        "coplat/translations/es/LC_MESSAGES/messages.mo",
        "coplat/translations/en/LC_MESSAGES/messages.mo",
        "coplat/migrations/env.py",
        "coplat/migrations/alembic.ini",
        "coplat/migrations/script.py.mako",
        "coplat/static/htmx-2.0.11.min.js",
        "coplat/static/coplat.css",
    ],
)
def test_wheel_carries(wheel_names, expected):
    assert expected in wheel_names


def test_wheel_carries_every_migration(wheel_names):
    for migration in (ROOT / "migrations" / "versions").glob("*.py"):
        assert f"coplat/migrations/versions/{migration.name}" in wheel_names


def test_wheel_carries_every_template(wheel_names):
    for template in (ROOT / "templates").rglob("*.html"):
        assert f"coplat/templates/{template.relative_to(ROOT / 'templates')}" in wheel_names


INSTALLED_RUN = """
import coplat, sys
from coplat import create_app
from coplat.cli import prepare_database
from coplat.demo import load_demo
assert coplat.__file__.startswith(sys.argv[1]), coplat.__file__
app = create_app()
with app.app_context():
    prepare_database()
    load_demo()
client = app.test_client()
page = client.get("/e/demo", headers={"Accept-Language": "es"}).get_data(as_text=True)
assert "Santa Lucía del Valle" in page and "Cerrado" in page, page[:2000]
print("ok")
"""


def test_installed_wheel_serves_the_demo_from_elsewhere(wheel, tmp_path):
    """Unpacked away from the checkout, the package finds its templates, catalogues
    and migrations inside itself."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    result = subprocess.run(
        [sys.executable, "-c", INSTALLED_RUN, str(site)],
        cwd=tmp_path,
        env={
            "PYTHONPATH": str(site),
            "COPLAT_INSTANCE": str(tmp_path / "instance"),
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
