import {isValidPid} from '../platform/os-processes.js';
import {recordIn} from '../shared/record-file.js';

/** The JSON Claude Code gives a hook on stdin (the fields this plugin uses). */
export type HookInput = {
	session_id?: string;
	cwd?: string;
	hook_event_name?: string;
	source?: string;
	reason?: string;
};

/** Reads the hook's stdin; a missing or broken input is an empty one, never a failed hook. */
export async function readHookInput(stdin: NodeJS.ReadableStream = process.stdin): Promise<HookInput> {
	if ((stdin as NodeJS.ReadStream).isTTY) {
		return {};
	}

	let text = '';
	for await (const chunk of stdin) {
		text += String(chunk);
	}

	return (recordIn(text) as HookInput | undefined) ?? {};
}

/** Claude Code's own pid: hooks get it as CLAUDE_PID, and in exec form Claude is the parent. */
export function clientPid(env: NodeJS.ProcessEnv = process.env): number {
	const fromEnv = Number(env.CLAUDE_PID);
	return isValidPid(fromEnv) ? fromEnv : process.ppid;
}

/** Claude's session id, from the hook input or its environment. */
export function sessionIdOf(input: HookInput, env: NodeJS.ProcessEnv = process.env): string {
	return input.session_id ?? env.CLAUDE_CODE_SESSION_ID ?? `pid-${clientPid(env)}`;
}
