import {join} from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {
	ListResourcesResultSchema,
	ListResourceTemplatesResultSchema,
	LoggingMessageNotificationSchema,
	PromptListChangedNotificationSchema,
	ResourceListChangedNotificationSchema,
	ResourceUpdatedNotificationSchema,
	ToolListChangedNotificationSchema,
	type ClientCapabilities,
	type LoggingMessageNotification,
	type Resource,
	type ResourceTemplate,
} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {DaemonState} from '../src/contract/state-file.js';
import {connect, directClient} from './support/client.js';
import {eventually, servers, World} from './support/daemon.js';
import {exposedToolName, listAllTools} from './support/names.js';
import {daemonStatus} from './support/raw-http.js';
import {serversReady} from './support/ready.js';

function text(result: unknown): string {
	return ((result as {content: Array<{type: string; text?: string}>}).content ?? [])
		.filter(item => item.type === 'text')
		.map(item => item.text)
		.join('\n');
}

describe('through a daemon with everything namespaced and memory without a namespace', () => {
	let world: World;
	let state: DaemonState;
	let direct: Client;
	const clients: Client[] = [];

	async function session(capabilities: ClientCapabilities = {}): Promise<Client> {
		const client = await connect(state, world.token(), capabilities);
		clients.push(client);
		return client;
	}

	/** The messages a session receives of one notification kind, as they arrive. */
	function collect<T>(client: Client, schema: Parameters<Client['setNotificationHandler']>[0], pick: (notification: never) => T): T[] {
		const received: T[] = [];
		client.setNotificationHandler(schema, notification => {
			received.push(pick(notification as never));
		});
		return received;
	}

	async function toggleUpdates(client: Client): Promise<void> {
		await client.callTool({
			name: exposedToolName(await listAllTools(client), 'everything', 'toggle-subscriber-updates'),
			arguments: {},
		});
	}

	beforeAll(async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {
				everything: servers.everything(),
				memory: {...servers.memory(join(world.root, 'memory.jsonl')), namespace: false},
			},
		});
		({state} = await world.runDaemon('mcp-user', {MCPPROXY_PAGE_SIZE: '5'}));
		await serversReady(state, world.token());
		direct = await directClient(servers.everything());
	});

	afterAll(async () => {
		await Promise.all(clients.map(async client => client.close()));
		await direct?.close();
		await world.dispose();
	});

	describe('resources', () => {
		it("pages the resource list, and the pages hold each of the server's resources under an everything+ URI", async () => {
			const client = await session();
			const resources: Resource[] = [];
			const pageSizes: number[] = [];
			let cursor: string | undefined;
			do {
				const page = await client.request({method: 'resources/list', params: cursor ? {cursor} : {}}, ListResourcesResultSchema);
				resources.push(...page.resources);
				pageSizes.push(page.resources.length);
				cursor = page.nextCursor;
			} while (cursor);

			expect(pageSizes.length).toBeGreaterThan(1);
			expect(pageSizes.every(size => size <= 5)).toBe(true);
			const {resources: originals} = await direct.listResources();
			expect(resources.filter(resource => resource.uri.startsWith('everything+'))).toEqual(
				originals.map(resource => ({...resource, uri: `everything+${resource.uri}`})),
			);
			// The memory server has no namespace: its resource keeps its own URI.
			expect(resources.filter(resource => !resource.uri.startsWith('everything+'))).toEqual([
				expect.objectContaining({uri: 'memory://knowledge-graph'}),
			]);
		});

		it('lists resource templates under everything+ URI templates', async () => {
			const client = await session();
			const templates: ResourceTemplate[] = [];
			let cursor: string | undefined;
			do {
				const page = await client.request(
					{method: 'resources/templates/list', params: cursor ? {cursor} : {}},
					ListResourceTemplatesResultSchema,
				);
				templates.push(...page.resourceTemplates);
				cursor = page.nextCursor;
			} while (cursor);

			const {resourceTemplates: originals} = await direct.listResourceTemplates();
			expect(originals.length).toBeGreaterThan(0);
			expect(templates).toEqual(originals.map(template => ({...template, uriTemplate: `everything+${template.uriTemplate}`})));
		});

		it('reads a listed resource by its namespaced URI and answers with that URI', async () => {
			const client = await session();
			const uri = 'demo://resource/static/document/instructions.md';
			const proxied = await client.readResource({uri: `everything+${uri}`});
			const original = await direct.readResource({uri});
			expect(proxied.contents).toEqual(original.contents.map(content => ({...content, uri: `everything+${uri}`})));
		});

		it('reads a URI built from a template', async () => {
			const client = await session();
			const {contents} = await client.readResource({uri: 'everything+demo://resource/dynamic/text/3'});
			expect(contents).toEqual([expect.objectContaining({uri: 'everything+demo://resource/dynamic/text/3', mimeType: 'text/plain'})]);
			expect(contents[0]).toMatchObject({text: expect.stringMatching(/^Resource 3: This is a plaintext resource/)});
		});

		it('gives resource links in tool results namespaced URIs the session can read', async () => {
			const client = await session();
			const result = await client.callTool({name: 'everything__get-resource-links', arguments: {count: 2}});
			const links = (result.content as Array<{type: string; uri?: string}>)
				.filter(item => item.type === 'resource_link')
				.map(item => item.uri!);
			expect(links).toEqual(['everything+demo://resource/dynamic/blob/1', 'everything+demo://resource/dynamic/text/2']);
			const {contents} = await client.readResource({uri: links[1]!});
			expect(contents[0]).toMatchObject({text: expect.stringMatching(/^Resource 2:/)});
		});

		it('sends resources/updated only to the sessions subscribed to that URI', async () => {
			const first = 'everything+demo://resource/static/document/features.md';
			const second = 'everything+demo://resource/static/document/startup.md';
			const [alice, bob, carol] = [await session(), await session(), await session()];
			const updates = (client: Client) =>
				collect(client, ResourceUpdatedNotificationSchema, (notification: {params: {uri: string}}) => notification.params.uri);
			const [toAlice, toBob, toCarol] = [updates(alice), updates(bob), updates(carol)];
			await alice.subscribeResource({uri: first});
			await carol.subscribeResource({uri: first});
			await bob.subscribeResource({uri: second});

			// The server sends updates at once and every 5 s after, so how many arrive is not fixed: which do is.
			await toggleUpdates(alice);
			await eventually(() => toAlice.length > 0 && toBob.length > 0 && toCarol.length > 0, 10_000, 'updates to all three subscribers');
			await toggleUpdates(alice);
			expect(new Set(toAlice)).toEqual(new Set([first]));
			expect(new Set(toCarol)).toEqual(new Set([first]));
			expect(new Set(toBob)).toEqual(new Set([second]));

			// Alice leaves; Carol still holds the upstream subscription.
			await alice.unsubscribeResource({uri: first});
			const [aliceHad, bobHad, carolHad] = [toAlice.length, toBob.length, toCarol.length];
			await toggleUpdates(bob);
			await eventually(() => toCarol.length > carolHad && toBob.length > bobHad, 10_000, 'the second round of updates');
			await toggleUpdates(bob);
			expect(new Set(toCarol)).toEqual(new Set([first]));
			expect(new Set(toBob)).toEqual(new Set([second]));
			expect(toAlice).toHaveLength(aliceHad);
		});

		it('subscribes upstream once per URI however many sessions subscribe, and unsubscribes when the last leaves', async () => {
			const uri = 'demo://resource/static/document/structure.md';
			const watcher = await session();
			const logs = collect(watcher, LoggingMessageNotificationSchema, (notification: LoggingMessageNotification) =>
				String(notification.params.data),
			);
			const [one, two] = [await session(), await session()];
			await one.subscribeResource({uri: `everything+${uri}`});
			await two.subscribeResource({uri: `everything+${uri}`});
			await one.unsubscribeResource({uri: `everything+${uri}`});
			// The server logs what it is asked in order: once the watcher has the message of a later
			// subscription, an unsubscribe sent when the first session left would have shown.
			const later = 'demo://resource/static/document/architecture.md';
			await watcher.subscribeResource({uri: `everything+${later}`});
			await eventually(
				() => logs.some(line => line.startsWith(`Received Subscribe Resource request for URI: ${later}`)),
				10_000,
				'the later subscription',
			);
			expect(logs.filter(line => line.startsWith(`Received Unsubscribe Resource request: ${uri}`))).toEqual([]);
			await watcher.unsubscribeResource({uri: `everything+${later}`});

			await two.unsubscribeResource({uri: `everything+${uri}`});
			await eventually(
				() => logs.some(line => line.startsWith(`Received Unsubscribe Resource request: ${uri}`)),
				10_000,
				'the upstream unsubscribe',
			);
			expect(logs.filter(line => line.startsWith(`Received Subscribe Resource request for URI: ${uri}`))).toHaveLength(1);
			expect(logs.filter(line => line.startsWith(`Received Unsubscribe Resource request: ${uri}`))).toHaveLength(1);
		});
	});

	describe('prompts', () => {
		it('lists every prompt of the server under its namespaced name and otherwise as is', async () => {
			const client = await session();
			const {prompts} = await client.listPrompts();
			const {prompts: originals} = await direct.listPrompts();
			expect(prompts).toEqual(originals.map(prompt => ({...prompt, name: `everything__${prompt.name}`})));
		});

		it('gets a prompt with its arguments', async () => {
			const client = await session();
			const args = {city: 'Lyon', state: 'Rhône'};
			const proxied = await client.getPrompt({name: 'everything__args-prompt', arguments: args});
			expect(proxied).toEqual(await direct.getPrompt({name: 'args-prompt', arguments: args}));
			expect(text({content: proxied.messages.map(message => message.content)})).toBe("What's weather in Lyon, Rhône?");
		});

		it('namespaces the URI of a resource embedded in a prompt', async () => {
			const client = await session();
			const {messages} = await client.getPrompt({
				name: 'everything__resource-prompt',
				arguments: {resourceType: 'Text', resourceId: '2'},
			});
			expect(messages[1]!.content).toMatchObject({
				type: 'resource',
				resource: {uri: 'everything+demo://resource/dynamic/text/2'},
			});
		});
	});

	describe('completions', () => {
		it('completes a prompt argument', async () => {
			const client = await session();
			const {completion} = await client.complete({
				ref: {type: 'ref/prompt', name: 'everything__completable-prompt'},
				argument: {name: 'department', value: 'Ma'},
			});
			expect(completion.values).toEqual(['Marketing']);
		});

		it('completes a prompt argument in the context of another', async () => {
			const client = await session();
			const {completion} = await client.complete({
				ref: {type: 'ref/prompt', name: 'everything__completable-prompt'},
				argument: {name: 'name', value: ''},
				context: {arguments: {department: 'Sales'}},
			});
			expect(completion.values).toEqual(['David', 'Eve', 'Frank']);
		});

		it('completes a variable of a resource template', async () => {
			const client = await session();
			const {completion} = await client.complete({
				ref: {type: 'ref/resource', uri: 'everything+demo://resource/dynamic/text/{resourceId}'},
				argument: {name: 'resourceId', value: '42'},
			});
			expect(completion.values).toEqual(['42']);
		});
	});

	describe('logging', () => {
		it('passes log messages on, attributed to their server', async () => {
			const client = await session();
			await client.setLoggingLevel('debug');
			const logs = collect(client, LoggingMessageNotificationSchema, (notification: LoggingMessageNotification) => notification.params);
			const toggle = exposedToolName(await listAllTools(client), 'everything', 'toggle-simulated-logging');
			await client.callTool({name: toggle, arguments: {}});
			await client.callTool({name: toggle, arguments: {}});
			const [message] = await eventually(() => logs.length > 0 && logs);
			expect(message).toMatchObject({logger: 'everything', data: expect.stringMatching(/level[- ]message/)});
		});

		it("filters log messages by each session's own level", async () => {
			const uri = 'everything+demo://resource/static/document/extension.md';
			const verbose = await session();
			const quiet = await session();
			await verbose.setLoggingLevel('info');
			await quiet.setLoggingLevel('error');
			const toVerbose = collect(
				verbose,
				LoggingMessageNotificationSchema,
				(notification: LoggingMessageNotification) => notification.params,
			);
			const toQuiet = collect(quiet, LoggingMessageNotificationSchema, (notification: LoggingMessageNotification) => notification.params);
			// The server acknowledges a subscription with an info message to its client.
			await verbose.subscribeResource({uri});
			await eventually(() => toVerbose.some(message => String(message.data).includes('extension.md')), 10_000, 'the info message');
			expect(toVerbose.find(message => String(message.data).includes('extension.md'))).toMatchObject({
				level: 'info',
				logger: 'everything',
			});
			expect(toQuiet.filter(message => String(message.data).includes('extension.md'))).toEqual([]);
			await verbose.unsubscribeResource({uri});
		});
	});

	describe('the session itself', () => {
		it('answers ping', async () => {
			const client = await session();
			await expect(client.ping()).resolves.toEqual({});
		});

		it("gives each server's instructions under its name", async () => {
			const client = await session();
			const instructions = client.getInstructions() ?? '';
			const original = direct.getInstructions()!;
			expect(original).toBeTruthy();
			expect(instructions).toContain(`## everything\n${original.trim()}`);
		});

		it('exposes a server without a namespace under its own tool names, exactly as it lists them', async () => {
			const client = await session();
			const memory = await directClient(servers.memory(join(world.root, 'memory-direct.jsonl')));
			try {
				const {tools: originals} = await memory.listTools();
				const tools = await listAllTools(client);
				for (const original of originals) {
					expect(tools).toContainEqual(original);
				}
			} finally {
				await memory.close();
			}

			const result = await client.callTool({
				name: 'create_entities',
				arguments: {entities: [{name: 'Ada', entityType: 'person', observations: ['wrote the first program']}]},
			});
			expect(result.isError).toBeFalsy();
			expect(text(await client.callTool({name: 'read_graph', arguments: {}}))).toContain('wrote the first program');
		});
	});
});

