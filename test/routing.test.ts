import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {
	ErrorCode,
	LoggingMessageNotificationSchema,
	ToolListChangedNotificationSchema,
	type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Settings} from '../src/config/settings.js';
import type {DaemonState} from '../src/contract/state-file.js';
import {Directory} from '../src/router/directory.js';
import {PROXY_TOOL_NAMES} from '../src/router/proxy-tools.js';
import type {RoutedSession} from '../src/router/routed-session.js';
import {ToolRouting} from '../src/router/tool-routing.js';
import type {Upstream} from '../src/upstreams/upstream.js';
import {connect, listDirect} from './support/client.js';
import {eventually, REPO, servers, World} from './support/daemon.js';
import {exposedToolName, listAllTools} from './support/names.js';
import {serversReady} from './support/ready.js';

const PROBE = join(REPO, 'test', 'support', 'probe-server.mjs');
const PROXY_TOOLS = ['retrieve_tools', 'call_tool', 'read_output'];
const MAX_OUTPUT = 200;

type Match = {
	name: string;
	server: string;
	description: string;
	score: number;
	inputSchema: Tool['inputSchema'];
	annotations?: Tool['annotations'];
};
type CallResult = Awaited<ReturnType<Client['callTool']>>;

/** A session of a proxy under test, with what it was sent. */
type ProxySession = {client: Client; listChanged: () => number; logs: string[]};

/** A daemon in one routing mode, with the npm servers and the probe behind it. */
class ProxyUnderTest {
	readonly world: World;
	readonly filesRoot: string;
	private state!: DaemonState;
	private token!: string;
	private readonly clients: Client[] = [];
	private settles = 0;

	constructor(private readonly env: Record<string, string>) {
		this.world = new World();
		this.filesRoot = join(this.world.root, 'files');
	}

	async start(): Promise<void> {
		mkdirSync(this.filesRoot);
		this.world.writeConfig({
			mcpServers: {
				everything: servers.everything(),
				memory: servers.memory(join(this.world.root, 'memory.jsonl')),
				filesystem: servers.filesystem(this.filesRoot),
				probe: {command: process.execPath, args: [PROBE, '--learning']},
			},
		});
		({state: this.state} = await this.world.runDaemon('mcp-user', {
			MCPPROXY_MAX_OUTPUT: String(MAX_OUTPUT),
			...this.env,
		}));
		this.token = this.world.token();
		await serversReady(this.state, this.token);
	}

	/** A session that counts the tools/list_changed it receives and keeps its log messages; closed after all tests. */
	async session(): Promise<ProxySession> {
		const client = await connect(this.state, this.token);
		this.clients.push(client);
		let changes = 0;
		client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
			changes++;
		});
		const logs: string[] = [];
		client.setNotificationHandler(LoggingMessageNotificationSchema, notification => void logs.push(String(notification.params.data)));
		return {client, listChanged: () => changes, logs};
	}

	/**
	 * Returns once every notification the daemon sent `sessions` so far has reached them, so that
	 * a count taken then is final. A session's notifications arrive in order on its one stream,
	 * and server-everything logs each subscription to every session: once they all have that
	 * message, whatever was sent to them before it has arrived too.
	 */
	async settle(...sessions: ProxySession[]): Promise<void> {
		const uri = `demo://settle/${++this.settles}.md`;
		const [first] = sessions;
		await first!.client.subscribeResource({uri: `everything+${uri}`});
		await eventually(
			() => sessions.every(session => session.logs.some(line => line.includes(`for URI: ${uri} `))),
			10_000,
			'the subscription message in every session',
		);
		await first!.client.unsubscribeResource({uri: `everything+${uri}`});
	}

	async dispose(): Promise<void> {
		await Promise.all(this.clients.map(async client => client.close()));
		await this.world.dispose();
	}
}

function text(result: unknown): string {
	return ((result as {content: Array<{type: string; text?: string}>}).content ?? [])
		.filter(item => item.type === 'text')
		.map(item => item.text)
		.join('');
}

async function names(client: Client): Promise<string[]> {
	return (await listAllTools(client)).map(tool => tool.name);
}

async function retrieve(client: Client, query: string, limit?: number): Promise<Match[]> {
	const result = await client.callTool({name: 'retrieve_tools', arguments: {query, ...(limit && {limit})}});
	expect(result.isError).toBeFalsy();
	const {tools} = result.structuredContent as {tools: Match[]};
	return tools;
}

