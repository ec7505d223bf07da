/* Live pages (status boards, the kiosk, public tracking): GraphQL over HTTP and
   graphql-transport-ws subscriptions, signed in by session cookie or a read-only token.

   OneMST.live({token, path, subscriptions: () => [{id, query, variables}], onNext, onStatus})
   opens the socket, subscribes, calls onNext(id, payload) for each event, answers pings
   and reconnects after a drop. onStatus(true) comes once the server has said, for every
   subscription, that it is listening (a `ping` whose payload names it): a page re-reads
   its data then, so nothing that happened while it connected is lost; onStatus(false)
   on a drop. A server that never says so gets the benefit of the doubt after 3 s. `path` is
   "/graphql/" (signed in) or "/graphql/public/" (visitors, public views only). `reconnect()`
   closes the socket so that `subscriptions()` is read again (e.g. a new period chosen). */
(() => {
  async function graphql(cfg, query, variables) {
    const headers = {"Content-Type": "application/json"};
    if (cfg.token) headers.Authorization = "Bearer " + cfg.token;
    else if (cfg.csrf) headers["X-CSRFToken"] = cfg.csrf;
    const response = await fetch("/graphql/", {method: "POST", credentials: "same-origin", headers,
      body: JSON.stringify({query, variables})});
    const body = await response.json();
    if (body.errors) throw new Error(body.errors[0].message);
    return body.data;
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
      const url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + (cfg.path || "/graphql/");
      socket = new WebSocket(url, "graphql-transport-ws");
      socket.onopen = () => socket.send(JSON.stringify({type: "connection_init",
        payload: cfg.token ? {Authorization: "Bearer " + cfg.token} : {}}));
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
      socket.onclose = () => {
        clearTimeout(fallback);
        waiting.clear();
        if (cfg.onStatus) cfg.onStatus(false);
        setTimeout(connect, 2000);
      };
    }
    connect();
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
