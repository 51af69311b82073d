import fractions
import types
from pathlib import Path
from typing import Any

import pytest

from dataknobs_config import Config, ConfigurationError


def one(**item: Any) -> Config:
    return Config({"things": [{"name": "a", **item}]})


def test_get_instance_returns_the_same_object_every_time() -> None:
    config = one(**{"class": "config_testkit.Plain", "x": 1})
    assert config.get_instance("things", "a") is config.get_instance("things", "a")


def test_fresh_instance_is_a_new_object_and_leaves_the_shared_one(
    testkit: types.ModuleType,
) -> None:
    config = one(**{"class": "config_testkit.Plain"})
    shared = config.get_instance("things", "a")
    fresh = config.get_instance("things", "a", fresh=True)
    assert isinstance(fresh, testkit.Plain)
    assert fresh is not shared
    assert config.get_instance("things", "a") is shared


def test_class_with_from_config_is_built_by_from_config(testkit: types.ModuleType) -> None:
    store = one(**{"class": "config_testkit.Store", "host": "h", "port": 7}).get_instance(
        "things", "a"
    )
    assert isinstance(store, testkit.Store)
    assert (store.host, store.port, store.password) == ("h", 7, None)


def test_class_without_from_config_gets_keyword_arguments() -> None:
    value = one(**{"class": "fractions.Fraction", "numerator": 1, "denominator": 3})
    assert value.get_instance("things", "a") == fractions.Fraction(1, 3)


def test_name_class_and_factory_keys_are_not_passed_on() -> None:
    plain = one(**{"class": "config_testkit.Plain", "x": 1}).get_instance("things", "a")
    assert plain.kwargs == {"x": 1}


def test_registered_factory_with_create_is_called_through_create(
    testkit: types.ModuleType,
) -> None:
    factory = testkit.PlainFactory()
    config = one(factory="plain", x=1)
    config.register_factory("plain", factory)
    built = config.get_instance("things", "a")
    assert built.kwargs == {"made_by": "create", "x": 1}
    assert factory.calls == [{"x": 1}]


def test_registered_callable_factory_is_called(testkit: types.ModuleType) -> None:
    config = one(factory="plain", x=2)
    config.register_factory("plain", testkit.make_plain)
    assert config.get_instance("things", "a").kwargs == {"made_by": "callable", "x": 2}


def test_factory_may_be_a_dotted_path() -> None:
    config = one(factory="config_testkit.shared_factory", x=3)
    assert config.get_instance("things", "a").kwargs == {"made_by": "create", "x": 3}


def test_unknown_factory_name_suggests_registered_ones(testkit: types.ModuleType) -> None:
    config = one(factory="plian")
    config.register_factory("plain", testkit.make_plain)
    with pytest.raises(ConfigurationError, match=r"things\[a\]\.factory: .*'plian'.*'plain'"):
        config.get_instance("things", "a")


def test_unimportable_class_names_key_path_and_dotted_path(tmp_path: Path) -> None:
    file = tmp_path / "c.yaml"
    file.write_text("things:\n  - name: a\n    class: config_testkit.Nope\n")
    with pytest.raises(ConfigurationError) as excinfo:
        Config(file).get_instance("things", "a")
    message = str(excinfo.value)
    assert message.startswith(f"{file}: things[a].class: cannot import class 'config_testkit.Nope'")
    assert "has no attribute 'Nope'" in message


def test_missing_module_is_named_in_the_error() -> None:
    with pytest.raises(ConfigurationError, match="no module named 'no_such_pkg'"):
        one(**{"class": "no_such_pkg.mod.Cls"}).get_instance("things", "a")


def test_item_with_both_class_and_factory_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="both 'class' and 'factory'"):
        one(**{"class": "config_testkit.Plain", "factory": "x"}).get_instance("things", "a")


def test_item_with_neither_class_nor_factory_cannot_be_built() -> None:
    with pytest.raises(ConfigurationError, match=r"things\[a\]: has neither 'class' nor 'factory'"):
        one(x=1).get_instance("things", "a")


def test_bad_keyword_arguments_are_a_configuration_error_with_location() -> None:
    config = one(**{"class": "fractions.Fraction", "numerater": 1})
    with pytest.raises(ConfigurationError, match=r"things\[a\]: building class .*TypeError"):
        config.get_instance("things", "a")


def test_error_from_constructor_never_echoes_a_secret() -> None:
    config = one(**{"class": "config_testkit.Picky", "password": "hunter2-secret"})
    with pytest.raises(ConfigurationError) as excinfo:
        config.get_instance("things", "a")
    assert "hunter2-secret" not in str(excinfo.value)
    assert excinfo.value.__cause__ is None


