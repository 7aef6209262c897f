"""The notebooks: committed clean, built as ../shared/LESSONS.md describes, and every lesson runs under nbval.

Each lesson is executed in a fresh kernel by nbval in a subprocess (pytest collects notebooks only when
``--nbval-lax`` is on its command line, so the main test run cannot collect them itself). In lax mode nbval
fails a notebook on any error; the numbers the lesson text quotes are checked inside the cells themselves
with a visible ``assert`` ("check: ... ✓"), so nothing has to be stored as expected output.
"""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
NOTEBOOKS = sorted(p for folder in ("lessons", "exercises", "solutions") for p in (ROOT / folder).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


def _cells(path, cell_type=None):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if cell_type is None or c["cell_type"] == cell_type]


def _source(cell):
    return "".join(cell["source"])


def _name(path):
    return str(path.relative_to(ROOT))


def test_there_are_lessons():
    assert [p.name[:2] for p in LESSONS][:4] == ["01", "02", "03", "04"], [p.name for p in LESSONS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_name)
def test_notebook_is_committed_without_outputs(path):
    dirty = [i for i, cell in enumerate(_cells(path, "code")) if cell.get("outputs") or cell.get("execution_count")]
    assert not dirty, f"{_name(path)}: code cells {dirty} hold outputs; clear them (Edit > Clear All Outputs) and save"
    metadata = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    assert "widgets" not in metadata, f"{_name(path)} stores widget state; clear it before committing"


@pytest.mark.parametrize("path", LESSONS, ids=_name)
def test_lesson_follows_the_template(path):
    """Title, goals, a minitorch.viz widget, a torch comparison that cannot fail, a recap, exercises pointer."""
    markdown = "\n".join(_source(c) for c in _cells(path, "markdown"))
    code = "\n".join(_source(c) for c in _cells(path, "code"))
    assert markdown.startswith(f"# Lesson {path.name[:2]}: "), "the first cell is the title '# Lesson NN: ...'"
    assert "By the end of this lesson you can" in markdown
    assert "## Same thing in PyTorch" in markdown and "## Recap" in markdown and "exercises/" in markdown
    assert "import minitorch as mt" in code and "mt.manual_seed(" in code
    assert 'device = "cuda" if mt.cuda.is_available() else "cpu"' in code
    assert re.search(r"^viz\.\w+\(", code, re.M), "the lesson needs a one-line minitorch.viz widget call"
    assert not re.search(r"\b(?:minitorch|mt)\._(?!_)", code), "lessons use only the public API"
    torch_cells = [_source(c) for c in _cells(path, "code") if "import torch" in _source(c)]
    assert torch_cells and all(s.startswith('if importlib.util.find_spec("torch"):') and "\nelse:" in s
                               for s in torch_cells), "torch is imported only inside the find_spec guard"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("nbval") is None, reason="needs nbval (pip install -e '.[dev]')")
@pytest.mark.parametrize("path", LESSONS, ids=_name)
def test_lesson_runs_under_nbval(path):
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
               "--color=no", "--nbval-lax", "--nbval-current-env", "--nbval-cell-timeout=60", str(path)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{_name(path)} failed under nbval:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
