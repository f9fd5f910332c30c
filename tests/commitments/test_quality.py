"""The quality check reads a content dict and says, for each of the five characteristics
OGP Local §3.2.1.2 asks for, what is missing; `untranslated` lists the fields written
in Spanish and not yet in English. The plan runs from 2026-09-01 to 2028-06-30."""

import pytest

from coplat.commitments import services

CHARACTERISTICS = ["relevant", "specific", "verifiable", "responsible", "time_bound"]


def missing(desk, **changes) -> dict[str, list[str]]:
    """What each characteristic lacks, for the full content with those changes."""
    return {c.key: c.missing for c in services.quality(desk.content(**changes), desk.exercise)}


def only(key: str, *messages: str) -> dict[str, list[str]]:
    """Every characteristic met except `key`, which lacks `messages`."""
    return {k: list(messages) if k == key else [] for k in CHARACTERISTICS}


def spanning(desk, starts_on: str, ends_on: str) -> dict:
    """Changes giving the commitment, and each of its milestones, these dates."""
    milestones = [
        {**row, "starts_on": starts_on, "ends_on": ends_on} for row in desk.content()["milestones"]
    ]
    return {"starts_on": starts_on, "ends_on": ends_on, "milestones": milestones}


def test_a_complete_commitment_meets_the_five_characteristics(desk):
    result = services.quality(desk.content(), desk.exercise)
    assert [c.key for c in result] == CHARACTERISTICS
    assert all(c.met for c in result)
    assert [c.label for c in result] == [
        "Relevant",
        "Specific",
        "Verifiable",
        "Responsible",
        "Time-bound",
    ]


def test_relevant_needs_an_ogp_value(desk):
    assert missing(desk, ogp_values=[]) == only("relevant", "Choose at least one OGP value (13).")


@pytest.mark.parametrize(
    "key, message",
    [
        ("problem", "Describe the problem (6)."),
        ("status_quo", "Describe the status quo (7)."),
        ("action", "Describe the action (8)."),
    ],
)
def test_specific_needs_problem_status_quo_and_action(desk, key, message):
    assert missing(desk, **{key: {}}) == only("specific", message)
    assert missing(desk, **{key: {"es": "  ", "en": ""}}) == only("specific", message)


def test_text_in_english_alone_counts_as_written(desk):
    assert missing(desk, problem={"en": "40% of the water is lost."}) == only("specific")


def test_verifiable_needs_a_milestone(desk):
    assert missing(desk, milestones=[]) == only("verifiable", "Add at least one milestone (17).")


def test_verifiable_needs_each_milestones_output_and_dates(desk):
    first, second = desk.content()["milestones"]
    assert missing(
        desk, milestones=[{**first, "ends_on": None}, {**second, "output": {"es": " "}}]
    ) == only(
        "verifiable",
        "Milestone 1: give its start and end dates.",
        "Milestone 2: describe its output.",
    )


@pytest.mark.parametrize("blank", ["institution", "contact_name", "email"])
def test_responsible_needs_a_government_institution_with_contact_and_email(desk, blank):
    government = [{**row, blank: " "} for row in desk.content()["government"]]
    assert missing(desk, government=government) == only(
        "responsible",
        "Name an implementing government institution with a contact and email (3).",
    )


def test_responsible_is_met_by_one_complete_government_row(desk):
    first, second = desk.content()["government"]
    assert missing(desk, government=[{**first, "email": ""}, second]) == only("responsible")


def test_non_governmental_actors_alone_are_not_responsible(desk):
    assert missing(desk, government=[])["responsible"] == [
        "Name an implementing government institution with a contact and email (3)."
    ]


@pytest.mark.parametrize("blank", ["starts_on", "ends_on"])
def test_time_bound_needs_both_dates(desk, blank):
    assert missing(desk, **{blank: None}) == only("time_bound", "Give the start and end dates (2).")


def test_time_bound_needs_at_least_a_calendar_year(desk):
    assert missing(desk, **spanning(desk, "2027-01-01", "2027-12-31")) == only("time_bound")
    assert missing(desk, **spanning(desk, "2027-03-15", "2028-03-14")) == only("time_bound")
    assert missing(desk, **spanning(desk, "2027-01-01", "2027-12-30")) == only(
        "time_bound", "A commitment lasts at least one calendar year."
    )
    assert missing(desk, **spanning(desk, "2027-03-15", "2028-03-13")) == only(
        "time_bound", "A commitment lasts at least one calendar year."
    )


@pytest.mark.parametrize(
    "starts_on, ends_on",
    [("2026-08-31", "2027-12-31"), ("2027-07-01", "2028-07-01")],
    ids=["starts-before-the-plan", "ends-after-the-plan"],
)
def test_time_bound_keeps_inside_the_plan_period(desk, starts_on, ends_on):
    assert missing(desk, **spanning(desk, starts_on, ends_on)) == only(
        "time_bound",
        "The dates fall outside the action plan's period (2026-09-01 to 2028-06-30).",
    )


def test_the_whole_plan_period_is_inside_it(desk):
    assert missing(desk, **spanning(desk, "2026-09-01", "2028-06-30")) == only("time_bound")


def test_time_bound_is_not_met_while_the_plan_period_is_unset(desk):
    desk.exercise.plan_ends_on = None
    assert missing(desk) == only("time_bound", "The action plan's period is not set yet.")


def test_milestones_keep_inside_the_commitments_dates(desk):
    first, second = desk.content()["milestones"]
    milestones = [{**first, "starts_on": "2026-12-31"}, {**second, "ends_on": "2028-01-01"}]
    assert missing(desk, milestones=milestones) == only(
        "time_bound",
        "Milestone 1 falls outside the commitment's dates.",
        "Milestone 2 falls outside the commitment's dates.",
    )


def test_several_characteristics_report_together(desk):
    result = missing(desk, ogp_values=[], action={}, milestones=[], starts_on=None)
    assert [key for key, lacks in result.items() if lacks] == [
        "relevant",
        "specific",
        "verifiable",
        "time_bound",
    ]


# ----- translation ----------------------------------------------------------------------


def test_a_translated_commitment_lacks_nothing(desk):
    assert services.untranslated(desk.content(), desk.exercise) == []


def test_untranslated_lists_the_fields_written_in_spanish_only(desk):
    content = desk.content()
    content["title"] = {"es": "Red de agua sin fugas"}
    content["problem"] = {"es": "Se pierde el 40 % del agua.", "en": "  "}
    content["other_resources"] = {"es": "Sensores donados."}
    content["gender_perspective"] = {"es": "Encuestas por sexo."}
    content["government"][1]["role"] = {"es": "Aprueba el presupuesto."}
    content["other"][0]["contact_title"] = {"es": "Investigador"}
    content["milestones"][1]["indicator"] = {"es": "Fugas por mes"}
    # Blank in both languages, or written in English only: nothing to translate.
    content["action"] = {}
    content["status_quo"] = {"en": "Nobody measures the leaks."}

    assert services.untranslated(content, desk.exercise) == [
        "1. Title",
        "6. Problem",
        "14. Resources needed",
        "Gender perspective",
        "3. Implementing government institutions (2)",
        "5. Other actors involved in implementation (1)",
        "17. Milestone 2",
    ]


def test_nothing_is_untranslated_when_the_exercise_writes_in_spanish_only(desk):
    desk.exercise.content_languages = "es"
    content = desk.content(title={"es": "Red de agua sin fugas"})
    assert services.untranslated(content, desk.exercise) == []
