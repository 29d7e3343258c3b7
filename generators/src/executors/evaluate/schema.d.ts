/** Options of the `evaluate` executor; mirrors schema.json. */
export interface EvaluateExecutorSchema {
  base?: string;
  baselineUrl?: string;
  url?: string;
  top?: number;
}
