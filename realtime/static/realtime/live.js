/* Live pages (status boards, the kiosk, public tracking): GraphQL over HTTP and
   graphql-transport-ws subscriptions, signed in by a cookie: the user's session, or a wall
   screen's board session (its token was traded for it, and never reaches this script).

   OneMST.live({endpoint, renew, path, subscriptions: () => [{id, query, variables}], onNext, onStatus})
   opens the socket, subscribes, calls onNext(id, payload) for each event, answers pings
   and reconnects after a drop. onStatus(true) comes once the server has said, for every
   subscription, that it is listening (a `ping` whose payload names it): a page re-reads
   its data then, so nothing that happened while it connected is lost; onStatus(false)
   on a drop. A server that never says so gets the benefit of the doubt after 3 s. `endpoint`
   is "/graphql/" (signed in, with `csrf`) or "/board/graphql/" (board session), for both
   HTTP and the socket; `path` overrides the socket's ("/graphql/public/": visitors, public
   views only). `renew: {url, every}` keeps a board session alive while its token is valid;
   once it has ended (token revoked or expired) the page reloads, which shows the log-in.
   `reconnect()` closes the socket so that `subscriptions()` is read again (e.g. a new period
   chosen). */
(() => {
  async function graphql(cfg, query, variables) {
    const headers = {"Content-Type": "application/json"};
    if (cfg.csrf) headers["X-CSRFToken"] = cfg.csrf;
    const response = await fetch(cfg.endpoint || "/graphql/", {method: "POST", credentials: "same-origin", headers,
      body: JSON.stringify({query, variables})});
    const body = await response.json();
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data;
  }

  async function renew(url) {
    try {
      const response = await fetch(url, {credentials: "same-origin", cache: "no-store"});
      if (response.status === 401 || response.status === 403) location.reload();
    } catch (error) { /* offline for now: the next tick tries again */ }
  }

  function live(cfg) {
    let socket = null, fallback = null;
    const waiting = new Set();  // subscriptions the server has not yet said it listens for
    function listening() {
      clearTimeout(fallback);
      waiting.clear();
      if (cfg.onStatus) cfg.onStatus(true);
    }
    function connect() {
      const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + (cfg.path || cfg.endpoint || "/graphql/");
      socket = new WebSocket(url, "graphql-transport-ws");
      socket.onopen = () => socket.send(JSON.stringify({type: "connection_init", payload: {}}));
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.type === "connection_ack") {
          for (const s of cfg.subscriptions()) {
            waiting.add(s.id);
            socket.send(JSON.stringify({id: s.id, type: "subscribe",
              payload: {query: s.query, variables: s.variables || {}}}));
          }
          fallback = setTimeout(listening, 3000);
          if (!waiting.size) listening();
        } else if (message.type === "next") {
          cfg.onNext(message.id, message.payload);
        } else if (message.type === "ping") {
          socket.send(JSON.stringify({type: "pong"}));
          const id = message.payload && message.payload.listening;
          if (id !== undefined && waiting.delete(id) && !waiting.size) listening();
        }
      };
      socket.onclose = (event) => {
        if (cfg.renew && event.code === 4403) { location.reload(); return; }  // the board session ended
        clearTimeout(fallback);
        waiting.clear();
        if (cfg.onStatus) cfg.onStatus(false);
        setTimeout(connect, 2000);
      };
    }
    connect();
    if (cfg.renew) setInterval(() => renew(cfg.renew.url), cfg.renew.every * 1000);
    return {reconnect: () => { if (socket) socket.close(); }};
  }

  const esc = (s) => String(s ?? "").replace(/[&<>"']/g,
    (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const fmtDate = (iso) => iso ? iso.slice(0, 10).split("-").reverse().join("/") : "—";
  function clock(element) {
    const tick = () => { element.textContent = new Date().toLocaleString("vi-VN", {timeZone: "Asia/Ho_Chi_Minh"}); };
    tick();
    setInterval(tick, 1000);
  }

  window.OneMST = {graphql, live, esc, fmtDate, clock};
})();
