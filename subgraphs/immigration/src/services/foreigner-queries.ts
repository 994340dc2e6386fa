/**
 * Reads of foreigners: a page of foreigners matching a filter within the caller's jurisdiction,
 * and the single foreigner a write or a subject-access report is about.
 */
import { requireJurisdiction } from '../../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { ForbiddenError, InputError } from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import { keysetPage, type PageArgs } from '../../../../common/pagination.js';
import type { RegionDirectory } from '../../../../common/regions.js';
import type { ForeignerDoc } from '../models/foreigner.js';
import type { ImmigrationData } from '../data.js';
import {
  foreignerQueryFilter,
  domicileZones,
  parseForeignerFilter,
  provinceCodesOf,
  type ForeignerFilterInput,
} from './foreigner-filters.js';
import { tallyCount } from './foreigner-tallies.js';

/** Reads of foreigners themselves: a page of them, and the one a write or report is about. */
export class ForeignerQueries {
  private readonly provinceCodes: readonly string[];

  constructor(
    private readonly data: Pick<ImmigrationData, 'foreigners' | 'nameTrigrams' | 'tallies'>,
    regions: RegionDirectory,
  ) {
    this.provinceCodes = provinceCodesOf(regions);
  }

  /**
   * A page of foreigners in `_id` order (keyset: after the cursor's id), and their count. A
   * region filter and the jurisdiction are equalities or `$in` on ancestry fields, each served
   * by a `{ field: 1, _id: 1 }` index. The count is read from the statistics' counters when the
   * filter is exactly their shape ({@link talliedCount}), else counted from the foreigners.
   */
  async list(filter: ForeignerFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const foreigners = this.data.foreigners.for(caller);
    const query = foreigners.where(
      foreignerQueryFilter(filter, domicileZones(this.provinceCodes, caller), this.data.nameTrigrams.ready),
    );
    // a name search narrowed by trigrams is counted by countDocuments too: on the embedded
    // FerretDB its `$match` + `$group` reads the rows the trigrams' multikey table gives, each
    // reduced to the filter's fields, the array of trigrams included (patches 0008, 0017, 0019)
    return keysetPage(
      foreigners,
      query,
      page,
      async () => (await this.talliedCount(filter, caller)) ?? foreigners.countDocuments(query).exec(),
    );
  }

  /**
   * `foreigners(filter) { totalCount }` summed from the counters (services/foreigner-tallies.ts)
   * instead of counted over every foreigner it matches: a countDocuments whose "permit in force"
   * condition is a date the engine cannot search, so it read every ITAS/ITAP holder of a regency
   * for the registration gaps' count (289 ms at 50,000 WNA). The same number: the cells a
   * `tallyCount` names, within the caller's jurisdiction, after the filter's zones are settled
   * through today. Null — count the foreigners — when the filter is finer than the cells, before
   * every foreigner is counted (the tallies' migration), or when a zone's cells cannot be
   * trusted today (`settleDays`).
   */
  private async talliedCount(filter: ForeignerFilterInput | null | undefined, caller: Caller): Promise<number | null> {
    if (!this.data.tallies.ready) return null;
    const f = parseForeignerFilter(filter);
    const shape = tallyCount(f, caller.jurisdiction);
    if (!shape) return null;
    const zones = domicileZones(this.provinceCodes, caller, f.regionCode).keys();
    const rows = await this.data.tallies.sum<{ count: number }>(caller, { ...shape, key: {} }, zones);
    return rows && (rows[0]?.count ?? 0);
  }

  /** The foreigner of a subject-access report: it must exist and live in the caller's jurisdiction. */
  subjectOf(id: string, caller: Caller): Promise<ForeignerDoc> {
    return this.requireForeigner(id, caller, 'foreignerId');
  }

  /** The foreigner a write or report is about: it must exist and live in the caller's jurisdiction. */
  async requireForeigner(id: string, caller: Caller, field = 'input.foreignerId'): Promise<ForeignerDoc> {
    const foreigner = await this.data.foreigners.unscoped('named-target').findById(id).lean<ForeignerDoc>().exec();
    if (!foreigner) throw new InputError(field, message('input.unknownForeigner', { id }));
    try {
      requireJurisdiction(caller, foreigner.domicileRegionCode, field);
    } catch {
      throw new ForbiddenError(message('forbidden.foreignerOutsideJurisdiction', { field, agency: caller.agency }), {
        field,
      });
    }
    return foreigner;
  }
}
