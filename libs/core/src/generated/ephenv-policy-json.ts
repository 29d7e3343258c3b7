/* Generated from libs/core/ephenv.policy.schema.json by libs/core/scripts/generate-types.ts: do not edit, run "npm run generate:types". */

/**
 * What any preview of this workspace may cost and how long it may live. Lives at the workspace root, outside the model folders; CI reads it from the base branch, and bootstrap turns it into IAM conditions, so a pull request cannot raise it.
 */
export interface EphenvPolicyJson {
  $schema?: string;
  /**
   * SageMaker instance types a realtime preview may use.
   *
   * @minItems 1
   */
  allowedInstanceTypes?: string[];
  /**
   * Most instances a realtime preview may run.
   */
  maxInstanceCount?: number;
  /**
   * Most memory a serverless preview may ask for.
   */
  maxServerlessMemorySizeMb?: 1024 | 2048 | 3072 | 4096 | 5120 | 6144;
  /**
   * Most concurrent invocations a serverless preview may ask for.
   */
  maxServerlessConcurrency?: number;
  /**
   * Longest a preview may live, counted from AWS's own creation time; the reaper removes anything older whatever its ExpiresAt tag says.
   */
  maxTtlHours?: number;
}

/**
 * What any preview of this workspace may cost and how long it may live. Lives at the workspace root, outside the model folders; CI reads it from the base branch, and bootstrap turns it into IAM conditions, so a pull request cannot raise it.
 */
export interface EphenvPolicyJsonWithDefaults {
  $schema?: string;
  /**
   * SageMaker instance types a realtime preview may use.
   *
   * @minItems 1
   */
  allowedInstanceTypes: string[];
  /**
   * Most instances a realtime preview may run.
   */
  maxInstanceCount: number;
  /**
   * Most memory a serverless preview may ask for.
   */
  maxServerlessMemorySizeMb: 1024 | 2048 | 3072 | 4096 | 5120 | 6144;
  /**
   * Most concurrent invocations a serverless preview may ask for.
   */
  maxServerlessConcurrency: number;
  /**
   * Longest a preview may live, counted from AWS's own creation time; the reaper removes anything older whatever its ExpiresAt tag says.
   */
  maxTtlHours: number;
}
