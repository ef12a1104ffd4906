import {LATEST_PROTOCOL_VERSION} from '@modelcontextprotocol/sdk/types.js';
import type {DaemonState} from '../../src/contract/state-file.js';

/** Headers a streamable-HTTP POST needs; `extra` adds or replaces some. */
export function mcpHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		authorization: `Bearer ${token}`,
		'content-type': 'application/json',
		accept: 'application/json, text/event-stream',
		...extra,
	};
}

export const initializeRequest = {
	jsonrpc: '2.0',
	id: 0,
	method: 'initialize',
	params: {
		protocolVersion: LATEST_PROTOCOL_VERSION,
		capabilities: {},
		clientInfo: {name: 'raw-http', version: '1.0.0'},
	},
} as const;

/**
 * A session driven by plain `fetch`, for what an SDK client hides: no GET stream unless asked
 * for, no DELETE unless sent, and the HTTP status of every answer.
 */
export class RawSession {
	private constructor(
		private readonly state: DaemonState,
		private readonly token: string,
		readonly id: string,
	) {}

	static async open(state: DaemonState, token: string): Promise<RawSession> {
		const response = await fetch(state.url, {
			method: 'POST',
			headers: mcpHeaders(token),
			body: JSON.stringify(initializeRequest),
		});
		if (response.status !== 200) {
			throw new Error(`initialize answered ${response.status}: ${await response.text()}`);
		}

		await response.text();
		const id = response.headers.get('mcp-session-id');
		if (!id) {
			throw new Error('initialize answered without a session id');
		}

		const session = new RawSession(state, token, id);
		const initialized = await session.post({jsonrpc: '2.0', method: 'notifications/initialized'});
		await initialized.text();
		return session;
	}

	async post(message: unknown, signal?: AbortSignal): Promise<Response> {
		return fetch(this.state.url, {
			method: 'POST',
			headers: mcpHeaders(this.token, {'mcp-session-id': this.id, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION}),
			body: JSON.stringify(message),
			signal,
		});
	}

	async get(signal?: AbortSignal): Promise<Response> {
		return fetch(this.state.url, {
			headers: {authorization: `Bearer ${this.token}`, accept: 'text/event-stream', 'mcp-session-id': this.id},
			signal,
		});
	}

	async delete(): Promise<Response> {
		return fetch(this.state.url, {
			method: 'DELETE',
			headers: {authorization: `Bearer ${this.token}`, 'mcp-session-id': this.id},
		});
	}
}

/** The daemon's `/status`, through the CLI's own client. */
export {fetchStatus as daemonStatus} from '../../src/lifecycle/status-client.js';
export type {DaemonStatus, ServerStatus} from '../../src/contract/status.js';
