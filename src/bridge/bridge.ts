import type {JSONRPCMessage, JSONRPCRequest, RequestId} from '@modelcontextprotocol/sdk/types.js';
import {CLIENT_HEADERS} from '../daemon/client-headers.js';
import {DaemonLink, NotDelivered, type Endpoint} from './daemon-link.js';

/** Requests that change nothing upstream: resent as they are after the daemon came back. */
const SAFE_TO_RETRY = new Set([
	'ping',
	'tools/list',
	'prompts/list',
	'prompts/get',
	'resources/list',
	'resources/templates/list',
	'resources/read',
	'resources/subscribe',
	'resources/unsubscribe',
	'completion/complete',
	'logging/setLevel',
]);

const STREAM_RETRY_MS = 1000;

export type BridgeOptions = {
	/**
	 * Finds the daemon, starting it if needed. Not `verified`: the daemon its files describe, if
	 * its process lives, without asking it (spawn to first answer is the bridge's hot path); the
	 * bridge asks again `verified` when that daemon turns out not to answer.
	 */
	connect(verified: boolean): Promise<Endpoint>;
	/** Writes one message to the client. */
	write(message: JSONRPCMessage): void;
	/** Who this bridge serves, told to the daemon with each `initialize`. */
	identity: {clientPid?: number; sessionId?: string; projectDir?: string};
};

function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
	return 'method' in message && 'id' in message;
}

function errorReply(id: RequestId, message: string, code = -32_603): JSONRPCMessage {
	return {jsonrpc: '2.0', id, error: {code, message}};
}

/**
 * Joins a stdio client to a daemon session. The client's `initialize` is kept, so when the
 * daemon restarts (or the session expires) the bridge opens a new session on its own and the
 * client never notices, except for calls that were cut off mid-way, which get a clear error.
 */
export class Bridge {
	private link?: DaemonLink;
	private sessionId?: string;
	private initialize?: JSONRPCRequest;
	private clientInitialized = false;
	private session?: Promise<void>;
	private closed = false;
	private streaming = false;
	/** Replayed on a new session, so the client's view survives a daemon restart. */
	private logLevel?: JSONRPCRequest;
	private readonly subscriptions = new Map<string, JSONRPCRequest>();
	/** Requests the client cancelled: their reply streams end without an answer, as they should. */
	private readonly cancelled = new Set<RequestId>();

	constructor(private readonly options: BridgeOptions) {}

	async fromClient(message: JSONRPCMessage): Promise<void> {
		if (isRequest(message) && message.method === 'initialize') {
			this.initialize = message;
			await this.open(message);
			return;
		}

		if (!this.initialize) {
			// Before `initialize` only ping is allowed; Claude Code probes with `server/discover` first.
			if (isRequest(message)) {
				this.options.write(message.method === 'ping' ? {jsonrpc: '2.0', id: message.id, result: {}} : errorReply(message.id, `Method not found: ${message.method}`, -32_601));
			}

			return;
		}

		if ('method' in message && message.method === 'notifications/initialized') {
			this.clientInitialized = true;
		}

		if ('method' in message && message.method === 'notifications/cancelled') {
			const requestId = (message.params as {requestId?: RequestId} | undefined)?.requestId;
			if (requestId !== undefined) {
				this.cancelled.add(requestId);
			}
		}

		this.remember(message);
		// A failed (re)connect is retried by forward(): it meets a 404 or an unreachable daemon.
		await this.session?.catch(() => undefined);
		await this.forward(message);
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.link && this.sessionId) {
			await this.link.delete(this.sessionId, 500).catch(() => undefined);
		}

