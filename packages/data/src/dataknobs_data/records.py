"""Record: an id, an ordered mapping of field values, and metadata."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from dataknobs_data.errors import ValidationError
from dataknobs_data.fields import Field, FieldType, infer_field_type
from dataknobs_data.values.model import copy_value

__all__ = ["Record"]


def _bad_name(name: object) -> None:
    raise ValidationError(f"field names must be non-empty strings, got {name!r}")


_new_object = object.__new__


class Record:
    """A record: ``id`` (``None`` until a database assigns one), data and metadata.

    Values are held as plain Python values; :attr:`fields` gives them as
    :class:`Field` objects. Field order is insertion order.

    Example:
        >>> r = Record({"name": "Ada", "age": 36}, id="u1")
        >>> r["age"], r.field_names, "age" in r
        (36, ['name', 'age'], True)
        >>> r.set_value("age", 37).to_dict()
        {'name': 'Ada', 'age': 37}
    """

    __slots__ = ("_data", "_types", "id", "metadata")

    def __init__(
        self,
        data: Mapping[str, Any] | Iterable[Field] | None = None,
        id: str | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self._data: dict[str, Any] = {}
        self._types: dict[str, FieldType] | None = None
        if data is None:
            pass
        elif isinstance(data, Mapping):
            self._data = dict(data)
            for name in self._data:
                if type(name) is not str or not name:
                    _bad_name(name)
        else:
            for fld in data:
                if type(fld.name) is not str or not fld.name:
                    _bad_name(fld.name)
                self._data[fld.name] = fld.value
                self._declare_type(fld.name, fld.type)
        if id is not None and (type(id) is not str or not id):
            raise ValidationError(
                f"record id must be a non-empty string, got {id!r}; convert it with str()"
            )
        self.id: str | None = id
        self.metadata: dict[str, Any] = dict(metadata) if metadata else {}

    @classmethod
    def _trusted(
        cls, data: dict[str, Any], id: str | None, metadata: dict[str, Any] | None
    ) -> Record:
        """Build a record from values a backend decoded, without re-checking or copying."""
        rec = _new_object(cls)
        rec._data = data
        rec._types = None
        rec.id = id
        rec.metadata = metadata if metadata is not None else {}
        return rec

    def _declare_type(self, name: str, field_type: FieldType) -> None:
        if field_type is not infer_field_type(self._data[name]):
            if self._types is None:
                self._types = {}
            self._types[name] = field_type

    # -- mapping-like access -------------------------------------------------
    def __getitem__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise KeyError(f"record has no field {name!r}") from None

    def __setitem__(self, name: str, value: Any) -> None:
        self.set_value(name, value)

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def get_value(self, name: str, default: Any = None) -> Any:
        """Return the value of field ``name``, or ``default`` when it is missing.

        A dotted name reaches into nested dicts (``"address.city"``).
        """
        if name in self._data:
            return self._data[name]
        if "." in name:
            current: Any = self._data
            for part in name.split("."):
                if type(current) is not dict or part not in current:
                    return default
                current = current[part]
            return current
        return default

    def set_value(self, name: str, value: Any) -> Record:
        """Set field ``name`` to ``value`` (adding it if new); returns the record."""
        if type(name) is not str or not name:
            _bad_name(name)
        self._data[name] = value
        if self._types is not None:
            self._types.pop(name, None)
        return self

    def remove(self, name: str) -> Record:
        """Remove field ``name`` if present; returns the record."""
        self._data.pop(name, None)
        if self._types is not None:
            self._types.pop(name, None)
        return self

    @property
    def field_names(self) -> list[str]:
        """The field names, in insertion order."""
        return list(self._data)

    @property
    def fields(self) -> dict[str, Field]:
        """The fields as :class:`Field` objects, keyed by name, in insertion order."""
        types = self._types or {}
        return {
            name: Field(name, value, types.get(name) or infer_field_type(value))
            for name, value in self._data.items()
        }

    @property
    def data(self) -> dict[str, Any]:
        """The live data mapping (not a copy); prefer :meth:`to_dict` to hand it out."""
        return self._data

    # -- conversion ----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the data (not id or metadata) as a new dict; nested values are copied."""
        return {k: copy_value(v) for k, v in self._data.items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], id: str | None = None) -> Record:
        """Inverse of :meth:`to_dict`."""
        return cls({k: copy_value(v) for k, v in data.items()}, id=id)

    def copy(self) -> Record:
        """Return a deep copy sharing no mutable state with this record."""
        rec = Record._trusted(
            {k: copy_value(v) for k, v in self._data.items()},
            self.id,
            copy_value(self.metadata),
        )
        rec._types = dict(self._types) if self._types else None
        return rec

    def project(self, names: Iterable[str]) -> Record:
        """Return a copy holding only the named fields (the id is kept)."""
        wanted = [n for n in names if n in self._data]
        rec = Record._trusted(
            {n: copy_value(self._data[n]) for n in wanted}, self.id, copy_value(self.metadata)
        )
        return rec

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return (
            self.id == other.id
            and self._data == other._data
            and self.metadata == other.metadata
            and all(type(v) is type(other._data[k]) for k, v in self._data.items())
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Record({self._data!r}, id={self.id!r})"
