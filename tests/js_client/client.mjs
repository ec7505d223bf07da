// A JavaScript client of the onemst GraphQL API, as a frontend team would write it
// (issue 12, point 15): `node client.mjs <base-url> <token>`.
//
// 1. Its operations are in documents.graphql (or $ONEMST_DOCUMENTS). Each is validated with
//    graphql-js against the committed contract, ../../schema.graphql, before anything is
//    sent; and the code below is type-checked (JSDoc, `tsc --checkJs`) against the
//    TypeScript types graphql-codegen generates from the same two files (codegen.yml):
//    a document, a variable or a comparison the contract no longer types fails before
//    run time.
// 2. Against the running server: a query over HTTP (enum filter), the `assignablePeople`
//    lookup, a subscription over graphql-ws (graphql-transport-ws), a mutation whose
//    event the subscription must receive, and a workflow transition.
// Prints one JSON summary line; exits 1 on any error.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSchema, parse, print, validate } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [base, token] = process.argv.slice(2);
if (!base || !token) {
  console.error("usage: node client.mjs <base-url> <token>");
  process.exit(2);
}

/**
 * Each operation's result and variables, generated from documents.graphql (codegen.yml).
 * @typedef {import("./generated/operations").TasksQuery} TasksQuery
 * @typedef {import("./generated/operations").TasksQueryVariables} TasksQueryVariables
 * @typedef {import("./generated/operations").PeopleQuery} PeopleQuery
 * @typedef {import("./generated/operations").PeopleQueryVariables} PeopleQueryVariables
 * @typedef {import("./generated/operations").CreateTaskMutation} CreateTaskMutation
 * @typedef {import("./generated/operations").CreateTaskMutationVariables} CreateTaskMutationVariables
 * @typedef {import("./generated/operations").PauseMutation} PauseMutation
 * @typedef {import("./generated/operations").PauseMutationVariables} PauseMutationVariables
 * @typedef {import("./generated/operations").ChangedSubscription} ChangedSubscription
 * @typedef {{
 *   Tasks: [TasksQuery, TasksQueryVariables],
 *   People: [PeopleQuery, PeopleQueryVariables],
 *   CreateTask: [CreateTaskMutation, CreateTaskMutationVariables],
 *   Pause: [PauseMutation, PauseMutationVariables],
 * }} Operations
 */

const here = fileURLToPath(new URL(".", import.meta.url));
const schema = buildSchema(readFileSync(`${here}../../schema.graphql`, "utf8"));
const source = process.env.ONEMST_DOCUMENTS || `${here}documents.graphql`;
const document = parse(readFileSync(source, "utf8"));
const errors = validate(schema, document);
if (errors.length) {
  console.error(`${source} does not fit schema.graphql:`, errors.map((e) => e.message).join("; "));
  process.exit(1);
}
/** @type {Record<string, string>} operation name → its text */
const parsed = {};
for (const definition of document.definitions) {
  if (definition.kind === "OperationDefinition" && definition.name) parsed[definition.name.value] = print(definition);
}

/**
 * @template {keyof Operations} K
 * @param {K} name
 * @param {Operations[K][1]} variables
 * @returns {Promise<Operations[K][0]>}
 */
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

/** @type {(ms: number, what: string) => Promise<never>} */
const timeout = (ms, what) =>
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));

async function main() {
  /** @type {Record<string, unknown>} */
  const summary = {};
  const listed = await http("Tasks", { state: "IN_PROGRESS" });
  summary.inProgress = listed.tasks.totalCount;
  for (const task of listed.tasks.results) {
    if (task.state !== "IN_PROGRESS") throw new Error(`enum filter returned ${task.state}`);
  }
  const people = (await http("People", { search: "" })).assignablePeople;
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
  /** @type {ChangedSubscription["taskChanged"][]} */
  const events = [];
  /** @type {NonNullable<CreateTaskMutation["createTask"]["node"]> | undefined} */
  let created;
  /** @type {Promise<ChangedSubscription["taskChanged"]>} */
  const received = new Promise((resolve, reject) => {
    ws.subscribe(
      { query: parsed.Changed },
      {
        next: (message) => {
          if (message.errors) return reject(new Error(JSON.stringify(message.errors)));
          const event = /** @type {ChangedSubscription} */ (message.data).taskChanged;
          events.push(event);
          // the pause is an update (RecordAction); the state is the TaskState enum
          if (created && event.id === created.id && event.action === "UPDATED" && event.node?.state === "PAUSED") {
            resolve(event);
          }
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => reject(new Error("subscription completed early")),
      },
    );
  });
  received.catch(() => {}); // raced below
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the server has joined the group

  const made = (await http("CreateTask", {
    input: { title, content: "Tạo bởi client JavaScript", priority: "HIGH", assignee: people[0].id },
  })).createTask;
  if (!made.ok) throw new Error(`createTask: ${JSON.stringify(made.errors)}`);
  created = made.node ?? undefined;
  if (!created || created.priority !== "HIGH" || created.state !== "IN_PROGRESS") {
    throw new Error(`unexpected node ${JSON.stringify(created)}`);
  }
  const paused = (await http("Pause", { id: created.id, version: created.version })).taskPause;
  if (!paused.ok || paused.node?.state !== "PAUSED") throw new Error(`taskPause: ${JSON.stringify(paused)}`);
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
