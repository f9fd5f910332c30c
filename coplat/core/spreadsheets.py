"""Spreadsheets run a cell that starts like a formula: text people wrote goes into a
CSV through `safe_cell`, which OWASP's advice against CSV injection shapes."""

# What a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text that a spreadsheet would run as a formula, prefixed with an apostrophe;
    any other value as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
