"""The value model: which Python values a record may hold, and how they compare."""

from dataknobs_data.values.keys import equality_key, number_key, sort_key
from dataknobs_data.values.model import (
    Kind,
    check_value,
    copy_value,
    kind_of,
    prepare_value,
    values_equal,
)

__all__ = [
    "Kind",
    "check_value",
    "copy_value",
    "equality_key",
    "kind_of",
    "number_key",
    "prepare_value",
    "sort_key",
    "values_equal",
]
