import type {JSONRPCMessage, JSONRPCRequest, RequestId} from '@modelcontextprotocol/sdk/types.js';
import type {ClientIdentity} from '../contract/client-identity.js';
import {DaemonLink, type DaemonSocket} from './daemon-link.js';

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

/** Ids of the bridge's own requests (a replayed initialize, say): their answers are not the client's. */
const OWN_ID_PREFIX = 'mcp-tooling/';

export type BridgeOptions = {
	/**
	 * Finds the daemon, starting it if needed. Not `verified`: the daemon its files describe, if
	 * its process lives, without asking it (spawn to first answer is the bridge's hot path); the
	 * bridge asks again `verified` when that daemon turns out not to listen.
	 */
	connect(verified: boolean): Promise<DaemonSocket>;
	/** Writes one message to the client. */
	write(message: JSONRPCMessage): void;
	/** The limit on one message read from the daemon, unless the daemon names its own. */
	maxMessageBytes: number;
	/** Told of a message from the daemon that was over the limit and let go. */
	onOverflow(bytes: number, limit: number): void;
	/** Who this bridge serves, told to the daemon when it connects. */
	identity: ClientIdentity;
};

function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
	return 'method' in message && 'id' in message;
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & {id: RequestId} {
	return 'id' in message && !('method' in message);
}

function errorReply(id: RequestId, message: string, code = -32_603): JSONRPCMessage {
	return {jsonrpc: '2.0', id, error: {code, message}};
}

/**
 * A client request on its way. `waiting`: no session has had it yet. `sent`: written to a session,
 * so the daemon may have seen it. `refused`: the session's socket would not take it (the daemon
 * had died), so the daemon certainly never saw it, and the next session gets it.
 */
type Pending = {readonly request: JSONRPCRequest; state: 'waiting' | 'sent' | 'refused'};

/**
 * Joins a stdio client to a daemon session. The client's `initialize` is kept, so when the
 * daemon restarts the bridge opens a new session on its own (replaying what the client had set
 * up) and the client never notices, except for calls that were cut off mid-way, which get a clear
 * error. It reconnects when the client next needs the daemon, not as soon as the daemon goes: a
 * daemon stopped on purpose stays stopped until somebody uses it.
 */
export class Bridge {
	private link?: DaemonLink;
	private connecting?: Promise<void>;
	private recovering?: Promise<void>;
	private connectedBefore = false;
	private initialize?: JSONRPCRequest;
	private clientInitialized = false;
	private closed = false;
	/** The client is not reading: the daemon is not read either (see DaemonLink.hold). */
	private held = false;
	/** Replayed on a new session, so the client's view survives a daemon restart. */
	private logLevel?: JSONRPCRequest;
	private readonly subscriptions = new Map<string, JSONRPCRequest>();
	private readonly pending = new Map<RequestId, Pending>();
	/** Notifications and answers to the daemon that found no session; sent once there is one. */
	private unsent: JSONRPCMessage[] = [];
	private readonly ownReplies = new Map<RequestId, () => void>();
	private ownIds = 0;

	constructor(private readonly options: BridgeOptions) {}

	async fromClient(message: JSONRPCMessage): Promise<void> {
		if (isRequest(message) && message.method === 'initialize') {
			this.initialize = message;
			this.pending.set(message.id, {request: message, state: 'waiting'});
			await this.whenConnected().catch(error => {
				this.pending.delete(message.id);
				this.options.write(errorReply(message.id, `mcp-tooling could not reach its daemon: ${(error as Error).message}`));
			});
			this.transmit(message);
			return;
		}

		if (!this.initialize) {
			// Before `initialize` only ping is allowed; Claude Code probes with `server/discover` first.
			if (isRequest(message)) {
				this.options.write(
					message.method === 'ping'
						? {jsonrpc: '2.0', id: message.id, result: {}}
						: errorReply(message.id, `Method not found: ${message.method}`, -32_601),
				);
			}

			return;
		}

		this.remember(message);
		if (isRequest(message)) {
			this.pending.set(message.id, {request: message, state: 'waiting'});
		}

		await this.whenConnected().catch(() => undefined);
		this.transmit(message);
	}

	close(): void {
		this.closed = true;
		this.link?.close();
	}

	/** The client's side is full (`write` could not take more): stop reading the daemon until `resumeDaemon`. */
	pauseDaemon(): void {
		this.held = true;
		this.link?.hold();
	}

	resumeDaemon(): void {
		this.held = false;
		this.link?.release();
	}

	/** What the client set up that a new session must hear again, and what it no longer waits for. */
	private remember(message: JSONRPCMessage): void {
		if (!('method' in message)) {
			return;
		}

		const params = (message.params ?? {}) as Record<string, unknown>;
		switch (message.method) {
			case 'notifications/initialized': {
				this.clientInitialized = true;
				break;
			}

			case 'notifications/cancelled': {
				this.pending.delete(params.requestId as RequestId);
				break;
			}

			case 'logging/setLevel': {
				this.logLevel = message as JSONRPCRequest;
				break;
			}

			case 'resources/subscribe': {
				this.subscriptions.set(String(params.uri), message as JSONRPCRequest);
				break;
			}

			case 'resources/unsubscribe': {
				this.subscriptions.delete(String(params.uri));
				break;
			}
		}
	}

