import {cliCommand} from '../shared/cli-command.js';
import {ConfigError, loadConfig, type ProxyConfig} from '../config/load.js';
import {plural} from '../shared/plural.js';
import {type CheckResult, fail, ok, warn} from './check.js';

export type ConfigCheck = {results: CheckResult[]; config?: ProxyConfig};

/** The config as the daemon would read it: the file as a whole, then each server entry. */
export function checkConfig(file: string, env: NodeJS.ProcessEnv = process.env): ConfigCheck {
	const title = 'Config file';
	let config: ProxyConfig;
	try {
		config = loadConfig(file, env);
	} catch (error) {
		if (!(error instanceof ConfigError)) {
			throw error;
		}

		// The message names the file, the place (line and column, or JSON path) and the fix.
		return {results: [fail('config', title, error.message.replace(/ Fix: .*$/s, ''), error.fix)]};
	}

	if (!config.exists) {
		return {
			config,
			results: [
				warn(
					'config',
					title,
					`${file} does not exist, so the daemon serves no servers`,
					`add servers with \`${cliCommand('servers add NAME -- COMMAND [ARGS…]')}\`, ` +
						`or copy them from Claude Code with \`${cliCommand('servers import')}\``,
				),
			],
		};
	}

	const usable = config.servers.filter(spec => !spec.disabled).length;
	const entries = `${plural(config.servers.length, 'valid server entry', 'valid server entries')} (${usable} enabled)`;
	const broken = config.broken.length === 0 ? '' : `; ${config.broken.length} invalid, below`;
	const results = [ok('config', title, `${file} parses: ${entries}${broken}`)];
	for (const broken of config.broken) {
		// An entry's error is one or more "WHERE: problem. Fix: fix." sentences.
		const fixes = [...broken.error.matchAll(/Fix: (.*?)\.(?= \$|$)/g)].map(match => match[1]!);
		const detail = `${file} at ${broken.error.replace(/ Fix: .*?\.(?= \$|$)/g, '')}`;
		results.push(
			fail(
				`config:${broken.name}`,
				`Config entry "${broken.name}"`,
				detail,
				fixes.length > 0 ? fixes.join('; ') : `correct $.mcpServers.${broken.name} in ${file}`,
			),
		);
	}

	return {config, results};
}
