/**
 * Where a library's lines go. Libraries take one and never pick a stream themselves: executors
 * pass one backed by Nx's devkit logger, the ephenv CLI `stdioLogger`, tests `linesTo(collect)`.
 */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** info on stdout, warnings and errors on stderr: the CLI's logger. */
export const stdioLogger: Logger = {
  info: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};

/** Every line, whatever its level, to one function (a test collecting output, a prefixing writer). */
export const linesTo = (write: (line: string) => void): Logger => ({ info: write, warn: write, error: write });
