"""The commitment pages as people use them, through the test client: the list, the
drafting form (every Annex 2 field, rows added and removed in place, the quality check,
what is typed kept on errors), the commitment's page, revisions and their comparison,
the STL's review, and the refusals a page explains.

Its fixtures are prefixed `page_`: an exercise with a working table, a facilitator and
one titular per STL sector, made by id; tests write through the services only to set
the scene, and read what the pages answer."""

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from coplat.accounts.models import Role, User
from coplat.commitments import services
from coplat.commitments.enums import CommitmentStatus, Verdict
from coplat.commitments.models import Commitment, CommitmentRevision, SectorDecision
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, Topic
from coplat.core.models import utcnow
from coplat.exercises.enums import STL_SECTORS, Seat, Sector
from coplat.exercises.models import Exercise
from coplat.exercises.services import assign_role
from coplat.extensions import db
from coplat.tables import services as tables
from coplat.tables.enums import NodeKind
from tests.commitments.conftest import full_content as shared_full_content
from tests.conftest import english

PLAN = (date(2026, 9, 1), date(2028, 6, 30))
TITULARS = {
    Sector.GOVERNMENT: "Gabriela Gómez",
    Sector.CIVIL_SOCIETY: "Sofía Salas",
    Sector.GUARANTOR: "Gloria Garza",
}


@pytest.fixture
def page_ids(app, make_exercise, make_user):
    """ "valle" with its plan period; the prioritised topic "Fugas de agua" and its
    table with two strategic causes and a plain one; a facilitator; a titular for each
    STL sector."""
    exercise_id = make_exercise()
    facilitator_id = make_user(email="fabiola@example.mx", name="Fabiola Fuentes")
    members = {
        sector: make_user(email=f"{sector.value}@example.mx", name=name)
        for sector, name in TITULARS.items()
    }
    now = utcnow()
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        exercise.plan_starts_on, exercise.plan_ends_on = PLAN
        assign_role(exercise, db.session.get(User, facilitator_id), Role.FACILITATOR)
        for sector, user_id in members.items():
            assign_role(
                exercise,
                db.session.get(User, user_id),
                Role.STL_MEMBER,
                sector=sector,
                seat=Seat.TITULAR,
            )
        consultation = Consultation(
            exercise=exercise,
            question={"es": "¿Qué temas importan?"},
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=10),
            prioritised_at=now - timedelta(days=9),
        )
        topic = Topic(
            consultation=consultation,
            title={"es": "Fugas de agua", "en": "Water leaks"},
            state=TopicState.PUBLISHED,
            prioritised=True,
        )
        db.session.add(topic)
        db.session.flush()
        table = tables.open_table(exercise, topic, None)
        problem = tables.problem_of(table)
        causes = []
        for text in ("Falta de mantenimiento", "Nadie reporta las fugas"):
            cause = tables.add_node(table, problem, NodeKind.CAUSE, {"es": text}, None)
            tables.set_strategic(cause, True, None)
            causes.append(cause)
        tables.add_node(table, problem, NodeKind.CAUSE, {"es": "Lluvias"}, None)
        db.session.commit()
        return SimpleNamespace(
            exercise=exercise_id,
            facilitator=facilitator_id,
            members=members,
            topic=topic.id,
            causes=[c.id for c in causes],
        )


@pytest.fixture
def page_as(app, login):
    """page_as(user_id, language="en"): a new client logged in as that user."""

    def make(user_id, language="en"):
        client = login(app.test_client(), user_id)
        return english(client) if language == "en" else client

    return make


@pytest.fixture
def page_facilitator(page_ids, page_as):
    return page_as(page_ids.facilitator)


def full_form(ids) -> dict:
    """Every field of the drafting form filled, as a browser posts it."""
    return {
        "topic": str(ids.topic),
        "causes": [str(c) for c in ids.causes],
        "title-es": "Red de agua sin fugas",
        "title-en": "A water network without leaks",
        "starts_on": "2027-01-01",
        "ends_on": "2027-12-31",
        "government-0-institution": "Comisión de Agua Potable",
        "government-0-branch": "executive",
        "government-0-contact_name": "Ing. Rosa Méndez",
        "government-0-contact_title-es": "Directora",
        "government-0-contact_title-en": "Director",
        "government-0-email": "rosa.mendez@agua.gob.mx",
        "government-0-role-es": "Repara la red.",
        "government-0-role-en": "Repairs the network.",
        "government-1-institution": "Cabildo",
        "government-1-branch": "legislative",
        "government-1-contact_name": "Regidor Luis Paz",
        "government-1-email": "luis.paz@valle.gob.mx",
        "non_governmental-0-institution": "Colectivo Agua Limpia",
        "non_governmental-0-contact_name": "Marta Ruiz",
        "non_governmental-0-email": "marta@agualimpia.org",
        "non_governmental-0-role-es": "Reporta fugas.",
        "other-0-institution": "Universidad del Valle",
        "other-0-contact_name": "Dr. Iván Cruz",
        "problem-es": "Se pierde el 40 % del agua.",
        "problem-en": "40% of the water is lost.",
        "status_quo-es": "Nadie mide las fugas.",
        "status_quo-en": "Nobody measures the leaks.",
        "action-es": "Publicar un mapa de fugas.",
        "action-en": "Publish a map of leaks.",
        "contribution-es": "Prioriza reparaciones.",
        "contribution-en": "It ranks repairs.",
        "vision_objective-es": "Agua para todos.",
        "vision_objective-en": "Water for everyone.",
        "policy_areas": ["open_data", "social_accountability"],
        "policy_sectors": ["water"],
        "ogp_values": ["access_to_information", "civic_participation"],
        "budget_amount": "1500000.50",
        "budget_currency": "mxn",
        "staff": "4",
        "months": "12",
        "other_resources-es": "Sensores donados.",
        "other_resources-en": "Donated sensors.",
        "resources_available": "partial",
        "additional_information-es": "Piloto en el centro.",
        "additional_information-en": "Pilot downtown.",
        "milestones-0-output-es": "Mapa de fugas publicado",
        "milestones-0-output-en": "Leak map published",
        "milestones-0-starts_on": "2027-01-01",
        "milestones-0-ends_on": "2027-06-30",
        "milestones-0-institution": "Comisión de Agua Potable",
        "milestones-0-contact": "Ing. Rosa Méndez",
        "milestones-0-status": "in_progress",
        "milestones-0-indicator-es": "Mapa en línea",
        "milestones-0-indicator-en": "Map online",
        "ambition": "proactive",
        "sdgs": ["6", "16"],
        "gender_perspective-es": "Encuestas por sexo.",
        "gender_perspective-en": "Surveys by sex.",
    }


