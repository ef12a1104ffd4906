import {Agent, request, type IncomingHttpHeaders} from 'node:http';

type JsonRpcResponse = {
	jsonrpc: '2.0';
	id: number | string | null;
	result?: unknown;
	error?: {code: number; message: string};
};

const PROTOCOL_VERSION = '2025-11-25';

/**
 * The least an MCP client over streamable HTTP can be: JSON-RPC POSTs on one keep-alive
 * `node:http` connection, no fetch, no schema validation, no GET stream. Measuring through it
 * shows what the daemon itself costs, apart from any client library.
 */
export class HttpJsonRpcClient {
	private readonly agent = new Agent({keepAlive: true, maxSockets: 1});
	private readonly url: URL;
	private sessionId?: string;
	private protocolVersion?: string;
	private nextId = 1;

	constructor(
		url: string,
		private readonly token: string,
	) {
		this.url = new URL(url);
	}

	/** initialize, then notifications/initialized: the session is ready for calls. */
	async connect(): Promise<void> {
		const result = (await this.request('initialize', {
			protocolVersion: PROTOCOL_VERSION,
			capabilities: {},
			clientInfo: {name: 'mcp-tooling-bench-http', version: '0.0.0'},
		})) as {protocolVersion?: string};
		this.protocolVersion = result.protocolVersion ?? PROTOCOL_VERSION;
		await this.notify('notifications/initialized');
	}

	async request(method: string, params?: unknown): Promise<unknown> {
		const id = this.nextId++;
		const {status, headers, body} = await this.post({
			jsonrpc: '2.0',
			id,
			method,
			...(params !== undefined && {params}),
		});
		if (status !== 200) {
			throw new Error(`${method}: HTTP ${status}: ${body}`);
		}

		const session = headers['mcp-session-id'];
		if (typeof session === 'string') {
			this.sessionId = session;
		}

		const reply = parseReplies(String(headers['content-type'] ?? ''), body).find(message => message.id === id);
		if (!reply) {
			throw new Error(`${method}: no reply with id ${id} in: ${body}`);
		}

		if (reply.error) {
			throw new Error(`${method}: error ${reply.error.code}: ${reply.error.message}`);
		}

		return reply.result;
	}

	async notify(method: string, params?: unknown): Promise<void> {
		const {status, body} = await this.post({jsonrpc: '2.0', method, ...(params !== undefined && {params})});
		if (status !== 202 && status !== 200) {
			throw new Error(`${method}: HTTP ${status}: ${body}`);
		}
	}

	/** Ends the daemon session (DELETE) and the connection. */
	async close(): Promise<void> {
		if (this.sessionId) {
			await this.send('DELETE', undefined).catch(() => undefined);
		}

		this.agent.destroy();
	}

	private async post(message: object): Promise<{status: number; headers: IncomingHttpHeaders; body: string}> {
		return this.send('POST', JSON.stringify(message));
	}

	private async send(method: string, body: string | undefined): Promise<{status: number; headers: IncomingHttpHeaders; body: string}> {
		const headers: Record<string, string | number> = {
			host: this.url.host,
			authorization: `Bearer ${this.token}`,
			accept: 'application/json, text/event-stream',
		};
		if (body !== undefined) {
			headers['content-type'] = 'application/json';
			headers['content-length'] = Buffer.byteLength(body);
		}

		if (this.sessionId) {
			headers['mcp-session-id'] = this.sessionId;
		}

		if (this.protocolVersion) {
			headers['mcp-protocol-version'] = this.protocolVersion;
		}

		return new Promise((resolve, reject) => {
			const outgoing = request(
				{host: this.url.hostname, port: this.url.port, path: this.url.pathname, method, headers, agent: this.agent},
				response => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', (chunk: string) => (text += chunk));
					response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, body: text}));
					response.on('error', reject);
				},
			);
			outgoing.on('error', reject);
			outgoing.end(body);
		});
	}
}

/** The JSON-RPC messages of a reply, whether plain JSON or a finished SSE stream. */
function parseReplies(contentType: string, body: string): JsonRpcResponse[] {
	if (contentType.startsWith('text/event-stream')) {
		const messages: JsonRpcResponse[] = [];
		for (const event of body.split(/\r?\n\r?\n/)) {
			const data = event
				.split(/\r?\n/)
				.filter(line => line.startsWith('data:'))
				.map(line => line.slice(5).replace(/^ /, ''))
				.join('\n');
			if (data) {
				messages.push(JSON.parse(data) as JsonRpcResponse);
			}
		}

		return messages;
	}

	const parsed = JSON.parse(body) as JsonRpcResponse | JsonRpcResponse[];
	return Array.isArray(parsed) ? parsed : [parsed];
}
