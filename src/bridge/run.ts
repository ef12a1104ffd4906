import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {DEFAULT_DAEMON_NAME} from '../config/paths.js';
import {ensureDaemon} from '../lifecycle/ensure-daemon.js';
import {recordedDaemon} from '../lifecycle/find-daemon.js';
import {maxMessageFromEnv, messageLimit} from '../config/settings.js';
import {jsonLine, LineReader} from '../shared/line-splitter.js';
import {unsupportedPlatform} from '../platform/support.js';
import {Bridge} from './bridge.js';

/** Set while stdout is full: the client is not reading (suspended, frozen). */
let onStdoutFull: (() => void) | undefined;

function write(message: JSONRPCMessage): void {
	if (!process.stdout.write(`${JSON.stringify(message)}\n`)) {
		onStdoutFull?.();
	}
}

function report(text: string): void {
	process.stderr.write(`mcp-tooling bridge: ${text}\n`);
}

/** A client's request, answered with `message` as its error; notifications need no answer. */
function refuse(message: JSONRPCMessage, refusal: string): void {
	if ('method' in message && 'id' in message) {
		write({jsonrpc: '2.0', id: message.id, error: {code: -32_603, message: refusal}});
	}
}

/**
 * The plugin's MCP server as Claude Code runs it: stdio to Claude, the daemon's Unix socket beyond.
 * It ends when stdin closes (Claude exited, even by SIGKILL) or on SIGINT/SIGTERM, and ends its
 * daemon session on the way out.
 */
export async function runBridge(name: string = DEFAULT_DAEMON_NAME): Promise<void> {
	// Where the daemon cannot run, Claude Code still gets an answer, and shows the user why.
	const refusal = unsupportedPlatform();
	const clientPid = Number(process.env.CLAUDE_PID) || process.ppid;
	const maxMessageBytes = maxMessageFromEnv(process.env);
	const bridge =
		refusal === undefined
			? new Bridge({
					connect: async verified => (verified ? undefined : recordedDaemon(name)) ?? ensureDaemon(name),
					write,
					maxMessageBytes,
					onOverflow: (bytes, limit) =>
						report(`a message from the daemon of more than ${bytes} bytes was dropped, over ${messageLimit(limit)}`),
					identity: {
						clientPid,
						sessionId: process.env.CLAUDE_CODE_SESSION_ID,
						projectDir: process.env.CLAUDE_PROJECT_DIR,
					},
				})
			: undefined;

	let finishing = false;
	const finish = async () => {
		if (finishing) {
			return;
		}

		finishing = true;
		await bridge?.close();
		process.exit(0);
	};

	const parseError = (text: string) =>
		write({jsonrpc: '2.0', id: null as unknown as string, error: {code: -32_700, message: `Parse error: ${text}`}});
	const onMessage = (message: JSONRPCMessage) => {
		if (bridge === undefined) {
			refuse(message, refusal!);
			return;
		}

		bridge.fromClient(message).catch((error: unknown) => report((error as Error).message));
	};
	// The bridge is the client's whole connection: a fault in one of its paths is reported, not fatal.
	process.on('unhandledRejection', (error: unknown) => report((error as Error)?.stack ?? String(error)));
	new LineReader(
		process.stdin,
		jsonLine(onMessage, () => parseError('a line on stdin was not JSON')),
		{
			maxBytes: maxMessageBytes,
			onOverflow: bytes => parseError(`a message on stdin of more than ${bytes} bytes was dropped, over ${messageLimit(maxMessageBytes)}`),
		},
	);
	// A client that stops reading stops the bridge reading the daemon, until it reads again.
	let full = false;
	onStdoutFull = () => {
		if (full) {
			return;
		}

		full = true;
		bridge?.pauseDaemon();
		process.stdout.once('drain', () => {
			full = false;
			bridge?.resumeDaemon();
		});
	};
	process.stdin.on('end', () => void finish());
	process.on('SIGINT', () => void finish());
	process.on('SIGTERM', () => void finish());
}
