import type {Prompt, Resource, ResourceTemplate, Tool} from '@modelcontextprotocol/sdk/types.js';
import type {CatalogKind, Upstream} from '../upstreams/upstream.js';
import {assignNames, namespaceUri, splitNamespacedUri, uriAlias, type NameCollision, type Origin} from './names.js';

/** The server name collisions give for the proxy's own tools. */
const PROXY_SERVER = 'mcp-tooling';

type Exposed<T> = {readonly item: T; readonly server: string};

/**
 * Everything the offered upstreams offer (running or idle), under the names sessions see, and the way back from
 * those names to a server and its own name. Rebuilt whole whenever a server's lists change:
 * cheap next to the round trip that caused it, and never half-updated.
 */
export class Directory {
	tools: ReadonlyArray<Exposed<Tool>> = [];
	prompts: ReadonlyArray<Exposed<Prompt>> = [];
	resources: ReadonlyArray<Exposed<Resource>> = [];
	resourceTemplates: ReadonlyArray<Exposed<ResourceTemplate>> = [];
	/** Names two non-namespaced servers both claim; the one listed first keeps them. */
	collisions: NameCollision[] = [];
	private toolNames = new Map<string, Origin>();
	private promptNames = new Map<string, Origin>();
	private aliases = new Map<string, string>();
	private fingerprints = new Map<CatalogKind, string>();
	private offering: Upstream[] = [];

	constructor(private readonly reservedToolNames: readonly string[] = []) {}

	/** Returns the kinds whose exposed lists changed. */
	rebuild(upstreams: Iterable<Upstream>): CatalogKind[] {
		const offering = [...upstreams].filter(upstream => upstream.offered).sort((a, b) => a.name.localeCompare(b.name));
		this.offering = offering;
		const namespaced = new Map(offering.map(upstream => [upstream.name, upstream.spec.namespace]));
		this.aliases = new Map(offering.filter(upstream => upstream.spec.namespace).map(upstream => [uriAlias(upstream.name), upstream.name]));

		// The proxy's own tools come first, so they keep their names and a server claiming one collides.
		const tools = assignNames([
			...this.reservedToolNames.map(name => ({server: PROXY_SERVER, name, namespace: false})),
			...offering.flatMap(upstream =>
				upstream.catalog.tools.map(tool => ({
					server: upstream.name,
					name: tool.name,
					namespace: upstream.spec.namespace,
				})),
			),
		]);
		const prompts = assignNames(
			offering.flatMap(upstream =>
				upstream.catalog.prompts.map(prompt => ({
					server: upstream.name,
					name: prompt.name,
					namespace: upstream.spec.namespace,
				})),
			),
		);
		this.toolNames = tools.names;
		this.promptNames = prompts.names;
		this.collisions = [...tools.collisions, ...prompts.collisions, ...uriCollisions(offering.filter(upstream => !upstream.spec.namespace))];

		const byServer = new Map(offering.map(upstream => [upstream.name, upstream]));
		this.tools = exposeNamed(tools.names, origin => byServer.get(origin.server)?.catalog.tools.find(tool => tool.name === origin.name));
		this.prompts = exposeNamed(prompts.names, origin =>
			byServer.get(origin.server)?.catalog.prompts.find(prompt => prompt.name === origin.name),
		);
		const exposeUri = (server: string, uri: string) => (namespaced.get(server) ? namespaceUri(server, uri) : uri);
		this.resources = offering.flatMap(upstream =>
			upstream.catalog.resources.map(resource => ({
				server: upstream.name,
				item: {...resource, uri: exposeUri(upstream.name, resource.uri)},
			})),
		);
		this.resourceTemplates = offering.flatMap(upstream =>
			upstream.catalog.resourceTemplates.map(template => ({
				server: upstream.name,
				item: {...template, uriTemplate: exposeUri(upstream.name, template.uriTemplate)},
			})),
		);

		const changed: CatalogKind[] = [];
		for (const [kind, items] of [
			['tools', this.tools],
			['prompts', this.prompts],
			['resources', [...this.resources, ...this.resourceTemplates]],
		] as const) {
			const fingerprint = JSON.stringify(items);
			if (this.fingerprints.get(kind) !== fingerprint) {
				this.fingerprints.set(kind, fingerprint);
				changed.push(kind);
			}
		}

		return changed;
	}

	tool(name: string): Origin | undefined {
		return this.toolNames.get(name);
	}

	prompt(name: string): Origin | undefined {
		return this.promptNames.get(name);
	}

	/**
	 * The server behind a URI a session uses: a namespaced one by its alias; an unprefixed one
	 * (from a non-namespaced server, or copied out of a tool result) by which server lists it or
	 * has a template whose fixed start it matches.
	 */
	resource(uri: string): Origin | undefined {
		// A server without a namespace listing this very URI owns it, even one that looks namespaced (git+ssh://).
		const exact = this.offering.find(
			upstream => !upstream.spec.namespace && upstream.catalog.resources.some(resource => resource.uri === uri),
		);
		if (exact) {
			return {server: exact.name, name: uri};
		}

		const split = splitNamespacedUri(uri);
		const server = split && this.aliases.get(split.alias);
		if (split && server) {
			return {server, name: split.uri};
		}

		const owner =
			this.offering.find(upstream => upstream.catalog.resources.some(resource => resource.uri === uri)) ??
			this.offering.find(upstream =>
				upstream.catalog.resourceTemplates.some(template => uri.startsWith(template.uriTemplate.split('{')[0]!)),
			);
		return owner ? {server: owner.name, name: uri} : undefined;
	}

	/** The URI a session sees for a server's URI. */
	exposedUri(server: string, uri: string): string {
		return this.aliases.get(uriAlias(server)) === server ? namespaceUri(server, uri) : uri;
	}

	/** What an offered server's entry says it is for. */
	description(server: string): string | undefined {
		return this.offering.find(upstream => upstream.name === server)?.spec.description;
	}
}

function exposeNamed<T extends {name: string}>(names: Map<string, Origin>, find: (origin: Origin) => T | undefined): Array<Exposed<T>> {
	const exposed: Array<Exposed<T>> = [];
	for (const [name, origin] of names) {
		const item = find(origin);
		if (item) {
			exposed.push({server: origin.server, item: {...item, name}});
		}
	}

	return exposed;
}

/** URIs and URI templates that two servers without a namespace both offer: the first listed keeps them. */
function uriCollisions(unnamespaced: readonly Upstream[]): NameCollision[] {
	const owners = new Map<string, string[]>();
	for (const upstream of unnamespaced) {
		const uris = new Set([
			...upstream.catalog.resources.map(resource => resource.uri),
			...upstream.catalog.resourceTemplates.map(template => template.uriTemplate),
		]);
		for (const uri of uris) {
			owners.set(uri, [...(owners.get(uri) ?? []), upstream.name]);
		}
	}

	return [...owners].filter(([, servers]) => servers.length > 1).map(([name, servers]) => ({name, servers}));
}
