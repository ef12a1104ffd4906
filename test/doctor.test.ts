import {spawn, type ChildProcess} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer as createHttpServer, type Server as HttpServer} from 'node:http';
import {createServer, type Server} from 'node:net';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {CheckResult} from '../src/doctor/check.js';
import {checkNode} from '../src/doctor/node-version.js';
import {processStartTime} from '../src/platform/os-processes.js';
import {CLI, isAlive, REPO, servers, terminalCommand, waitForExit, type World} from './support/daemon.js';
import {finished, idleProcess, lifecycleWorld, processesOfWorld, runCli, type Outcome} from './support/lifecycle.js';

// `mcp-tooling doctor`: every check seen failing (or warning) and passing, with its fix, and the exit code.

type Report = {ok: boolean; failures: number; warnings: number; checks: CheckResult[]};

const PLUGIN_KEY = 'mcp-tooling@mcp-tooling';
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {version: string}).version;

let world: World;
/** HOME of the doctor: Claude Code's files live there. */
let home: string;
/** The directory the doctor runs in: a project. */
let project: string;
const children: ChildProcess[] = [];

beforeEach(() => {
	world = lifecycleWorld();
	home = mkdtempSync(join(tmpdir(), 'mcp-tooling-doctor-home-'));
	project = mkdtempSync(join(tmpdir(), 'mcp-tooling-doctor-project-'));
});

afterEach(async () => {
	await Promise.all(children.splice(0).map(async child => waitForExit(child, 1000)));
	await world.dispose();
	for (const dir of [home, project]) {
		rmSync(dir, {recursive: true, force: true});
	}
});

