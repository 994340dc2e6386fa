/**
 * Runs one service as its own process: parse configuration (exit with every problem listed
 * when it is wrong), start, and stop cleanly on SIGTERM or SIGINT.
 */
import { ConfigError } from '../config.js';
import type { RunningService } from './http-service.js';

export async function runService(name: string, start: () => Promise<RunningService>): Promise<void> {
  let service: RunningService;
  try {
    service = await start();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${name}: ${e.message}\n`);
    } else {
      process.stderr.write(`${name} failed to start: ${(e as Error).message}\n`);
    }
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    process.stderr.write(`${name}: ${signal} received, draining requests…\n`);
    service.stop().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`${name}: stop failed: ${e.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
