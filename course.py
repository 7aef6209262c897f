#!/usr/bin/env python3
"""The course's two commands. They need only Python 3.11+ and do all their own set-up.

    python3 course.py lab     # install the course into .venv (once) and open it in JupyterLab
    python3 course.py test    # build a fresh .venv-test and run the whole test suite in it

Extra arguments after ``test`` go to pytest (e.g. ``python3 course.py test tests/test_tensor.py``).
"""
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FIRST_LESSON = "lessons/01_tensors.ipynb"


def _python(env_dir):
    return env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"


def _create(env_dir, extras, fresh):
    """A virtual environment at ``env_dir`` with this package (editable) and ``extras`` installed."""
    if fresh and env_dir.exists():
        shutil.rmtree(env_dir)
    python = _python(env_dir)
    stamp = env_dir / ".installed"
    wanted = f"{extras}:{(ROOT / 'pyproject.toml').stat().st_mtime}"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        print(f"Creating the environment {env_dir.name} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(env_dir)
    print(f"Installing minitorch-course[{extras}] (a few minutes the first time) ...", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extras}]"], check=True)
    stamp.write_text(wanted)
    return python


def lab(args):
    python = _create(ROOT / ".venv", "lab", fresh=False)
    os.chdir(ROOT)
    as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []  # e.g. in a container
    os.execv(str(python), [str(python), "-m", "jupyter", "lab", FIRST_LESSON, *as_root, *args])


def test(args):
    python = _create(ROOT / ".venv-test", "lab,dev", fresh=True)
    os.chdir(ROOT)
    workers = ["-n", "2"] if not any(a.startswith("-n") for a in args) else []
    result = subprocess.run([str(python), "-m", "pytest", *workers, *args])
    sys.exit(result.returncode)


def main():
    commands = {"lab": lab, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