def full_content(ids) -> dict:
    """What the full form saves: the shared full commitment, with sparser rows and one
    milestone, in progress."""
    content = shared_full_content(ids.topic, ids.causes)
    blank = {"branch": None, "contact_title": {}, "role": {}, "email": ""}
    content["government"][1] = {
        **blank,
        "institution": "Cabildo",
        "branch": "legislative",
        "contact_name": "Regidor Luis Paz",
        "email": "luis.paz@valle.gob.mx",
    }
    content["non_governmental"] = [
        {
            **blank,
            "institution": "Colectivo Agua Limpia",
            "contact_name": "Marta Ruiz",
            "email": "marta@agualimpia.org",
            "role": {"es": "Reporta fugas."},
        }
    ]
    content["other"] = [
        {**blank, "institution": "Universidad del Valle", "contact_name": "Dr. Iván Cruz"}
    ]
    content["milestones"] = [{**content["milestones"][0], "status": "in_progress"}]
    return content


# ----- reading pages --------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of one form (named by its id or its action) as a browser would submit
    them, buttons left out."""

    def __init__(self, form: str):
        super().__init__(convert_charrefs=True)
        self.form = form
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple[str, list, list] | None = None  # name, options, selected
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.form in (attrs.get("id"), attrs.get("action"))
        if not self.inside:
            return
        if tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self.select = (attrs["name"], [], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select[2].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, options, selected = self.select
            for value in selected or options[:1]:
                self.fields.append((name, value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # HTML drops the line break right after <textarea>.
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self.fields.append((name, text))
            self.textarea = None


def form_fields(html: str, form: str = "commitment-form") -> dict[str, list[str]]:
    reader = FormReader(form)
    reader.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in reader.fields:
        fields.setdefault(name, []).append(value)
    return fields


def as_lists(data: dict) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in data.items()}


def text_of(response) -> str:
    return response.get_data(as_text=True)


def spanish(app, message: str, **values) -> str:
    """A message as the Spanish catalogue gives it (the interface's default)."""
    with app.test_request_context(), force_locale("es"):
        return _(message, **values)


def table_rows(html: str) -> list[str]:
    """The text of each body row of the page's tables, tags removed."""
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", html, re.S))
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# ----- setting the scene through the services -------------------------------------


def draft(app, ids, **changes) -> int:
    """A draft by the facilitator with the full content, some fields changed."""
    with app.app_context():
        commitment = services.create(
            db.session.get(Exercise, ids.exercise),
            {**full_content(ids), **changes},
            db.session.get(User, ids.facilitator),
        )
        db.session.commit()
        return commitment.id


def save(app, ids, commitment_id, reason=None, **changes) -> None:
    with app.app_context():
        commitment = db.session.get(Commitment, commitment_id)
        content = {**services.content_of(commitment), **changes}
        services.save(commitment, content, db.session.get(User, ids.facilitator), reason=reason)
        db.session.commit()


def submit(app, ids, commitment_id) -> None:
    with app.app_context():
        services.submit_for_review(
            db.session.get(Commitment, commitment_id), db.session.get(User, ids.facilitator)
        )
        db.session.commit()


def approve(app, ids, commitment_id) -> None:
    """Sent to the STL, and approved by the titular of each sector."""
    submit(app, ids, commitment_id)
    with app.app_context():
        commitment = db.session.get(Commitment, commitment_id)
        for sector in STL_SECTORS:
            user = db.session.get(User, ids.members[sector])
            services.decide(commitment, user, Verdict.APPROVE, "")
        db.session.commit()


def withdraw(app, ids, commitment_id) -> None:
    with app.app_context():
        services.withdraw(
            db.session.get(Commitment, commitment_id),
            db.session.get(User, ids.facilitator),
            {"es": "Ya lo hace el estado."},
        )
        db.session.commit()


def revision_count(app, commitment_id=None) -> int:
    with app.app_context():
        query = sa.select(sa.func.count()).select_from(CommitmentRevision)
        if commitment_id is not None:
            query = query.where(CommitmentRevision.commitment_id == commitment_id)
        return db.session.scalar(query)


def status_of(app, commitment_id) -> CommitmentStatus:
    with app.app_context():
        return db.session.get(Commitment, commitment_id).status


def url(commitment_id=None, rest="", slug="valle") -> str:
    base = f"/e/{slug}/commitments"
    return base + (f"/{commitment_id}" if commitment_id is not None else "") + rest


# ----- the list ---------------------------------------------------------------------


def title(es: str) -> dict:
    return {"es": es, "en": f"{es} (en)"}


def test_the_list_shows_each_commitment_with_its_status(app, client, page_ids):
    draft(app, page_ids, title=title("Mapa de fugas"))
    reviewed = draft(app, page_ids, title=title("Red medida"))
    submit(app, page_ids, reviewed)
    approved = draft(app, page_ids, title=title("Tarifas abiertas"), topic=None, causes=[])
    approve(app, page_ids, approved)
    dropped = draft(app, page_ids, title=title("Pipas vigiladas"))
    withdraw(app, page_ids, dropped)
    changed = draft(app, page_ids, title=title("Agua en escuelas"))
    approve(app, page_ids, changed)
    save(app, page_ids, changed, reason={"es": "Otra fecha."}, ends_on="2028-01-31")

    rows = table_rows(text_of(english(client).get(url())))

    assert rows == [
        "Mapa de fugas (en) Water leaks Draft Jan 1, 2027 – Dec 31, 2027",
        "Red medida (en) Water leaks In STL review Jan 1, 2027 – Dec 31, 2027",
        "Tarifas abiertas (en) — Approved Jan 1, 2027 – Dec 31, 2027",
        "Pipas vigiladas (en) Water leaks Withdrawn Jan 1, 2027 – Dec 31, 2027",
        "Agua en escuelas (en) Water leaks In STL review (change to an approved commitment)"
        " Jan 1, 2027 – Jan 31, 2028",
    ]


def test_the_list_links_each_commitment_and_offers_drafting_to_the_facilitator(
    app, client, page_ids, page_facilitator
):
    commitment_id = draft(app, page_ids)
    public = text_of(client.get(url()))
    assert f'href="{url(commitment_id)}"' in public
    assert f'href="{url(rest="/new")}"' not in public

    assert f'href="{url(rest="/new")}"' in text_of(page_facilitator.get(url()))


def test_an_empty_list_says_so(client, page_ids):
    page = text_of(english(client).get(url()))
    assert "No commitment has been drafted yet." in page


# ----- drafting: a full save ---------------------------------------------------------


def test_a_draft_saved_from_the_full_form_keeps_every_field(app, page_ids, page_facilitator):
    response = page_facilitator.post(url(rest="/new"), data=full_form(page_ids))

    assert response.status_code == 303
    with app.app_context():
        commitment = db.session.scalar(sa.select(Commitment))
        assert commitment.status == CommitmentStatus.DRAFT
        assert [r.number for r in commitment.revisions] == [1]
        assert commitment.latest_revision.content == full_content(page_ids)
        assert commitment.latest_revision.author_id == page_ids.facilitator
    assert response.headers["Location"].endswith(url(commitment.id))
    assert "Revision 1 saved." in text_of(page_facilitator.get(response.headers["Location"]))


NUMBERED_FIELDS = [
    ("1", "Title", "A water network without leaks"),
    ("2", "Start and end date", "From Jan 1, 2027 to Dec 31, 2027"),
    ("3", "Implementing government institutions", "Comisión de Agua Potable Executive"),
    ("4", "Non-governmental implementing actors", "Colectivo Agua Limpia"),
    ("5", "Other actors involved in implementation", "Universidad del Valle"),
    ("6", "Problem", "40% of the water is lost."),
    ("7", "Status quo", "Nobody measures the leaks."),
    ("8", "Action", "Publish a map of leaks."),
    ("9", "How it contributes to solving the problem", "It ranks repairs."),
    ("10", "Long-term objective of the strategic vision it relates to", "Water for everyone."),
    ("11", "Policy areas", "Open data Social accountability"),
    ("12", "Sectors", "Water, sanitation and hygiene"),
    ("13", "OGP values it is relevant to", "Access to information Civic participation"),
    ("14", "Resources needed", "Budget 1,500,000.5 MXN Staff (people) 4 Time (months) 12"),
    ("15", "Resources available", "Partial"),
    ("16", "Additional information", "Pilot downtown."),
    ("17", "Milestones", "Leak map published"),
]
UNNUMBERED_FIELDS = [
    ("Topic", "Water leaks"),
    (
        "Strategic causes it attacks",
        "Falta de mantenimiento (not yet translated) Nadie reporta las fugas (not yet translated)",
    ),
    ("Ambition level", "Proactive"),
    ("2030 Agenda goals", "6. Clean water and sanitation 16. Peace, justice and strong"),
    ("Gender perspective", "Surveys by sex."),
]


def sheet(html: str) -> dict[str, str]:
    """The commitment's sheet as {"number. label" or "label": the value's text}."""
    start = html.index('<dl class="sheet">')
    chunks = html[start:].split('<dt id="field-')[1:]
    # The last field ends where the sheet does; values may hold lists of their own.
    chunks[-1] = chunks[-1][: chunks[-1].index("</dl>")]

    def flat(fragment):
        return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())

    sheet = {}
    for chunk in chunks:
        term, _sep, value = chunk.partition("</dt>")
        sheet[flat(term.partition('">')[2])] = flat(value)
    return sheet


