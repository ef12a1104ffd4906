import type {Result} from '@modelcontextprotocol/sdk/types.js';

type Content = {type?: string; uri?: string; resource?: {uri?: string}};

function rewriteContent(content: Content, expose: (uri: string) => string): Content {
	if (content.type === 'resource_link' && typeof content.uri === 'string') {
		return {...content, uri: expose(content.uri)};
	}

	if (content.type === 'resource' && typeof content.resource?.uri === 'string') {
		return {...content, resource: {...content.resource, uri: expose(content.resource.uri)}};
	}

	return content;
}

/**
 * A session must be able to read a resource a server pointed it to, so URIs inside results get
 * the same namespace as listed ones: tool content, prompt messages and read contents.
 */
export function rewriteUris(result: Result, expose: (uri: string) => string): Result {
	const {content, messages, contents} = result as {
		content?: Content[];
		messages?: Array<{content?: Content}>;
		contents?: Array<{uri?: string}>;
	};
	if (Array.isArray(content) && content.some(item => item.type === 'resource_link' || item.type === 'resource')) {
		return {...result, content: content.map(item => rewriteContent(item, expose))};
	}

	if (Array.isArray(messages)) {
		return {
			...result,
			messages: messages.map(message => (message.content ? {...message, content: rewriteContent(message.content, expose)} : message)),
		};
	}

	if (Array.isArray(contents)) {
		return {
			...result,
			contents: contents.map(item => (typeof item.uri === 'string' ? {...item, uri: expose(item.uri)} : item)),
		};
	}

	return result;
}
