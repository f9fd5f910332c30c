"""The catalogues must hold every message of the source, translated, and nothing else."""

from io import BytesIO

import pytest
from babel.messages.mofile import read_mo

from coplat.core.catalogues import (
    LANGUAGES,
    all_translated,
    compiled_bytes,
    extract,
    po_path,
    read_catalogue,
)


@pytest.fixture(scope="module")
def source_ids():
    return {message.id for message in extract() if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_source_message_is_translated(language, source_ids):
    catalogue = read_catalogue(language)
    translated = {m.id for m in catalogue if m.id and all_translated(m)}
    missing = sorted(str(i) for i in source_ids - translated)
    assert not missing, (
        f"{language} lacks {len(missing)} messages; run `coplat translations update`: {missing[:10]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_stale_messages(language, source_ids):
    catalogue = read_catalogue(language)
    stale = sorted(str(m.id) for m in catalogue if m.id and m.id not in source_ids)
    assert not stale, f"{language} holds messages the source no longer has: {stale[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    problems = [
        (m.id, errors) for m in read_catalogue(language) for errors in [m.check()] if errors
    ]
    assert not problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    """The shipped .mo is what compiling the .po gives (run `coplat translations compile`)."""
    with po_path(language).with_suffix(".mo").open("rb") as shipped:
        shipped_messages = as_dict(read_mo(shipped))
    assert shipped_messages == as_dict(read_mo(BytesIO(compiled_bytes(language))))


def as_dict(catalogue) -> dict:
    def hashable(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    return {hashable(m.id): hashable(m.string) for m in catalogue if m.id}
