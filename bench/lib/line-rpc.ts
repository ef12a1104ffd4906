import {spawn, type ChildProcess} from 'node:child_process';

type Message = {
	jsonrpc?: string;
	id?: number | string | null;
	method?: string;
	result?: unknown;
	error?: {code: number; message: string};
};

/**
 * A child process spoken to in newline-delimited JSON-RPC over its stdin/stdout, with no SDK in
 * between: a request resolves with the reply carrying its id. Timing a spawn this way measures the
 * child, not a client library.
 */
export class LineRpcChild {
	readonly child: ChildProcess;
	private buffered = '';
	private stderr = '';
	private readonly waiting = new Map<number | string, {resolve: (message: Message) => void; reject: (error: Error) => void}>();
	private exited = false;

	constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
		this.child = spawn(command, args, {env, stdio: ['pipe', 'pipe', 'pipe']});
		this.child.stdout!.setEncoding('utf8');
		this.child.stdout!.on('data', (chunk: string) => this.receive(chunk));
		this.child.stderr!.setEncoding('utf8');
		this.child.stderr!.on('data', (chunk: string) => {
			this.stderr = (this.stderr + chunk).slice(-4000);
		});
		this.child.stdin!.on('error', () => undefined);
		const fail = (why: string) => {
			this.exited = true;
			for (const {reject} of this.waiting.values()) {
				reject(new Error(`${why} before replying; stderr: ${this.stderr}`));
			}

			this.waiting.clear();
		};

		this.child.once('error', error => fail(`could not start: ${error.message}`));
		this.child.once('exit', (code, signal) => fail(`exited (${code ?? signal})`));
	}

	get pid(): number {
		return this.child.pid!;
	}

	/** Writes one line (a message or any text) to the child's stdin. */
	writeLine(line: string): void {
		this.child.stdin!.write(`${line}\n`);
	}

	notify(method: string, params?: unknown): void {
		this.writeLine(JSON.stringify({jsonrpc: '2.0', method, ...(params !== undefined && {params})}));
	}

	/** Sends a request and resolves with its reply's result; a JSON-RPC error rejects. */
	async request(id: number, method: string, params?: unknown): Promise<unknown> {
		const reply = await this.expect(id, () =>
			this.writeLine(JSON.stringify({jsonrpc: '2.0', id, method, ...(params !== undefined && {params})})),
		);
		if (reply.error) {
			throw new Error(`${method}: error ${reply.error.code}: ${reply.error.message}`);
		}

		return reply.result;
	}

	/** Waits for the message with `id` (registered before `send` runs, so no reply is missed). */
	async expect(id: number | string, send: () => void): Promise<Message> {
		if (this.exited) {
			throw new Error(`the child exited; stderr: ${this.stderr}`);
		}

		const reply = new Promise<Message>((resolve, reject) => this.waiting.set(id, {resolve, reject}));
		send();
		return reply;
	}

	/** Closes stdin and waits for the child to exit; SIGTERM (by its PID) after `graceMs`. */
	async close(graceMs = 5000): Promise<void> {
		const child = this.child;
		if (child.exitCode !== null || child.signalCode !== null) {
			return;
		}

		const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
		child.stdin!.end();
		const timer = setTimeout(() => child.kill('SIGTERM'), graceMs);
		await exited;
		clearTimeout(timer);
	}

	private receive(chunk: string): void {
		this.buffered += chunk;
		for (let newline = this.buffered.indexOf('\n'); newline >= 0; newline = this.buffered.indexOf('\n')) {
			const line = this.buffered.slice(0, newline).trim();
			this.buffered = this.buffered.slice(newline + 1);
			if (!line) {
				continue;
			}

			let message: Message;
			try {
				message = JSON.parse(line) as Message;
			} catch {
				continue;
			}

			// Only replies are awaited; requests and notifications from the other side are ignored.
			if (message.id !== undefined && message.id !== null && message.method === undefined) {
				const waiter = this.waiting.get(message.id);
				if (waiter) {
					this.waiting.delete(message.id);
					waiter.resolve(message);
				}
			}
		}
	}
}

const PROTOCOL_VERSION = '2025-11-25';

/** The MCP handshake as Claude Code opens it on a bridge: initialize (id 1), then initialized. */
export async function initializeMcp(child: LineRpcChild, clientName: string): Promise<void> {
	await child.request(1, 'initialize', {
		protocolVersion: PROTOCOL_VERSION,
		capabilities: {},
		clientInfo: {name: clientName, version: '0.0.0'},
	});
	child.notify('notifications/initialized');
}
