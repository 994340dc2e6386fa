/**
 * The police subgraph: incident reports involving foreigners and self-report certificates
 * (SKLD), hung under immigration's `Foreigner` by `id`.
 */
import { officialRegions } from '../../../common/regions.js';
import { accessLogResolvers } from '../../../common/audit/resolvers.js';
import { adoptPlainModel } from '../../../common/db/migrations.js';
import { scalarResolvers } from '../../../common/scalars.js';
import { mergeResolvers } from '../../../common/server/resolvers.js';
import { subgraphTypeDefs } from '../../../common/server/sdl.js';
import type { SubgraphModule } from '../../../common/server/subgraph-server.js';
import type { PoliceContext } from './context.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { policeData } from './data.js';
import { createLoaders } from './loaders.js';
import { incidentModels } from './models/incident.js';
import { selfReportModels } from './models/self-report.js';
import { foreignerResolvers } from './resolvers/foreigner.js';
import { incidentResolvers } from './resolvers/incident.js';
import { rootResolvers } from './resolvers/root.js';
import { meetingBriefResolvers } from './resolvers/meeting-brief.js';
import { subjectAccessResolvers } from './resolvers/subject-access.js';
import { IncidentService } from './services/incident-service.js';
import { SelfReportService } from './services/self-report-service.js';

export const typeDefs = subgraphTypeDefs('police');

export const policeSubgraph: SubgraphModule<PoliceContext> = {
  name: 'police',
  typeDefs,
  resolvers: mergeResolvers<Resolvers, PoliceContext>(
    scalarResolvers,
    accessLogResolvers('police'),
    rootResolvers,
    foreignerResolvers,
    incidentResolvers,
    subjectAccessResolvers,
    meetingBriefResolvers,
  ),
  async open(db, log) {
    const models = { ...incidentModels(db.connection), ...selfReportModels(db.connection) };
    await Promise.all(Object.values(models).map((model) => model.init()));
    const adopted = await adoptPlainModel(db.connection, Object.values(models));
    if (adopted.ran) log.info(adopted.result, 'retired the record index; indexes as the models declare');
    const regions = await officialRegions();
    const data = policeData(models);
    const incidents = new IncidentService(data, regions);
    const selfReports = new SelfReportService(data, regions);
    return {
      models,
      createContext: (request) => ({
        ...request,
        loaders: createLoaders(data, request.caller),
        incidents,
        selfReports,
      }),
    };
  },
};