/** The key and offset a cut output names for read_output. */
function continuation(result: CallResult): {key: string; offset: number} {
	const marker = (result.content as Array<{text?: string}>).at(-1)!.text!;
	const match = /call read_output with (\{.*\})/.exec(marker);
	expect(match, marker).not.toBeNull();
	return JSON.parse(match![1]!) as {key: string; offset: number};
}

/** The text of a cut result without its marker, then every read_output piece, joined. */
async function readToEnd(
	result: CallResult,
	read: (key: string, offset: number) => Promise<CallResult>,
): Promise<{text: string; pieces: string[]}> {
	const pieces = [text({content: (result.content as unknown[]).slice(0, -1)})];
	let {key, offset} = continuation(result);
	for (;;) {
		const next = await read(key, offset);
		expect(next.isError).toBeFalsy();
		const [piece, more] = next.content as Array<{text: string}>;
		pieces.push(piece!.text);
		if (!more) {
			return {text: pieces.join(''), pieces};
		}

		({key, offset} = JSON.parse(/(\{.*\})/.exec(more.text)![1]!) as {key: string; offset: number});
	}
}

describe('direct routing', () => {
	// Made when the block runs, not when the file is collected: a filtered-out block leaves no World behind.
	let proxy: ProxyUnderTest;
	beforeAll(async () => {
		proxy = new ProxyUnderTest({MCPPROXY_ROUTING: 'direct'});
		await proxy.start();
	});
	afterAll(async () => proxy?.dispose());

	it('lists every upstream tool, namespaced, and read_output', async () => {
		const {client} = await proxy.session();
		const tools = await listAllTools(client);
		const upstreams = {
			everything: await listDirect(servers.everything()),
			memory: await listDirect(servers.memory(join(proxy.world.root, 'memory-direct.jsonl'))),
			filesystem: await listDirect(servers.filesystem(proxy.filesRoot)),
			probe: await listDirect({command: process.execPath, args: [PROBE, '--learning']}),
		};
		const expected = Object.entries(upstreams).flatMap(([server, list]) => list.map(tool => exposedToolName(tools, server, tool.name)));
		expect(new Set(expected).size).toBe(expected.length);
		expect(tools.map(tool => tool.name).sort()).toEqual([...expected, 'read_output'].sort());
	});

	it('cuts a long output without splitting a character, and read_output gives the rest', async () => {
		const {client} = await proxy.session();
		// "Echo: " takes 6 characters, so the bound falls between the halves of the first emoji.
		const message = `${'x'.repeat(MAX_OUTPUT - 7)}${'😀'.repeat(300)} and the end`;
		const full = `Echo: ${message}`;
		const result = await client.callTool({name: 'everything__echo', arguments: {message}});
		expect(text({content: (result.content as unknown[]).slice(0, -1)})).toBe(full.slice(0, MAX_OUTPUT - 1));
		const marker = (result.content as Array<{text: string}>).at(-1)!.text;
		expect(marker).toContain(`cut at ${MAX_OUTPUT - 1} of ${full.length.toLocaleString('en')} characters`);
		const {key, offset} = continuation(result);
		expect(offset).toBe(MAX_OUTPUT - 1);

		const {text: whole, pieces} = await readToEnd(result, async (key, offset) =>
			client.callTool({name: 'read_output', arguments: {key, offset}}),
		);
		expect(whole).toBe(full);
		expect(pieces.length).toBeGreaterThan(3);
		for (const piece of pieces) {
			expect(piece.length).toBeLessThanOrEqual(MAX_OUTPUT);
			expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece), piece).toBe(false);
		}

		// Another session may read on with the key too: it is the key, not the session, that grants it.
		const other = await proxy.session();
		expect(text(await other.client.callTool({name: 'read_output', arguments: {key, offset}}))).toContain(full.slice(offset, offset + 10));
	});

	it('leaves a short output as the server gave it', async () => {
		const {client} = await proxy.session();
		expect(await client.callTool({name: 'everything__echo', arguments: {message: 'short'}})).toEqual({
			content: [{type: 'text', text: 'Echo: short'}],
		});
	});

	it('answers read_output with an unknown key with isError', async () => {
		const {client} = await proxy.session();
		const result = await client.callTool({name: 'read_output', arguments: {key: 'made-up', offset: 0}});
		expect(result.isError).toBe(true);
		expect(text(result)).toContain('No kept output under key "made-up"');
	});
});

