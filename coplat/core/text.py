"""Looking for words in the record, in SQL, the same on SQLite and PostgreSQL: case
and accents do not matter ("participacion" finds "Participación"). The site's search
and the feedback log's filter both look this way.

Translated columns are JSON. The default serializer escapes accented letters (ó is
stored as \\u00f3), so a LIKE on the raw text would miss them; the text is read per
language with the database's JSON operator instead (`json_extract` on SQLite, `->>`
on PostgreSQL), which gives it back unescaped. Neither database folds accents the
same way (SQLite's lower() only knows ASCII; unaccent is a PostgreSQL extension), so
the accented letters Spanish writes are replaced in SQL, and the words typed are
folded the same way in Python.

Reading JSON and replacing letters row by row costs far more than a LIKE on the stored
text, so each word first passes a cheaper test that every match passes too: the
stored text (JSON included, lower-cased) holds, in order, the word's runs of letters
that no accent folds into (`_certain_pattern`: "participacion" asks for "p", "rt",
"p"). Only the rows left are read per language and folded, and only the letters the
word could need are replaced."""

import unicodedata

import sqlalchemy as sa

from coplat.core.i18n import LANGUAGES

# The letters folded in SQL, and what they become.
FOLDED = {
    **dict(zip("áéíóúüñ", "aeiouun", strict=True)),
    **dict(zip("ÁÉÍÓÚÜÑ", "aeiouun", strict=True)),
    **dict(zip("àèìòùç", "aeiouc", strict=True)),
}
# What the folded letters become: a word's other letters (and digits, and spaces) are
# stored as typed, in either case, whatever the accents around them.
PLAIN = frozenset(FOLDED.values())
LITERAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 ") - PLAIN
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


def phrase_of(query: str) -> list[str]:
    """The query folded as one phrase (its words in order, spaces collapsed), for
    `matches`; none when it is blank."""
    phrase = " ".join(fold(query[:MAX_LENGTH]).split())
    return [phrase] if phrase else []


def folded(expression, word: str | None = None):
    """The SQL expression, lower-cased and without Spanish accents. With `word`, only
    the accented letters that fold into one of its letters are replaced: the others
    cannot be part of a match either way."""
    for letter, plain in FOLDED.items():
        if word is None or plain in word:
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


def _certain_pattern(word: str) -> str | None:
    """A LIKE pattern every text holding the folded `word` matches, lower-cased and as
    stored: the word's letters that no accent folds into, in order, with anything
    between them and in place of the others; None when it would match anything."""
    runs = "".join(c if c in LITERAL else "%" for c in word).split("%")
    runs = [run for run in runs if run.strip()]
    return "%" + "%".join(runs) + "%" if runs else None


def _found(word: str, column):
    """The folded `word` appears in the column (in any language)."""
    found = sa.or_(
        *[
            folded(sa.func.coalesce(text, ""), word).like(_like(word), escape="\\")
            for text in texts(column)
        ]
    )
    pattern = _certain_pattern(word)
    if pattern is None:
        return found
    stored = sa.cast(column, sa.Text) if isinstance(column.type, sa.JSON) else column
    return sa.and_(sa.func.lower(sa.func.coalesce(stored, "")).like(pattern), found)


def matches(words: list[str], *columns):
    """Every word (or phrase) appears in one of the columns (in any language); None
    without words. The words are folded already (`words_of`, `phrase_of`)."""
    if not words:
        return None
    return sa.and_(*[sa.or_(*[_found(word, column) for column in columns]) for word in words])