describe('a server still starting when a session connects', () => {
	let world: World;
	let state: DaemonState;

	beforeAll(async () => {
		world = new World();
		world.writeConfig({mcpServers: {slow: servers.everythingAfter(1)}});
		({state} = await world.runDaemon());
	});

	afterAll(async () => world.dispose());

	it('is waited for a little, so the session gets its instructions and tools at once', async () => {
		expect((await daemonStatus(state, world.token())).servers).toEqual([expect.objectContaining({name: 'slow', state: 'starting'})]);
		const client = await connect(state, world.token());
		expect(client.getInstructions()).toContain('## slow\n# Everything Server');
		expect((await client.listTools()).tools.map(tool => tool.name)).toContain('slow__echo');
		await client.close();
	});
});

describe('a server that becomes ready after the session connected', () => {
	let world: World;
	let state: DaemonState;

	beforeAll(async () => {
		world = new World();
		// Slower than the daemon waits for a first start (5 s), by enough that a slow session on a
		// loaded machine still lists before the server is up.
		world.writeConfig({mcpServers: {slower: servers.everythingAfter(10)}});
		({state} = await world.runDaemon());
	});

	afterAll(async () => world.dispose());

	it('is announced with list_changed for tools, prompts and resources, and then listed', async () => {
		const client = await connect(state, world.token());
		const changed: string[] = [];
		client.setNotificationHandler(ToolListChangedNotificationSchema, () => void changed.push('tools'));
		client.setNotificationHandler(PromptListChangedNotificationSchema, () => void changed.push('prompts'));
		client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void changed.push('resources'));
		expect((await daemonStatus(state, world.token())).servers).toEqual([expect.objectContaining({name: 'slower', state: 'starting'})]);
		expect((await client.listTools()).tools.map(tool => tool.name)).toEqual(['read_output']);

		await eventually(() => changed.length === 3, 30_000, 'three list_changed notifications');
		expect(changed.sort()).toEqual(['prompts', 'resources', 'tools']);
		const {tools} = await client.listTools();
		expect(tools.map(tool => tool.name)).toContain('slower__echo');
		await client.close();
	});
});

