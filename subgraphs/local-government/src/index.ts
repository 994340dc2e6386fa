/**
 * The local-government subgraph: owner of the Kemendagri region tree (`Region`), and of what
 * local government (Dukcapil, Disnaker, camat, Kesbangpol) records about foreigners —
 * residence certificates (SKTT), employment and community reports.
 */
import { accessLogResolvers } from '../../../common/audit/resolvers.js';
import { scalarResolvers } from '../../../common/scalars.js';
import { adoptPlainModel } from '../../../common/db/migrations.js';
import { mergeResolvers } from '../../../common/server/resolvers.js';
import { subgraphTypeDefs } from '../../../common/server/sdl.js';
import type { SubgraphModule } from '../../../common/server/subgraph-server.js';
import type { LocalGovernmentContext } from './context.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { localGovernmentData } from './data.js';
import { createLoaders } from './loaders.js';
import { communityReportModels } from './models/community-report.js';
import { foreignerModels } from './models/foreigner.js';
import { regionModels } from './models/region.js';
import { communityReportResolvers } from './resolvers/community-report.js';
import { foreignerResolvers } from './resolvers/foreigner.js';
import { regionResolvers } from './resolvers/region.js';
import { rootResolvers } from './resolvers/root.js';
import { meetingBriefResolvers } from './resolvers/meeting-brief.js';
import { subjectAccessResolvers } from './resolvers/subject-access.js';
import { CommunityReportService } from './services/community-report-service.js';
import { ForeignerService } from './services/foreigner-service.js';
import { RegionService, openRegionTree } from './services/region-service.js';

export const typeDefs = subgraphTypeDefs('local-government');

export const localGovernmentSubgraph: SubgraphModule<LocalGovernmentContext> = {
  name: 'local-government',
  typeDefs,
  resolvers: mergeResolvers<Resolvers, LocalGovernmentContext>(
    scalarResolvers,
    accessLogResolvers('localGovernment'),
    rootResolvers,
    regionResolvers,
    foreignerResolvers,
    communityReportResolvers,
    subjectAccessResolvers,
    meetingBriefResolvers,
  ),
  async open(db, log, { config }) {
    const models = {
      ...regionModels(db.connection),
      ...foreignerModels(db.connection),
      ...communityReportModels(db.connection),
    };
    await Promise.all(Object.values(models).map((model) => model.init()));
    const adopted = await adoptPlainModel(db.connection, Object.values(models));
    if (adopted.ran) log.info(adopted.result, 'retired the record index; indexes as the models declare');
    // the official tree, loaded into the database on first start and served from memory
    const regions = new RegionService(await openRegionTree(models, log));
    const data = localGovernmentData(models);
    const foreigners = new ForeignerService(data, regions.directory);
    const communityReports = new CommunityReportService(data, regions.directory, config.statsMinCell);
    return {
      models,
      createContext: (request) => ({
        ...request,
        loaders: createLoaders(data, regions, request.caller),
        regions,
        foreigners,
        communityReports,
      }),
    };
  },
};
