"""Model loading and prediction: the only framework-specific part of the server.

Replace this with your own model code; keep the `load_model` / `Model.predict` shape so the
server, the schemas and the examples stay in step. train.py builds the same `Classifier`.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

import torch
from torch import nn

ARTIFACT = "model.pt"
METADATA = "metadata.json"
# cgroup v2's CPU quota: what `docker run --cpus` and SageMaker's instance give the container.
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")

log = logging.getLogger("inference")


class Classifier(nn.Module):
    """A small fully connected network: scaled features, one hidden ReLU layer, one logit per class."""

    def __init__(self, features: int, hidden: int, classes: int) -> None:
        super().__init__()
        # The features' scale is part of the model (saved in its state_dict), not of the request.
        self.register_buffer("scale", torch.ones(features))
        self.layers = nn.Sequential(nn.Linear(features, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x / self.scale)


def container_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may use: its affinity, capped by the cgroup's quota when one is set."""
    cpus = len(os.sched_getaffinity(0))
    try:
        quota, period = cpu_max.read_text().split()
        if quota != "max":
            # A fractional quota (--cpus 1.5) rounds down: a second thread would only be throttled.
            cpus = min(cpus, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return cpus


class Model:
    def __init__(self, network: Classifier, features: list[str], classes: list[str]) -> None:
        self.network = network
        self.features = features
        self.classes = classes

    def predict(self, instances: list[dict[str, float]]) -> list[dict[str, Any]]:
        matrix = torch.tensor([[row[name] for name in self.features] for row in instances], dtype=torch.float32)
        # inference_mode: no autograd bookkeeping, tensors that can never join a backward pass.
        with torch.inference_mode():
            probabilities = torch.softmax(self.network(matrix), dim=1)
        predictions = []
        for row in probabilities.tolist():
            class_id = max(range(len(row)), key=row.__getitem__)
            predictions.append(
                {
                    "label": self.classes[class_id],
                    "class_id": class_id,
                    # Rounded so answers are stable across builds and comparable with examples.
                    "probabilities": {name: round(p, 4) for name, p in zip(self.classes, row)},
                }
            )
        return predictions


def load_model(model_dir: Path) -> Model:
    artifact = model_dir / ARTIFACT
    if not artifact.is_file():
        raise FileNotFoundError(f"{artifact} not found: train the model first (nx run <project>:train)")
    metadata = json.loads((model_dir / METADATA).read_text())
    # As many threads as the container has CPUs: more only contend with each other and the server.
    threads = container_cpus()
    torch.set_num_threads(threads)
    network = Classifier(len(metadata["features"]), metadata["hidden"], len(metadata["classes"]))
    # weights_only: the artifact holds tensors, never pickled code.
    network.load_state_dict(torch.load(artifact, map_location="cpu", weights_only=True))
    network.eval()
    log.info("torch %s on %d thread(s)", torch.__version__, threads)
    return Model(network, metadata["features"], metadata["classes"])
