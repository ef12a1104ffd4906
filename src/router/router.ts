import {
	ErrorCode,
	LATEST_PROTOCOL_VERSION,
	McpError,
	SUPPORTED_PROTOCOL_VERSIONS,
	type JSONRPCRequest,
	type LoggingLevel,
	type Request,
	type Result,
} from '@modelcontextprotocol/sdk/types.js';
import type {Settings} from '../config/settings.js';
import {anyResult} from '../shared/any-result.js';
import {basename} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Upstream} from '../upstreams/upstream.js';
import {VERSION} from '../version.js';
import type {Logger} from '../shared/log.js';
import {Callers, type Call, type Turns} from './callers.js';
import type {Notifications} from './notifications.js';
import {paginate} from './paginate.js';
import {rewriteUris} from './rewrite-uris.js';
import type {RequestExtra, RoutedSession} from './routed-session.js';
import {whileStarting} from './starting.js';
import type {View} from './view.js';

/** Which client capability a server-to-client request needs. */
const CLIENT_CAPABILITY: Record<string, 'sampling' | 'elicitation' | 'roots'> = {
	'sampling/createMessage': 'sampling',
	'elicitation/create': 'elicitation',
	'roots/list': 'roots',
};

export type RouterContext = {
	readonly settings: Settings;
	/** Every open session. */
	sessions(): Iterable<RoutedSession>;
	readonly log: Logger;
	/** What a session sees: its names and the instances behind them. */
	view(session: RoutedSession): View;
	/** What sessions asked of notifications (log level, subscriptions), and where list changes are told. */
	readonly notifications: Notifications;
};

/**
 * Turns a session's request into requests to upstream servers and their answers back into one
 * answer, translating names both ways. Holds no session state of its own beyond what is in flight.
 */
export class Router {
	private readonly callers: Callers;
	/** Until when requests wait for servers in their first start. */
	private readonly firstStartsUntil = Date.now() + FIRST_START_WAIT_MS;

	constructor(private readonly context: RouterContext) {
		this.callers = new Callers({
			timeoutMs: context.settings.requestTimeoutMs,
			onSerialize: (upstream, why) =>
				context.log.info('server asks its clients questions: calls from different sessions now take turns', {
					server: upstream.name,
					why,
				}),
		});
	}

	/** Whether `upstream` takes turns between sessions, and how long calls waited for it. */
	turns(upstream: Upstream): Turns {
		return this.callers.turns(upstream);
	}