describe('retrieve routing', () => {
	let proxy: ProxyUnderTest;
	let everything: Tool[];
	beforeAll(async () => {
		proxy = new ProxyUnderTest({MCPPROXY_ROUTING: 'retrieve'});
		await proxy.start();
		everything = await listDirect(servers.everything());
	});
	afterAll(async () => proxy?.dispose());

	it('lists exactly retrieve_tools, call_tool and read_output', async () => {
		const {client} = await proxy.session();
		expect((await names(client)).sort()).toEqual([...PROXY_TOOLS].sort());
	});

	it('tells the model in retrieve_tools which servers there are to search, and that matching is by words', async () => {
		const {client} = await proxy.session();
		const description = await eventually(
			async () => {
				const retrieve = (await listAllTools(client)).find(tool => tool.name === 'retrieve_tools')!;
				return (
					['everything', 'memory', 'filesystem', 'probe'].every(server => retrieve.description?.includes(`${server} (`)) &&
					retrieve.description
				);
			},
			10_000,
			'every server named',
		);
		expect(description).toContain(`everything (${everything.length} tools)`);
		expect(description).toContain('matching is by words, not meaning');
	});

	it('retrieve_tools finds the echo tool for "echo a message back", with schema and annotations, also as JSON text', async () => {
		const session = await proxy.session();
		const {client, listChanged} = session;
		const result = await client.callTool({name: 'retrieve_tools', arguments: {query: 'echo a message back'}});
		const {tools} = result.structuredContent as {tools: Match[]};
		expect(tools.length).toBeGreaterThan(0);
		expect(tools.slice(0, 3).map(tool => tool.name)).toContain('everything__echo');
		for (const tool of tools) {
			expect(Object.keys(tool)).toEqual(expect.arrayContaining(['name', 'server', 'description', 'score', 'inputSchema']));
			expect(typeof tool.score).toBe('number');
			expect(tool.inputSchema).toMatchObject({type: 'object'});
		}

		const scores = tools.map(tool => tool.score);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		const echo = tools.find(tool => tool.name === 'everything__echo')!;
		const original = everything.find(tool => tool.name === 'echo')!;
		expect(echo).toMatchObject({
			server: 'everything',
			description: original.description,
			inputSchema: original.inputSchema,
			annotations: original.annotations,
		});
		expect(JSON.parse(text(result))).toEqual({tools});
		// Retrieval alone never changes the tool list outside dynamic routing.
		expect((await names(client)).sort()).toEqual([...PROXY_TOOLS].sort());
		await proxy.settle(session);
		expect(listChanged()).toBe(0);
	});

	it('honours the limit, and answers a query nothing matches with no tools', async () => {
		const {client} = await proxy.session();
		expect(await retrieve(client, 'read a file', 2)).toHaveLength(2);
		const none = await client.callTool({name: 'retrieve_tools', arguments: {query: 'qqqzzzxxv'}});
		expect(none.structuredContent).toEqual({tools: []});
		expect(text(none)).toContain('No tool matches');
	});

	it('call_tool calls a retrieved tool by its name: write a file, then read it back', async () => {
		const {client} = await proxy.session();
		const writer = (await retrieve(client, 'write a file'))[0]!;
		expect(writer.server).toBe('filesystem');
		const path = join(proxy.filesRoot, 'note.txt');
		const written = await client.callTool({
			name: 'call_tool',
			arguments: {name: writer.name, args: {path, content: 'hello through call_tool'}},
		});
		expect(written.isError).toBeFalsy();

		const reader = (await retrieve(client, 'read the text contents of a file')).find(tool => tool.server === 'filesystem')!;
		const read = await client.callTool({name: 'call_tool', arguments: {name: reader.name, args: {path}}});
		expect(text(read)).toContain('hello through call_tool');

		expect(await client.callTool({name: 'call_tool', arguments: {name: 'everything__echo', args: {message: 'round trip'}}})).toEqual({
			content: [{type: 'text', text: 'Echo: round trip'}],
		});
	});

	it('call_tool refuses an unknown name and names the closest ones', async () => {
		const {client} = await proxy.session();
		const call = client.callTool({name: 'call_tool', arguments: {name: 'everything__ecoh', args: {message: 'x'}}});
		await expect(call).rejects.toMatchObject({code: ErrorCode.InvalidParams});
		await expect(call).rejects.toThrow(/Unknown tool "everything__ecoh"\. Closest: everything__echo/);
		await expect(client.callTool({name: 'call_tool', arguments: {name: 'read_fille', args: {}}})).rejects.toThrow(
			/Closest: [^.]*filesystem__read_file/,
		);
		await expect(client.callTool({name: 'call_tool', arguments: {name: 'call_tool', args: {}}})).rejects.toMatchObject({
			code: ErrorCode.InvalidParams,
		});
	});

	it('cuts a long output of call_tool, and read_output continues it, called directly or through call_tool', async () => {
		const {client} = await proxy.session();
		const content = Array.from({length: 100}, (_, index) => `row ${index}: ${'ab'.repeat(index % 7)}`).join('\n');
		const path = join(proxy.filesRoot, 'big.txt');
		writeFileSync(path, content);
		const result = await client.callTool({
			name: 'call_tool',
			arguments: {name: 'filesystem__read_text_file', args: {path}},
		});
		expect(text(result)).toContain(`of ${content.length.toLocaleString('en')} characters`);
		const direct = await readToEnd(result, async (key, offset) => client.callTool({name: 'read_output', arguments: {key, offset}}));
		expect(direct.text).toBe(content);
		const viaCallTool = await readToEnd(result, async (key, offset) =>
			client.callTool({name: 'call_tool', arguments: {name: 'read_output', args: {key, offset}}}),
		);
		expect(viaCallTool.text).toBe(content);
	});

	it('keeps the index current as an upstream adds and removes tools', async () => {
		const {client} = await proxy.session();
		const query = 'feed hay to the zebras at the zoo';
		expect((await retrieve(client, query)).map(tool => tool.name)).not.toContain('probe__zebra_feeder');

		await client.callTool({
			name: 'call_tool',
			arguments: {
				name: 'probe__learn',
				args: {name: 'zebra_feeder', description: 'Dispenses hay to the striped animals of the zoo.'},
			},
		});
		const found = await eventually(
			async () => (await retrieve(client, query)).find(tool => tool.name === 'probe__zebra_feeder'),
			10_000,
			'the learnt tool in the index',
		);
		expect(found).toMatchObject({server: 'probe', description: 'Dispenses hay to the striped animals of the zoo.'});
		expect((await retrieve(client, query))[0]!.name).toBe('probe__zebra_feeder');
		expect(text(await client.callTool({name: 'call_tool', arguments: {name: 'probe__zebra_feeder', args: {}}}))).toBe(
			'called zebra_feeder',
		);

		await client.callTool({name: 'call_tool', arguments: {name: 'probe__unlearn', args: {name: 'zebra_feeder'}}});
		await eventually(
			async () => !(await retrieve(client, query)).some(tool => tool.name === 'probe__zebra_feeder'),
			10_000,
			'the unlearnt tool gone from the index',
		);
		await expect(client.callTool({name: 'call_tool', arguments: {name: 'probe__zebra_feeder', args: {}}})).rejects.toMatchObject({
			code: ErrorCode.InvalidParams,
		});
	});
});

