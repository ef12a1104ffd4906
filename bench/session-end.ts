/**
 * How long the SessionEnd hook takes, from spawn to exit, as Claude Code runs it: all SessionEnd
 * hooks share a 1.5 s budget, after which Claude kills them. Measured against a bare `node -e ""`
 * spawned in the same run (interleaved), which no hook written for Node can beat.
 *
 * Standalone: `npx tsx bench/session-end.ts [--quick]`; or through the runner once it is listed there.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {resolvePaths} from '../src/config/paths.js';
import {register} from '../src/lifecycle/registrations.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {summarize, type Summary} from './lib/stats.js';
import {coarseTimingCells, formatTable} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';

/** Claude Code's budget for all SessionEnd hooks together. */
const BUDGET_MS = 1500;
/** This hook's share of it: a third, since other plugins' SessionEnd hooks run in the same 1.5 s. */
const TARGET_MS = 500;

type Run = {readonly ms: number; readonly code: number | null; readonly stderr: string};

/** Spawns `node ARGS`, feeds it `input`, and times it until it has exited. */
async function timed(args: readonly string[], env: NodeJS.ProcessEnv, input = ''): Promise<Run> {
	const started = performance.now();
	const child = spawn(process.execPath, args, {env, stdio: ['pipe', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', chunk => (stderr += String(chunk)));
	child.stdin.end(input);
	const code = await new Promise<number | null>(resolve => child.once('close', resolve));
	return {ms: performance.now() - started, code, stderr};
}

function line(name: string, summary: Summary, ratio: string): string[] {
	return [name, ...coarseTimingCells(summary), ratio];
}

async function measure(context: BenchContext): Promise<BenchOutcome> {
	const runs = Number(context.options.get('runs') ?? (context.quick ? 5 : 30));
	const cli = join(context.repo, 'dist', 'cli.js');
	// What hooks/hooks.json runs: the hook entry, not the whole CLI.
	const hookEntry = join(context.repo, 'dist', 'hook.js');
	const root = mkdtempSync(join(tmpdir(), 'mcp-tooling-bench-session-end-'));
	// Plays Claude Code: the hook names it by CLAUDE_PID, and registrations need it alive.
	const claude = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], {stdio: 'ignore'});
	const env: NodeJS.ProcessEnv = {
		...process.env,
		AITKIT_ROOT: root,
		MCPPROXY_PORT: '0',
		MCPPROXY_DATA_DIR: undefined,
		MCPPROXY_CONFIG_PATH: undefined,
		CLAUDE_PID: String(claude.pid),
		CLAUDE_CODE_SESSION_ID: undefined,
		CLAUDE_PROJECT_DIR: root,
	};
	const {registrationsDir} = resolvePaths('mcp-user', env);
	const hook: number[] = [];
	const bare: number[] = [];
	try {
		// The daemon runs, as it would under a real session, though the hook never talks to it.
		const start = await timed(
			[hookEntry, 'session-start'],
			env,
			JSON.stringify({session_id: 'bench-0', cwd: root, hook_event_name: 'SessionStart', source: 'startup'}),
		);
		if (start.code !== 0) {
			throw new Error(`SessionStart hook failed: ${start.stderr}`);
		}

		for (let index = 1; index <= runs; index++) {
			const sessionId = `bench-${index}`;
			register(registrationsDir, {clientPid: claude.pid!, sessionId, projectDir: root});
			const input = JSON.stringify({
				session_id: sessionId,
				cwd: root,
				hook_event_name: 'SessionEnd',
				reason: 'prompt_input_exit',
			});
			const end = await timed([hookEntry, 'session-end'], env, input);
			const left = readdirSync(registrationsDir).filter(name => name.includes(sessionId));
			if (end.code !== 0 || left.length > 0) {
				throw new Error(`SessionEnd hook did not unregister ${sessionId} (exit ${end.code}): ${end.stderr}`);
			}

			hook.push(end.ms);
			bare.push((await timed(['-e', ''], env)).ms);
		}
	} finally {
		await timed([cli, 'daemon', 'stop'], env);
		claude.kill('SIGKILL');
		rmSync(root, {recursive: true, force: true});
	}

	const hookSummary = summarize(hook);
	const bareSummary = summarize(bare);
	const ratio = hookSummary.p50 / bareSummary.p50;
	console.log(machineLine(describeMachine()));
	console.log(
		formatTable(
			['spawn → exit', 'n', 'p50 ms', 'p90 ms', 'max ms', 'p50 ratio'],
			[line('hook session-end', hookSummary, `${ratio.toFixed(2)}×`), line('node -e ""', bareSummary, '1.00×')],
			['left', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	const ok = hookSummary.p90 <= TARGET_MS;
	console.log(
		`SessionEnd median ${hookSummary.p50.toFixed(1)} ms ` +
			`(${((hookSummary.p50 / BUDGET_MS) * 100).toFixed(1)}% of Claude's ${BUDGET_MS} ms budget); ` +
			`target p90 ≤ ${TARGET_MS} ms: ${ok ? 'met' : 'MISSED'}`,
	);

	const file = writeResults(context, 'session-end', {
		machine: describeMachine(),
		runs,
		hook: hookSummary,
		bare: bareSummary,
		ratio,
		budgetMs: BUDGET_MS,
		targetMs: TARGET_MS,
	});
	return {ok, files: [file]};
}

export const sessionEnd: Benchmark = {
	name: 'session-end',
	description: 'SessionEnd hook spawn → exit (Claude gives all SessionEnd hooks 1.5 s), vs a bare node spawn',
	options: {'--runs=N': 'hook runs (default 30, quick 5)'},
	run: measure,
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const quick = process.argv.includes('--quick');
	const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
	measure({quick, repo, outDir: join(repo, 'bench', 'out'), options: new Map()}).then(
		outcome => process.exit(outcome.ok || quick ? 0 : 1),
		(error: unknown) => {
			process.stderr.write(`bench session-end: ${error instanceof Error ? error.message : String(error)}\n`);
			process.exit(2);
		},
	);
}