	async handle(session: RoutedSession, request: Request, extra: RequestExtra): Promise<Result> {
		const params = (request.params ?? {}) as Record<string, unknown>;
		const view = this.context.view(session);
		const {directory} = view;
		switch (request.method) {
			case 'initialize': {
				// The answer carries each ready server's instructions, and there is no telling a session
				// about them later: a session opened as the daemon comes up waits as tools/list would.
				await this.firstStarts(view);
				return this.initialize(session, view, params);
			}

			case 'tools/list': {
				await this.firstStarts(view);
				return listPage('tools', view.tools.list(session), params, this.context.settings.pageSize);
			}

			case 'prompts/list': {
				await this.firstStarts(view);
				return listPage(
					'prompts',
					directory.prompts.map(entry => entry.item),
					params,
					this.context.settings.pageSize,
				);
			}

			case 'resources/list': {
				await this.firstStarts(view);
				return listPage(
					'resources',
					directory.resources.map(entry => entry.item),
					params,
					this.context.settings.pageSize,
				);
			}

			case 'resources/templates/list': {
				await this.firstStarts(view);
				return listPage(
					'resourceTemplates',
					directory.resourceTemplates.map(entry => entry.item),
					params,
					this.context.settings.pageSize,
				);
			}

			case 'tools/call': {
				const call = await view.tools.call(session, String(params.name), (params.arguments ?? {}) as Record<string, unknown>);
				if ('answer' in call) {
					if (call.poolChanged) {
						this.context.notifications.listChanged([session], ['tools']);
					}

					return call.answer;
				}

				const {origin} = call;
				const result = await this.forward(
					session,
					view,
					origin.server,
					{method: request.method, params: {...params, name: origin.name, arguments: call.args}},
					extra,
				);
				return view.tools.output(rewriteUris(result, uri => directory.exposedUri(origin.server, uri)));
			}

			case 'prompts/get': {
				const name = String(params.name);
				const origin = await view.resolve(() => directory.prompt(name));
				if (!origin) {
					throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
				}

				const result = await this.forward(
					session,
					view,
					origin.server,
					{method: request.method, params: {...params, name: origin.name}},
					extra,
				);
				return rewriteUris(result, uri => directory.exposedUri(origin.server, uri));
			}

			case 'resources/read':
			case 'resources/subscribe':
			case 'resources/unsubscribe': {
				const uri = String(params.uri);
				const origin = await view.resolve(() => directory.resource(uri));
				if (!origin) {
					throw new McpError(ErrorCode.InvalidParams, `Unknown resource: ${uri}`);
				}

				if (request.method === 'resources/read') {
					const result = await this.forward(
						session,
						view,
						origin.server,
						{method: request.method, params: {...params, uri: origin.name}},
						extra,
					);
					return rewriteUris(result, raw => directory.exposedUri(origin.server, raw));
				}

				await this.context.notifications.subscription(
					session,
					request.method === 'resources/subscribe',
					uri,
					view.upstream(origin.server)!,
					origin.name,
				);
				return {};
			}

			case 'completion/complete': {
				const ref = (params.ref ?? {}) as {type?: string; name?: string; uri?: string};
				const origin = ref.type === 'ref/prompt' ? directory.prompt(String(ref.name)) : directory.resource(String(ref.uri));
				if (!origin) {
					throw new McpError(ErrorCode.InvalidParams, `Unknown completion reference: ${JSON.stringify(ref)}`);
				}

				const upstreamRef = ref.type === 'ref/prompt' ? {...ref, name: origin.name} : {...ref, uri: origin.name};
				return this.forward(session, view, origin.server, {method: request.method, params: {...params, ref: upstreamRef}}, extra);
			}

			case 'logging/setLevel': {
				await this.context.notifications.setLogLevel(session, params.level as LoggingLevel);
				return {};
			}

			default: {
				throw new McpError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`);
			}
		}
	}

	/**
	 * A request a server sends its client. It goes to a session only when the daemon knows it is
	 * the one: the only session with calls in flight to that instance, or, outside any call, the
	 * only session the instance serves. Anything else is answered as a client without the feature
	 * would, never guessed: a question meant for one session's user must not reach another's. Such
	 * a request during a call also makes the instance take turns between sessions from then on, so
	 * the next one is known. A project's instance is always told its project's root: that is what it serves.
	 */
	async clientRequest(upstream: Upstream, request: JSONRPCRequest, signal: AbortSignal): Promise<Result> {
		if (request.method === 'roots/list' && upstream.placement.scope === 'project') {
			const {root} = upstream.placement;
			return {roots: [{uri: pathToFileURL(root).href, name: basename(root)}]};
		}

		const caller = this.callers.callerOf(upstream);
		// A server that asks during calls will again: from now on the asker is known. One that asks
		// outside any call (roots at start) shows nothing of the kind, and keeps its concurrency.
		if (caller.kind !== 'none') {
			this.callers.serialize(upstream, `it sent ${request.method} during a call`);
		}

		const capability = CLIENT_CAPABILITY[request.method];
		const able = (session: RoutedSession) => !capability || session.clientCapabilities[capability] !== undefined;
		const ask = async (session: RoutedSession, relatedRequestId?: Call['requestId']) =>
			session.request({method: request.method, params: request.params}, anyResult, {
				signal,
				relatedRequestId,
				timeout: this.context.settings.requestTimeoutMs,
			});
		if (caller.kind === 'one' && able(caller.call.session)) {
			return ask(caller.call.session, caller.call.requestId);
		}

		const served = [...this.context.sessions()].filter(session => this.context.view(session).includes(upstream));
		if (caller.kind === 'none' && served.length === 1 && able(served[0]!)) {
			return ask(served[0]!);
		}

		const why =
			caller.kind === 'several'
				? 'calls from several sessions were in flight, so whose call asked could not be told; calls from different ' +
					'sessions now take turns, and a retry is answered by its caller'
				: caller.kind === 'one'
					? `the calling session's client does not declare the ${capability} capability`
					: 'no call was in flight to tie it to a session';
		const answer = unattributedAnswer(upstream, request.method, served, why);
		// Only a choice between sessions is worth a warning; with nobody to ask there was nothing to get wrong.
		const level = caller.kind === 'several' ? 'warn' : 'info';
		this.context.log[level]('server request not attributed to one session; answered as a client without the feature', {
			server: upstream.name,
			method: request.method,
			why,
			answered: 'error' in answer ? answer.error : JSON.stringify(answer.result),
		});
		if ('error' in answer) {
			throw new McpError(ErrorCode.InvalidRequest, answer.error);
		}

		return answer.result;
	}

	private initialize(session: RoutedSession, view: View, params: Record<string, unknown>): Result {
		session.clientCapabilities = (params.capabilities ?? {}) as RoutedSession['clientCapabilities'];
		session.clientInfo = params.clientInfo as RoutedSession['clientInfo'];
		const requested = String(params.protocolVersion);
		const instructions = view
			.members()
			.filter(upstream => upstream.instructions)
			.map(upstream => `## ${upstream.name}\n${upstream.instructions!.trim()}`)
			.join('\n\n');
		return {
			protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
			capabilities: {
				tools: {listChanged: true},
				prompts: {listChanged: true},
				resources: {subscribe: true, listChanged: true},
				logging: {},
				completions: {},
			},
			serverInfo: {name: 'mcp-tooling', version: VERSION},
			...(instructions && {
				instructions:
					'Tools, prompts and resources here come from several MCP servers, named <server>__<name>. ' +
					`What each server says about itself:\n\n${instructions}`,
			}),
		};
	}

	private async forward(session: RoutedSession, view: View, server: string, request: Request, extra: RequestExtra): Promise<Result> {
		const upstream = view.upstream(server);
		if (!upstream) {
			throw new McpError(ErrorCode.InternalError, `Server "${server}" is no longer running.`);
		}

		const progressToken = extra._meta?.progressToken;
		const call: Call = {session, requestId: extra.requestId};
		return this.callers.during(upstream, call, extra.signal, async () => {
			// Progress sent after the result would reach a client that stopped listening for it, so the
			// result waits for every relayed progress notification, which go out in order.
			let relayed = Promise.resolve();
			const result = await upstream.request(request, {
				signal: extra.signal,
				onprogress:
					progressToken === undefined
						? undefined
						: progress => {
								relayed = relayed
									.then(async () =>
										session.notification(
											{method: 'notifications/progress', params: {...progress, progressToken}},
											{relatedRequestId: extra.requestId},
										),
									)
									.catch(() => undefined);
							},
			});
			await relayed;
			return result;
		});
	}

	/**
	 * Waits for servers still in their first start, so a session that connects while the daemon
	 * comes up sees them at once; a slow server is waited for only so long, then announced
	 * later with `list_changed`. The wait is counted from the daemon's start, not per request: a
	 * server hanging at initialize would otherwise hold up every list a client asks for in turn.
	 */
	private async firstStarts(view: View): Promise<void> {
		await whileStarting(
			view.members().filter(upstream => upstream.restarts === 0),
			this.firstStartsUntil - Date.now(),
		);
	}
}

const FIRST_START_WAIT_MS = 5000;

function listPage(key: string, items: readonly unknown[], params: Record<string, unknown>, pageSize: number): Result {
	const page = paginate(items, params.cursor, pageSize);
	return {[key]: page.items, ...(page.nextCursor && {nextCursor: page.nextCursor})};
}

/**
 * What a client without the feature would answer a server's request that belongs to no one
 * session. Roots: those every session of the instance shares (the project all of them are in), or
 * none; for a global instance used from several projects that is none, and the server keeps its own.
 */
function unattributedAnswer(
	upstream: Upstream,
	method: string,
	served: readonly RoutedSession[],
	why: string,
): {result: Result} | {error: string} {
	switch (method) {
		case 'roots/list': {
			const projects = new Set(served.map(session => session.identity.projectDir));
			const [project] = projects;
			const shared = projects.size === 1 && project !== undefined;
			return {result: {roots: shared ? [{uri: pathToFileURL(project).href, name: basename(project)}] : []}};
		}

		case 'elicitation/create': {
			return {result: {action: 'decline'}};
		}

		default: {
			return {error: `Server "${upstream.name}" sent ${method}, and no session connected through mcp-tooling was asked: ${why}.`};
		}
	}
}
