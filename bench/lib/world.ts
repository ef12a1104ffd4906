import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {isAvailable} from '../../src/contract/status.js';

/** The state file a running daemon writes (only the fields the benchmarks read). */
type StateFile = {pid: number; port: number; url: string; tokenFile: string};

export type StatusServer = {name: string; state: string; pid: number | null; tools: number};

export type RunningDaemon = {
	readonly pid: number;
	readonly url: string;
	readonly port: number;
	readonly token: string;
	/** The daemon's upstream server processes, as its /status named them once they were ready. */
	readonly upstreamPids: readonly number[];
};

export type McpServerEntry = {
	command: string;
	args?: string[];
	env?: Record<string, string>;
	scope?: 'global' | 'project' | 'session';
	clientRequests?: 'auto' | 'serialize';
	start?: 'lazy' | 'eager';
	idleTimeout?: number;
};

const DAEMON_NAME = 'mcp-user';

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}

	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

async function waitForPidsGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
	const deadline = Date.now() + timeoutMs;
	let alive = pids.filter(pid => isAlive(pid));
	while (alive.length > 0 && Date.now() < deadline) {
		await sleep(25);
		alive = alive.filter(pid => isAlive(pid));
	}

	return alive;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return true;
	}

	return Promise.race([new Promise<boolean>(resolve => child.once('exit', () => resolve(true))), sleep(timeoutMs).then(() => false)]);
}

/**
 * A throwaway `AITKIT_ROOT` with a daemon of its own on a free port: nothing here touches
 * `~/.aitkit` or a fixed port. Everything it starts it stops by PID, and it removes the directory.
 */
export class BenchWorld {
	readonly root = mkdtempSync(join(tmpdir(), 'mcp-tooling-bench-'));
	/** The environment for the daemon and bridges: only our root and port settings, defaults for the rest. */
	readonly env: Record<string, string>;
	private daemon?: ChildProcess;
	private daemonOutput = '';
	private running?: RunningDaemon;
	private disposed = false;
	/** Other processes started for this world (stdio servers, bridges): ended by PID if still up at exit. */
	private readonly adopted = new Set<number>();
	private readonly onExit = () => this.disposeNow();

	constructor(private readonly repo: string) {
		const env: Record<string, string> = {};
		for (const [key, value] of Object.entries(process.env)) {
			if (value !== undefined && !key.startsWith('MCPPROXY_') && key !== 'AITKIT_ROOT') {
				env[key] = value;
			}
		}

		// The daemon would go away after `linger` with no connected session; a benchmark's gaps must not end it.
		this.env = {
			...env,
			AITKIT_ROOT: this.root,
			MCPPROXY_PORT: '0',
			MCPPROXY_ROUTING: 'direct',
			MCPPROXY_LINGER: '3600',
		};
		process.once('exit', this.onExit);
	}

	get cli(): string {
		return join(this.repo, 'dist', 'cli.js');
	}

	get bridge(): string {
		return join(this.repo, 'dist', 'bridge.js');
	}

	get stateFile(): string {
		return join(this.root, 'run', `mcp-proxy-${DAEMON_NAME}.json`);
	}

	get logFile(): string {
		return join(this.root, 'lib', 'mcpproxy', 'mcp-proxy.log');
	}

	writeConfig(servers: Record<string, McpServerEntry>): void {
		const file = join(this.root, 'lib', 'mcpproxy', 'mcp_proxy_config.json');
		mkdirSync(join(this.root, 'lib', 'mcpproxy'), {recursive: true});
		writeFileSync(file, `${JSON.stringify({mcpServers: servers}, null, 2)}\n`);
	}

