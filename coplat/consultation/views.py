from coplat.consultation import bp  # noqa: F401
from coplat.consultation import services  # noqa: F401
