from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "src"))
sys.path.insert(0, str(PROJECT))

from inference.model import ARTIFACT  # noqa: E402


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trained artifact: the `train` target's output when given, else trained here."""
    given = os.environ.get("EPHENV_MODEL_DIR")
    if given and (Path(given) / ARTIFACT).is_file():
        return Path(given)
    import train

    out = tmp_path_factory.mktemp("model")
    train.train(out)
    return out


@pytest.fixture(scope="session")
def examples() -> list[dict]:
    folder = PROJECT / "schemas" / "examples"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


@pytest.fixture(scope="session")
def schemas() -> dict[str, dict]:
    folder = PROJECT / "schemas"
    return {name: json.loads((folder / f"{name}.schema.json").read_text()) for name in ("input", "output")}
