import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {SLASH_COMMAND} from '../src/shared/cli-command.js';
import {eventually, REPO, World} from './support/daemon.js';

// SessionStart on a daemon that serves nothing yet: it names the servers Claude Code starts by
// itself, what they cost across the sessions open now, and the one command that moves them.

let world: World;
let home: string;
let project: string;
let elsewhere: string;

beforeAll(() => {
	world = new World();
	home = join(world.root, 'home');
	project = join(world.root, 'project');
	elsewhere = join(world.root, 'elsewhere');
	for (const dir of [home, project, elsewhere]) mkdirSync(dir, {recursive: true});
	const user = {alpha: {command: 'alpha-server'}, remote: {type: 'http', url: 'https://remote.example/mcp'}};
	writeFileSync(
		join(home, '.claude.json'),
		JSON.stringify({mcpServers: user, projects: {[project]: {mcpServers: {beta: {command: 'beta'}}}}}),
	);
	writeFileSync(join(project, '.mcp.json'), JSON.stringify({mcpServers: {gamma: {command: 'gamma'}}}));
});

afterAll(async () => world.dispose());

async function sessionStart(dir: string, sessionId: string) {
	// Plays Claude Code: the hook registers the session under its pid.
	const claude = world.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)']);
	return execa(process.execPath, [join(REPO, 'dist', 'hook.js'), 'session-start'], {
		input: JSON.stringify({session_id: sessionId, cwd: dir, hook_event_name: 'SessionStart', source: 'startup'}),
		env: {...world.env, HOME: home, CLAUDE_PID: String(claude.pid), CLAUDE_PROJECT_DIR: dir},
		timeout: 30_000,
	});
}

it('names the servers Claude Code starts by itself, their processes across open sessions, and the slash command', async () => {
	await sessionStart(elsewhere, 'other-project');
	const {stdout} = await sessionStart(project, 'here');
	const lines = stdout.split('\n');
	expect(lines[1]).toBe('Servers: none in the shared config yet.');
	// alpha (user) runs in both sessions, beta and gamma (this project) in one; remote is no process.
	expect(lines[2]).toBe(
		'Claude Code starts 4 MCP servers of its own here, a copy in every session: ' +
			`beta (project ${project}), gamma (${join(project, '.mcp.json')}), alpha (user), remote (user); ` +
			'that is 4 server processes across the 2 sessions open now.',
	);
	expect(lines[3]).toContain(`\`${SLASH_COMMAND} servers import --remove-from-source\``);
	expect(lines[3]).toContain(`\`${SLASH_COMMAND} servers import --dry-run\``);
	expect(lines).toHaveLength(4);
});

it('says nothing of them once the shared config serves servers', async () => {
	world.writeConfig({mcpServers: {alpha: {command: 'alpha-server'}}});
	// The daemon applies the edit when its watcher sees it; the hook asks the daemon.
	await eventually(
		() => existsSync(world.logFile) && readFileSync(world.logFile, 'utf8').includes('config reloaded'),
		10_000,
		'the edit applied',
	);
	const {stdout} = await sessionStart(project, 'after');
	expect(stdout).not.toContain('Claude Code starts');
});
