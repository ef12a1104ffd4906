import {Protocol} from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {ClientCapabilities, Implementation, Notification, Request, Result} from '@modelcontextprotocol/sdk/types.js';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {RequestExtra, RoutedSession} from '../router/routed-session.js';

export type SessionHandlers = {
	request(session: Session, request: Request, extra: RequestExtra): Promise<Result>;
	notification(session: Session, notification: Notification): Promise<void>;
};

/** The connection a session speaks over: HTTP requests, or a bridge's socket. */
export type Channel = Transport & {
	readonly sessionId: string;
	/** Connected, or a request in flight: such a session is never idle. */
	readonly busy: boolean;
	readonly lastActivity: number;
};

/** Who a bridge says it serves; plain SDK clients leave it empty. */
export type ClientIdentity = {clientPid?: number; sessionId?: string; projectDir?: string};

/** A client's word on whom it serves, as far as it makes sense: what does not is left out. */
export function clientIdentity(said: {clientPid?: unknown; sessionId?: unknown; projectDir?: unknown}): ClientIdentity {
	const clientPid = Number(said.clientPid);
	return {
		clientPid: Number.isSafeInteger(clientPid) && clientPid > 0 ? clientPid : undefined,
		sessionId: typeof said.sessionId === 'string' ? said.sessionId : undefined,
		projectDir: typeof said.projectDir === 'string' ? said.projectDir : undefined,
	};
}

/**
 * One client session of the daemon. The SDK's `Server` validates and reshapes every message;
 * a proxy must pass them on as they are, so this speaks the protocol through the SDK's
 * `Protocol` base and hands each request to the router untouched.
 */
export class Session extends Protocol<Request, Notification, Result> implements RoutedSession {
	readonly createdAt = Date.now();
	clientCapabilities: ClientCapabilities = {};
	clientInfo: Implementation | undefined;
	identity: ClientIdentity = {};

	constructor(
		readonly channel: Channel,
		handlers: SessionHandlers,
	) {
		super();
		this.fallbackRequestHandler = async (request, extra) => handlers.request(this, request, extra);
		this.fallbackNotificationHandler = async notification => handlers.notification(this, notification);
	}

	get id(): string {
		return this.channel.sessionId;
	}

	// The router checks what each side supports; the base class's hooks have nothing to add.
	protected assertCapabilityForMethod(): void {}
	protected assertNotificationCapability(): void {}
	protected assertRequestHandlerCapability(): void {}
	protected assertTaskCapability(): void {}
	protected assertTaskHandlerCapability(): void {}
}
