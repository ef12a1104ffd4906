import {join} from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {RequestOptions} from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import {
	ErrorCode,
	McpError,
	type JSONRPCRequest,
	type Notification,
	type Prompt,
	type Request,
	type Resource,
	type ResourceTemplate,
	type Result,
	type ServerCapabilities,
	type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type {ServerSpec} from '../config/schema.js';
import {VERSION} from '../version.js';
import {anyResult} from '../shared/any-result.js';
import {GLOBAL, instanceKey, type Placement} from './placement.js';
import {listAll} from './list-all.js';
import {ProcessTransport, type WireFaults} from './child-process-transport.js';
import {createTransport} from './transport.js';
import type {CatalogStore, Learned} from './catalog-store.js';

/** `idle`: not running, offered from the catalog it last listed; its next use starts it. */
export type UpstreamState = 'idle' | 'starting' | 'ready' | 'backoff' | 'stopped';

export type Catalog = {
	readonly tools: readonly Tool[];
	readonly prompts: readonly Prompt[];
	readonly resources: readonly Resource[];
	readonly resourceTemplates: readonly ResourceTemplate[];
};

const EMPTY_CATALOG: Catalog = {tools: [], prompts: [], resources: [], resourceTemplates: []};

/** The kinds of list a server offers, each announced by its own `list_changed`. */
export type CatalogKind = 'tools' | 'prompts' | 'resources';

/** What the proxy is told about an upstream; the upstream itself knows nothing of sessions. */
export type UpstreamEvents = {
	stateChanged(upstream: Upstream): void;
	catalogChanged(upstream: Upstream): void;
	notification(upstream: Upstream, notification: Notification): void;
	/** A request the server sends to its client: sampling, elicitation, roots. */
	request(upstream: Upstream, request: JSONRPCRequest, signal: AbortSignal): Promise<Result>;
};

export type UpstreamOptions = {
	readonly initTimeoutMs: number;
	readonly requestTimeoutMs: number;
	readonly healthIntervalMs: number;
	readonly maxMessageBytes: number;
	/** How long an instance may go unused before it is stopped until its next use; 0 never. */
	readonly serverIdleMs: number;
	readonly logDir: string;
	readonly catalogs: CatalogStore;
};

const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A server that stayed up this long has recovered: its next crash starts the backoff afresh. */
const STABLE_AFTER_MS = 30_000;

/**
 * One instance of an upstream MCP server, shared by the sessions of its scope (everyone, a
 * project, or one session): connects, lists what it offers, keeps that current, and restarts the
 * server with capped exponential backoff when it dies or stops answering pings. What it listed is
 * kept on disk: with that catalog a lazy instance is offered without running, starts on its first
 * use, and stops again once unused for its idle time.
 */
export class Upstream {
	state: UpstreamState = 'stopped';
	catalog: Catalog = EMPTY_CATALOG;
	capabilities: ServerCapabilities = {};
	instructions: string | undefined;
	serverInfo: Learned['serverInfo'];
	/** When the catalog was learned (read from disk, or listed live). */
	catalogFrom: number | undefined;
	/** When a request last went to the server or came back from it. */
	lastUsedAt: number | undefined;
	lastError: string | undefined;
	restarts = 0;
	/** Since the daemon started, over every restart. */
	readonly faults: WireFaults = {oversized: 0, invalid: 0};
	private client?: Client;
	private transport?: Transport;
	private failures = 0;
	private readyAt = 0;
	private retryTimer?: NodeJS.Timeout;
	private healthTimer?: NodeJS.Timeout;
	private settledWaiters: Array<() => void> = [];
	/** Bumped on every (re)connect, so late events of a replaced connection are ignored. */
	private generation = 0;
	/** The last catalog update, which the next one waits for. */
	private catalogUpdate: Promise<void> = Promise.resolve();
	private inFlight = 0;
	/** URIs the server was asked to watch: it must keep running to tell about them. */
	private readonly subscribed = new Set<string>();
	private idleTimer?: NodeJS.Timeout;
	/** Started from idle by a use and not yet ready: failing, it goes back to idle rather than retrying. */
	private waking = false;

	constructor(
		readonly spec: ServerSpec,
		private readonly options: UpstreamOptions,
		private readonly events: UpstreamEvents,
		readonly placement: Placement = GLOBAL,
	) {}

	get name(): string {
		return this.spec.name;
	}

	/** Unique among all instances, where `name` is shared by the instances of one entry. */
	get key(): string {
		return instanceKey(this.spec.name, this.placement);
	}

	get pid(): number | undefined {
		return this.transport instanceof ProcessTransport ? this.transport.pid : undefined;
	}

	get logFile(): string {
		return join(this.options.logDir, `${this.key}.log`);
	}

	/** Starts the server, or, for a lazy one with a catalog on disk, offers that catalog and waits for a use. */
	start(): void {
		const stored = this.spec.start === 'lazy' ? this.options.catalogs.load(this.spec, this.placement) : undefined;
		if (!stored) {
			this.launch();
			return;
		}

		this.capabilities = stored.capabilities;
		this.instructions = stored.instructions;
		this.serverInfo = stored.serverInfo;
		this.catalog = stored.catalog;
		this.catalogFrom = stored.savedAt;
		this.setState('idle');
	}

	/**
	 * Whether sessions see what it offers: while it runs, while idle, and while an idle one starts
	 * (its catalog stays until the live lists replace it; a first start has none yet).
	 */
	get offered(): boolean {
		return this.state === 'ready' || this.state === 'idle' || this.state === 'starting';
	}

	/** How long it may go unused before it stops until its next use; 0: it keeps running. */
	get idleMs(): number {
		return this.spec.start === 'eager' ? 0 : (this.spec.idleTimeoutMs ?? this.options.serverIdleMs);
	}

	private launch(): void {
		this.generation++;
		void this.connect(this.generation);
	}

	/** Resolves once the server is ready or has failed its current attempt. */
	async settled(): Promise<void> {
		if (this.state !== 'starting') {
			return;
		}

		await new Promise<void>(resolve => this.settledWaiters.push(resolve));
	}

	/** Sends a request to the server, starting it first if it is idle (and waiting while it starts). */
	async request(request: Request, options: RequestOptions = {}): Promise<Result> {
		this.inFlight++;
		this.lastUsedAt = Date.now();
		try {
			const result = await this.send(request, options);
			this.trackSubscription(request);
			return result;
		} finally {
			this.inFlight--;
			this.lastUsedAt = Date.now();
			this.armIdleStop();
		}
	}

	private async send(request: Request, options: RequestOptions): Promise<Result> {
		if (this.state === 'idle') {
			this.waking = true;
			this.launch();
		}

		const woke = this.state === 'starting';
		await this.settled();
		const client = this.client;
		if (this.state !== 'ready' || !client) {
			const what = woke ? 'did not start' : `is ${this.state}`;
			throw new Error(`server "${this.name}" ${what}${this.lastError ? `: ${this.lastError}` : ''}`);
		}

		const tool = request.method === 'tools/call' ? request.params?.name : undefined;
		if (woke && typeof tool === 'string' && !this.catalog.tools.some(offered => offered.name === tool)) {
			throw new McpError(
				ErrorCode.InvalidParams,
				`Tool "${tool}" is no longer offered by server "${this.name}": its tool list changed since it last ran.`,
			);
		}

		const transport = this.transport;
		try {
			return await client.request(request, anyResult, {
				timeout: this.options.requestTimeoutMs,
				resetTimeoutOnProgress: true,
				...options,
			});
		} catch (error) {
			// "Connection closed" says nothing; why the server went says what the caller needs.
			if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
				const reason = (transport instanceof ProcessTransport ? transport.exitReason : undefined) ?? this.lastError;
				throw new Error(`server "${this.name}" went down during the call${reason ? `: ${reason}` : ''}`);
			}

			throw error;
		}
	}

	private trackSubscription(request: Request): void {
		const uri = request.params?.uri;
		if (typeof uri !== 'string') return;
		if (request.method === 'resources/subscribe') this.subscribed.add(uri);
		if (request.method === 'resources/unsubscribe') this.subscribed.delete(uri);
	}

	/** Running with nothing that keeps it: no request in flight, no subscription. */
	private get unused(): boolean {
		return this.state === 'ready' && this.inFlight === 0 && this.subscribed.size === 0;
	}

	/**
	 * Stops the server after its idle time. One timer, not one per request: when it fires, a use
	 * since it was set moves it on to the idle time after that use.
	 */
	private armIdleStop(delayMs = this.idleMs): void {
		if (this.idleTimer === undefined && this.idleMs > 0 && this.unused) {
			this.idleTimer = setTimeout(() => this.idleCheck(), delayMs).unref();
		}
	}

	/** Something that keeps it running re-arms the timer when it ends (the last request, an unsubscribe). */
	private idleCheck(): void {
		this.idleTimer = undefined;
		const left = (this.lastUsedAt ?? 0) + this.idleMs - Date.now();
		if (left > 0) {
			this.armIdleStop(left);
		} else if (this.unused) {
			void this.toIdle();
		}
	}

	/** Stops the process and keeps offering its catalog; the next use starts it again. */
	private async toIdle(): Promise<void> {
		this.waking = false;
		const closed = this.disconnect();
		this.setState('idle');
		await closed;
	}

	/**
	 * Lets go of the running server, for every way it ends (stopped, idle, down): its timers stop,
	 * a new generation makes its late events and replies stale, and its process is closed.
	 */
	private disconnect(): Promise<void> {
		this.generation++;
		clearTimeout(this.retryTimer);
		clearInterval(this.healthTimer);
		clearTimeout(this.idleTimer);
		this.idleTimer = undefined;
		const transport = this.transport;
		this.transport = undefined;
		this.client = undefined;
		return transport?.close().catch(() => undefined) ?? Promise.resolve();
	}

	async notify(notification: Notification): Promise<void> {
		if (this.state === 'ready') {
			await this.client?.notification(notification);
		}
	}

	async stop(): Promise<void> {
		const closed = this.disconnect();
		this.setState('stopped');
		await closed;
	}

	private setState(state: UpstreamState): void {
		if (this.state === state) {
			return;
		}

		this.state = state;
		if (state !== 'starting') {
			for (const resolve of this.settledWaiters.splice(0)) {
				resolve();
			}
		}

		this.events.stateChanged(this);
	}

	private async connect(generation: number): Promise<void> {
		this.setState('starting');
		const client = new Client(
			{name: 'mcp-tooling', version: VERSION},
			{capabilities: {sampling: {}, elicitation: {form: {}, url: {}}, roots: {listChanged: true}}},
		);
		client.fallbackNotificationHandler = async notification => {
			if (generation === this.generation) {
				await this.onNotification(notification);
			}
		};

		client.fallbackRequestHandler = async (request, extra) => this.events.request(this, request, extra.signal);
		const transport = createTransport(this.spec, {
			logFile: this.logFile,
			maxMessageBytes: this.options.maxMessageBytes,
			faults: this.faults,
		});
		this.client = client;
		this.transport = transport;
		// While a remote server is being connected to, the failed connect() says why (an HTTP 401 and
		// its body, say); its close, reported first, would leave only "the connection closed".
		const remote = !(transport instanceof ProcessTransport);
		let connecting = true;
		client.onclose = () => {
			if (generation === this.generation && !(remote && connecting)) {
				// How the process ended says most (a missing command, an exit code); the last error
				// may be an older attempt's.
				const exitReason = transport instanceof ProcessTransport ? transport.exitReason : undefined;
				this.onDown(exitReason ?? this.lastError ?? 'the connection closed');
			}
		};

		try {
			await client.connect(transport, {timeout: this.spec.initTimeoutMs ?? this.options.initTimeoutMs});
			deferResponses(transport);
			this.capabilities = client.getServerCapabilities() ?? {};
			this.instructions = client.getInstructions();
			this.serverInfo = client.getServerVersion();
			await this.updateCatalog(client, generation);
		} catch (error) {
			if (generation === this.generation) {
				this.onDown(describe(error));
			}

			return;
		} finally {
			connecting = false;
		}

		if (generation !== this.generation) {
			return;
		}

		this.readyAt = Date.now();
		this.lastError = undefined;
		this.waking = false;
		// Being ready is news of a new catalog too: stateChanged covers both.
		this.setState('ready');
		this.healthTimer = setInterval(() => void this.checkHealth(generation), this.options.healthIntervalMs).unref();
		this.armIdleStop();
	}

	private onDown(reason: string): void {
		if (this.waking) {
			// Nobody used it but the call that woke it, which gets the reason; the next use tries again.
			this.lastError = reason;
			void this.toIdle();
			return;
		}

		void this.disconnect();
		// The server forgot them; sessions' subscriptions are renewed once it is ready again.
		this.subscribed.clear();
		this.lastError = reason;
		if (this.readyAt && Date.now() - this.readyAt > STABLE_AFTER_MS) {
			this.failures = 0;
		}

		const hadTools = this.catalog !== EMPTY_CATALOG;
		this.catalog = EMPTY_CATALOG;
		this.catalogFrom = undefined;
		this.readyAt = 0;
		const delay = Math.min(BACKOFF_FIRST_MS * 2 ** this.failures, BACKOFF_MAX_MS);
		this.failures++;
		this.restarts++;
		this.setState('backoff');
		if (hadTools) {
			this.events.catalogChanged(this);
		}

		const next = this.generation;
		this.retryTimer = setTimeout(() => void this.connect(next), delay).unref();
	}

	private async checkHealth(generation: number): Promise<void> {
		try {
			await this.client?.ping({timeout: Math.min(10_000, this.options.healthIntervalMs)});
		} catch (error) {
			if (generation === this.generation) {
				this.onDown(`health check failed: ${describe(error)}`);
			}
		}
	}

	private async onNotification(notification: Notification): Promise<void> {
		const kind = /^notifications\/(tools|prompts|resources)\/list_changed$/.exec(notification.method)?.[1];
		if (!kind || !this.client) {
			this.events.notification(this, notification);
			return;
		}

		const generation = this.generation;
		await this.updateCatalog(this.client, generation, kind as CatalogKind);
		if (generation === this.generation) {
			this.events.catalogChanged(this);
		}
	}

	/**
	 * Lists what the server offers (`only`: one kind) into the catalog. Updates run one after
	 * another and each lands on the catalog as it is then: servers announce list changes while
	 * the first listing is still under way (server-everything does, right after initialize), and
	 * an update that started from the catalog of its time wiped the kinds another one had just listed.
	 */
	private async updateCatalog(client: Client, generation: number, only?: CatalogKind): Promise<void> {
		const update = this.catalogUpdate
			.catch(() => undefined)
			.then(async () => {
				const lists = await this.fetchCatalog(client, only);
				if (generation === this.generation) {
					this.catalog = {...this.catalog, ...lists};
					this.remember();
				}
			});
		this.catalogUpdate = update;
		await update;
	}

	/** Keeps what it listed on disk, for lazy starts of this instance in this daemon and the next. */
	private remember(): void {
		this.catalogFrom = Date.now();
		const {capabilities, instructions, serverInfo, catalog} = this;
		this.options.catalogs.save(this.spec, this.placement, {capabilities, instructions, serverInfo, catalog});
	}

	/** Lists everything the server offers, following pagination; `only` lists one kind. */
	private async fetchCatalog(client: Client, only?: CatalogKind): Promise<Partial<Catalog>> {
		const capabilities = this.capabilities;
		const want = (kind: CatalogKind) => capabilities[kind] !== undefined && (only === undefined || only === kind);
		const [tools, prompts, resources, resourceTemplates] = await Promise.all([
			want('tools') ? listAll<Tool>(client, 'tools/list', 'tools') : undefined,
			want('prompts') ? listAll<Prompt>(client, 'prompts/list', 'prompts') : undefined,
			want('resources') ? listAll<Resource>(client, 'resources/list', 'resources') : undefined,
			// Templates are optional even for servers with resources.
			want('resources') ? listAll<ResourceTemplate>(client, 'resources/templates/list', 'resourceTemplates').catch(() => []) : undefined,
		]);
		return {
			...(tools && {tools}),
			...(prompts && {prompts}),
			...(resources && {resources}),
			...(resourceTemplates && {resourceTemplates}),
		};
	}
}

/**
 * The SDK runs a notification's handler a microtask late but settles a response at once, and
 * drops a request's progress handler with its response: a last progress notification read in
 * the same chunk as the result was lost (it is, talking to server-everything directly). A
 * response waits one microtask, behind any notification read before it.
 */
function deferResponses(transport: Transport): void {
	const receive = transport.onmessage;
	transport.onmessage = (message, extra) => {
		if ('id' in message && !('method' in message)) {
			queueMicrotask(() => receive?.(message, extra));
		} else {
			receive?.(message, extra);
		}
	};
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