describe('dynamic routing', () => {
	let proxy: ProxyUnderTest;
	beforeAll(async () => {
		proxy = new ProxyUnderTest({MCPPROXY_ROUTING: 'dynamic', MCPPROXY_TOOLS_LIMIT: '4', MCPPROXY_TOP_K: '3'});
		await proxy.start();
	});
	afterAll(async () => proxy?.dispose());

	it('starts each session with the proxy tools only', async () => {
		const {client} = await proxy.session();
		expect((await names(client)).sort()).toEqual([...PROXY_TOOLS].sort());
	});

	it('adds the top matches of a retrieval to this session only, announces them to it, and they answer by name', async () => {
		const other = await proxy.session();
		const session = await proxy.session();
		const {client, listChanged} = session;
		// The other session has a pool of its own.
		const otherTop = (await retrieve(other.client, 'read a file')).slice(0, 3).map(tool => tool.name);
		await eventually(() => other.listChanged() > 0, 5000, 'tools/list_changed in the other session');
		const otherList = (await names(other.client)).sort();
		expect(otherList).toEqual([...PROXY_TOOLS, ...otherTop].sort());
		// Let anything announced so far arrive first.
		await proxy.settle(other, session);
		const otherChanges = other.listChanged();
		const changesBefore = listChanged();

		const matches = await retrieve(client, 'echo a message back');
		const top = matches.slice(0, 3).map(tool => tool.name);
		expect(top).toContain('everything__echo');
		await eventually(() => listChanged() > changesBefore, 5000, 'tools/list_changed');
		const listed = await names(client);
		expect(listed.sort()).toEqual([...PROXY_TOOLS, ...top].sort());
		expect(await client.callTool({name: 'everything__echo', arguments: {message: 'pooled'}})).toEqual({
			content: [{type: 'text', text: 'Echo: pooled'}],
		});

		// The same retrieval again changes nothing, and says nothing: the first was announced once.
		await retrieve(client, 'echo a message back');
		await proxy.settle(other, session);
		expect(listChanged()).toBe(changesBefore + 1);

		expect((await names(other.client)).sort()).toEqual(otherList);
		expect(other.listChanged()).toBe(otherChanges);
	});

	it(
		'holds at most MCPPROXY_TOOLS_LIMIT tools, keeps the latest retrieval, ' + 'and keeps a called tool longer than uncalled ones',
		async () => {
			const {client, listChanged} = await proxy.session();
			const pooled = async () => (await names(client)).filter(name => !PROXY_TOOLS.includes(name));
			const first = (await retrieve(client, 'echo a message back')).slice(0, 3).map(tool => tool.name);
			expect(first).toContain('everything__echo');
			expect(await client.callTool({name: 'everything__echo', arguments: {message: 'keep me'}})).toEqual({
				content: [{type: 'text', text: 'Echo: keep me'}],
			});

			const queries = [
				'create entities and relations in the knowledge graph',
				'move or rename a file on disk',
				'list the contents of a directory',
			];
			for (const query of queries) {
				const changes = listChanged();
				const latest = (await retrieve(client, query)).slice(0, 3).map(tool => tool.name);
				await eventually(() => listChanged() > changes, 5000, `tools/list_changed after "${query}"`);
				const now = await pooled();
				expect(now.length).toBeLessThanOrEqual(4);
				expect(now).toEqual(expect.arrayContaining(latest));
				// Called once, it outlives every uncalled tool of later retrievals.
				expect(now).toContain('everything__echo');
				expect(now).toHaveLength(latest.includes('everything__echo') ? 3 : 4);
			}

			// Of the first retrieval, only the called tool is left.
			const now = await pooled();
			expect(first.filter(name => now.includes(name))).toEqual(['everything__echo']);
		},
	);

	it('cuts long outputs of pooled tools too', async () => {
		const {client} = await proxy.session();
		await retrieve(client, 'echo a message back');
		const message = 'z'.repeat(1000);
		const result = await client.callTool({name: 'everything__echo', arguments: {message}});
		const {text: whole} = await readToEnd(result, async (key, offset) => client.callTool({name: 'read_output', arguments: {key, offset}}));
		expect(whole).toBe(`Echo: ${message}`);
	});
});

