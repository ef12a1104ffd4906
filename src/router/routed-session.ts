import type {Protocol, RequestHandlerExtra} from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
	ClientCapabilities,
	Implementation,
	Notification,
	Request,
	Result,
	ServerNotification,
	ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';

import type {ClientIdentity} from '../contract/client-identity.js';

/**
 * What the router needs of a client session: to ask it, to tell it, and what it said of itself at
 * `initialize`. The daemon's sessions are these; the router knows nothing of how they connect.
 */
export type RoutedSession = Pick<Protocol<Request, Notification, Result>, 'request' | 'notification'> & {
	clientCapabilities: ClientCapabilities;
	clientInfo: Implementation | undefined;
	/** Whom the session serves: its client and project, as its bridge said. */
	readonly identity: ClientIdentity;
};

/** What comes with a session's request: its id, progress token and cancellation. */
export type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;
