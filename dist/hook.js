#!/usr/bin/env node
import {createRequire as __createRequire} from 'node:module';
const require = __createRequire(import.meta.url);

// src/config/paths.ts
import { homedir, tmpdir } from "os";
import { join } from "path";
var DEFAULT_DAEMON_NAME = "mcp-user";
function resolvePaths(name2 = DEFAULT_DAEMON_NAME, env = process.env) {
  const root = env.AITKIT_ROOT || join(homedir(), ".aitkit");
  const runDir = join(root, "run");
  const dataDir = env.MCPPROXY_DATA_DIR || join(root, "lib", "mcpproxy");
  return {
    root,
    runDir,
    registrationsDir: join(runDir, "mcp-servers", name2),
    pidFile: join(runDir, `mcp-proxy-${name2}.pid`),
    stateFile: join(runDir, `mcp-proxy-${name2}.json`),
    tokenFile: join(runDir, `mcp-proxy-${name2}.token`),
    lockFile: join(runDir, `mcp-proxy-${name2}.lock`),
    socketFile: socketPath(runDir, name2),
    dataDir,
    configFile: env.MCPPROXY_CONFIG_PATH || join(dataDir, "mcp_proxy_config.json"),
    logFile: join(dataDir, "mcp-proxy.log"),
    serverLogDir: join(dataDir, "servers")
  };
}
var MAX_SOCKET_PATH = 107;
function socketPath(runDir, name2) {
  const beside = join(runDir, `mcp-proxy-${name2}.sock`);
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) {
    return beside;
  }
  return join(tmpdir(), `mcp-tooling-${fnv1a(beside)}.sock`);
}
function fnv1a(text) {
  let hash = 2166136261;
  for (const byte of Buffer.from(text)) {
    hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// src/lifecycle/registrations.ts
import { createHash } from "crypto";
import { readdirSync, statSync } from "fs";
import { join as join2 } from "path";

// src/lifecycle/atomic-file.ts
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "fs";
import { dirname } from "path";

// src/lifecycle/unique-suffix.ts
var counter = 0;
function uniqueSuffix() {
  return `${process.pid}.${process.hrtime.bigint().toString(36)}.${(counter++).toString(36)}`;
}

// src/lifecycle/atomic-file.ts
var FILE_MODE = 384;
var DIR_MODE = 448;
var TMP_SUFFIX = ".tmp";
function errorCode(error) {
  return error?.code;
}
function tmpPathFor(path) {
  return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}
function writeTmp(path, text) {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const tmp = tmpPathFor(path);
  writeFileSync(tmp, text, { mode: FILE_MODE, flag: "wx" });
  return tmp;
}
function readTextIfExists(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return void 0;
    throw error;
  }
}
function unlinkIfExists(path) {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}
function writeFileAtomic(path, text) {
  const tmp = writeTmp(path, text);
  try {
    renameSync(tmp, path);
  } catch (error) {
    unlinkIfExists(tmp);
    throw error;
  }
}
function createExclusive(path, text) {
  const tmp = writeTmp(path, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  } finally {
    unlinkIfExists(tmp);
  }
}
function removeIfUnchanged(path, expected) {
  const aside = tmpPathFor(path);
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
  try {
    const moved = readTextIfExists(aside);
    if (moved === void 0) return false;
    if (moved === expected) return true;
    try {
      linkSync(aside, path);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
    return false;
  } finally {
    unlinkIfExists(aside);
  }
}

// src/lifecycle/process-identity.ts
import { readFileSync as readFileSync2 } from "fs";
function isValidPid(pid) {
  return Number.isSafeInteger(pid) && pid > 0;
}
function readStat(pid) {
  if (!isValidPid(pid)) return void 0;
  let text;
  try {
    text = readFileSync2(`/proc/${pid}/stat`, "utf8");
  } catch {
    return void 0;
  }
  const close = text.lastIndexOf(")");
  if (close < 0) return void 0;
  const fields = text.slice(close + 1).trim().split(" ");
  const state = fields[0];
  const startTime = fields[22 - 3];
  if (state === void 0 || startTime === void 0 || !/^\d+$/.test(startTime)) return void 0;
  return { state, startTime };
}
function hasExited(state) {
  return state === "Z" || state === "X";
}
function processStartTime(pid) {
  const stat = readStat(pid);
  return stat === void 0 || hasExited(stat.state) ? void 0 : stat.startTime;
}
function processCommandLine(pid) {
  if (!isValidPid(pid)) return void 0;
  try {
    return readFileSync2(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return void 0;
  }
}
var self;
function currentIdentity() {
  if (self === void 0) {
    const startTime = processStartTime(process.pid);
    if (startTime === void 0) throw new Error("Cannot read /proc/self/stat: mcp-tooling needs Linux /proc");
    self = { pid: process.pid, startTime };
  }
  return self;
}
function isSameProcessAlive(id) {
  return processStartTime(id.pid) === id.startTime;
}
function isPidAlive(pid) {
  if (!isValidPid(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  const stat = readStat(pid);
  return stat === void 0 || !hasExited(stat.state);
}

// src/lifecycle/registrations.ts
var ABANDONED_TMP_MS = 6e4;
function sessionFileName(clientPid2, sessionId) {
  const safe = /^[\w-]{1,100}$/.test(sessionId) ? sessionId : createHash("sha256").update(sessionId).digest("hex").slice(0, 32);
  return `${clientPid2}-${safe}.json`;
}
function parseSessionRecord(raw) {
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    return void 0;
  }
  if (typeof value !== "object" || value === null) return void 0;
  const { clientPid: clientPid2, clientStartTime, sessionId, projectDir, since } = value;
  if (typeof clientPid2 !== "number" || !Number.isSafeInteger(clientPid2) || clientPid2 <= 0) return void 0;
  if (typeof clientStartTime !== "string" || typeof sessionId !== "string" || typeof since !== "string") return void 0;
  if (projectDir !== void 0 && typeof projectDir !== "string") return void 0;
  const record = { clientPid: clientPid2, clientStartTime, sessionId, since };
  if (projectDir !== void 0) record.projectDir = projectDir;
  return record;
}
function register(dir, input) {
  const { clientPid: clientPid2, sessionId, projectDir } = input;
  const clientStartTime = processStartTime(clientPid2);
  if (clientStartTime === void 0) throw new Error(`Cannot register session ${sessionId}: client process ${clientPid2} is not running`);
  const path = join2(dir, sessionFileName(clientPid2, sessionId));
  const previousRaw = readTextIfExists(path);
  const previous = previousRaw === void 0 ? void 0 : parseSessionRecord(previousRaw);
  const since = previous?.clientStartTime === clientStartTime ? previous.since : (/* @__PURE__ */ new Date()).toISOString();
  const record = { clientPid: clientPid2, clientStartTime, sessionId, since };
  if (projectDir !== void 0) record.projectDir = projectDir;
  writeFileAtomic(path, `${JSON.stringify(record)}
`);
}
function unregister(dir, input) {
  return unlinkIfExists(join2(dir, sessionFileName(input.clientPid, input.sessionId)));
}
function forgetOtherSessions(dir, keep) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  const prefix = `${keep.clientPid}-`;
  const kept = sessionFileName(keep.clientPid, keep.sessionId);
  let forgotten = 0;
  for (const name2 of names) {
    if (name2.startsWith(prefix) && name2.endsWith(".json") && name2 !== kept && unlinkIfExists(join2(dir, name2))) forgotten++;
  }
  return forgotten;
}
function removeAbandonedTmp(path) {
  try {
    if (Date.now() - statSync(path).ctimeMs > ABANDONED_TMP_MS) unlinkIfExists(path);
  } catch {
  }
}
function readEntry(path) {
  try {
    return readTextIfExists(path);
  } catch {
    return void 0;
  }
}
function addSession(byClient, record) {
  const key = `${record.clientPid}:${record.clientStartTime}`;
  const existing = byClient.get(key);
  if (existing === void 0) {
    const registration = {
      clientPid: record.clientPid,
      clientStartTime: record.clientStartTime,
      sessionIds: [record.sessionId],
      since: record.since
    };
    if (record.projectDir !== void 0) registration.projectDir = record.projectDir;
    byClient.set(key, registration);
    return;
  }
  existing.sessionIds.push(record.sessionId);
  if (record.projectDir !== void 0) existing.projectDir = record.projectDir;
}
function liveRegistrations(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const records = [];
  for (const name2 of names) {
    const path = join2(dir, name2);
    if (name2.endsWith(TMP_SUFFIX)) {
      removeAbandonedTmp(path);
      continue;
    }
    if (!name2.endsWith(".json")) continue;
    const raw = readEntry(path);
    if (raw === void 0) continue;
    const record = parseSessionRecord(raw);
    const valid = record !== void 0 && sessionFileName(record.clientPid, record.sessionId) === name2;
    if (!valid || !isSameProcessAlive({ pid: record.clientPid, startTime: record.clientStartTime })) {
      removeIfUnchanged(path, raw);
      continue;
    }
    records.push(record);
  }
  records.sort((a, b) => a.since < b.since ? -1 : a.since > b.since ? 1 : 0);
  const byClient = /* @__PURE__ */ new Map();
  for (const record of records) addSession(byClient, record);
  return [...byClient.values()].sort((a, b) => a.clientPid - b.clientPid);
}

// src/hooks/hook-input.ts
async function readHookInput(stdin = process.stdin) {
  if (stdin.isTTY) {
    return {};
  }
  let text = "";
  for await (const chunk of stdin) {
    text += String(chunk);
  }
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
function clientPid(env = process.env) {
  const fromEnv = Number(env.CLAUDE_PID);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : process.ppid;
}
function sessionIdOf(input, env = process.env) {
  return input.session_id ?? env.CLAUDE_CODE_SESSION_ID ?? `pid-${clientPid(env)}`;
}

// src/hooks/session-end.ts
var SESSION_GOES_ON = /* @__PURE__ */ new Set(["clear", "resume"]);
async function sessionEnd(name2) {
  try {
    const input = await readHookInput();
    if (input.reason !== void 0 && SESSION_GOES_ON.has(input.reason)) {
      return 0;
    }
    unregister(resolvePaths(name2).registrationsDir, { clientPid: clientPid(), sessionId: sessionIdOf(input) });
  } catch (error) {
    process.stdout.write(`mcp-tooling: could not unregister this session (${error.message}); the daemon collects it once Claude exits.
`);
  }
  return 0;
}

// src/config/duplicates.ts
import { readFileSync as readFileSync3 } from "fs";
import { join as join3 } from "path";

// src/config/is-record.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/config/normalize.ts
function serverIdentity(raw) {
  if (!isRecord(raw)) return void 0;
  if (raw.type === "http" || raw.type === "sse") {
    return JSON.stringify({ type: raw.type, url: raw.url, headers: sortedMap(raw.headers) });
  }
  return JSON.stringify({ type: "stdio", command: raw.command, args: raw.args ?? [], env: sortedMap(raw.env), cwd: raw.cwd });
}
function namesByIdentity(servers) {
  const names = /* @__PURE__ */ new Map();
  for (const [name2, raw] of Object.entries(servers)) {
    const identity = serverIdentity(raw);
    if (identity !== void 0 && !names.has(identity)) names.set(identity, name2);
  }
  return names;
}
function sortedMap(value) {
  if (value === void 0) return [];
  if (!isRecord(value)) return value;
  return Object.entries(value).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

// src/config/duplicates.ts
function serversIn(file) {
  try {
    const value = JSON.parse(readFileSync3(file, "utf8"));
    return isRecord(value) && isRecord(value.mcpServers) ? value.mcpServers : {};
  } catch {
    return {};
  }
}
function projectDuplicates(projectDir, sharedConfigFile) {
  const file = join3(projectDir, ".mcp.json");
  const shared = namesByIdentity(serversIn(sharedConfigFile));
  return Object.entries(serversIn(file)).flatMap(([name2, raw]) => {
    const sharedAs = shared.get(serverIdentity(raw) ?? "");
    return sharedAs === void 0 ? [] : [{ file, name: name2, sharedAs, fix: `mcp-tooling servers import --from ${JSON.stringify(file)} --remove-from-source` }];
  });
}

// src/lifecycle/daemon-status.ts
import { request } from "http";

// src/daemon/endpoint-paths.ts
var STATUS_PATH = "/status";

// src/daemon/state.ts
function readState(file) {
  const text = readTextIfExists(file);
  if (!text) {
    return void 0;
  }
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function readToken(file) {
  return readTextIfExists(file)?.trim() || void 0;
}

// src/shared/log.ts
var REDACTED = "[redacted]";
var SENSITIVE_KEY = /token|secret|passw(?:or)?d|authorization|key|credential|cookie/i;
var MIN_SECRET_LENGTH = 4;
var TOKEN_PATTERNS = [
  // An HTTP credential after its scheme: "Authorization: Bearer …".
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`],
  // NAME=value, NAME: value and "NAME": "value" where NAME names a secret (command lines, URL queries, JSON
  // bodies); a `${VAR}` reference names where a secret comes from, not the secret, and stays.
  [
    /\b([\w-]*(?:token|secret|passw(?:or)?d|authorization|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?)("?\s*[=:]\s*"?)(?!\[redacted\]|Bearer\b|Basic\b|\$\{)([^\s"'&,;]+)/gi,
    `$1$2${REDACTED}`
  ],
  // The password in a URL's user info.
  [/(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Key formats of well-known services.
  [/\b(?:sk-[\w-]{6,}|gh[pousr]_\w{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|glpat-[\w-]{20,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})/g, REDACTED]
];
var Redactor = class {
  secrets = [];
  add(values) {
    const known = new Set(this.secrets);
    for (const value of values) {
      if (value.length >= MIN_SECRET_LENGTH) {
        known.add(value);
      }
    }
    this.secrets = [...known].sort((a, b) => b.length - a.length);
  }
  text(text) {
    let result = text;
    for (const secret of this.secrets) {
      result = result.replaceAll(secret, REDACTED);
    }
    for (const [pattern, replacement] of TOKEN_PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }
  /** A value as it may be shown; `key` is the name it goes by, if any. */
  value(value, key) {
    if (value === void 0 || value === null) {
      return value;
    }
    if (key !== void 0 && SENSITIVE_KEY.test(key)) {
      return REDACTED;
    }
    if (typeof value === "string") {
      return this.text(value);
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.value(item));
    }
    if (typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([name2, item]) => [name2, this.value(item, name2)]));
    }
    return value;
  }
};

// src/lifecycle/pid-file.ts
import { basename } from "path";
var LEGACY_MARKERS = ["mcp-tooling", "dist/cli.js"];
var DAEMON_COMMAND = /(?:^| )daemon run(?: |$)/;
function parseJsonRecord(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return void 0;
  }
  if (!isRecord(value)) return void 0;
  const { pid, startTime, name: name2, version } = value;
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return void 0;
  if (typeof startTime !== "string" || typeof name2 !== "string") return void 0;
  if (version !== void 0 && typeof version !== "string") return void 0;
  return version === void 0 ? { pid, startTime, name: name2 } : { pid, startTime, name: name2, version };
}
function adoptLegacy(pid, path) {
  if (!isPidAlive(pid)) return void 0;
  const command = processCommandLine(pid);
  if (command === void 0 || !DAEMON_COMMAND.test(command) || !LEGACY_MARKERS.some((marker) => command.includes(marker))) return void 0;
  const startTime = processStartTime(pid);
  if (startTime === void 0) return void 0;
  const name2 = basename(path).replace(/^mcp-proxy-/, "").replace(/\.pid$/, "");
  return { pid, startTime, name: name2 };
}
function parsePidFile(raw, path) {
  const text = raw.trim();
  return /^\d+$/.test(text) ? adoptLegacy(Number(text), path) : parseJsonRecord(text);
}
function liveDaemon(path) {
  const raw = readTextIfExists(path);
  if (raw === void 0) return void 0;
  const record = parsePidFile(raw, path);
  if (record !== void 0 && isSameProcessAlive(record)) return record;
  removeIfUnchanged(path, raw);
  return void 0;
}

// src/lifecycle/process-memory.ts
import { readdirSync as readdirSync2, readFileSync as readFileSync4 } from "fs";
function kilobytes(file, field) {
  let text;
  try {
    text = readFileSync4(file, "utf8");
  } catch {
    return void 0;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : void 0;
}
function one(pid) {
  if (!Number.isSafeInteger(pid) || pid <= 0) {
    return void 0;
  }
  const rss = kilobytes(`/proc/${pid}/status`, "VmRSS");
  return rss === void 0 ? void 0 : { rss, pss: kilobytes(`/proc/${pid}/smaps_rollup`, "Pss") };
}
function sum(pids) {
  const parts = pids.map(one).filter((part) => part !== void 0);
  if (parts.length === 0) {
    return null;
  }
  const pss = parts.every((part) => part.pss !== void 0) ? parts.reduce((total, part) => total + part.pss, 0) : null;
  return { rss: parts.reduce((total, part) => total + part.rss, 0), pss, processes: parts.length };
}
function processMemory(pid) {
  return sum([pid]);
}
function groupOf(pid) {
  try {
    const stat = readFileSync4(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return void 0;
  }
}
function groupMemory(leaders) {
  const wanted = new Set(leaders);
  const members = new Map(leaders.map((leader) => [leader, []]));
  let entries = [];
  try {
    entries = readdirSync2("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
  }
  for (const entry of entries) {
    const pid = Number(entry);
    const group = groupOf(pid);
    if (group !== void 0 && wanted.has(group)) {
      members.get(group).push(pid);
    }
  }
  return new Map([...members].map(([leader, pids]) => [leader, sum(pids.length > 0 ? pids : [leader])]));
}

// src/lifecycle/daemon-status.ts
async function fetchStatus(state, token, timeoutMs = 3e3) {
  return await getJson(state, token, STATUS_PATH, timeoutMs);
}
async function getJson(state, token, path, timeoutMs = 3e3) {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: state.port, path, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => body += chunk);
        response.on("end", () => {
          if (response.statusCode === 200) {
            resolve(JSON.parse(body));
          } else {
            reject(new Error(`the daemon answered ${path} with HTTP ${response.statusCode}: ${body.trim()}`));
          }
        });
      }
    );
    outgoing.on("error", reject);
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer on ${path} within ${timeoutMs} ms`)));
    outgoing.end();
  });
}
function countSessions(registrations, clients) {
  const registered = new Set(registrations.map((registration) => registration.clientPid));
  const unregistered = clients.filter((client) => client.connected && (client.clientPid === void 0 || !registered.has(client.clientPid)));
  return registrations.reduce((count, registration) => count + registration.sessionIds.length, 0) + unregistered.length;
}
function sessionRows(registrations, clients) {
  const connected = new Set(clients.filter((client) => client.connected).map((client) => client.clientPid));
  const sessions = clients.map(
    (client) => ({
      state: client.connected ? "live" : "idle",
      clientPid: client.clientPid ?? null,
      projectDir: client.projectDir ?? null,
      since: client.since,
      client: client.client,
      clientSessionIds: client.sessionId === void 0 ? [] : [client.sessionId],
      daemonSession: client.id
    })
  );
  const lingering = registrations.filter((registration) => !connected.has(registration.clientPid)).map(
    (registration) => ({
      state: "lingering",
      clientPid: registration.clientPid,
      projectDir: registration.projectDir ?? null,
      since: registration.since,
      client: null,
      clientSessionIds: registration.sessionIds,
      daemonSession: null
    })
  );
  return [...sessions, ...lingering];
}
function statusRedactor(token) {
  const redactor = new Redactor();
  redactor.add(token === void 0 ? [] : [token]);
  return redactor;
}
function withMemory(servers, redactor) {
  const memory = groupMemory(servers.flatMap((server) => server.pid === null ? [] : [server.pid]));
  return servers.map((server) => ({
    ...server,
    lastError: server.lastError === null ? null : redactor.text(server.lastError),
    memory: server.pid === null ? null : memory.get(server.pid) ?? null
  }));
}
async function collectStatus(name2, paths) {
  const record = liveDaemon(paths.pidFile);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  const current = record && state?.pid === record.pid ? state : void 0;
  const live = current && token ? await fetchStatus(current, token).catch(() => void 0) : void 0;
  const registrations = liveRegistrations(paths.registrationsDir);
  const redactor = statusRedactor(token);
  return {
    running: live !== void 0,
    name: name2,
    pid: record?.pid ?? null,
    port: current?.port ?? null,
    url: current?.url ?? null,
    tokenFile: paths.tokenFile,
    sessions: live ? countSessions(registrations, live.sessions) : 0,
    servers: live ? withMemory(live.servers, redactor) : [],
    version: current?.version ?? null,
    startedAt: current?.startedAt ?? null,
    configFile: current?.configFile ?? null,
    logFile: paths.logFile,
    registrations,
    clients: live?.sessions ?? [],
    collisions: live ? redactor.value(live.collisions) : [],
    routing: live?.routing ?? null,
    rss: live?.memory.rss ?? null,
    uptime: live && current ? Math.max(0, Math.round((Date.now() - Date.parse(current.startedAt)) / 1e3)) : null,
    memory: live && record ? processMemory(record.pid) : null,
    sessionList: sessionRows(registrations, live?.sessions ?? []),
    duplicates: duplicatesOf(registrations, live?.sessions ?? [], current?.configFile ?? paths.configFile),
    configError: live?.configError ? redactor.text(live.configError) : null
  };
}
function duplicatesOf(registrations, clients, configFile) {
  const projects = new Set([...registrations.map((registration) => registration.projectDir), ...clients.map((client) => client.projectDir)].filter((dir) => dir !== void 0));
  return [...projects].flatMap((dir) => projectDuplicates(dir, configFile));
}

// src/lifecycle/ensure-daemon.ts
import { existsSync, mkdirSync as mkdirSync2, openSync as openSync2, closeSync as closeSync2 } from "fs";
import { dirname as dirname2, join as join5 } from "path";
import { setTimeout as sleep2 } from "timers/promises";
import { fileURLToPath } from "url";

// src/lifecycle/lock.ts
import { setTimeout as sleep } from "timers/promises";
function holderText() {
  const holder = { ...currentIdentity(), token: uniqueSuffix() };
  return JSON.stringify(holder);
}
function parseHolder(raw) {
  try {
    const value = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return void 0;
    const { pid, startTime } = value;
    return typeof pid === "number" && typeof startTime === "string" ? { pid, startTime } : void 0;
  } catch {
    return void 0;
  }
}
function isStale(raw) {
  const holder = parseHolder(raw);
  return holder === void 0 || !isSameProcessAlive(holder);
}
function breakStaleLock(lockFile, staleRaw) {
  const breaker = `${lockFile}.break`;
  const mine = holderText();
  if (!createExclusive(breaker, mine)) {
    const other = readTextIfExists(breaker);
    if (other !== void 0 && isStale(other) && readTextIfExists(breaker) === other) unlinkIfExists(breaker);
    return false;
  }
  try {
    if (readTextIfExists(lockFile) === staleRaw) unlinkIfExists(lockFile);
    return true;
  } finally {
    if (readTextIfExists(breaker) === mine) unlinkIfExists(breaker);
  }
}
async function acquire(lockFile, timeoutMs, pollMs) {
  const mine = holderText();
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    if (createExclusive(lockFile, mine)) return mine;
    const raw = readTextIfExists(lockFile);
    if (raw === void 0) continue;
    if (isStale(raw) && breakStaleLock(lockFile, raw)) continue;
    if (Date.now() >= deadline) {
      const holder = parseHolder(raw)?.pid ?? "unknown";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for lock ${lockFile} held by pid ${holder}`);
    }
    await sleep(pollMs);
  }
}
function release(lockFile, mine) {
  if (readTextIfExists(lockFile) === mine) unlinkIfExists(lockFile);
}
async function withLock(lockFile, fn, options = {}) {
  const { timeoutMs = 1e4, pollMs = 15 } = options;
  const mine = await acquire(lockFile, timeoutMs, pollMs);
  try {
    return await fn();
  } finally {
    release(lockFile, mine);
  }
}

// src/lifecycle/log-file.ts
import { closeSync, copyFileSync, openSync, readSync, readdirSync as readdirSync3, statSync as statSync2, truncateSync } from "fs";
import { join as join4 } from "path";
var LOG_LIMIT_BYTES = 5 * 1024 * 1024;
function sizeOf(file) {
  try {
    return statSync2(file).size;
  } catch {
    return 0;
  }
}
function rotateLog(file, limit = LOG_LIMIT_BYTES) {
  if (sizeOf(file) <= limit) {
    return false;
  }
  copyFileSync(file, `${file}.1`);
  truncateSync(file, 0);
  return true;
}
function rotateLogs(logFile, serverLogDir, limit = LOG_LIMIT_BYTES) {
  let serverLogs = [];
  try {
    serverLogs = readdirSync3(serverLogDir).filter((name2) => name2.endsWith(".log")).map((name2) => join4(serverLogDir, name2));
  } catch {
  }
  for (const file of [logFile, ...serverLogs]) {
    try {
      rotateLog(file, limit);
    } catch {
    }
  }
}
function tailOf(file, lines) {
  const size = sizeOf(file);
  if (size === 0) {
    return "";
  }
  const length = Math.min(size, 16 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

// src/lifecycle/ensure-daemon.ts
function cliPath() {
  const here = dirname2(fileURLToPath(import.meta.url));
  const beside = join5(here, "cli.js");
  return existsSync(beside) ? beside : join5(here, "..", "..", "dist", "cli.js");
}
async function daemonAnswers(state, token, timeoutMs = 1e3) {
  const { request: request2 } = await import("http");
  return new Promise((resolve) => {
    const probe = request2(
      { host: "127.0.0.1", port: state.port, path: STATUS_PATH, headers: { authorization: `Bearer ${token}`, host: `127.0.0.1:${state.port}` }, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      }
    );
    probe.on("error", () => resolve(false));
    probe.on("timeout", () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}
async function runningDaemon(paths) {
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || !token || !isSameProcessAlive(state)) {
    return void 0;
  }
  return await daemonAnswers(state, token) ? { ...state, token } : void 0;
}
async function ensureDaemon(name2, options = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const paths = resolvePaths(name2, env);
  const running = await runningDaemon(paths);
  if (running) {
    return { ...running, started: false };
  }
  mkdirSync2(paths.runDir, { recursive: true, mode: 448 });
  return withLock(
    paths.lockFile,
    async () => {
      const winner = await settledDaemon(name2, paths, timeoutMs);
      if (winner) {
        return { ...winner, started: false };
      }
      return { ...await spawnDaemon(name2, paths, env, timeoutMs), started: true };
    },
    { timeoutMs: timeoutMs + 5e3 }
  );
}
async function settledDaemon(name2, paths, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    const state = readState(paths.stateFile);
    if (!state || !isSameProcessAlive(state)) {
      return void 0;
    }
    const token = readToken(paths.tokenFile);
    if (token && await daemonAnswers(state, token)) {
      return { ...state, token };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The mcp-tooling daemon "${name2}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1e3)} s; see ${paths.logFile}, or replace it with \`mcp-tooling daemon restart\`.`
      );
    }
    await sleep2(50);
  }
}
async function spawnDaemon(name2, paths, env, timeoutMs) {
  mkdirSync2(paths.dataDir, { recursive: true, mode: 448 });
  rotateLogs(paths.logFile, paths.serverLogDir);
  const log = openSync2(paths.logFile, "a", 384);
  const { spawn } = await import("child_process");
  const child = spawn(process.execPath, [cliPath(), "daemon", "run", name2, "--detached"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: withoutSessionVariables(env),
    cwd: paths.dataDir
  });
  closeSync2(log);
  child.unref();
  let exited;
  child.once("exit", (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once("error", (error) => {
    exited = error.message;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(paths.stateFile);
    if (state?.pid === child.pid) {
      const running = await runningDaemon(paths);
      if (running) {
        return running;
      }
    }
    if (exited) {
      throw new Error(`The mcp-tooling daemon "${name2}" exited at start (${exited}):
${tailOf(paths.logFile, 20)}
Full log: ${paths.logFile}`);
    }
    await sleep2(15);
  }
  throw new Error(`The mcp-tooling daemon "${name2}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}
var SESSION_VARIABLES = ["CLAUDE_PROJECT_DIR", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID", "CLAUDE_ENV_FILE"];
function withoutSessionVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name2]) => !SESSION_VARIABLES.includes(name2)));
}

// src/hooks/session-start.ts
async function sessionStart(name2) {
  const input = await readHookInput();
  const paths = resolvePaths(name2);
  try {
    const projectDir = process.env.CLAUDE_PROJECT_DIR ?? input.cwd;
    const session = { clientPid: clientPid(), sessionId: sessionIdOf(input) };
    register(paths.registrationsDir, { ...session, ...projectDir && { projectDir } });
    forgetOtherSessions(paths.registrationsDir, session);
    const daemon = await ensureDaemon(name2);
    const status = await collectStatus(name2, paths);
    const servers = status.servers.map((server) => `${server.name} (${server.state}${server.state === "ready" ? `, ${server.tools} tools` : ""})`);
    const trouble = status.servers.filter((server) => server.lastError).map((server) => `  - ${server.name}: ${server.lastError}`);
    const duplicates = projectDir ? projectDuplicates(projectDir, paths.configFile) : [];
    const lines = [
      `mcp-tooling: shared MCP proxy daemon "${name2}" ${daemon.started ? "started" : "running"} (pid ${daemon.pid}); its tools appear as mcp__plugin_mcp-tooling_mcp__<server>__<tool>.`,
      `Servers: ${servers.length > 0 ? servers.join(", ") : `none configured (add some to ${paths.configFile} or run \`mcp-tooling servers import\`)`}.`,
      ...trouble.length > 0 ? ["Problems:", ...trouble, "Run `mcp-tooling doctor` or /mcp-tooling:mcp-proxy-daemoning status for details."] : [],
      ...duplicates.map(
        (duplicate) => `Duplicate: ${duplicate.file} declares "${duplicate.name}", which the shared daemon already serves as "${duplicate.sharedAs}", so Claude Code runs a second copy. Use the shared one's tools (mcp__plugin_mcp-tooling_mcp__${duplicate.sharedAs}__\u2026); to remove the copy: ${duplicate.fix}`
      )
    ];
    process.stdout.write(`${lines.join("\n")}
`);
  } catch (error) {
    process.stdout.write(`mcp-tooling: the shared MCP daemon is not available: ${error.message}
See \`mcp-tooling daemon logs\` (${paths.logFile}).
`);
  }
  return 0;
}

// src/hook.ts
var [event, name = DEFAULT_DAEMON_NAME] = process.argv.slice(2);
var hooks = { "session-start": sessionStart, "session-end": sessionEnd };
var hook = event ? hooks[event] : void 0;
if (!hook) {
  process.stderr.write(`usage: node hook.js session-start|session-end [NAME]
`);
  process.exit(2);
}
process.exit(await hook(name));
