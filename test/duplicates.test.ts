import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {CLI, REPO, servers, World} from './support/daemon.js';

let world: World;
let project: string;
let claude: ReturnType<World['spawn']>;

beforeAll(() => {
	world = new World();
	const memory = servers.memory(`${world.root}/memory.jsonl`);
	world.writeConfig({mcpServers: {memory}});
	project = mkdtempSync(join(tmpdir(), 'mcp-tooling-dup-project-'));
	// The same server under another name, as a project's .mcp.json would have it.
	writeFileSync(join(project, '.mcp.json'), JSON.stringify({mcpServers: {mem: memory, other: {command: 'other-server'}}}, null, 2));
	// Plays Claude Code: the hook registers the session under its pid.
	claude = world.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)']);
});

afterAll(async () => {
	await world.dispose();
	if (project) {
		rmSync(project, {recursive: true, force: true});
	}
});

function hook(event: 'session-start' | 'session-end', input: object) {
	return execa(process.execPath, [join(REPO, 'dist', 'hook.js'), event], {
		input: JSON.stringify(input),
		env: {...world.env, CLAUDE_PID: String(claude.pid), CLAUDE_PROJECT_DIR: project},
	});
}

it('tells Claude at SessionStart that the project’s .mcp.json runs a server the daemon already serves, and how to remove it', async () => {
	const {stdout} = await hook('session-start', {
		session_id: 'dup-1',
		cwd: project,
		hook_event_name: 'SessionStart',
		source: 'startup',
	});
	expect(stdout).toContain(`Duplicate: ${join(project, '.mcp.json')} declares "mem", which the shared daemon already serves as "memory"`);
	expect(stdout).toContain(`(cd "${project}" && claude mcp remove mem --scope project)`);
	expect(stdout).not.toContain('"other"');
});

it('shows the same in `daemon status`, both forms', async () => {
	const json = await execa(process.execPath, [CLI, 'daemon', 'status', '--json'], {env: world.env});
	expect(JSON.parse(json.stdout).duplicates).toEqual([
		expect.objectContaining({name: 'mem', sharedAs: 'memory', file: join(project, '.mcp.json')}),
	]);
	const text = await execa(process.execPath, [CLI, 'daemon', 'status'], {env: world.env});
	expect(text.stdout).toContain('declares "mem", which this daemon serves as "memory"');
	await hook('session-end', {session_id: 'dup-1', hook_event_name: 'SessionEnd', reason: 'other'});
});
