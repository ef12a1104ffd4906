import type {Writable} from 'node:stream';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {messageLimit} from '../config/settings.js';
import type {Logger} from '../shared/log.js';

/** Notifications held for a session that is not reading; past this, new ones are dropped. */
const QUEUE_BOUND = 1000;
/** Of those, log messages: the likeliest flood, and the first thing to let go. */
const LOG_BOUND = 200;

/** What a session was spared, since the daemon started, for not reading or for asking too much. */
export type FlowCounts = {
	/** Notifications let go while the session was not reading. */
	dropped: number;
	/** Messages over the size limit, not sent as they were. */
	oversized: number;
};

export type OutboxEvents = {
	/** The first drop since the session last caught up. */
	congested(): void;
	/** The session read everything queued, after `dropped` notifications were let go on the way. */
	caughtUp(dropped: number): void;
	/** A message to the session was over the size limit: a reply became an error, anything else was dropped. */
	oversized(method: string, bytes: number): void;
};

type Queued = {message: JSONRPCMessage; text: string; readonly key: string | undefined};

/**
 * What the daemon sends one session, with flow control: written through while the session reads,
 * queued while its connection is full, and bounded. Replies and requests always wait their turn;
 * a notification that says again what a queued one says (progress of the same token — the newest
 * wins —, an update of the same URI, the same list change) takes no new place, and past the bounds
 * notifications are dropped and counted. Once the session has read everything it is told how many
 * it missed.
 */
export class Outbox {
	private queue: Queued[] = [];
	/** The queued notification for each coalescing key. */
	private readonly byKey = new Map<string, Queued>();
	private queuedLogs = 0;
	private droppedSinceCaughtUp = 0;
	private sink?: Writable;
	private ending = false;
	private readonly onDrain = () => this.flush();

	/** `counts` may be shared: a session with several streams (HTTP) counts once. */
	constructor(
		private readonly encode: (message: JSONRPCMessage) => string,
		private readonly maxBytes: number,
		private readonly counts: FlowCounts,
		private readonly events: OutboxEvents,
	) {}

	/** Writes to `sink` from now on, starting with what is queued. */
	attach(sink: Writable): void {
		this.detach();
		this.sink = sink;
		sink.on('drain', this.onDrain);
		this.flush();
	}

	/** The sink is gone (an HTTP client closed its stream): messages wait for the next one. */
	detach(): void {
		this.sink?.off('drain', this.onDrain);
		this.sink = undefined;
	}

	/** Ends the sink once everything queued is written. */
	end(): void {
		this.ending = true;
		this.flush();
	}

	send(message: JSONRPCMessage): void {
		const text = this.sized(message);
		if (text === undefined) {
			return;
		}

		if (this.queue.length === 0 && this.sink && !this.sink.writableNeedDrain) {
			this.sink.write(text);
			return;
		}

		this.enqueue(message, text);
	}

	/** The message's wire text, an error reply instead of a reply too large, or nothing for another message too large. */
	private sized(message: JSONRPCMessage): string | undefined {
		const text = this.encode(message);
		// A character is at most three bytes: most messages need no count.
		if (text.length * 3 <= this.maxBytes || Buffer.byteLength(text) <= this.maxBytes) {
			return text;
		}

		const bytes = Buffer.byteLength(text);
		this.counts.oversized++;
		this.events.oversized('method' in message ? message.method : 'a reply', bytes);
		if ('id' in message && !('method' in message)) {
			return this.encode({
				jsonrpc: '2.0',
				id: message.id,
				error: {
					code: -32_603,
					message: `The reply was ${bytes} bytes, over ${messageLimit(this.maxBytes)}.`,
				},
			});
		}

		return undefined;
	}

	private enqueue(message: JSONRPCMessage, text: string): void {
		const key = coalescingKey(message);
		const queued = key === undefined ? undefined : this.byKey.get(key);
		if (queued) {
			// Progress: the newest report replaces the one waiting, in its place, so it still comes before its reply.
			if (key!.startsWith('progress:')) {
				queued.message = message;
				queued.text = text;
			}

			this.drop();
			return;
		}

		const isNotification = 'method' in message && !('id' in message);
		const isLog = isNotification && message.method === 'notifications/message';
		if (isNotification && (this.queue.length >= QUEUE_BOUND || (isLog && this.queuedLogs >= LOG_BOUND))) {
			this.drop();
			return;
		}

		const entry: Queued = {message, text, key};
		this.queue.push(entry);
		if (key !== undefined) {
			this.byKey.set(key, entry);
		}

		if (isLog) {
			this.queuedLogs++;
		}
	}

	private drop(): void {
		this.counts.dropped++;
		this.droppedSinceCaughtUp++;
		if (this.droppedSinceCaughtUp === 1) {
			this.events.congested();
		}
	}

	private flush(): void {
		const sink = this.sink;
		if (!sink) {
			return;
		}

		let index = 0;
		while (index < this.queue.length && !sink.writableNeedDrain) {
			const entry = this.queue[index++]!;
			if (entry.key !== undefined) {
				this.byKey.delete(entry.key);
			}

			if ('method' in entry.message && entry.message.method === 'notifications/message') {
				this.queuedLogs--;
			}

			sink.write(entry.text);
		}

		this.queue = index === 0 ? this.queue : this.queue.slice(index);
		if (this.queue.length > 0) {
			return;
		}

		if (this.droppedSinceCaughtUp > 0) {
			const dropped = this.droppedSinceCaughtUp;
			this.droppedSinceCaughtUp = 0;
			sink.write(this.encode(droppedNotice(dropped)));
			this.events.caughtUp(dropped);
		}

		if (this.ending) {
			sink.end();
		}
	}
}

/** Notifications that a later one of the same key makes redundant while both wait. */
function coalescingKey(message: JSONRPCMessage): string | undefined {
	if (!('method' in message) || 'id' in message) {
		return undefined;
	}

	const params = (message.params ?? {}) as Record<string, unknown>;
	if (message.method === 'notifications/progress') {
		return `progress:${String(params.progressToken)}`;
	}

	if (message.method === 'notifications/resources/updated') {
		return `updated:${String(params.uri)}`;
	}

	return message.method.endsWith('/list_changed') ? message.method : undefined;
}

function droppedNotice(dropped: number): JSONRPCMessage {
	return {
		jsonrpc: '2.0',
		method: 'notifications/message',
		params: {
			level: 'warning',
			logger: 'mcp-tooling',
			data:
				`mcp-tooling dropped ${dropped} notification${dropped === 1 ? '' : 's'} (log messages, superseded progress, ` +
				'repeated updates) while this session was not reading; replies and requests were all kept.',
		},
	};
}

/** An outbox's events as the daemon's log tells them: one line each, naming the session. */
export function loggedFlow(log: Logger, session: string, maxBytes: number): OutboxEvents {
	return {
		congested: () => log.warn('session not reading: dropping notifications until it catches up', {session}),
		caughtUp: dropped => log.info('session caught up', {session, dropped}),
		oversized: (method, bytes) => log.warn('message to session over the size limit', {session, method, bytes, limit: maxBytes}),
	};
}