	/** Sends to the daemon, or, with no session to send to, gets one and sends then. */
	private transmit(message: JSONRPCMessage): void {
		const pending = 'id' in message && isRequest(message) ? this.pending.get(message.id) : undefined;
		if (isRequest(message) && pending?.state !== 'waiting' && pending?.state !== 'refused') {
			// Cancelled, or answered with an error, while waiting to be sent; or sent already.
			return;
		}

		// Marked before the write, whose refusal may be reported from within it.
		const before = pending?.state;
		if (pending) {
			pending.state = 'sent';
		}

		const refused = () => {
			if (pending && this.pending.get(pending.request.id) === pending) {
				pending.state = 'refused';
			}
		};

		if (this.link?.send(message, refused)) {
			return;
		}

		if (pending) {
			pending.state = before!;
		}

		if (!pending) {
			this.unsent.push(message);
		}

		void this.recover();
	}

	private fromDaemon(message: JSONRPCMessage): void {
		if (isResponse(message)) {
			const own = this.ownReplies.get(message.id);
			if (own) {
				this.ownReplies.delete(message.id);
				own();
				return;
			}

			this.pending.delete(message.id);
		}

		this.options.write(message);
	}

	/** Resolves once there is a session (the first one, or one replacing a lost one). */
	private async whenConnected(): Promise<void> {
		if (this.link) {
			return;
		}

		this.connecting ??= this.connect().finally(() => {
			this.connecting = undefined;
		});
		await this.connecting;
	}

	/**
	 * The first connection carries the client's own initialize. Later ones replay it, and become
	 * the bridge's link only once the daemon has answered the replay. A daemon can die under the
	 * replay (its files still name it while it exits, and its socket may even accept): then the
	 * next attempt asks for a daemon that answers, starting one if need be.
	 */
	private async connect(): Promise<void> {
		let failure: unknown;
		for (const verified of [false, true, true]) {
			let daemon: DaemonSocket;
			try {
				daemon = await this.options.connect(verified);
			} catch (error) {
				// No daemon could be found or started: asking again would only make the client wait as long again.
				if (verified) {
					throw error;
				}

				failure = error;
				continue;
			}

			let link: DaemonLink | undefined;
			try {
				link = await DaemonLink.open(daemon, this.options.identity, {
					onMessage: message => this.fromDaemon(message),
					onClose: () => this.linkClosed(link!),
					maxMessageBytes: this.options.maxMessageBytes,
					onOverflow: this.options.onOverflow,
				});
				if (this.held) {
					link.hold();
				}

				if (this.connectedBefore) {
					await this.replay(link);
				}
			} catch (error) {
				link?.close();
				failure = error;
				continue;
			}

			this.link = link;
			this.connectedBefore = true;
			return;
		}

		throw failure;
	}

	/** A new session, as the client had set up the old one; the answers are the bridge's own. */
	private async replay(link: DaemonLink): Promise<void> {
		await this.ownRequest(link, this.initialize!);
		if (this.clientInitialized) {
			link.send({jsonrpc: '2.0', method: 'notifications/initialized'});
		}

		for (const request of [...(this.logLevel ? [this.logLevel] : []), ...this.subscriptions.values()]) {
			// Not waited for: the session is usable without them, and a link that fails is seen by the caller.
			this.ownRequest(link, request).catch(() => undefined);
		}
	}

	/** Sends a request of the bridge's own on `link`; fails if the link goes before the answer comes. */
	private async ownRequest(link: DaemonLink, request: JSONRPCRequest): Promise<void> {
		const id = `${OWN_ID_PREFIX}${++this.ownIds}`;
		const answered = new Promise<void>(resolve => this.ownReplies.set(id, resolve));
		try {
			if (!link.send({...request, id})) {
				throw new Error('the daemon it found is gone');
			}

			const lost = link.closed.then(() => {
				throw new Error(`the daemon closed the connection before answering "${request.method}"`);
			});
			await Promise.race([answered, lost]);
		} finally {
			this.ownReplies.delete(id);
		}
	}

	private linkClosed(link: DaemonLink): void {
		if (this.link !== link || this.closed) {
			return;
		}

		this.link = undefined;
		// Calls in flight must hear what became of them, and calls the dead daemon refused go to the next
		// one; anything else waits for the client's next message.
		if ([...this.pending.values()].some(entry => entry.state !== 'waiting')) {
			void this.recover();
		}
	}

	/** One recovery at a time: whoever else needs one while it runs is served by it. */
	private async recover(): Promise<void> {
		this.recovering ??= this.recoverLost().finally(() => {
			this.recovering = undefined;
		});
		return this.recovering;
	}

	/**
	 * After the daemon went away: a new session, then what was lost. Requests it never saw are
	 * sent now, and so are those that change nothing; a tool call it may have run gets an error
	 * that says so, since running it twice could do harm.
	 */
	private async recoverLost(): Promise<void> {
		if (this.closed || !this.initialize) {
			return;
		}

		this.link = undefined;
		try {
			await this.whenConnected();
		} catch (error) {
			for (const [id] of this.pending) {
				this.options.write(errorReply(id, `mcp-tooling could not reach its daemon: ${(error as Error).message}`));
			}

			this.pending.clear();
			return;
		}

		for (const [id, entry] of this.pending) {
			if (entry.state === 'sent' && !SAFE_TO_RETRY.has(entry.request.method)) {
				this.pending.delete(id);
				this.options.write(
					errorReply(
						id,
						`The mcp-tooling daemon stopped while "${entry.request.method}" was running, so its result was lost ` +
							'and it may or may not have taken effect. A new daemon is up now: check, then try again.',
					),
				);
			} else {
				entry.state = 'waiting';
				this.transmit(entry.request);
			}
		}

		for (const message of this.unsent.splice(0)) {
			this.transmit(message);
		}

		for (const kind of ['tools', 'prompts', 'resources']) {
			this.options.write({jsonrpc: '2.0', method: `notifications/${kind}/list_changed`});
		}
	}
}
