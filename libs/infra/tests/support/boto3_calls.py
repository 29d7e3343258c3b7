"""Runs a batch of boto3 calls and prints their results as JSON: the tests' independent AWS client.

stdin: [{"service": "lambda", "operation": "get_function", "params": {...}}, ...]
stdout: [{"result": {...}} | {"error": "<AWS error code>", "message": "..."}, ...]
Endpoint, region and credentials come from the environment (AWS_ENDPOINT_URL etc.).
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError


def call(session, request):
    client = session.client(request["service"])
    try:
        result = getattr(client, request["operation"])(**request.get("params", {}))
    except ClientError as error:
        return {"error": error.response["Error"]["Code"], "message": error.response["Error"].get("Message", "")}
    result.pop("ResponseMetadata", None)
    return {"result": result}


def main():
    session = boto3.session.Session()
    requests = json.load(sys.stdin)
    json.dump([call(session, request) for request in requests], sys.stdout, default=str)


if __name__ == "__main__":
    main()
