import {CLI_NAME, cliCommand, cliOnPath} from '../shared/cli-command.js';
import {occupantOf} from '../shared/cli-launcher.js';
import {type CheckResult, ok, warn} from './check.js';

/**
 * Whether a terminal runs `mcp-tooling` by name. Without it every command still runs, written out
 * in full, so this only warns.
 */
export function checkCliOnPath(env: NodeJS.ProcessEnv = process.env): CheckResult {
	const id = 'cli';
	const title = `${CLI_NAME} on PATH`;
	const found = cliOnPath(env);
	if (found === undefined) {
		return warn(
			id,
			title,
			`no ${CLI_NAME} on PATH: in a terminal its commands must be given as node "…/dist/cli.js"`,
			`\`${cliCommand('install-cli')}\` puts a launcher in ~/.local/bin (or \`--dir DIR\`)`,
		);
	}

	const what = occupantOf(found) === 'launcher' ? 'the launcher install-cli wrote' : 'an install or link of its own';
	return ok(id, title, `${found} (${what})`);
}
