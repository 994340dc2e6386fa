/**
 * What the meeting brief says, in Bahasa Indonesia: its cover, then its eight sections
 * (sections.ts, population.ts) as blocks the HTML and the PDF each lay out (blocks.ts); names
 * beside codes (regions from the answer, nationalities and permits labelled by the hub), dates
 * with their time zone (text.ts).
 */
import { enumLabel } from '../../common/i18n/labels.js';
import { formatDateTimeIn } from '../../common/time-zones.js';
import { BriefWriter, type BriefDocument, type Cover } from './blocks.js';
import type { BriefFile } from './model.js';
import { populationSection } from './population.js';
import {
  expirySection,
  lastMeetingSection,
  operationsSection,
  periodSections,
  registrationGapSection,
  summarySection,
} from './sections.js';
import { regency, regionName, tanggal } from './text.js';

export async function briefDocument(file: BriefFile): Promise<BriefDocument> {
  const w = new BriefWriter(file);
  const cover = briefCover(w, file);
  summarySection(w);
  await populationSection(w);
  await expirySection(w);
  await registrationGapSection(w);
  await periodSections(w);
  lastMeetingSection(w);
  operationsSection(w);
  w.paragraph(
    `Dokumen ini dibuat dari TIMPORA Hub (kueri meetingBrief) atas nama ${file.preparedBy.agency}; permintaannya tercatat ` +
      'dalam log akses setiap instansi. Angka-angkanya sama dengan kueri hub sendiri pada saat dokumen dibuat.',
    'muted',
  );
  return { cover, blocks: w.blocks };
}

function briefCover(w: BriefWriter, file: BriefFile): Cover {
  const { brief, zone, regencies, periodStart } = w;
  return {
    title: 'Bahan Rapat Koordinasi TIMPORA',
    subtitle: regencies.map(regency).join(', '),
    facts: [
      ['Wilayah', `${brief.regionCode} — ${regencies.map((r) => regionName(r.regionName)).join(', ')}`],
      ['Tanggal rapat', tanggal(brief.meetingDate, true)],
      ['Disiapkan oleh', `${file.preparedBy.agency} (${enumLabel('AgencyType', file.preparedBy.agencyType)})`],
      ['Dibuat pada', formatDateTimeIn(zone, new Date(brief.generatedAt))],
      ['Data per', `${tanggal(brief.asOf)} (${zone.abbreviation}, ${zone.name})`],
      [
        'Periode laporan',
        periodStart ? `${periodStart} s.d. ${formatDateTimeIn(zone, new Date(brief.generatedAt))}` : '–',
      ],
      ['Tujuan', file.purpose],
    ],
  };
}
