import type {ChildProcess} from 'node:child_process';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {BRIDGE, CLI, processesOfWorld, World} from './daemon.js';

export {processesOfWorld} from './daemon.js';

/**
 * A world whose processes do not believe they run under the developer's own Claude Code session
 * (vitest may well be started from one): hooks and bridges take CLAUDE_PID from the test.
 */
export function lifecycleWorld(env: NodeJS.ProcessEnv = {}, nested = ''): World {
	return new World({CLAUDE_PID: undefined, CLAUDE_CODE_SESSION_ID: undefined, CLAUDE_PROJECT_DIR: undefined, ...env}, nested);
}

export type Outcome = {code: number | null; stdout: string; stderr: string};

/** Waits for a child started with piped stdio to end; `input` is all its stdin gets. */
export async function finished(child: ChildProcess, input?: string): Promise<Outcome> {
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', chunk => (stdout += String(chunk)));
	child.stderr!.on('data', chunk => (stderr += String(chunk)));
	child.stdin!.end(input);
	// 'close', not 'exit': all output has been read by then.
	const code = await new Promise<number | null>(resolve => child.once('close', resolve));
	return {code, stdout, stderr};
}

/** Runs `mcp-tooling ARGS` to its end, as a user's shell would. */
export async function runCli(world: World, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<Outcome> {
	return finished(world.spawn(process.execPath, [CLI, ...args], env), input);
}

/** The pid a `daemon start` (or a SessionStart hook) reports. */
export function reportedPid(outcome: Outcome): number {
	const match = /pid (\d+)/.exec(outcome.stdout);
	if (!match) throw new Error(`no pid in: ${outcome.stdout}${outcome.stderr}`);
	return Number(match[1]);
}

export type StatusJson = {
	running: boolean;
	pid: number | null;
	port: number | null;
	url: string | null;
	tokenFile: string;
	sessions: number;
	servers: Array<{name: string; state: string; pid: number | null; tools: number}>;
	registrations: Array<{clientPid: number; sessionIds: string[]}>;
};

export async function statusOf(world: World): Promise<StatusJson> {
	const outcome = await runCli(world, ['daemon', 'status', '--json']);
	if (outcome.code !== 0) throw new Error(`daemon status failed: ${outcome.stderr}`);
	return JSON.parse(outcome.stdout) as StatusJson;
}

/** The `daemon run` processes among them: how many daemons this world has. */
export function daemonsOfWorld(world: World): number[] {
	return processesOfWorld(world).filter(pid => {
		try {
			const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			return argv.includes('daemon') && argv.includes('run');
		} catch {
			return false;
		}
	});
}

/** The session files of daemon mcp-user's registrations, as the hooks leave them. */
export function registrationFiles(world: World): string[] {
	try {
		return readdirSync(join(world.root, 'run', 'mcp-servers', 'mcp-user')).filter(name => name.endsWith('.json'));
	} catch {
		return [];
	}
}

export type Pid = ChildProcess & {pid: number};

/** A long-lived process that does nothing: plays Claude Code (its pid is CLAUDE_PID) or an unrelated program. */
export function idleProcess(world: World): Pid {
	return world.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)']) as Pid;
}

/** Runs `mcp-tooling hook EVENT` as Claude Code does: the hook's JSON on stdin, CLAUDE_PID set. */
export async function hook(
	world: World,
	event: 'session-start' | 'session-end',
	claude: Pid,
	input: Record<string, string>,
): Promise<Outcome> {
	const hookEventName = event === 'session-start' ? 'SessionStart' : 'SessionEnd';
	const json = JSON.stringify({
		cwd: world.root,
		transcript_path: join(world.root, 'transcript.jsonl'),
		hook_event_name: hookEventName,
		...input,
	});
	return runCli(world, ['hook', event], {CLAUDE_PID: String(claude.pid), CLAUDE_PROJECT_DIR: world.root}, json);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
	return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** An MCP client on the plugin's stdio bridge, as Claude Code runs it (`node dist/bridge.js`). */
export async function bridgeClient(world: World, name = 'bridge-client'): Promise<Client> {
	const client = new Client({name, version: '1.0.0'}, {capabilities: {}});
	await client.connect(new StdioClientTransport({command: process.execPath, args: [BRIDGE], env: definedOnly(world.env), stderr: 'pipe'}));
	return client;
}

/** The bridge process behind a client from `bridgeClient`. */
export function bridgePid(client: Client): number {
	return (client.transport as StdioClientTransport).pid!;
}
