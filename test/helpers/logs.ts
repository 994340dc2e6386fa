/**
 * Reading what services log: a pino destination that keeps every JSON line, for tests that
 * check log fields (request ids, operation names) and that nothing personal is logged.
 */
import type { LogDestination } from '../../common/logger.js';

export type LogLine = Record<string, unknown> & { service: string; msg: string };

/** A pino destination keeping every line, raw and parsed. */
export class LogCapture implements LogDestination {
  readonly raw: string[] = [];

  write(line: string): void {
    this.raw.push(line);
  }

  get lines(): LogLine[] {
    return this.raw.map((l) => JSON.parse(l) as LogLine);
  }

  /** Lines matching every given field. */
  find(fields: Record<string, unknown>): LogLine[] {
    return this.lines.filter((line) => Object.entries(fields).every(([k, v]) => line[k] === v));
  }

  /** Everything logged, as one string to search for values that must not be there. */
  get text(): string {
    return this.raw.join('');
  }
}
