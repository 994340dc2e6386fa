/**
 * The database driver guarded against writes to closed sockets (common/db/closed-socket-guard.ts):
 * a command written to a connection whose socket was just destroyed — its `close` event not yet
 * delivered, so the connection still looks open — fails as a network error instead of waiting
 * forever. Unguarded, that wait stopped a subgraph's server monitor for good, and the subgraph
 * never reconnected after a database restart.
 */
import type { Socket } from 'node:net';
import { mongo } from 'mongoose';
import { connectDatabase, type Database } from '../../common/db/connection.js';
import { testMongoUri, uniqueDbName } from '../helpers/env.js';

/** The driver's (internal) connection, as far as this test uses it. */
interface DriverConnection {
  socket: Socket;
  closed: boolean;
  command(ns: { db: string }, command: Record<string, unknown>, options: Record<string, unknown>): Promise<unknown>;
}

let db: Database;

beforeAll(async () => {
  db = await connectDatabase(testMongoUri(), uniqueDbName('closed_socket'));
}, 60_000);
afterAll(() => db?.close());

/** The connection of the client's server monitor (the one whose heartbeat hung). */
function monitorConnection(): DriverConnection {
  const topology = (db.connection.getClient() as unknown as { topology: { s: { servers: Map<string, unknown> } } })
    .topology;
  const [server] = topology.s.servers.values();
  return (server as { monitor: { connection: DriverConnection } }).monitor.connection;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('fails a command written to a socket destroyed a moment ago instead of waiting forever', async () => {
  const connection = monitorConnection();
  connection.socket.destroy(); // as when the database closes it: `close` comes a moment later
  expect(connection.closed).toBe(false);
  const outcome = await Promise.race([
    connection.command({ db: 'admin' }, { ping: 1 }, {}).then(
      () => 'answered',
      (e: unknown) => e,
    ),
    sleep(10_000).then(() => 'still waiting after 10 s'),
  ]);
  expect(outcome).toBeInstanceOf(mongo.MongoNetworkError);
});

it('serves commands as before once that connection is gone', async () => {
  await expect(db.connection.db!.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
});
