import {type CheckResult, fail, ok} from './check.js';

const MINIMUM_MAJOR = 20;

/** The daemon, bridge and hooks run on the node that runs this CLI. */
export function checkNode(version: string = process.versions.node, executable: string = process.execPath): CheckResult {
	const major = Number(version.split('.')[0]);
	const title = 'Node.js version';
	if (Number.isInteger(major) && major >= MINIMUM_MAJOR) {
		return ok('node', title, `v${version} (${executable}), ${MINIMUM_MAJOR} or later needed`);
	}

	return fail(
		'node',
		title,
		`v${version} (${executable}) is too old: mcp-tooling needs Node.js ${MINIMUM_MAJOR} or later`,
		`install Node.js ${MINIMUM_MAJOR} or later (e.g. \`nvm install ${MINIMUM_MAJOR}\`) and make it the \`node\` on PATH`,
	);
}
