/**
 * A workaround for a hang in the MongoDB driver (mongodb 7.8, under mongoose 9), patched into
 * the driver's connection class once, from the first live connection of a client.
 *
 * When the database closes a connection, Node destroys its socket at once but delivers the
 * `close` event a moment later; until then the driver still takes the connection for open. A
 * command written in that moment meets a destroyed socket: `write()` returns false and neither
 * `drain` nor `error` ever follows, so the driver waits for `drain` forever. When that command is
 * the driver's own heartbeat, the server monitor never checks again and the client never
 * reconnects once the database is back: the subgraph answers DATABASE_UNAVAILABLE until it is
 * restarted (test/faults/database-restart.test.ts caught one subgraph of three doing so; about
 * one restart in ten). A write that fails on its socket can also reject with Node's own error
 * (`write EPIPE`) instead of the driver's MongoNetworkError.
 *
 * Guarded, a write to a socket that is destroyed, or that closes before the write completes,
 * fails with a MongoNetworkError, as a write to a closed connection should: the heartbeat fails,
 * the monitor carries on and finds the database when it is back.
 */
import type { Socket } from 'node:net';
import { types } from 'node:util';
import { mongo, type Connection as MongooseConnection } from 'mongoose';

/** The part of the driver's (internal) connection class that the guard touches. */
interface DriverConnection {
  id?: unknown;
  address?: string;
  socket?: Socket;
  writeCommand?: (this: DriverConnection, ...args: unknown[]) => Promise<void>;
}

const GUARDED = Symbol.for('timpora.closedSocketGuard');

/**
 * Installs the guard on the driver's connection class, found through the client's server monitor
 * (on the first heartbeat that finds one, if the monitor has no connection right now). Throws when
 * the driver no longer looks as the guard expects: a driver upgrade must revisit it.
 */
export function guardClosedSocketWrites(connection: MongooseConnection): void {
  const client = connection.getClient();
  if (installFromMonitor(client) === 'installed') return;
  const retry = () => {
    try {
      if (installFromMonitor(client) === 'no-connection') return;
    } catch {
      // the driver has changed: reported by the first attempt of every other connection
    }
    client.off('serverHeartbeatSucceeded', retry);
  };
  client.on('serverHeartbeatSucceeded', retry);
}

function installFromMonitor(client: mongo.MongoClient): 'installed' | 'no-connection' {
  const servers = (client as unknown as { topology?: { s?: { servers?: Map<string, unknown> } } }).topology?.s?.servers;
  for (const server of servers?.values() ?? []) {
    const live = (server as { monitor?: { connection?: DriverConnection | null } }).monitor?.connection;
    if (live) {
      install(live);
      return 'installed';
    }
  }
  return 'no-connection';
}

function install(live: DriverConnection): void {
  // the prototype that defines writeCommand: the driver's Connection class
  let owner = Object.getPrototypeOf(live) as (DriverConnection & { [GUARDED]?: true }) | null;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'writeCommand')) owner = Object.getPrototypeOf(owner);
  if (!owner || typeof owner.writeCommand !== 'function' || !(live.socket && 'destroyed' in live.socket)) {
    throw new Error('The MongoDB driver has changed: revisit common/db/closed-socket-guard.ts');
  }
  if (owner[GUARDED]) return;
  const write = owner.writeCommand;
  owner.writeCommand = function guardedWriteCommand(this: DriverConnection, ...args: unknown[]) {
    const socket = this.socket;
    if (!socket) return write.apply(this, args);
    const closed = () => new mongo.MongoNetworkError(`connection ${String(this.id)} to ${this.address} closed`);
    if (socket.destroyed) return Promise.reject(closed());
    const abortReason = (args[1] as { signal?: AbortSignal } | undefined)?.signal?.reason;
    let onClose = () => {};
    return new Promise<void>((resolve, reject) => {
      onClose = () => reject(closed());
      socket.once('close', onClose);
      write.apply(this, args).then(resolve, (e: unknown) => {
        // Node's own socket error (of any realm), as the driver's network error; an abort stays what it is
        if (e instanceof mongo.MongoError || e === abortReason || !types.isNativeError(e)) reject(e);
        else reject(new mongo.MongoNetworkError(e.message, { cause: e }));
      });
    }).finally(() => socket.off('close', onClose));
  };
  owner[GUARDED] = true;
}
