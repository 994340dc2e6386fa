/**
 * Narratives of the demo records (incident summaries, TAK grounds, cekal reasons), in Bahasa
 * Indonesia as officers write them. All are invented; they use only places and the fictional
 * companies, never a person's name.
 */
import type { IncidentCategory, Involvement } from '../../subgraphs/police/src/models/incident.js';
import { OKU_RAYA_IMMIGRATION_OFFICE } from './places.js';
import type { Rng } from './random.js';

export interface IncidentContext {
  place: string;
  district: string;
  company: string | null;
  unit: string;
}

type Template = (c: IncidentContext) => string;

const INCIDENT_TEMPLATES: Record<IncidentCategory, Partial<Record<Involvement, readonly Template[]>>> = {
  THEFT: {
    VICTIM: [
      (c) =>
        `Pelapor, seorang WNA, melaporkan kehilangan telepon genggam dan dompet dari kamar kos yang disewanya di ${c.place}. Satreskrim ${c.unit} telah mengamankan rekaman CCTV dari toko di sekitar lokasi.`,
      (c) =>
        `Sepeda motor sewaan milik pelapor (WNA) hilang saat diparkir di pasar ${c.place}. Surat perjanjian sewa kendaraan dilampirkan dalam laporan.`,
      (c) =>
        `Uang tunai dan sebuah laptop hilang dari kamar pelapor (WNA)${c.company ? ` di mes ${c.company}` : ''} di ${c.place} saat pelapor sedang bekerja. Tidak ditemukan kerusakan pada pintu.`,
      (c) =>
        `Pelapor (WNA) kehilangan tas berisi paspor, kartu ITAS dan uang tunai di rumah makan di ${c.place}. Dibuatkan surat keterangan kehilangan; kasus dalam penyelidikan Unit Reskrim Polsek.`,
    ],
    SUSPECT: [
      (c) =>
        `Kabel tembaga dan suku cadang hilang dari gudang${c.company ? ` ${c.company}` : ''} di ${c.place}; WNA terlapor disebut oleh petugas keamanan lokasi. Barang bukti berhasil ditemukan kembali.`,
    ],
    WITNESS: [
      (c) =>
        `Pencurian solar dari tangki lokasi proyek di ${c.place}; WNA selaku pengawas sif dimintai keterangan sebagai saksi.`,
    ],
  },
  ASSAULT: {
    SUSPECT: [
      (c) =>
        `Perkelahian antara pekerja WNA dan warga setempat${c.company ? ` di dekat mes ${c.company}` : ''} di ${c.place} akibat perselisihan tempat parkir; korban mengalami memar dan dimintakan visum et repertum.`,
      (c) =>
        `WNA terlapor diduga memukul seorang sopir angkutan di ${c.place} setelah cekcok soal ongkos. Kedua pihak telah diperiksa; dilakukan upaya mediasi oleh Polsek.`,
    ],
    VICTIM: [
      (c) =>
        `WNA menjadi korban penganiayaan oleh orang tidak dikenal saat pulang dari pasar malam di ${c.place}, dan mendapat perawatan di puskesmas setempat.`,
    ],
    WITNESS: [
      (c) =>
        `Keributan antara dua kelompok pekerja kontrak di kantin di ${c.place}; WNA menyaksikan awal kejadian dan dimintai keterangan.`,
    ],
  },
  FRAUD: {
    VICTIM: [
      (c) =>
        `WNA mentransfer uang kepada penjual mobil bekas yang diiklankan secara daring; mobil tersebut tidak pernah ada. Dilaporkan ke ${c.unit}.`,
      () =>
        `WNA membayar calo yang menjanjikan pengurusan perpanjangan izin tinggal; permohonan tidak pernah diajukan. Calo tersebut bukan petugas imigrasi.`,
      (c) =>
        `WNA tertipu penyewaan rumah di ${c.place}: uang sewa setahun telah dibayar, namun rumah ternyata bukan milik orang yang menerima pembayaran.`,
    ],
    SUSPECT: [
      (c) =>
        `Pemasok lokal di ${c.place} melaporkan tagihan bahan bangunan tidak dibayar setelah barang dikirim; WNA terlapor menandatangani pesanan selaku manajer lokasi.`,
    ],
  },
  NARCOTICS: {
    SUSPECT: [
      (c) =>
        `WNA diamankan di ${c.place} dengan barang bukti narkotika jenis sabu dalam jumlah kecil. Perkara ditangani Satresnarkoba ${c.unit} bersama BNNK; Kantor Imigrasi telah diberi tahu.`,
      (c) =>
        `Penggeledahan rumah sewa di ${c.place} atas informasi warga menemukan alat isap sabu; hasil tes urine WNA positif dan yang bersangkutan dirujuk untuk asesmen terpadu.`,
    ],
  },
  TRAFFIC: {
    SUSPECT: [
      (c) =>
        `Kecelakaan lalu lintas antara mobil bak terbuka yang dikemudikan WNA${c.company ? ` (kendaraan operasional ${c.company})` : ''} dan sepeda motor di Jalan Lintas Sumatera, ${c.place}; pengendara motor luka ringan. Diselesaikan secara kekeluargaan.`,
      (c) =>
        `WNA mengemudikan mobil perusahaan tanpa SIM Indonesia maupun SIM internasional dan menabrak lapak pedagang di pinggir jalan di ${c.place}. Kerugian telah diganti.`,
    ],
    VICTIM: [
      (c) =>
        `Truk angkutan batu bara menabrak mobil yang ditumpangi WNA di ruas jalan ${c.place}; penumpang mengalami luka ringan.`,
    ],
    WITNESS: [
      (c) =>
        `Kecelakaan antara truk batu bara dan minibus di ${c.place}; WNA yang berkendara di belakangnya memberikan keterangan kepada Satlantas ${c.unit}.`,
    ],
  },
  PUBLIC_ORDER: {
    SUSPECT: [
      (c) =>
        `Warga ${c.place} mengeluhkan pesta minuman keras dan suara keras hingga larut malam di rumah sewa yang dihuni pekerja asing. Penghuni telah ditegur oleh Polsek dan kepala desa.`,
    ],
    WITNESS: [
      (c) =>
        `Unjuk rasa warga di gerbang${c.company ? ` ${c.company}` : ' perkebunan'} di ${c.place} terkait debu dan kerusakan jalan; WNA selaku manajer lokasi dimintai keterangan.`,
    ],
    REPORTER: [
      (c) =>
        `WNA melaporkan massa yang memblokade jalan akses menuju lokasi di ${c.place} terkait sengketa ganti rugi lahan. Diselesaikan melalui mediasi bersama Camat ${c.district}.`,
    ],
  },
  LABOUR_DISPUTE: {
    REPORTER: [
      (c) =>
        `Manajemen${c.company ? ` ${c.company}` : ''} melaporkan mogok kerja pekerja kontrak lokal terkait upah lembur di lokasi ${c.place}; dimediasi oleh Disnaker dan Polsek.`,
    ],
    SUSPECT: [
      (c) =>
        `Pekerja lokal${c.company ? ` ${c.company}` : ''} melaporkan seorang pengawas WNA di ${c.place} memukul pekerja saat berselisih soal pembagian tugas. Kedua pihak telah dimintai keterangan.`,
    ],
    VICTIM: [
      (c) =>
        `Seorang pengawas WNA didorong dan diancam oleh pekerja kontrak yang diberhentikan di gerbang lokasi di ${c.place}.`,
    ],
    WITNESS: [
      (c) =>
        `Perselisihan antara pekerja lokal dan subkontraktor${c.company ? ` ${c.company}` : ''} soal upah yang belum dibayar di ${c.place}; WNA diperiksa sebagai saksi.`,
    ],
  },
  IMMIGRATION_VIOLATION: {
    SUSPECT: [
      (c) =>
        `Dalam pemeriksaan di ${c.place}, WNA tidak dapat menunjukkan izin tinggal yang berlaku; izin tinggalnya telah habis masa berlakunya. Diserahkan kepada ${OKU_RAYA_IMMIGRATION_OFFICE}.`,
      (c) =>
        `WNA kedapatan bekerja${c.company ? ` di ${c.company}` : ''} di ${c.place} dengan izin tinggal yang tidak sesuai peruntukannya. Diserahkan kepada Kantor Imigrasi untuk pemeriksaan lebih lanjut.`,
      (c) =>
        `Pengelola penginapan di ${c.place} tidak melaporkan keberadaan WNA melalui APOA, dan izin tinggal yang tercatat tidak sesuai dengan paspor yang ditunjukkan. Dirujuk ke Kantor Imigrasi.`,
    ],
  },
  OTHER: {
    REPORTER: [
      (c) =>
        `WNA melaporkan kehilangan paspor di ${c.place}; diterbitkan surat tanda penerimaan laporan kehilangan untuk penggantian di kedutaan dan Kantor Imigrasi.`,
      (c) => `WNA melaporkan menerima pesan bernada ancaman setelah terjadi perselisihan bisnis di ${c.place}.`,
    ],
    WITNESS: [
      (c) =>
        `Kebakaran barak pekerja${c.company ? ` ${c.company}` : ''} di ${c.place}; tidak ada korban jiwa. WNA memberikan keterangan sebagai saksi.`,
    ],
  },
};

