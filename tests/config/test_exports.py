import dataknobs_common
import dataknobs_config


def test_public_names_are_exactly_these() -> None:
    assert sorted(dataknobs_config.__all__) == sorted(
        [
            "DEFAULT_PATH_KEYS",
            "PATH_KEY_SUFFIXES",
            "Config",
            "ConfigSource",
            "ConfigurableBase",
            "ConfigurationError",
            "parse_options",
            "parse_scalar",
        ]
    )


def test_every_public_name_is_importable() -> None:
    for name in dataknobs_config.__all__:
        assert hasattr(dataknobs_config, name)


def test_configuration_error_is_the_common_one() -> None:
    assert dataknobs_config.ConfigurationError is dataknobs_common.ConfigurationError
    assert issubclass(dataknobs_config.ConfigurationError, dataknobs_common.DataknobsError)
