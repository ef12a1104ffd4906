import {resolvePaths, type Paths} from '../config/paths.js';
import {readState, type DaemonState} from '../contract/state-file.js';
import {readToken} from '../contract/token-file.js';
import {isProbablyAlive, isSameProcessAlive} from '../platform/os-processes.js';
import {fetchStatus} from './status-client.js';

/**
 * Finding daemon NAME: one function for each question a caller has, cheapest first.
 * - `daemonProcess(pidFile)` (pid-file.ts): which process is it? The pid file, proved against the
 *   process table; nothing is contacted. For stopping it, or refusing to start a second one.
 * - `recordedDaemon(name)`: where do I connect? The state file and token, if the process seems
 *   alive; nothing is contacted. The bridge's hot path: its socket greeting is the real check.
 * - `answeringDaemon(paths)`: is it serving? The same, once it answers GET `/status`.
 * - `ensureDaemon(name)` (ensure-daemon.ts): the answering daemon, started first if need be.
 */
export type ReachableDaemon = DaemonState & {readonly token: string};

export function recordedDaemon(name: string, env: NodeJS.ProcessEnv = process.env): ReachableDaemon | undefined {
	const paths = resolvePaths(name, env);
	const state = readState(paths.stateFile);
	const token = readToken(paths.tokenFile);
	return state && token && isProbablyAlive(state) ? {...state, token} : undefined;
}

export async function answeringDaemon(paths: Paths): Promise<ReachableDaemon | undefined> {
	const state = readState(paths.stateFile);
	const token = readToken(paths.tokenFile);
	if (!state || !token || !isSameProcessAlive(state)) {
		return undefined;
	}

	return (await answers(state, token)) ? {...state, token} : undefined;
}

/** Whether the daemon described by `state` answers on its endpoint with this token, within a second. */
export async function answers(state: DaemonState, token: string): Promise<boolean> {
	return fetchStatus(state, token, 1000).then(
		() => true,
		() => false,
	);
}
