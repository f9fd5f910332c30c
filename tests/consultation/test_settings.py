"""The facilitator opens the consultation and keeps its categories: date-times typed
in the exercise's time zone, a period that makes sense, a vote budget that cannot
change under people who already voted, bilingual categories."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from coplat.consultation import services
from coplat.consultation.enums import TopicState
from coplat.consultation.models import Consultation, TopicCategory
from coplat.core.models import utcnow
from coplat.extensions import db
from tests.consultation.conftest import (
    URL,
    add_topic,
    cast,
    category_names,
    consultation_row,
    count,
    text_of,
)

SETTINGS = {
    "question-es": "¿Qué problemas públicos debemos resolver juntos?",
    "question-en": "Which public problems should we solve together?",
    "explanation-es": "Propón temas y vota por los que más te importan.",
    "opens_at": "2026-01-12T09:00",
    "closes_at": "2026-02-12T18:30",
    "accepts_topics": "y",
    "vote_budget": "",
    "regions": "Centro\nSierra",
}


@pytest.fixture
def facilitator(as_role):
    return as_role("facilitator")


def test_without_a_consultation_the_facilitator_is_sent_to_open_one(facilitator, client):
    response = facilitator.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{URL}/settings")
    assert "Open a topic consultation" in text_of(facilitator.get(f"{URL}/settings"))
    assert client.get(URL).status_code == 404  # nothing to see for the public yet


def test_the_facilitator_opens_a_consultation(app, facilitator, exercise_id):
    response = facilitator.post(f"{URL}/settings", data=SETTINGS)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}/settings")
    assert count(app, Consultation) == 1
    with app.app_context():
        consultation = db.session.scalar(sa.select(Consultation))
        assert consultation.exercise_id == exercise_id
        assert consultation.question == {
            "es": "¿Qué problemas públicos debemos resolver juntos?",
            "en": "Which public problems should we solve together?",
        }
        assert consultation.explanation == {
            "es": "Propón temas y vota por los que más te importan."
        }
        # Mexico City is six hours behind UTC (no daylight saving time since 2022).
        assert consultation.opens_at == datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
        assert consultation.closes_at == datetime(2026, 2, 13, 0, 30, tzinfo=UTC)
        assert consultation.accepts_topics is True
        assert consultation.vote_budget is None
        assert consultation.region_list == ["Centro", "Sierra"]
    page = text_of(facilitator.get(f"{URL}/settings"))
    assert "The consultation was saved." in page
    assert "Consultation settings" in page
    assert "America/Mexico_City" in page
    public = text_of(facilitator.get(URL))
    assert "Which public problems should we solve together?" in public
    assert "One vote per topic, for as many topics as you like." in public


def input_value(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)[1]


def test_the_settings_page_shows_the_times_as_typed_and_saving_keeps_them(app, facilitator):
    assert facilitator.post(f"{URL}/settings", data=SETTINGS).status_code == 303
    page = text_of(facilitator.get(f"{URL}/settings"))
    shown = {name: input_value(page, name) for name in ("opens_at", "closes_at")}
    # Saving the form as it is shown changes nothing.
    assert facilitator.post(f"{URL}/settings", data={**SETTINGS, **shown}).status_code == 303
    with app.app_context():
        consultation = db.session.scalar(sa.select(Consultation))
        assert consultation.opens_at == datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
        assert consultation.closes_at == datetime(2026, 2, 13, 0, 30, tzinfo=UTC)
    assert shown == {"opens_at": "2026-01-12T09:00", "closes_at": "2026-02-12T18:30"}


def test_a_consultation_that_closes_before_it_opens_is_refused(app, facilitator):
    data = {**SETTINGS, "opens_at": "2026-03-01T10:00", "closes_at": "2026-02-28T10:00"}
    response = facilitator.post(f"{URL}/settings", data=data)
    assert response.status_code == 422
    text = text_of(response)
    assert "The consultation must close after it opens." in text
    # Nothing typed is lost.
    assert 'value="Which public problems should we solve together?"' in text
    assert 'value="2026-03-01T10:00"' in text
    assert 'value="2026-02-28T10:00"' in text
    assert "Propón temas y vota por los que más te importan." in text
    assert count(app, Consultation) == 0


def test_a_consultation_that_closes_when_it_opens_is_refused(app, facilitator, consultation):
    before = consultation_row(app, consultation)
    data = {**SETTINGS, "opens_at": "2026-03-01T10:00", "closes_at": "2026-03-01T10:00"}
    response = facilitator.post(f"{URL}/settings", data=data)
    assert response.status_code == 422
    assert "The consultation must close after it opens." in text_of(response)
    after = consultation_row(app, consultation)
    assert (after.opens_at, after.closes_at) == (before.opens_at, before.closes_at)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"question-es": ""}, "Write this in Spanish."),
        ({"opens_at": "mañana"}, "Enter a date and time."),
        ({"vote_budget": "0"}, "Enter a number from 1 to 50."),
        ({"vote_budget": "51"}, "Enter a number from 1 to 50."),
    ],
)
def test_invalid_settings_are_refused(app, facilitator, changes, message):
    response = facilitator.post(f"{URL}/settings", data={**SETTINGS, **changes})
    assert response.status_code == 422
    assert message in text_of(response)
    assert count(app, Consultation) == 0


def test_the_vote_budget_changes_while_nobody_has_voted(app, facilitator, consultation):
    data = {**SETTINGS, "vote_budget": "3"}
    assert facilitator.post(f"{URL}/settings", data=data).status_code == 303
    assert consultation_row(app, consultation).vote_budget == 3
    assert "Vote for up to 3 topics." in text_of(facilitator.get(URL))


def test_the_vote_budget_cannot_change_once_people_voted(app, facilitator, consultation, make_user):
    cast(app, consultation.topics["leaks"], make_user(email="vota@example.mx"))
    data = {**SETTINGS, "vote_budget": "3", "question-en": "A new question"}
    response = facilitator.post(f"{URL}/settings", data=data)
    assert response.status_code == 422
    text = text_of(response)
    assert "People have already voted, so the number of votes each one has cannot change." in text
    assert 'value="A new question"' in text  # kept for another try
    stored = consultation_row(app, consultation)
    assert stored.vote_budget is None
    assert stored.question["en"] == "Which public problems should we solve together?"
    # The rest of the settings may still change, with the budget as it is.
    data = {**SETTINGS, "vote_budget": "", "question-en": "A new question"}
    assert facilitator.post(f"{URL}/settings", data=data).status_code == 303
    assert consultation_row(app, consultation).question["en"] == "A new question"


def test_citizens_cannot_open_a_consultation(app, as_role):
    citizen = as_role("citizen")
    assert citizen.post(f"{URL}/settings", data=SETTINGS).status_code == 403
    assert count(app, Consultation) == 0


# ----- categories ----------------------------------------------------------------------


def test_adding_a_bilingual_category(app, facilitator, consultation):
    data = {"category-name-es": "Movilidad", "category-name-en": "Transport"}
    response = facilitator.post(f"{URL}/categories", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{URL}/settings#categories")
    assert category_names(app, consultation)[-1] == {"es": "Movilidad", "en": "Transport"}
    page = text_of(facilitator.get(f"{URL}/settings"))
    assert "<strong>Transport</strong>" in page
    # Citizens choose among them when they propose a topic, in their language.
    assert ">Transport</option>" in text_of(facilitator.get(URL))


def test_a_category_in_spanish_only_shows_its_missing_translation(app, facilitator, consultation):
    data = {"category-name-es": "Salud", "category-name-en": ""}
    assert facilitator.post(f"{URL}/categories", data=data).status_code == 303
    assert category_names(app, consultation)[-1] == {"es": "Salud"}
    page = text_of(facilitator.get(f"{URL}/settings"))
    assert '<span lang="es">Salud</span>' in page
    assert "not yet translated" in page


def test_a_category_needs_its_spanish_name(app, facilitator, consultation):
    response = facilitator.post(f"{URL}/categories", data={"category-name-en": "Health"})
    assert response.status_code == 422
    assert "Write this in Spanish." in text_of(response)
    assert 'value="Health"' in text_of(response)
    assert count(app, TopicCategory) == 2


def test_adding_a_category_with_htmx_returns_the_section(app, facilitator, consultation):
    facilitator.environ_base["HTTP_HX_REQUEST"] = "true"
    response = facilitator.post(f"{URL}/categories", data={"category-name-es": "Salud"})
    assert response.status_code == 200
    body = text_of(response).strip()
    assert body.startswith('<section id="categories"') and "<html" not in body
    assert "Salud" in body
    assert count(app, TopicCategory) == 3


def test_renaming_a_category(app, facilitator, consultation):
    water = consultation.categories["water"]
    data = {
        f"category-{water}-name-es": "Agua potable",
        f"category-{water}-name-en": "Drinking water",
    }
    assert facilitator.post(f"{URL}/categories/{water}", data=data).status_code == 303
    assert category_names(app, consultation)[0] == {"es": "Agua potable", "en": "Drinking water"}
    # The topics in it show the new name.
    topic_page = text_of(facilitator.get(consultation.topic_url("leaks")))
    assert "Drinking water" in topic_page


def test_a_category_cannot_lose_its_spanish_name(app, facilitator, consultation):
    water = consultation.categories["water"]
    data = {f"category-{water}-name-es": " ", f"category-{water}-name-en": "Water"}
    response = facilitator.post(f"{URL}/categories/{water}", data=data)
    assert response.status_code == 422
    assert "Write the category&#39;s name in Spanish." in text_of(response)
    assert category_names(app, consultation)[0] == {"es": "Agua", "en": "Water"}


def test_removing_an_unused_category(app, facilitator, consultation):
    unused = add_category_without_topics(app, facilitator, consultation)
    response = facilitator.post(f"{URL}/categories/{unused}/delete")
    assert response.status_code == 303
    assert count(app, TopicCategory) == 2


def test_a_category_that_topics_use_stays(app, facilitator, consultation):
    water = consultation.categories["water"]
    response = facilitator.post(f"{URL}/categories/{water}/delete")
    assert response.status_code == 409
    assert "Topics use this category, so it stays; rename it instead." in text_of(response)
    assert count(app, TopicCategory) == 2


def test_a_category_used_only_by_a_pending_topic_stays_too(app, facilitator, consultation):
    health = add_category_without_topics(app, facilitator, consultation)
    add_topic(app, consultation, "Clínica", state=TopicState.PENDING, category=health)
    assert facilitator.post(f"{URL}/categories/{health}/delete").status_code == 409
    assert count(app, TopicCategory) == 3


def test_a_category_of_another_consultation_is_not_found(
    app, facilitator, consultation, make_exercise
):
    other_exercise = make_exercise(slug="otro")
    with app.app_context():
        other = Consultation(
            exercise_id=other_exercise,
            question={"es": "Otra consulta"},
            opens_at=utcnow(),
            closes_at=utcnow() + timedelta(days=1),
        )
        db.session.add(other)
        db.session.flush()
        foreign = services.add_category(other, {"es": "Ajena"})
        db.session.commit()
        foreign = foreign.id
    assert facilitator.post(f"{URL}/categories/{foreign}/delete").status_code == 404
    data = {f"category-{foreign}-name-es": "Mía"}
    assert facilitator.post(f"{URL}/categories/{foreign}", data=data).status_code == 404
    assert count(app, TopicCategory) == 3


def add_category_without_topics(app, facilitator, consultation) -> int:
    data = {"category-name-es": "Salud"}
    assert facilitator.post(f"{URL}/categories", data=data).status_code == 303
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(TopicCategory.id)))
