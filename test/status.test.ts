import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {ServerDetail} from '../src/lifecycle/status-report.js';
import {processTableName} from '../src/platform/os-processes.js';
import {eventually, servers, terminalCommand, type World} from './support/daemon.js';
import {bridgeClient, hook, idleProcess, lifecycleWorld, reportedPid, runCli, type Pid} from './support/lifecycle.js';

// `mcp-tooling daemon status`, for people and for scripts, on a daemon with real sessions and servers.

/** An entry with several mistakes: the daemon reports them all at once, in one long error. */
const BROKEN_ENTRY = {command: 42, args: 'not-a-list', env: 'nope', cwd: 7, namespace: 'maybe'};

type SessionJson = {
	state: string;
	clientPid: number | null;
	projectDir: string | null;
	since: string;
	clientSessionIds: string[];
};

type StatusJson = {
	running: boolean;
	pid: number;
	port: number;
	url: string;
	tokenFile: string;
	sessions: number;
	servers: ServerDetail[];
	version: string;
	routing: string;
	uptime: number;
	memory: {rss: number; pss: number | null};
	sessionList: SessionJson[];
};

/** Only Linux's /proc has PSS; the portable backend (macOS) reports RSS alone. */
const hasPss = processTableName() === 'proc';

let world: World;
let daemonPid: number;
let bridge: Client;
let claude: Pid;

async function statusJson(): Promise<StatusJson> {
	const outcome = await runCli(world, ['daemon', 'status', '--json']);
	expect(outcome.code, outcome.stderr).toBe(0);
	return JSON.parse(outcome.stdout) as StatusJson;
}

beforeAll(async () => {
	world = lifecycleWorld();
	world.writeConfig({
		mcpServers: {
			everything: servers.everything(),
			failing: {command: 'sh', args: ['-c', 'exit 3']},
			broken: BROKEN_ENTRY,
		},
	});
	const started = await runCli(world, ['daemon', 'start', '--no-wait']);
	expect(started.code, started.stderr).toBe(0);
	daemonPid = reportedPid(started);
	// A bridge as Claude Code runs it (a live session), and a session a hook registered for a
	// client that has no bridge connected (lingering).
	bridge = await bridgeClient(world);
	claude = idleProcess(world);
	const registered = await hook(world, 'session-start', claude, {session_id: 'lingering-session', source: 'startup'});
	expect(registered.code, registered.stderr).toBe(0);
	await eventually(
		async () => {
			const status = await statusJson();
			const byName = new Map(status.servers.map(server => [server.name, server]));
			return byName.get('everything')?.state === 'ready' && (byName.get('failing')?.restarts ?? 0) > 0;
		},
		30_000,
		'everything ready and failing failed once',
	);
}, 60_000);

afterAll(async () => {
	await bridge?.close();
	await world.dispose();
});

describe('daemon status --json', () => {
	it('has the contract fields, and the new ones: uptime, memory, scope, sessionList', async () => {
		const status = await statusJson();
		expect(status).toMatchObject({
			running: true,
			pid: daemonPid,
			tokenFile: expect.stringContaining('mcp-proxy-mcp-user.token'),
			routing: 'direct',
		});
		expect(status.url).toBe(`http://127.0.0.1:${status.port}/mcp`);
		expect(status.sessions).toBe(2);
		expect(status.uptime).toBeGreaterThanOrEqual(0);
		expect(status.memory.rss).toBeGreaterThan(10 * 1024 * 1024);

		const everything = status.servers.find(server => server.name === 'everything')!;
		expect(everything).toMatchObject({
			scope: 'global',
			state: 'ready',
			transport: 'stdio',
			restarts: 0,
			lastError: null,
		});
		expect(everything.pid).toBeGreaterThan(0);
		expect(everything.tools).toBeGreaterThan(5);
		expect(everything.memory!.rss).toBeGreaterThan(10 * 1024 * 1024);
		if (hasPss) {
			expect(everything.memory!.pss).toBeGreaterThan(1024 * 1024);
			expect(everything.memory!.pss).toBeLessThanOrEqual(everything.memory!.rss);
		} else {
			expect(everything.memory!.pss).toBeNull();
		}

		const failing = status.servers.find(server => server.name === 'failing')!;
		expect(failing).toMatchObject({
			scope: 'global',
			tools: 0,
			transport: 'stdio',
			lastError: expect.stringContaining('exit code 3'),
		});
		expect(failing.restarts).toBeGreaterThan(0);

		const broken = status.servers.find(server => server.name === 'broken')!;
		expect(broken).toMatchObject({state: 'invalid', pid: null, memory: null, tools: 0});
		// Whole here, however the table shows it: every mistake, down to the last.
		for (const field of ['command', 'args', 'env', 'cwd', 'namespace']) {
			expect(broken.lastError).toContain(`$.mcpServers.broken.${field}`);
		}

		const live = status.sessionList.find(session => session.state === 'live');
		expect(live?.clientPid).toBe(process.pid);
		const lingering = status.sessionList.find(session => session.state === 'lingering');
		expect(lingering).toMatchObject({
			clientPid: claude.pid,
			projectDir: world.root,
			clientSessionIds: ['lingering-session'],
		});
	});
});