def references() -> dict[str, Any]:
    return {
        "databases": [
            {"name": "primary", "class": "config_testkit.Plain", "role": "main"},
            {"name": "archive", "class": "config_testkit.Plain", "role": "cold"},
        ],
        "jobs": [
            {
                "name": "copy",
                "class": "config_testkit.Job",
                "source": {"ref": "databases.primary"},
                "target": {"ref": "databases.archive"},
            }
        ],
    }


def test_reference_is_replaced_by_the_shared_instance() -> None:
    config = Config(references())
    job = config.get_instance("jobs", "copy")
    assert job.source is config.get_instance("databases", "primary")
    assert job.target.kwargs == {"role": "cold"}


def test_get_keeps_references_as_written() -> None:
    assert Config(references()).get("jobs", "copy")["source"] == {"ref": "databases.primary"}


def test_fresh_item_still_shares_the_items_it_refers_to() -> None:
    config = Config(references())
    first = config.get_instance("jobs", "copy", fresh=True)
    second = config.get_instance("jobs", "copy", fresh=True)
    assert first is not second
    assert first.source is second.source


def test_references_inside_lists_are_resolved() -> None:
    sources = references()
    sources["jobs"][0]["target"] = [{"ref": "databases.primary"}, {"ref": "databases.archive"}]
    config = Config(sources)
    job = config.get_instance("jobs", "copy")
    assert job.target == [job.source, config.get_instance("databases", "archive")]


def test_reference_cycle_is_an_error_showing_the_chain() -> None:
    config = Config(
        {
            "jobs": [
                {
                    "name": "a",
                    "class": "config_testkit.Job",
                    "source": {"ref": "jobs.b"},
                    "target": 1,
                },
                {
                    "name": "b",
                    "class": "config_testkit.Job",
                    "source": {"ref": "jobs.a"},
                    "target": 2,
                },
            ]
        }
    )
    with pytest.raises(
        ConfigurationError, match=r"reference cycle: jobs\[a\] -> jobs\[b\] -> jobs\[a\]"
    ):
        config.get_instance("jobs", "a")


def test_self_reference_is_a_cycle() -> None:
    config = one(**{"class": "config_testkit.Plain", "me": {"ref": "things.a"}})
    with pytest.raises(ConfigurationError, match=r"reference cycle: things\[a\] -> things\[a\]"):
        config.get_instance("things", "a")


def test_reference_to_a_missing_item_names_where_it_is_used() -> None:
    sources = references()
    sources["jobs"][0]["source"] = {"ref": "databases.primry"}
    with pytest.raises(
        ConfigurationError, match=r"jobs\[copy\]\.source: refers to databases\[primry\]"
    ):
        Config(sources).get_instance("jobs", "copy")


def test_malformed_reference_is_an_error() -> None:
    config = one(**{"class": "config_testkit.Plain", "other": {"ref": "nodot"}})
    with pytest.raises(ConfigurationError, match=r"things\[a\]\.other: a reference must look like"):
        config.get_instance("things", "a")


def test_failed_build_is_not_cached_and_can_be_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    config = one(**{"class": "config_testkit.Plain", "x": "${DK_LATER}"})
    with pytest.raises(ConfigurationError):
        config.get_instance("things", "a")
    monkeypatch.setenv("DK_LATER", "1")
    assert config.get_instance("things", "a").kwargs == {"x": 1}


def test_factory_that_is_neither_callable_nor_has_create_is_an_error() -> None:
    config = one(factory="odd")
    config.register_factory("odd", 42)
    with pytest.raises(ConfigurationError, match="has no create\\(\\) method and is not callable"):
        config.get_instance("things", "a")


def test_later_source_can_switch_class_to_factory_with_null(testkit: types.ModuleType) -> None:
    config = Config(
        {"things": [{"name": "a", "class": "config_testkit.Store"}]},
        {"things": [{"name": "a", "class": None, "factory": "config_testkit.make_plain"}]},
    )
    assert config.get_instance("things", "a").kwargs == {"made_by": "callable"}


def test_missing_submodule_is_named_in_the_error() -> None:
    config = one(**{"class": "dataknobs_config.no_such_module.Thing"})
    with pytest.raises(
        ConfigurationError, match=r"no module or attribute named 'dataknobs_config\.no_such_module'"
    ):
        config.get_instance("things", "a")


def test_reference_cycle_error_names_where_the_cycle_closes() -> None:
    config = one(**{"class": "config_testkit.Plain", "me": {"ref": "things.a"}})
    with pytest.raises(ConfigurationError, match=r"^things\[a\]\.me: reference cycle"):
        config.get_instance("things", "a")
