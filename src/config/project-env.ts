import {readEntry} from './entry.js';
import type {BrokenServer, ServerSpec} from './schema.js';

/** Stands in for the project root while a project or session entry is checked at load time. */
const ROOT_PLACEHOLDER = '/path/to/project';

/** A project's root, under the names a project or session entry may use for it. */
function withProjectRoot(env: NodeJS.ProcessEnv, root: string): NodeJS.ProcessEnv {
	return {...env, PROJECT_DIR: root, CLAUDE_PROJECT_DIR: root};
}

/** The environment a config entry is read with: project and session entries get a stand-in root. */
export function loadEnv(raw: unknown, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const scope = typeof raw === 'object' && raw !== null ? (raw as {scope?: unknown}).scope : undefined;
	return scope === 'project' || scope === 'session' ? withProjectRoot(env, ROOT_PLACEHOLDER) : env;
}

/**
 * One instance's entry: read again with its project's root in `${PROJECT_DIR}`. A stdio server
 * also runs in that root and finds it in its environment, as under Claude Code itself.
 */
export function specForRoot(spec: ServerSpec, root: string | undefined, env: NodeJS.ProcessEnv): ServerSpec | BrokenServer {
	if (root === undefined) {
		return spec;
	}

	const instance = readEntry(spec.name, spec.raw, withProjectRoot(env, root));
	if ('error' in instance || instance.transport.kind !== 'stdio') {
		return instance;
	}

	const {transport} = instance;
	return {...instance, transport: {...transport, env: {PROJECT_DIR: root, CLAUDE_PROJECT_DIR: root, ...transport.env}, cwd: transport.cwd ?? root}};
}
