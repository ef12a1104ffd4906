#!/usr/bin/env node
import {createRequire as __createRequire} from 'node:module';
const require = __createRequire(import.meta.url);

// src/config/paths.ts
import { homedir } from "os";
import { join } from "path";
var DEFAULT_DAEMON_NAME = "mcp-user";
function resolvePaths(name = DEFAULT_DAEMON_NAME, env = process.env) {
  const root = env.AITKIT_ROOT || join(homedir(), ".aitkit");
  const runDir = join(root, "run");
  const dataDir = env.MCPPROXY_DATA_DIR || join(root, "lib", "mcpproxy");
  return {
    root,
    runDir,
    registrationsDir: join(runDir, "mcp-servers", name),
    pidFile: join(runDir, `mcp-proxy-${name}.pid`),
    stateFile: join(runDir, `mcp-proxy-${name}.json`),
    tokenFile: join(runDir, `mcp-proxy-${name}.token`),
    lockFile: join(runDir, `mcp-proxy-${name}.lock`),
    dataDir,
    configFile: env.MCPPROXY_CONFIG_PATH || join(dataDir, "mcp_proxy_config.json"),
    logFile: join(dataDir, "mcp-proxy.log"),
    serverLogDir: join(dataDir, "servers")
  };
}

// src/lifecycle/ensure-daemon.ts
import { existsSync, mkdirSync as mkdirSync2, openSync as openSync2, closeSync as closeSync2 } from "fs";
import { request } from "http";
import { dirname as dirname2, join as join3 } from "path";
import { setTimeout as sleep2 } from "timers/promises";
import { fileURLToPath } from "url";

// src/daemon/endpoint-paths.ts
var MCP_PATH = "/mcp";
var STATUS_PATH = "/status";

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

// src/lifecycle/lock.ts
import { setTimeout as sleep } from "timers/promises";

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

