"""What the PyTorch model adds to the shared server: reproducible training, the container's threads, inference mode."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

import train
from inference.model import ARTIFACT, Classifier, container_cpus, load_model


def test_training_twice_gives_the_same_weights_and_held_out_rows(model_dir: Path, tmp_path: Path) -> None:
    train.train(tmp_path)
    first = torch.load(model_dir / ARTIFACT, weights_only=True)
    again = torch.load(tmp_path / ARTIFACT, weights_only=True)
    assert first.keys() == again.keys()
    for name in first:
        assert torch.equal(first[name], again[name]), name
    assert (tmp_path / "evaluation.jsonl").read_text() == (model_dir / "evaluation.jsonl").read_text()


@pytest.mark.parametrize(
    ("cpu_max", "cap"),
    [("max 100000\n", None), ("100000 100000\n", 1), ("150000 100000\n", 1), ("50000 100000\n", 1), ("400000 100000\n", 4)],
)
def test_threads_follow_the_cgroup_quota_within_the_affinity(tmp_path: Path, cpu_max: str, cap: int | None) -> None:
    (tmp_path / "cpu.max").write_text(cpu_max)
    affinity = len(os.sched_getaffinity(0))
    assert container_cpus(tmp_path / "cpu.max") == (affinity if cap is None else min(affinity, cap))


def test_threads_are_the_affinity_without_a_cgroup_quota(tmp_path: Path) -> None:
    assert container_cpus(tmp_path / "absent") == len(os.sched_getaffinity(0))


def test_the_loaded_model_uses_the_containers_cpus_and_predicts_in_inference_mode(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_model(model_dir)
    assert torch.get_num_threads() == container_cpus()
    assert isinstance(model.network, Classifier) and not model.network.training
    seen: list[bool] = []
    forward = model.network.forward
    monkeypatch.setattr(model.network, "forward", lambda x: (seen.append(torch.is_inference_mode_enabled()), forward(x))[1])
    [prediction] = model.predict([{name: 0.0 for name in model.features}])
    assert seen == [True]
    assert prediction["label"] in model.classes
    assert sum(prediction["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
