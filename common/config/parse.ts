/**
 * Configuration of every hub process, parsed and validated once from the environment.
 * The modules of this folder are the only code that reads `process.env`; everything else
 * receives typed config. Every problem is listed at once, so an operator fixes a bad deployment
 * in one pass: this module holds that machinery, which the other modules of the folder share.
 */
import type { z } from 'zod';

/** Raised when the environment does not describe a runnable service; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The environment a configuration is read from: `process.env`, or a test's own variables. */
export type Env = Record<string, string | undefined>;

/** Gathers the problems of several independent parse steps, so all are reported together. */
export class ProblemList {
  private readonly problems: string[] = [];

  collect<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.problems.push(...e.problems);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** `env` checked against `schema`: its data, or a ConfigError naming each variable in error with the value it had. */
export function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(environment)';
      const value = typeof issue.path[0] === 'string' ? env[issue.path[0]] : undefined;
      return `${key}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
    }),
  );
}
