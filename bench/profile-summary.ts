/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`, e.g. `npm run bench -- latency --profile DIR`):
 * where the busy time went, by package, by source module and by function.
 *
 *   npx tsx bench/profile-summary.ts DIR_OR_FILE… [--top=N] [--window=bench/out/latency.json | --window=FROM_US:TO_US]
 *
 * `--window` keeps only the samples of the measured phase (no start-up, warm-up or shutdown): a
 * benchmark's JSON names it as `measuredWindow` on the monotonic clock that V8 stamps profiles
 * with, together with the number of daemon calls in it, which adds a µs-per-call column.
 *
 * The daemon is one bundled file (dist/cli.js); tsup/esbuild leaves a `// path/to/module.ts`
 * comment where each module starts, so every bundled line is traced back to its source module.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {formatTable} from './lib/table.js';

type CallFrame = {functionName: string; url: string; lineNumber: number; columnNumber: number};
type ProfileNode = {id: number; callFrame: CallFrame; children?: number[]};
type CpuProfile = {nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[]};

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Line → source module for a bundled file, from esbuild's `// module/path` markers. */
class ModuleMap {
	private readonly cache = new Map<string, Array<{line: number; module: string}>>();

	moduleOf(url: string, line: number): string {
		if (!url) {
			return '(native)';
		}

		if (url.startsWith('node:')) {
			return url;
		}

		const markers = this.markers(url);
		let found: string | undefined;
		for (const marker of markers) {
			if (marker.line > line) {
				break;
			}

			found = marker.module;
		}

		return found ?? url.replace(/^file:\/\//, '');
	}

	private markers(url: string): Array<{line: number; module: string}> {
		let markers = this.cache.get(url);
		if (!markers) {
			markers = [];
			try {
				const text = readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8');
				text.split('\n').forEach((content, line) => {
					const match = /^\/\/ ((?:src|node_modules)\/\S+\.[cm]?[jt]sx?)$/.exec(content);
					if (match) {
						markers!.push({line, module: match[1]!});
					}
				});
			} catch {
				// Not readable here: modules stay unnamed.
			}

			this.cache.set(url, markers);
		}

		return markers;
	}
}

/** Which package a module belongs to: `src` (this project), an npm package, or node itself. */
function packageOf(module: string): string {
	if (module.startsWith('src/')) {
		return 'src (mcp-tooling)';
	}

	if (module.startsWith('node:') || module === '(native)') {
		return 'node internals';
	}

	const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
	return match ? match[1]! : module;
}

function profileFiles(args: readonly string[]): string[] {
	return args.flatMap(arg =>
		statSync(arg).isDirectory()
			? readdirSync(arg)
					.filter(file => file.endsWith('.cpuprofile'))
					.map(file => join(arg, file))
			: [arg],
	);
}

function add(map: Map<string, number>, key: string, value: number): void {
	map.set(key, (map.get(key) ?? 0) + value);
}

function top(map: Map<string, number>, count: number): Array<[string, number]> {
	return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}

type Window = {startMicros: number; endMicros: number; daemonCalls?: number};

function readWindow(option: string): Window {
	const range = /^(\d+):(\d+)$/.exec(option);
	if (range) {
		return {startMicros: Number(range[1]), endMicros: Number(range[2])};
	}

	const window = (JSON.parse(readFileSync(option, 'utf8')) as {measuredWindow?: Window}).measuredWindow;
	if (!window) {
		throw new Error(`${option} names no measuredWindow`);
	}

	return window;
}

function summarise(file: string, topCount: number, modules: ModuleMap, window?: Window): void {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map(node => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) {
		for (const child of node.children ?? []) {
			parent.set(child, node.id);
		}
	}

	const describe = (node: ProfileNode) => {
		const {functionName, url, lineNumber} = node.callFrame;
		const module = modules.moduleOf(url, lineNumber);
		return {
			name: functionName || '(anonymous)',
			module,
			key: `${functionName || '(anonymous)'}  ${module}:${lineNumber + 1}`,
		};
	};

	const selfByFunction = new Map<string, number>();
	const totalByFunction = new Map<string, number>();
	const selfByModule = new Map<string, number>();
	const selfByPackage = new Map<string, number>();
	let idle = 0;
	let total = 0;
	// Sample i lasted until the next sample was taken.
	let at = profile.startTime;
	for (let index = 0; index < profile.samples.length; index++) {
		at += profile.timeDeltas[index] ?? 0;
		if (window && (at < window.startMicros || at > window.endMicros)) {
			continue;
		}

		const micros = profile.timeDeltas[index + 1] ?? 0;
		const node = byId.get(profile.samples[index]!)!;
		total += micros;
		if (node.callFrame.functionName === '(idle)') {
			idle += micros;
			continue;
		}

		const leaf = describe(node);
		add(selfByFunction, leaf.key, micros);
		const special = SPECIAL.has(leaf.name);
		add(selfByModule, special ? leaf.name : leaf.module, micros);
		add(selfByPackage, special ? leaf.name : packageOf(leaf.module), micros);

		// Total time: each function on the stack once, however often it recurs.
		const seen = new Set<string>();
		for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
			const frame = describe(byId.get(id)!);
			if (!SPECIAL.has(frame.name) && !seen.has(frame.key)) {
				seen.add(frame.key);
				add(totalByFunction, frame.key, micros);
			}
		}
	}

