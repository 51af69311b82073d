"""The query language: filters, operators, sorting, paging, projection."""

from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator, parse_operator
from dataknobs_data.query.query import Query, SortOrder, SortSpec

__all__ = [
    "And",
    "Expression",
    "Filter",
    "Not",
    "Operator",
    "Or",
    "Query",
    "SortOrder",
    "SortSpec",
    "parse_operator",
]
