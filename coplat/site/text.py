"""Looking for words in the record, in SQL, the same on SQLite and PostgreSQL: case
and accents do not matter ("participacion" finds "Participación").

Translated columns are JSON. The default serializer escapes accented letters (ó is
stored as \\u00f3), so a LIKE on the raw text would miss them; the text is read per
language with the database's JSON operator instead (`json_extract` on SQLite, `->>`
on PostgreSQL), which gives it back unescaped. Neither database folds accents the
same way (SQLite's lower() only knows ASCII; unaccent is a PostgreSQL extension), so
the accented letters Spanish writes are replaced in SQL, and the words typed are
folded the same way in Python."""

import unicodedata

import sqlalchemy as sa

from coplat.core.i18n import LANGUAGES

# The letters folded in SQL, and what they become.
FOLDED = {
    **dict(zip("áéíóúüñ", "aeiouun", strict=True)),
    **dict(zip("ÁÉÍÓÚÜÑ", "aeiouun", strict=True)),
    **dict(zip("àèìòùç", "aeiouc", strict=True)),
}
MAX_WORDS = 8
MAX_LENGTH = 200


def fold(text: str) -> str:
    """Lower case, without accents: what the SQL side compares."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words_of(query: str) -> list[str]:
    """The distinct folded words of a query, a few at most."""
    found = []
    for word in fold(query[:MAX_LENGTH]).split():
        if word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def folded(expression):
    """The SQL expression, lower-cased and without Spanish accents."""
    for letter, plain in FOLDED.items():
        expression = sa.func.replace(expression, letter, plain)
    return sa.func.lower(expression)


def texts(column, languages=None) -> list:
    """A translated (JSON) column's text in each language, as SQL expressions; a
    plain text column as it is."""
    if isinstance(column.type, sa.JSON):
        return [column[lang].as_string() for lang in (languages or LANGUAGES)]
    return [column]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(words: list[str], *columns):
    """Every word appears in one of the columns (in any language); None without words."""
    if not words:
        return None
    expressions = [folded(sa.func.coalesce(text, "")) for c in columns for text in texts(c)]
    return sa.and_(
        *[sa.or_(*[e.like(_like(word), escape="\\") for e in expressions]) for word in words]
    )
