/**
 * Runs the benchmarks: `npm run bench` all of them, `npm run bench -- NAME…` some,
 * `--quick` a short run for CI (figures printed, targets not enforced).
 * A new benchmark is a module exporting a `Benchmark`, added to BENCHMARKS below.
 */
import {existsSync, readdirSync, statSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {attach} from './attach.js';
import {clientRequests} from './client-requests.js';
import {fanIn} from './fan-in.js';
import {ipcFloor} from './ipc-floor.js';
import {latency} from './latency.js';
import {lazy} from './lazy.js';
import {noisyNeighbour} from './noisy-neighbour.js';
import {retrieval} from './retrieval.js';
import {sessionEnd} from './session-end.js';
import {throughput} from './throughput.js';
import type {Benchmark} from './lib/types.js';

const BENCHMARKS: readonly Benchmark[] = [
	latency,
	ipcFloor,
	retrieval,
	sessionEnd,
	attach,
	fanIn,
	throughput,
	noisyNeighbour,
	clientRequests,
	lazy,
];

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

function usage(): string {
	const lines = [
		'usage: npm run bench -- [NAME…] [--quick] [--profile DIR] [--NAME=VALUE…]',
		'',
		'  NAME           run only these benchmarks (default: all)',
		'  --quick        a short run for CI: figures printed, targets not enforced',
		'  --profile DIR  run the daemon and bridges under `node --cpu-prof`, writing .cpuprofile files into DIR',
		'                 (summarise: npx tsx bench/profile-summary.ts DIR --window=bench/out/latency.json)',
		'  --list         list the benchmarks',
		'',
		'benchmarks:',
	];
	for (const benchmark of BENCHMARKS) {
		lines.push(`  ${benchmark.name.padEnd(12)} ${benchmark.description}`);
		for (const [option, text] of Object.entries(benchmark.options ?? {})) {
			lines.push(`      ${option.padEnd(14)} ${text}`);
		}
	}

	return lines.join('\n');
}

type Parsed = {
	names: string[];
	quick: boolean;
	list: boolean;
	help: boolean;
	profileDir?: string;
	options: Map<string, string>;
};

function parse(argv: readonly string[]): Parsed {
	const parsed: Parsed = {names: [], quick: false, list: false, help: false, options: new Map()};
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index]!;
		if (arg === '--quick') {
			parsed.quick = true;
		} else if (arg === '--list') {
			parsed.list = true;
		} else if (arg === '--help' || arg === '-h') {
			parsed.help = true;
		} else if (arg === '--profile' || arg.startsWith('--profile=')) {
			const dir = arg === '--profile' ? argv[++index] : arg.slice('--profile='.length);
			if (!dir) {
				throw new Error('--profile needs a directory');
			}

			parsed.profileDir = resolve(dir);
		} else if (arg.startsWith('--')) {
			const [key, ...value] = arg.slice(2).split('=');
			if (value.length === 0) {
				throw new Error(`unknown option ${arg}; benchmark options take a value: --${key}=VALUE`);
			}

			parsed.options.set(key!, value.join('='));
		} else {
			parsed.names.push(arg);
		}
	}

	return parsed;
}

/** The newest modification time under `dir`, for telling a stale dist/ from a fresh one. */
function newest(dir: string): number {
	let latest = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const path = join(dir, entry.name);
		latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
	}

	return latest;
}

function checkDist(): void {
	const built = ['cli.js', 'bridge.js'].map(file => join(REPO, 'dist', file));
	const missing = built.filter(file => !existsSync(file));
	if (missing.length > 0) {
		throw new Error(`${missing.join(', ')} missing: build first with \`npx tsup --silent\``);
	}

	if (newest(join(REPO, 'src')) > Math.min(...built.map(file => statSync(file).mtimeMs))) {
		process.stderr.write(
			'bench: warning: src/ is newer than dist/; the figures are for the old build (rebuild with `npx tsup --silent`)\n',
		);
	}
}

async function main(): Promise<number> {
	const args = parse(process.argv.slice(2));
	if (args.help || args.list) {
		console.log(args.help ? usage() : BENCHMARKS.map(benchmark => `${benchmark.name}\t${benchmark.description}`).join('\n'));
		return 0;
	}

	const unknown = args.names.filter(name => !BENCHMARKS.some(benchmark => benchmark.name === name));
	if (unknown.length > 0) {
		throw new Error(`unknown benchmark ${unknown.join(', ')}; there are: ${BENCHMARKS.map(benchmark => benchmark.name).join(', ')}`);
	}

	const selected = args.names.length > 0 ? BENCHMARKS.filter(benchmark => args.names.includes(benchmark.name)) : BENCHMARKS;
	// A mistyped option would otherwise be ignored and the run would measure something else.
	const declared = new Set(
		selected.flatMap(benchmark => Object.keys(benchmark.options ?? {}).map(option => option.slice(2).split('=')[0]!)),
	);
	const stray = [...args.options.keys()].filter(key => !declared.has(key));
	if (stray.length > 0) {
		throw new Error(`no selected benchmark takes ${stray.map(key => `--${key}`).join(', ')}; see --help`);
	}

	checkDist();
	let ok = true;
	for (const benchmark of selected) {
		console.log(`== ${benchmark.name}${args.quick ? ' (quick)' : ''} ==`);
		const outcome = await benchmark.run({
			quick: args.quick,
			outDir: join(REPO, 'bench', 'out'),
			repo: REPO,
			options: args.options,
			...(args.profileDir && {profileDir: args.profileDir}),
		});
		ok &&= outcome.ok;
	}

	return ok || args.quick ? 0 : 1;
}

// Node prints a warning each time it recurs; the SDK's HTTP client (fetch sharing one AbortSignal
// across requests) raises MaxListenersExceededWarning on every call of a long run. Once per kind is enough.
const warned = new Set<string>();
process.removeAllListeners('warning');
process.on('warning', warning => {
	if (!warned.has(warning.name)) {
		warned.add(warning.name);
		process.stderr.write(
			`bench: ${warning.name} (shown once; it comes from the process running the benchmark, not the daemon): ${warning.message}\n`,
		);
	}
});

// Ctrl-C: exit normally, so the exit handlers stop what was started and remove temp directories.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.once(signal, () => process.exit(130));
}

main().then(
	code => process.exit(code),
	(error: unknown) => {
		process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(2);
	},
);
