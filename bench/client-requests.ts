/**
 * What taking turns costs: sessions, each through its own bridge, calling server-everything's
 * `trigger-sampling-request` at once, each answering its own sampling requests after a model's
 * think time. A round is 4 sessions × N calls against a server that serializes sessions
 * (`"clientRequests": "serialize"`), timed beside the same 4×N calls from one session (which
 * overlap freely) and beside 4 sessions on a server with one instance per session
 * (`"scope": "session"`, nothing to share, nothing to wait for). Every result is checked to carry
 * its own session's answer.
 *
 * Run: `npm run bench -- client-requests [--quick] [--rounds=N] [--calls=N] [--answer-ms=N]`.
 */
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {CallToolResultSchema, CreateMessageRequestSchema} from '@modelcontextprotocol/sdk/types.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {serverEntries} from './lib/servers.js';
import {summarize, type Summary} from './lib/stats.js';
import {formatTable, timingCells} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld} from './lib/world.js';

const SESSIONS = 4;

type Session = {readonly name: string; readonly client: Client};

async function openSession(world: BenchWorld, name: string, answerMs: number): Promise<Session> {
	const transport = new StdioClientTransport({command: process.execPath, args: [world.bridge], env: world.env, stderr: 'ignore'});
	const client = new Client({name, version: '0.0.0'}, {capabilities: {sampling: {}}});
	client.setRequestHandler(CreateMessageRequestSchema, async () => {
		await sleep(answerMs);
		return {model: name, role: 'assistant', content: {type: 'text', text: `sampled by ${name}`}};
	});
	await client.connect(transport);
	world.adopt(transport.pid!);
	return {name, client};
}

/** One session's `calls` sampling calls to `server`, all at once; each must carry the session's own answer. */
async function sample(session: Session, server: string, calls: number): Promise<void> {
	await Promise.all(
		Array.from({length: calls}, async (_, index) => {
			const result = await session.client.request(
				{method: 'tools/call', params: {name: `${server}__trigger-sampling-request`, arguments: {prompt: `${session.name} ${index}`}}},
				CallToolResultSchema,
				{timeout: 120_000},
			);
			const text = result.content.map(item => (item.type === 'text' ? item.text : '')).join('');
			if (!text.includes(`sampled by ${session.name}`)) {
				throw new Error(`${session.name}'s call to ${server} carried another answer: ${text.slice(0, 200)}`);
			}
		}),
	);
}

type Row = {readonly name: string; readonly summary: Summary};

async function measure(context: BenchContext): Promise<BenchOutcome> {
	const rounds = Number(context.options.get('rounds') ?? (context.quick ? 5 : 20));
	const calls = Number(context.options.get('calls') ?? 2);
	const answerMs = Number(context.options.get('answer-ms') ?? 50);
	const world = new BenchWorld(context.repo);
	try {
		const everything = serverEntries(context.repo, world.root, ['everything']).everything!;
		world.writeConfig({turns: {...everything, clientRequests: 'serialize'}, own: {...everything, scope: 'session'}});
		await world.startDaemon();
		const sessions = await Promise.all(
			Array.from({length: SESSIONS}, async (_, index) => openSession(world, `session-${index}`, answerMs)),
		);
		const plans: Array<{name: string; run: () => Promise<unknown>}> = [
			{name: `1 session, ${SESSIONS * calls} calls, serializing server`, run: async () => sample(sessions[0]!, 'turns', SESSIONS * calls)},
			{
				name: `${SESSIONS} sessions × ${calls} calls, serializing server`,
				run: async () => Promise.all(sessions.map(async session => sample(session, 'turns', calls))),
			},
			{
				name: `${SESSIONS} sessions × ${calls} calls, one instance per session`,
				run: async () => Promise.all(sessions.map(async session => sample(session, 'own', calls))),
			},
		];
		for (const plan of plans) {
			await plan.run(); // warm-up: every instance started, every path taken once
		}

		const samples = plans.map(() => [] as number[]);
		// Interleaved, so that a slow moment of the machine falls on every plan alike.
		for (let round = 0; round < rounds; round++) {
			for (const [index, plan] of plans.entries()) {
				const started = performance.now();
				await plan.run();
				samples[index]!.push(performance.now() - started);
			}
		}

		await Promise.all(sessions.map(async session => session.client.close()));
		const rows: Row[] = plans.map((plan, index) => ({name: plan.name, summary: summarize(samples[index]!)}));
		const baseline = rows[0]!.summary.p50;
		console.log(machineLine(describeMachine()));
		console.log(`each sampling request answered after ${answerMs} ms; ${rounds} rounds, times are per round`);
		console.log(
			formatTable(
				['round of concurrent sampling calls', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'p50 vs 1 session'],
				rows.map(row => [row.name, ...timingCells(row.summary), `${(row.summary.p50 / baseline).toFixed(2)}×`]),
				['left', 'right', 'right', 'right', 'right', 'right', 'right'],
			),
		);
		const file = writeResults(context, 'client-requests', {machine: describeMachine(), rounds, calls, answerMs, rows});
		return {ok: true, files: [file]};
	} finally {
		await world.dispose();
	}
}

export const clientRequests: Benchmark = {
	name: 'client-requests',
	description:
		'concurrent sampling calls from 4 sessions to a serializing server vs the same calls from one session, and vs per-session instances',
	options: {
		'--rounds=N': 'timed rounds (default 20, quick 5)',
		'--calls=N': 'concurrent calls per session in a round (default 2)',
		'--answer-ms=N': "a session's think time before it answers a sampling request (default 50)",
	},
	run: measure,
};
