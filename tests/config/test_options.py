import enum
import pathlib
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from dataknobs_config import ConfigurationError, parse_options

SECRET = "s3cr3t-Value-xyz"


@dataclass
class TLS:
    verify: bool = True
    ca_file: pathlib.Path | None = None


class Mode(enum.Enum):
    FAST = "fast"
    SAFE = "safe"


@dataclass
class ServerOptions:
    host: str
    port: int = 5432
    timeout: float = 1.0
    debug: bool = False
    table: str | None = None
    format: Literal["json", "jsonl", "csv"] = "json"
    replicas: list[str] = field(default_factory=list)
    pair: tuple[int, int] = (0, 0)
    labels: dict[str, int] = field(default_factory=dict)
    root: pathlib.Path = pathlib.Path(".")
    tls: TLS = field(default_factory=TLS)
    mode: Mode = Mode.SAFE
    key_or_id: int | str = 0
    password: str | None = None
    token: str = field(default="", metadata={"secret": True})
    extra: Any = None


def parse(**mapping: Any) -> ServerOptions:
    return parse_options(ServerOptions, {"host": "h", **mapping}, owner="Server")


def error(**mapping: Any) -> str:
    with pytest.raises(ConfigurationError) as excinfo:
        parse(**mapping)
    return str(excinfo.value)


def test_valid_mapping_gives_the_dataclass_with_defaults() -> None:
    options = parse(port=1)
    assert isinstance(options, ServerOptions)
    assert (options.host, options.port, options.replicas) == ("h", 1, [])


def test_unknown_key_is_named_with_closest_suggestion_and_valid_options() -> None:
    message = error(hots="x")
    assert "unknown option 'hots' for Server; did you mean 'host'?" in message
    assert "Valid options: host, port, timeout" in message


def test_unknown_key_without_close_match_lists_valid_options() -> None:
    assert "unknown option 'zzzzzz' for Server. Valid options: host" in error(zzzzzz=1)


def test_missing_required_key_is_named() -> None:
    with pytest.raises(ConfigurationError, match="missing required option 'host' for Server"):
        parse_options(ServerOptions, {}, owner="Server")


def test_wrong_type_says_expected_and_given() -> None:
    message = error(port="5432")
    assert message == "port: wrong type for option 'port' of Server: expected int, got str '5432'"


def test_int_is_not_accepted_for_bool() -> None:
    assert "expected bool, got int 1" in error(debug=1)


def test_bool_is_not_accepted_for_int() -> None:
    assert "expected int, got bool True" in error(port=True)


def test_int_is_accepted_for_float_and_converted() -> None:
    timeout = parse(timeout=3).timeout
    assert timeout == 3.0
    assert type(timeout) is float


def test_optional_accepts_none() -> None:
    assert parse(table=None).table is None


def test_literal_accepts_listed_value() -> None:
    assert parse(format="csv").format == "csv"


def test_literal_rejects_other_value_with_suggestion() -> None:
    message = error(format="jsonn")
    assert "expected one of 'json', 'jsonl', 'csv', got str 'jsonn'" in message
    assert "did you mean 'json'" in message


def test_list_items_are_checked_with_their_index() -> None:
    assert parse(replicas=["a", "b"]).replicas == ["a", "b"]
    assert error(replicas=["a", 2]).startswith("replicas[1]: wrong type")


def test_list_rejects_a_string() -> None:
    assert "expected list[str], got str 'abc'" in error(replicas="abc")


def test_tuple_accepts_a_list_of_the_right_length() -> None:
    assert parse(pair=[1, 2]).pair == (1, 2)
    assert "tuple[int, int] (2 items)" in error(pair=[1, 2, 3])


def test_dict_values_are_checked() -> None:
    assert parse(labels={"a": 1}).labels == {"a": 1}
    assert error(labels={"a": "x"}).startswith("labels.a: wrong type")


def test_path_accepts_a_string_and_converts_it() -> None:
    assert parse(root="/data").root == pathlib.Path("/data")
    assert "expected a path (str or pathlib.Path), got int 5" in error(root=5)


def test_nested_dataclass_is_built_from_a_mapping() -> None:
    tls = parse(tls={"verify": False, "ca_file": "ca.pem"}).tls
    assert tls == TLS(verify=False, ca_file=pathlib.Path("ca.pem"))


def test_nested_dataclass_unknown_key_names_where() -> None:
    message = error(tls={"verfy": False})
    assert "unknown option 'verfy' in 'tls' for Server; did you mean 'verify'?" in message
    assert message.startswith("tls: ")


def test_enum_accepts_value_name_or_member() -> None:
    assert parse(mode="fast").mode is Mode.FAST
    assert parse(mode="FAST").mode is Mode.FAST
    assert "expected one of 'fast', 'safe'" in error(mode="slow")


def test_union_keeps_the_matching_member_type() -> None:
    assert parse(key_or_id=5).key_or_id == 5
    assert parse(key_or_id="k").key_or_id == "k"
    assert "expected int or str, got float 1.5" in error(key_or_id=1.5)


def test_every_problem_is_reported_at_once() -> None:
    message = error(hots="x", port="y")
    assert message.startswith("2 problems with the options of Server:")
    assert "unknown option 'hots'" in message
    assert "option 'port'" in message


def test_source_and_key_path_prefix_the_message() -> None:
    with pytest.raises(ConfigurationError) as excinfo:
        parse_options(
            ServerOptions,
            {"host": "h", "hots": "x"},
            owner="PostgresDatabase",
            source="config.yaml",
            key_path="databases[primary]",
        )
    assert str(excinfo.value).startswith(
        "config.yaml: databases[primary]: unknown option 'hots' for PostgresDatabase; "
        "did you mean 'host'? Valid options: "
    )


def test_secret_is_redacted_in_repr() -> None:
    options = parse(password=SECRET, token=SECRET)
    assert options.password == SECRET
    text = repr(options)
    assert SECRET not in text
    assert "password='***'" in text
    assert "token='***'" in text
    assert "host='h'" in text


def test_secret_by_name_never_appears_in_a_type_error() -> None:
    message = error(password=12345678)
    assert "12345678" not in message
    assert "expected str or None, got int (value hidden)" in message


def test_secret_by_metadata_never_appears_in_a_type_error() -> None:
    message = error(token=["a", SECRET])
    assert SECRET not in message
    assert "value hidden" in message


def test_secret_in_a_dict_option_never_appears_in_an_error() -> None:
    message = error(labels={"api_key": SECRET})
    assert SECRET not in message


def test_secret_in_url_is_redacted_when_echoed() -> None:
    message = error(port=f"postgresql://ada:{SECRET}@db/app")
    assert SECRET not in message
    assert "ada:***@db" in message


def test_unknown_secret_looking_key_is_named_without_its_value() -> None:
    message = error(passwrd=SECRET)
    assert "unknown option 'passwrd'" in message
    assert "did you mean 'password'" in message
    assert SECRET not in message


def test_hand_written_repr_is_kept() -> None:
    @dataclass
    class Custom:
        password: str = ""

        def __repr__(self) -> str:
            return "Custom(<mine>)"

    assert repr(parse_options(Custom, {"password": SECRET}, owner="C")) == "Custom(<mine>)"


def test_options_class_must_be_a_dataclass() -> None:
    with pytest.raises(TypeError, match="must be a dataclass"):
        parse_options(dict, {}, owner="X")


def test_options_must_be_a_mapping() -> None:
    with pytest.raises(ConfigurationError, match="must be a mapping, not list"):
        parse_options(ServerOptions, ["host"], owner="Server")  # type: ignore[arg-type]
