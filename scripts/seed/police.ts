/**
 * A person's police records: SKLD (self-report certificates) for residents, and now and then an
 * incident — with coworkers present at the same employer as parties — and the cekal a suspect's
 * investigation asks for.
 */
import { enumLabel } from '../../common/i18n/labels.js';
import { regionAncestryFields } from '../../common/regions.js';
import {
  INCIDENT_REGION_FIELDS,
  type IncidentCategory,
  type IncidentDoc,
  type IncidentPartyDoc,
  type IncidentStatus,
  type Involvement,
} from '../../subgraphs/police/src/models/incident.js';
import {
  SELF_REPORT_REGION_FIELDS,
  type SelfReportCertificateDoc,
} from '../../subgraphs/police/src/models/self-report.js';
import { agencyName } from './coordination.js';
import { addDays, addMonths, atLocalTime, daysBetween, maxDate, minDate, randomDay, romanMonth } from './dates.js';
import { summarize } from './immigration-records.js';
import { pad, type Person, type SeedDocs, type SeedWorld } from './person.js';
import { policeUnitFor } from './places.js';
import type { Rng, Weighted } from './random.js';
import { INVOLVEMENT_WEIGHTS, incidentSummary } from './texts.js';

const INCIDENT_CATEGORIES: Weighted<IncidentCategory> = [
  ['TRAFFIC', 26],
  ['LABOUR_DISPUTE', 22],
  ['THEFT', 16],
  ['PUBLIC_ORDER', 9],
  ['ASSAULT', 7],
  ['FRAUD', 6],
  ['IMMIGRATION_VIOLATION', 5],
  ['OTHER', 6],
  ['NARCOTICS', 3],
];

interface CoworkerStay {
  id: string;
  from: Date;
  to: Date;
}

/** Writes each person's police records; remembers who worked where when, for incidents' parties. */
export class PoliceGenerator {
  private readonly coworkers = new Map<string, CoworkerStay[]>();

  constructor(private readonly world: SeedWorld) {}

  emit(rng: Rng, person: Person, out: SeedDocs): void {
    const residentPermits = person.permits.filter((p) => p.type === 'LIMITED_STAY' || p.type === 'PERMANENT_STAY');
    const unit = policeUnitFor(this.world.places, person.village.code);
    if (residentPermits.length > 0 && !person.withoutSkld) {
      let issued = 0;
      residentPermits.forEach((permit, i) => {
        const recent = i >= residentPermits.length - 2;
        if (!recent && !rng.chance(0.6)) return;
        const issuedAt = addDays(permit.issuedAt, rng.int(3, 30));
        if (issuedAt.getTime() > minDate(this.world.stayEnd(person), this.world.lastDay).getTime()) return;
        const year = issuedAt.getUTCFullYear();
        const serial = this.world.nextSerial(`SKLD ${unit.short} ${year}`);
        out.selfReports.push({
          _id: `${person.id}-SKLD${++issued}`,
          number: `SKLD/${pad(serial, 4)}/${romanMonth(issuedAt)}/${year}/SAT INTELKAM/${unit.short}`,
          foreignerId: person.id,
          issuedAt,
          validUntil: permit.expiresAt,
          issuingUnit: unit.name,
          address: person.address,
          ...regionAncestryFields(person.village.code, SELF_REPORT_REGION_FIELDS),
          createdAt: atLocalTime(rng, issuedAt, 8, 15),
        } as SelfReportCertificateDoc);
      });
    }

    // incidents: a few % of foreigners, more among overstayers and those later deported
    const stayStart = addDays(person.arrival, 7);
    const stayEnd = this.world.stayEnd(person);
    if (stayEnd.getTime() <= stayStart.getTime()) return;
    let category: IncidentCategory | null = null;
    let involvement: Involvement | null = null;
    let when: Date | null = null;
    if (person.fate === 'DEPORTED' && rng.chance(0.7)) {
      category = rng.weighted<IncidentCategory>([
        ['NARCOTICS', 3],
        ['ASSAULT', 2],
        ['PUBLIC_ORDER', 2],
        ['IMMIGRATION_VIOLATION', 3],
      ]);
      involvement = 'SUSPECT';
      const deported = person.departed ?? stayEnd;
      when = randomDay(rng, maxDate(stayStart, addDays(deported, -120)), addDays(deported, -50));
    } else if (person.fate === 'OVERSTAY' && rng.chance(0.2)) {
      category = 'IMMIGRATION_VIOLATION';
      involvement = 'SUSPECT';
      const expired = summarize(person.permits)!.expiresAt;
      when = randomDay(rng, addDays(expired, 1), this.world.lastDay);
    } else if (person.fate === 'REVOKED' && rng.chance(0.3)) {
      category = rng.pick<IncidentCategory>(['LABOUR_DISPUTE', 'IMMIGRATION_VIOLATION']);
      involvement = category === 'IMMIGRATION_VIOLATION' ? 'SUSPECT' : rng.weighted(INVOLVEMENT_WEIGHTS[category]);
      when = randomDay(rng, stayStart, stayEnd);
    } else if (rng.chance(person.category === 'VISIT' ? 0.01 : 0.035)) {
      category = rng.weighted(INCIDENT_CATEGORIES);
      if (category === 'LABOUR_DISPUTE' && !person.company) category = 'TRAFFIC';
      involvement = rng.weighted(INVOLVEMENT_WEIGHTS[category]);
      when = randomDay(rng, stayStart, stayEnd);
    }
    if (category && involvement && when) this.incident(rng, person, category, involvement, when, out);
    if (person.company && person.category === 'WORK') this.rememberCoworker(person);
  }

