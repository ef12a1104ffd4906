import {ErrorCode, McpError, type Result, type Tool} from '@modelcontextprotocol/sdk/types.js';
import type {Settings} from '../config/settings.js';
import type {Directory} from './directory.js';
import type {Origin} from './names.js';
import {OutputStore} from './output-store.js';
import {CALL_TOOL, callToolTool, PROXY_TOOL_NAMES, RETRIEVE_TOOLS, retrieveToolsTool, type ServerSummary} from './proxy-tools.js';
import {READ_OUTPUT_TOOL, readOutput, readOutputTool} from './read-output.js';
import type {RoutedSession} from './routed-session.js';
import type {Resolve} from './starting.js';
import {type IndexedTool, ToolIndex, type ToolMatch} from './tool-index.js';
import {ToolPool} from './tool-pool.js';
import {truncateResult} from './truncate.js';

const DEFAULT_RETRIEVE_LIMIT = 10;
const CLOSEST_NAMES = 3;

/**
 * What a `tools/call` comes to: the proxy's own answer (`poolChanged` when a retrieval changed
 * the session's tool list), or an upstream tool for the router to forward to.
 */
export type ToolCall =
	| {readonly answer: Result; readonly poolChanged: boolean}
	| {readonly name: string; readonly origin: Origin; readonly args: Record<string, unknown>};

/**
 * What tools a session sees and what a call of one does, by routing mode: `direct` lists every
 * tool; `retrieve` lists only `retrieve_tools` and `call_tool`; `dynamic` also adds each
 * retrieval's best matches to that session's own bounded pool. In every mode a long output is
 * cut and the rest kept for `read_output`.
 */
export class ToolRouting {
	readonly index = new ToolIndex();
	private readonly outputs = new OutputStore();
	private readonly pools = new WeakMap<RoutedSession, ToolPool>();

	constructor(
		private readonly directory: Directory,
		private readonly settings: Settings,
		/** How names are looked up, the same for a tool called directly, through call_tool, or searched for. */
		private readonly resolve: Resolve,
	) {}

	/**
	 * Keeps the index current after one server's tools changed (none once it is down). Every
	 * server is looked at, not only that one: a new tool can take a name another server's tool
	 * had, and both give way to hashed names. Tools whose text is unchanged stay in place.
	 */
	serverChanged(server?: string): void {
		const byServer = toolsByServer(this.directory);
		if (server !== undefined && !byServer.has(server)) {
			byServer.set(server, []);
		}

		for (const [owner, tools] of byServer) {
			if (tools.length === 0) {
				this.index.removeServer(owner);
			} else {
				this.index.setServerTools(owner, tools);
			}
		}
	}

	/** Drops pooled tools that no longer exist (the tools list_changed sent for that covers the pools). */
	prunePools(sessions: Iterable<RoutedSession>): void {
		for (const session of sessions) {
			this.pools.get(session)?.retain(name => this.directory.tool(name) !== undefined);
		}
	}

	list(session: RoutedSession): Tool[] {
		const own = [readOutputTool];
		switch (this.settings.routing) {
			case 'direct': {
				return [...this.directory.tools.map(entry => entry.item), ...own];
			}

			case 'retrieve': {
				return [retrieveToolsTool(false, this.servers()), callToolTool, ...own];
			}

			case 'dynamic': {
				const pooled = new Set(this.pools.get(session)?.names);
				const tools = this.directory.tools.filter(entry => pooled.has(entry.item.name)).map(entry => entry.item);
				return [retrieveToolsTool(true, this.servers()), callToolTool, ...own, ...tools];
			}
		}
	}

