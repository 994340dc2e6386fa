/**
 * The local government's section of the subject-access report: the foreigner's SKTT and address,
 * jobs and the community reports about them, in the caller's jurisdiction (the reporter is not
 * shown: a report names its reporter, who is not the subject) (common/audit/subject-access.ts).
 */
import {
  subjectAccessResolvers as sectionResolvers,
  words,
  type HeldRecord,
} from '../../../../common/audit/subject-access.js';
import type { LocalGovernmentContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';

async function held(foreignerId: string, ctx: LocalGovernmentContext): Promise<HeldRecord[]> {
  const [residences, jobs, reports] = await Promise.all([
    ctx.loaders.residencesByForeigner.load(foreignerId),
    ctx.loaders.employmentByForeigner.load(foreignerId),
    ctx.loaders.communityReportsByForeigner.load(foreignerId),
  ]);
  return [
    ...residences.map((r): HeldRecord => ({
      kind: 'RESIDENCE',
      typeName: 'Residence',
      scope: 'residence:read',
      row: r,
      fields: [
        [['Nomor SKTT', 'SKTT number'], r.number],
        [['Alamat', 'Address'], r.address],
        [['Wilayah', 'Region'], { regionCode: r.regionCode }],
        [['Didaftarkan', 'Registered on'], r.registeredAt],
        [['Berlaku sampai', 'Valid until'], r.validUntil],
      ],
    })),
    ...jobs.map((j): HeldRecord => ({
      kind: 'EMPLOYMENT',
      typeName: 'Employment',
      scope: 'employment:read',
      row: j,
      fields: [
        [['Pemberi kerja', 'Employer'], j.employer],
        [['Sektor', 'Sector'], words(j.employerSector)],
        [['Jabatan', 'Position'], j.position],
        [['Nomor izin kerja', 'Work permit number'], j.workPermitNumber],
        [['Wilayah', 'Region'], { regionCode: j.regionCode }],
        [['Mulai', 'Started on'], j.startedOn],
        [['Berakhir', 'Ended on'], j.endedOn],
      ],
    })),
    ...reports.map((c): HeldRecord => ({
      kind: 'COMMUNITY_REPORT',
      typeName: 'CommunityReport',
      scope: 'community:read',
      row: c,
      fields: [
        [['Kategori', 'Category'], words(c.category)],
        [['Dilaporkan', 'Reported on'], c.reportedAt],
        [['Wilayah', 'Region'], { regionCode: c.regionCode }],
        [['Isi laporan', 'Report'], c.description],
        [['Status', 'Status'], words(c.status)],
      ],
    })),
  ];
}

export const subjectAccessResolvers: Resolvers = sectionResolvers('local-government', 'localGovernment', held);
