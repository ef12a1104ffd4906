import {createInterface} from 'node:readline';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {DEFAULT_DAEMON_NAME} from '../config/paths.js';
import {ensureDaemon} from '../lifecycle/ensure-daemon.js';
import {Bridge} from './bridge.js';

function write(message: JSONRPCMessage): void {
	process.stdout.write(`${JSON.stringify(message)}\n`);
}

/**
 * The plugin's MCP server as Claude Code runs it: stdio to Claude, HTTP to the shared daemon.
 * It ends when stdin closes (Claude exited, even by SIGKILL) or on SIGINT/SIGTERM, and ends its
 * daemon session on the way out.
 */
export async function runBridge(name: string = DEFAULT_DAEMON_NAME): Promise<void> {
	const clientPid = Number(process.env.CLAUDE_PID) || process.ppid;
	const bridge = new Bridge({
		connect: async () => ensureDaemon(name),
		write,
		identity: {clientPid, sessionId: process.env.CLAUDE_CODE_SESSION_ID, projectDir: process.env.CLAUDE_PROJECT_DIR},
	});

	let finishing = false;
	const finish = async () => {
		if (finishing) {
			return;
		}

		finishing = true;
		await bridge.close();
		process.exit(0);
	};

	const lines = createInterface({input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY});
	lines.on('line', line => {
		if (line.trim() === '') {
			return;
		}

		let message: JSONRPCMessage;
		try {
			message = JSON.parse(line) as JSONRPCMessage;
		} catch {
			write({jsonrpc: '2.0', id: null as unknown as string, error: {code: -32_700, message: 'Parse error: a line on stdin was not JSON'}});
			return;
		}

		bridge.fromClient(message).catch((error: unknown) => {
			process.stderr.write(`mcp-tooling bridge: ${(error as Error).message}\n`);
		});
	});
	lines.on('close', () => void finish());
	process.on('SIGINT', () => void finish());
	process.on('SIGTERM', () => void finish());
}
