from __future__ import annotations

import math
import time
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from inference.app import create_app
from inference.model import ARTIFACT
from inference.settings import Settings


def settings_for(model_dir: Path) -> Settings:
    return Settings(host="127.0.0.1", port=0, model_dir=model_dir, workers=1, timeout_keep_alive=5)


def wait_ready(client: TestClient) -> None:
    deadline = time.monotonic() + 30
    while client.get("/ping").status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture()
def client(model_dir: Path):
    with TestClient(create_app(settings_for(model_dir))) as c:
        wait_ready(c)
        yield c


def assert_close(actual, expected, tol=1e-3, path="$"):
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), path
        for key in expected:
            assert_close(actual[key], expected[key], tol, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, tol, f"{path}[{i}]")
    elif isinstance(expected, float) or isinstance(actual, float):
        assert math.isclose(actual, expected, abs_tol=tol), f"{path}: {actual} != {expected}"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def test_ping_is_ok_once_the_model_is_loaded(client: TestClient) -> None:
    response = client.get("/ping")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ping_fails_when_the_model_cannot_load(tmp_path: Path) -> None:
    with TestClient(create_app(settings_for(tmp_path / "missing"))) as c:
        wait_ready(c)
        response = c.get("/ping")
        assert response.status_code == 500
        assert f"{ARTIFACT} not found" in response.json()["error"]
        assert c.post("/invocations", json={"instances": []}).status_code in (400, 503)


def test_every_example_is_answered_as_it_says(client: TestClient, examples: list[dict], schemas: dict) -> None:
    assert examples, "schemas/examples holds no example"
    for example in examples:
        jsonschema.validate(example["request"], schemas["input"])
        response = client.post("/invocations", json=example["request"])
        assert response.status_code == 200, response.text
        jsonschema.validate(response.json(), schemas["output"])
        assert_close(response.json(), example["response"])


def bad_bodies(schemas: dict, examples: list[dict]) -> list[dict]:
    """Requests the input schema refuses, built from a valid example row."""
    row = examples[0]["request"]["instances"][0]
    first = next(iter(row))
    maximum = schemas["input"]["definitions"]["instance"]["properties"][first]["maximum"]
    return [
        {},
        {"instances": []},
        {"instances": [{first: row[first]}]},
        {"instances": [{**row, first: "x"}]},
        {"instances": [{**row, first: -1}]},
        {"instances": [{**row, first: maximum + 1}]},
        {"instances": [{**row, "x": 1}]},
    ]


def test_input_the_schema_refuses_is_a_400(client: TestClient, schemas: dict, examples: list[dict]) -> None:
    for body in bad_bodies(schemas, examples):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(body, schemas["input"])
        response = client.post("/invocations", json=body)
        assert response.status_code == 400, body
        assert response.json()["error"] == "the request does not match the input schema"


def test_settings_follow_the_sagemaker_contract() -> None:
    assert Settings.from_env({}).port == 8080
    assert str(Settings.from_env({}).model_dir) == "/opt/ml/model"
    env = {"SAGEMAKER_BIND_TO_PORT": "9001", "SM_MODEL_DIR": "/sm", "EPHENV_MODEL_DIR": "/override"}
    settings = Settings.from_env(env)
    assert settings.port == 9001
    assert str(settings.model_dir) == "/override"
