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
  provinceCodesOf,
  type ForeignerFilterInput,
} from './foreigner-filters.js';

/** Reads of foreigners themselves: a page of them, and the one a write or report is about. */
export class ForeignerQueries {
  private readonly provinceCodes: readonly string[];

  constructor(
    private readonly data: Pick<ImmigrationData, 'foreigners' | 'nameTrigrams'>,
    regions: RegionDirectory,
  ) {
    this.provinceCodes = provinceCodesOf(regions);
  }

  /**
   * A page of foreigners in `_id` order (keyset: after the cursor's id), and their count. A
   * region filter and the jurisdiction are equalities or `$in` on ancestry fields, each served
   * by a `{ field: 1, _id: 1 }` index.
   */
  async list(filter: ForeignerFilterInput | null | undefined, page: PageArgs, caller: Caller) {
    const foreigners = this.data.foreigners.for(caller);
    const query = foreigners.where(
      foreignerQueryFilter(filter, domicileZones(this.provinceCodes, caller), this.data.nameTrigrams.ready),
    );
    // a name search narrowed by trigrams is counted by countDocuments too: on the embedded
    // FerretDB its `$match` + `$group` reads the rows the trigrams' multikey table gives, each
    // reduced to the filter's fields, the array of trigrams included (patches 0008, 0017, 0019)
    return keysetPage(foreigners, query, page);
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
