import {resolvePaths} from '../config/paths.js';
import {unregister} from '../lifecycle/registrations.js';
import {refuseUnsupported} from '../platform/support.js';
import {clientPid, readHookInput, sessionIdOf} from './hook-input.js';

/**
 * SessionEnd reasons after which the same Claude process goes on with another session: its
 * SessionStart follows and replaces this registration. Dropping it here would leave the client
 * with no session in between, and a daemon whose linger ran out just then (a short MCPPROXY_LINGER,
 * a busy machine) would stop under it. Should that SessionStart never come, the registration
 * still ends with the process.
 */
const SESSION_GOES_ON = new Set(['clear', 'resume']);

/**
 * SessionEnd: drops this session's registration and returns. Claude gives all SessionEnd hooks
 * 1.5 s together, so this only deletes a file; the daemon notices and lingers on its own.
 */
export async function sessionEnd(name: string): Promise<number> {
	if (refuseUnsupported(process.stdout)) {
		return 0;
	}

	try {
		const input = await readHookInput();
		if (input.reason !== undefined && SESSION_GOES_ON.has(input.reason)) {
			return 0;
		}

		unregister(resolvePaths(name).registrationsDir, {clientPid: clientPid(), sessionId: sessionIdOf(input)});
	} catch (error) {
		process.stdout.write(
			`mcp-tooling: could not unregister this session (${(error as Error).message}); the daemon collects it once Claude exits.\n`,
		);
	}

	return 0;
}