describe('two servers without a namespace that share tool names', () => {
	let world: World;
	let state: DaemonState;
	let output: () => string;

	beforeAll(async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {
				memory: {...servers.memory(join(world.root, 'a.jsonl')), namespace: false},
				'memory-copy': {...servers.memory(join(world.root, 'b.jsonl')), namespace: false},
				everything: {...servers.everything(), namespace: false},
			},
		});
		({state, output} = await world.runDaemon());
	});

	afterAll(async () => world.dispose());

	it('reports each collision in the status, naming both servers', async () => {
		await serversReady(state, world.token());
		const {collisions} = await daemonStatus(state, world.token());
		expect(collisions).toContainEqual({name: 'create_entities', servers: ['memory', 'memory-copy']});
		expect(collisions.every(collision => collision.servers.join() === 'memory,memory-copy')).toBe(true);
	});

	it('reports the collision in the log, naming both servers and the fix', async () => {
		await eventually(
			() => output().includes('servers "memory" and "memory-copy" both expose "create_entities"'),
			10_000,
			'the collision in the log',
		);
		expect(output()).toContain('remove "namespace": false from one of them');
	});

	it('still exposes another server without a namespace under its own names and URIs', async () => {
		const client = await connect(state, world.token());
		expect(await client.callTool({name: 'echo', arguments: {message: 'plain'}})).toEqual({
			content: [{type: 'text', text: 'Echo: plain'}],
		});
		const {resources} = await client.listResources();
		expect(resources.map(resource => resource.uri)).toContain('demo://resource/static/document/features.md');
		const {contents} = await client.readResource({uri: 'demo://resource/dynamic/text/5'});
		expect(contents[0]).toMatchObject({uri: 'demo://resource/dynamic/text/5'});
		await client.close();
	});
});

describe('two servers without a namespace that share resource URIs', () => {
	let world: World;
	let state: DaemonState;

	beforeAll(async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {
				everything: {...servers.everything(), namespace: false},
				'everything-copy': {...servers.everything(), namespace: false},
			},
		});
		({state} = await world.runDaemon());
	});

	afterAll(async () => world.dispose());

	it('reports the shared URIs and URI templates as collisions, naming both servers', async () => {
		await serversReady(state, world.token());
		const {collisions} = await daemonStatus(state, world.token());
		const uris = collisions.filter(collision => collision.name.includes('://'));
		expect(uris.length).toBeGreaterThan(0);
		expect(uris.every(collision => collision.servers.join() === 'everything,everything-copy')).toBe(true);
		expect(uris.map(collision => collision.name)).toContainEqual(expect.stringMatching(/^demo:\/\/resource\/dynamic\/text\/\{/));
	});
});
