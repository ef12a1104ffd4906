import {Protocol} from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {ClientCapabilities, Implementation, Notification, Request, Result} from '@modelcontextprotocol/sdk/types.js';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {ClientIdentity} from '../contract/client-identity.js';
import type {RequestExtra, RoutedSession} from '../router/routed-session.js';
import type {FlowCounts} from './outbox.js';

export type SessionHandlers = {
	request(session: Session, request: Request, extra: RequestExtra): Promise<Result>;
	notification(session: Session, notification: Notification): Promise<void>;
};

/** The connection a session speaks over: HTTP requests, or a bridge's socket. */
export type Channel = Transport & {
	readonly sessionId: string;
	/** Connected, or a request in flight: such a session is never idle. */
	readonly connected: boolean;
	readonly lastActivity: number;
	/** What flow control and the size limit did to this session's traffic since it opened. */
	readonly flow: FlowCounts;
};

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
