import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {processTree} from '../src/platform/os-processes.js';
import {SLASH_COMMAND} from '../src/shared/cli-command.js';
import {claude, PluginUser, prompt} from './support/claude.js';
import {eventually, serverScript, servers, World} from './support/daemon.js';
import {type MessagesRequest, type MockAnthropic, shownToModel, toolResults} from './support/mock-anthropic.js';

// A new plugin user's first hour, with the real Claude Code CLI: they have three MCP servers of
// their own (two for every project in ~/.claude.json, one in this project's .mcp.json). The first
// session says so and names the slash command; typing it moves them into the shared daemon; later
// sessions get them through the bridge and start no copy of their own.

const SERVERS = ['memory', 'everything', 'filesystem'] as const;
/** The tool each session calls in turn, and its arguments. */
const TOOLS = [
	['everything', 'echo', () => ({message: 'shared'})],
	['memory', 'read_graph', () => ({})],
	['filesystem', 'list_directory', () => ({path: project})],
] as const;

let world: World;
let mock: MockAnthropic;
let user: PluginUser;
let home: string;
let project: string;
let env: NodeJS.ProcessEnv;
let userFile: string;
let projectFile: string;
/** The user's own settings in ~/.claude.json, which the move must leave as they are. */
const userSettings = {keepMe: {nested: [1, 2, 3]}, alsoMine: 'unchanged'};
const projectText = (filesystem: unknown) =>
	`{\n  "$comment": "kept as it is",\n  "mcpServers": ${JSON.stringify(filesystem ? {filesystem} : {})}\n}\n`;

/** How many copies of each npm server run in each process tree, keyed by the tree's root pid. */
function serverCopies(roots: readonly number[]): Map<number, Record<string, number>> {
	return new Map(
		roots.map(root => {
			const tree = processTree(root);
			const counts = Object.fromEntries(SERVERS.map(name => [name, tree.filter(row => row.command.includes(serverScript(name))).length]));
			return [root, counts];
		}),
	);
}

function none(): Record<string, number> {
	return Object.fromEntries(SERVERS.map(name => [name, 0]));
}

function one(): Record<string, number> {
	return Object.fromEntries(SERVERS.map(name => [name, 1]));
}

beforeAll(async () => {
	world = new World();
	world.writeConfig({mcpServers: {}});
	user = await PluginUser.install(world);
	({mock, home, project, env} = user);
	userFile = join(home, '.claude.json');
	const existing = existsSync(userFile) ? (JSON.parse(readFileSync(userFile, 'utf8')) as object) : {};
	const mcpServers = {memory: servers.memory(join(world.root, 'memory.jsonl')), everything: servers.everything()};
	writeFileSync(userFile, `${JSON.stringify({...existing, ...userSettings, mcpServers}, null, 2)}\n`);
	projectFile = join(project, '.mcp.json');
	writeFileSync(projectFile, projectText(servers.filesystem(project)));
}, 120_000);

afterAll(async () => {
	await user.dispose();
	await world.dispose();
});

it('tells the first session which servers Claude Code starts itself, and the slash command that shares them', async () => {
	let copies = new Map<number, Record<string, number>>();
	const run = prompt('Hello.', env, project);
	mock.script = () => {
		copies = serverCopies([run.pid!]);
		return {text: 'hello'};
	};
	const result = await run;
	expect(result.exitCode, result.stderr).toBe(0);
	// Before the move, Claude Code runs a copy of each server of its own.
	expect(copies.get(run.pid!)).toEqual(one());
	const context = shownToModel(mock.requests[0]!);
	expect(context).toContain('Servers: none in the shared config yet.');
	expect(context).toMatch(/Claude Code starts 3 MCP servers of its own here.*filesystem \(.*\.mcp\.json\), (memory|everything) \(user\)/);
	expect(context).toContain(`${SLASH_COMMAND} servers import --remove-from-source`);
	expect(context).toContain(`${SLASH_COMMAND} servers import --dry-run`);
});

it('moves them into the shared config when the user types the slash command, leaving the rest of both files as it was', async () => {
	mock.requests.length = 0;
	mock.script = () => ({text: 'moved'});
	const run = await claude(
		['-p', `${SLASH_COMMAND} servers import --remove-from-source`, '--output-format', 'stream-json', '--verbose'],
		env,
		project,
	);
	expect(run.exitCode, run.stderr).toBe(0);
	const shown = mock.requests.map(request => shownToModel(request)).join('\n');
	for (const name of SERVERS) {
		expect(shown).toContain(name);
	}

	const shared = JSON.parse(readFileSync(world.configFile, 'utf8')) as {mcpServers: Record<string, unknown>};
	expect(Object.keys(shared.mcpServers).sort()).toEqual([...SERVERS].sort());
	expect(shared.mcpServers.filesystem).toEqual(servers.filesystem(project));
	expect(readFileSync(projectFile, 'utf8')).toBe(projectText(undefined));
	// Claude Code rewrites ~/.claude.json as it runs; what matters is that it did not bring them back.
	const user = JSON.parse(readFileSync(userFile, 'utf8')) as Record<string, unknown>;
	expect(user.mcpServers ?? {}).toEqual({});
	expect(user).toMatchObject(userSettings);
});

it('serves them to later sessions through the daemon: one instance each, none in any session', async () => {
	mock.requests.length = 0;
	const snapshots: Array<Map<number, Record<string, number>>> = [];
	const runs = [prompt('Second session.', env, project), prompt('Third session.', env, project)];
	const daemonPid = await eventually(() => world.state()?.pid, 30_000, 'the daemon');
	mock.script = (request: MessagesRequest) => {
		// Taken at every request, while the session asking has its MCP servers up.
		snapshots.push(serverCopies([daemonPid, ...runs.map(run => run.pid!)]));
		const done = toolResults([request]).length;
		const next = TOOLS[done];
		const name = next && `mcp__plugin_mcp-tooling_mcp__${next[0]}__${next[1]}`;
		return name && request.tools?.some(tool => tool.name === name) ? {toolUse: {name, input: next[2]()}} : {text: 'done'};
	};
	for (const run of await Promise.all(runs)) {
		expect(run.exitCode, run.stderr).toBe(0);
	}

	// The request after the last call carries the whole conversation: one per session.
	const results = toolResults(mock.requests.filter(request => toolResults([request]).length === TOOLS.length));
	expect(results.filter(text => text.includes('Echo: shared'))).toHaveLength(2);
	expect(results.filter(text => text.includes('"entities"'))).toHaveLength(2);
	expect(results.filter(text => text.includes('[FILE] .mcp.json'))).toHaveLength(2);
	expect(snapshots.length).toBeGreaterThanOrEqual(8);
	for (const snapshot of snapshots) {
		expect(snapshot.get(daemonPid)).toEqual(one());
		for (const run of runs) {
			expect(snapshot.get(run.pid!)).toEqual(none());
		}
	}
});