	const busy = total - idle;
	const msText = (micros: number) => (micros / 1000).toFixed(1);
	const pct = (micros: number) => `${((100 * micros) / busy).toFixed(1)}%`;
	const calls = window?.daemonCalls;
	const rows = (entries: Array<[string, number]>) =>
		entries.map(([key, micros]) => [msText(micros), pct(micros), ...(calls ? [(micros / calls).toFixed(1)] : []), key]);
	const header = ['ms', '% busy', ...(calls ? ['µs/call'] : []), ''];
	const align = ['right', 'right', ...(calls ? ['right' as const] : []), 'left'] as const;

	console.log(
		`# ${file}${window ? ` (window ${window.startMicros}–${window.endMicros} µs${calls ? `, ${calls} daemon calls` : ''})` : ''}`,
	);
	if (total === 0) {
		console.log('no samples in this window (was this profile taken during that run?)\n');
		return;
	}

	console.log(`profile ${msText(total)} ms, busy ${msText(busy)} ms (${((100 * busy) / total).toFixed(1)}%), idle ${msText(idle)} ms\n`);
	console.log('self time by package');
	console.log(formatTable(header, rows(top(selfByPackage, topCount)), [...align]));
	console.log('\nself time by module');
	console.log(formatTable(header, rows(top(selfByModule, topCount)), [...align]));
	console.log('\nself time by function');
	console.log(formatTable(header, rows(top(selfByFunction, topCount)), [...align]));
	const project = new Map([...totalByFunction].filter(([key]) => key.includes('  src/')));
	console.log('\ntotal (inclusive) time of mcp-tooling functions (src/)');
	console.log(formatTable(header, rows(top(project, topCount)), [...align]));
	console.log();
}

const args = process.argv.slice(2);
const topOption = args.find(arg => arg.startsWith('--top='));
const windowOption = args.find(arg => arg.startsWith('--window='));
const paths = args.filter(arg => !arg.startsWith('--'));
if (paths.length === 0 || paths.some(path => !existsSync(path))) {
	console.error(
		'usage: npx tsx bench/profile-summary.ts DIR_OR_FILE.cpuprofile… [--top=N] [--window=bench/out/latency.json | --window=FROM_US:TO_US]',
	);
	process.exit(2);
}

const modules = new ModuleMap();
for (const file of profileFiles(paths)) {
	summarise(
		file,
		topOption ? Number(topOption.slice('--top='.length)) : 25,
		modules,
		windowOption ? readWindow(windowOption.slice('--window='.length)) : undefined,
	);
}
