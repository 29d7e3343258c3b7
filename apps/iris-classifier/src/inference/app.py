"""The FastAPI app: /ping reports readiness, /invocations predicts."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from typing import Annotated, AsyncIterator, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from .model import Model, load_model
from .settings import Settings

log = logging.getLogger("inference")

Measurement = Annotated[float, Field(ge=0, le=100)]


class Instance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sepal_length: Measurement
    sepal_width: Measurement
    petal_length: Measurement
    petal_width: Measurement


class InvocationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    instances: Annotated[list[Instance], Field(min_length=1, max_length=1000)]


class Prediction(BaseModel):
    label: Literal["setosa", "versicolor", "virginica"]
    class_id: int
    probabilities: dict[str, float]


class InvocationResponse(BaseModel):
    predictions: list[Prediction]


class ModelHolder:
    """Loads the model in the background so /ping can say "loading" instead of refusing connections."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model: Model | None = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._load, name="model-loader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _load(self) -> None:
        try:
            self.model = load_model(self.settings.model_dir)
            log.info("model loaded from %s", self.settings.model_dir)
        except Exception as exc:  # reported by /ping and /invocations
            self.error = f"{type(exc).__name__}: {exc}"
            log.error("model failed to load: %s", self.error)


def create_app(settings: Settings | None = None) -> FastAPI:
    holder = ModelHolder(settings or Settings.from_env())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        holder.start()
        yield

    app = FastAPI(title="iris-classifier", lifespan=lifespan)
    app.state.holder = holder

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()[:20]]
        return JSONResponse({"error": "the request does not match the input schema", "details": details}, status_code=400)

    @app.get("/ping")
    def ping() -> JSONResponse:
        if holder.model is not None:
            return JSONResponse({"status": "ok"})
        if holder.error is not None:
            return JSONResponse({"status": "failed", "error": holder.error}, status_code=500)
        return JSONResponse({"status": "loading"}, status_code=503)

    @app.post("/invocations", response_model=InvocationResponse)
    def invocations(body: InvocationRequest) -> InvocationResponse | JSONResponse:
        if holder.model is None:
            return JSONResponse({"error": holder.error or "the model is still loading"}, status_code=503)
        rows = [instance.model_dump() for instance in body.instances]
        return InvocationResponse.model_validate({"predictions": holder.model.predict(rows)})

    return app