	/** A `tools/call`. Upstream tools may be called by name in every mode (a client that learnt a name keeps it). */
	async call(session: RoutedSession, name: string, args: Record<string, unknown>): Promise<ToolCall> {
		switch (name) {
			case RETRIEVE_TOOLS: {
				return this.retrieve(session, args);
			}

			case CALL_TOOL: {
				const target = typeof args.name === 'string' ? args.name : '';
				const targetArgs = (typeof args.args === 'object' && args.args !== null ? args.args : {}) as Record<string, unknown>;
				if (target !== CALL_TOOL && (PROXY_TOOL_NAMES as readonly string[]).includes(target)) {
					// The directory reserves the proxy's own names, and forwarding one would look for a
					// server that does not exist: a model told to use call_tool uses it for read_output too.
					return this.call(session, target, targetArgs);
				}

				const origin = target === CALL_TOOL ? undefined : await this.resolve(() => this.directory.tool(target));
				if (!origin) {
					const closest = this.index.closest(target, CLOSEST_NAMES);
					throw new McpError(
						ErrorCode.InvalidParams,
						`Unknown tool "${target}".${closest.length > 0 ? ` Closest: ${closest.join(', ')}.` : ''} ` +
							`Use ${RETRIEVE_TOOLS} to find tools by what they do.`,
					);
				}

				return this.upstreamCall(session, target, origin, targetArgs);
			}

			case READ_OUTPUT_TOOL: {
				return {
					answer: readOutput(this.outputs, String(args.key), Number(args.offset) || 0, this.settings.maxOutputChars),
					poolChanged: false,
				};
			}

			default: {
				const origin = await this.resolve(() => this.directory.tool(name));
				if (!origin) {
					throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
				}

				return this.upstreamCall(session, name, origin, args);
			}
		}
	}

	/** An upstream tool's result as the session gets it: a long output cut, the rest kept for read_output. */
	output(result: Result): Result {
		return truncateResult(result, this.settings.maxOutputChars, this.outputs);
	}

	/** The servers whose tools can be found, with how many each has and what its entry says it is for. */
	private servers(): ServerSummary[] {
		return [...toolsByServer(this.directory)].map(([name, tools]) => ({
			name,
			tools: tools.length,
			description: this.directory.description(name),
		}));
	}

	private upstreamCall(session: RoutedSession, name: string, origin: Origin, args: Record<string, unknown>): ToolCall {
		this.pools.get(session)?.used(name);
		return {name, origin, args};
	}

	private async retrieve(session: RoutedSession, args: Record<string, unknown>): Promise<ToolCall> {
		const query = typeof args.query === 'string' ? args.query : '';
		const limit = Number.isInteger(args.limit) && (args.limit as number) > 0 ? Math.min(args.limit as number, 50) : DEFAULT_RETRIEVE_LIMIT;
		const matches = (await this.resolve(() => nonEmpty(this.index.search(query, limit)))) ?? [];
		const tools = matches.map(match => ({
			name: match.name,
			server: match.server,
			description: match.tool.description ?? '',
			score: Math.round(match.score * 1000) / 1000,
			inputSchema: match.tool.inputSchema,
			...(match.tool.annotations && {annotations: match.tool.annotations}),
		}));
		let poolChanged = false;
		if (this.settings.routing === 'dynamic' && matches.length > 0) {
			let pool = this.pools.get(session);
			if (!pool) {
				pool = new ToolPool(this.settings.toolsLimit);
				this.pools.set(session, pool);
			}

			poolChanged = pool.add(matches.slice(0, this.settings.topK).map(match => match.name));
		}

		const text =
			tools.length > 0 ? JSON.stringify({tools}, null, 2) : `No tool matches "${query}". Try other words for what you want to do.`;
		return {answer: {content: [{type: 'text', text}], structuredContent: {tools}}, poolChanged};
	}
}

function nonEmpty(matches: ToolMatch[]): ToolMatch[] | undefined {
	return matches.length > 0 ? matches : undefined;
}

/** A directory's tools as the index takes them, by server: exposed names, the servers' own definitions. */
export function toolsByServer(directory: Directory): Map<string, IndexedTool[]> {
	const byServer = new Map<string, IndexedTool[]>();
	for (const entry of directory.tools) {
		const origin = directory.tool(entry.item.name);
		const tools = byServer.get(entry.server) ?? [];
		byServer.set(entry.server, tools);
		// The index reads the server's own tool name, not the namespaced one.
		tools.push({
			name: entry.item.name,
			server: entry.server,
			tool: {...entry.item, name: origin?.name ?? entry.item.name},
		});
	}

	return byServer;
}
