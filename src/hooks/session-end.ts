import {resolvePaths} from '../config/paths.js';
import {unregister} from '../lifecycle/registrations.js';
import {clientPid, readHookInput, sessionIdOf} from './hook-input.js';

/**
 * SessionEnd: drops this session's registration and returns. Claude gives all SessionEnd hooks
 * 1.5 s together, so this only deletes a file; the daemon notices and lingers on its own.
 */
export async function sessionEnd(name: string): Promise<number> {
	try {
		const input = await readHookInput();
		unregister(resolvePaths(name).registrationsDir, {clientPid: clientPid(), sessionId: sessionIdOf(input)});
	} catch (error) {
		process.stdout.write(`mcp-tooling: could not unregister this session (${(error as Error).message}); the daemon collects it once Claude exits.\n`);
	}

	return 0;
}
