/**
 * Checks a resolver or service makes against the caller before it acts.
 */
import { ForbiddenError } from '../errors.js';
import type { Caller } from './tokens.js';
import type { Scope } from './policy.js';

export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) {
    throw new ForbiddenError(`This needs the scope ${scope}, which agency ${caller.agency} does not hold`);
  }
}
