"""Model loading and prediction: the only framework-specific part of the server.

Any model exported to ONNX with a float32 `features` input (one row per instance, columns in
metadata.json's order) and a `probabilities` output (one column per class) serves as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

ARTIFACT = "model.onnx"
METADATA = "metadata.json"


class Model:
    def __init__(self, session: ort.InferenceSession, features: list[str], classes: list[str]) -> None:
        self.session = session
        self.features = features
        self.classes = classes

    def predict(self, instances: list[dict[str, float]]) -> list[dict[str, Any]]:
        matrix = np.array([[row[name] for name in self.features] for row in instances], dtype=np.float32)
        (probabilities,) = self.session.run(["probabilities"], {"features": matrix})
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
    options = ort.SessionOptions()
    # One thread per request: the server answers requests concurrently rather than one in parallel.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(artifact), options, providers=["CPUExecutionProvider"])
    return Model(session, metadata["features"], metadata["classes"])
