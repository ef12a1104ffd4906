import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {initializeMcp, LineRpcChild} from './lib/line-rpc.js';
import {loadAverages, loadLine} from './lib/load.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {mebibytes, memoryNote, processMemory} from './lib/memory.js';
import {SERVER_KEYS, serverEntries} from './lib/servers.js';
import {summarize, type Summary} from './lib/stats.js';
import {coarseTimingCells, formatTable} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld} from './lib/world.js';
import {positiveInt} from './lib/options.js';

/**
 * How long a new session waits for its tools: from spawning the bridge (as Claude Code does for
 * each session) to the answer of its first `tools/list`, with the daemon already running and its
 * servers ready. The floor, measured in the same run: spawning a bare `node -e` that answers one
 * line on stdin, which no bridge written for Node can beat. Also the bridge's memory once it has
 * answered, since one bridge runs per session.
 */

/** Median spawn → first tools/list answered, ms. */
const TARGET_MS = 150;
/** Median RSS of a bridge after its first tools/list, MiB. */
const TARGET_RSS_MIB = 45;

/** Answers each request line with an empty result, and exits when stdin ends. */
const BARE_NODE =
	`process.stdin.setEncoding('utf8');let b='';process.stdin.on('data',c=>{b+=c;let i;while((i=b.indexOf('\\n'))>=0){` +
	`const m=JSON.parse(b.slice(0,i));b=b.slice(i+1);process.stdout.write(JSON.stringify({jsonrpc:'2.0',id:m.id,result:{}})+'\\n')}});` +
	`process.stdin.on('end',()=>process.exit(0))`;

type Sample = {totalMs: number; initializeMs: number; rss: number; pss: number; tools: number};

/** Spawns a bridge and times it to its first tools/list answered; samples its memory then. */
async function attachBridge(world: BenchWorld): Promise<Sample> {
	const started = performance.now();
	const bridge = new LineRpcChild(process.execPath, [world.bridge], world.env);
	world.adopt(bridge.pid);
	try {
		await initializeMcp(bridge, 'mcp-tooling-bench-attach');
		const initializeMs = performance.now() - started;
		const listed = (await bridge.request(2, 'tools/list', {})) as {tools?: Array<{name: string}>};
		const totalMs = performance.now() - started;
		const tools = listed.tools ?? [];
		if (!tools.some(tool => tool.name === 'everything__echo')) {
			throw new Error(`the bridge listed no everything__echo among: ${tools.map(tool => tool.name).join(', ')}`);
		}

		const memory = processMemory(bridge.pid);
		if (!memory) {
			throw new Error(`could not read the memory of the bridge (pid ${bridge.pid}): it is not in the process table`);
		}

		return {totalMs, initializeMs, rss: memory.rss, pss: memory.pss, tools: tools.length};
	} finally {
		await bridge.close();
	}
}

/** The floor: a bare node that answers one line; memory sampled after it answered, for reference. */
async function attachBare(world: BenchWorld): Promise<Sample> {
	const started = performance.now();
	const bare = new LineRpcChild(process.execPath, ['-e', BARE_NODE], world.env);
	world.adopt(bare.pid);
	try {
		await bare.request(1, 'initialize', {});
		const totalMs = performance.now() - started;
		const memory = processMemory(bare.pid);
		return {totalMs, initializeMs: totalMs, rss: memory?.rss ?? Number.NaN, pss: memory?.pss ?? Number.NaN, tools: 0};
	} finally {
		await bare.close();
	}
}

function median(values: readonly number[]): number {
	return summarize(values).p50;
}

