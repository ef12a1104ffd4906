import {randomUUID} from 'node:crypto';
import {chmodSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {unlinkIfExists} from '../shared/atomic-file.js';
import {LineReader} from '../shared/line-splitter.js';
import type {Logger} from '../shared/log.js';
import type {ClientIdentity} from '../contract/client-identity.js';
import {readGreeting} from '../contract/greeting.js';
import {loggedFlow} from './outbox.js';
import {sameSecret} from './same-secret.js';
import type {Session} from './session.js';
import {SocketTransport} from './socket-transport.js';

/** A greeting longer than this is not one. */
const MAX_GREETING = 64 * 1024;
/** A bridge greets as it connects; a connection silent this long is not one. */
const GREETING_TIMEOUT_MS = 5000;
/** Connections that have not greeted yet, at most: more are closed at once. */
const MAX_UNGREETED = 64;

export type SocketServerOptions = {
	readonly token: string;
	readonly maxMessageBytes: number;
	readonly log: Logger;
};

/**
 * The daemon's Unix socket for bridges: one connection is one MCP session, JSON-RPC a line. The
 * socket file is owner-only and the greeting must carry the bearer token, as HTTP requests must;
 * until it has, a connection gets a few seconds and a small share of the daemon.
 * A socket file found here is a killed daemon's: `runDaemon` refuses to start beside a live one.
 */
export async function startSocketServer(
	path: string,
	options: SocketServerOptions,
	open: (identity: ClientIdentity, transport: SocketTransport) => Promise<Session>,
): Promise<Server> {
	const {log} = options;
	let ungreeted = 0;
	const server = createServer(socket => {
		socket.on('error', () => socket.destroy());
		if (ungreeted >= MAX_UNGREETED) {
			log.warn('socket connection refused: too many connections have not greeted yet', {limit: MAX_UNGREETED});
			socket.destroy();
			return;
		}

		ungreeted++;
		let waiting = true;
		const settle = () => {
			if (waiting) {
				waiting = false;
				ungreeted--;
				clearTimeout(timer);
			}
		};

		const timer = setTimeout(() => {
			log.warn('socket connection closed: no greeting', {after: `${GREETING_TIMEOUT_MS / 1000} s`});
			socket.destroy();
		}, GREETING_TIMEOUT_MS);
		socket.once('close', settle);
		const reader: LineReader = new LineReader(
			socket,
			line => {
				settle();
				reader.hold();
				greet(socket, reader, line);
			},
			{maxBytes: MAX_GREETING, onOverflow: () => socket.destroy()},
		);
	});

	function greet(socket: Socket, reader: LineReader, line: string): void {
		const greeting = readGreeting(line);
		if (!greeting || !sameSecret(greeting.token, options.token)) {
			socket.end(
				`${JSON.stringify({
					jsonrpc: '2.0',
					id: null,
					error: {code: -32_001, message: 'Unauthorized: the greeting must carry the daemon token.'},
				})}\n`,
			);
			return;
		}

		const sessionId = randomUUID();
		const transport = new SocketTransport(sessionId, socket, reader, {
			maxMessageBytes: options.maxMessageBytes,
			flow: loggedFlow(log, sessionId, options.maxMessageBytes),
		});
		void open(greeting, transport).catch(() => socket.destroy());
	}

	unlinkIfExists(path);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(path, () => {
			server.off('error', reject);
			resolve();
		});
	});
	chmodSync(path, 0o600);
	return server;
}
