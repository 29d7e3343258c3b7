"""iris-classifier inference server: the SageMaker container contract (GET /ping, POST /invocations)."""
