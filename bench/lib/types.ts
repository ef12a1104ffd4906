/** What the runner hands every benchmark. */
export type BenchContext = {
	/** A short run for CI: figures are printed, no target is enforced. */
	readonly quick: boolean;
	/** Where JSON results go (`bench/out`, gitignored). */
	readonly outDir: string;
	/** The repository root; `dist/` there is what gets measured. */
	readonly repo: string;
	/** Set by `--profile DIR`: the daemon runs under `node --cpu-prof` and writes its profile there. */
	readonly profileDir?: string;
	/** `--name=value` options the runner does not know itself, for the benchmark to read. */
	readonly options: ReadonlyMap<string, string>;
};

export type BenchOutcome = {
	/** False when a target was missed (only meaningful outside `--quick`). */
	readonly ok: boolean;
	/** Files the benchmark wrote. */
	readonly files: readonly string[];
};

export type Benchmark = {
	readonly name: string;
	/** One line for `--list` and `--help`. */
	readonly description: string;
	/** Options the benchmark reads from `BenchContext.options`, for `--help`. */
	readonly options?: Readonly<Record<string, string>>;
	run(context: BenchContext): Promise<BenchOutcome>;
};
