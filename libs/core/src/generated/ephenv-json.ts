/* Generated from libs/core/ephenv.schema.json by libs/core/scripts/generate-types.ts: do not edit, run "npm run generate:types". */

/**
 * The single source of truth for one model service: how it is served, checked and load-tested in a preview.
 */
export interface EphenvJson {
  $schema?: string;
  /**
   * The model service name, used in every AWS resource name (<name>-pr-<number>). Kebab-case, starts with a letter, at most 40 characters.
   */
  name: string;
  /**
   * The ML framework the server template was generated for.
   */
  framework: "sklearn" | "lightgbm" | "pytorch" | "onnx";
  /**
   * How the preview's SageMaker endpoint is provisioned.
   */
  endpoint: {
    /**
     * serverless: no idle cost, 4 MB payload limit. realtime: dedicated instances, 6 MB payload limit.
     */
    type: "serverless" | "realtime";
    /**
     * Instance type of a realtime preview.
     */
    instanceType?: string;
    /**
     * Instance count of a realtime preview.
     */
    instanceCount?: number;
    /**
     * The instance type production runs on; reported for cost comparison.
     */
    productionInstanceType?: string;
    /**
     * Memory of a serverless preview (1024-6144, in steps of 1024).
     */
    memorySizeMb?: 1024 | 2048 | 3072 | 4096 | 5120 | 6144;
    /**
     * Maximum concurrent invocations of a serverless preview.
     */
    maxConcurrency?: number;
    /**
     * How long the gateway waits for the model before answering 504.
     */
    timeoutSeconds?: number;
    /**
     * Most instances one request may carry. The model generator writes it as the input schema's instances maxItems and the model server's limit; the gateway refuses any array longer than its schema's maxItems before parsing or validating it, and caps at this size every array the input schema leaves without maxItems.
     */
    maxBatchSize?: number;
  };
  /**
   * Lifetime of a preview.
   */
  preview?: {
    /**
     * Hours after which the reaper may remove a preview whose PR is still open.
     */
    ttlHours?: number;
  };
  /**
   * Paths, relative to the project, of the request/response contract.
   */
  schemas: {
    /**
     * JSON Schema of a POST /invocations body.
     */
    input: string;
    /**
     * JSON Schema of the model's answer.
     */
    output: string;
    /**
     * Folder of example files, each {"request": ..., "response": ...}.
     */
    examples: string;
  };
  validate?: {
    /**
     * Absolute tolerance when comparing numbers of a live answer with an example's expected response.
     */
    tolerance?: number;
  };
  /**
   * The model's evaluation: the PR's preview against the base ref's model on a labelled data set (nx run <model>:evaluate).
   */
  evaluate?: {
    /**
     * The evaluation set.
     */
    data: {
      /**
       * The data file: JSON Lines of {"request": <one instance>, "expected": <label or value>}, or CSV (.csv) with a header row.
       */
      file: string;
      /**
       * project: the path is relative to the project folder; model: relative to the trained model artifact (dist/<projectRoot>/model), for a held-out split written by train.py.
       */
      from?: "project" | "model";
      /**
       * Default: from the file's extension (.csv is CSV, anything else JSON Lines).
       */
      format?: "jsonl" | "csv";
      /**
       * CSV only: request field -> CSV column, e.g. {"sepal_length": "SepalLengthCm"}. Values are parsed as numbers when they are numbers. Default: every column but the label, under its own name.
       */
      features?: {
        [k: string]: string;
      };
      /**
       * CSV only: the column holding the expected label or value.
       */
      label?: string;
      /**
       * A batch request is {<instancesKey>: [instance, ...]}.
       */
      instancesKey?: string;
    };
    task: "classification" | "regression";
    /**
     * Where the answer is: {<predictionsKey>: [prediction, ...]} in request order.
     */
    response?: {
      predictionsKey?: string;
      /**
       * classification: the predicted class in an object prediction (a bare string or number is the class itself).
       */
      labelKey?: string;
      /**
       * classification: {class: probability} in an object prediction; log_loss is computed when present.
       */
      probabilitiesKey?: string;
      /**
       * regression: the predicted number in an object prediction (a bare number is the value itself).
       */
      valueKey?: string;
    };
    /**
     * Default: classification accuracy, balanced_accuracy, precision_macro, recall_macro, f1_macro, log_loss; regression mae, rmse, r2, max_error.
     *
     * @minItems 1
     */
    metrics?: (
      | "accuracy"
      | "balanced_accuracy"
      | "precision_macro"
      | "recall_macro"
      | "f1_macro"
      | "log_loss"
      | "mae"
      | "rmse"
      | "r2"
      | "max_error"
    )[];
    /**
     * Instances per request.
     */
    batchSize?: number;
    /**
     * Requests in flight at once, per model.
     */
    concurrency?: number;
    /**
     * regression: a prediction changed when base and PR differ by more than this.
     */
    tolerance?: number;
    /**
     * Per metric, in MLflow's MetricThreshold vocabulary; a metric without one is reported, not judged.
     */
    thresholds?: {
      [k: string]: {
        /**
         * The PR's value must be >= this (greater is better) or <= this (lower is better).
         */
        threshold?: number;
        /**
         * The PR's value must be >= base + this (greater is better) or <= base - this. MLflow's min_absolute_change; a negative number is the largest tolerated regression (-0.02: may drop by at most 0.02).
         */
        minAbsoluteChange?: number;
        /**
         * The PR's value must be >= base * (1 + this) (greater is better) or <= base * (1 - this). MLflow's min_relative_change; negative: the largest tolerated relative regression.
         */
        minRelativeChange?: number;
        /**
         * Direction of the metric. Default: true for accuracy, balanced_accuracy, *_macro and r2; false for log_loss, mae, rmse and max_error.
         */
        greaterIsBetter?: boolean;
      };
    };
  };
  /**
   * The load test, in k6's vocabulary: one scenario and its thresholds.
   */
  load: {
    scenario: {
      executor: "constant-arrival-rate" | "ramping-arrival-rate" | "constant-vus";
      rate?: number;
      startRate?: number;
      timeUnit?: string;
      duration?: string;
      vus?: number;
      preAllocatedVUs?: number;
      maxVUs?: number;
      stages?: {
        duration: string;
        target: number;
        [k: string]: unknown;
      }[];
      gracefulStop?: string;
      [k: string]: unknown;
    };
    thresholds: {
      [k: string]: (
        | string
        | {
            threshold: string;
            abortOnFail?: boolean;
            delayAbortEval?: string;
          }
      )[];
    };
  };
  /**
   * Defaults for the aws provider; the environment (AWS_REGION, EPHENV_STATE_BUCKET, EPHENV_LOCK_TABLE) wins.
   */
  aws?: {
    region?: string;
    stateBucket?: string;
    lockTable?: string;
  };
}

