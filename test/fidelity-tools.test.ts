import {mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {
	CallToolResultSchema,
	CreateMessageRequestSchema,
	ElicitRequestSchema,
	ErrorCode,
	ListToolsResultSchema,
	ProgressNotificationSchema,
	type ClientCapabilities,
	type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect, directClient, listDirect} from './support/client.js';
import {eventually, REPO, serverScript, servers, World} from './support/daemon.js';
import {exposedToolName, listAllTools} from './support/names.js';
import {RawSession} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

const PROBE = {command: process.execPath, args: [join(REPO, 'test', 'support', 'probe-server.mjs')]};

let world: World;
let state: DaemonState;
let token: string;
let direct: Client;
let filesRoot: string;
/** Every tool the daemon lists, read once the servers are up. */
let catalog: Tool[];
const clients: Client[] = [];

/** A session of the daemon, closed after all tests. */
async function session(capabilities: ClientCapabilities = {}): Promise<Client> {
	const client = await connect(state, token, capabilities);
	clients.push(client);
	return client;
}

/** Every tool the daemon lists, following `nextCursor` page by page. */
async function allPages(client: Client): Promise<{tools: Tool[]; pageSizes: number[]}> {
	const tools: Tool[] = [];
	const pageSizes: number[] = [];
	let cursor: string | undefined;
	do {
		const page = await client.request({method: 'tools/list', params: cursor ? {cursor} : {}}, ListToolsResultSchema);
		tools.push(...page.tools);
		pageSizes.push(page.tools.length);
		cursor = page.nextCursor;
	} while (cursor);
	return {tools, pageSizes};
}

/** The name a session sees for a server's tool. */
function tool(server: string, original: string): string {
	return exposedToolName(catalog, server, original);
}

function text(result: unknown): string {
	return ((result as {content: Array<{type: string; text?: string}>}).content ?? [])
		.filter(item => item.type === 'text')
		.map(item => item.text)
		.join('\n');
}

beforeAll(async () => {
	world = new World();
	filesRoot = join(world.root, 'files');
	mkdirSync(filesRoot);
	world.writeConfig({
		mcpServers: {
			everything: servers.everything(),
			memory: servers.memory(join(world.root, 'memory.jsonl')),
			filesystem: servers.filesystem(filesRoot),
			probe: PROBE,
		},
	});
	({state} = await world.runDaemon('mcp-user', {MCPPROXY_PAGE_SIZE: '5'}));
	token = world.token();
	await serversReady(state, token);
	catalog = await listAllTools(await session());
	direct = await directClient({command: process.execPath, args: [serverScript('everything'), 'stdio']});
});

afterAll(async () => {
	await Promise.all(clients.map(async client => client.close()));
	await direct?.close();
	await world.dispose();
});

describe('tools/list', () => {
	it(
		'pages the list by MCPPROXY_PAGE_SIZE, and the pages together hold every upstream tool once, ' + 'plus the proxy’s read_output',
		async () => {
			const client = await session();
			const {tools, pageSizes} = await allPages(client);
			expect(pageSizes.length).toBeGreaterThan(1);
			expect(pageSizes.slice(0, -1).every(size => size === 5)).toBe(true);
			expect(pageSizes.at(-1)).toBeLessThanOrEqual(5);

			const names = tools.map(tool => tool.name);
			expect(new Set(names).size).toBe(names.length);
			const {tools: everything} = await direct.listTools();
			const probeTools = 3;
			const memoryTools = (await listDirect(servers.memory(join(world.root, 'memory-direct.jsonl')))).length;
			const filesystemTools = (await listDirect(servers.filesystem(filesRoot))).length;
			const proxyTools = 1;
			expect(names).toContain('read_output');
			expect(tools).toHaveLength(everything.length + memoryTools + filesystemTools + probeTools + proxyTools);
		},
	);

	it('keeps each tool exactly as its server describes it, renamed and nothing else', async () => {
		const client = await session();
		const {tools} = await allPages(client);
		const {tools: originals} = await direct.listTools();
		const withoutName = ({name: _name, ...rest}: Tool) => rest;
		for (const original of originals) {
			const proxied = tools.filter(tool => tool.description === original.description);
			expect(proxied, original.name).toHaveLength(1);
			expect(withoutName(proxied[0]!), original.name).toEqual(withoutName(original));
			// `everything__` and the tool's name, the server part cut short where Claude's 64-character limit needs the room.
			const room = 64 - 'mcp__plugin_mcp-tooling_mcp__'.length - `__${original.name}`.length;
			expect(proxied[0]!.name).toBe(`${'everything'.slice(0, room)}__${original.name}`);
		}
	});

	it('refuses a cursor it never issued', async () => {
		const client = await session();
		await expect(client.request({method: 'tools/list', params: {cursor: 'not-a-cursor'}}, ListToolsResultSchema)).rejects.toMatchObject({
			code: ErrorCode.InvalidParams,
		});
	});
});

describe('tools/call results', () => {
	it('keeps structuredContent', async () => {
		const client = await session();
		const args = {location: 'Chicago'};
		const proxied = await client.callTool({name: 'everything__get-structured-content', arguments: args});
		expect(proxied.structuredContent).toEqual({temperature: 36, conditions: 'Light rain / drizzle', humidity: 82});
		expect(proxied).toEqual(await direct.callTool({name: 'get-structured-content', arguments: args}));
	});

	it('keeps content annotations and images', async () => {
		const client = await session();
		const args = {messageType: 'error', includeImage: true};
		const proxied = await client.callTool({name: 'everything__get-annotated-message', arguments: args});
		expect(proxied.content).toContainEqual(
			expect.objectContaining({type: 'text', annotations: {priority: 1, audience: ['user', 'assistant']}}),
		);
		expect(proxied.content).toContainEqual(expect.objectContaining({type: 'image', mimeType: 'image/png'}));
		expect(proxied).toEqual(await direct.callTool({name: 'get-annotated-message', arguments: args}));
	});

	it('returns a tool error as a result with isError, as the server did', async () => {
		const client = await session();
		const args = {a: 'one', b: 'two'};
		const proxied = await client.callTool({name: 'everything__get-sum', arguments: args});
		expect(proxied.isError).toBe(true);
		expect(proxied).toEqual(await direct.callTool({name: 'get-sum', arguments: args}));
	});

	it('keeps _meta and fields no schema knows', async () => {
		const client = await session();
		const result = await client.request({method: 'tools/call', params: {name: 'probe__meta', arguments: {}}}, CallToolResultSchema);
		expect(result).toEqual({
			content: [{type: 'text', text: 'with meta'}],
			_meta: {'probe/trace': 'abc-123'},
			extraField: {kept: true},
		});
	});

	it('answers a call to a tool no server has with InvalidParams', async () => {
		const client = await session();
		await expect(client.callTool({name: 'everything__no-such-tool', arguments: {}})).rejects.toMatchObject({
			code: ErrorCode.InvalidParams,
		});
	});
});

describe('progress', () => {
	it('reaches the caller under the progress token the caller chose', async () => {
		const client = await session();
		const received: Array<Record<string, unknown>> = [];
		client.setNotificationHandler(ProgressNotificationSchema, notification => {
			received.push(notification.params);
		});
		const result = await client.request(
			{
				method: 'tools/call',
				params: {
					name: tool('everything', 'trigger-long-running-operation'),
					arguments: {duration: 0.4, steps: 4},
					_meta: {progressToken: 'caller-token-7'},
				},
			},
			CallToolResultSchema,
		);
		expect(text(result)).toContain('Long running operation completed');
		expect(received).toEqual([1, 2, 3, 4].map(progress => ({progressToken: 'caller-token-7', progress, total: 4})));
	});

	it('drives callTool onprogress, one call per step', async () => {
		const client = await session();
		const steps: number[] = [];
		await client.callTool({name: tool('everything', 'trigger-long-running-operation'), arguments: {duration: 0.3, steps: 3}}, undefined, {
			onprogress: progress => steps.push(progress.progress),
		});
		expect(steps).toEqual([1, 2, 3]);
	});
});

describe('cancellation', () => {
	it('rejects the cancelled call at the client and passes the cancellation and its reason to the server', async () => {
		const client = await session();
		const controller = new AbortController();
		// The probe reports progress once the call reached it: cancel then.
		const call = client.request({method: 'tools/call', params: {name: 'probe__wait', arguments: {}}}, CallToolResultSchema, {
			signal: controller.signal,
			onprogress: () => controller.abort('user pressed escape'),
		});
		await expect(call).rejects.toThrow('user pressed escape');

		const cancellations = await eventually(async () => {
			const result = await client.callTool({name: 'probe__cancellations', arguments: {}});
			const list = (result.structuredContent as {cancellations: string[]}).cancellations;
			return list.length > 0 && list;
		});
		expect(cancellations).toEqual(['user pressed escape']);
	});

	it('keeps serving the session after a cancellation', async () => {
		const client = await session();
		const controller = new AbortController();
		// Cancelled once the probe reports the call reached it: a call cancelled before the daemon
		// forwarded it would not take the path of a cancellation in flight.
		const call = client.callTool({name: 'probe__wait', arguments: {}}, undefined, {
			signal: controller.signal,
			onprogress: () => controller.abort(),
		});
		await expect(call).rejects.toThrow();
		expect(await client.callTool({name: 'everything__echo', arguments: {message: 'still here'}})).toEqual({
			content: [{type: 'text', text: 'Echo: still here'}],
		});
	});

	it('ends the HTTP exchange of a cancelled request', async () => {
		const raw = await RawSession.open(state, token);
		const response = await raw.post({
			jsonrpc: '2.0',
			id: 1,
			method: 'tools/call',
			params: {name: 'probe__wait', arguments: {}, _meta: {progressToken: 1}},
		});
		const body = readText(response);
		await eventually(() => body.text.includes('notifications/progress'), 10_000, 'the progress of the call');
		const sent = await raw.post({
			jsonrpc: '2.0',
			method: 'notifications/cancelled',
			params: {requestId: 1, reason: 'gone'},
		});
		expect(sent.status).toBe(202);
		// Only a hang fails this: the exchange ends as soon as the daemon handled the cancellation.
		await eventually(() => body.ended, 10_000, 'the end of the cancelled exchange');
		await raw.delete();
	});
});

describe('requests from servers to clients', () => {
	it('answers roots/list with an empty list while no session waits, so a server keeps its own roots', async () => {
		// The filesystem server asks for roots right after it starts, before any session exists.
		const log = join(world.root, 'lib', 'mcpproxy', 'servers', 'filesystem.log');
		await eventually(
			() => readFileSync(log, 'utf8').includes('No valid root directories provided by client'),
			10_000,
			'the roots answer in the filesystem log',
		);
		const client = await session();
		const result = await client.callTool({name: tool('filesystem', 'list_allowed_directories'), arguments: {}});
		expect(text(result)).toContain(filesRoot);
	});

	it('answers elicitation with decline when the caller cannot elicit', async () => {
		const client = await session();
		const result = await client.callTool({name: tool('everything', 'trigger-elicitation-request'), arguments: {}});
		expect(text(result)).toContain('User declined');
	});

	it('answers sampling with an error naming the server when the caller cannot sample', async () => {
		const client = await session();
		const result = await client.callTool({
			name: tool('everything', 'trigger-sampling-request'),
			arguments: {prompt: 'hello'},
		});
		expect(result.isError).toBe(true);
		expect(text(result)).toContain('Server "everything" sent sampling/createMessage, and no session connected through mcp-tooling');
		expect(text(result)).toContain('does not declare the sampling capability');
	});

	// Which session is asked when several call at once is test/client-requests.test.ts's subject.
	it('asks the calling session to sample and returns its answer', async () => {
		const caller = await session({sampling: {}});
		const prompts: string[] = [];
		caller.setRequestHandler(CreateMessageRequestSchema, async request => {
			prompts.push(JSON.stringify(request.params.messages));
			return {model: 'test-model', role: 'assistant', content: {type: 'text', text: 'sampled by the caller'}};
		});
		const result = await caller.callTool({
			name: tool('everything', 'trigger-sampling-request'),
			arguments: {prompt: 'what is 2+2?', maxTokens: 10},
		});
		expect(text(result)).toContain('sampled by the caller');
		expect(prompts).toHaveLength(1);
		expect(prompts[0]).toContain('what is 2+2?');
	});

	it('asks the calling session to elicit and returns what the user accepted', async () => {
		const client = await session({elicitation: {}});
		const messages: string[] = [];
		client.setRequestHandler(ElicitRequestSchema, async request => {
			messages.push(request.params.message);
			return {action: 'accept', content: {name: 'Ada Lovelace', check: true}};
		});
		const result = await client.callTool({name: tool('everything', 'trigger-elicitation-request'), arguments: {}});
		expect(messages).toEqual(['Please provide inputs for the following fields:']);
		expect(text(result)).toContain('- Name: Ada Lovelace');
		expect(text(result)).toContain('- Agreed to terms: true');
	});
});

/** Reads a response body as it arrives. */
function readText(response: Response): {text: string; ended: boolean} {
	const body = {text: '', ended: false};
	const decoder = new TextDecoder();
	void (async () => {
		try {
			for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
				body.text += decoder.decode(chunk, {stream: true});
			}
		} catch {
			// The daemon stopping cuts an open stream: that is an end too.
		}

		body.ended = true;
	})();
	return body;
}
