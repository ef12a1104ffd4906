import {cliCommand} from '../shared/cli-command.js';
import {statSync} from 'node:fs';
import {dirname} from 'node:path';
import {type CheckResult, fail, ok, warn} from './check.js';

function mode(bits: number): string {
	return `0${(bits & 0o777).toString(8)}`;
}

function statOrUndefined(path: string) {
	try {
		return statSync(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

/**
 * The bearer token is the only thing between another local user and every MCP server the daemon
 * runs: only its owner may read it. A token others could read has leaked, so the fix is a new one,
 * which the daemon makes at start when it finds the file readable by others.
 */
export function checkTokenFile(tokenFile: string, uid: number = process.getuid?.() ?? -1): CheckResult {
	const id = 'token';
	const title = 'Token file';
	const file = statOrUndefined(tokenFile);
	if (file === undefined) {
		return ok(id, title, `${tokenFile} does not exist yet; the daemon creates it, readable only by you, when it starts`);
	}

	if (uid >= 0 && file.uid !== uid) {
		return fail(
			id,
			title,
			`${tokenFile} belongs to uid ${file.uid}, not to you (uid ${uid})`,
			`\`rm ${tokenFile}\` (as its owner or root), then \`${cliCommand('daemon restart')}\` writes a token of your own`,
		);
	}

	if ((file.mode & 0o077) !== 0) {
		return fail(
			id,
			title,
			`${tokenFile} has mode ${mode(file.mode)}: other users can read the daemon's bearer token`,
			`\`${cliCommand('daemon restart')}\`: the daemon replaces a token others could read with a new one, mode 0600 ` +
				'(a bare chmod would keep the leaked token)',
		);
	}

	const dir = statOrUndefined(dirname(tokenFile));
	if (dir !== undefined && (dir.mode & 0o077) !== 0) {
		return warn(
			id,
			title,
			`${tokenFile} is private (mode ${mode(file.mode)}), but its directory has mode ${mode(dir.mode)}`,
			`\`chmod 700 ${dirname(tokenFile)}\``,
		);
	}

	return ok(id, title, `${tokenFile}: mode ${mode(file.mode)}, yours`);
}