describe('the index, as names change', () => {
	/** Just what the directory reads of an upstream. */
	function upstream(name: string, tools: string[]): Upstream {
		return {
			name,
			state: 'ready',
			offered: true,
			spec: {namespace: true},
			catalog: {
				tools: tools.map(tool => ({name: tool, description: `${tool} does things`, inputSchema: {type: 'object'}})),
				prompts: [],
				resources: [],
				resourceTemplates: [],
			},
		} as unknown as Upstream;
	}

	it('follows a tool of one server renamed because another server came up with the same exposed name', async () => {
		const directory = new Directory(PROXY_TOOL_NAMES);
		const routing = new ToolRouting(
			directory,
			{routing: 'retrieve', topK: 3, toolsLimit: 4, maxOutputChars: 1000} as Settings,
			async lookup => lookup(),
		);
		const first = upstream('a', ['b__c']);
		directory.rebuild([first]);
		routing.serverChanged('a');
		expect(routing.index.search('does things', 10).map(match => match.name)).toEqual(['a__b__c']);

		// `a__b`'s tool `c` is `a__b__c` too: both give way to hashed names.
		const second = upstream('a__b', ['c']);
		directory.rebuild([first, second]);
		routing.serverChanged('a__b');
		const found = routing.index.search('does things', 10);
		expect(found).toHaveLength(2);
		for (const match of found) {
			expect(directory.tool(match.name), match.name).toEqual({server: match.server, name: match.tool.name});
		}

		const session = {} as RoutedSession;
		const forwarded: unknown[] = [];
		for (const match of found) {
			const call = await routing.call(session, 'call_tool', {name: match.name, args: {}});
			forwarded.push('origin' in call && call.origin);
		}

		expect(forwarded).toEqual(
			expect.arrayContaining([
				{server: 'a', name: 'b__c'},
				{server: 'a__b', name: 'c'},
			]),
		);
	});
});
