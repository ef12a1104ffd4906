import {randomUUID} from 'node:crypto';
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {clientIdentity, type ClientIdentity} from '../contract/client-identity.js';
import {CLIENT_HEADERS, MCP_PATH, STATUS_PATH, TOOL_SEARCH_PATH} from '../contract/endpoint.js';
import type {DaemonStatus} from '../contract/status.js';
import {readToolSearch, type ToolSearchMatch} from '../contract/tool-search.js';
import type {Logger} from '../shared/log.js';
import {refuse} from './guards.js';
import {HttpSessionTransport} from './http-session-transport.js';
import {loggedFlow} from './outbox.js';
import type {Channel, Session} from './session.js';

/** What the HTTP listener needs from the daemon; it knows nothing of upstreams. */
export type SessionHost = {
	openSession(identity: ClientIdentity, channel: Channel): Promise<Session>;
	session(id: string): Session | undefined;
	status(): DaemonStatus;
	/** The shared servers' tools best matching a plain-language query (`mcp-tooling tools search`). */
	searchTools(query: string, limit: number): ToolSearchMatch[];
};

export type HttpServerOptions = {
	port: number;
	token: string;
	maxBodyBytes: number;
	maxMessageBytes: number;
	log: Logger;
};

/** A client has this long to send its request's headers, and this long for the whole request with its body. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** How often those are checked (Node's default, 30 s, would let a slow client stay three times as long). */
const TIMEOUT_CHECK_MS = 1000;

function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'text/plain; charset=utf-8', ...headers}).end(`${message}\n`);
}

function replyJsonRpcError(response: ServerResponse, status: number, code: number, message: string): void {
	const body = JSON.stringify({jsonrpc: '2.0', id: null, error: {code, message}});
	response.writeHead(status, {'content-type': 'application/json'}).end(body);
}

/** No session: 404 for an id the daemon does not know (expired, or a daemon ago), 400 for none. */
function replyNoSession(response: ServerResponse, sessionId: string | string[] | undefined): void {
	replyJsonRpcError(
		response,
		sessionId ? 404 : 400,
		-32_000,
		sessionId ? 'Session not found' : 'Bad Request: Mcp-Session-Id header is required',
	);
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
	if (Number(request.headers['content-length'] ?? 0) > limit) {
		throw new BodyTooLarge();
	}

	// Events rather than `for await`: this runs for every call, and the async iterator costs.
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		request.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				request.removeAllListeners('data');
				request.resume();
				reject(new BodyTooLarge());
				return;
			}

			chunks.push(chunk);
		});
		request.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

function isInitialize(message: JSONRPCMessage): boolean {
	return 'method' in message && message.method === 'initialize';
}

/**
 * The daemon's streamable-HTTP endpoint on loopback: guards every request, then hands POST, GET
 * and DELETE of `/mcp` to the session named by `Mcp-Session-Id`.
 */
export async function startHttpServer(host: SessionHost, options: HttpServerOptions): Promise<{server: Server; port: number}> {
	const server = createServer(
		{headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS},
		(request, response) => {
			handle(request, response).catch((error: unknown) => {
				if (!response.headersSent) {
					reply(response, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
				}
			});
		},
	);

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = (request.url ?? '/').split('?')[0];
		const refusal = refuse(request, options.token);
		if (refusal) {
			request.resume();
			reply(response, refusal.status, refusal.message, refusal.headers);
			return;
		}

		if (path === TOOL_SEARCH_PATH && request.method === 'GET') {
			const {query, limit} = readToolSearch(request.url ?? '/');
			const found = host.searchTools(query, limit);
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(found));
			return;
		}

		if (path === STATUS_PATH && request.method === 'GET') {
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(host.status()));
			return;
		}

		if (path !== MCP_PATH) {
			reply(response, 404, `Not found: the MCP endpoint is ${MCP_PATH}.`);
			return;
		}

		const sessionId = request.headers['mcp-session-id'];
		// A bridge's socket session has no HTTP side.
		const found = typeof sessionId === 'string' ? host.session(sessionId)?.channel : undefined;
		const session = found instanceof HttpSessionTransport ? found : undefined;
		if (request.method === 'POST') {
			await post(request, response, session, sessionId);
			return;
		}

		if (request.method !== 'GET' && request.method !== 'DELETE') {
			reply(response, 405, 'Method not allowed: use POST, GET or DELETE.', {allow: 'POST, GET, DELETE'});
			return;
		}

		if (!session) {
			replyNoSession(response, sessionId);
			return;
		}

		if (request.method === 'GET') {
			if (!String(request.headers.accept ?? '').includes('text/event-stream')) {
				reply(response, 406, 'Not acceptable: a GET stream needs "Accept: text/event-stream".');
				return;
			}

			session.handleGet(response);
			return;
		}

		// Closing the channel closes the session over it.
		await session.close();
		response.writeHead(200).end();
	}

	async function post(
		request: IncomingMessage,
		response: ServerResponse,
		session: HttpSessionTransport | undefined,
		sessionId: string | string[] | undefined,
	): Promise<void> {
		let body: string;
		try {
			body = await readBody(request, options.maxBodyBytes);
		} catch (error) {
			if (error instanceof BodyTooLarge) {
				response.setHeader('connection', 'close');
				reply(response, 413, `Payload too large: requests are limited to ${options.maxBodyBytes} bytes (setting MCPPROXY_MAX_BODY).`);
				return;
			}

			throw error;
		}

		let parsed: unknown;
		try {
			parsed = JSON.parse(body);
		} catch {
			replyJsonRpcError(response, 400, -32_700, 'Parse error: the body is not JSON');
			return;
		}

		const batch = Array.isArray(parsed);
		const messages = (batch ? parsed : [parsed]) as JSONRPCMessage[];
		if (messages.length === 0 || messages.some(message => typeof message !== 'object' || message === null || message.jsonrpc !== '2.0')) {
			replyJsonRpcError(response, 400, -32_600, 'Invalid Request: expected JSON-RPC 2.0 messages');
			return;
		}

		if (messages.some(message => isInitialize(message))) {
			if (messages.length > 1) {
				replyJsonRpcError(response, 400, -32_600, 'Invalid Request: initialize must be sent alone');
				return;
			}

			const sessionId = randomUUID();
			const {maxMessageBytes, log} = options;
			const transport = new HttpSessionTransport(sessionId, {maxMessageBytes, flow: loggedFlow(log, sessionId, maxMessageBytes)});
			await host.openSession(readIdentity(request), transport);
			response.setHeader('mcp-session-id', transport.sessionId);
			transport.handlePost(messages, response, batch);
			return;
		}

		if (!session) {
			replyNoSession(response, sessionId);
			return;
		}

		session.handlePost(messages, response, batch);
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	return {server, port: (server.address() as AddressInfo).port};
}

function readIdentity(request: IncomingMessage): ClientIdentity {
	const header = (name: string) => {
		const value = request.headers[name];
		if (typeof value !== 'string' || value === '') {
			return undefined;
		}

		try {
			return decodeURIComponent(value);
		} catch {
			// Badly encoded: the session works without knowing whom it serves.
			return undefined;
		}
	};

	return clientIdentity({
		clientPid: header(CLIENT_HEADERS.clientPid),
		sessionId: header(CLIENT_HEADERS.sessionId),
		projectDir: header(CLIENT_HEADERS.projectDir),
	});
}
