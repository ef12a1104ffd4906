import {cliCommand, cliPath} from '../shared/cli-command.js';
import {mkdirSync, openSync, closeSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {resolvePaths, type Paths} from '../config/paths.js';
import {readState} from '../contract/state-file.js';
import {readToken} from '../contract/token-file.js';
import {isSameProcessAlive} from '../platform/os-processes.js';
import {answeringDaemon, answers, type ReachableDaemon} from './find-daemon.js';
import {withLock} from './lock.js';
import {rotateLogs, tailOf} from './log-file.js';

export type EnsureOptions = {
	readonly env?: NodeJS.ProcessEnv;
	/** How long a new daemon may take to answer; default 15 s. */
	readonly timeoutMs?: number;
};

export type EnsureResult = ReachableDaemon & {readonly started: boolean};

/**
 * Starts daemon NAME unless it runs, and returns once it answers. Hooks, bridges and the CLI
 * all come through here; the lock makes racing callers start exactly one daemon, and the others
 * find it running once they get the lock.
 */
export async function ensureDaemon(name: string, options: EnsureOptions = {}): Promise<EnsureResult> {
	const env = options.env ?? process.env;
	const timeoutMs = options.timeoutMs ?? 15_000;
	const paths = resolvePaths(name, env);
	const running = await answeringDaemon(paths);
	if (running) {
		return {...running, started: false};
	}

	mkdirSync(paths.runDir, {recursive: true, mode: 0o700});
	return withLock(
		paths.lockFile,
		async () => {
			const winner = await answerOrExit(name, paths, timeoutMs);
			if (winner) {
				return {...winner, started: false};
			}

			return {...(await spawnDaemon(name, paths, env, timeoutMs)), started: true};
		},
		{timeoutMs: timeoutMs + 5000},
	);
}

/**
 * The recorded daemon once it answers, or undefined once its process is gone (or none is recorded).
 * A live daemon that does not answer at once is busy, or stopping after its linger: starting a
 * second one beside it would run every server twice, so wait to see which it is.
 */
async function answerOrExit(name: string, paths: Paths, timeoutMs: number): Promise<ReachableDaemon | undefined> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const state = readState(paths.stateFile);
		if (!state || !isSameProcessAlive(state)) {
			return undefined;
		}

		const token = readToken(paths.tokenFile);
		if (token && (await answers(state, token))) {
			return {...state, token};
		}

		if (Date.now() >= deadline) {
			throw new Error(
				`The mcp-tooling daemon "${name}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1000)} s; ` +
					`see ${paths.logFile}, or replace it with \`${cliCommand('daemon restart')}\`.`,
			);
		}

		await sleep(50);
	}
}

async function spawnDaemon(name: string, paths: Paths, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ReachableDaemon> {
	mkdirSync(paths.dataDir, {recursive: true, mode: 0o700});
	rotateLogs(paths.logFile, paths.serverLogDir);
	const log = openSync(paths.logFile, 'a', 0o600);
	// Loaded here, not at the top: a bridge finding its daemon running never needs it.
	const {spawn} = await import('node:child_process');
	const child = spawn(process.execPath, [cliPath(), 'daemon', 'run', name, '--detached'], {
		detached: true,
		stdio: ['ignore', log, log],
		env: withoutSessionVariables(env),
		cwd: paths.dataDir,
	});
	closeSync(log);
	child.unref();
	let exited: string | undefined;
	child.once('exit', (code, signal) => {
		exited = signal ? `signal ${signal}` : `exit code ${code}`;
	});
	child.once('error', error => {
		exited = error.message;
	});

	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const state = readState(paths.stateFile);
		if (state?.pid === child.pid) {
			const running = await answeringDaemon(paths);
			if (running) {
				return running;
			}
		}

		if (exited) {
			throw new Error(
				`The mcp-tooling daemon "${name}" exited at start (${exited}):\n${tailOf(paths.logFile, 20)}\nFull log: ${paths.logFile}`,
			);
		}

		await sleep(15);
	}

	throw new Error(`The mcp-tooling daemon "${name}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}

/**
 * Claude Code's variables that name one session (its project, its id, its pid): the daemon
 * outlives the session that happened to start it and serves all the others, so neither it nor
 * the servers it starts may inherit them. Project instances get their own project's root.
 */
const SESSION_VARIABLES = ['CLAUDE_PROJECT_DIR', 'CLAUDE_CODE_SESSION_ID', 'CLAUDE_PID', 'CLAUDE_ENV_FILE'];

function withoutSessionVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return Object.fromEntries(Object.entries(env).filter(([name]) => !SESSION_VARIABLES.includes(name)));
}
