// A JavaScript client of the onemst GraphQL API, as a frontend team would write it
// (issue 12, point 15): `node client.mjs <base-url> <token>`.
//
// 1. Every document below is validated with graphql-js against the committed contract,
//    ../../schema.graphql, before anything is sent: a document the contract does not
//    type fails here, not at run time.
// 2. Against the running server: a query over HTTP (enum filter), the `assignablePeople`
//    lookup, a subscription over graphql-ws (graphql-transport-ws), a mutation whose
//    event the subscription must receive, and a workflow transition.
// Prints one JSON summary line; exits 1 on any error.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSchema, parse, validate } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node client.mjs <base-url> <token>");
  process.exit(2);
}

const DOCUMENTS = {
  tasks: `query Tasks($state: TaskState!) {
    tasks(filters: {state: {exact: $state}}, pagination: {limit: 5}) {
      totalCount results { id number title state priority } } }`,
  people: `query People($search: String!) {
    assignablePeople(entity: "Task", field: "assignee", search: $search) { id fullName unitName } }`,
  create: `mutation CreateTask($input: TaskCreateInput!) {
    createTask(input: $input) { ok errors { field code message } node { id version title state priority assignee { id } } } }`,
  pause: `mutation Pause($id: ID!, $version: Int!) {
    taskPause(id: $id, version: $version, comment: "js client") { ok errors { code message } node { state version } } }`,
  changed: `subscription Changed { taskChanged { action id version node { title state } } }`,
};

const here = fileURLToPath(new URL(".", import.meta.url));
const schema = buildSchema(readFileSync(`${here}../../schema.graphql`, "utf8"));
const parsed = {};
for (const [name, text] of Object.entries(DOCUMENTS)) {
  const document = parse(text);
  const errors = validate(schema, document);
  if (errors.length) {
    console.error(`document ${name} does not fit schema.graphql:`, errors.map((e) => e.message).join("; "));
    process.exit(1);
  }
  parsed[name] = text;
}

async function http(name, variables) {
  const response = await fetch(`${base}/graphql/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: parsed[name], variables }),
  });
  const body = await response.json();
  if (response.status !== 200 || body.errors) {
    throw new Error(`${name}: HTTP ${response.status} ${JSON.stringify(body.errors || body)}`);
  }
  return body.data;
}

const timeout = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

async function main() {
  const summary = {};
  const listed = await http("tasks", { state: "IN_PROGRESS" });
  summary.inProgress = listed.tasks.totalCount;
  for (const task of listed.tasks.results) {
    if (task.state !== "IN_PROGRESS") throw new Error(`enum filter returned ${task.state}`);
  }
  const people = (await http("people", { search: "" })).assignablePeople;
  if (!people.length) throw new Error("assignablePeople is empty");
  summary.assignable = people.length;

  const ws = createClient({
    url: `${base.replace(/^http/, "ws")}/graphql/`,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
  const title = `Nhiệm vụ từ JS ${Date.now()}`;
  const events = [];
  let created;
  const received = new Promise((resolve, reject) => {
    ws.subscribe(
      { query: parsed.changed },
      {
        next: (message) => {
          if (message.errors) return reject(new Error(JSON.stringify(message.errors)));
          const event = message.data.taskChanged;
          events.push(event);
          if (created && event.id === created.id && event.node && event.node.state === "PAUSED") resolve(event);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => reject(new Error("subscription completed early")),
      },
    );
  });
  received.catch(() => {}); // raced below
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the server has joined the group

  const made = (await http("create", {
    input: { title, content: "Tạo bởi client JavaScript", priority: "HIGH", assignee: people[0].id },
  })).createTask;
  if (!made.ok) throw new Error(`createTask: ${JSON.stringify(made.errors)}`);
  created = made.node;
  if (created.priority !== "HIGH" || created.state !== "IN_PROGRESS") {
    throw new Error(`unexpected node ${JSON.stringify(created)}`);
  }
  const paused = (await http("pause", { id: created.id, version: created.version })).taskPause;
  if (!paused.ok || paused.node.state !== "PAUSED") throw new Error(`taskPause: ${JSON.stringify(paused)}`);
  const event = await Promise.race([received, timeout(20000, "taskChanged event")]);
  summary.created = created.id;
  summary.event = event;
  summary.events = events.length;
  await ws.dispose();
  console.log(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(String(error && error.stack ? error.stack : error));
    process.exit(1);
  },
);
