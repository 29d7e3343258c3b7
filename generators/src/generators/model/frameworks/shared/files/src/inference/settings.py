"""Everything the SageMaker hosting contract configures through the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# SageMaker copies model artifacts here; the image bakes the trained model in at the same path.
SAGEMAKER_MODEL_DIR = "/opt/ml/model"


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    model_dir: Path
    workers: int
    timeout_keep_alive: int

    @classmethod
    def from_env(cls, env: "os._Environ[str] | dict[str, str]" = os.environ) -> "Settings":
        return cls(
            # SageMaker may ask the container to listen on another port than 8080.
            host=env.get("EPHENV_BIND_HOST", "0.0.0.0"),
            port=int(env.get("SAGEMAKER_BIND_TO_PORT", "8080")),
            # EPHENV_MODEL_DIR lets local previews and tests point at dist/ without a container.
            model_dir=Path(env.get("EPHENV_MODEL_DIR") or env.get("SM_MODEL_DIR") or SAGEMAKER_MODEL_DIR),
            workers=int(env.get("SAGEMAKER_MODEL_SERVER_WORKERS", "1")),
            timeout_keep_alive=int(env.get("EPHENV_KEEP_ALIVE_SECONDS", "75")),
        )
