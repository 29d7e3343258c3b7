import { describe, expect, it } from 'vitest';
import { containerProblems } from './check-container';

const file = (path: string, text: string) => ({ path, content: Buffer.from(text), executable: false });
const SERVER = 'import os\nPORT = int(os.environ.get("SAGEMAKER_BIND_TO_PORT", "8080"))\nDIR = os.environ["EPHENV_MODEL_DIR"]\n@app.get("/ping")\n@app.post(\'/invocations\')\n';
const BASE = 'FROM python:3.11-slim\nCOPY --from=model . /opt/ml/model/\n';
const complete = (dockerfile: string) => [file('Dockerfile', dockerfile), file('src/serve', '#!/usr/bin/env python3\nfrom app.server import main\n'), file('src/app/server.py', SERVER)];

describe('containerProblems: what SageMaker and the preview need from a Yeoman output', () => {
  it('accepts ENTRYPOINT ["serve"] (exec or shell form, or a path to serve) with EXPOSE 8080 and the model baked in', () => {
    expect(containerProblems(complete(`${BASE}EXPOSE 8080\nENTRYPOINT ["serve"]\n`))).toEqual([]);
    expect(containerProblems(complete(`${BASE}EXPOSE 8080/tcp\nENTRYPOINT /opt/program/serve\n`))).toEqual([]);
    // Without an ENTRYPOINT, `docker run <image> serve` runs serve from PATH; a CMD of serve says so.
    expect(containerProblems(complete(`${BASE}EXPOSE 8080\nCMD ["serve"]\n`))).toEqual([]);
  });

  it('names a wrong entrypoint and port, from the last stage a multi-stage build runs', () => {
    const dockerfile = `FROM python:3.11 AS build\nCOPY --from=model . /opt/ml/model/\nENTRYPOINT ["serve"]\nEXPOSE 8080\nFROM python:3.11-slim\nCOPY --from=build /opt/ml/model /opt/ml/model\nEXPOSE 80\nENTRYPOINT ["python", "app.py"]\n`;
    expect(containerProblems(complete(dockerfile))).toEqual([
      'Dockerfile: ENTRYPOINT runs ["python","app.py"], not serve: SageMaker starts the container as `docker run <image> serve`; use ENTRYPOINT ["serve"]',
      'Dockerfile: no EXPOSE 8080 (exposes 80): SageMaker sends /ping and /invocations to port 8080',
      'Dockerfile: no COPY --from=model . /opt/ml/model/: the preview builds the image with the trained model as the build context `model`',
    ]);
    expect(containerProblems(complete(`${BASE}EXPOSE 8080\n`))).toEqual(['Dockerfile: no ENTRYPOINT ["serve"]: SageMaker starts the container as `docker run <image> serve`']);
  });

  it('names every missing piece of the serving code and a missing Dockerfile', () => {
    expect(containerProblems([file('src/server.py', 'print("hello")\n'), file('README.md', '"/ping" "/invocations" SAGEMAKER_BIND_TO_PORT EPHENV_MODEL_DIR')])).toEqual([
      'Dockerfile: missing: the container image SageMaker runs',
      'src/serve: missing: the `serve` entrypoint SageMaker runs and the local preview starts (python src/serve serve)',
      "GET /ping: no such route in the serving code (src/serve, src/**/*.py): SageMaker and the preview's health check call it",
      'POST /invocations: no such route in the serving code (src/serve, src/**/*.py): every prediction goes there',
      'port 8080: the serving code (src/serve, src/**/*.py) neither reads SAGEMAKER_BIND_TO_PORT nor uses 8080',
      "EPHENV_MODEL_DIR: the serving code (src/serve, src/**/*.py) does not read it: the local preview passes the trained model's folder there (SageMaker's is /opt/ml/model)",
    ]);
  });
});
