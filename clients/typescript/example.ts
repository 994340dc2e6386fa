/**
 * An immigration office's system connected to the TIMPORA Hub, as an agency developer writes
 * it: it registers an arriving foreigner and issues the ITAS through its own subgraph
 * (immigration), then reads through the gateway what the other agencies know — whether the
 * new holder already has the SKLD (police) and SKTT (Dukcapil) the ITAS requires. Every
 * operation is typed by the code generated from the hub's schema (`npm run codegen`).
 *
 *   npx tsx clients/typescript/example.ts --gateway http://127.0.0.1:4000/graphql \
 *     --immigration http://127.0.0.1:4001/graphql --token "$TOKEN"
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  ForeignerRegistrationDocument,
  IssueStayPermitDocument,
  RegisterForeignerDocument,
  type ForeignerRegistrationQuery,
  type RegisterForeignerInput,
} from './generated/graphql.js';
import { createHubClient } from './hub-client.js';

export interface ArrivalOptions {
  /** The gateway, for reading shared data. */
  gatewayUrl: string;
  /** The immigration subgraph, where an immigration office writes. */
  immigrationUrl: string;
  /** A token of an immigration office (`immigration:write`). */
  token: string;
  purpose?: string;
  arrival: RegisterForeignerInput;
  permit: { number: string; issuedAt: string; expiresAt: string; sponsor: string };
}

export interface ArrivalReport {
  foreignerId: string;
  registration: NonNullable<ForeignerRegistrationQuery['foreigner']>;
  /** What the holder still has to do, from the SKLD and SKTT compliance. */
  todo: string[];
}

export async function registerArrival(options: ArrivalOptions): Promise<ArrivalReport> {
  const purpose = options.purpose ?? 'ITAS issuance';
  const immigration = createHubClient({ url: options.immigrationUrl, token: options.token, purpose });
  const gateway = createHubClient({ url: options.gatewayUrl, token: options.token, purpose });

  // writes go to the agency's own subgraph
  const registered = await immigration.request(RegisterForeignerDocument, { input: options.arrival });
  const foreignerId = registered.data.registerForeigner.foreigner.id;
  await immigration.request(IssueStayPermitDocument, {
    input: {
      foreignerId,
      number: options.permit.number,
      type: 'LIMITED_STAY',
      purpose: 'WORK',
      issuedAt: options.permit.issuedAt,
      expiresAt: options.permit.expiresAt,
      issuingOffice: 'Kantor Imigrasi Kelas II Non TPI Muara Enim',
      sponsor: { name: options.permit.sponsor, type: 'COMPANY' },
    },
  });

  // reads of what several agencies know go through the gateway; a withheld field raises HubRequestError
  const { data } = await gateway.request(ForeignerRegistrationDocument, { id: foreignerId });
  if (!data.foreigner) throw new Error(`foreigner ${foreignerId} is not visible through the gateway`);
  const todo: string[] = [];
  // the compliance values are a union of string literals: a typo here would not compile
  if (data.foreigner.selfReportCompliance !== 'VALID') todo.push('report to the Polres for an SKLD');
  if (data.foreigner.residenceCompliance !== 'VALID') todo.push('register the residence with Dukcapil for an SKTT');
  return { foreignerId, registration: data.foreigner, todo };
}

/** `npx tsx clients/typescript/example.ts --gateway … --immigration … --token …` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      gateway: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      immigration: { type: 'string', default: 'http://127.0.0.1:4001/graphql' },
      token: { type: 'string' },
    },
  });
  if (!values.token) throw new Error('--token is required (an IMMIGRATION token, e.g. from npm run token)');
  const serial = String(Date.now()).slice(-6);
  const todayInWib = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
  const report = await registerArrival({
    gatewayUrl: values.gateway,
    immigrationUrl: values.immigration,
    token: values.token,
    arrival: {
      fullName: 'Example Arrival',
      nationality: 'CHN',
      sex: 'MALE',
      dateOfBirth: '1990-01-01',
      passportNumber: `EX${serial}`,
      domicileRegionCode: '16.01.14.1001',
    },
    permit: {
      number: `ITAS-EX-${serial}`,
      // today as the office in Baturaja lives it (WIB, UTC+7), not the UTC date
      issuedAt: todayInWib,
      expiresAt: `${Number(todayInWib.slice(0, 4)) + 1}-12-31`,
      sponsor: 'PT Contoh Baturaja',
    },
  });
  console.log(JSON.stringify(report, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