async function doctor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
	const child = spawn(process.execPath, [CLI, 'doctor', ...args], {
		cwd: project,
		env: {...world.env, HOME: home, CLAUDE_CONFIG_DIR: undefined, COLUMNS: '200', ...env},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	children.push(child);
	return finished(child);
}

async function report(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{code: number | null; report: Report}> {
	const outcome = await doctor(['--json', ...args], env);
	expect(outcome.stderr).toBe('');
	return {code: outcome.code, report: JSON.parse(outcome.stdout) as Report};
}

function check(result: Report, id: string): CheckResult {
	const found = result.checks.find(entry => entry.id === id);
	if (!found) throw new Error(`no check ${id} in ${result.checks.map(entry => entry.id).join(', ')}`);
	return found;
}

function writeJson(file: string, value: unknown): void {
	mkdirSync(dirname(file), {recursive: true});
	writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** What `claude plugin marketplace add` + `claude plugin install` (2.1.331) leave in HOME, as observed. */
function installPlugin(enabled: boolean | undefined, scope: 'user' | 'project' = 'user'): void {
	const installPath = join(home, '.claude', 'plugins', 'cache', 'mcp-tooling', 'mcp-tooling', VERSION);
	mkdirSync(installPath, {recursive: true});
	const source = {source: 'directory', path: REPO};
	writeJson(join(home, '.claude', 'settings.json'), {
		extraKnownMarketplaces: {'mcp-tooling': {source}},
		...(enabled === undefined ? {} : {enabledPlugins: {[PLUGIN_KEY]: enabled}}),
	});
	const now = new Date().toISOString();
	writeJson(join(home, '.claude', 'plugins', 'installed_plugins.json'), {
		version: 2,
		plugins: {
			[PLUGIN_KEY]: [
				{
					scope,
					installPath,
					version: VERSION,
					installedAt: now,
					lastUpdated: now,
					...(scope === 'project' ? {projectPath: join(home, 'elsewhere')} : {}),
				},
			],
		},
	});
	writeJson(join(home, '.claude', 'plugins', 'known_marketplaces.json'), {
		'mcp-tooling': {source, installLocation: REPO, lastUpdated: now},
	});
}

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	await new Promise(resolve => server.close(resolve));
	return port;
}

function runFile(name: string): string {
	return join(world.root, 'run', name);
}

describe('doctor on a sound setup', () => {
	it('passes every check and exits 0', async () => {
		world.writeConfig({mcpServers: {everything: servers.everything()}});
		installPlugin(true);
		const port = await freePort();
		// A terminal runs mcp-tooling by name (here a script of its own, as a global install would be).
		const bin = join(home, 'bin');
		mkdirSync(bin, {recursive: true});
		writeFileSync(join(bin, 'mcp-tooling'), `#!/bin/sh\nexec node "${CLI}" "$@"\n`, {mode: 0o755});
		const onPath = {PATH: `${bin}${delimiter}${world.env.PATH}`};
		const {code, report: result} = await report([], {MCPPROXY_PORT: String(port), ...onPath});
		expect(result.checks.filter(entry => entry.verdict !== 'ok')).toEqual([]);
		expect(code).toBe(0);
		expect(result.checks.map(entry => entry.id)).toEqual([
			'node',
			'config',
			'token',
			'stale-files',
			'port',
			'plugin',
			'cli',
			'duplicates',
			'server:everything',
		]);
		expect(check(result, 'server:everything').detail).toMatch(/^started \(.*server-everything.*\) and listed \d+ tools in \d+ ms$/);
		expect(check(result, 'port').detail).toBe(`127.0.0.1:${port} is free for the daemon`);

		expect(check(result, 'cli').detail).toBe(`${join(bin, 'mcp-tooling')} (an install or link of its own)`);
		const text = await doctor([], {MCPPROXY_PORT: String(port), ...onPath});
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/^ {2}ok {4}Node\.js version: v\d+/m);
		expect(text.stdout).toMatch(/^ {2}ok {4}Server "everything": started/m);
		expect(text.stdout).toMatch(/\n9 ok\.\n$/);
		// The servers it started are gone with it.
		expect(processesOfWorld(world)).toEqual([]);
	});

	it('judges the Node.js version', () => {
		expect(checkNode('20.0.0', '/usr/bin/node')).toMatchObject({verdict: 'ok'});
		expect(checkNode('22.11.0', '/usr/bin/node')).toMatchObject({verdict: 'ok'});
		const old = checkNode('18.19.1', '/opt/node18/bin/node');
		expect(old).toMatchObject({
			verdict: 'fail',
			detail: expect.stringContaining('v18.19.1 (/opt/node18/bin/node) is too old'),
		});
		expect(old.fix).toContain('install Node.js 20 or later');
	});
});

describe('doctor on the config', () => {
	it('names the file, line and fix of a config that does not parse, and exits 1', async () => {
		world.writeConfig('{\n  "mcpServers": {,}\n}\n');
		const {code, report: result} = await report(['--skip-servers']);
		expect(code).toBe(1);
		const config = check(result, 'config');
		expect(config.verdict).toBe('fail');
		expect(config.detail).toContain(`Config file ${world.configFile}, line 2`);
		expect(config.fix).toContain('correct the JSON there');

		const text = await doctor(['--skip-servers']);
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/^ {2}FAIL {2}Config file: Config file .*line 2/m);
		expect(text.stdout).toMatch(/^ {8}fix: correct the JSON there/m);
	});

	it('fails an invalid entry with its JSON path and fix, and passes the valid ones', async () => {
		world.writeConfig({mcpServers: {good: {command: 'true'}, bad: {command: 42}}});
		const {code, report: result} = await report(['--skip-servers']);
		expect(code).toBe(1);
		expect(check(result, 'config')).toMatchObject({
			verdict: 'ok',
			detail: expect.stringContaining('1 valid server entry (1 enabled); 1 invalid'),
		});
		expect(check(result, 'config:bad')).toMatchObject({
			verdict: 'fail',
			detail: `${world.configFile} at $.mcpServers.bad.command: expected a string, got 42.`,
			fix: 'set "command" to the program to run, e.g. "npx"',
		});
	});

	it('warns when there is no config file yet, and exits 0 on warnings alone', async () => {
		const {code, report: result} = await report(['--skip-servers']);
		expect(check(result, 'config')).toMatchObject({
			verdict: 'warn',
			fix: expect.stringContaining(terminalCommand('servers add')),
		});
		expect(result.failures).toBe(0);
		expect(code).toBe(0);
	});
});