async function run(context: BenchContext): Promise<BenchOutcome> {
	const runs = positiveInt(context.options, 'runs', context.quick ? 5 : 30);
	const warmup = context.quick ? 1 : 3;
	const machine = describeMachine();
	const loadStart = loadAverages();
	console.log(
		`attach: bridge spawn → initialize → tools/list answered, on a warm daemon with ${SERVER_KEYS.length} servers ` +
			`(${SERVER_KEYS.join(', ')}); ${warmup} warm-up, then ${runs} runs interleaved with a bare node spawn`,
	);
	console.log(`machine: ${machineLine(machine)}`);
	console.log(loadLine());
	console.log(memoryNote());

	const world = new BenchWorld(context.repo);
	const bridgeSamples: Sample[] = [];
	const bareSamples: Sample[] = [];
	try {
		world.writeConfig(serverEntries(context.repo, world.root));
		const daemon = await world.startDaemon();
		console.log(`daemon: pid ${daemon.pid} at ${daemon.url}, upstreams ${daemon.upstreamPids.join(', ')}`);
		for (let index = 0; index < warmup; index++) {
			await attachBridge(world);
			await attachBare(world);
		}

		for (let index = 0; index < runs; index++) {
			// Alternate which goes first, so neither always follows the other's exit.
			if (index % 2 === 0) {
				bridgeSamples.push(await attachBridge(world));
				bareSamples.push(await attachBare(world));
			} else {
				bareSamples.push(await attachBare(world));
				bridgeSamples.push(await attachBridge(world));
			}

			// Let the previous bridge's session end at the daemon before the next spawn.
			await sleep(20);
		}
	} finally {
		await world.dispose();
	}

	const bridge = summarize(bridgeSamples.map(sample => sample.totalMs));
	const initialize = summarize(bridgeSamples.map(sample => sample.initializeMs));
	const bare = summarize(bareSamples.map(sample => sample.totalMs));
	const rssMedian = median(bridgeSamples.map(sample => sample.rss));
	const pssMedian = median(bridgeSamples.map(sample => sample.pss));
	const bareRss = median(bareSamples.map(sample => sample.rss));
	const barePss = median(bareSamples.map(sample => sample.pss));
	const timeMet = bridge.p50 <= TARGET_MS;
	const rssMet = rssMedian / 2 ** 20 <= TARGET_RSS_MIB;

	const row = (label: string, summary: Summary, ratio: string, target: string) => [label, ...coarseTimingCells(summary), ratio, target];
	console.log();
	console.log(
		formatTable(
			['spawn → answer', 'n', 'p50 ms', 'p90 ms', 'max ms', 'p50 ÷ bare', `target p50 ≤ ${TARGET_MS} ms`],
			[
				row('bridge: first tools/list', bridge, `${(bridge.p50 / bare.p50).toFixed(2)}×`, timeMet ? 'met' : 'MISSED'),
				row('bridge: initialize (part)', initialize, `${(initialize.p50 / bare.p50).toFixed(2)}×`, ''),
				row('bare node -e, one line', bare, '1.00×', '(floor)'),
			],
			['left', 'right', 'right', 'right', 'right', 'right', 'left'],
		),
	);
	console.log();
	console.log(
		formatTable(
			['memory once answered', 'median RSS MiB', 'median PSS MiB', `target RSS ≤ ${TARGET_RSS_MIB} MiB`],
			[
				['bridge (after first tools/list)', mebibytes(rssMedian), mebibytes(pssMedian), rssMet ? 'met' : 'MISSED'],
				['bare node -e (after one line)', mebibytes(bareRss), mebibytes(barePss), '(floor)'],
			],
			['left', 'right', 'right', 'left'],
		),
	);
	const loadEnd = loadAverages();
	console.log(loadLine('load average at the end'));

	const round = (value: number) => Math.round(value * 100) / 100;
	const file = writeResults(context, 'attach', {
		benchmark: 'attach',
		machine,
		loadAverage: {start: loadStart, end: loadEnd},
		quick: context.quick,
		plan: {runs, warmup, servers: SERVER_KEYS, tools: bridgeSamples[0]?.tools},
		target: {p50Ms: TARGET_MS, rssMiB: TARGET_RSS_MIB},
		results: {
			bridge: {
				attach: bridge,
				initialize,
				medianRssBytes: rssMedian,
				medianPssBytes: pssMedian,
				ratioToBare: bridge.p50 / bare.p50,
				meetsTime: timeMet,
				meetsRss: rssMet,
			},
			bare: {attach: bare, medianRssBytes: bareRss, medianPssBytes: barePss},
		},
		samples: {
			bridge: bridgeSamples.map(sample => ({
				...sample,
				totalMs: round(sample.totalMs),
				initializeMs: round(sample.initializeMs),
			})),
			bare: bareSamples.map(sample => ({
				...sample,
				totalMs: round(sample.totalMs),
				initializeMs: round(sample.initializeMs),
			})),
		},
	});
	console.log(`wrote ${file}`);
	const ok = timeMet && rssMet;
	if (!ok) {
		console.log(
			`target missed: ${[
				timeMet ? '' : `attach p50 ${bridge.p50.toFixed(1)} ms > ${TARGET_MS} ms`,
				rssMet ? '' : `bridge RSS ${mebibytes(rssMedian)} MiB > ${TARGET_RSS_MIB} MiB`,
			]
				.filter(Boolean)
				.join('; ')}${context.quick ? ' (quick run: not enforced)' : ''}`,
		);
	}

	return {ok, files: [file]};
}

export const attach: Benchmark = {
	name: 'attach',
	description: "bridge spawn → first tools/list answered on a warm daemon, and the bridge's RSS/PSS, vs a bare node spawn",
	options: {'--runs=N': 'measured attaches (default 30, quick 5)'},
	run,
};