def test_the_commitment_page_shows_every_annex_2_field_with_its_number(
    app, page_ids, page_facilitator
):
    page_facilitator.post(url(rest="/new"), data=full_form(page_ids))
    with app.app_context():
        commitment_id = db.session.scalar(sa.select(Commitment.id))

    shown = sheet(text_of(page_facilitator.get(url(commitment_id))))

    assert list(shown) == [
        "Topic",
        "Strategic causes it attacks",
        *(f"{number}. {label}" for number, label, _value in NUMBERED_FIELDS),
        "Ambition level",
        "2030 Agenda goals",
        "Gender perspective",
    ]
    for number, label, value in NUMBERED_FIELDS:
        assert value in shown[f"{number}. {label}"], label
    for label, value in UNNUMBERED_FIELDS:
        assert value in shown[label], label
    rows = shown["3. Implementing government institutions"]
    assert "Cabildo Legislative Regidor Luis Paz" in rows
    assert "Director" in rows and "rosa.mendez@agua.gob.mx" in rows
    assert "Lluvias" not in shown["Strategic causes it attacks"]
    milestones = shown["17. Milestones"]
    assert "Ing. Rosa Méndez In progress Map online" in milestones
    assert "Donated sensors." in shown["14. Resources needed"]


def test_the_edit_form_shows_what_was_saved(app, page_ids, page_facilitator):
    """Sent back untouched, the edit form saves the same content: no new revision."""
    commitment_id = draft(app, page_ids)
    fields = form_fields(text_of(page_facilitator.get(url(commitment_id, "/edit"))))

    for name, values in as_lists(full_form(page_ids)).items():
        if name == "budget_currency":
            values = ["MXN"]
        assert sorted(fields[name]) == sorted(values), name

    response = page_facilitator.post(url(commitment_id, "/edit"), data=fields)
    assert response.status_code == 303
    assert "Nothing changed, so no new revision was saved." in text_of(
        page_facilitator.get(response.headers["Location"])
    )
    assert revision_count(app, commitment_id) == 1


