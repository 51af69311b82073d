"""``ConfigurableBase``: classes built from a mapping validated by an options dataclass."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from dataknobs_config._options import install_redacted_repr, parse_options

__all__ = ["ConfigurableBase"]


class ConfigurableBase:
    """Base for classes built from configuration.

    A subclass sets ``options_class`` to a dataclass describing its options;
    :meth:`from_config` validates a mapping against it with
    :func:`~dataknobs_config.parse_options` and calls ``cls(**options)``, one
    keyword argument per dataclass field. The options dataclass gets a ``repr``
    that hides secrets.

    Example:
        >>> from dataclasses import dataclass
        >>> @dataclass
        ... class GreeterOptions:
        ...     greeting: str = "hello"
        ...     times: int = 1
        >>> class Greeter(ConfigurableBase):
        ...     options_class = GreeterOptions
        ...     def __init__(self, greeting: str, times: int) -> None:
        ...         self.text = " ".join([greeting] * times)
        >>> Greeter.from_config({"times": 2}).text
        'hello hello'

    """

    options_class: ClassVar[type[Any] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        options_class = cls.__dict__.get("options_class")
        if options_class is None:
            return
        if not (isinstance(options_class, type) and dataclasses.is_dataclass(options_class)):
            raise TypeError(f"{cls.__name__}.options_class must be a dataclass")
        install_redacted_repr(options_class)

    @classmethod
    def from_config(cls, mapping: Mapping[str, Any]) -> Self:
        """Build an instance from a mapping of options.

        Raises:
            ConfigurationError: If an option is unknown, missing or of the wrong type;
                inside :class:`~dataknobs_config.Config` the message also names the
                file and key path.

        """
        if cls.options_class is None:
            raise TypeError(f"{cls.__name__} must set options_class to a dataclass")
        options = parse_options(cls.options_class, mapping, owner=cls.__name__)
        kwargs = {
            field.name: getattr(options, field.name)
            for field in dataclasses.fields(options)
            if field.init
        }
        return cls(**kwargs)