	/**
	 * `daemon run` as our child; resolves once every upstream is ready with its tools listed, or
	 * idle: offered from the catalog an earlier daemon of this world left.
	 */
	async startDaemon(options: {nodeArgs?: string[]; timeoutMs?: number} = {}): Promise<RunningDaemon> {
		const child = spawn(process.execPath, [...(options.nodeArgs ?? []), this.cli, 'daemon', 'run', DAEMON_NAME], {
			env: this.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.daemon = child;
		child.stdout!.on('data', chunk => (this.daemonOutput += String(chunk)));
		child.stderr!.on('data', chunk => (this.daemonOutput += String(chunk)));
		const deadline = Date.now() + (options.timeoutMs ?? 30_000);
		const failed = (why: string) => new Error(`the daemon ${why}:\n${this.daemonOutput}${this.logTail()}`);

		let state: StateFile | undefined;
		while (!state) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw failed(`exited (${child.exitCode ?? child.signalCode}) before it was ready`);
			}

			if (Date.now() > deadline) {
				throw failed('did not write its state file in time');
			}

			const read = this.readState();
			if (read?.pid === child.pid) {
				state = read;
			} else {
				await sleep(20);
			}
		}

		const token = readFileSync(state.tokenFile, 'utf8').trim();
		for (;;) {
			const servers = await this.status(state.port, token).catch(() => undefined);
			if (servers && servers.length > 0 && servers.every(server => isAvailable(server) && server.tools > 0)) {
				this.running = {
					pid: state.pid,
					url: state.url,
					port: state.port,
					token,
					upstreamPids: servers.flatMap(server => (server.pid ? [server.pid] : [])),
				};
				return this.running;
			}

			if (Date.now() > deadline) {
				throw failed(`did not get its servers ready in time (status: ${JSON.stringify(servers)})`);
			}

			await sleep(50);
		}
	}

	/** The servers of the daemon we started, as its /status has them now. */
	async servers(): Promise<StatusServer[]> {
		if (!this.running) {
			throw new Error('no daemon of this world is running');
		}

		return this.status(this.running.port, this.running.token);
	}

	/** SIGTERM to the daemon we started; it stops its own upstreams, which is checked. */
	async stopDaemon(): Promise<void> {
		const child = this.daemon;
		if (!child) {
			return;
		}

		this.daemon = undefined;
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			if (!(await waitForExit(child, 10_000))) {
				process.stderr.write(`bench: the daemon (pid ${child.pid}) ignored SIGTERM for 10 s; sending SIGKILL\n`);
				child.kill('SIGKILL');
				await waitForExit(child, 5000);
			}
		}

		const left = await waitForPidsGone(this.running?.upstreamPids ?? [], 5000);
		if (left.length > 0) {
			process.stderr.write(`bench: upstream process(es) ${left.join(', ')} outlived their daemon\n`);
		}

		this.running = undefined;
	}

	/** Remembers a process started for this world (e.g. by an SDK stdio transport) so exit can end it. */
	adopt(pid: number | null | undefined): void {
		if (pid) {
			this.adopted.add(pid);
		}
	}

	/** Ends adopted processes their owners failed to stop; each is ours, by the PID it was started with. */
	async reapAdopted(): Promise<void> {
		const left = await waitForPidsGone([...this.adopted], 3000);
		for (const pid of left) {
			process.stderr.write(`bench: process ${pid} was still running; sending SIGTERM\n`);
			process.kill(pid, 'SIGTERM');
		}

		this.adopted.clear();
	}

	async dispose(): Promise<void> {
		await this.reapAdopted();
		await this.stopDaemon();
		this.disposeNow();
	}

	/** Last resort on exit (an error or Ctrl-C): what can be done synchronously. */
	private disposeNow(): void {
		if (this.disposed) {
			return;
		}

		this.disposed = true;
		process.off('exit', this.onExit);
		if (this.daemon && this.daemon.exitCode === null && this.daemon.signalCode === null) {
			this.daemon.kill('SIGTERM');
		}

		for (const pid of this.adopted) {
			if (isAlive(pid)) {
				process.kill(pid, 'SIGTERM');
			}
		}

		rmSync(this.root, {recursive: true, force: true});
	}

	private readState(): StateFile | undefined {
		if (!existsSync(this.stateFile)) {
			return undefined;
		}

		try {
			return JSON.parse(readFileSync(this.stateFile, 'utf8')) as StateFile;
		} catch {
			return undefined;
		}
	}

	private logTail(): string {
		try {
			return `\n--- ${this.logFile} (tail) ---\n${readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n')}`;
		} catch {
			return '';
		}
	}

	private async status(port: number, token: string): Promise<StatusServer[]> {
		return new Promise((resolve, reject) => {
			const outgoing = request(
				{
					host: '127.0.0.1',
					port,
					path: '/status',
					headers: {authorization: `Bearer ${token}`, host: `127.0.0.1:${port}`},
					timeout: 2000,
				},
				response => {
					let text = '';
					response.setEncoding('utf8');
					response.on('data', chunk => (text += chunk as string));
					response.on('end', () => {
						try {
							resolve((JSON.parse(text) as {servers: StatusServer[]}).servers);
						} catch (error) {
							reject(error as Error);
						}
					});
				},
			);
			outgoing.on('error', reject);
			outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
			outgoing.end();
		});
	}
}