/** The roles a foreigner plays in incidents of each category, with weights. */
export const INVOLVEMENT_WEIGHTS: Record<IncidentCategory, readonly (readonly [Involvement, number])[]> = {
  THEFT: [
    ['VICTIM', 8],
    ['SUSPECT', 1],
    ['WITNESS', 1],
  ],
  ASSAULT: [
    ['SUSPECT', 5],
    ['VICTIM', 3],
    ['WITNESS', 2],
  ],
  FRAUD: [
    ['VICTIM', 7],
    ['SUSPECT', 3],
  ],
  NARCOTICS: [['SUSPECT', 1]],
  TRAFFIC: [
    ['SUSPECT', 4],
    ['VICTIM', 4],
    ['WITNESS', 2],
  ],
  PUBLIC_ORDER: [
    ['SUSPECT', 4],
    ['WITNESS', 3],
    ['REPORTER', 3],
  ],
  LABOUR_DISPUTE: [
    ['REPORTER', 3],
    ['SUSPECT', 3],
    ['VICTIM', 2],
    ['WITNESS', 3],
  ],
  IMMIGRATION_VIOLATION: [['SUSPECT', 1]],
  OTHER: [
    ['REPORTER', 3],
    ['WITNESS', 1],
  ],
};

export function incidentSummary(
  rng: Rng,
  category: IncidentCategory,
  involvement: Involvement,
  context: IncidentContext,
): string {
  const byRole = INCIDENT_TEMPLATES[category];
  const templates = byRole[involvement] ?? Object.values(byRole)[0]!;
  return rng.pick(templates)(context);
}

export const REVOCATION_REASONS = [
  'Bekerja pada pemberi kerja selain penjamin yang tercantum dalam izin tinggal (temuan pemeriksaan lapangan TIMPORA).',
  'Penjamin mencabut jaminannya setelah kontrak kerja berakhir; pemegang izin tidak meninggalkan wilayah Indonesia.',
  'Melakukan kegiatan yang tidak sesuai dengan maksud dan tujuan pemberian izin tinggal.',
  'Memberikan keterangan tidak benar mengenai pemberi kerja pada saat mengajukan perpanjangan izin tinggal.',
];

export const DEPORTATION_REASONS = [
  'Dideportasi setelah menjalani pidana perkara narkotika; membahayakan keamanan dan ketertiban umum (Pasal 75 UU No. 6 Tahun 2011).',
  'Dideportasi karena bekerja tanpa izin kerja yang sah dan melampaui izin tinggal lebih dari 60 hari.',
  'Dideportasi karena berulang kali mengganggu ketertiban umum berdasarkan laporan kepolisian dan warga.',
  'Dideportasi karena melakukan kegiatan yang membahayakan keamanan dan ketertiban umum.',
];
