/**
 * Watches every mongoose read of the subgraphs' record collections during a test: which
 * collection, which operation, its filter, and how the data-access layer scoped it
 * (`readScopeOf`, common/db/jurisdiction-scope.ts) — none when a read bypassed the layer.
 * Installed before the hub starts (a global mongoose plugin applies to models compiled after it).
 */
import mongoose from 'mongoose';
import { readScopeOf, type ReadScope } from '../../common/db/jurisdiction-scope.js';

/** Collections whose rows lie in regions: read only within the caller's jurisdiction or by a named reason. */
export const REGIONAL_COLLECTIONS = [
  'foreigners',
  'incidents',
  'self_report_certificates',
  'residences',
  'employments',
  'community_reports',
] as const;

/** A foreigner's records without a region of their own: read through foreigners the caller resolved. */
export const FOREIGNER_RECORD_COLLECTIONS = [
  'stay_permits',
  'border_crossings',
  'watchlist_entries',
  'immigration_actions',
] as const;

export const SCOPED_COLLECTIONS: readonly string[] = [...REGIONAL_COLLECTIONS, ...FOREIGNER_RECORD_COLLECTIONS];

/** The database commands a read sends (a count is an aggregation). */
export const READ_COMMANDS = ['find', 'aggregate', 'count', 'distinct'] as const;

export interface AuditedRead {
  collection: string;
  operation: string;
  filter: unknown;
  scope: ReadScope | undefined;
}

const QUERY_READS = ['find', 'findOne', 'countDocuments', 'estimatedDocumentCount', 'distinct'] as const;

const reads: AuditedRead[] = [];
let installed = false;

function record(collection: string, operation: string, filter: unknown, query: object): void {
  if (SCOPED_COLLECTIONS.includes(collection)) reads.push({ collection, operation, filter, scope: readScopeOf(query) });
}

/** Starts watching (once per test file) and returns the reads seen since the last `reset`. */
export function auditReads(): { reads(): AuditedRead[]; reset(): void } {
  if (!installed) {
    installed = true;
    mongoose.plugin((schema) => {
      for (const operation of QUERY_READS) {
        schema.pre(operation, function () {
          record(this.model.collection.collectionName, operation, this.getFilter(), this);
        });
      }
      schema.pre('aggregate', function () {
        const first = this.pipeline()[0] as { $match?: unknown } | undefined;
        record(this.model().collection.collectionName, 'aggregate', first?.$match, this);
      });
    });
  }
  return { reads: () => [...reads], reset: () => void reads.splice(0) };
}

/** Does `value` hold `part` (deeply equal) anywhere inside it? */
export function containsCondition(value: unknown, part: unknown): boolean {
  if (JSON.stringify(value) === JSON.stringify(part)) return true;
  if (Array.isArray(value)) return value.some((v) => containsCondition(v, part));
  if (value && typeof value === 'object') return Object.values(value).some((v) => containsCondition(v, part));
  return false;
}

/** The reads that did not come through the data-access layer, or whose filter lacks the caller's jurisdiction. */
export function strayReads(audited: readonly AuditedRead[]): AuditedRead[] {
  return audited.filter((read) => {
    if (!read.scope) return true;
    const regional = (REGIONAL_COLLECTIONS as readonly string[]).includes(read.collection);
    switch (read.scope.kind) {
      case 'jurisdiction':
        return !regional || (read.scope.condition !== null && !containsCondition(read.filter, read.scope.condition));
      case 'jurisdiction-predicate':
        return !regional;
      case 'owner':
        return regional;
      case 'unscoped':
        return false;
    }
  });
}
