import type {JSONRPCMessage, JSONRPCRequest, RequestId} from '@modelcontextprotocol/sdk/types.js';

type Match = (message: JSONRPCMessage) => boolean;

/** What one side of a conversation received, in order; a test waits for the message it expects. */
export class Messages {
	readonly all: JSONRPCMessage[] = [];
	private readonly waiting = new Set<{match: Match; resolve: (message: JSONRPCMessage) => void}>();

	readonly push = (message: JSONRPCMessage): void => {
		this.all.push(message);
		for (const waiter of this.waiting) {
			if (waiter.match(message)) {
				this.waiting.delete(waiter);
				waiter.resolve(message);
			}
		}
	};

	/** The first message that matches, received already or still to come. */
	async find<T extends JSONRPCMessage>(match: (message: JSONRPCMessage) => message is T, timeoutMs?: number): Promise<T>;
	async find(match: Match, timeoutMs?: number): Promise<JSONRPCMessage>;
	async find(match: Match, timeoutMs = 1000): Promise<JSONRPCMessage> {
		const found = this.all.find(match);
		if (found) {
			return found;
		}

		return new Promise((resolve, reject) => {
			const waiter = {match, resolve};
			this.waiting.add(waiter);
			setTimeout(() => {
				if (this.waiting.delete(waiter)) {
					reject(new Error(`no such message in ${timeoutMs} ms; received: ${JSON.stringify(this.all)}`));
				}
			}, timeoutMs).unref();
		});
	}

	filter(match: Match): JSONRPCMessage[] {
		return this.all.filter(match);
	}
}

export function isRequestFor(method: string): (message: JSONRPCMessage) => message is JSONRPCRequest {
	return (message): message is JSONRPCRequest => 'method' in message && 'id' in message && message.method === method;
}

export function isNotification(method: string): Match {
	return message => 'method' in message && !('id' in message) && message.method === method;
}

export function isReplyTo(id: RequestId): Match {
	return message => 'id' in message && !('method' in message) && message.id === id;
}
