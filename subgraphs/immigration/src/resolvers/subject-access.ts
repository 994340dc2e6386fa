/**
 * Immigration's section of the subject-access report: the foreigner's identity and passport,
 * stay permits, border crossings, cekal entries and TAK (common/audit/subject-access.ts).
 */
import {
  subjectAccessResolvers as sectionResolvers,
  words,
  type HeldRecord,
} from '../../../../common/audit/subject-access.js';
import type { ImmigrationContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';

async function held(foreignerId: string, ctx: ImmigrationContext): Promise<HeldRecord[]> {
  const foreigner = await ctx.foreigners.subjectOf(foreignerId, ctx.caller);
  const [permits, crossings, watchlist, actions] = await Promise.all([
    ctx.loaders.permitsByForeigner.load(foreignerId),
    ctx.loaders.crossingsByForeigner.load(foreignerId),
    ctx.loaders.watchlistByForeigner.load(foreignerId),
    ctx.loaders.actionsByForeigner.load(foreignerId),
  ]);
  return [
    {
      kind: 'IDENTITY',
      typeName: 'Foreigner',
      scope: 'passport:read',
      row: foreigner,
      fields: [
        [['Nama lengkap', 'Full name'], foreigner.fullName],
        [['Kewarganegaraan', 'Nationality'], foreigner.nationality],
        [['Jenis kelamin', 'Sex'], foreigner.sex === 'MALE' ? 'Laki-laki / Male' : 'Perempuan / Female'],
        [['Tanggal lahir', 'Date of birth'], foreigner.dateOfBirth],
        [['Nomor paspor', 'Passport number'], foreigner.passportNumber],
        [['Domisili', 'Domicile'], { regionCode: foreigner.domicileRegionCode }],
        [['Terdaftar sejak', 'Registered on'], foreigner.createdAt],
      ],
    },
    ...permits.map((p): HeldRecord => ({
      kind: 'STAY_PERMIT',
      typeName: 'StayPermit',
      scope: 'permit:read',
      row: p,
      fields: [
        [['Nomor izin', 'Permit number'], p._id],
        [['Jenis', 'Type'], p.type],
        [['Tujuan', 'Purpose of stay'], words(p.purpose)],
        [['Diterbitkan', 'Issued on'], p.issuedAt],
        [['Berlaku sampai', 'Valid until'], p.expiresAt],
        [['Status', 'Status'], words(p.status)],
        [['Kantor penerbit', 'Issuing office'], p.issuingOffice],
        [['Penjamin', 'Sponsor'], p.sponsor ? `${p.sponsor.name} (${words(p.sponsor.type)})` : null],
      ],
    })),
    ...crossings.map((c): HeldRecord => ({
      kind: 'BORDER_CROSSING',
      typeName: 'BorderCrossing',
      scope: 'travel:read',
      row: c,
      fields: [
        [['Arah', 'Direction'], c.direction === 'ENTRY' ? 'Masuk / Entry' : 'Keluar / Exit'],
        [['Tempat pemeriksaan', 'Checkpoint'], `${c.checkpointName} (${c.checkpointCode})`],
        [['Waktu', 'Date'], c.crossedAt],
        [['Alat angkut', 'Carrier'], c.carrier],
      ],
    })),
    ...watchlist.map((w): HeldRecord => ({
      kind: 'WATCHLIST',
      typeName: 'WatchlistEntry',
      scope: 'watchlist:read',
      row: w,
      fields: [
        [['Jenis', 'Type'], words(w.type)],
        [['Alasan', 'Reason'], w.reason],
        [['Sejak', 'Since'], w.since],
        [['Sampai', 'Until'], w.until],
        [['Diminta oleh', 'Requested by'], w.requestedBy],
      ],
    })),
    ...actions.map((a): HeldRecord => ({
      kind: 'IMMIGRATION_ACTION',
      typeName: 'ImmigrationAction',
      scope: 'enforcement:read',
      row: a,
      fields: [
        [['Tindakan', 'Action'], words(a.type)],
        [['Tanggal keputusan', 'Decided on'], a.decidedAt],
        [['Alasan', 'Reason'], a.reason],
        [['Kantor', 'Office'], a.office],
      ],
    })),
  ];
}

export const subjectAccessResolvers: Resolvers = {
  Query: {
    subjectAccessReport: async (_, args, ctx) => {
      // refused here, before any agency assembles its section: unknown, or outside the jurisdiction
      await ctx.foreigners.subjectOf(args.foreignerId, ctx.caller);
      return { foreignerId: args.foreignerId };
    },
  },
  ...sectionResolvers('immigration', 'immigration', held),
};
