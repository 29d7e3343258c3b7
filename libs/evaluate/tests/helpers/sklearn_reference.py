"""scikit-learn's values for the cases on stdin: the reference the TypeScript metrics must equal.

Input: {"classification": [{"y_true", "y_pred", "probabilities"?: [[...]], "classes"?: [...]}],
        "regression": [{"y_true", "y_pred"}]}
Output: the same lists with sklearn's metrics, plus "diabetes": a small ridge regressor of its own
(trained here on sklearn's diabetes set) with its held-out predictions and their metrics.
"""

import json
import sys
import warnings

import numpy as np
from sklearn import metrics
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split

warnings.simplefilter("ignore")


def classification(case):
    t, p = case["y_true"], case["y_pred"]
    out = {
        "accuracy": metrics.accuracy_score(t, p),
        "balanced_accuracy": metrics.balanced_accuracy_score(t, p),
        "precision_macro": metrics.precision_score(t, p, average="macro"),
        "recall_macro": metrics.recall_score(t, p, average="macro"),
        "f1_macro": metrics.f1_score(t, p, average="macro"),
        "labels": [x.item() if hasattr(x, "item") else x for x in np.unique(np.concatenate([np.asarray(t), np.asarray(p)]))],
        "confusion_matrix": metrics.confusion_matrix(t, p).tolist(),
    }
    if "probabilities" in case:
        out["log_loss"] = metrics.log_loss(t, case["probabilities"], labels=case["classes"])
    return out


def regression(case):
    t, p = case["y_true"], case["y_pred"]
    return {
        "mae": metrics.mean_absolute_error(t, p),
        "rmse": metrics.root_mean_squared_error(t, p),
        "r2": metrics.r2_score(t, p),
        "max_error": metrics.max_error(t, p),
    }


def diabetes():
    x, y = load_diabetes(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=0)
    pred = Ridge(alpha=0.5).fit(x_train, y_train).predict(x_test)
    case = {"y_true": y_test.tolist(), "y_pred": pred.tolist()}
    return {**case, "expected": regression(case)}


cases = json.load(sys.stdin)
json.dump(
    {
        "classification": [classification(c) for c in cases["classification"]],
        "regression": [regression(c) for c in cases["regression"]],
        "diabetes": diabetes(),
    },
    sys.stdout,
    default=lambda o: o.item(),
)