describe('daemon status', () => {
	it('shows the daemon, its sessions and its servers as tables with real values', async () => {
		const status = await statusJson();
		const outcome = await runCli(world, ['daemon', 'status'], {COLUMNS: '100'});
		expect(outcome.code, outcome.stderr).toBe(0);
		const text = outcome.stdout;
		const everything = status.servers.find(server => server.name === 'everything')!;

		expect(text).toContain('mcp-tooling daemon "mcp-user": running');
		expect(text).toMatch(new RegExp(`pid +${daemonPid} \\(up \\d+s\\)`));
		expect(text).toContain(`port ${status.port}`);
		expect(text).toMatch(/version +\d+\.\d+\.\d+, routing direct/);
		// Every figure says which measure it is: macOS has no PSS, so there it is RSS alone.
		expect(text).toMatch(hasPss ? /memory +\d+ MB PSS \(\d+ MB RSS\)/ : /memory +\d+ MB RSS$/m);

		expect(text).toContain('Sessions (1 live, 1 lingering):');
		expect(text).toMatch(/CLIENT PID +CLIENT +SINCE +STATE +PROJECT/);
		expect(text).toMatch(new RegExp(`${process.pid} +bridge-client 1\\.0\\.0 +\\d+s +live`));
		expect(text).toMatch(new RegExp(`${claude.pid} +- +\\d+s +lingering`));

		expect(text).toContain('Servers (3):');
		expect(text).toMatch(/NAME +SCOPE +STATE +USED +PID +MEMORY +TOOLS +RESTARTS +LAST ERROR/);
		expect(text).toMatch(new RegExp(`everything +global +ready +(-|\\d+s) +${everything.pid} +[\\d.]+ MB( RSS)? +${everything.tools} +0`));
		expect(text.replaceAll(/\n +/g, ' ')).toMatch(
			/Sharing: 1 of 2 stdio servers running \([\d.]+ MB\) for \d+ sessions?; one copy per session would be \d+ processes, about \d/,
		);
		expect(text).toMatch(/failing +global +(backoff|starting) +(-|\d+) +.* +0 +[1-9]\d* +the server process ended\b/);
		expect(text).toMatch(/broken +- +invalid +- +- +- +0 +0 +\$\.mcpServers\.broken\.command/);
		expect(text).toContain(`\`${terminalCommand('daemon logs --server failing')}\``);
	});

	it('fits long errors into the width: wrapped onto more lines, cut, and pointed to --json', async () => {
		for (const columns of [100, 160]) {
			const outcome = await runCli(world, ['daemon', 'status'], {COLUMNS: String(columns)});
			const lines = outcome.stdout.split('\n');
			expect(Math.max(...lines.map(line => line.length))).toBeLessThanOrEqual(columns);
			const start = lines.findIndex(line => line.includes('$.mcpServers.broken.command'));
			const column = lines[start]!.indexOf('$.mcpServers.broken.command');
			// Continuation lines start in the error's column: three lines in all, the last cut.
			for (const line of lines.slice(start + 1, start + 3)) {
				expect(line.slice(0, column).trim()).toBe('');
				expect(line.slice(column)).toMatch(/^\S/);
			}

			expect(lines[start + 2]).toMatch(/…$/);
			expect(lines[start + 3]).not.toMatch(new RegExp(`^ {${column}}\\S`));
			expect(outcome.stdout).toContain(`\`${terminalCommand('daemon status --json')}\` has them whole`);
			expect(outcome.stdout).not.toContain('$.mcpServers.broken.namespace');
		}
	});
});
