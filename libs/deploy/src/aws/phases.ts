/** Runs the steps of a deploy one after another, reporting each with its duration. */
export class Phases {
  readonly timings: Record<string, number> = {};

  constructor(
    private readonly label: string,
    private readonly report: (line: string) => void,
  ) {}

  async run<T>(name: string, step: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const started = performance.now();
    const result = await step();
    const ms = Math.round(performance.now() - started);
    this.timings[name] = ms;
    const note = detail?.(result);
    this.report(`ephenv: ${this.label}: ${name.padEnd(7)} ${seconds(ms).padStart(7)}${note ? `  ${note}` : ''}`);
    return result;
  }
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