describe('doctor on the servers', () => {
	let remote: HttpServer | undefined;

	afterEach(async () => {
		await new Promise(resolve => (remote ? remote.close(resolve) : resolve(undefined)));
		remote = undefined;
	});

	it('starts each server itself and shows the stderr of one that fails, secrets hidden', async () => {
		// A gateway that refuses and echoes the credential it got.
		remote = createHttpServer((request, response) => {
			request.resume();
			response.writeHead(401, {'content-type': 'text/plain'}).end(`invalid credentials: Authorization: ${request.headers.authorization}`);
		});
		await new Promise<void>(resolve => remote!.listen(0, '127.0.0.1', resolve));
		world.writeConfig({
			mcpServers: {
				everything: servers.everything(),
				failing: {
					command: 'sh',
					args: ['-c', 'echo "loading config" >&2; echo "Error: cannot open database at /nowhere/db.sqlite (key $API_KEY)" >&2; exit 3'],
					env: {API_KEY: 'sk-secret-123'},
				},
				missing: {command: 'no-such-mcp-server-command'},
				remote: {
					type: 'http',
					url: `http://127.0.0.1:${(remote.address() as AddressInfo).port}/mcp`,
					headers: {Authorization: 'Bearer hdr-secret'},
				},
				off: {command: 'no-such-command-either', disabled: true},
			},
		});
		const outcome = await doctor(['--json']);
		expect(outcome.code).toBe(1);
		expect(outcome.stdout).not.toContain('sk-secret-123');
		expect(outcome.stdout).not.toContain('hdr-secret');
		const result = JSON.parse(outcome.stdout) as Report;
		expect(check(result, 'server:everything').verdict).toBe('ok');
		expect(check(result, 'server:off')).toMatchObject({verdict: 'ok', detail: 'disabled in the config: not started'});

		const failing = check(result, 'server:failing');
		expect(failing.verdict).toBe('fail');
		expect(failing.detail).toContain('the server process ended (exit code 3)');
		expect(failing.output).toEqual([
			'stderr (last lines):',
			'  loading config',
			'  Error: cannot open database at /nowhere/db.sqlite (key [redacted])',
		]);
		expect(failing.fix).toContain(`"disabled": true at $.mcpServers.failing in ${world.configFile}`);

		expect(check(result, 'server:missing')).toMatchObject({
			verdict: 'fail',
			detail: expect.stringContaining('command not found: no-such-mcp-server-command'),
			fix: `install no-such-mcp-server-command, or set $.mcpServers.missing.command in ${world.configFile} to its full path`,
		});
		expect(check(result, 'server:missing').output).toBeUndefined();

		const rejected = check(result, 'server:remote');
		expect(rejected.verdict).toBe('fail');
		// The body it answered with is shown, less the credential.
		expect(rejected.detail).toMatch(/Error POSTing to endpoint: invalid credentials: .*\[redacted\]$/);

		const text = await doctor([]);
		expect(text.stdout).toMatch(
			new RegExp(
				String.raw`^ {2}FAIL {2}Server "failing": sh -c .* failed after \d+ ms: the server process ended \(exit code\s+3\)\n` +
					String.raw` {8}stderr \(last lines\):\n {10}loading config\n {10}Error: cannot open database`,
				'm',
			),
		);
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/\n3 failed, 2 warnings, \d+ ok\.\n$/);
		expect(processesOfWorld(world)).toEqual([]);
	});
});

describe('doctor on the port', () => {
	let foreign: Server | undefined;

	afterEach(async () => {
		await new Promise(resolve => (foreign ? foreign.close(resolve) : resolve(undefined)));
		foreign = undefined;
	});

	it('fails when another program holds the port, naming it and a free port to use instead', async () => {
		foreign = createServer(socket => socket.end());
		await new Promise<void>(resolve => foreign!.listen(0, '127.0.0.1', resolve));
		const {port} = foreign.address() as AddressInfo;
		const {code, report: result} = await report(['--skip-servers'], {MCPPROXY_PORT: String(port)});
		expect(code).toBe(1);
		const verdict = check(result, 'port');
		expect(verdict.verdict).toBe('fail');
		// The holder is this test process: the doctor may read its descriptors.
		expect(verdict.detail).toContain(`127.0.0.1:${port} is in use by another program (pid ${process.pid}:`);
		expect(verdict.fix).toMatch(/^run the daemon on another port: set "settings": \{"port": \d+\} in the config file/);
		expect(verdict.fix).toContain(`\`${terminalCommand('daemon start')}\``);
	});

	it('passes when the port is held by our daemon', async () => {
		const port = await freePort();
		const started = await runCli(world, ['daemon', 'start', '--no-wait'], {MCPPROXY_PORT: String(port)});
		expect(started.code, started.stderr).toBe(0);
		const {report: result} = await report(['--skip-servers'], {MCPPROXY_PORT: String(port)});
		expect(check(result, 'port')).toMatchObject({
			verdict: 'ok',
			detail: `127.0.0.1:${port} is held by the mcp-tooling daemon (pid ${world.state()!.pid}), as it should be`,
		});
	});
});

