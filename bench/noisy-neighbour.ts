/**
 * What one flooding server costs the other sessions: a session's `echo` on a good server, timed on
 * a quiet daemon and then while another session's call makes a misbehaving server send log
 * notifications as fast as it can — once to a client that reads them, once to a client that has
 * stopped reading (a suspended `claude`). Also the daemon's peak RSS against its idle RSS.
 * Targets: p50 within 3× of quiet, p99 under 100 ms, peak RSS within 256 MiB of idle.
 *
 * Run: `npm run bench -- noisy-neighbour [--quick] [--seconds=N]`.
 */
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {LineRpcChild} from './lib/line-rpc.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {mebibytes, processMemory} from './lib/memory.js';
import {serverEntries} from './lib/servers.js';
import {summarize, type Summary} from './lib/stats.js';
import {formatTable, timingCells} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld} from './lib/world.js';

const P50_RATIO_TARGET = 3;
const P99_TARGET_MS = 100;
const RSS_HEADROOM = 256 * 2 ** 20;

type Phase = {readonly name: string; readonly summary: Summary; readonly peakRss: number};

async function session(world: BenchWorld, name: string): Promise<LineRpcChild> {
	const bridge = new LineRpcChild(process.execPath, [world.bridge], world.env);
	await bridge.request(0, 'initialize', {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name, version: '1'}});
	bridge.notify('notifications/initialized');
	return bridge;
}

/** Echo calls one after another until `until` settles (at least `minimum`), timed; the daemon's RSS sampled meanwhile. */
async function echoes(
	neighbour: LineRpcChild,
	daemonPid: number,
	until: Promise<unknown>,
	minimum: number,
): Promise<{samples: number[]; peakRss: number}> {
	let done = false;
	void until.finally(() => {
		done = true;
	});
	const samples: number[] = [];
	let peakRss = processMemory(daemonPid)?.rss ?? 0;
	let sampledAt = performance.now();
	for (let id = 1; !done || samples.length < minimum; id++) {
		const started = performance.now();
		await neighbour.request(id, 'tools/call', {name: 'good__echo', arguments: {message: `call ${id}`}});
		samples.push(performance.now() - started);
		if (performance.now() - sampledAt > 100) {
			peakRss = Math.max(peakRss, processMemory(daemonPid)?.rss ?? 0);
			sampledAt = performance.now();
		}
	}

	return {samples, peakRss};
}

async function measure(context: BenchContext): Promise<BenchOutcome> {
	const floodSeconds = Number(context.options.get('seconds') ?? (context.quick ? 3 : 10));
	const world = new BenchWorld(context.repo);
	try {
		world.writeConfig({
			flooder: {command: process.execPath, args: [join(context.repo, 'test', 'support', 'misbehaving-server.mjs')]},
			good: serverEntries(context.repo, world.root, ['everything']).everything!,
		});
		const daemon = await world.startDaemon();
		const neighbour = await session(world, 'neighbour');
		const phases: Phase[] = [];
		await echoes(neighbour, daemon.pid, Promise.resolve(), 50); // warm-up
		const idleRss = processMemory(daemon.pid)?.rss ?? Number.NaN;

		const quiet = await echoes(neighbour, daemon.pid, sleep(floodSeconds * 1000), 200);
		phases.push({name: 'quiet daemon', summary: summarize(quiet.samples), peakRss: quiet.peakRss});

		for (const reading of [true, false]) {
			const flooded = await session(world, reading ? 'flooded-reading' : 'flooded-frozen');
			if (!reading) {
				flooded.child.stdout!.pause();
			}

			const flood = flooded.request(1, 'tools/call', {name: 'flooder__flood', arguments: {seconds: floodSeconds}});
			// A frozen client's reply waits until it reads again: the flood's end is the server's, timed here.
			const floodEnd = reading ? flood : sleep(floodSeconds * 1000);
			const during = await echoes(neighbour, daemon.pid, floodEnd, 50);
			phases.push({
				name: `flood, its client ${reading ? 'reading' : 'not reading'}`,
				summary: summarize(during.samples),
				peakRss: during.peakRss,
			});
			flooded.child.stdout!.resume();
			await flood;
			await flooded.close();
		}

		await neighbour.close();
		const quietP50 = phases[0]!.summary.p50;
		console.log(machineLine(describeMachine()));
		console.log(
			formatTable(
				['neighbour echo', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'p50 ratio', 'daemon peak RSS MiB'],
				phases.map(phase => [
					phase.name,
					...timingCells(phase.summary),
					`${(phase.summary.p50 / quietP50).toFixed(2)}×`,
					mebibytes(phase.peakRss),
				]),
				['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
			),
		);
		const floods = phases.slice(1);
		const checks = [
			{what: `p50 within ${P50_RATIO_TARGET}× of quiet`, met: floods.every(phase => phase.summary.p50 <= P50_RATIO_TARGET * quietP50)},
			{what: `p99 under ${P99_TARGET_MS} ms`, met: floods.every(phase => phase.summary.p99 < P99_TARGET_MS)},
			{
				what: `peak RSS within ${mebibytes(RSS_HEADROOM, 0)} MiB of idle (${mebibytes(idleRss)} MiB)`,
				met: floods.every(phase => phase.peakRss - idleRss < RSS_HEADROOM),
			},
		];
		for (const check of checks) {
			console.log(`target: ${check.what}: ${check.met ? 'met' : 'MISSED'}`);
		}

		const file = writeResults(context, 'noisy-neighbour', {machine: describeMachine(), floodSeconds, idleRss, phases, checks});
		return {ok: checks.every(check => check.met), files: [file]};
	} finally {
		await world.dispose();
	}
}

export const noisyNeighbour: Benchmark = {
	name: 'noisy-neighbour',
	description: "another session's echo during a notification flood (client reading / not reading) vs a quiet daemon; daemon peak RSS",
	options: {'--seconds=N': 'length of the quiet run and of each flood (default 10, quick 3)'},
	run: measure,
};
