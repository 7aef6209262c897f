"""Binder: an environment built from binder/ alone runs every lesson.

This does what repo2docker's Python build pack does on mybinder.org, minus Docker: a fresh virtual
environment with the Python of runtime.txt, ``pip install -r binder/requirements.txt``, then ``binder/postBuild``
run from the root of a clean copy of the repository. Then every lesson is executed in that environment with
``jupyter nbconvert --execute``. Everything (environment, pip's cache, Jupyter's config) lives in the test's
temporary directory, so nothing outside it is cached or changed.
"""
import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def _run(command, cwd, env, timeout=900):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def _clean_copy(destination):
    """The files a fresh clone would have: tracked and untracked-but-not-ignored (git decides)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def test_binder_files_are_what_repo2docker_expects():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    pins = [line for line in (BINDER / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    names = {line.split("==")[0] for line in pins}
    assert all("==" in line for line in pins), f"pin exact versions in binder/requirements.txt: {pins}"
    assert {"numpy", "jupyterlab", "ipywidgets", "matplotlib", "ipympl", "tqdm"} <= names
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK) and "pip install --no-deps -e ." in post_build.read_text()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_a_binder_environment_runs_every_lesson(tmp_path):
    repo = tmp_path / "repo"
    _clean_copy(repo)
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "JUPYTER", "VIRTUAL_ENV", "PYTEST", "MPLBACKEND"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(env_dir),
               PIP_CACHE_DIR=str(tmp_path / "pip-cache"), PIP_DISABLE_PIP_VERSION_CHECK="1",
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"), MPLCONFIGDIR=str(tmp_path / "matplotlib"),
               IPYTHONDIR=str(tmp_path / "ipython"), JUPYTER_PLATFORM_DIRS="1")

    _run([bin_dir / "python", "-m", "pip", "install", "--quiet", "-r", repo / "binder" / "requirements.txt"], repo, env)
    _run(["bash", repo / "binder" / "postBuild"], repo, env)
    located = _run([bin_dir / "python", "-c", "import minitorch; print(minitorch.__file__)"], tmp_path, env)
    assert located.stdout.strip().startswith(str(repo)), "postBuild must install the repository's minitorch"

    lessons = sorted((repo / "lessons").glob("[0-9][0-9]_*.ipynb"))
    assert lessons
    kernel_check = tmp_path / "kernel_check.ipynb"   # the kernel must be the environment's own Python
    kernel_check.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "id": "check", "metadata": {}, "outputs": [], "execution_count": None,
         "source": f"import sys\nassert sys.prefix == {str(env_dir)!r}, sys.prefix"}]}))
    _run([bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", tmp_path / "executed",
          "--ExecutePreprocessor.timeout=60", "--ExecutePreprocessor.kernel_name=python3", kernel_check, *lessons], repo / "lessons", env)
    assert len(list((tmp_path / "executed").glob("*.ipynb"))) == len(lessons) + 1
