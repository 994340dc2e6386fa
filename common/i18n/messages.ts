/**
 * The human text of every error a client can see, in English (`en`) and Bahasa Indonesia (`id`).
 * Error codes and `extensions` never change with the language; only `message` does. Keys are
 * flat (`area.what`); values are i18next strings with `{{name}}` interpolation. The `id` catalog
 * must hold every key of the `en` one (the type says so), written as an officer reads it, with
 * the official terms (WNA, ITAS, SKLD, SKTT, TIMPORA, …) untranslated.
 */

export const en = {
  // tokens (UNAUTHENTICATED)
  'auth.tokenRequired': 'A valid bearer token is required',
  'auth.missingAuthorization': 'Missing Authorization header',
  'auth.malformedAuthorization': 'Authorization header must be "Bearer <token>"',
  'auth.tokenExpired': 'Token has expired',
  'auth.claimInvalid': 'Token claim "{{claim}}" is not valid',
  'auth.claimMalformed': 'Token claim "{{claim}}" is not valid: {{problem}}',
  'auth.tokenInvalid': 'Token is malformed or not signed by a trusted key',
  'auth.unknownScope': 'contains an unknown scope',
  'auth.notRegionCode': 'is not a region code',
  'auth.gatewaySignature': 'X-Gateway-Signature: {{reason}}',
  'auth.gatewaySignature.signature': 'not signed by the gateway’s key for this subgraph, or expired',
  'auth.gatewaySignature.body': 'the body is not the one the gateway signed',
  'auth.gatewaySignature.headers': 'the headers are not the ones the gateway signed',
  'auth.gatewaySignature.replayed': 'this signature was already used',
  'auth.gatewaySignature.unavailable':
    'the store of signatures already used (Redis) does not answer, so no signed request is accepted; retry shortly',

  // access policy (FORBIDDEN, PURPOSE_REQUIRED, OPERATION_NOT_ALLOWED)
  'forbidden.scope': '{{field}} needs the scope {{scope}}',
  'forbidden.scopes': '{{field}} needs the scopes {{scopes}} (missing {{missing}})',
  'forbidden.membersOnly': '{{field}} is for TIMPORA member agencies only',
  'forbidden.notInPolicy': '{{field}} is not granted by the access policy',
  'forbidden.regionOutsideJurisdiction':
    '{{field}}: region {{code}} is outside the jurisdiction of {{agency}} ({{jurisdiction}})',
  'forbidden.foreignerOutsideJurisdiction': '{{field}}: the foreigner lives outside the jurisdiction of {{agency}}',
  'forbidden.gatewayOnly': '{{fields}}: answered only to the gateway; ask the gateway (it serves the whole graph)',
  'purpose.required': 'Personal data needs a stated purpose: send the X-Purpose header',
  'purpose.notUtf8': 'X-Purpose: must be UTF-8 text',
  'purpose.controlCharacters': 'X-Purpose: must not contain control characters',
  'purpose.tooLong': 'X-Purpose: at most {{max}} characters (got {{length}})',
  'purpose.tooFewLetters':
    'X-Purpose: state the purpose in words, at least {{min}} letters (e.g. "Pengawasan izin tinggal")',
  'partner.throughGateway': 'Partner {{agency}} may only run its registered operations, through the gateway',
  'partner.notRegistered': 'Partner {{agency}} may only run its registered operations',
  'partner.notRegisteredNamed':
    'Partner {{agency}} may only run its registered operations ({{operation}} is not one of them)',

  // the document itself
  'operation.unknownName': 'Unknown operation named "{{name}}".',
  'operation.nameRequired': 'Must provide operation name if query contains multiple operations.',

  // operation limits (QUERY_TOO_COMPLEX)
  'limits.depth': 'Query depth limit of {{max}} exceeded, found {{found}}. Nothing was fetched.',
  'limits.aliases': 'Aliases limit of {{max}} exceeded, found {{found}}. Nothing was fetched.',
  'limits.directives': 'Directives limit of {{max}} exceeded, found {{found}}. Nothing was fetched.',
  'limits.tokens': 'Token limit of {{max}} exceeded. Nothing was fetched.',
  'limits.cost':
    'Query cost limit of {{max}} exceeded, found {{found}}: ask for fewer items per page (first) or fewer nested lists. Nothing was fetched.',
  'limits.costUnbounded':
    'Query cost limit of {{max}} exceeded, found more: ask for fewer items per page (first) or fewer nested lists. Nothing was fetched.',
  'limits.responseObjects':
    'Response object limit of {{max}} exceeded: ask for fewer items per page (first), fewer aliases or fewer nested lists. Nothing was returned.',
  'limits.permitChecks':
    'An operation may check at most {{max}} stay permits (verifyStayPermit); this one checks {{count}}. Nothing was checked.',

  // rate limits (RATE_LIMITED, RATE_LIMIT_UNAVAILABLE)
  'rateLimit.callerPerMinute':
    'Too many stay-permit checks: at most {{max}} a minute per caller; try again in {{retryAfterSeconds}} s',
  'rateLimit.callerPerHour':
    'Too many stay-permit checks: at most {{max}} an hour per caller; try again in {{retryAfterSeconds}} s',
  'rateLimit.permitPerDay':
    'Too many checks of this permit number with a passport number that does not match: at most {{max}} a day, all callers together; try again in {{retryAfterSeconds}} s',
  'rateLimit.unavailable':
    'Stay-permit checks are paused: their rate limits cannot be counted right now; try again shortly',

  // idempotency (BAD_USER_INPUT, PURPOSE_REQUIRED, FORBIDDEN, IDEMPOTENCY_KEY_*)
  'idempotency.keyInvalid': 'Idempotency-Key: must be 1 to 255 visible ASCII characters',
  'idempotency.replayNeedsPurpose':
    'The replayed answer for this Idempotency-Key holds personal data: state its purpose in the X-Purpose header',
  'idempotency.replayScope':
    'The stored answer for this Idempotency-Key is not given again: this token lacks the scope {{scope}} the first request held',
  'idempotency.replayJurisdiction':
    'The stored answer for this Idempotency-Key is not given again: this token’s jurisdiction ({{jurisdiction}}) does not cover the first request’s',
  'idempotency.reusedByCaller':
    'This Idempotency-Key was already used by another caller of your agency; use a new key for your request',
  'idempotency.reusedForOther':
    'This Idempotency-Key was already used for a different request; use a new key for a new request',
  'idempotency.inProgress': 'A request with this Idempotency-Key is still running; retry shortly',

  // availability (SUBGRAPH_*, DATABASE_UNAVAILABLE, INTERNAL_SERVER_ERROR)
  'subgraph.unavailable': 'The {{name}} subgraph cannot be reached; its fields are missing from this answer',
  'subgraph.timeout': 'The {{name}} subgraph did not answer within {{ms}} ms; its fields are missing from this answer',
  'subgraph.writeNotRetried':
    'The connection to the {{name}} subgraph was lost before it answered, so this change may or may not have been saved; the hub did not send it again because the request has no Idempotency-Key. Send the mutation with an Idempotency-Key: a retry with the same key saves it at most once',
  'database.unavailable': 'The database did not answer; try again shortly',
  'accessLog.notRecorded': 'The access log could not record this disclosure; nothing was disclosed',
  internal: 'Internal server error',

  // HTTP refusals before GraphQL (413, 415, 400)
  'request.tooLarge': 'The request body is larger than the limit of {{limit}} bytes',
  'request.notJson': 'The request body is not valid JSON',
  'request.unsupportedEncoding': 'The request body has an unsupported encoding or charset',
  'request.bodyUnreadable': 'The request body could not be read',
  'request.unreadable': 'The request could not be read',

  // input values (BAD_USER_INPUT; the field's path precedes them: "input.nationality: …")
  'input.nationalityFormat': 'must be an ISO 3166-1 alpha-3 code in capitals, e.g. CHN',
  'input.nationalityUnknown': 'is not an ISO 3166-1 alpha-3 country code',
  'input.passportNumber': 'must be 6 to 9 capital letters or digits (ICAO 9303)',
  'input.blank': 'must not be blank',
  'input.tooLong': 'must be at most {{maximum}} characters',
  'input.tooShort': 'must be at least {{minimum}} characters',
  'input.entityId': 'is not a valid id',
  'input.regionUnknown': 'is not an official region code (got "{{code}}")',
  'input.regionLevel': 'must be a region of level {{levels}} (got a {{level}})',
  'input.regionNotACode': '"{{code}}" is not a region code such as 16.01',
  'input.regionBelowParent': 'must be below the level of parentCode (a {{level}})',
  'input.date': 'must be a date',
  'input.future': 'must not be in the future',
  'input.documentNumber':
    'must be capital letters, digits, single spaces, ".", "/" or "-", starting and ending with a letter or digit',
  'input.after': 'must be after {{start}}',
  'input.notBefore': 'must not be before {{start}}',
  'input.notNegative': 'must not be negative',
  'input.cursor': 'is not a cursor of this list',
  'input.pageSize': 'must be between 0 and {{max}}',
  'input.unknownForeigner': 'no foreigner with id "{{id}}"',
  'input.unknownInstitution': 'no member institution with code "{{code}}"',
  'input.atLeastOnePermitType': 'must name at least one permit type',
  'input.atLeastOneInstitution': 'must name at least one institution',
  'input.atLeastOneForeigner': 'must name at least one foreigner',
  'input.atMostForeigners': 'must name at most {{maximum}} foreigners',
  'input.partyRepeated': 'names a foreigner already listed among the parties; give each foreigner one involvement',
  'input.passportTaken': 'is already registered to another foreigner',
  'input.permitNumberTaken': 'a stay permit with this number already exists',
  'input.skttNumberTaken': 'an SKTT with this number is already registered',
  'input.skldNumberTaken': 'a self-report certificate with this number already exists',
  'input.reportNumberTaken': 'an incident with this report number already exists',
  'brief.noRegion': 'must name a province or a regency, e.g. 16.01',
  'brief.tooManyCodes': 'must name at most {{max}} regions',
  'brief.notProvinceOrRegency':
    '"{{code}}" is a {{level}}: a brief is for a province or regencies (kabupaten/kota), e.g. 16.01',
  'brief.unknownRegion': '"{{code}}" is not the code of a province or regency in the official list, e.g. 16 or 16.01',
  'brief.tooManyRegencies': 'covers {{count}} regencies; a brief covers at most {{max}} (one province)',
  'brief.severalZones': 'spans {{zones}}: a brief is for regions in one time zone',
  'brief.meetingInPast': 'must not be before today ({{today}} {{zone}})',
  'input.calendarYearOnly':
    'without community:read, the statistics period must be one whole calendar year ({{zone}}, WIB, WITA, WIT or UTC), e.g. {{year}}-01-01T00:00:00{{sign}} to {{year}}-12-31T23:59:59{{sign}}, or left empty',

  // region levels, named inside messages (English keeps the schema's enum values)
  'level.PROVINCE': 'PROVINCE',
  'level.REGENCY': 'REGENCY',
  'level.DISTRICT': 'DISTRICT',
  'level.VILLAGE': 'VILLAGE',
  'level.or': ' or ',
} as const;

