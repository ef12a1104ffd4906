import type {Socket} from 'node:net';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {jsonLines} from '../shared/line-splitter.js';
import type {Channel} from './session.js';

/**
 * A bridge's session over the daemon's Unix socket: newline-delimited JSON-RPC both ways, as on
 * stdio. One connection is one session; it ends when the connection does. A bridge is a local
 * process relaying stdio, and this costs it a fraction of an HTTP request per message.
 */
export class SocketTransport implements Transport, Channel {
	onmessage?: Transport['onmessage'];
	onclose?: () => void;
	onerror?: (error: Error) => void;
	lastActivity = Date.now();
	/** What arrived after the greeting, in the same chunk, until the protocol above listens. */
	private pending: string;
	private readonly lines = jsonLines<JSONRPCMessage>(
		message => {
			this.lastActivity = Date.now();
			this.onmessage?.(message);
		},
		line => this.onerror?.(new Error(`not JSON-RPC on the socket: ${line.slice(0, 200)}`)),
	);

	constructor(
		readonly sessionId: string,
		private readonly socket: Socket,
		rest: string,
	) {
		this.pending = rest;
		socket.on('data', (chunk: string) => this.lines.push(chunk));
		socket.on('close', () => this.onclose?.());
		socket.on('error', error => this.onerror?.(error));
	}

	get connected(): boolean {
		return !this.socket.destroyed;
	}

	async start(): Promise<void> {
		const pending = this.pending;
		this.pending = '';
		if (pending) {
			this.lines.push(pending);
		}
	}

	async send(message: JSONRPCMessage): Promise<void> {
		if (!this.socket.destroyed) {
			this.socket.write(`${JSON.stringify(message)}\n`);
		}
	}

	async close(): Promise<void> {
		this.socket.end();
	}
}
