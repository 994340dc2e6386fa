/**
 * Numbers of police documents (LP report numbers, SKLD numbers) as they are printed: capital
 * letters, digits, single spaces and `.`, `/` or `-`, e.g. `LP/B/123/IX/2024/SPKT/POLRES OKU`.
 */
import { z } from 'zod';

export const documentNumber = z
  .string()
  .trim()
  .regex(
    /^[A-Z0-9](?:[A-Z0-9./-]| (?! ))*[A-Z0-9]$/,
    'must be capital letters, digits, single spaces, ".", "/" or "-", starting and ending with a letter or digit',
  )
  .min(4, 'must be at least 4 characters')
  .max(100, 'must be at most 100 characters');
