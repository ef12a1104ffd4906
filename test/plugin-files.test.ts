import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import matter from 'gray-matter';
import {afterAll, describe, expect, it} from 'vitest';
import {ACTIONS} from '../src/cli/slash-command.js';
import {SETTING_KEYS} from '../src/config/settings.js';
import {SLASH_COMMAND} from '../src/shared/cli-command.js';
import {CLI, REPO, World} from './support/daemon.js';

const SKILL = join(REPO, 'skills', 'mcp-proxy-daemoning', 'SKILL.md');
const COMMAND = join(REPO, 'commands', 'mcp-proxy-daemoning.md');

// The commands below run for real (`--help`, `slash`): in a world of their own, never the user's ~/.aitkit.
const world = new World();
afterAll(async () => world.dispose());

function read(file: string): string {
	return readFileSync(file, 'utf8');
}

describe('the skill', () => {
	const skill = matter(read(SKILL));

	it('is named after its folder and says when to load it', () => {
		expect(skill.data.name).toBe('mcp-proxy-daemoning');
		expect(typeof skill.data.description).toBe('string');
		expect(skill.data.description.length).toBeLessThanOrEqual(1024);
		for (const trigger of ['mcp-tooling', 'mcp_proxy_config.json', 'mcp__plugin_mcp-tooling_mcp__', 'troubleshooting']) {
			expect(skill.data.description).toContain(trigger);
		}
	});

	it('links only reference files that exist', () => {
		const links = [...skill.content.matchAll(/\]\((references\/[^)]+)\)/g)].map(match => match[1]!);
		expect(links.length).toBeGreaterThan(0);
		for (const link of links) {
			expect(existsSync(join(REPO, 'skills', 'mcp-proxy-daemoning', link)), link).toBe(true);
		}
	});

	it('names only slash commands that run, never a CLI command Claude could not run', async () => {
		expect(skill.content).not.toMatch(/`mcp-tooling [a-z]/);
		const commands = new Set(
			[...skill.content.matchAll(new RegExp(`\`${SLASH_COMMAND} ((?:[a-z-]+)(?: [a-z-]+)?)`, 'g'))].map(match => match[1]!),
		);
		expect(commands.size).toBeGreaterThan(3);
		for (const command of commands) {
			const result = await execa(process.execPath, [CLI, 'slash', ...command.split(' '), '--help'], {
				reject: false,
				env: world.env,
			});
			expect(result.exitCode, `${SLASH_COMMAND} ${command}: ${result.stdout}${result.stderr}`).toBe(0);
		}
	});

	it('documents every setting in its configuration reference', () => {
		const reference = read(join(REPO, 'skills', 'mcp-proxy-daemoning', 'references', 'configuration.md'));
		for (const setting of SETTING_KEYS) {
			expect(reference).toContain(`\`${setting.env}\``);
			expect(reference).toContain(`\`${setting.fileKey}\``);
		}
	});
});

describe('the slash command', () => {
	const command = matter(read(COMMAND));

	it('has a description, an argument hint, and may run only the CLI', () => {
		expect(command.data.description).toMatch(/daemon/);
		expect(command.data['argument-hint']).toContain('status');
		expect(command.data['allowed-tools']).toBe('Bash(node:*)');
	});

	it('runs the bundled CLI with the user’s arguments', () => {
		expect(command.content).toContain('!`node "${CLAUDE_PLUGIN_ROOT}/dist/cli.js" slash $ARGUMENTS`');
	});

	it('offers exactly the actions the CLI runs for it', () => {
		const actions = String(command.data['argument-hint'])
			.replaceAll(/[[\]"]/g, '')
			.split('|')
			.map(action => action.split(' ')[0]);
		expect(actions.sort()).toEqual([...Object.keys(ACTIONS), 'help', 'COMMAND'].sort());
	});

	it('lists its actions and the CLI commands it passes through under "help"', async () => {
		const result = await execa(process.execPath, [CLI, 'slash', 'help'], {reject: false, env: world.env});
		expect(result.exitCode).toBe(0);
		for (const action of Object.keys(ACTIONS)) expect(result.stdout).toContain(`  ${action} `);
		expect(result.stdout).toContain('servers import --dry-run');
		expect(result.stdout).not.toMatch(/\bbridge\b|\bhook\b/);
	});

	it('runs any CLI command with its arguments, short actions keep theirs', async () => {
		const dryRun = await execa(process.execPath, [CLI, 'slash', 'servers', 'import', '--help'], {reject: false, env: world.env});
		expect(dryRun.exitCode, dryRun.stderr).toBe(0);
		expect(dryRun.stdout).toContain('--remove-from-source');
		const fix = await execa(process.execPath, [CLI, 'slash', 'doctor', '--fix', '--help'], {reject: false, env: world.env});
		expect(fix.exitCode, fix.stderr).toBe(0);
		expect(fix.stdout).toContain(`Usage: ${SLASH_COMMAND} doctor`);
		const logs = await execa(process.execPath, [CLI, 'slash', 'logs', '--server', 'nope', '--help'], {reject: false, env: world.env});
		expect(logs.stdout).toContain(`Usage: ${SLASH_COMMAND} daemon logs`);
	});

	it('refuses what cannot end inside Claude Code, saying why', async () => {
		for (const args of [['daemon', 'run'], ['logs', '-f'], ['daemon', 'logs', '--follow'], ['bridge'], ['hook', 'session-start']]) {
			const result = await execa(process.execPath, [CLI, 'slash', ...args], {reject: false, env: world.env, timeout: 10_000});
			expect(result.exitCode, args.join(' ')).toBe(2);
			expect(result.stdout).toMatch(/^Not from the slash command: /);
		}
	});

	it('answers an unknown action with the list of known ones', async () => {
		const result = await execa(process.execPath, [CLI, 'slash', 'dance'], {reject: false, env: world.env});
		expect(result.exitCode).toBe(2);
		expect(result.stdout).toContain('Available: status, start, stop');
	});
});
