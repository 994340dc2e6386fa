/**
 * The immigration subgraph: owner of foreigners' identity, stay permits, border crossings,
 * cekal entries, TAK, and TIMPORA's member institutions, meetings and joint operations.
 */
import { adoptPlainModel, runMigrationInBackground } from '../../../common/db/migrations.js';
import { officialRegions } from '../../../common/regions.js';
import { accessLogResolvers } from '../../../common/audit/resolvers.js';
import { scalarResolvers } from '../../../common/scalars.js';
import { mergeResolvers } from '../../../common/server/resolvers.js';
import { subgraphTypeDefs } from '../../../common/server/sdl.js';
import type { SubgraphModule } from '../../../common/server/subgraph-server.js';
import type { ImmigrationContext } from './context.js';
import { immigrationData } from './data.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { createLoaders } from './loaders.js';
import { coordinationModels } from './models/coordination.js';
import { LAST_CROSSING_MIGRATION, NAME_TRIGRAMS_MIGRATION, foreignerModels } from './models/foreigner.js';
import { TALLIES_MIGRATION, TALLY_ROLLUPS_MIGRATION, tallyModels } from './models/foreigner-tally.js';
import { coordinationResolvers } from './resolvers/coordination.js';
import { foreignerResolvers } from './resolvers/foreigner.js';
import { rootResolvers } from './resolvers/root.js';
import { meetingBriefResolvers } from './resolvers/meeting-brief.js';
import { subjectAccessResolvers } from './resolvers/subject-access.js';
import { CoordinationService } from './services/coordination-service.js';
import { backfillCrossingSummaries, backfillNameTrigrams } from './services/foreigner-migrations.js';
import { ForeignerQueries } from './services/foreigner-queries.js';
import { ForeignerStatistics } from './services/foreigner-statistics.js';
import { ForeignerWrites } from './services/foreigner-writes.js';
import { PermitCheckLimits, permitChecksPerOperationRule } from './services/permit-check-limits.js';
import { PermitCheckService } from './services/permit-check-service.js';

export const typeDefs = subgraphTypeDefs('immigration');

export const immigrationSubgraph: SubgraphModule<ImmigrationContext> = {
  name: 'immigration',
  typeDefs,
  resolvers: mergeResolvers<Resolvers, ImmigrationContext>(
    scalarResolvers,
    accessLogResolvers('immigration'),
    rootResolvers,
    foreignerResolvers,
    coordinationResolvers,
    subjectAccessResolvers,
    meetingBriefResolvers,
  ),
  async open(db, log, { config, redis }) {
    const permitCheckConfig = config.permitChecks;
    if (!permitCheckConfig) throw new Error('the immigration subgraph needs its permit-check configuration');
    const tallies = tallyModels(db.connection);
    const models = { ...foreignerModels(db.connection), ...coordinationModels(db.connection), ...tallies };
    await Promise.all(Object.values(models).map((model) => model.init()));
    const adopted = await adoptPlainModel(db.connection, Object.values(models));
    if (adopted.ran) log.info(adopted.result, 'retired the record and region indexes; indexes as the models declare');
    const regions = await officialRegions();
    const data = immigrationData(models, tallies);
    // the days the counters are settled through exist before any write stamps a foreigner
    await data.tallies.startDays();
    const foreigners = new ForeignerQueries(data, regions);
    const foreignerStatistics = new ForeignerStatistics(data, regions, config.statsMinCell);
    const foreignerWrites = new ForeignerWrites(data, regions, foreigners, foreignerStatistics);
    // Foreigners written before they carried their latest crossing get it once, in the
    // background: on FerretDB each write takes tens of milliseconds, and serving must not wait.
    // Until then `Foreigner.overstay` reads their crossings instead (see the resolver).
    runMigrationInBackground(db.connection, LAST_CROSSING_MIGRATION, () => backfillCrossingSummaries(data), log, {
      done: 'stored the latest border crossing on earlier foreigners',
      stopped: 'storing the latest border crossing on earlier foreigners stopped; resumes at the next start',
    });
    // Foreigners written before they carried their name's trigrams get them once, in the
    // background; until it is done (here, or found done at start) name search is the regex alone.
    runMigrationInBackground(
      db.connection,
      NAME_TRIGRAMS_MIGRATION,
      () => backfillNameTrigrams(data),
      log,
      {
        done: "stored the name's trigrams on earlier foreigners",
        stopped:
          "storing the name's trigrams on earlier foreigners stopped; name search reads every name until it resumes at the next start",
      },
      () => {
        data.nameTrigrams.ready = true;
      },
    );
    // Foreigners written before the statistics' counters existed are counted once, in the
    // background, then a database counted before the roll-up cells gets them; until both are done
    // (here, or found done at start) the statistics and list counts read every foreigner.
    runMigrationInBackground(
      db.connection,
      TALLIES_MIGRATION,
      () => data.tallies.stampAll(),
      log,
      {
        done: 'counted earlier foreigners in the statistics counters',
        stopped:
          'counting earlier foreigners in the statistics counters stopped; statistics read every foreigner until it resumes at the next start',
      },
      () =>
        runMigrationInBackground(
          db.connection,
          TALLY_ROLLUPS_MIGRATION,
          () => data.tallies.addRollups(),
          log,
          {
            done: 'added the roll-up cells of every nationality to the statistics counters',
            stopped:
              'adding the roll-up cells to the statistics counters stopped; statistics read every foreigner until it resumes at the next start',
          },
          () => {
            data.tallies.ready = true;
          },
        ),
    );
    // each zone's expiries are settled just after its midnight, not by the day's first read
    const stopMidnightSettles = data.tallies.settleEachMidnight((err, zone) =>
      log.warn(
        { err, zone: zone.abbreviation },
        'settling the counters after midnight failed; the first read settles them',
      ),
    );
    const coordination = new CoordinationService(models, regions);
    // the counters live in the Redis the subgraph server opened for REDIS_URL (shared with the signature replay cache)
    const permitChecks = new PermitCheckService(data, new PermitCheckLimits(permitCheckConfig, redis, log));
    return {
      models,
      close: stopMidnightSettles,
      validationRules: [permitChecksPerOperationRule(permitCheckConfig.perOperation)],
      createContext: (request) => ({
        ...request,
        loaders: createLoaders(data, models, request.caller),
        foreigners,
        foreignerStatistics,
        foreignerWrites,
        coordination,
        permitChecks,
      }),
    };
  },
};
