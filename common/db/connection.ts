/**
 * A subgraph's own database: one mongoose connection to one database name, with MongoDB
 * command monitoring so tests (and metrics) can count the commands a request costs.
 */
import mongoose, { type Connection, type Model } from 'mongoose';

/** Counts database commands by name and collection as the driver sends them. */
export class CommandCounter {
  private total = 0;
  private readonly byKey = new Map<string, number>();

  record(commandName: string, collection: string | undefined): void {
    this.total += 1;
    const key = collection ? `${commandName}:${collection}` : commandName;
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
  }

  get count(): number {
    return this.total;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.byKey);
  }

  reset(): void {
    this.total = 0;
    this.byKey.clear();
  }
}

/** Commands the driver sends on its own (handshakes, heartbeats, sessions); not a request's cost. */
const HOUSEKEEPING = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'saslStart',
  'saslContinue',
  'endSessions',
  'killCursors',
]);

export interface Database {
  connection: Connection;
  commands: CommandCounter;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    monitorCommands: true,
    serverSelectionTimeoutMS: 10_000,
    // FerretDB has no transactions and no retryable writes; MongoDB does not need them here.
    retryWrites: false,
    autoIndex: true,
  });
  const commands = new CommandCounter();
  connection.getClient().on('commandStarted', (event) => {
    if (HOUSEKEEPING.has(event.commandName)) return;
    const collection = event.command[event.commandName];
    commands.record(event.commandName, typeof collection === 'string' ? collection : undefined);
  });
  try {
    await connection.asPromise();
  } catch (e) {
    throw new Error(`Cannot connect to the database at ${redactUri(uri)}: ${(e as Error).message}`);
  }
  return {
    connection,
    commands,
    close: () => connection.close(),
  };
}

/** The URI without its password, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

/** A mongoose model of plain records (lean reads), as `connection.model()` returns it. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type RecordModel<T> = Model<T, {}, {}, { id: string }>;
