import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {specForRoot} from '../config/entry.js';
import {describeTransport, type ProxyConfig, type ServerSpec} from '../config/schema.js';
import {configSecrets} from '../config/secrets.js';
import {tailOf} from '../lifecycle/log-file.js';
import {Redactor} from '../shared/log.js';
import {plural} from '../shared/plural.js';
import {listAll} from '../upstreams/list-all.js';
import {ProcessTransport} from '../upstreams/child-process-transport.js';
import {createTransport} from '../upstreams/transport.js';
import {VERSION} from '../version.js';
import {type CheckResult, fail, ok} from './check.js';

export type ServersOptions = {
	/** A project or session server is started for this project root. */
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** Caps each server's init timeout, e.g. for a quick look. */
	timeoutMs?: number;
};

/** Lines of a failing server's stderr to show: enough for a stack trace's message and origin. */
const STDERR_LINES = 12;
/** Listing tools after initialize gets this long, as the daemon's requests do by default. */
const LIST_TIMEOUT_MS = 30_000;

async function countTools(client: Client): Promise<number> {
	if (client.getServerCapabilities()?.tools === undefined) {
		return 0;
	}

	return (await listAll(client, 'tools/list', 'tools', {timeout: LIST_TIMEOUT_MS})).length;
}

/** fetch() says only "fetch failed"; the reason (ECONNREFUSED, a DNS error) is its cause. */
function describeError(error: unknown): string {
	if (!(error instanceof Error)) {
		return String(error);
	}

	const cause = error.cause as (Error & {code?: string}) | undefined;
	return cause instanceof Error ? `${error.message} (${cause.code ?? cause.message})` : error.message;
}

/** The server's own last lines, without the note the transport appends when the process ends. */
function serverOutput(logFile: string): string[] {
	const lines = tailOf(logFile, STDERR_LINES + 4).split('\n');
	const note = lines.findLastIndex(line => line.startsWith('[mcp-tooling] server process ended'));
	return (note === -1 ? lines : lines.slice(0, note)).filter(line => line.trim() !== '').slice(-STDERR_LINES);
}

function fixFor(spec: ServerSpec, error: string, file: string): string {
	const at = `$.mcpServers.${spec.name}`;
	if (spec.transport.kind !== 'stdio') {
		return `check "url" and "headers" at ${at} in ${file}, and that the server is reachable from here`;
	}

	if (error.startsWith('command not found')) {
		return `install ${spec.transport.command}, or set ${at}.command in ${file} to its full path`;
	}

	if (/timed out/i.test(error)) {
		return `see its output above; if it is only slow to start (npx downloading, say), set "initTimeout": SECONDS at ${at} in ${file}`;
	}

	return `fix what its output above reports (a missing env variable, package or credential), or set "disabled": true at ${at} in ${file}`;
}

/** Starts one server as the daemon would, lists its tools, and stops it. */
async function checkServer(
	spec: ServerSpec,
	config: ProxyConfig,
	logDir: string,
	options: ServersOptions,
	redactor: Redactor,
): Promise<CheckResult> {
	const id = `server:${spec.name}`;
	const title = `Server "${spec.name}"`;
	if (spec.disabled) {
		return ok(id, title, 'disabled in the config: not started');
	}

	const placed = spec.scope === 'global' ? spec : specForRoot(spec, options.cwd, options.env ?? process.env);
	if ('error' in placed) {
		return fail(id, title, redactor.text(placed.error), `correct $.mcpServers.${spec.name} in ${config.file}`);
	}

	const logFile = join(logDir, `${spec.name}.log`);
	const transport = createTransport(placed, {
		logFile,
		maxMessageBytes: config.settings.maxMessageBytes,
		faults: {oversized: 0, invalid: 0},
	});
	const client = new Client({name: 'mcp-tooling-doctor', version: VERSION}, {capabilities: {}});
	const timeoutMs = Math.min(placed.initTimeoutMs ?? config.settings.initTimeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
	const started = Date.now();
	const scope = spec.scope === 'global' ? '' : ` for ${spec.scope === 'project' ? 'project' : 'a session in'} ${options.cwd}`;
	try {
		await client.connect(transport, {timeout: timeoutMs});
		const tools = await countTools(client);
		return ok(
			id,
			title,
			`started${scope} (${redactor.text(describeTransport(placed.transport))}) ` +
				`and listed ${plural(tools, 'tool')} in ${Date.now() - started} ms`,
		);
	} catch (error) {
		// How the process ended says more than "connection closed"; wait for it to be known.
		await new Promise(resolve => setTimeout(resolve, 100));
		const exit = transport instanceof ProcessTransport ? transport.exitReason : undefined;
		const message = describeError(error);
		const reason = exit && !/timed out/i.test(message) ? exit : message;
		const stderr = placed.transport.kind === 'stdio' ? serverOutput(logFile) : [];
		return fail(
			id,
			title,
			`${redactor.text(describeTransport(placed.transport))} failed${scope} after ${Date.now() - started} ms: ${redactor.text(reason)}`,
			fixFor(placed, reason, config.file),
			stderr.length > 0 ? ['stderr (last lines):', ...stderr.map(line => `  ${redactor.text(line)}`)] : undefined,
		);
	} finally {
		await client.close().catch(() => undefined);
	}
}

/**
 * Starts every configured server here, in this process, as the daemon would (same transports,
 * same environment handling), lists its tools and stops it: a failing server shows its stderr,
 * which the daemon would only have put in its log. The servers start side by side.
 */
export async function checkServers(config: ProxyConfig, options: ServersOptions): Promise<CheckResult[]> {
	const logDir = mkdtempSync(join(tmpdir(), 'mcp-tooling-doctor-'));
	const redactor = new Redactor();
	redactor.add(configSecrets(config));
	try {
		return await Promise.all(config.servers.map(async spec => checkServer(spec, config, logDir, options, redactor)));
	} finally {
		rmSync(logDir, {recursive: true, force: true});
	}
}
