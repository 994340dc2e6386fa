/**
 * The explorer's texts in Bahasa Indonesia, the language officers read by default. Every
 * catalog has the same keys (`en.ts` is typed against this one). GraphiQL's own buttons and
 * dialogs stay as GraphiQL writes them.
 */
export const id = {
  language: { label: 'Bahasa', id: 'Indonesia', en: 'English' },
  bar: {
    title: 'Penjelajah data',
    hintToken: 'Isi token Anda dan tujuan permintaan di editor Headers di bawah.',
    noTokenYetDev:
      'Belum ada token. Pilih peran di atas, isi tujuan, lalu tekan “Ambil token pengembangan” — atau tempel token dari penyedia identitas di editor Headers.',
    noTokenYet:
      'Belum ada token. Tempel token dari penyedia identitas instansi Anda di editor Headers (“Authorization”: “Bearer …”) beserta tujuan permintaan (“X-Purpose”).',
  },
  fetcher: {
    noTokenDev:
      'Belum ada token: pilih peran di atas lalu tekan “Ambil token pengembangan”, atau isi token di editor Headers.',
    noToken:
      'Belum ada token: isi token Anda di editor Headers (Authorization: Bearer …) dengan tujuan permintaan (X-Purpose).',
  },
  welcome: [
    '# Penjelajah TIMPORA Hub',
    '#',
    '# Setiap operasi memerlukan token di',
    '# editor Headers ("Authorization":',
    '# "Bearer …") dan, untuk data pribadi,',
    '# tujuan permintaan ("X-Purpose");',
    '# setiap pengungkapan data pribadi',
    '# dicatat bersama tujuannya.',
    '# Ctrl-Enter menjalankan operasi.',
    '#',
    '# Operasi tersimpan (ikon bintang di',
    '# kiri): contoh untuk rapat koordinasi,',
    '# masing-masing di tab sendiri.',
    '# Dokumentasi (ikon buku): setiap tipe',
    '# dan field. Hasil tampil sebagai JSON',
    '# dan sebagai tabel di bawah, yang',
    '# dapat diunduh sebagai CSV.',
    '',
  ].join('\n'),
  roles: {
    form: 'Token pengembangan',
    role: 'Peran',
    agencyType: 'Jenis instansi',
    agency: 'Instansi',
    jurisdiction: 'Wilayah',
    jurisdictionTitle: 'Awalan kode wilayah, mis. 16.01, 16.08 — atau * untuk nasional',
    purpose: 'Tujuan',
    defaultPurpose: 'Menjelajahi hub (pengembangan)',
    custom: 'Lainnya (isi sendiri)',
    submit: 'Ambil token pengembangan',
    ok: 'Token untuk {{agency}} ({{agencyType}}, {{jurisdiction}}) berlaku sampai {{until}}',
    failed: 'Tidak ada token: {{reason}}',
    answered: 'gateway menjawab {{status}}',
    labels: {
      'Immigration office Muara Enim, Baturaja work unit': 'Kantor Imigrasi Muara Enim, unit kerja Baturaja',
      'Polres OKU': 'Polres OKU',
      'Dukcapil OKU': 'Dukcapil OKU',
      'Kodim 0403/OKU': 'Kodim 0403/OKU',
      'Partner (employer; runs only its registered operations)': 'Mitra (pemberi kerja; hanya operasi terdaftarnya)',
      Auditor: 'Auditor',
      'Data-protection officer, Kanim Baturaja (subject-access reports)':
        'Petugas pelindungan data, Kanim Baturaja (laporan akses subjek data)',
    } as Record<string, string>,
  },
  saved: {
    title: 'Operasi tersimpan',
    needToken: 'Operasi tersimpan tampil setelah ada token: daftarnya bergantung pada instansi Anda.',
    loading: 'Memuat operasi tersimpan …',
    failed: 'Operasi tersimpan tidak dapat dimuat: {{reason}}',
    none: 'Tidak ada operasi tersimpan untuk token ini.',
    partner: 'Operasi yang terdaftar untuk mitra {{agency}} — hanya ini yang dapat dijalankannya.',
    member: 'Contoh operasi untuk rapat koordinasi. Masing-masing terbuka di tab sendiri.',
  },
  table: {
    title: 'Tabel hasil',
    show: 'Tampilkan tabel',
    hide: 'Sembunyikan tabel',
    list: 'Daftar',
    rows_one: '{{count}} baris',
    rows_other: '{{count}} baris',
    download: 'Unduh CSV',
    empty: 'Belum ada hasil. Jalankan operasi (Ctrl-Enter); daftar dalam hasilnya tampil di sini sebagai tabel.',
    noList: 'Hasil ini tidak memuat daftar objek untuk ditabelkan.',
    notJson: 'Hasil ini bukan JSON.',
    zones: 'Waktu dalam zona wilayah baris (WIB bila baris tanpa kode wilayah).',
    yes: 'ya',
    no: 'tidak',
  },
};

export type Catalog = typeof id;
