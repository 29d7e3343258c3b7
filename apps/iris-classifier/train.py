"""Trains the iris-classifier model and writes it to --output.

A deterministic placeholder: a logistic regression on the iris data set that ships with
scikit-learn. Replace it with your own training; keep writing `model.joblib` and
`metadata.json`, which src/inference/model.py loads.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def train(output: Path) -> dict[str, object]:
    iris = load_iris()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=0))
    model.fit(iris.data, iris.target)
    accuracy = float(model.score(iris.data, iris.target))
    output.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, output / "model.joblib")
    metadata = {"features": FEATURES, "classes": [str(c) for c in iris.target_names], "training_accuracy": round(accuracy, 4)}
    (output / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
    return metadata


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, required=True, help="folder to write the model artifact to")
    args = parser.parse_args()
    metadata = train(args.output)
    print(f"trained iris-classifier: training accuracy {metadata['training_accuracy']}, written to {args.output}")


if __name__ == "__main__":
    main()