export type MessageKey = keyof typeof en;

export const id: Record<MessageKey, string> = {
  'auth.tokenRequired': 'Diperlukan token bearer yang sah',
  'auth.missingAuthorization': 'Header Authorization tidak ada: kirim "Authorization: Bearer <token>"',
  'auth.malformedAuthorization': 'Header Authorization harus berbentuk "Bearer <token>"',
  'auth.tokenExpired': 'Token sudah kedaluwarsa; mintalah token baru',
  'auth.claimInvalid': 'Klaim token "{{claim}}" tidak sah',
  'auth.claimMalformed': 'Klaim token "{{claim}}" tidak sah: {{problem}}',
  'auth.tokenInvalid':
    'Token tidak sah atau sudah kedaluwarsa: bentuknya rusak atau tidak ditandatangani kunci tepercaya',
  'auth.unknownScope': 'memuat scope yang tidak dikenal',
  'auth.notRegionCode': 'bukan kode wilayah',
  'auth.gatewaySignature': 'X-Gateway-Signature: {{reason}}',
  'auth.gatewaySignature.signature':
    'tidak ditandatangani dengan kunci gateway untuk subgraph ini, atau sudah kedaluwarsa',
  'auth.gatewaySignature.body': 'isi permintaan bukan yang ditandatangani gateway',
  'auth.gatewaySignature.headers': 'header permintaan bukan yang ditandatangani gateway',
  'auth.gatewaySignature.replayed': 'tanda tangan ini sudah pernah dipakai',
  'auth.gatewaySignature.unavailable':
    'penyimpanan tanda tangan yang sudah dipakai (Redis) tidak menjawab, sehingga permintaan bertanda tangan tidak diterima; coba lagi sebentar lagi',

  'forbidden.scope': '{{field}} memerlukan hak akses (scope) {{scope}}',
  'forbidden.scopes': '{{field}} memerlukan hak akses (scope) {{scopes}} (yang belum dimiliki: {{missing}})',
  'forbidden.membersOnly': '{{field}} hanya untuk instansi anggota TIMPORA',
  'forbidden.notInPolicy': '{{field}} tidak diberikan oleh kebijakan akses',
  'forbidden.regionOutsideJurisdiction':
    '{{field}}: wilayah {{code}} berada di luar yurisdiksi {{agency}} ({{jurisdiction}})',
  'forbidden.foreignerOutsideJurisdiction': '{{field}}: WNA ini berdomisili di luar yurisdiksi {{agency}}',
  'forbidden.gatewayOnly':
    '{{fields}}: hanya dijawab untuk gateway; ajukan permintaan melalui gateway (yang melayani seluruh graf)',
  'purpose.required': 'Tujuan permintaan (X-Purpose) wajib diisi untuk data pribadi',
  'purpose.notUtf8': 'X-Purpose: harus berupa teks UTF-8',
  'purpose.controlCharacters': 'X-Purpose: tidak boleh memuat karakter kontrol',
  'purpose.tooLong': 'X-Purpose: paling banyak {{max}} karakter (diterima {{length}})',
  'purpose.tooFewLetters':
    'X-Purpose: tuliskan tujuan dengan kata-kata, sekurang-kurangnya {{min}} huruf (mis. "Pengawasan izin tinggal")',
  'partner.throughGateway': 'Mitra {{agency}} hanya boleh menjalankan operasi yang terdaftar untuknya, melalui gateway',
  'partner.notRegistered': 'Mitra {{agency}} hanya boleh menjalankan operasi yang terdaftar untuknya',
  'partner.notRegisteredNamed':
    'Mitra {{agency}} hanya boleh menjalankan operasi yang terdaftar untuknya ({{operation}} tidak termasuk)',

  'operation.unknownName': 'Tidak ada operasi bernama "{{name}}".',
  'operation.nameRequired': 'Dokumen memuat lebih dari satu operasi: sebutkan operationName yang akan dijalankan.',

  'limits.depth': 'Kedalaman kueri melebihi batas {{max}} (ditemukan {{found}}). Tidak ada data yang diambil.',
  'limits.aliases': 'Jumlah alias melebihi batas {{max}} (ditemukan {{found}}). Tidak ada data yang diambil.',
  'limits.directives': 'Jumlah direktif melebihi batas {{max}} (ditemukan {{found}}). Tidak ada data yang diambil.',
  'limits.tokens': 'Panjang kueri melebihi batas {{max}} token. Tidak ada data yang diambil.',
  'limits.cost':
    'Biaya kueri melebihi batas {{max}} (ditemukan {{found}}): minta lebih sedikit baris per halaman (first) atau lebih sedikit daftar bersarang. Tidak ada data yang diambil.',
  'limits.costUnbounded':
    'Biaya kueri melebihi batas {{max}}: minta lebih sedikit baris per halaman (first) atau lebih sedikit daftar bersarang. Tidak ada data yang diambil.',
  'limits.responseObjects':
    'Jawaban melebihi batas {{max}} objek: minta lebih sedikit baris per halaman (first), lebih sedikit alias atau lebih sedikit daftar bersarang. Tidak ada yang dikembalikan.',
  'limits.permitChecks':
    'Satu operasi boleh memeriksa paling banyak {{max}} izin tinggal (verifyStayPermit); operasi ini memeriksa {{count}}. Tidak ada yang diperiksa.',

  'rateLimit.callerPerMinute':
    'Terlalu banyak pemeriksaan izin tinggal: paling banyak {{max}} per menit untuk setiap pemanggil; coba lagi dalam {{retryAfterSeconds}} detik',
  'rateLimit.callerPerHour':
    'Terlalu banyak pemeriksaan izin tinggal: paling banyak {{max}} per jam untuk setiap pemanggil; coba lagi dalam {{retryAfterSeconds}} detik',
  'rateLimit.permitPerDay':
    'Terlalu banyak pemeriksaan nomor izin ini dengan nomor paspor yang tidak cocok: paling banyak {{max}} per hari untuk semua pemanggil; coba lagi dalam {{retryAfterSeconds}} detik',
  'rateLimit.unavailable':
    'Pemeriksaan izin tinggal dihentikan sementara: batas lajunya tidak dapat dihitung saat ini; coba lagi sebentar lagi',

  'idempotency.keyInvalid': 'Idempotency-Key: harus 1 sampai 255 karakter ASCII yang terlihat',
  'idempotency.replayNeedsPurpose':
    'Jawaban ulang untuk Idempotency-Key ini memuat data pribadi: nyatakan tujuannya di header X-Purpose',
  'idempotency.replayScope':
    'Jawaban tersimpan untuk Idempotency-Key ini tidak diberikan ulang: token ini tidak memegang scope {{scope}} yang dipegang permintaan pertama',
  'idempotency.replayJurisdiction':
    'Jawaban tersimpan untuk Idempotency-Key ini tidak diberikan ulang: yurisdiksi token ini ({{jurisdiction}}) tidak mencakup yurisdiksi permintaan pertama',
  'idempotency.reusedByCaller':
    'Idempotency-Key ini sudah dipakai oleh pemanggil lain dari instansi Anda; gunakan kunci baru untuk permintaan Anda',
  'idempotency.reusedForOther':
    'Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru untuk permintaan baru',
  'idempotency.inProgress': 'Permintaan dengan Idempotency-Key ini masih berjalan; coba lagi sebentar lagi',

  'subgraph.unavailable': 'Subgraph {{name}} tidak dapat dihubungi; datanya tidak ada dalam jawaban ini',
  'subgraph.timeout': 'Subgraph {{name}} tidak menjawab dalam {{ms}} md; datanya tidak ada dalam jawaban ini',
  'subgraph.writeNotRetried':
    'Koneksi ke subgraph {{name}} terputus sebelum subgraph menjawab, jadi perubahan ini mungkin sudah tersimpan atau belum; hub tidak mengirimnya ulang karena permintaan tidak memuat Idempotency-Key. Kirim mutation dengan Idempotency-Key: pengiriman ulang dengan kunci yang sama menyimpannya paling banyak sekali',
  'database.unavailable': 'Basis data tidak menjawab; coba lagi sebentar lagi',
  'accessLog.notRecorded': 'Log akses tidak dapat mencatat pengungkapan ini; tidak ada data yang diberikan',
  internal: 'Terjadi kesalahan internal pada server',

  'request.tooLarge': 'Isi permintaan melebihi batas {{limit}} byte',
  'request.notJson': 'Isi permintaan bukan JSON yang sah',
  'request.unsupportedEncoding': 'Isi permintaan memakai encoding atau charset yang tidak didukung',
  'request.bodyUnreadable': 'Isi permintaan tidak dapat dibaca',
  'request.unreadable': 'Permintaan tidak dapat dibaca',

  'input.nationalityFormat': 'harus berupa kode ISO 3166-1 alpha-3 dengan huruf kapital, mis. CHN',
  'input.nationalityUnknown': 'bukan kode negara ISO 3166-1 alpha-3',
  'input.passportNumber': 'harus 6 sampai 9 huruf kapital atau angka (ICAO 9303)',
  'input.blank': 'tidak boleh kosong',
  'input.tooLong': 'paling banyak {{maximum}} karakter',
  'input.tooShort': 'sekurang-kurangnya {{minimum}} karakter',
  'input.entityId': 'bukan id yang sah',
  'input.regionUnknown': 'bukan kode wilayah resmi (diterima "{{code}}")',
  'input.regionLevel': 'harus wilayah tingkat {{levels}} (diterima tingkat {{level}})',
  'input.regionNotACode': '"{{code}}" bukan kode wilayah seperti 16.01',
  'input.regionBelowParent': 'harus di bawah tingkat parentCode ({{level}})',
  'input.date': 'harus berupa tanggal',
  'input.future': 'tidak boleh di masa depan',
  'input.documentNumber':
    'harus terdiri dari huruf kapital, angka, spasi tunggal, ".", "/" atau "-", diawali dan diakhiri huruf atau angka',
  'input.after': 'harus setelah {{start}}',
  'input.notBefore': 'tidak boleh sebelum {{start}}',
  'input.notNegative': 'tidak boleh negatif',
  'input.cursor': 'bukan kursor dari daftar ini',
  'input.pageSize': 'harus antara 0 dan {{max}}',
  'input.unknownForeigner': 'tidak ada WNA dengan id "{{id}}"',
  'input.unknownInstitution': 'tidak ada instansi anggota dengan kode "{{code}}"',
  'input.atLeastOnePermitType': 'sebutkan sekurang-kurangnya satu jenis izin tinggal',
  'input.atLeastOneInstitution': 'sebutkan sekurang-kurangnya satu instansi',
  'input.atLeastOneForeigner': 'sebutkan sekurang-kurangnya satu WNA',
  'input.atMostForeigners': 'paling banyak {{maximum}} WNA',
  'input.partyRepeated': 'WNA ini sudah tercantum di antara para pihak; setiap WNA dicantumkan satu kali',
  'input.passportTaken': 'sudah terdaftar untuk WNA lain',
  'input.permitNumberTaken': 'izin tinggal dengan nomor ini sudah ada',
  'input.skttNumberTaken': 'SKTT dengan nomor ini sudah terdaftar',
  'input.skldNumberTaken': 'SKLD dengan nomor ini sudah ada',
  'input.reportNumberTaken': 'kejadian dengan nomor laporan ini sudah ada',
  'brief.noRegion': 'harus menyebut provinsi atau kabupaten/kota, mis. 16.01',
  'brief.tooManyCodes': 'paling banyak {{max}} wilayah',
  'brief.notProvinceOrRegency':
    '"{{code}}" adalah {{level}}: bahan rapat disusun untuk provinsi atau kabupaten/kota, mis. 16.01',
  'brief.unknownRegion': '"{{code}}" bukan kode provinsi atau kabupaten/kota dalam daftar resmi, mis. 16 atau 16.01',
  'brief.tooManyRegencies': 'mencakup {{count}} kabupaten/kota; bahan rapat paling banyak {{max}} (satu provinsi)',
  'brief.severalZones': 'mencakup {{zones}}: bahan rapat disusun untuk wilayah dalam satu zona waktu',
  'brief.meetingInPast': 'tidak boleh sebelum hari ini ({{today}} {{zone}})',
  'input.calendarYearOnly':
    'tanpa izin community:read, periode statistik harus satu tahun kalender penuh ({{zone}}, WIB, WITA, WIT atau UTC), mis. {{year}}-01-01T00:00:00{{sign}} sampai {{year}}-12-31T23:59:59{{sign}}, atau dikosongkan',

  'level.PROVINCE': 'provinsi',
  'level.REGENCY': 'kabupaten/kota',
  'level.DISTRICT': 'kecamatan',
  'level.VILLAGE': 'desa/kelurahan',
  'level.or': ' atau ',
};
