"""Model loading and prediction: the only framework-specific part of the server.

Replace this with your own model code; keep the `load_model` / `Model.predict` shape so the
server, the schemas and the examples stay in step.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import joblib
import numpy as np

ARTIFACT = "model.joblib"
METADATA = "metadata.json"


class Model:
    def __init__(self, estimator: Any, features: list[str], classes: list[str]) -> None:
        self.estimator = estimator
        self.features = features
        self.classes = classes

    def predict(self, instances: list[dict[str, float]]) -> list[dict[str, Any]]:
        matrix = np.array([[row[name] for name in self.features] for row in instances], dtype=float)
        probabilities = self.estimator.predict_proba(matrix)
        predictions = []
        for row in probabilities:
            class_id = int(np.argmax(row))
            predictions.append(
                {
                    "label": self.classes[class_id],
                    "class_id": class_id,
                    # Rounded so answers are stable across BLAS builds and comparable with examples.
                    "probabilities": {name: round(float(p), 4) for name, p in zip(self.classes, row)},
                }
            )
        return predictions


def load_model(model_dir: Path) -> Model:
    artifact = model_dir / ARTIFACT
    if not artifact.is_file():
        raise FileNotFoundError(f"{artifact} not found: train the model first (nx run <project>:train)")
    metadata = json.loads((model_dir / METADATA).read_text())
    return Model(joblib.load(artifact), metadata["features"], metadata["classes"])