def test_an_htmx_save_answers_with_a_redirect_for_htmx(app, htmx, page_ids, login):
    commitment_id = draft(app, page_ids)
    english(login(htmx, page_ids.facilitator))
    data = {**full_form(page_ids), "title-es": "Red de agua medida"}

    response = htmx.post(url(commitment_id, "/edit"), data=data)

    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(url(commitment_id))
    assert revision_count(app, commitment_id) == 2


# ----- drafting: errors keep what is typed ---------------------------------------------

INVALID = {
    # Three policy areas, and a row with a contact but no institution.
    "policy_areas": ["open_data", "social_accountability", "lobbying"],
    "non_governmental-0-institution": "",
}


def test_invalid_input_answers_422_and_keeps_everything_typed(app, page_ids, page_facilitator):
    data = {**full_form(page_ids), **INVALID}

    response = page_facilitator.post(url(rest="/new"), data=data)

    assert response.status_code == 422
    html = text_of(response)
    assert "Please correct the fields marked below. Nothing you typed was lost." in html
    assert "Choose two at most." in html
    assert "Name the institution or organisation." in html
    assert 'id="non_governmental-0-institution-error"' in html
    kept = form_fields(html)
    for name, values in as_lists(data).items():
        # Checkboxes come back in the order of their choices.
        assert sorted(kept.get(name, [""])) == sorted(values), name
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 0


def test_the_errors_are_in_the_readers_language(app, page_ids, page_as):
    """The facilitator reads Spanish: the messages come from the Spanish catalogue."""
    client = page_as(page_ids.facilitator, language="es")
    data = {**full_form(page_ids), **INVALID}

    html = text_of(client.post(url(rest="/new"), data=data))

    assert '<html lang="es">' in html
    assert spanish(app, "Choose two at most.") in html
    assert spanish(app, "Name the institution or organisation.") in html
    assert (
        spanish(app, "Please correct the fields marked below. Nothing you typed was lost.") in html
    )


def test_an_invalid_htmx_save_swaps_the_form_with_its_errors(app, htmx, page_ids, login):
    english(login(htmx, page_ids.facilitator))
    data = {**full_form(page_ids), **INVALID}

    response = htmx.post(url(rest="/new"), data=data)

    assert response.status_code == 422
    html = text_of(response)
    assert html.lstrip().startswith('<div id="drafting"')
    assert "<html" not in html
    assert "Choose two at most." in html
    assert form_fields(html)["non_governmental-0-contact_name"] == ["Marta Ruiz"]


def test_a_title_in_spanish_is_required(app, page_ids, page_facilitator):
    data = {**full_form(page_ids), "title-es": ""}
    response = page_facilitator.post(url(rest="/new"), data=data)
    assert response.status_code == 422
    assert 'id="title-es-error"' in text_of(response)
    assert "Write this in Spanish." in text_of(response)


