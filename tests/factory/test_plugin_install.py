"""The fallback installer writes what importlib.metadata needs to find the entry points."""

from __future__ import annotations

from importlib.metadata import distributions
from pathlib import Path

from dataknobs_data.factory import ENTRY_POINT_GROUP
from tests.plugins import install


def test_hand_written_dist_info_exposes_the_entry_points(tmp_path: Path) -> None:
    install._write_dist_info(install.DEMO_PLUGIN, tmp_path)
    (found,) = distributions(path=[str(tmp_path)])
    assert found.metadata["Name"] == "dataknobs-plugin-demo"
    points = {ep.name: ep.value for ep in found.entry_points if ep.group == ENTRY_POINT_GROUP}
    assert points["demo"] == "dataknobs_plugin_demo:DemoDatabase"
    assert points["demo-spec"] == "dataknobs_plugin_demo:SPEC"
    assert (tmp_path / "dataknobs_plugin_demo" / "__init__.py").exists()
