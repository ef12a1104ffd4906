import {createServer, type Server, type Socket} from 'node:net';
import {join} from 'node:path';
import type {JSONRPCMessage, JSONRPCRequest} from '@modelcontextprotocol/sdk/types.js';
import type {BridgeOptions} from '../../src/bridge/bridge.js';
import {jsonLines} from '../../src/shared/line-splitter.js';
import {Messages} from './messages.js';

/** Where a bridge is told the daemon listens. */
export type DaemonEndpoint = Awaited<ReturnType<BridgeOptions['connect']>>;

/** Results the daemon gives by itself, by method; requests for any other method (or one set to `undefined`) wait for the test. */
export type Answers = Record<string, unknown>;

export const INITIALIZE_RESULT = {
	protocolVersion: '2025-11-25',
	capabilities: {logging: {}, resources: {subscribe: true}},
	serverInfo: {name: 'fake-daemon', version: '0.0.0'},
};

/** What a real daemon answers without asking an upstream. */
const DEFAULT_ANSWERS: Answers = {
	initialize: INITIALIZE_RESULT,
	ping: {},
	'logging/setLevel': {},
	'resources/subscribe': {},
	'resources/unsubscribe': {},
};

/** One connection of a bridge to the fake daemon: one session. */
export class FakeSession {
	/** The first line the bridge sent: the token, and whom it serves. */
	readonly greeting: Promise<Record<string, unknown>>;
	/** What the bridge sent after its greeting. */
	readonly received = new Messages();
	private readonly closed: Promise<void>;

	constructor(
		private readonly socket: Socket,
		answers: Answers,
	) {
		this.closed = new Promise(resolve => socket.once('close', () => resolve()));
		let greeted: ((greeting: Record<string, unknown>) => void) | undefined;
		this.greeting = new Promise(resolve => {
			greeted = resolve;
		});
		const lines = jsonLines<Record<string, unknown>>(
			line => {
				if (greeted) {
					greeted(line);
					greeted = undefined;
					return;
				}

				const message = line as JSONRPCMessage;
				this.received.push(message);
				if ('method' in message && 'id' in message && answers[message.method] !== undefined) {
					this.reply(message, answers[message.method]);
				}
			},
			() => undefined,
		);
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => lines.push(chunk));
		socket.on('error', () => socket.destroy());
	}

	/** Settles when the connection is gone, whichever end closed it; fails if it is still open after `timeoutMs`. */
	async ended(timeoutMs = 1000): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`the session still open after ${timeoutMs} ms`)), timeoutMs);
		});
		try {
			await Promise.race([this.closed, late]);
		} finally {
			clearTimeout(timer);
		}
	}

	send(message: JSONRPCMessage): void {
		this.socket.write(`${JSON.stringify(message)}\n`);
	}

	reply(request: JSONRPCRequest, result: unknown = {}): void {
		this.send({jsonrpc: '2.0', id: request.id, result} as JSONRPCMessage);
	}

	/** The daemon's end goes at once and unannounced, as when its process is killed. */
	drop(): void {
		this.socket.destroy();
	}
}

let daemons = 0;

/**
 * A daemon as a bridge sees one, inside the test's process: a Unix socket that takes a greeting,
 * then JSON-RPC a line each way. It answers what needs no upstream; the test answers the rest,
 * and decides when the daemon dies.
 */
export class FakeDaemon {
	readonly sessions: FakeSession[] = [];
	private readonly opened = new Set<() => void>();

	private constructor(
		private readonly server: Server,
		readonly endpoint: DaemonEndpoint,
	) {}

	/** A daemon listening on a socket in `dir`. */
	static async start(dir: string, answers: Answers = {}): Promise<FakeDaemon> {
		const endpoint = {socket: join(dir, `daemon-${++daemons}.sock`), token: `token-${daemons}`};
		const server = createServer();
		const daemon = new FakeDaemon(server, endpoint);
		server.on('connection', socket => {
			daemon.sessions.push(new FakeSession(socket, {...DEFAULT_ANSWERS, ...answers}));
			for (const notify of daemon.opened) {
				notify();
			}
		});
		await new Promise<void>(resolve => server.listen(endpoint.socket, resolve));
		return daemon;
	}

	/** The `index`th session a bridge opened here (from 0), once it is open. */
	async session(index = 0, timeoutMs = 1000): Promise<FakeSession> {
		return (
			this.sessions[index] ??
			new Promise((resolve, reject) => {
				const notify = () => {
					const session = this.sessions[index];
					if (session) {
						this.opened.delete(notify);
						resolve(session);
					}
				};

				this.opened.add(notify);
				setTimeout(() => {
					if (this.opened.delete(notify)) {
						reject(new Error(`no session ${index} in ${timeoutMs} ms: ${this.sessions.length} opened`));
					}
				}, timeoutMs).unref();
			})
		);
	}

	/** Dies: every session dropped, and nothing listens on its socket any more. */
	async kill(): Promise<void> {
		for (const session of this.sessions) {
			session.drop();
		}

		await new Promise(resolve => this.server.close(resolve));
	}
}
