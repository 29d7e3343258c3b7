"""Model loading and prediction: the only framework-specific part of the server.

Replace this with your own model code; keep the `load_model` / `Model.predict` shape so the
server, the schemas and the examples stay in step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np

ARTIFACT = "model.txt"
METADATA = "metadata.json"


class Model:
    def __init__(self, booster: lgb.Booster, features: list[str], classes: list[str]) -> None:
        self.booster = booster
        self.features = features
        self.classes = classes

    def predict(self, instances: list[dict[str, float]]) -> list[dict[str, Any]]:
        matrix = np.array([[row[name] for name in self.features] for row in instances], dtype=float)
        # A multiclass booster answers one probability per class and row. One thread per request:
        # the server answers requests concurrently rather than one request in parallel.
        probabilities = self.booster.predict(matrix, num_threads=1)
        predictions = []
        for row in probabilities:
            class_id = int(np.argmax(row))
            predictions.append(
                {
                    "label": self.classes[class_id],
                    "class_id": class_id,
                    # Rounded so answers are stable across builds and comparable with examples.
                    "probabilities": {name: round(float(p), 4) for name, p in zip(self.classes, row)},
                }
            )
        return predictions


def load_model(model_dir: Path) -> Model:
    artifact = model_dir / ARTIFACT
    if not artifact.is_file():
        raise FileNotFoundError(f"{artifact} not found: train the model first (nx run <project>:train)")
    metadata = json.loads((model_dir / METADATA).read_text())
    return Model(lgb.Booster(model_file=str(artifact)), metadata["features"], metadata["classes"])
