/** Signals a whole process group (the server and all it spawned); a group already gone is fine. */
export function signalGroup(leaderPid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-leaderPid, signal);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
			throw error;
		}
	}
}