		this.link?.close();
	}

	private remember(message: JSONRPCMessage): void {
		if (!isRequest(message)) {
			return;
		}

		if (message.method === 'logging/setLevel') {
			this.logLevel = message;
		} else if (message.method === 'resources/subscribe' || message.method === 'resources/unsubscribe') {
			const uri = String(message.params?.uri);
			if (message.method === 'resources/subscribe') {
				this.subscriptions.set(uri, message);
			} else {
				this.subscriptions.delete(uri);
			}
		}
	}

	/** Opens a daemon session with the client's own `initialize` and relays the answer. */
	private async open(initialize: JSONRPCRequest): Promise<void> {
		this.session = this.establish(initialize, this.options.write);
		await this.session.catch(error => {
			this.options.write(errorReply(initialize.id, `mcp-tooling could not reach its daemon: ${(error as Error).message}`));
		});
	}

	private async establish(initialize: JSONRPCRequest, onReply: (message: JSONRPCMessage) => void, verified = false): Promise<void> {
		const endpoint = await this.options.connect(verified);
		if (this.link) {
			this.link.endpoint = endpoint;
		} else {
			this.link = new DaemonLink(endpoint);
		}

		const {clientPid, sessionId, projectDir} = this.options.identity;
		const headers: Record<string, string> = {};
		for (const [name, value] of [[CLIENT_HEADERS.clientPid, clientPid], [CLIENT_HEADERS.sessionId, sessionId], [CLIENT_HEADERS.projectDir, projectDir]] as const) {
			if (value !== undefined) {
				headers[name] = encodeURIComponent(String(value));
			}
		}

		let result;
		try {
			result = await this.link.post(initialize, undefined, onReply, headers);
		} catch (error) {
			if (verified || !(error instanceof NotDelivered)) {
				throw error;
			}

			await this.establish(initialize, onReply, true);
			return;
		}

		if (result.status !== 200 || !result.sessionId) {
			throw new Error(`the daemon refused initialize (HTTP ${result.status}): ${result.body ?? ''}`.trim());
		}

		this.sessionId = result.sessionId;
		void this.listen(result.sessionId);
	}

	/** A new session after the old one was lost, replaying what the client had set up. */
	private async reopen(): Promise<void> {
		const lost = this.session;
		await lost?.catch(() => undefined);
		// Calls that failed together reopen once: the first to get here replaces the session,
		// the others wait for its replacement.
		if (this.session !== lost) {
			await this.session;
			return;
		}

		this.session = (async () => {
			await this.establish(this.initialize!, () => undefined);
			const quiet = () => undefined;
			const replay = [
				...(this.clientInitialized ? [{jsonrpc: '2.0' as const, method: 'notifications/initialized'}] : []),
				...(this.logLevel ? [this.logLevel] : []),
				...this.subscriptions.values(),
			];
			for (const message of replay) {
				await this.link!.post(message, this.sessionId, quiet);
			}

			for (const kind of ['tools', 'prompts', 'resources']) {
				this.options.write({jsonrpc: '2.0', method: `notifications/${kind}/list_changed`});
			}
		})();
		await this.session;
	}

	private async forward(message: JSONRPCMessage, retried = false): Promise<void> {
		const request = isRequest(message) ? message : undefined;
		try {
			let answered = false;
			const result = await this.link!.post(message, this.sessionId, reply => {
				answered ||= request !== undefined && 'id' in reply && reply.id === request.id && !('method' in reply);
				this.options.write(reply);
			});
			// A stream that ended without the answer was cut by the daemon dying; a request the client
			// cancelled gets no answer by design.
			if (request && !answered && result.status === 200 && !this.cancelled.delete(request.id)) {
				throw new Error('the daemon ended the reply stream before answering');
			}

			if (result.status === 404 && !retried) {
				// The daemon restarted or expired the session before seeing this message: resend it.
				await this.reopen();
				await this.forward(message, true);
				return;
			}

			if (result.status >= 400 && request) {
				this.options.write(errorReply(request.id, `mcp-tooling daemon answered HTTP ${result.status}: ${result.body ?? ''}`.trim()));
			}
		} catch (error) {
			if (retried || this.closed) {
				if (request) {
					this.options.write(errorReply(request.id, `mcp-tooling could not reach its daemon: ${(error as Error).message}`));
				}

				return;
			}

			const delivered = !(error instanceof NotDelivered);
			await this.reopen().catch(() => undefined);
			if (!delivered || !request || SAFE_TO_RETRY.has(request.method)) {
				await this.forward(message, true);
				return;
			}

			this.options.write(
				errorReply(
					request.id,
					`The mcp-tooling daemon stopped while "${request.method}" was running, so its result was lost and it may or may not have taken effect. A new daemon is up now: check, then try again.`,
				),
			);
		}
	}

	/** Keeps the session's GET stream open while the daemon runs; a stopped daemon is not restarted here. */
	private async listen(sessionId: string): Promise<void> {
		if (this.streaming) {
			return;
		}

		this.streaming = true;
		try {
			while (!this.closed && this.sessionId === sessionId) {
				const status = await this.link!.listen(sessionId, this.options.write).catch(() => 0);
				if (status === 404 || status === 409) {
					return;
				}

				await new Promise(resolve => {
					setTimeout(resolve, STREAM_RETRY_MS).unref();
				});
			}
		} finally {
			this.streaming = false;
			if (!this.closed && this.sessionId !== sessionId && this.sessionId) {
				void this.listen(this.sessionId);
			}
		}
	}
}
