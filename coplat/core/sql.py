"""Small SQL helpers the areas' queries share."""

import sqlalchemy as sa


def typed_null(type_):
    """A NULL of the given type: a column that one branch of a UNION leaves empty."""
    return sa.cast(sa.null(), type_)
