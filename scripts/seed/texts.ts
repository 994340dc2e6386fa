/**
 * Narratives of the demo records (incident summaries, TAK grounds, cekal reasons). All are
 * invented; they use only places and the fictional companies, never a person's name.
 */
import type { IncidentCategory, Involvement } from '../../subgraphs/police/src/models/incident.js';
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
        `The foreign national reported the theft of a mobile phone and a wallet from a rented room in ${c.place}. Satreskrim ${c.unit} secured CCTV footage from a nearby shop.`,
      (c) =>
        `A motorcycle rented by the foreign national was stolen while parked at a market in ${c.place}. The rental papers were attached to the report.`,
      (c) =>
        `Cash and a laptop were taken from the foreign national's room${c.company ? ` at the mess of ${c.company}` : ''} in ${c.place} while the occupant was at work.`,
    ],
    SUSPECT: [
      (c) =>
        `Copper cable and spare parts were taken from a warehouse${c.company ? ` of ${c.company}` : ''} in ${c.place}; the foreign national was named by the site security team. The goods were recovered.`,
    ],
    WITNESS: [
      (c) =>
        `Theft of diesel fuel from a site tank in ${c.place}; the foreign national, a shift supervisor, gave a statement.`,
    ],
  },
  ASSAULT: {
    SUSPECT: [
      (c) =>
        `Fight between a foreign worker and a local resident${c.company ? ` near the mess of ${c.company}` : ''} in ${c.place} after a dispute over a parking space; the resident suffered bruises and a medical examination (visum) was requested.`,
    ],
    VICTIM: [
      (c) =>
        `The foreign national was assaulted by an unknown person on the way back from a night market in ${c.place} and treated at the local health centre.`,
    ],
    WITNESS: [
      (c) =>
        `Brawl between two groups of contract workers at a canteen in ${c.place}; the foreign national witnessed the start of the fight.`,
    ],
  },
  FRAUD: {
    VICTIM: [
      (c) =>
        `The foreign national transferred money to a seller of a used car advertised online; the car did not exist. Reported to ${c.unit}.`,
      () =>
        `The foreign national paid a broker who promised to arrange an extension of the stay permit; no application was made. The broker is not an immigration officer.`,
    ],
    SUSPECT: [
      (c) =>
        `Local suppliers in ${c.place} reported that invoices for building materials were not paid after delivery; the foreign national signed the orders as site manager.`,
    ],
  },
  NARCOTICS: {
    SUSPECT: [
      (c) =>
        `The foreign national was arrested in ${c.place} with a small amount of crystal methamphetamine (sabu). The case was handled by Satresnarkoba ${c.unit} with BNNK; the immigration office was notified.`,
      (c) =>
        `A search of a rented house in ${c.place} after a tip-off from residents found drug paraphernalia; the foreign national tested positive and was referred for assessment (asesmen terpadu).`,
    ],
  },
  TRAFFIC: {
    SUSPECT: [
      (c) =>
        `Collision between a pickup truck driven by the foreign national${c.company ? ` (a vehicle of ${c.company})` : ''} and a motorcycle on the Jalan Lintas Sumatera in ${c.place}; the motorcyclist was treated for minor injuries. Settled between the parties.`,
      (c) =>
        `The foreign national drove a company car without an Indonesian or international driving licence and hit a roadside stall in ${c.place}. Damage was compensated.`,
    ],
    VICTIM: [
      (c) =>
        `A truck hauling coal hit the car carrying the foreign national on the road through ${c.place}; the passenger had minor injuries.`,
    ],
    WITNESS: [
      (c) =>
        `Accident between a coal truck and a minibus in ${c.place}; the foreign national, travelling behind, gave a statement to Satlantas ${c.unit}.`,
    ],
  },
  PUBLIC_ORDER: {
    SUSPECT: [
      (c) =>
        `Residents of ${c.place} complained of loud late-night gatherings and drinking at a rented house used by foreign workers. Warned by the Polsek and the village head.`,
    ],
    WITNESS: [
      (c) =>
        `A protest by residents at the gate of${c.company ? ` ${c.company}` : ' a plantation'} in ${c.place} over dust and road damage; the foreign national, a site manager, gave a statement.`,
    ],
    REPORTER: [
      (c) =>
        `The foreign national reported a crowd blocking the access road to the site in ${c.place} over a land compensation dispute. Resolved by mediation with the camat of ${c.district}.`,
    ],
  },
  LABOUR_DISPUTE: {
    REPORTER: [
      (c) =>
        `Management${c.company ? ` of ${c.company}` : ''} reported a work stoppage by local contract workers over overtime pay at the site in ${c.place}; mediated by Disnaker and the Polsek.`,
    ],
    SUSPECT: [
      (c) =>
        `Local workers${c.company ? ` of ${c.company}` : ''} reported that a foreign supervisor in ${c.place} struck a worker during an argument over work assignments. Both sides were questioned.`,
    ],
    VICTIM: [
      (c) =>
        `A foreign supervisor was pushed and threatened by dismissed contract workers at the gate of the site in ${c.place}.`,
    ],
    WITNESS: [
      (c) =>
        `Dispute between local workers and a subcontractor${c.company ? ` of ${c.company}` : ''} over unpaid wages in ${c.place}; the foreign national was questioned as a witness.`,
    ],
  },
  IMMIGRATION_VIOLATION: {
    SUSPECT: [
      (c) =>
        `During a check in ${c.place} the foreign national could not show a valid stay permit; the permit had expired. Handed over to the Kantor Imigrasi Baturaja.`,
      (c) =>
        `The foreign national was found working${c.company ? ` at ${c.company}` : ''} in ${c.place} on a permit that does not allow this work. Handed over to the immigration office.`,
      (c) =>
        `A lodging in ${c.place} had not reported the foreign national through APOA; the stay permit on file did not match the passport shown. Referred to the immigration office.`,
    ],
  },
  OTHER: {
    REPORTER: [
      (c) =>
        `The foreign national reported the loss of a passport in ${c.place}; a police loss report was issued for the replacement at the embassy and the immigration office.`,
      (c) => `The foreign national reported threatening messages received after a business disagreement in ${c.place}.`,
    ],
    WITNESS: [
      (c) =>
        `A fire in a workers' barrack${c.company ? ` of ${c.company}` : ''} in ${c.place}; no casualties. The foreign national gave a statement.`,
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
  'Worked for an employer other than the sponsor named in the stay permit (found during a TIMPORA field check).',
  'The sponsor withdrew its guarantee after the employment contract was terminated; the holder did not leave.',
  'Activities not in line with the purpose of stay stated in the permit.',
  'The holder gave false information about the employer when applying for the extension.',
];

export const DEPORTATION_REASONS = [
  'Deported after serving a sentence for a narcotics offence; a danger to public order (Art. 75 Law 6/2011).',
  'Deported for working without a valid work permit and overstaying for more than 60 days.',
  'Deported for repeated disturbance of public order reported by the police and residents.',
  'Deported for taking part in activities endangering security and public order.',
];
