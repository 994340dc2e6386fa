/**
 * The police's section of the subject-access report: the foreigner's SKLDs and the incidents that
 * name them, in the caller's jurisdiction (common/audit/subject-access.ts).
 */
import {
  subjectAccessResolvers as sectionResolvers,
  words,
  type HeldRecord,
} from '../../../../common/audit/subject-access.js';
import type { PoliceContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';

async function held(foreignerId: string, ctx: PoliceContext): Promise<HeldRecord[]> {
  const [selfReports, incidents] = await Promise.all([
    ctx.loaders.selfReportsByForeigner.load(foreignerId),
    ctx.loaders.incidentsByForeigner.load(foreignerId),
  ]);
  return [
    ...selfReports.map((s): HeldRecord => ({
      kind: 'SELF_REPORT',
      typeName: 'SelfReportCertificate',
      scope: 'selfreport:read',
      row: s,
      fields: [
        [['Nomor', 'Number'], s.number],
        [['Diterbitkan', 'Issued on'], s.issuedAt],
        [['Berlaku sampai', 'Valid until'], s.validUntil],
        [['Satuan penerbit', 'Issuing unit'], s.issuingUnit],
        [['Alamat yang dilaporkan', 'Address reported'], s.address],
        [['Wilayah', 'Region'], { regionCode: s.regionCode }],
      ],
    })),
    ...incidents.map((i): HeldRecord => ({
      kind: 'INCIDENT',
      typeName: 'Incident',
      scope: 'incident:detail',
      row: i,
      fields: [
        [['Nomor laporan', 'Report number'], i.reportNumber],
        [['Kategori', 'Category'], words(i.category)],
        [['Waktu kejadian', 'Occurred on'], i.occurredAt],
        [['Wilayah', 'Region'], { regionCode: i.regionCode }],
        [['Peran Anda', 'Your part'], words(i.parties.find((p) => p.foreignerId === foreignerId)?.involvement)],
        [['Status', 'Status'], words(i.status)],
        [['Uraian', 'Summary'], i.summary],
      ],
    })),
  ];
}

export const subjectAccessResolvers: Resolvers = sectionResolvers('police', 'police', held);
