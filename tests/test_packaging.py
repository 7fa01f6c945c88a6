"""The toolkit installs like a real package: the built wheel holds the notebooks and the
report templates, and `alms audit` runs from it outside the source checkout (issue 11,
item 5)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import setuptools

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_package_list_matches_the_source_tree() -> None:
    """Every package of the source tree is listed (a new subpackage cannot be left out of
    the wheel), and the shipped folders are mapped into the package."""
    config = _pyproject()["tool"]["setuptools"]
    listed = set(config["packages"])
    found = set(setuptools.find_packages(where=str(ROOT), include=["alms_toolkit*"]))
    assert found <= listed, sorted(found - listed)
    mapped = {"alms_toolkit.notebooks", "alms_toolkit.templates", "alms_toolkit.templates.alms_report",
              "alms_toolkit.templates.seller", "alms_toolkit.templates.manager_pack"}
    assert listed - found == mapped
    assert config["package-dir"] == {"alms_toolkit.notebooks": "notebooks", "alms_toolkit.templates": "templates"}
    # every template folder is a listed package, so none of its files is left behind
    for folder in (ROOT / "templates").iterdir():
        if folder.is_dir():
            assert f"alms_toolkit.templates.{folder.name}" in listed


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    (path,) = out.glob("alms_toolkit-*.whl")
    return path


def test_the_wheel_holds_the_notebooks_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("notebooks", "templates"):
        for file in (ROOT / shipped).rglob("*"):
            if file.is_file() and file.suffix in {".ipynb", ".j2", ".css", ".json", ".typ"}:
                assert f"alms_toolkit/{shipped}/{file.relative_to(ROOT / shipped).as_posix()}" in names, file


def test_the_wheel_holds_the_fonts_and_their_licence(wheel: Path) -> None:
    """The shipped family (every deliverable's font) and the OFL text travel with the package."""
    from alms_toolkit.fonts import FACES, LICENCE_FILE

    names = set(zipfile.ZipFile(wheel).namelist())
    for file in [f.ttf for f in FACES] + [f.woff2 for f in FACES] + [LICENCE_FILE]:
        assert f"alms_toolkit/fonts/{file}" in names, file


@pytest.mark.notebook
def test_alms_audit_runs_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    """Installed into a fresh virtual environment and run from outside the checkout with its
    own ``alms`` command, the toolkit finds its notebook and templates in the package and
    writes the whole report. The environment's dependencies are this one's (read through a
    .pth file: no download); the toolkit is only the wheel's (CI's fresh install checks that
    the dependency ranges resolve)."""
    import sysconfig
    import venv

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    client = tmp_path / "client"
    shutil.copytree(ROOT / "client_data" / "sample-services", client)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the dependencies' data (nbconvert's templates)
    where = subprocess.run(
        [str(python), "-c", "import alms_toolkit, alms_toolkit.package_files as f; "
         "print(alms_toolkit.__file__); print(f.shipped_folder('notebooks')); print(f.shipped_folder('templates'))"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    module, notebooks, templates = where.stdout.split()
    for path in (module, notebooks, templates):
        assert Path(path).is_relative_to(site), path  # the wheel's copy, not the checkout
    run = subprocess.run(
        [str(env_dir / "bin" / "alms"), "audit", str(client), "--quiet", "--formats", "html,pdf,xlsx",
         "--out", str(tmp_path / "reports")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=900,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    (folder,) = (tmp_path / "reports").glob("*/*")
    assert (folder / "report.pdf").stat().st_size > 10_000
    assert (folder / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["client"] == "Meridian Facility Services" and summary["n_key"] > 0
    assert list((folder / "sellers").glob("*.xlsx"))
