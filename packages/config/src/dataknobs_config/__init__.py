"""YAML/JSON configuration with substitution, overrides and object construction.

The public surface:

- :class:`Config` reads sources, resolves named items and builds objects.
- :class:`ConfigurableBase` and :func:`parse_options` validate options against a
  dataclass, with suggestions for misspelt keys and secrets kept out of messages.
- :data:`DEFAULT_PATH_KEYS` and :data:`PATH_KEY_SUFFIXES` say which keys hold paths.
- :class:`ConfigurationError` (from :mod:`dataknobs_common`) is every error raised here.
"""

from dataknobs_common import ConfigurationError
from dataknobs_config._base import ConfigurableBase
from dataknobs_config._config import Config
from dataknobs_config._options import parse_options
from dataknobs_config._paths import DEFAULT_PATH_KEYS, PATH_KEY_SUFFIXES
from dataknobs_config._scalars import parse_scalar
from dataknobs_config._sources import ConfigSource

__all__ = [
    "DEFAULT_PATH_KEYS",
    "PATH_KEY_SUFFIXES",
    "Config",
    "ConfigSource",
    "ConfigurableBase",
    "ConfigurationError",
    "parse_options",
    "parse_scalar",
]
