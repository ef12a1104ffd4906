import type {ServerResponse} from 'node:http';
import type {Transport, TransportSendOptions} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {JSONRPCMessage, RequestId} from '@modelcontextprotocol/sdk/types.js';
import {Outbox, type FlowCounts, type OutboxEvents} from './outbox.js';
import type {Channel} from './session.js';

export type HttpSessionOptions = {
	readonly maxMessageBytes: number;
	/** What the session's flow control did, for the log. */
	readonly flow: OutboxEvents;
};

const KEEPALIVE_MS = 25_000;

const SSE_HEADERS = {
	'content-type': 'text/event-stream',
	'cache-control': 'no-cache, no-transform',
	connection: 'keep-alive',
};

function sseEvent(message: JSONRPCMessage): string {
	return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & {id: RequestId} {
	return 'id' in message && ('result' in message || 'error' in message);
}

/**
 * One POST that carried requests: it stays open until each is answered. It answers with plain
 * JSON unless something must reach the client first (progress, a server-to-client request), in
 * which case it turns into an SSE stream: the fast path costs no streaming machinery.
 */
class Exchange {
	private readonly replies: JSONRPCMessage[] = [];
	/** Once the answer is a stream: what it is sent, under flow control. */
	private stream?: Outbox;

	constructor(
		private readonly response: ServerResponse,
		private readonly outstanding: Set<RequestId>,
		private readonly batch: boolean,
		private readonly newOutbox: () => Outbox,
	) {}

	get done(): boolean {
		return this.outstanding.size === 0;
	}

	deliver(message: JSONRPCMessage): void {
		if (isResponse(message)) {
			this.outstanding.delete(message.id);
		}

		if (!isResponse(message) && !this.stream) {
			this.stream = this.newOutbox();
			this.response.writeHead(200, SSE_HEADERS);
			this.stream.attach(this.response);
			// Answers of a batch that came before the switch go first, or they would be lost.
			for (const reply of this.replies.splice(0)) {
				this.stream.send(reply);
			}
		}

		if (this.stream) {
			this.stream.send(message);
			if (this.done) {
				this.stream.end();
			}

			return;
		}

		this.replies.push(message);
		if (this.done) {
			this.endWithJson();
		}
	}

	private endWithJson(): void {
		const body = JSON.stringify(this.batch ? this.replies : this.replies[0]);
		this.response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
		this.response.end(body);
	}

	/** A cancelled request gets no answer (the client dropped it): stop waiting for one. */
	forget(id: RequestId): void {
		if (!this.outstanding.delete(id) || !this.done) {
			return;
		}

		if (this.stream) {
			this.stream.end();
		} else if (this.replies.length > 0) {
			this.endWithJson();
		} else {
			// Nothing to say: an empty event stream ends the POST the way the client expects.
			this.response.writeHead(200, SSE_HEADERS).end();
		}
	}

	/** The session ended under a waiting client: answer, rather than leave it hanging. */
	abandon(): void {
		for (const id of [...this.outstanding]) {
			this.deliver({
				jsonrpc: '2.0',
				id,
				error: {code: -32000, message: 'The proxy session was closed before this request was answered.'},
			});
		}
	}
}

/**
 * The server side of one streamable-HTTP session, as an SDK `Transport`. The HTTP server hands it
 * the POSTs and the GET of its session; the SDK protocol object on top sends through it.
 */
export class HttpSessionTransport implements Transport, Channel {
	onmessage?: Transport['onmessage'];
	onclose?: () => void;
	onerror?: (error: Error) => void;

	readonly flow: FlowCounts = {dropped: 0, oversized: 0};
	private readonly exchanges = new Map<RequestId, Exchange>();
	private stream?: ServerResponse;
	private keepalive?: NodeJS.Timeout;
	/** What is not an answer to a POST: sent on the GET stream, and kept (bounded) while there is none. */
	private readonly standalone: Outbox;
	private closed = false;
	lastActivity = Date.now();

	constructor(
		readonly sessionId: string,
		private readonly options: HttpSessionOptions,
	) {
		this.standalone = this.newOutbox();
	}

	async start(): Promise<void> {}

	/** True while the client is connected or waiting on a reply: such a session is never idle. */
	get connected(): boolean {
		return this.stream !== undefined || this.exchanges.size > 0;
	}

	handlePost(messages: JSONRPCMessage[], response: ServerResponse, batch: boolean): void {
		// Closed while the body was being read (expired, or DELETEd by another request).
		if (this.closed) {
			response
				.writeHead(404, {'content-type': 'application/json'})
				.end(JSON.stringify({jsonrpc: '2.0', id: null, error: {code: -32_000, message: 'Session not found'}}));
			return;
		}

		this.lastActivity = Date.now();
		const requests = messages.filter(message => 'method' in message && 'id' in message) as Array<JSONRPCMessage & {id: RequestId}>;
		if (requests.length === 0) {
			response.writeHead(202).end();
		} else {
			const exchange = new Exchange(response, new Set(requests.map(request => request.id)), batch, () => this.newOutbox());
			for (const request of requests) {
				this.exchanges.set(request.id, exchange);
			}
		}

		for (const message of messages) {
			this.forgetCancelled(message);
			this.onmessage?.(message);
		}
	}

	/** Without this, the POST of a cancelled request stayed open, and its session connected, for good. */
	private forgetCancelled(message: JSONRPCMessage): void {
		if (!('method' in message) || message.method !== 'notifications/cancelled' || 'id' in message) {
			return;
		}

		const id = (message.params as {requestId?: RequestId} | undefined)?.requestId;
		const exchange = id === undefined ? undefined : this.exchanges.get(id);
		if (exchange) {
			this.exchanges.delete(id!);
			exchange.forget(id!);
		}
	}

	handleGet(response: ServerResponse): void {
		if (this.stream) {
			response.writeHead(409, {'content-type': 'text/plain'}).end('Conflict: this session already has a GET stream open.\n');
			return;
		}

		this.lastActivity = Date.now();
		this.stream = response;
		response.writeHead(200, SSE_HEADERS);
		response.flushHeaders();
		response.on('close', () => {
			if (this.stream === response) {
				this.stream = undefined;
				this.standalone.detach();
				clearInterval(this.keepalive);
				this.lastActivity = Date.now();
			}
		});
		// A comment now and then lets a dead peer surface as a closed socket.
		this.keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS).unref();
		this.standalone.attach(response);
	}

	async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
		if (this.closed) {
			return;
		}

		const key = isResponse(message) ? message.id : options?.relatedRequestId;
		const exchange = key === undefined ? undefined : this.exchanges.get(key);
		if (exchange) {
			if (isResponse(message)) {
				this.exchanges.delete(message.id);
			}

			exchange.deliver(message);
			return;
		}

		this.standalone.send(message);
	}

	private newOutbox(): Outbox {
		return new Outbox(sseEvent, this.options.maxMessageBytes, this.flow, this.options.flow);
	}

	async close(): Promise<void> {
		if (this.closed) {
			return;
		}

		this.closed = true;
		clearInterval(this.keepalive);
		this.standalone.detach();
		this.stream?.end();
		this.stream = undefined;
		for (const exchange of new Set(this.exchanges.values())) {
			exchange.abandon();
		}

		this.exchanges.clear();
		this.onclose?.();
	}
}
