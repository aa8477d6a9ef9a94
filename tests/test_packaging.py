"""An installed wheel, used outside the checkout, finds its schema and templates and runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [whl] = out.glob("sheetkit-*.whl")
    return whl


def test_wheel_carries_the_schema_and_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "sheetkit/data/schemas/customer.yaml" in names
    assert "sheetkit/data/templates/report.html.j2" in names
    assert "sheetkit/data/templates/_tags.html.j2" in names  # the report's tags and owners sections
    assert "sheetkit/data/templates/_owners.html.j2" in names
    assert "sheetkit/data/templates/_changes.html.j2" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "benchmarks/"))]


def test_wheel_carries_the_crm_profiles_share_roles_and_messages(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for crm in ("hubspot", "salesforce", "zoho", "fxiaoke", "roles"):  # issue 18: export profiles and share roles
        assert f"sheetkit/data/profiles/{crm}.yaml" in names
    assert "sheetkit/data/locales/messages.yaml" in names and "sheetkit/data/templates/share.html.j2" in names


def test_installed_wheel_runs_on_the_example_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    shop = tmp_path / "shop"
    shutil.copytree(ROOT / "examples" / "shop", shop)
    # -S: no site hooks, so an editable install of the checkout cannot shadow the wheel;
    # the dependencies come from this interpreter's site-packages.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), sysconfig.get_paths()["purelib"],
                                                        sysconfig.get_paths()["platlib"]])}
    where = subprocess.run([sys.executable, "-S", "-c", "import sheetkit.resources as r; print(r.default_schema_path())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(target))
    run = subprocess.run([sys.executable, "-S", "-m", "sheetkit", "run", "shop", "--out", "out", "-q"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "cleaned.xlsx").stat().st_size > 0
    assert "客户档案质量报告" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for command in (["export", "out", "--crm", "fxiaoke", "--lang", "zh"], ["share", "out", "--role", "analyst"]):
        done = subprocess.run([sys.executable, "-S", "-m", "sheetkit", *command, "-q"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "export-fxiaoke" / "客户.xlsx").stat().st_size > 0
    log = subprocess.run([sys.executable, "-S", "-m", "sheetkit", "log", "out", "--lang", "zh"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert log.returncode == 0 and "健康分" in log.stdout, log.stderr  # the terminal's texts ship too
    assert (tmp_path / "out" / "shared" / "analyst.html").stat().st_size > 0
