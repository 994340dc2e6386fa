/**
 * A subgraph's own database: one mongoose connection to one database name, with MongoDB
 * command monitoring so tests can count the commands a request costs and metrics can
 * record every command by collection and duration.
 */
import mongoose, { type Connection, type Model, type mongo } from 'mongoose';
import { guardClosedSocketWrites } from './closed-socket-guard.js';

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

/** The collection a command addresses (`getMore` names it apart), if any. */
function collectionOf(commandName: string, command: mongo.Document): string | undefined {
  const target = commandName === 'getMore' ? command.collection : command[commandName];
  return typeof target === 'string' ? target : undefined;
}

/** One database command as the driver completed it: what metrics record (never its arguments). */
export interface CommandEvent {
  commandName: string;
  collection: string | undefined;
  durationMs: number;
  failed: boolean;
}

/** How long a command waits for an unreachable database before it fails (also the initial connection). */
export const DATABASE_TIMEOUT_MS = 3000;

/** How often the driver probes the database (also while it is down, to notice it is back). */
export const DATABASE_HEARTBEAT_MS = 2000;

export interface ConnectOptions {
  /** Called once per completed command, housekeeping commands excluded. */
  onCommand?: (event: CommandEvent) => void;
}

export interface Database {
  connection: Connection;
  commands: CommandCounter;
  close(): Promise<void>;
}

export async function connectDatabase(uri: string, dbName: string, options: ConnectOptions = {}): Promise<Database> {
  const connection = mongoose.createConnection(uri, {
    dbName,
    monitorCommands: true,
    // While the database is down a command fails after this long (DATABASE_UNAVAILABLE), well
    // within the gateway's SUBGRAPH_TIMEOUT_MS; the driver keeps probing the server meanwhile
    // and the first command after it is back succeeds (test/faults/database-restart.test.ts).
    serverSelectionTimeoutMS: DATABASE_TIMEOUT_MS,
    // a connection attempt (the driver's monitor's too) that hangs — to a database going down or
    // coming up — is given up after as long, so the next probe finds the database once it is back
    connectTimeoutMS: DATABASE_TIMEOUT_MS,
    serverMonitoringMode: 'poll',
    heartbeatFrequencyMS: DATABASE_HEARTBEAT_MS,
    // mongoose holds commands while it thinks it is disconnected; no longer than the driver would wait
    // (a connection option mongoose honours but its types lack)
    ...({ bufferTimeoutMS: DATABASE_TIMEOUT_MS } as object),
    // FerretDB has no transactions and no retryable writes; MongoDB does not need them here.
    retryWrites: false,
    autoIndex: true,
  });
  const commands = new CommandCounter();
  const client = connection.getClient();
  const { onCommand } = options;
  // commands in flight, by the driver's request id: the completion events do not name the collection
  const inFlight = new Map<number, { commandName: string; collection: string | undefined }>();
  client.on('commandStarted', (event) => {
    if (HOUSEKEEPING.has(event.commandName)) return;
    const collection = collectionOf(event.commandName, event.command);
    commands.record(event.commandName, collection);
    if (onCommand) inFlight.set(event.requestId, { commandName: event.commandName, collection });
  });
  if (onCommand) {
    const completed = (event: mongo.CommandSucceededEvent | mongo.CommandFailedEvent, failed: boolean) => {
      const started = inFlight.get(event.requestId);
      if (!started) return;
      inFlight.delete(event.requestId);
      onCommand({ ...started, durationMs: event.duration, failed });
    };
    client.on('commandSucceeded', (event) => completed(event, false));
    client.on('commandFailed', (event) => completed(event, true));
  }
  try {
    await connection.asPromise();
  } catch (e) {
    throw new Error(`Cannot connect to the database at ${redactUri(uri)}: ${(e as Error).message}`);
  }
  // or the client may never reconnect after the database restarts (see closed-socket-guard.ts)
  try {
    guardClosedSocketWrites(connection);
  } catch (e) {
    await connection.close();
    throw e;
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
