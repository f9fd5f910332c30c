"""Browser fixtures: the platform with its demo exercise served on a free local port
from its own SQLite file, and a real Chromium driven by Playwright's sync API.

The server is separate from the session `app` of tests/conftest.py: the browser
tests override its autouse `clean_tables` so that fixture is never built here and the
demo data stays for the whole browser session."""

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from coplat.demo import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent
# The password of the accounts the tests make themselves (tests/conftest.py's).
PASSWORD = "correct horse battery"
OPEN_SLUG = "consulta-abierta"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser is a browser test (before `-m` selects)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def clean_tables():
    """Overrides the parent's table-emptying fixture: the demo must persist, and the
    parent's session `app` (and its database) is not needed here."""
    yield


def chromium_executable() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("COPLAT_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; COPLAT_REQUIRE_BROWSER=1 requires it", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    from flask_migrate import upgrade

    import coplat
    from coplat.demo import load_demo
    from coplat.extensions import db

    instance = tmp_path_factory.mktemp("browser-instance")
    previous = os.environ.get("COPLAT_INSTANCE")
    os.environ["COPLAT_INSTANCE"] = str(instance)
    try:
        app = coplat.create_app(
            {
                "SECRET_KEY": "browser-tests-secret",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'browser.db'}",
                "UPLOAD_FOLDER": str(instance / "uploads"),
                "LOGIN_RATE_LIMIT": "1000 per minute",
                # Pages are checked right after the writes they show.
                "PAGE_CACHE_SECONDS": 0,
            }
        )
    finally:
        if previous is None:
            os.environ.pop("COPLAT_INSTANCE", None)
        else:
            os.environ["COPLAT_INSTANCE"] = previous
    with app.app_context():
        upgrade(directory=str(coplat.resource_dir("migrations")))
        load_demo()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The base URL (no trailing slash) of the demo platform served in a thread."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # no access log in the test output
            pass

    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def translate(live_app):
    """translate(language, msgid, **variables): the interface text the platform shows
    in that language, taken from its own catalogues."""
    from flask_babel import force_locale, gettext

    def do(language: str, msgid: str, **variables) -> str:
        with live_app.test_request_context(), force_locale(language):
            return gettext(msgid, **variables)

    return do