// src/lifecycle/lock.ts
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
import { closeSync, copyFileSync, openSync, readSync, readdirSync, statSync, truncateSync } from "fs";
import { join as join2 } from "path";
var LOG_LIMIT_BYTES = 5 * 1024 * 1024;
function sizeOf(file) {
  try {
    return statSync(file).size;
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
    serverLogs = readdirSync(serverLogDir).filter((name) => name.endsWith(".log")).map((name) => join2(serverLogDir, name));
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
  const beside = join3(here, "cli.js");
  return existsSync(beside) ? beside : join3(here, "..", "..", "dist", "cli.js");
}
async function daemonAnswers(state, token, timeoutMs = 1e3) {
  return new Promise((resolve) => {
    const probe = request(
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
function recordedDaemon(name, env = process.env) {
  const paths = resolvePaths(name, env);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  return state && token && isSameProcessAlive(state) ? { ...state, token } : void 0;
}
async function runningDaemon(paths) {
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || !token || !isSameProcessAlive(state)) {
    return void 0;
  }
  return await daemonAnswers(state, token) ? { ...state, token } : void 0;
}
async function ensureDaemon(name, options = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const paths = resolvePaths(name, env);
  const running = await runningDaemon(paths);
  if (running) {
    return { ...running, started: false };
  }
  mkdirSync2(paths.runDir, { recursive: true, mode: 448 });
  return withLock(
    paths.lockFile,
    async () => {
      const winner = await settledDaemon(name, paths, timeoutMs);
      if (winner) {
        return { ...winner, started: false };
      }
      return { ...await spawnDaemon(name, paths, env, timeoutMs), started: true };
    },
    { timeoutMs: timeoutMs + 5e3 }
  );
}
async function settledDaemon(name, paths, timeoutMs) {
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
        `The mcp-tooling daemon "${name}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1e3)} s; see ${paths.logFile}, or replace it with \`mcp-tooling daemon restart\`.`
      );
    }
    await sleep2(50);
  }
}
async function spawnDaemon(name, paths, env, timeoutMs) {
  mkdirSync2(paths.dataDir, { recursive: true, mode: 448 });
  rotateLogs(paths.logFile, paths.serverLogDir);
  const log = openSync2(paths.logFile, "a", 384);
  const { spawn } = await import("child_process");
  const child = spawn(process.execPath, [cliPath(), "daemon", "run", name], {
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
      throw new Error(`The mcp-tooling daemon "${name}" exited at start (${exited}):
${tailOf(paths.logFile, 20)}
Full log: ${paths.logFile}`);
    }
    await sleep2(15);
  }
  throw new Error(`The mcp-tooling daemon "${name}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}
var SESSION_VARIABLES = ["CLAUDE_PROJECT_DIR", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID", "CLAUDE_ENV_FILE"];
function withoutSessionVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SESSION_VARIABLES.includes(name)));
}

// src/shared/line-splitter.ts
var LineSplitter = class {
  constructor(onLine) {
    this.onLine = onLine;
  }
  onLine;
  parts = [];
  push(chunk) {
    let start = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      const tail = chunk.slice(start, newline);
      const line = this.parts.length === 0 ? tail : [...this.parts, tail].join("");
      this.parts = [];
      this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) {
      this.parts.push(chunk.slice(start));
    }
  }
};
function jsonLines(onMessage, onGarbage) {
  return new LineSplitter((line) => {
    if (line.trim() === "") {
      return;
    }
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      onGarbage(line);
      return;
    }
    if (typeof message === "object" && message !== null) {
      onMessage(message);
    } else {
      onGarbage(line);
    }
  });
}

// src/daemon/client-headers.ts
var CLIENT_HEADERS = {
  clientPid: "x-mcp-tooling-client-pid",
  sessionId: "x-mcp-tooling-session-id",
  projectDir: "x-mcp-tooling-project-dir"
};

// src/bridge/daemon-link.ts
import { Agent, request as request2 } from "http";

// src/bridge/sse-parser.ts
var SseParser = class {
  constructor(onData) {
    this.onData = onData;
  }
  onData;
  lines = new LineSplitter((line) => this.line(line));
  data = [];
  push(chunk) {
    this.lines.push(chunk);
  }
  line(line) {
    if (line === "") {
      if (this.data.length > 0) {
        const data = this.data.join("\n");
        this.data = [];
        this.onData(data);
      }
      return;
    }
    if (line.startsWith("data:")) {
      this.data.push(line.slice(line[5] === " " ? 6 : 5));
    }
  }
};

// src/bridge/daemon-link.ts
var NotDelivered = class extends Error {
};
var IDLE_CHECK_MS = 20;
var UNSENT_CODES = /* @__PURE__ */ new Set(["ECONNREFUSED", "ENOTFOUND", "EADDRNOTAVAIL"]);
var DaemonLink = class {
  constructor(endpoint) {
    this.endpoint = endpoint;
  }
  endpoint;
  agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  lastUsed = 0;
  headers(sessionId, extra = {}) {
    return {
      host: `127.0.0.1:${this.endpoint.port}`,
      authorization: `Bearer ${this.endpoint.token}`,
      accept: "application/json, text/event-stream",
      ...sessionId && { "mcp-session-id": sessionId },
      ...extra
    };
  }
  /** POSTs one message; every message in the reply (JSON or SSE) goes to `onMessage` as it arrives. */
  async post(message, sessionId, onMessage, extraHeaders) {
    const body = JSON.stringify(message);
    const response = await this.send("POST", sessionId, body, { "content-type": "application/json", ...extraHeaders });
    const newSession = response.headers["mcp-session-id"];
    const result = { status: response.statusCode ?? 0, ...typeof newSession === "string" && { sessionId: newSession } };
    const type = response.headers["content-type"] ?? "";
    if (type.startsWith("text/event-stream")) {
      await readEvents(response, onMessage);
      return result;
    }
    const text = await readText(response);
    if (type.startsWith("application/json") && result.status < 300) {
      const parsed = JSON.parse(text);
      for (const reply of Array.isArray(parsed) ? parsed : [parsed]) {
        onMessage(reply);
      }
      return result;
    }
    return { ...result, body: text };
  }
  /** Opens the session's GET stream; resolves when it ends, for whatever reason. */
  async listen(sessionId, onMessage) {
    const response = await this.send("GET", sessionId, void 0, { accept: "text/event-stream" });
    if (response.statusCode !== 200) {
      response.resume();
      return response.statusCode ?? 0;
    }
    await readEvents(response, onMessage).catch(() => void 0);
    return 200;
  }
  async delete(sessionId, timeoutMs) {
    const response = await this.send("DELETE", sessionId, void 0, {}, timeoutMs);
    response.resume();
  }
  close() {
    this.agent.destroy();
  }
  async send(method, sessionId, body, extra, timeoutMs) {
    const { pid, startTime } = this.endpoint;
    if (pid !== void 0) {
      const idle = performance.now() - this.lastUsed > IDLE_CHECK_MS;
      const alive = idle && startTime !== void 0 ? isSameProcessAlive({ pid, startTime }) : pidExists(pid);
      if (!alive) {
        throw new NotDelivered(`the daemon (pid ${pid}) is no longer running`);
      }
    }
    this.lastUsed = performance.now();
    return new Promise((resolve, reject) => {
      const outgoing = request2(
        { host: "127.0.0.1", port: this.endpoint.port, path: MCP_PATH, method, agent: this.agent, headers: this.headers(sessionId, extra), timeout: timeoutMs },
        resolve
      );
      outgoing.on("error", (error) => {
        reject(error.code && UNSENT_CODES.has(error.code) ? new NotDelivered(error.message) : error);
      });
      outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer from the daemon within ${timeoutMs} ms`)));
      outgoing.end(body);
    });
  }
};
async function readText(response) {
  response.setEncoding("utf8");
  let text = "";
  for await (const chunk of response) {
    text += chunk;
  }
  return text;
}
async function readEvents(response, onMessage) {
  const parser = new SseParser((data) => onMessage(JSON.parse(data)));
  response.setEncoding("utf8");
  for await (const chunk of response) {
    parser.push(chunk);
  }
}
function pidExists(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

// src/bridge/bridge.ts
var SAFE_TO_RETRY = /* @__PURE__ */ new Set([
  "ping",
  "tools/list",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "completion/complete",
  "logging/setLevel"
]);
var STREAM_RETRY_MS = 1e3;
function isRequest(message) {
  return "method" in message && "id" in message;
}
function errorReply(id, message, code = -32603) {
  return { jsonrpc: "2.0", id, error: { code, message } };
}
var Bridge = class {
  constructor(options) {
    this.options = options;
  }
  options;
  link;
  sessionId;
  initialize;
  clientInitialized = false;
  session;
  closed = false;
  streaming = false;
  /** Replayed on a new session, so the client's view survives a daemon restart. */
  logLevel;
  subscriptions = /* @__PURE__ */ new Map();
  /** Requests the client cancelled: their reply streams end without an answer, as they should. */
  cancelled = /* @__PURE__ */ new Set();
  async fromClient(message) {
    if (isRequest(message) && message.method === "initialize") {
      this.initialize = message;
      await this.open(message);
      return;
    }
    if (!this.initialize) {
      if (isRequest(message)) {
        this.options.write(message.method === "ping" ? { jsonrpc: "2.0", id: message.id, result: {} } : errorReply(message.id, `Method not found: ${message.method}`, -32601));
      }
      return;
    }
    if ("method" in message && message.method === "notifications/initialized") {
      this.clientInitialized = true;
    }
    if ("method" in message && message.method === "notifications/cancelled") {
      const requestId = message.params?.requestId;
      if (requestId !== void 0) {
        this.cancelled.add(requestId);
      }
    }
    this.remember(message);
    await this.session?.catch(() => void 0);
    await this.forward(message);
  }
  async close() {
    this.closed = true;
    if (this.link && this.sessionId) {
      await this.link.delete(this.sessionId, 500).catch(() => void 0);
    }
    this.link?.close();
  }
  remember(message) {
    if (!isRequest(message)) {
      return;
    }
    if (message.method === "logging/setLevel") {
      this.logLevel = message;
    } else if (message.method === "resources/subscribe" || message.method === "resources/unsubscribe") {
      const uri = String(message.params?.uri);
      if (message.method === "resources/subscribe") {
        this.subscriptions.set(uri, message);
      } else {
        this.subscriptions.delete(uri);
      }
    }
  }
  /** Opens a daemon session with the client's own `initialize` and relays the answer. */
  async open(initialize) {
    this.session = this.establish(initialize, this.options.write);
    await this.session.catch((error) => {
      this.options.write(errorReply(initialize.id, `mcp-tooling could not reach its daemon: ${error.message}`));
    });
  }
  async establish(initialize, onReply, verified = false) {
    const endpoint = await this.options.connect(verified);
    if (this.link) {
      this.link.endpoint = endpoint;
    } else {
      this.link = new DaemonLink(endpoint);
    }
    const { clientPid, sessionId, projectDir } = this.options.identity;
    const headers = {};
    for (const [name, value] of [[CLIENT_HEADERS.clientPid, clientPid], [CLIENT_HEADERS.sessionId, sessionId], [CLIENT_HEADERS.projectDir, projectDir]]) {
      if (value !== void 0) {
        headers[name] = encodeURIComponent(String(value));
      }
    }
    let result;
    try {
      result = await this.link.post(initialize, void 0, onReply, headers);
    } catch (error) {
      if (verified || !(error instanceof NotDelivered)) {
        throw error;
      }
      await this.establish(initialize, onReply, true);
      return;
    }
    if (result.status !== 200 || !result.sessionId) {
      throw new Error(`the daemon refused initialize (HTTP ${result.status}): ${result.body ?? ""}`.trim());
    }
    this.sessionId = result.sessionId;
    void this.listen(result.sessionId);
  }
  /** A new session after the old one was lost, replaying what the client had set up. */
  async reopen() {
    const lost = this.session;
    await lost?.catch(() => void 0);
    if (this.session !== lost) {
      await this.session;
      return;
    }
    this.session = (async () => {
      await this.establish(this.initialize, () => void 0);
      const quiet = () => void 0;
      const replay = [
        ...this.clientInitialized ? [{ jsonrpc: "2.0", method: "notifications/initialized" }] : [],
        ...this.logLevel ? [this.logLevel] : [],
        ...this.subscriptions.values()
      ];
      for (const message of replay) {
        await this.link.post(message, this.sessionId, quiet);
      }
      for (const kind of ["tools", "prompts", "resources"]) {
        this.options.write({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed` });
      }
    })();
    await this.session;
  }
  async forward(message, retried = false) {
    const request3 = isRequest(message) ? message : void 0;
    try {
      let answered = false;
      const result = await this.link.post(message, this.sessionId, (reply) => {
        answered ||= request3 !== void 0 && "id" in reply && reply.id === request3.id && !("method" in reply);
        this.options.write(reply);
      });
      if (request3 && !answered && result.status === 200 && !this.cancelled.delete(request3.id)) {
        throw new Error("the daemon ended the reply stream before answering");
      }
      if (result.status === 404 && !retried) {
        await this.reopen();
        await this.forward(message, true);
        return;
      }
      if (result.status >= 400 && request3) {
        this.options.write(errorReply(request3.id, `mcp-tooling daemon answered HTTP ${result.status}: ${result.body ?? ""}`.trim()));
      }
    } catch (error) {
      if (retried || this.closed) {
        if (request3) {
          this.options.write(errorReply(request3.id, `mcp-tooling could not reach its daemon: ${error.message}`));
        }
        return;
      }
      const delivered = !(error instanceof NotDelivered);
      await this.reopen().catch(() => void 0);
      if (!delivered || !request3 || SAFE_TO_RETRY.has(request3.method)) {
        await this.forward(message, true);
        return;
      }
      this.options.write(
        errorReply(
          request3.id,
          `The mcp-tooling daemon stopped while "${request3.method}" was running, so its result was lost and it may or may not have taken effect. A new daemon is up now: check, then try again.`
        )
      );
    }
  }
  /** Keeps the session's GET stream open while the daemon runs; a stopped daemon is not restarted here. */
  async listen(sessionId) {
    if (this.streaming) {
      return;
    }
    this.streaming = true;
    try {
      while (!this.closed && this.sessionId === sessionId) {
        const status = await this.link.listen(sessionId, this.options.write).catch(() => 0);
        if (status === 404 || status === 409) {
          return;
        }
        await new Promise((resolve) => {
          setTimeout(resolve, STREAM_RETRY_MS).unref();
        });
      }
    } finally {
      this.streaming = false;
      if (!this.closed && this.sessionId !== sessionId && this.sessionId) {
        void this.listen(this.sessionId);
      }
    }
  }
};

// src/bridge/run.ts
function write(message) {
  process.stdout.write(`${JSON.stringify(message)}
`);
}
async function runBridge(name = DEFAULT_DAEMON_NAME) {
  const clientPid = Number(process.env.CLAUDE_PID) || process.ppid;
  const bridge = new Bridge({
    connect: async (verified) => (verified ? void 0 : recordedDaemon(name)) ?? ensureDaemon(name),
    write,
    identity: { clientPid, sessionId: process.env.CLAUDE_CODE_SESSION_ID, projectDir: process.env.CLAUDE_PROJECT_DIR }
  });
  let finishing = false;
  const finish = async () => {
    if (finishing) {
      return;
    }
    finishing = true;
    await bridge.close();
    process.exit(0);
  };
  const lines = jsonLines(
    (message) => {
      bridge.fromClient(message).catch((error) => {
        process.stderr.write(`mcp-tooling bridge: ${error.message}
`);
      });
    },
    () => write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error: a line on stdin was not JSON" } })
  );
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => lines.push(chunk));
  process.stdin.on("end", () => void finish());
  process.on("SIGINT", () => void finish());
  process.on("SIGTERM", () => void finish());
}

// src/bridge.ts
await runBridge(process.argv[2]);
