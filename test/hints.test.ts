import {chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {CLI_NAME, SLASH_COMMAND} from '../src/shared/cli-command.js';
import {CLI, REPO, servers, terminalCommand, World} from './support/daemon.js';

// Every command a text names runs where the text is read: Claude is told the slash command, a
// terminal the command that runs there. The hints below are collected from real output and run.

let world: World;
let claude: ReturnType<World['spawn']>;

beforeAll(() => {
	world = new World();
	// Plays Claude Code: the hook registers the session under its pid.
	claude = world.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)']);
});

afterAll(async () => world.dispose());

function codeSpans(text: string): string[] {
	return [...text.matchAll(/`([^`\n]+)`/g)].map(match => match[1]!);
}

/** The command's own words and flags, up to its first placeholder (NAME, COMMAND, a path). */
function runnablePart(args: string): string[] {
	const words = args.split(' ');
	const end = words.findIndex(word => !/^-{0,2}[a-z][a-z-]*$/.test(word));
	return end === -1 ? words : words.slice(0, end);
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
	return execa(process.execPath, [CLI, ...args], {reject: false, env: {...world.env, ...env}, timeout: 30_000});
}

async function sessionStart(sessionId: string) {
	return execa(process.execPath, [join(REPO, 'dist', 'hook.js'), 'session-start'], {
		input: JSON.stringify({session_id: sessionId, cwd: world.root, hook_event_name: 'SessionStart', source: 'startup'}),
		env: {...world.env, CLAUDE_PID: String(claude.pid), CLAUDE_PROJECT_DIR: world.root},
		timeout: 30_000,
	});
}

/** Each hint in `texts` that starts with `prefix`, run with `--help` (through `via`), must succeed. */
async function expectRunnable(texts: string[], prefix: string, via: string[]): Promise<number> {
	const hints = new Set(texts.flatMap(codeSpans).filter(span => span.startsWith(`${prefix} `)));
	for (const hint of hints) {
		const result = await cli([...via, ...runnablePart(hint.slice(prefix.length + 1)), '--help']);
		expect(result.exitCode, `${hint}: ${result.stdout}${result.stderr}`).toBe(0);
	}

	return hints.size;
}

// A command written out where a hint would be: `mcp-tooling daemon restart` in a code span, or a full node command.
const HARD_CODED = /`mcp-tooling (daemon|servers|tools|doctor|install-cli|uninstall-cli)( [a-z][a-z-]*| --?[a-z-]+)*\\?`|node "\$\{/;

describe('the sources', () => {
	it('name CLI commands only through cliCommand, never as a hard-coded string', () => {
		const files = readdirSync(join(REPO, 'src'), {recursive: true, encoding: 'utf8'}).filter(file => file.endsWith('.ts'));
		const offending = files.flatMap(file =>
			readFileSync(join(REPO, 'src', file), 'utf8')
				.split('\n')
				.map((line, index) => ({line, where: `src/${file}:${index + 1}`}))
				// Comments may name commands for the reader; strings are what a user is told.
				.filter(({line}) => !/^\s*(\/\/|\*|\/\*\*)/.test(line))
				.filter(({line}) => HARD_CODED.test(line))
				.map(({where}) => where),
		);
		expect(offending.filter(where => !where.startsWith('src/shared/cli-command.ts'))).toEqual([]);
	});
});

describe('what reaches Claude', () => {
	it('names the slash command, and each one it names runs', async () => {
		world.writeConfig({mcpServers: {}});
		const empty = await sessionStart('hints-empty');
		world.writeConfig({mcpServers: {memory: servers.memory(join(world.root, 'memory.jsonl')), broken: {command: 'no-such-server-x'}}});
		// The daemon reloads the config by itself; the broken server's error shows once it has failed.
		let troubled = await sessionStart('hints-broken');
		for (let tries = 0; !troubled.stdout.includes('Problems:') && tries < 50; tries++) {
			await new Promise(resolve => setTimeout(resolve, 200));
			troubled = await sessionStart('hints-broken');
		}

		const slash = await Promise.all(
			[['status'], ['doctor', '--skip-servers'], ['help'], ['servers'], ['tools', 'search', 'memory']].map(async args =>
				cli(['slash', ...args]),
			),
		);
		const texts = [empty.stdout, troubled.stdout, ...slash.map(result => result.stdout + result.stderr)];
		expect(empty.stdout).toContain(`\`${SLASH_COMMAND} servers import`);
		expect(troubled.stdout).toContain(`\`${SLASH_COMMAND} doctor\``);
		for (const span of texts.flatMap(codeSpans)) {
			expect(span).not.toMatch(new RegExp(`^(${CLI_NAME} [a-z]|node )`));
		}

		expect(await expectRunnable(texts, SLASH_COMMAND, ['slash'])).toBeGreaterThanOrEqual(4);
	});
});

describe('what a terminal shows', () => {
	// Wide enough that no hint is wrapped; with no daemon and no config, the hints say how to start and fill it.
	const outputs = async (env: NodeJS.ProcessEnv = {}) => {
		await cli(['daemon', 'stop']);
		rmSync(world.configFile, {force: true});
		const results = await Promise.all(
			[
				['doctor', '--skip-servers'],
				['tools', 'search', 'x'],
				['servers', 'add', 'x'],
				['daemon', 'status'],
				['daemon', 'logs'],
			].map(async args => cli(args, {COLUMNS: '400', ...env})),
		);
		return results.map(result => result.stdout + result.stderr);
	};

	it('is the full `node "…/dist/cli.js"` command when mcp-tooling is not on PATH, and each runs', async () => {
		const texts = await outputs();
		expect(texts.join('\n')).toContain(`\`${terminalCommand('daemon start')}\``);
		expect(texts.join('\n')).not.toMatch(new RegExp(`\`${CLI_NAME} [a-z]`));
		expect(await expectRunnable(texts, `node "${CLI}"`, [])).toBeGreaterThanOrEqual(3);
	});

	it('is `mcp-tooling …` once that is on PATH', async () => {
		const bin = join(world.root, 'bin');
		mkdirSync(bin, {recursive: true});
		writeFileSync(join(bin, CLI_NAME), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
		chmodSync(join(bin, CLI_NAME), 0o755);
		const texts = await outputs({PATH: `${bin}${delimiter}${world.env.PATH}`});
		expect(texts.join('\n')).toContain(`\`${CLI_NAME} daemon start\``);
		expect(texts.join('\n')).not.toContain(`node "${CLI}"`);
		expect(await expectRunnable(texts, CLI_NAME, [])).toBeGreaterThanOrEqual(3);
	});
});