describe('doctor on the token file', () => {
	it('fails a token others can read, and the fix it names works', async () => {
		const token = runFile('mcp-proxy-mcp-user.token');
		mkdirSync(dirname(token), {recursive: true, mode: 0o700});
		writeFileSync(token, `${'x'.repeat(43)}\n`);
		chmodSync(token, 0o644);
		const {code, report: result} = await report(['--skip-servers']);
		expect(code).toBe(1);
		expect(check(result, 'token')).toMatchObject({
			verdict: 'fail',
			detail: `${token} has mode 0644: other users can read the daemon's bearer token`,
			fix: expect.stringContaining(`\`${terminalCommand('daemon restart')}\`: the daemon replaces a token others could read`),
		});

		const restarted = await runCli(world, ['daemon', 'restart', '--no-wait']);
		expect(restarted.code, restarted.stderr).toBe(0);
		expect(statSync(token).mode & 0o777).toBe(0o600);
		expect(readFileSync(token, 'utf8').trim()).not.toBe('x'.repeat(43));
		expect(check((await report(['--skip-servers'])).report, 'token')).toMatchObject({
			verdict: 'ok',
			detail: `${token}: mode 0600, yours`,
		});
	});
});

describe('doctor on stale files', () => {
	it('reports a pid file and a registration naming processes that are gone; --fix removes them and signals nobody', async () => {
		// A live process the pid file names by a recycled pid: it must survive the fix.
		const unrelated = idleProcess(world);
		const pidFile = runFile('mcp-proxy-mcp-user.pid');
		mkdirSync(dirname(pidFile), {recursive: true, mode: 0o700});
		writeFileSync(pidFile, JSON.stringify({pid: unrelated.pid, startTime: '1', name: 'mcp-user'}));
		// A registration of a Claude Code process that has exited, and one of a live one.
		const gone = world.spawn(process.execPath, ['-e', '']);
		await new Promise(resolve => gone.once('exit', resolve));
		const registrations = runFile('mcp-servers/mcp-user');
		mkdirSync(registrations, {recursive: true});
		const dead = join(registrations, `${gone.pid}-dead-session.json`);
		writeFileSync(
			dead,
			JSON.stringify({
				clientPid: gone.pid,
				clientStartTime: '12345',
				sessionId: 'dead-session',
				since: new Date().toISOString(),
			}),
		);
		const live = join(registrations, `${unrelated.pid}-live-session.json`);
		writeFileSync(
			live,
			JSON.stringify({
				clientPid: unrelated.pid,
				clientStartTime: processStartTime(unrelated.pid),
				sessionId: 'live-session',
				since: new Date().toISOString(),
			}),
		);

		const before = await report(['--skip-servers']);
		const stale = check(before.report, 'stale-files');
		expect(stale).toMatchObject({
			verdict: 'warn',
			fix: `\`${terminalCommand('doctor --fix')}\` removes them (it signals no process)`,
		});
		expect(stale.output).toEqual(
			expect.arrayContaining([
				`${pidFile} names pid ${unrelated.pid}, which has exited (or is now another program)`,
				`${dead} registers session dead-session of client pid ${gone.pid}, which has exited`,
			]),
		);
		expect(stale.output).toHaveLength(2);
		// Warnings alone: exit 0.
		expect(before.report.failures).toBe(0);
		expect(before.code).toBe(0);
		// Reporting changes nothing.
		expect(existsSync(pidFile) && existsSync(dead)).toBe(true);

		const fixed = await report(['--skip-servers', '--fix']);
		expect(check(fixed.report, 'stale-files')).toMatchObject({verdict: 'ok', detail: 'removed 2 stale files'});
		expect(existsSync(pidFile)).toBe(false);
		expect(existsSync(dead)).toBe(false);
		expect(existsSync(live)).toBe(true);
		expect(isAlive(unrelated.pid)).toBe(true);

		expect(check((await report(['--skip-servers'])).report, 'stale-files')).toMatchObject({
			verdict: 'ok',
			detail: `none in ${join(world.root, 'run')}`,
		});
	});
});