@pytest.fixture(scope="session")
def browser():
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(**options): a fresh browser context (own cookies) on the live
    server, Mexican Spanish unless told otherwise; closed after the test."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "es-MX")
        options.setdefault("base_url", live_server)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def sign_in():
    """sign_in(page, email, password=demo password): log in through the login form,
    as a person would, and wait for the page it leads to."""

    def do(page, email: str, password: str = DEMO_PASSWORD) -> None:
        page.goto("/account/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        with page.expect_navigation():
            page.locator("main form.stacked button[type=submit]").click()

    return do


@dataclass(frozen=True)
class OpenConsultation:
    """What `open_consultation` made: topic ids by key, account emails by key."""

    slug: str
    topics: dict[str, int]
    titles: dict[str, str]  # English titles, by topic key
    pending: int  # the id of a topic awaiting moderation
    categories: dict[str, int]
    offline_input: int
    accounts: dict[str, str]
    vote_budget: int

    @property
    def path(self) -> str:
        return f"/e/{self.slug}/consultation"

    def topic_path(self, key: str) -> str:
        return f"{self.path}/topics/{self.topics[key]}"


@pytest.fixture(scope="session")
def open_consultation(live_app) -> OpenConsultation:
    """A second exercise, `consulta-abierta`, whose consultation is OPEN (since
    yesterday, for a week; 3 votes each, two categories): four published topics, one
    awaiting moderation, an offline input with a tally, and English-speaking accounts
    (password PASSWORD): a facilitator of the exercise and one citizen per test that
    votes, so no test spends another's budget. The demo's own consultation is closed."""
    from datetime import date, timedelta

    from coplat.accounts.models import Role
    from coplat.accounts.services import create_user
    from coplat.consultation import services
    from coplat.consultation.enums import Channel
    from coplat.consultation.models import Consultation, OfflineInput
    from coplat.core.models import utcnow
    from coplat.exercises.enums import ExerciseKind
    from coplat.exercises.services import assign_role, create_exercise
    from coplat.extensions import db

    accounts = {
        key: f"{key}@consulta-abierta.test"
        for key in ["facilitator", "phone", "nojs", "budget", "reader", "proposer"]
    }
    topics = {
        "lighting": (
            "transport",
            {
                "es": "Alumbrado público en las colonias",
                "en": "Street lighting in the neighbourhoods",
            },
        ),
        "water": (
            "services",
            {"es": "Agua potable todos los días", "en": "Drinking water every day"},
        ),
        "buses": (
            "transport",
            {"es": "Rutas de camión al hospital", "en": "Bus routes to the hospital"},
        ),
        "parks": ("services", {"es": "Parques limpios y seguros", "en": "Clean and safe parks"}),
    }
    with live_app.app_context():
        users = {
            key: create_user(
                name=f"{key.title()} Tester", email=email, password=PASSWORD, locale="en"
            )
            for key, email in accounts.items()
        }
        exercise = create_exercise(
            slug=OPEN_SLUG,
            jurisdictions=[("San Martín de las Flores", "Puebla")],
            name={"es": "Consulta abierta San Martín", "en": "San Martín open consultation"},
            kind=ExerciseKind.MUNICIPAL,
            administration_ends=date(2027, 10, 14),
        )
        assign_role(exercise, users["facilitator"], Role.FACILITATOR)
        now = utcnow()
        consultation = Consultation(
            exercise=exercise,
            question={
                "es": "¿Qué problemas de San Martín deben atenderse primero?",
                "en": "Which problems of San Martín should be tackled first?",
            },
            explanation={
                "es": "Propón temas y vota por tres.",
                "en": "Propose topics and vote for three.",
            },
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            accepts_topics=True,
            vote_budget=3,
            regions="Centro\nLa Cañada",
        )
        db.session.add(consultation)
        categories = {
            "transport": services.add_category(
                consultation, {"es": "Transporte y alumbrado", "en": "Transport and lighting"}
            ),
            "services": services.add_category(
                consultation, {"es": "Servicios públicos", "en": "Public services"}
            ),
        }
        db.session.flush()
        made = {}
        for key, (category, title) in topics.items():
            topic = services.submit_topic(
                consultation,
                users["proposer"],
                title=title,
                description={"es": f"{title['es']}.", "en": f"{title['en']}."},
                category=categories[category],
            )
            services.publish(topic)
            made[key] = topic
        pending = services.submit_topic(
            consultation,
            users["proposer"],
            title={"en": "Potholes on the main road"},
            description={"en": "The main road has had potholes for a year."},
            category=categories["transport"],
        )
        offline_input = OfflineInput(
            consultation=consultation,
            channel=Channel.ASSEMBLY,
            place="Plaza principal",
            held_on=(now - timedelta(hours=12)).date(),
            participants=42,
            notes="Asamblea del barrio centro.",
            recorded_by_id=users["facilitator"].id,
        )
        db.session.add(offline_input)
        db.session.flush()
        services.set_tally(offline_input, made["water"], 17)
        # The reader has voted, so the logged-in pages show a withdraw button.
        services.cast_vote(made["lighting"], users["reader"])
        db.session.commit()
        made_consultation = OpenConsultation(
            slug=OPEN_SLUG,
            topics={key: topic.id for key, topic in made.items()},
            titles={key: title["en"] for key, (_category, title) in topics.items()},
            pending=pending.id,
            categories={key: category.id for key, category in categories.items()},
            offline_input=offline_input.id,
            accounts=accounts,
            vote_budget=consultation.vote_budget,
        )
        db.session.remove()
    return made_consultation
