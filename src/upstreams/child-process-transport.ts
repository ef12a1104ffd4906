import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs';
import {dirname} from 'node:path';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {execa} from 'execa';
import type {StdioServer} from '../config/schema.js';
import {messageLimit} from '../config/settings.js';
import {jsonLine, LineReader} from '../shared/line-splitter.js';
import {repairReply} from '../shared/reply-shape.js';
import {signalGroup} from '../platform/os-processes.js';

/** What a server did wrong on stdout, counted for its status across restarts. */
export type WireFaults = {
	/** Messages over the size limit; each ended the process. */
	oversized: number;
	/** Lines that were not JSON-RPC, and replies of a shape no client can take. */
	invalid: number;
};

export type ProcessTransportOptions = {
	/** The entry's name, for the errors that quote the server. */
	readonly name: string;
	/** The server's stderr goes here. */
	readonly logFile: string;
	readonly maxMessageBytes: number;
	readonly faults: WireFaults;
};

/** Grace between SIGTERM and SIGKILL when a server is stopped. */
const STOP_GRACE_MS = 2000;

/**
 * A stdio MCP server as a child process. Unlike the SDK's stdio transport it passes the user's
 * whole environment, sends stderr to the server's own log, and runs the server in its own process
 * group, so stopping it also stops whatever it spawned (`npx` wrappers, language servers).
 */
export class ProcessTransport implements Transport {
	onmessage?: Transport['onmessage'];
	onclose?: () => void;
	onerror?: (error: Error) => void;

	/** Why the process ended, once it has: more use in the status than "the connection closed". */
	exitReason?: string;
	private child?: ReturnType<typeof spawnServer>;
	private log?: WriteStream;
	private exited?: Promise<void>;

	constructor(
		private readonly server: StdioServer,
		private readonly options: ProcessTransportOptions,
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	async start(): Promise<void> {
		mkdirSync(dirname(this.options.logFile), {recursive: true});
		this.log = createWriteStream(this.options.logFile, {flags: 'a'});
		// A log that cannot be written (disk full, no permission) must not take the daemon down.
		this.log.on('error', error => this.onerror?.(error));
		const child = spawnServer(this.server);
		this.child = child;
		child.stderr.pipe(this.log, {end: false});
		this.read(child.stdout);
		child.stdin.on('error', error => this.onerror?.(error));
		this.exited = child.then(result => {
			const detail =
				result.failed && result.code
					? ` (${result.code}: ${result.shortMessage})`
					: result.signal
						? ` (signal ${result.signal})`
						: ` (exit code ${result.exitCode})`;
			this.log?.write(`[mcp-tooling] server process ended${detail}\n`);
			this.exitReason ??= result.code === 'ENOENT' ? `command not found: ${this.server.command}` : `the server process ended${detail}`;
			if (result.code === 'ENOENT') {
				this.onerror?.(new Error(this.exitReason));
			}

			this.log?.end();
			this.onclose?.();
		});
		// A spawn failure such as ENOENT surfaces on the result, not as a throw from execa().
		await new Promise<void>((resolve, reject) => {
			child.once('spawn', () => resolve());
			child.once('error', reject);
		}).catch(async (error: unknown) => {
			await this.exited;
			throw error;
		});
	}

	/**
	 * Reads the server's messages in fair slices, each within the size limit. A server that breaks
	 * the limit, or whose message makes its handling throw, is ended (and so restarted with backoff):
	 * its calls in flight fail with the reason, and nothing it sent reaches beyond its own client.
	 */
	private read(stdout: NonNullable<ReturnType<typeof spawnServer>['stdout']>): void {
		const {name, maxMessageBytes, faults} = this.options;
		const onMessage = (message: Record<string, unknown>) => {
			const repaired = repairReply(message, `server "${name}"`);
			if (repaired !== message) {
				faults.invalid++;
			}

			try {
				this.onmessage?.(repaired);
			} catch (error) {
				this.fail(`handling a message from server "${name}" failed: ${(error as Error).message}`);
			}
		};
		// Servers that print banners to stdout break the protocol; keep the line for the user.
		const onGarbage = (line: string) => {
			faults.invalid++;
			this.log?.write(`[mcp-tooling] not JSON-RPC on stdout: ${line.slice(0, 500)}\n`);
		};
		new LineReader(stdout, jsonLine(onMessage, onGarbage), {
			maxBytes: maxMessageBytes,
			onOverflow: bytes => {
				faults.oversized++;
				this.fail(`server "${name}" sent a message of more than ${bytes} bytes, over ${messageLimit(maxMessageBytes)}`);
			},
		});
	}

	/** Ends the server for `reason`, which its client is told as the cause of the close. */
	private fail(reason: string): void {
		this.exitReason ??= reason;
		this.log?.write(`[mcp-tooling] ${reason}; stopping the server\n`);
		void this.close();
	}

	async send(message: JSONRPCMessage): Promise<void> {
		const stdin = this.child?.stdin;
		if (!stdin?.writable) {
			throw new Error('the server process is not running');
		}

		stdin.write(`${JSON.stringify(message)}\n`);
	}

	async close(): Promise<void> {
		const child = this.child;
		if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
			await this.exited;
			return;
		}

		child.stdin.end();
		signalGroup(child.pid, 'SIGTERM');
		const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), STOP_GRACE_MS);
		await this.exited;
		clearTimeout(timer);
		// The leader is gone; anything left in its group gets no grace.
		signalGroup(child.pid, 'SIGKILL');
	}
}

function spawnServer(server: StdioServer) {
	return execa(server.command, server.args, {
		env: {...process.env, ...server.env},
		extendEnv: false,
		cwd: server.cwd,
		detached: true,
		buffer: false,
		reject: false,
		stdin: 'pipe',
		stdout: 'pipe',
		stderr: 'pipe',
		cleanup: false,
	});
}
