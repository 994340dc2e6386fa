/**
 * The brief as a list of blocks (headings, paragraphs, tables, charts) that the HTML and the PDF
 * each lay out, and the writer its sections add their blocks with.
 */
import { TIME_ZONES, formatDateTimeIn, type RegionTimeZone } from '../../common/time-zones.js';
import type { Chart } from './charts.js';
import type { BriefFile, MeetingBrief, Section } from './model.js';
import { tanggal, withheldText } from './text.js';

export interface Cover {
  title: string;
  subtitle: string;
  facts: [string, string][];
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'note' | 'muted' }
  | {
      kind: 'table';
      columns: { label: string; numeric?: boolean; width?: number }[];
      rows: string[][];
      total?: string[];
    }
  | { kind: 'chart'; chart: Chart };

export interface BriefDocument {
  cover: Cover;
  blocks: Block[];
}

/** The blocks written so far, and what every section reads: the answer, its time zone, its period. */
export class BriefWriter {
  readonly blocks: Block[] = [];
  readonly brief: MeetingBrief;
  readonly withheld: BriefFile['withheld'];
  readonly zone: RegionTimeZone;
  /** The regencies the brief covers, shaped like the rows of the answer. */
  readonly regencies: { regionCode: string; regionName: string }[];
  /** The start of the reporting period in the brief's time zone, if the answer has one. */
  readonly periodStart: string | null;
  /** "sejak rapat terakhir (…)", or since the period's start. */
  readonly since: string;

  constructor(file: BriefFile) {
    const { brief } = file;
    this.brief = brief;
    this.withheld = file.withheld;
    this.zone = TIME_ZONES[brief.timeZone];
    this.regencies = brief.regencies.map((r) => ({ regionCode: r.code, regionName: r.name }));
    this.periodStart = brief.periodStart ? formatDateTimeIn(this.zone, new Date(brief.periodStart)) : null;
    this.since = brief.lastMeeting
      ? `sejak rapat terakhir (${tanggal(brief.lastMeeting.heldOn)})`
      : this.periodStart
        ? `sejak ${this.periodStart}`
        : 'sejak rapat terakhir';
  }

  add(block: Block): void {
    this.blocks.push(block);
  }

  heading(text: string): void {
    this.add({ kind: 'heading', text });
  }

  paragraph(text: string, tone?: 'note' | 'muted'): void {
    this.add({ kind: 'paragraph', text, tone });
  }

  /** True, after saying why, when the gateway refused `section`. */
  refused(section: Section): boolean {
    const reason = this.withheld[section];
    if (reason) this.paragraph(withheldText(reason), 'muted');
    return Boolean(reason);
  }
}
