import {accessSync, constants, existsSync, statSync} from 'node:fs';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * Who reads what this process prints: Claude (the SessionStart context, the slash command's
 * output), which can only be told to have the user type the slash command, or a terminal, where
 * a command runs only if it is on PATH or written out in full.
 */
export type Audience = 'claude' | 'terminal';

export const SLASH_COMMAND = '/mcp-tooling:mcp-proxy-daemoning';
export const CLI_NAME = 'mcp-tooling';

let audience: Audience = 'terminal';
let onPath: boolean | undefined;

/** Set once by the entries that speak to Claude: the SessionStart hook and the slash command. */
export function speakTo(next: Audience): void {
	audience = next;
}

/** The CLI sits beside this code once bundled (dist/); from the sources it is the built one. */
export function cliPath(): string {
	const here = dirname(fileURLToPath(import.meta.url));
	const beside = join(here, 'cli.js');
	return existsSync(beside) ? beside : join(here, '..', '..', 'dist', 'cli.js');
}

function isExecutable(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

/** The directories a shell looks in for a command, in order. */
export function pathDirs(env: NodeJS.ProcessEnv = process.env): string[] {
	return (env.PATH ?? '').split(delimiter).filter(dir => dir !== '');
}

/** The `mcp-tooling` a shell here runs by that name, if any: an npm link, a global install, or `install-cli`'s launcher. */
export function cliOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
	return pathDirs(env)
		.map(dir => join(dir, CLI_NAME))
		.find(isExecutable);
}

/**
 * The one way any text names a command of the CLI: `args` ("daemon restart") written so that it
 * runs where the text is read.
 */
export function cliCommand(args: string): string {
	if (audience === 'claude') {
		return `${SLASH_COMMAND} ${args}`;
	}
	onPath ??= cliOnPath() !== undefined;
	return onPath ? `${CLI_NAME} ${args}` : `node "${cliPath()}" ${args}`;
}
