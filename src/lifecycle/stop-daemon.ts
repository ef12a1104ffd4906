import {setTimeout as sleep} from 'node:timers/promises';
import type {Paths} from '../config/paths.js';
import {readState} from '../contract/state-file.js';
import {readToken} from '../contract/token-file.js';
import {isSameProcessAlive, signalGroup, type ProcessIdentity} from '../platform/os-processes.js';
import {unlinkIfExists} from '../shared/atomic-file.js';
import {daemonProcess} from './pid-file.js';
import {fetchStatus} from './status-client.js';

export type StopResult = {readonly stopped: boolean; readonly pid?: number; readonly forced: boolean};

async function waitGone(identity: ProcessIdentity, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (isSameProcessAlive(identity)) {
		if (Date.now() > deadline) {
			return false;
		}

		await sleep(20);
	}

	return true;
}

/**
 * False if the daemon is already gone: it may end its linger just as it is told to stop. Checked
 * again right before signalling, since asking it for its servers may have taken seconds, time
 * enough for its pid to be given to another process.
 */
function signal(daemon: ProcessIdentity, name: NodeJS.Signals): boolean {
	if (!isSameProcessAlive(daemon)) {
		return false;
	}

	try {
		process.kill(daemon.pid, name);
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
			return false;
		}

		throw error;
	}
}

/**
 * Stops daemon NAME: SIGTERM, and the daemon stops its servers; if it does not exit in time it
 * is killed, and so are the server process groups it had reported, so nothing is left behind.
 * Only a pid the pid file proves to be our daemon is ever signalled.
 */
export async function stopDaemon(paths: Paths, timeoutMs = 10_000): Promise<StopResult> {
	const record = daemonProcess(paths.pidFile);
	if (!record) {
		unlinkIfExists(paths.stateFile);
		return {stopped: false, forced: false};
	}

	const state = readState(paths.stateFile);
	const token = readToken(paths.tokenFile);
	const status = state && token && state.pid === record.pid ? await fetchStatus(state, token).catch(() => undefined) : undefined;
	const serverPids = (status?.servers ?? []).map(server => server.pid).filter((pid): pid is number => typeof pid === 'number');

	if (!signal(record, 'SIGTERM') || (await waitGone(record, timeoutMs))) {
		return {stopped: true, pid: record.pid, forced: false};
	}

	signal(record, 'SIGKILL');
	for (const pid of serverPids) {
		signalGroup(pid, 'SIGKILL');
	}

	await waitGone(record, 2000);
	unlinkIfExists(paths.pidFile);
	unlinkIfExists(paths.stateFile);
	return {stopped: true, pid: record.pid, forced: true};
}
