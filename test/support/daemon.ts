import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {setTimeout as sleep} from 'node:timers/promises';
import type {DaemonState} from '../../src/contract/state-file.js';
import {isSameProcessAlive} from '../../src/platform/os-processes.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(REPO, 'dist', 'cli.js');
export const BRIDGE = join(REPO, 'dist', 'bridge.js');

/** How the CLI names its own commands in a terminal where `mcp-tooling` is not on PATH (a World's). */
export function terminalCommand(args: string): string {
	return `node "${CLI}" ${args}`;
}

/** This run's PATH without a directory holding an `mcp-tooling` (a developer's npm link), so hints take one form. */
function pathWithoutCli(): string {
	return (process.env.PATH ?? '')
		.split(delimiter)
		.filter(dir => !existsSync(join(dir, 'mcp-tooling')))
		.join(delimiter);
}

/** The entry script of an MCP server installed from npm as a dev dependency. */
export function serverScript(name: 'everything' | 'memory' | 'filesystem'): string {
	return join(REPO, 'node_modules', '@modelcontextprotocol', `server-${name}`, 'dist', 'index.js');
}

/** Config entries for the npm servers, started with this very node. */
export const servers = {
	everything: () => ({command: process.execPath, args: [serverScript('everything'), 'stdio']}),
	memory: (file?: string) => ({
		command: process.execPath,
		args: [serverScript('memory')],
		...(file && {env: {MEMORY_FILE_PATH: file}}),
	}),
	filesystem: (root: string) => ({command: process.execPath, args: [serverScript('filesystem'), root]}),
	/** server-everything started by a shell after a pause: a server that is slow to come up. */
	everythingAfter: (seconds: number) => ({
		command: 'sh',
		args: ['-c', `sleep ${seconds}; exec '${process.execPath}' '${serverScript('everything')}' stdio`],
	}),
};

/** A temporary AITKIT_ROOT with its own environment: nothing touches ~/.aitkit or a fixed port. */
export class World {
	readonly root: string;
	readonly env: NodeJS.ProcessEnv;
	private readonly base = mkdtempSync(join(tmpdir(), 'mcp-tooling-test-'));
	private readonly children: ChildProcess[] = [];

	/** `nested`: a path under the temporary directory to be the root instead (a deep AITKIT_ROOT). */
	constructor(env: NodeJS.ProcessEnv = {}, nested = '') {
		this.root = join(this.base, nested);
		mkdirSync(this.root, {recursive: true});
		// Lifecycle tests set their own linger; others must not see their daemon leave mid-file.
		this.env = {
			...process.env,
			AITKIT_ROOT: this.root,
			MCPPROXY_PORT: '0',
			MCPPROXY_LINGER: '600',
			MCPPROXY_DATA_DIR: undefined,
			MCPPROXY_CONFIG_PATH: undefined,
			PATH: pathWithoutCli(),
			...env,
		};
	}

	get configFile(): string {
		return join(this.root, 'lib', 'mcpproxy', 'mcp_proxy_config.json');
	}

	get logFile(): string {
		return join(this.root, 'lib', 'mcpproxy', 'mcp-proxy.log');
	}

	stateFile(name = 'mcp-user'): string {
		return join(this.root, 'run', `mcp-proxy-${name}.json`);
	}

	writeConfig(config: unknown): void {
		mkdirSync(dirname(this.configFile), {recursive: true});
		writeFileSync(this.configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
	}

	state(name = 'mcp-user'): DaemonState | undefined {
		return existsSync(this.stateFile(name)) ? (JSON.parse(readFileSync(this.stateFile(name), 'utf8')) as DaemonState) : undefined;
	}

	token(): string {
		return readFileSync(join(this.root, 'run', 'mcp-proxy-mcp-user.token'), 'utf8').trim();
	}

	/** Starts a process this world owns; `dispose` ends it by the PID it started. */
	spawn(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
		const child = spawn(command, args, {env: {...this.env, ...env}, stdio: ['pipe', 'pipe', 'pipe']});
		this.children.push(child);
		return child;
	}

	/** `daemon run` in the foreground as a child; resolves once it answers. */
	async runDaemon(
		name = 'mcp-user',
		env: NodeJS.ProcessEnv = {},
	): Promise<{child: ChildProcess; state: DaemonState; output: () => string}> {
		const child = this.spawn(process.execPath, [CLI, 'daemon', 'run', name], env);
		let output = '';
		child.stdout!.on('data', chunk => (output += String(chunk)));
		child.stderr!.on('data', chunk => (output += String(chunk)));
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline) {
			const state = this.state(name);
			if (state && state.pid === child.pid) {
				return {child, state, output: () => output};
			}

			if (child.exitCode !== null) {
				throw new Error(`daemon exited with ${child.exitCode}:\n${output}`);
			}

			await sleep(20);
		}

		throw new Error(`daemon did not start:\n${output}`);
	}

	async dispose(): Promise<void> {
		for (const child of this.children) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}
		}

		await Promise.all(this.children.map(async child => waitForExit(child, 5000)));
		// Daemons started detached (by `daemon start`, hooks or bridges) are not our children. Its
		// start time tells the recorded daemon from a process that has since taken its pid.
		const state = this.state();
		if (state && isSameProcessAlive(state)) {
			process.kill(state.pid, 'SIGTERM');
			if (!(await waitForPidExit(state.pid, 5000)) && isSameProcessAlive(state)) {
				process.kill(state.pid, 'SIGKILL');
			}
		}

		// Whatever is left of this world (a server a killed daemon left, a bridge of a failed test)
		// carries its AITKIT_ROOT in its environment: nothing else does.
		const left = processesOfWorld(this);
		for (const pid of left) {
			process.kill(pid, 'SIGKILL');
		}

		await Promise.all(left.map(async pid => waitForPidExit(pid, 5000)));
		rmSync(this.base, {recursive: true, force: true});
	}
}

export async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}

	await Promise.race([
		new Promise(resolve => child.once('exit', resolve)),
		sleep(timeoutMs).then(() => {
			child.kill('SIGKILL');
		}),
	]);
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

export async function waitForPidExit(pid: number, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (!isAlive(pid)) {
			return true;
		}

		await sleep(20);
	}

	return !isAlive(pid);
}

/** Polls until `check` returns a value other than undefined/false. */
export async function eventually<T>(
	check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
	timeoutMs = 10_000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined && value !== null && value !== false) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await sleep(25);
	}
}

/** The live processes whose environment names this world's AITKIT_ROOT: all it started, directly or not. */
export function processesOfWorld(world: World): number[] {
	const marker = `\0AITKIT_ROOT=${world.root}\0`;
	return readdirSync('/proc')
		.filter(entry => /^\d+$/.test(entry))
		.map(Number)
		.filter(pid => {
			try {
				return `\0${readFileSync(`/proc/${pid}/environ`, 'utf8')}`.includes(marker) && isAlive(pid);
			} catch {
				return false;
			}
		});
}
