export type Verdict = 'ok' | 'warn' | 'fail';

/** One finding of `mcp-tooling doctor`: what was checked, the verdict, and the exact fix. */
export type CheckResult = {
	/** Stable, for scripts: `node`, `config`, `server:NAME`, … */
	id: string;
	title: string;
	verdict: Verdict;
	detail: string;
	/** What to do, as a command or an edit, when the verdict is not ok. */
	fix?: string;
	/** Lines that show the problem, e.g. a server's last stderr lines. */
	output?: string[];
};

export function ok(id: string, title: string, detail: string): CheckResult {
	return {id, title, verdict: 'ok', detail};
}

export function warn(id: string, title: string, detail: string, fix: string, output?: string[]): CheckResult {
	return {id, title, verdict: 'warn', detail, fix, ...(output === undefined ? {} : {output})};
}

export function fail(id: string, title: string, detail: string, fix: string, output?: string[]): CheckResult {
	return {id, title, verdict: 'fail', detail, fix, ...(output === undefined ? {} : {output})};
}
