"""Message catalogues: extract the source's messages, update the Spanish and English
catalogues, compile them. The English catalogue mirrors the (English) source."""

from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from coplat import PACKAGE_DIR, resource_dir

KEYWORDS = {
    "_": None,
    "_l": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    # A context tells two uses of one English word apart ("Not started": a step, a
    # milestone), each with its own Spanish.
    "lazy_pgettext": ((1, "c"), 2),
}
SOURCE_ROOT = PACKAGE_DIR.parent
METHOD_MAP = [("coplat/**.py", "python"), ("templates/**.html", "jinja2")]
LANGUAGES = ("es", "en")


def extract() -> Catalog:
    """Every message the source marks for translation."""
    catalog = Catalog(project="coplat", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE_ROOT), METHOD_MAP, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return resource_dir("translations") / language / "LC_MESSAGES" / "messages.po"


def read_catalogue(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def update() -> dict[str, int]:
    """Merge the source's messages into each catalogue; returns how many Spanish
    messages still lack a translation."""
    template = extract()
    untranslated = {}
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read_catalogue(language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="coplat", charset="utf-8")
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = created  # no header churn when nothing else changed
        catalog.obsolete.clear()
        catalog.fuzzy = False  # a fuzzy header makes `pybabel compile` skip the catalogue
        if language == "en":
            for message in catalog:
                if message.id and not all_translated(message):
                    message.string = message.id  # a (singular, plural) pair for plurals
        untranslated[language] = sum(1 for m in catalog if m.id and not all_translated(m))
        with path.open("wb") as file:
            write_po(file, catalog, width=100, omit_header=False, sort_output=True)
    return untranslated


def all_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings) and not message.fuzzy


def compiled_bytes(language: str) -> bytes:
    buffer = BytesIO()
    write_mo(buffer, read_catalogue(language), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled_bytes(language))