# ----- drafting: rows and the quality check, without saving ---------------------------


def test_a_row_is_added_without_saving(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    data = {**full_form(page_ids), "title-es": "Título aún sin guardar", "change": "add-milestones"}

    response = page_facilitator.post(url(commitment_id, "/edit"), data=data)

    assert response.status_code == 200
    html = text_of(response)
    fields = form_fields(html)
    assert fields["title-es"] == ["Título aún sin guardar"]
    assert fields["milestones-0-output-es"] == ["Mapa de fugas publicado"]
    assert fields["milestones-1-output-es"] == [""]
    # The new row takes the focus; no error is shown for the blank row.
    new_output = re.search(r'<textarea[^>]*name="milestones-1-output-es"[^>]*>', html).group(0)
    assert "autofocus" in new_output
    assert "autofocus" not in re.search(
        r'<textarea[^>]*name="milestones-0-output-es"[^>]*>', html
    ).group(0)
    assert "Please correct the fields marked below." not in html
    assert revision_count(app, commitment_id) == 1
    with app.app_context():
        assert db.session.get(Commitment, commitment_id).title["es"] == "Red de agua sin fugas"


def test_milestone_rows_carry_their_ids_and_offer_the_status_before_submission(
    app, page_ids, page_facilitator
):
    commitment_id = draft(app, page_ids, milestones=shared_full_content(None, [])["milestones"])
    with app.app_context():
        ids = [str(m.id) for m in db.session.get(Commitment, commitment_id).milestones]
    edit = url(commitment_id, "/edit")

    html = text_of(page_facilitator.get(edit))
    fields = form_fields(html)
    assert [fields["milestones-0-id"], fields["milestones-1-id"]] == [[ids[0]], [ids[1]]]
    assert fields["milestones-0-status"] == ["not_started"]
    assert "implementers report each milestone" not in html

    # A row added in place keeps the saved rows' ids; the new row has none.
    fields["change"] = ["add-milestones"]
    fields = form_fields(text_of(page_facilitator.post(edit, data=fields)))
    assert [fields[f"milestones-{n}-id"] for n in range(3)] == [[ids[0]], [ids[1]], [""]]
    assert fields["milestones-2-status"] == ["not_started"]


def test_a_row_is_removed_without_saving(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    data = {**full_form(page_ids), "change": "remove-government-0"}

    response = page_facilitator.post(url(commitment_id, "/edit"), data=data)

    assert response.status_code == 200
    fields = form_fields(text_of(response))
    institutions = [v for k, v in fields.items() if re.fullmatch(r"government-\d+-institution", k)]
    assert institutions == [["Cabildo"]]
    assert fields["non_governmental-0-institution"] == ["Colectivo Agua Limpia"]
    assert revision_count(app, commitment_id) == 1

    # Saving what is left keeps the one government row.
    fields.pop("change", None)
    assert page_facilitator.post(url(commitment_id, "/edit"), data=fields).status_code == 303
    with app.app_context():
        government = db.session.get(Commitment, commitment_id).latest_revision.content
        assert [row["institution"] for row in government["government"]] == ["Cabildo"]


def test_rows_change_in_place_for_htmx(app, htmx, page_ids, login):
    english(login(htmx, page_ids.facilitator))
    data = {**full_form(page_ids), "change": "add-other"}

    response = htmx.post(url(rest="/new"), data=data)

    assert response.status_code == 200
    html = text_of(response)
    assert html.lstrip().startswith('<div id="drafting"')
    assert "<html" not in html
    assert form_fields(html)["other-1-institution"] == [""]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 0


def test_an_unknown_row_list_is_a_bad_request(app, page_ids, page_facilitator):
    response = page_facilitator.post(url(rest="/new"), data={"change": "add-secrets"})
    assert response.status_code == 400


def test_the_quality_check_is_a_fragment_for_htmx(app, htmx, page_ids, login):
    commitment_id = draft(app, page_ids)
    english(login(htmx, page_ids.facilitator))
    # What is typed: no problem, no OGP value; nothing of it is saved.
    data = {**full_form(page_ids), "problem-es": "", "problem-en": "", "ogp_values": []}
    data["change"] = "check"

    response = htmx.post(url(commitment_id, "/edit"), data=data)

    assert response.status_code == 200
    html = text_of(response).strip()
    assert html.startswith('<aside id="quality"') and html.endswith("</aside>")
    assert "3 of 5 characteristics met" in html
    assert "(from what is typed, not saved yet)" in html
    assert "Choose at least one OGP value (13)." in html
    assert "Describe the problem (6)." in html
    assert revision_count(app, commitment_id) == 1


def test_the_quality_check_without_htmx_renders_the_whole_form(app, page_ids, page_facilitator):
    data = {**full_form(page_ids), "ogp_values": [], "change": "check"}
    response = page_facilitator.post(url(rest="/new"), data=data)
    assert response.status_code == 200
    html = text_of(response)
    assert "<html" in html
    assert "4 of 5 characteristics met" in html
    assert form_fields(html)["title-es"] == ["Red de agua sin fugas"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 0


# ----- changing an approved commitment ----------------------------------------------


def test_a_change_to_an_approved_commitment_needs_its_reason(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    approve(app, page_ids, commitment_id)
    edit = url(commitment_id, "/edit")
    assert "Why does the approved commitment change?" in text_of(page_facilitator.get(edit))
    data = {**full_form(page_ids), "ends_on": "2028-01-31"}

    response = page_facilitator.post(edit, data=data)

    assert response.status_code == 422
    html = text_of(response)
    message = "Say why the approved commitment changes, in Spanish at least."
    error = re.search(r'<p class="error" id="change_reason-es-error">(.*?)</p>', html)
    assert error is not None and error.group(1) == message
    assert form_fields(html)["ends_on"] == ["2028-01-31"]
    assert revision_count(app, commitment_id) == 1
    assert status_of(app, commitment_id) == CommitmentStatus.APPROVED

    data["change_reason-es"] = "La Comisión pidió otra fecha."
    response = page_facilitator.post(edit, data=data)
    assert response.status_code == 303
    assert "Revision 2 saved. The STL reviews this revision now." in text_of(
        page_facilitator.get(response.headers["Location"])
    )
    assert status_of(app, commitment_id) == CommitmentStatus.IN_REVIEW


def test_changes_end_six_months_after_submission(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    approve(app, page_ids, commitment_id)
    with app.app_context():
        db.session.get(Commitment, commitment_id).submitted_at = datetime(
            2025, 1, 15, 17, 30, tzinfo=UTC
        )
        db.session.commit()
    message = (
        "OGP Local accepts changes to a commitment for six months after its submission;"
        " this one was submitted on 2025-01-15, so the time for changes ended on 2025-07-15."
    )

    response = page_facilitator.get(url(commitment_id, "/edit"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(url(commitment_id))
    assert message in text_of(page_facilitator.get(response.headers["Location"]))

    data = {**full_form(page_ids), "change_reason-es": "Otra fecha.", "ends_on": "2028-01-31"}
    response = page_facilitator.post(url(commitment_id, "/edit"), data=data)
    assert response.status_code == 303
    assert message in text_of(page_facilitator.get(response.headers["Location"]))
    assert revision_count(app, commitment_id) == 1
    assert status_of(app, commitment_id) == CommitmentStatus.APPROVED


# ----- revisions ----------------------------------------------------------------------


def test_the_comparison_shows_only_the_changed_fields_in_both_languages(app, client, page_ids):
    commitment_id = draft(app, page_ids)
    save(
        app,
        page_ids,
        commitment_id,
        title={"es": "Red de agua medida", "en": "A measured water network"},
        problem={"es": "Se pierde el 30 % del agua."},
    )

    response = english(client).get(url(commitment_id, "/revisions/compare?from=1&to=2"))

    assert response.status_code == 200
    html = text_of(response)
    assert "2 fields changed." in html
    rows = table_rows(html)
    assert rows == [
        "1. Title ES Red de agua sin fugas EN A water network without leaks"
        " ES Red de agua medida EN A measured water network",
        "6. Problem ES Se pierde el 40 % del agua. EN 40% of the water is lost."
        " ES Se pierde el 30 % del agua.",
    ]


def test_the_comparison_defaults_to_the_last_two_revisions(app, client, page_ids):
    commitment_id = draft(app, page_ids)
    save(app, page_ids, commitment_id, months=18)
    save(app, page_ids, commitment_id, ambition="innovative")

    html = text_of(english(client).get(url(commitment_id, "/revisions/compare")))

    assert "Revision 2 against 3" in html
    assert [row.split(" ")[0] for row in table_rows(html)] == ["Ambition"]
    same = text_of(client.get(url(commitment_id, "/revisions/compare?from=2&to=2")))
    assert "These two revisions are the same." in same


def test_the_revisions_list_and_a_revision_page(app, client, page_ids):
    commitment_id = draft(app, page_ids)
    save(app, page_ids, commitment_id, title={"es": "Red de agua medida"})
    english(client)

    listing = text_of(client.get(url(commitment_id, "/revisions")))
    assert [row.split(" ")[:2] for row in table_rows(listing)] == [
        ["Revision", "2"],
        ["Revision", "1"],
    ]
    assert "Fabiola Fuentes" in listing

    first = text_of(client.get(url(commitment_id, "/revisions/1")))
    assert "The commitment as it was" in first
    assert sheet(first)["1. Title"] == "A water network without leaks"
    second = text_of(client.get(url(commitment_id, "/revisions/2")))
    assert "Red de agua medida (not yet translated)" in sheet(second)["1. Title"]
    assert url(commitment_id, "/revisions/compare?from=1&amp;to=2") in second


def test_a_comment_is_published_under_its_revision(app, page_ids, page_as):
    commitment_id = draft(app, page_ids)
    member = page_as(page_ids.members[Sector.GUARANTOR])
    page = url(commitment_id, "/revisions/1")

    empty = member.post(page + "/comments", data={"body": "   "})
    assert empty.status_code == 422
    assert "Write your comment." in text_of(empty)

    response = member.post(page + "/comments", data={"body": "Falta el presupuesto."})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page + "#comments")
    html = text_of(member.get(page))
    assert "Your comment is published." in html
    assert "Falta el presupuesto." in html
    comments = re.search(r'<section id="comments".*?</section>', html, re.S).group(0)
    assert "<strong>Gloria Garza</strong> · STL member (Guarantor body, Titular) ·" in comments


# ----- the STL's review ------------------------------------------------------------------


def test_a_rejection_without_a_comment_keeps_the_chosen_verdict(app, page_ids, page_as):
    commitment_id = draft(app, page_ids)
    submit(app, page_ids, commitment_id)
    member = page_as(page_ids.members[Sector.CIVIL_SOCIETY])

    response = member.post(url(commitment_id, "/review"), data={"verdict": "reject"})

    assert response.status_code == 422
    html = text_of(response)
    assert "Say why you reject it: the facilitator needs your reasons." in html
    assert form_fields(html, url(commitment_id, "/review"))["verdict"] == ["reject"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SectorDecision)) == 0


def test_a_review_without_a_verdict_asks_for_one(app, page_ids, page_as):
    commitment_id = draft(app, page_ids)
    submit(app, page_ids, commitment_id)
    member = page_as(page_ids.members[Sector.GOVERNMENT])

    response = member.post(url(commitment_id, "/review"), data={"comment": "Bien."})

    assert response.status_code == 422
    html = text_of(response)
    assert "Choose whether you approve or reject it." in html
    assert "Bien." in html


def test_the_three_sectors_approve_on_the_commitment_page(app, page_ids, page_as):
    commitment_id = draft(app, page_ids)
    submit(app, page_ids, commitment_id)
    page = url(commitment_id)

    government = page_as(page_ids.members[Sector.GOVERNMENT])
    html = text_of(government.get(page))
    assert "Your decision for Government (Titular)" in html
    assert "The STL is reviewing revision 1" in html
    response = government.post(
        page + "/review", data={"verdict": "reject", "comment": "Faltan indicadores."}
    )
    assert response.status_code == 303
    html = text_of(government.get(page))
    rows = table_rows(re.search(r'<section id="review".*?</section>', html, re.S).group(0))
    assert rows[0].startswith("Government Rejects Gabriela Gómez (Titular), ")
    assert rows[0].endswith(" Faltan indicadores.")
    assert rows[1:] == ["Civil society Waiting — —", "Guarantor body Waiting — —"]
    assert "Your decision is recorded." in html
    # Each member decides once on a revision.
    again = government.post(page + "/review", data={"verdict": "approve"})
    assert again.status_code == 422
    assert "You have already decided on this revision." in text_of(again)


def test_the_stl_approval_is_shown_once_the_three_sectors_approve(app, page_ids, page_as):
    commitment_id = draft(app, page_ids)
    submit(app, page_ids, commitment_id)
    page = url(commitment_id)
    for sector in STL_SECTORS:
        member = page_as(page_ids.members[sector])
        assert member.post(page + "/review", data={"verdict": "approve"}).status_code == 303
    html = text_of(member.get(page))
    assert "Your decision is recorded. The three sectors approved it." in html
    assert "Revision 1 approved by the STL on" in html
    assert status_of(app, commitment_id) == CommitmentStatus.APPROVED


def test_withdrawing_needs_a_reason_and_keeps_the_typed_english(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    page = url(commitment_id, "/withdraw")

    response = page_facilitator.post(page, data={"reason-en": "The state does it already."})

    assert response.status_code == 422
    html = text_of(response)
    assert "Write this in Spanish." in html
    assert "The state does it already." in html
    assert status_of(app, commitment_id) == CommitmentStatus.DRAFT

    response = page_facilitator.post(page, data={"reason-es": "Ya lo hace el estado."})
    assert response.status_code == 303
    assert "The commitment was withdrawn." in text_of(page_facilitator.get(url(commitment_id)))
    assert status_of(app, commitment_id) == CommitmentStatus.WITHDRAWN


def test_sent_to_the_stl_and_returned_to_draft_with_a_note(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    page = url(commitment_id)
    assert "Send revision 1 to the STL" in text_of(page_facilitator.get(page))

    response = page_facilitator.post(page + "/submit")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page + "#review")
    html = text_of(page_facilitator.get(page))
    assert "Sent to the STL: each sector can now approve or reject this revision." in html
    assert "The STL is reviewing revision 1" in html
    assert "Send revision 1 to the STL" not in html
    assert status_of(app, commitment_id) == CommitmentStatus.IN_REVIEW

    response = page_facilitator.post(page + "/return", data={"note": "Faltan indicadores."})
    assert response.status_code == 303
    html = unescape(text_of(page_facilitator.get(page)))
    assert "Back to draft. Edit it with the reviewers' reasons, then send it again." in html
    earlier = re.search(r"<h3>Earlier reviews</h3>.*?</details>", html, re.S).group(0)
    assert "Revision 1: Returned to draft on" in earlier
    assert "Faltan indicadores." in earlier
    assert status_of(app, commitment_id) == CommitmentStatus.DRAFT


def test_a_draft_is_sent_only_once(app, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    submit(app, page_ids, commitment_id)
    response = page_facilitator.post(url(commitment_id, "/submit"))
    assert response.status_code == 303
    assert "Only a draft can be sent to the STL." in text_of(
        page_facilitator.get(response.headers["Location"])
    )
    with app.app_context():
        assert len(db.session.get(Commitment, commitment_id).reviews) == 1


def test_causes_must_belong_to_the_chosen_topic(app, page_ids, page_facilitator):
    data = {**full_form(page_ids), "topic": "0"}

    response = page_facilitator.post(url(rest="/new"), data=data)

    assert response.status_code == 422
    html = text_of(response)
    assert "Choose strategic causes of the chosen topic's table." in unescape(html)
    kept = form_fields(html)
    assert sorted(kept["causes"]) == sorted(str(c) for c in page_ids.causes)
    assert kept["title-en"] == ["A water network without leaks"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == 0


@pytest.fixture
def page_proposal(app, page_ids):
    """A proposal written down at the topic's table, for its first strategic cause."""
    with app.app_context():
        from coplat.tables.models import TreeNode

        cause = db.session.get(TreeNode, page_ids.causes[0])
        proposal = tables.enter_proposal(
            cause.table,
            db.session.get(User, page_ids.facilitator),
            cause=cause,
            title={"es": "Sensores en la red", "en": "Sensors on the network"},
            description={},
            proposer_name="Vecinos del Centro",
            proposer_sector=Sector.CITIZEN,
        )
        db.session.commit()
        return proposal.id


def test_a_commitment_takes_a_proposal_into_the_feedback_log(
    app, page_ids, page_proposal, page_facilitator
):
    from coplat.feedback.models import FeedbackEntry
    from coplat.tables.models import Proposal

    commitment_id = draft(app, page_ids)
    page = url(commitment_id)
    assert "Say that this commitment takes a proposal" in text_of(page_facilitator.get(page))
    adapted = {"proposal": str(page_proposal), "decision": "modified"}

    response = page_facilitator.post(page + "/proposals", data=adapted)

    assert response.status_code == 422
    html = text_of(response)
    assert "Say what changed from the proposal, in Spanish at least." in html
    assert 'id="change-es-error"' in html
    assert form_fields(html, page + "/proposals")["decision"] == ["modified"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedbackEntry)) == 0

    adapted["change-es"] = "Solo en el centro."
    response = page_facilitator.post(page + "/proposals", data=adapted)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page + "#proposals")
    html = text_of(page_facilitator.get(page))
    assert "Recorded in the feedback log." in html
    taken = re.search(r'<section id="proposals".*?</section>', html, re.S).group(0)
    assert "Sensors on the network</a> (Vecinos del Centro) — <strong>Modified</strong>" in taken
    assert "Every proposal of this topic's table already has a decision." in taken
    with app.app_context():
        entry = db.session.scalar(sa.select(FeedbackEntry))
        assert (entry.commitment_id, entry.reason) == (commitment_id, {"es": "Solo en el centro."})
        assert db.session.get(Proposal, page_proposal).commitment_id == commitment_id


# ----- not found --------------------------------------------------------------------


def test_a_commitment_of_another_exercise_is_not_found(
    app, client, page_ids, make_exercise, page_facilitator
):
    make_exercise(slug="sierra")
    commitment_id = draft(app, page_ids)
    for rest in ("", "/revisions", "/revisions/1", "/revisions/compare"):
        assert client.get(url(commitment_id, rest, slug="sierra")).status_code == 404, rest
        assert client.get(url(commitment_id, rest)).status_code == 200, rest
    assert page_facilitator.get(url(commitment_id, "/edit", slug="sierra")).status_code == 404


def test_a_missing_commitment_or_revision_is_not_found(app, client, page_ids, page_facilitator):
    commitment_id = draft(app, page_ids)
    response = english(client).get(url(commitment_id, "/revisions/2"))
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert client.get(url(commitment_id + 1)).status_code == 404
    assert client.get(url(commitment_id, "/revisions/compare?from=1&to=7")).status_code == 404
    response = page_facilitator.post(
        url(commitment_id, "/revisions/5/comments"), data={"body": "x"}
    )
    assert response.status_code == 404


# ----- both interface languages ------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_pages_render_in_both_interface_languages(app, page_ids, page_as, language):
    commitment_id = draft(app, page_ids, title={"es": "Red de agua sin fugas"})
    save(app, page_ids, commitment_id, months=18)
    submit(app, page_ids, commitment_id)
    reader = page_as(page_ids.members[Sector.GUARANTOR], language=language)

    def says(message: str) -> str:
        return message if language == "en" else spanish(app, message)

    pages = {
        "": ["Quality check", "STL approval", "Record my decision", "In STL review"],
        "/edit": [],  # the facilitator's, refused to a reviewer
        "/revisions": ["Revisions", "Compare"],
        "/revisions/2": ["The commitment as it was", "Publish the comment"],
        "/revisions/compare": ["Field", "Choose other revisions"],
        "/withdraw": [],
    }
    for rest, messages in pages.items():
        response = reader.get(url(commitment_id, rest))
        html = text_of(response)
        assert response.status_code == (403 if rest in ("/edit", "/withdraw") else 200), rest
        assert f'<html lang="{language}">' in html, rest
        for message in messages:
            assert says(message) in html, (rest, message)
    assert says("In STL review") in text_of(reader.get(url()))
    # Content keeps its language: an English reader is told the title is not translated.
    title = sheet(text_of(reader.get(url(commitment_id))))["1. " + says("Title")]
    if language == "es":
        assert title == "Red de agua sin fugas"
    else:
        assert title == "Red de agua sin fugas (not yet translated)"