  private incident(
    rng: Rng,
    person: Person,
    category: IncidentCategory,
    involvement: Involvement,
    day: Date,
    out: SeedDocs,
  ): void {
    const atSite =
      person.company && (category === 'LABOUR_DISPUTE' || (category === 'OTHER' && involvement === 'WITNESS'));
    const region = atSite ? person.company!.village : this.world.places.nearbyVillage(rng, person.village.code);
    const district = this.world.places.get(region.parentCode!);
    const unit = policeUnitFor(this.world.places, region.code);
    const occurredAt = atLocalTime(rng, day, 6, 23);
    const ageDays = daysBetween(day, this.world.today);
    const status: IncidentStatus =
      ageDays > 180
        ? rng.weighted([
            ['RESOLVED', 70],
            ['TRANSFERRED', 30],
          ])
        : ageDays > 30
          ? rng.weighted([
              ['UNDER_INVESTIGATION', 50],
              ['RESOLVED', 40],
              ['TRANSFERRED', 10],
            ])
          : rng.weighted([
              ['REPORTED', 60],
              ['UNDER_INVESTIGATION', 40],
            ]);
    const parties: IncidentPartyDoc[] = [{ foreignerId: person.id, involvement }];
    if (
      person.company &&
      (category === 'LABOUR_DISPUTE' || category === 'ASSAULT' || category === 'TRAFFIC') &&
      rng.chance(0.5)
    ) {
      const present = (this.coworkers.get(person.company.name) ?? []).filter((c) => c.from <= day && day <= c.to);
      for (const other of rng.sample(present, rng.int(1, 3))) {
        parties.push({
          foreignerId: other.id,
          involvement: category === 'LABOUR_DISPUTE' ? rng.pick(['WITNESS', 'SUSPECT', 'VICTIM'] as const) : 'WITNESS',
        });
      }
    }
    const year = day.getUTCFullYear();
    const serial = this.world.nextSerial(`LP ${unit.short} ${year}`);
    const summary = incidentSummary(rng, category, involvement, {
      place: `${region.name}, Kecamatan ${district.name}`,
      district: district.name,
      company: person.company?.name ?? null,
      unit: unit.name,
    });
    out.incidents.push({
      _id: `${person.id}-LP1`,
      reportNumber: `LP/B/${serial}/${romanMonth(day)}/${year}/SPKT/${unit.short}`,
      category,
      occurredAt,
      ...regionAncestryFields(region.code, INCIDENT_REGION_FIELDS),
      status,
      summary,
      parties,
      foreignerIds: parties.map((p) => p.foreignerId),
      createdAt: minDate(new Date(occurredAt.getTime() + rng.int(1, 48) * 3_600_000), this.world.today),
    } as IncidentDoc);

    // a suspect under investigation may not leave Indonesia (cekal pencegahan)
    const serious =
      category === 'NARCOTICS' ||
      category === 'ASSAULT' ||
      category === 'FRAUD' ||
      category === 'THEFT' ||
      category === 'IMMIGRATION_VIOLATION';
    if (serious && involvement === 'SUSPECT' && status !== 'RESOLVED' && person.fate === 'STAYING' && rng.chance(0.6)) {
      const since = addDays(day, rng.int(3, 20));
      if (since.getTime() <= this.world.today.getTime()) {
        const requester =
          unit.short === 'POLRES OKU'
            ? 'POLRES-OKU'
            : unit.short === 'POLRES OKU TIMUR'
              ? 'POLRES-OKUT'
              : unit.short === 'POLRES OKU SELATAN'
                ? 'POLRES-OKUS'
                : null;
        out.watchlistEntries.push({
          _id: `${person.id}-CEKAL1`,
          foreignerId: person.id,
          type: 'PREVENTION',
          reason: `Pencegahan atas permintaan penyidik untuk kepentingan penyidikan laporan polisi ${out.incidents.at(-1)!.reportNumber} (${enumLabel('IncidentCategory', category).toLowerCase()}).`,
          since,
          until: addDays(addMonths(since, 6), -1),
          requestedBy: requester ? agencyName(requester) : unit.name,
        });
      }
    }
  }

  private rememberCoworker(person: Person): void {
    const list = this.coworkers.get(person.company!.name) ?? [];
    list.push({ id: person.id, from: person.arrival, to: this.world.stayEnd(person) });
    if (list.length > 40) list.shift();
    this.coworkers.set(person.company!.name, list);
  }
}
