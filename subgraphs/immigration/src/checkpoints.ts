/**
 * Immigration checkpoints (TPI, *tempat pemeriksaan imigrasi*) where entries and exits are
 * recorded. Airports use their IATA code; seaports and land border posts a short code.
 * Only checkpoints open to international traffic and relevant to the hub's regions are listed.
 */
export interface Checkpoint {
  code: string;
  name: string;
  kind: 'AIRPORT' | 'SEAPORT' | 'LAND_BORDER';
}

export const CHECKPOINTS: readonly Checkpoint[] = [
  { code: 'CGK', name: 'Bandara Internasional Soekarno-Hatta, Tangerang', kind: 'AIRPORT' },
  { code: 'PLM', name: 'Bandara Internasional Sultan Mahmud Badaruddin II, Palembang', kind: 'AIRPORT' },
  { code: 'DPS', name: 'Bandara Internasional I Gusti Ngurah Rai, Bali', kind: 'AIRPORT' },
  { code: 'KNO', name: 'Bandara Internasional Kualanamu, Deli Serdang', kind: 'AIRPORT' },
  { code: 'SUB', name: 'Bandara Internasional Juanda, Surabaya', kind: 'AIRPORT' },
  { code: 'BTH', name: 'Bandara Internasional Hang Nadim, Batam', kind: 'AIRPORT' },
  { code: 'UPG', name: 'Bandara Internasional Sultan Hasanuddin, Makassar', kind: 'AIRPORT' },
  { code: 'BTC', name: 'Pelabuhan Batam Centre, Batam', kind: 'SEAPORT' },
  { code: 'BOM', name: 'Pelabuhan Boom Baru, Palembang', kind: 'SEAPORT' },
  { code: 'TPK', name: 'Pelabuhan Tanjung Priok, Jakarta', kind: 'SEAPORT' },
  { code: 'DUM', name: 'Pelabuhan Dumai, Riau', kind: 'SEAPORT' },
  { code: 'ETK', name: 'PLBN Entikong, Sanggau', kind: 'LAND_BORDER' },
];

const BY_CODE = new Map(CHECKPOINTS.map((c) => [c.code, c]));

export function checkpointByCode(code: string): Checkpoint | undefined {
  return BY_CODE.get(code);
}
