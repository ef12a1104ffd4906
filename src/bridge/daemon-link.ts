import {Agent, request, type IncomingMessage} from 'node:http';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {MCP_PATH} from '../daemon/endpoint-paths.js';
import {isSameProcessAlive} from '../lifecycle/process-identity.js';
import {SseParser} from './sse-parser.js';

/** Where the daemon listens; `pid` and `startTime` say which process it is, when known. */
export type Endpoint = {readonly port: number; readonly token: string; readonly pid?: number; readonly startTime?: string};

export type PostResult = {readonly status: number; readonly sessionId?: string; readonly body?: string};

/** A request that failed before the daemon could have seen it: always safe to send again. */
export class NotDelivered extends Error {}

/** A connection idle longer than this gets the full liveness check before it is used again. */
const IDLE_CHECK_MS = 20;

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EADDRNOTAVAIL']);

/**
 * The bridge's HTTP side: plain `node:http` over one keep-alive agent. The SDK's client transport
 * would add fetch (undici) and zod, doubling the bridge's memory and start-up time for nothing
 * a bridge needs.
 */
export class DaemonLink {
	private readonly agent = new Agent({keepAlive: true, maxSockets: Number.POSITIVE_INFINITY});
	private lastUsed = 0;

	constructor(public endpoint: Endpoint) {}

	private headers(sessionId: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
		return {
			host: `127.0.0.1:${this.endpoint.port}`,
			authorization: `Bearer ${this.endpoint.token}`,
			accept: 'application/json, text/event-stream',
			...(sessionId && {'mcp-session-id': sessionId}),
			...extra,
		};
	}

	/** POSTs one message; every message in the reply (JSON or SSE) goes to `onMessage` as it arrives. */
	async post(message: JSONRPCMessage, sessionId: string | undefined, onMessage: (message: JSONRPCMessage) => void, extraHeaders?: Record<string, string>): Promise<PostResult> {
		const body = JSON.stringify(message);
		const response = await this.send('POST', sessionId, body, {'content-type': 'application/json', ...extraHeaders});
		const newSession = response.headers['mcp-session-id'];
		const result = {status: response.statusCode ?? 0, ...(typeof newSession === 'string' && {sessionId: newSession})};
		const type = response.headers['content-type'] ?? '';
		if (type.startsWith('text/event-stream')) {
			await readEvents(response, onMessage);
			return result;
		}

		const text = await readText(response);
		if (type.startsWith('application/json') && result.status < 300) {
			const parsed = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
			for (const reply of Array.isArray(parsed) ? parsed : [parsed]) {
				onMessage(reply);
			}

			return result;
		}

		return {...result, body: text};
	}

	/** Opens the session's GET stream; resolves when it ends, for whatever reason. */
	async listen(sessionId: string, onMessage: (message: JSONRPCMessage) => void): Promise<number> {
		const response = await this.send('GET', sessionId, undefined, {accept: 'text/event-stream'});
		if (response.statusCode !== 200) {
			response.resume();
			return response.statusCode ?? 0;
		}

		await readEvents(response, onMessage).catch(() => undefined);
		return 200;
	}

	async delete(sessionId: string, timeoutMs: number): Promise<void> {
		const response = await this.send('DELETE', sessionId, undefined, {}, timeoutMs);
		response.resume();
	}

	close(): void {
		this.agent.destroy();
	}

	private async send(method: string, sessionId: string | undefined, body: string | undefined, extra: Record<string, string>, timeoutMs?: number): Promise<IncomingMessage> {
		// A daemon that died leaves its keep-alive sockets in the pool until their close is read; a
		// request written to one fails as if the daemon had died while handling it, and a tool call
		// would be reported lost instead of resent. Dead before we send, it certainly never saw it.
		// Reading /proc (which also tells a zombie from a live process) costs a fifth of the bridge's
		// time per call, so back-to-back calls get only signal 0: a daemon killed in a gap that short
		// is the rare case that is reported as lost.
		const {pid, startTime} = this.endpoint;
		if (pid !== undefined) {
			const idle = performance.now() - this.lastUsed > IDLE_CHECK_MS;
			const alive = idle && startTime !== undefined ? isSameProcessAlive({pid, startTime}) : pidExists(pid);
			if (!alive) {
				throw new NotDelivered(`the daemon (pid ${pid}) is no longer running`);
			}
		}

		this.lastUsed = performance.now();
		return new Promise((resolve, reject) => {
			const outgoing = request(
				{host: '127.0.0.1', port: this.endpoint.port, path: MCP_PATH, method, agent: this.agent, headers: this.headers(sessionId, extra), timeout: timeoutMs},
				resolve,
			);
			outgoing.on('error', (error: NodeJS.ErrnoException) => {
				reject(error.code && UNSENT_CODES.has(error.code) ? new NotDelivered(error.message) : error);
			});
			outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from the daemon within ${timeoutMs} ms`)));
			outgoing.end(body);
		});
	}
}

async function readText(response: IncomingMessage): Promise<string> {
	response.setEncoding('utf8');
	let text = '';
	for await (const chunk of response) {
		text += chunk as string;
	}

	return text;
}

async function readEvents(response: IncomingMessage, onMessage: (message: JSONRPCMessage) => void): Promise<void> {
	const parser = new SseParser(data => onMessage(JSON.parse(data) as JSONRPCMessage));
	response.setEncoding('utf8');
	for await (const chunk of response) {
		parser.push(chunk as string);
	}
}

function pidExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
