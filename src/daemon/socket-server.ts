import {randomUUID} from 'node:crypto';
import {chmodSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {unlinkIfExists} from '../shared/atomic-file.js';
import type {ClientIdentity} from '../contract/client-identity.js';
import {readGreeting} from '../contract/greeting.js';
import {sameSecret} from './same-secret.js';
import type {Session} from './session.js';
import {SocketTransport} from './socket-transport.js';

/** A greeting longer than this is not one. */
const MAX_GREETING = 64 * 1024;

/**
 * The daemon's Unix socket for bridges: one connection is one MCP session, JSON-RPC a line. The
 * socket file is owner-only and the greeting must carry the bearer token, as HTTP requests must.
 * A socket file found here is a killed daemon's: `runDaemon` refuses to start beside a live one.
 */
export async function startSocketServer(
	path: string,
	token: string,
	open: (identity: ClientIdentity, transport: SocketTransport) => Promise<Session>,
): Promise<Server> {
	const server = createServer(socket => {
		socket.setEncoding('utf8');
		let buffered = '';
		const onData = (chunk: string) => {
			buffered += chunk;
			const newline = buffered.indexOf('\n');
			if (newline === -1) {
				if (buffered.length > MAX_GREETING) {
					socket.destroy();
				}

				return;
			}

			socket.off('data', onData);
			greet(socket, buffered.slice(0, newline), buffered.slice(newline + 1));
		};

		socket.on('data', onData);
		socket.on('error', () => socket.destroy());
	});

	function greet(socket: Socket, line: string, rest: string): void {
		const greeting = readGreeting(line);
		if (!greeting || !sameSecret(greeting.token, token)) {
			socket.end(
				`${JSON.stringify({
					jsonrpc: '2.0',
					id: null,
					error: {code: -32_001, message: 'Unauthorized: the greeting must carry the daemon token.'},
				})}\n`,
			);
			return;
		}

		void open(greeting, new SocketTransport(randomUUID(), socket, rest)).catch(() => socket.destroy());
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
