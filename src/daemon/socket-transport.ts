import type {Socket} from 'node:net';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {messageLimit} from '../config/settings.js';
import {jsonLine, type LineReader} from '../shared/line-splitter.js';
import {repairReply} from '../shared/reply-shape.js';
import {Outbox, type FlowCounts, type OutboxEvents} from './outbox.js';
import type {Channel} from './session.js';

export type SocketSessionOptions = {
	readonly maxMessageBytes: number;
	/** What the session's flow control did, for the log. */
	readonly flow: OutboxEvents;
};

/**
 * A bridge's session over the daemon's Unix socket: newline-delimited JSON-RPC both ways, as on
 * stdio. One connection is one session; it ends when the connection does. A bridge is a local
 * process relaying stdio, and this costs it a fraction of an HTTP request per message. What the
 * bridge sends is read in fair slices within the size limit; what it is sent goes through an
 * `Outbox`, so a bridge that stops reading costs the daemon a bounded queue.
 */
export class SocketTransport implements Transport, Channel {
	onmessage?: Transport['onmessage'];
	onclose?: () => void;
	onerror?: (error: Error) => void;
	lastActivity = Date.now();
	readonly flow: FlowCounts = {dropped: 0, oversized: 0};
	private readonly outbox: Outbox;

	/** `reader` reads `socket` and has read the greeting; it holds what came after until `start`. */
	constructor(
		readonly sessionId: string,
		private readonly socket: Socket,
		private readonly reader: LineReader,
		options: SocketSessionOptions,
	) {
		const {maxMessageBytes} = options;
		const onMessage = (message: Record<string, unknown>) => {
			this.lastActivity = Date.now();
			try {
				this.onmessage?.(repairReply(message, 'the client'));
			} catch (error) {
				this.fail(`handling its message failed: ${(error as Error).message}`);
			}
		};
		const onGarbage = (line: string) => this.onerror?.(new Error(`not JSON-RPC on the socket: ${line.slice(0, 200)}`));
		reader.handOver(jsonLine(onMessage, onGarbage), {
			maxBytes: maxMessageBytes,
			onOverflow: bytes => {
				this.flow.oversized++;
				this.fail(`it sent a message of more than ${bytes} bytes, over ${messageLimit(maxMessageBytes)}`);
			},
		});
		this.outbox = new Outbox(message => `${JSON.stringify(message)}\n`, maxMessageBytes, this.flow, options.flow);
		this.outbox.attach(socket);
		socket.on('close', () => this.onclose?.());
		socket.on('error', error => this.onerror?.(error));
	}

	get connected(): boolean {
		return !this.socket.destroyed;
	}

	async start(): Promise<void> {
		this.reader.release();
	}

	async send(message: JSONRPCMessage): Promise<void> {
		if (!this.socket.destroyed) {
			this.outbox.send(message);
		}
	}

	async close(): Promise<void> {
		this.socket.end();
	}

	/** The session's own fault: reported, and its connection reset; the daemon and the other sessions go on. */
	private fail(reason: string): void {
		this.onerror?.(new Error(`session reset: ${reason}`));
		this.socket.destroy();
	}
}