describe('doctor on the Claude Code plugin', () => {
	it('warns when it is not installed, naming the commands that install it', async () => {
		const plugin = check((await report(['--skip-servers'])).report, 'plugin');
		expect(plugin).toMatchObject({
			verdict: 'warn',
			detail: `mcp-tooling is not installed in Claude Code (nothing in ${join(home, '.claude', 'plugins', 'installed_plugins.json')})`,
		});
		expect(plugin.fix).toBe(`\`claude plugin marketplace add ${REPO}\`, then \`claude plugin install ${PLUGIN_KEY}\``);
	});

	it('warns when it is installed but disabled, or installed for another project only', async () => {
		installPlugin(false);
		const disabled = check((await report(['--skip-servers'])).report, 'plugin');
		expect(disabled).toMatchObject({verdict: 'warn', fix: `\`claude plugin enable ${PLUGIN_KEY}\``});
		expect(disabled.detail).toContain(`is installed but not enabled: ${join(home, '.claude', 'settings.json')} disables it`);

		installPlugin(true, 'project');
		const elsewhere = check((await report(['--skip-servers'])).report, 'plugin');
		expect(elsewhere).toMatchObject({
			verdict: 'warn',
			detail: expect.stringContaining('installed only for other projects'),
		});
	});

	it('passes when installed and enabled, for the user or in this project', async () => {
		installPlugin(true);
		expect(check((await report(['--skip-servers'])).report, 'plugin')).toMatchObject({
			verdict: 'ok',
			detail: `${PLUGIN_KEY} (scope user, version ${VERSION}) is installed and enabled in ${join(home, '.claude', 'settings.json')}`,
		});

		// The project's own settings decide over the user's.
		installPlugin(false);
		writeJson(join(project, '.claude', 'settings.json'), {enabledPlugins: {[PLUGIN_KEY]: true}});
		expect(check((await report(['--skip-servers'])).report, 'plugin')).toMatchObject({
			verdict: 'ok',
			detail: expect.stringContaining(join(project, '.claude', 'settings.json')),
		});
	});
});

describe('doctor on servers configured twice', () => {
	it('warns about a server of a project .mcp.json or ~/.claude.json that the shared config serves', async () => {
		const other = mkdtempSync(join(tmpdir(), 'mcp-tooling-doctor-other-'));
		try {
			world.writeConfig({
				mcpServers: {
					notes: {command: 'node', args: ['notes.js'], env: {A: '1', B: '2'}},
					unique: {command: 'unique-server'},
				},
			});
			// The same server by content: another name, "type": "stdio", env keys in another order.
			writeJson(join(project, '.mcp.json'), {
				mcpServers: {
					'project-notes': {type: 'stdio', command: 'node', args: ['notes.js'], env: {B: '2', A: '1'}},
					different: {command: 'node', args: ['other.js']},
				},
			});
			writeJson(join(home, '.claude.json'), {
				projects: {
					[other]: {mcpServers: {'local-notes': {command: 'node', args: ['notes.js'], env: {A: '1', B: '2'}}}},
				},
				mcpServers: {},
			});
			const duplicates = check((await report(['--skip-servers'])).report, 'duplicates');
			expect(duplicates.verdict).toBe('warn');
			expect(duplicates.output).toEqual([
				`"project-notes" in ${join(project, '.mcp.json')} is the shared config's "notes" (node notes.js)`,
				`"local-notes" in ${join(home, '.claude.json')} (project ${other}) is the shared config's "notes" (node notes.js)`,
			]);
			expect(duplicates.fix).toContain(`\`(cd "${project}" && claude mcp remove project-notes --scope project)\``);
			expect(duplicates.fix).toContain(`\`(cd "${other}" && claude mcp remove local-notes --scope local)\``);

			writeJson(join(project, '.mcp.json'), {mcpServers: {different: {command: 'node', args: ['other.js']}}});
			writeJson(join(home, '.claude.json'), {projects: {[other]: {mcpServers: {}}}});
			expect(check((await report(['--skip-servers'])).report, 'duplicates')).toMatchObject({
				verdict: 'ok',
				detail: 'no server of 2 Claude Code config files is also in the shared config',
			});
		} finally {
			rmSync(other, {recursive: true, force: true});
		}
	});
});
