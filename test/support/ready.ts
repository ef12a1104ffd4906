import type {DaemonState} from '../../src/contract/state-file.js';
import {isAvailable} from '../../src/contract/status.js';
import {eventually} from './daemon.js';
import {daemonStatus} from './raw-http.js';

/**
 * Waits until every server in the daemon's `/status` is ready, or idle (offered from its catalog). A session's lists wait for servers
 * still starting only until a few seconds after the daemon started, and on a loaded machine a
 * server can take longer than that: a test of what the lists hold, not of that wait, must not
 * depend on it.
 */
export async function serversReady(state: DaemonState, token: string, timeoutMs = 30_000): Promise<void> {
	await eventually(
		async () => {
			const {servers} = await daemonStatus(state, token);
			return servers.length > 0 && servers.every(isAvailable);
		},
		timeoutMs,
		'every server ready or idle',
	);
}