/**
 * The single source of truth for one model service: how it is served, checked and load-tested in a preview.
 */
export interface EphenvJsonWithDefaults {
  $schema?: string;
  /**
   * The model service name, used in every AWS resource name (<name>-pr-<number>). Kebab-case, starts with a letter, at most 40 characters.
   */
  name: string;
  /**
   * The ML framework the server template was generated for.
   */
  framework: "sklearn" | "lightgbm" | "pytorch" | "onnx";
  /**
   * How the preview's SageMaker endpoint is provisioned.
   */
  endpoint: {
    /**
     * serverless: no idle cost, 4 MB payload limit. realtime: dedicated instances, 6 MB payload limit.
     */
    type: "serverless" | "realtime";
    /**
     * Instance type of a realtime preview.
     */
    instanceType: string;
    /**
     * Instance count of a realtime preview.
     */
    instanceCount: number;
    /**
     * The instance type production runs on; reported for cost comparison.
     */
    productionInstanceType: string;
    /**
     * Memory of a serverless preview (1024-6144, in steps of 1024).
     */
    memorySizeMb: 1024 | 2048 | 3072 | 4096 | 5120 | 6144;
    /**
     * Maximum concurrent invocations of a serverless preview.
     */
    maxConcurrency: number;
    /**
     * How long the gateway waits for the model before answering 504.
     */
    timeoutSeconds: number;
    /**
     * Most instances one request may carry. The model generator writes it as the input schema's instances maxItems and the model server's limit; the gateway refuses any array longer than its schema's maxItems before parsing or validating it, and caps at this size every array the input schema leaves without maxItems.
     */
    maxBatchSize: number;
  };
  /**
   * Lifetime of a preview.
   */
  preview: {
    /**
     * Hours after which the reaper may remove a preview whose PR is still open.
     */
    ttlHours: number;
  };
  /**
   * Paths, relative to the project, of the request/response contract.
   */
  schemas: {
    /**
     * JSON Schema of a POST /invocations body.
     */
    input: string;
    /**
     * JSON Schema of the model's answer.
     */
    output: string;
    /**
     * Folder of example files, each {"request": ..., "response": ...}.
     */
    examples: string;
  };
  validate: {
    /**
     * Absolute tolerance when comparing numbers of a live answer with an example's expected response.
     */
    tolerance: number;
  };
  /**
   * The model's evaluation: the PR's preview against the base ref's model on a labelled data set (nx run <model>:evaluate).
   */
  evaluate?: {
    /**
     * The evaluation set.
     */
    data: {
      /**
       * The data file: JSON Lines of {"request": <one instance>, "expected": <label or value>}, or CSV (.csv) with a header row.
       */
      file: string;
      /**
       * project: the path is relative to the project folder; model: relative to the trained model artifact (dist/<projectRoot>/model), for a held-out split written by train.py.
       */
      from: "project" | "model";
      /**
       * Default: from the file's extension (.csv is CSV, anything else JSON Lines).
       */
      format?: "jsonl" | "csv";
      /**
       * CSV only: request field -> CSV column, e.g. {"sepal_length": "SepalLengthCm"}. Values are parsed as numbers when they are numbers. Default: every column but the label, under its own name.
       */
      features?: {
        [k: string]: string;
      };
      /**
       * CSV only: the column holding the expected label or value.
       */
      label: string;
      /**
       * A batch request is {<instancesKey>: [instance, ...]}.
       */
      instancesKey: string;
    };
    task: "classification" | "regression";
    /**
     * Where the answer is: {<predictionsKey>: [prediction, ...]} in request order.
     */
    response: {
      predictionsKey: string;
      /**
       * classification: the predicted class in an object prediction (a bare string or number is the class itself).
       */
      labelKey: string;
      /**
       * classification: {class: probability} in an object prediction; log_loss is computed when present.
       */
      probabilitiesKey: string;
      /**
       * regression: the predicted number in an object prediction (a bare number is the value itself).
       */
      valueKey: string;
    };
    /**
     * Default: classification accuracy, balanced_accuracy, precision_macro, recall_macro, f1_macro, log_loss; regression mae, rmse, r2, max_error.
     *
     * @minItems 1
     */
    metrics?: (
      | "accuracy"
      | "balanced_accuracy"
      | "precision_macro"
      | "recall_macro"
      | "f1_macro"
      | "log_loss"
      | "mae"
      | "rmse"
      | "r2"
      | "max_error"
    )[];
    /**
     * Instances per request.
     */
    batchSize: number;
    /**
     * Requests in flight at once, per model.
     */
    concurrency: number;
    /**
     * regression: a prediction changed when base and PR differ by more than this.
     */
    tolerance: number;
    /**
     * Per metric, in MLflow's MetricThreshold vocabulary; a metric without one is reported, not judged.
     */
    thresholds: {
      [k: string]: {
        /**
         * The PR's value must be >= this (greater is better) or <= this (lower is better).
         */
        threshold?: number;
        /**
         * The PR's value must be >= base + this (greater is better) or <= base - this. MLflow's min_absolute_change; a negative number is the largest tolerated regression (-0.02: may drop by at most 0.02).
         */
        minAbsoluteChange?: number;
        /**
         * The PR's value must be >= base * (1 + this) (greater is better) or <= base * (1 - this). MLflow's min_relative_change; negative: the largest tolerated relative regression.
         */
        minRelativeChange?: number;
        /**
         * Direction of the metric. Default: true for accuracy, balanced_accuracy, *_macro and r2; false for log_loss, mae, rmse and max_error.
         */
        greaterIsBetter?: boolean;
      };
    };
  };
  /**
   * The load test, in k6's vocabulary: one scenario and its thresholds.
   */
  load: {
    scenario: {
      executor: "constant-arrival-rate" | "ramping-arrival-rate" | "constant-vus";
      rate?: number;
      startRate?: number;
      timeUnit?: string;
      duration?: string;
      vus?: number;
      preAllocatedVUs?: number;
      maxVUs?: number;
      stages?: {
        duration: string;
        target: number;
        [k: string]: unknown;
      }[];
      gracefulStop?: string;
      [k: string]: unknown;
    };
    thresholds: {
      [k: string]: (
        | string
        | {
            threshold: string;
            abortOnFail?: boolean;
            delayAbortEval?: string;
          }
      )[];
    };
  };
  /**
   * Defaults for the aws provider; the environment (AWS_REGION, EPHENV_STATE_BUCKET, EPHENV_LOCK_TABLE) wins.
   */
  aws: {
    region?: string;
    stateBucket?: string;
    lockTable?: string;
  };
}
