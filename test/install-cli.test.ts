import {cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {delimiter, join} from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {LAUNCHER_MARKER} from '../src/shared/cli-launcher.js';
import {CLI, REPO, World} from './support/daemon.js';

// `install-cli` / `uninstall-cli` in a throwaway HOME: the launcher they write, what they refuse
// to touch, and a launcher that follows the plugin Claude Code has installed across an update.

let world: World;
let home: string;

beforeEach(() => {
	world = new World();
	home = join(world.root, 'home');
	mkdirSync(home, {recursive: true});
});

afterEach(async () => world.dispose());

const bin = () => join(home, '.local', 'bin');
const launcher = () => join(bin(), 'mcp-tooling');

async function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
	return execa(command, args, {reject: false, env: {...world.env, HOME: home, SHELL: '/bin/zsh', ...env}, timeout: 30_000});
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, file = CLI) {
	return run(process.execPath, [file, ...args], env);
}

const withBin = () => ({PATH: `${bin()}${delimiter}${world.env.PATH}`});

/** A copy of the built plugin where Claude Code keeps it, recorded in installed_plugins.json as the one installed. */
function installPlugin(version: string): string {
	const installPath = join(home, '.claude', 'plugins', 'cache', 'mcp-tooling', 'mcp-tooling', version);
	cpSync(join(REPO, 'dist'), join(installPath, 'dist'), {recursive: true});
	const registry = {
		version: 2,
		plugins: {'mcp-tooling@mcp-tooling': [{scope: 'user', installPath, version, installedAt: new Date().toISOString()}]},
	};
	writeFileSync(join(home, '.claude', 'plugins', 'installed_plugins.json'), JSON.stringify(registry, null, 2));
	return join(installPath, 'dist', 'cli.js');
}

describe('install-cli', () => {
	it('writes an executable launcher to ~/.local/bin, creating it, and says how to put it on PATH', async () => {
		const result = await cli(['install-cli']);
		expect(result.exitCode, result.stderr).toBe(0);
		expect(result.stdout).toContain(`Installed: ${launcher()}, which runs the CLI at ${CLI}`);
		expect(result.stdout).toContain(
			`${bin()} is not on your PATH; add this line to ~/.zshrc, then open a new terminal: export PATH="$HOME/.local/bin:$PATH"`,
		);
		expect(statSync(launcher()).mode & 0o777).toBe(0o755);
		expect(readFileSync(launcher(), 'utf8').split('\n')[1]).toContain(LAUNCHER_MARKER);

		const byName = await run('mcp-tooling', ['servers', 'list'], withBin());
		expect(byName.exitCode, byName.stderr).toBe(0);
		expect(byName.stdout).toContain('No config file yet');
	});

	it('is idempotent, and says when its directory is on PATH', async () => {
		await cli(['install-cli']);
		const text = readFileSync(launcher(), 'utf8');
		const again = await cli(['install-cli'], withBin());
		expect(again.exitCode, again.stderr).toBe(0);
		expect(again.stdout).toContain(`Already installed: ${launcher()}`);
		expect(again.stdout).toContain(`${bin()} is on your PATH: "mcp-tooling --help" works in a terminal.`);
		expect(readFileSync(launcher(), 'utf8')).toBe(text);
	});

	it('prefers ~/bin when that is on PATH and ~/.local/bin is not, and takes --dir', async () => {
		const homeBin = join(home, 'bin');
		mkdirSync(homeBin);
		const result = await cli(['install-cli'], {PATH: `${homeBin}${delimiter}${world.env.PATH}`});
		expect(result.stdout).toContain(`Installed: ${join(homeBin, 'mcp-tooling')}`);
		const elsewhere = join(world.root, 'tools');
		expect((await cli(['install-cli', '--dir', elsewhere])).stdout).toContain(`Installed: ${join(elsewhere, 'mcp-tooling')}`);
		expect(existsSync(launcher())).toBe(false);
	});

	it('never overwrites an mcp-tooling that is not its own launcher: a file or a symlink', async () => {
		mkdirSync(bin(), {recursive: true});
		writeFileSync(launcher(), '#!/bin/sh\necho mine\n', {mode: 0o755});
		const refused = await cli(['install-cli']);
		expect(refused.exitCode).toBe(1);
		expect(refused.stderr).toContain(`${launcher()} already exists and is not an mcp-tooling launcher, so it is left as it is`);
		expect(refused.stderr).toContain('install-cli --dir DIR');
		expect(readFileSync(launcher(), 'utf8')).toBe('#!/bin/sh\necho mine\n');
		const kept = await cli(['uninstall-cli', '--dir', bin()]);
		expect(kept.exitCode).toBe(1);
		expect(kept.stdout).toContain(`Left ${launcher()}: it is not an mcp-tooling launcher.`);
		expect(existsSync(launcher())).toBe(true);

		// A symlink is someone's arrangement even when it points at one of our launchers.
		const other = join(world.root, 'elsewhere');
		await cli(['install-cli', '--dir', other]);
		rmSync(launcher());
		symlinkSync(join(other, 'mcp-tooling'), launcher());
		expect((await cli(['install-cli'])).exitCode).toBe(1);
	});

	it('runs the plugin version Claude Code has installed now, across an update that removes the old one', async () => {
		const first = installPlugin('0.1.0');
		const installed = await cli(['install-cli'], {}, first);
		expect(installed.exitCode, installed.stderr).toBe(0);
		expect(installed.stdout).toContain('which runs the mcp-tooling plugin Claude Code has installed, whichever version that is');
		// Off PATH, the CLI names itself in full: the hint shows which copy ran.
		expect((await cli(['daemon', 'status'], {}, launcher())).stdout).toContain(`\`node "${first}" daemon start\``);

		rmSync(join(home, '.claude', 'plugins', 'cache'), {recursive: true});
		const second = installPlugin('0.2.0');
		expect((await cli(['daemon', 'status'], {}, launcher())).stdout).toContain(`\`node "${second}" daemon start\``);

		rmSync(join(home, '.claude', 'plugins'), {recursive: true});
		const gone = await cli(['daemon', 'status'], {}, launcher());
		expect(gone.exitCode).toBe(1);
		expect(gone.stderr).toContain(`found no CLI to run: ${first} is gone and Claude Code lists no installed mcp-tooling plugin`);
	});
});

describe('uninstall-cli', () => {
	it('removes its launcher and nothing else', async () => {
		await cli(['install-cli']);
		const removed = await cli(['uninstall-cli']);
		expect(removed.exitCode, removed.stderr).toBe(0);
		expect(removed.stdout).toBe(`Removed ${launcher()}.`);
		expect(existsSync(launcher())).toBe(false);
		expect((await cli(['uninstall-cli'])).stdout).toContain('No mcp-tooling launcher in');
	});
});

describe('doctor', () => {
	it('says whether mcp-tooling is on PATH, and how to put it there', async () => {
		const check = async (env: NodeJS.ProcessEnv) => {
			const {stdout} = await cli(['doctor', '--json', '--skip-servers'], env);
			return (JSON.parse(stdout) as {checks: Array<{id: string; verdict: string; detail: string; fix?: string}>}).checks.find(
				entry => entry.id === 'cli',
			);
		};

		expect(await check({})).toMatchObject({verdict: 'warn', fix: expect.stringContaining(`\`node "${CLI}" install-cli\``)});
		await cli(['install-cli']);
		expect(await check(withBin())).toMatchObject({verdict: 'ok', detail: `${launcher()} (the launcher install-cli wrote)`});
	});
});
