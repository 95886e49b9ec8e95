// RedLive web viewer: plain JS over the REST API and the /hubs/live SignalR hub (see PROTOCOL.md), the hub through
// redlive-client.js (room events in order and once each, resumed after a reconnect; docs/CLIENTS.md).
// User text is only ever put into the page through textContent, never as markup.
import { RedLiveClient, hubError } from "./redlive-client.js";

(() => {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = "redlive.session";

  const state = {
    session: loadSession(), // { token, userId, displayName, role }
    connection: null,
    client: null, // the RedLiveClient over `connection`
    roomId: null,
    room: null,
    likes: 0,
    chatIds: new Set(),
    sales: new Map(), // saleId -> { sale, card, pendingRequestId }
    cart: null,
    pendingAdds: new Map(), // productId -> the idempotency key of an add not yet answered
    checkoutKey: null,
    products: new Map(),
    // The server's clock minus ours (ms), from the serverTime of the last snapshot or sale event: countdowns run on
    // the server's time, so a phone whose clock is minutes off still shows when the sale really ends.
    clockOffset: 0,
  };

  // ---- small helpers -------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function money(amount, currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "CNY" }).format(amount);
    } catch {
      return `${Number(amount).toFixed(2)} ${currency || ""}`.trim();
    }
  }

  // crypto.randomUUID needs a secure context (https or loopback); a phone on plain http over the LAN has none:
  // the client module falls back to getRandomValues.
  const newId = () => RedLiveClient.newRequestId();

  // A call without an answer: the connection dropped ("network"), or the server could not finish it ("unavailable": it
  // may or may not have happened). Either way the same request id or key goes again on the next tap.
  const unanswered = (e) => e.code === "network" || e.code === "unavailable";
  const retryText = (e) => (e.code === "unavailable" ? "The shop is busy: tap again to retry" : "Connection problem: tap again to retry");

  let toastTimer = 0;
  function toast(text, kind) {
    const t = $("toast");
    t.textContent = text;
    t.className = `toast ${kind || ""}`;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (t.hidden = true), 4000);
  }

  // ---- REST ---------------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (state.session) headers.Authorization = `Bearer ${state.session.token}`;
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page, say): the status below tells what happened.
    }
    if (response.status === 401 && state.session) expireSession();
    if (!response.ok) {
      const error = new Error((data && (data.detail || data.title)) || `HTTP ${response.status}`);
      error.code = (data && data.type) || `http_${response.status}`;
      throw error;
    }
    return data;
  }

  async function product(productId) {
    if (!state.products.has(productId)) {
      state.products.set(productId, await api("GET", `/api/products/${encodeURIComponent(productId)}`));
    }
    return state.products.get(productId);
  }

  // ---- session ------------------------------------------------------------------------------------

  function loadSession() {
    try {
      return JSON.parse(localStorage.getItem(TOKEN_KEY));
    } catch {
      return null;
    }
  }

  function renderSession() {
    const s = state.session;
    $("user-button").textContent = s ? s.displayName : "Sign in";
    $("user-button").dataset.signedIn = s ? "true" : "false";
    $("signout-button").hidden = !s;
  }

  function openPanel(id) {
    for (const other of ["cart-drawer", "signin"]) $(other).hidden = other !== id;
    $("drawer-backdrop").hidden = false;
  }

  function closePanels() {
    $("cart-drawer").hidden = true;
    $("signin").hidden = true;
    $("drawer-backdrop").hidden = true;
  }

  async function signIn(event) {
    event.preventDefault();
    const userId = $("signin-user").value.trim();
    const displayName = $("signin-name").value.trim();
    const role = $("signin-role").value;
    $("signin-error").hidden = true;
    try {
      const { token } = await api("POST", "/api/dev/token", { userId, displayName, role });
      state.session = { token, userId, displayName, role };
      localStorage.setItem(TOKEN_KEY, JSON.stringify(state.session));
    } catch (err) {
      $("signin-error").textContent = `${err.code}: ${err.message}`;
      $("signin-error").hidden = false;
      return;
    }
    renderSession();
    closePanels();
    toast(`Signed in as ${displayName}`, "ok");
    await restartConnection();
    refreshCart();
  }

  async function signOut() {
    state.session = null;
    localStorage.removeItem(TOKEN_KEY);
    state.cart = null;
    renderSession();
    renderCart();
    closePanels();
    await restartConnection();
  }

  // A token the server no longer takes (expired, or a restarted server with another key): back to watching anonymously.
  function expireSession() {
    state.session = null;
    localStorage.removeItem(TOKEN_KEY);
    renderSession();
    toast("Your session has expired: sign in again", "bad");
    restartConnection();
  }

  function requireSignIn() {
    if (state.session) return true;
    toast("Sign in first", "bad");
    openPanel("signin");
    $("signin-user").focus();
    return false;
  }

  // ---- connection ---------------------------------------------------------------------------------

  // Never give up: a live room is worth coming back to. As Live.Client's ForeverRetryPolicy: at once, 0.5 s, 1 s,
  // then every 2 s for the first minute, then every 10 s; each wait after the first spread by ±25 % so that a
  // restarted server is not met by all of its viewers in lockstep.
  const retryPolicy = {
    nextRetryDelayInMilliseconds: (ctx) => {
      if (ctx.previousRetryCount === 0) return 0;
      const nominal = [0, 500, 1000][ctx.previousRetryCount] ?? ((ctx.elapsedMilliseconds ?? 0) < 60000 ? 2000 : 10000);
      return Math.round(nominal * (0.75 + 0.5 * Math.random()));
    },
  };

  function setConnectionState(value, text) {
    document.body.dataset.connection = value;
    const banner = $("connection-banner");
    banner.dataset.state = value;
    if (!text) {
      banner.hidden = true;
      return;
    }
    banner.textContent = text;
    banner.hidden = false;
  }

  function buildConnection() {
    const connection = new signalR.HubConnectionBuilder()
      // WebSockets without negotiation: no sticky sessions needed behind a load balancer.
      .withUrl("/hubs/live", {
        accessTokenFactory: () => (state.session ? state.session.token : ""),
        transport: signalR.HttpTransportType.WebSockets,
        skipNegotiation: true,
      })
      .withAutomaticReconnect(retryPolicy)
      .configureLogging(signalR.LogLevel.Warning)
      .build();

    // The room's events go to the handlers of roomHandlers (below), through the client module: in order, once each.
    state.client = new RedLiveClient(connection, {
      purchaseConfirmed: (order) => {
        toast(`Order ${order.id} confirmed: ${money(order.total, order.currency)}`, "ok");
        if (!$("cart-drawer").hidden) refreshOrders();
      },
    });

    connection.onreconnecting(() => setConnectionState("reconnecting", "Connection lost, reconnecting…"));
    connection.onreconnected(() => {
      // The client module resumes the room by itself: the events missed meanwhile follow (ResumeRoom), or the room is
      // drawn again from a fresh snapshot when the server no longer has them.
      setConnectionState("connected", "Reconnected");
      setTimeout(() => document.body.dataset.connection === "connected" && setConnectionState("connected"), 2500);
    });
    connection.onclose(() => {
      if (state.connection === connection) {
        setConnectionState("disconnected", "Disconnected. Retrying…");
        connected().then(() => state.roomId && joinRoom(state.roomId));
      }
    });
    return connection;
  }

  async function startConnection(connection) {
    for (let attempt = 0; state.connection === connection && connection.state === signalR.HubConnectionState.Disconnected; attempt++) {
      try {
        await connection.start();
        setConnectionState("connected");
      } catch (err) {
        if (err && err.statusCode === 401 && state.session) {
          expireSession();
          return;
        }
        setConnectionState("disconnected", "Cannot reach RedLive. Retrying…");
        await new Promise((r) => setTimeout(r, retryPolicy.nextRetryDelayInMilliseconds({ previousRetryCount: attempt }) || 1000));
      }
    }
  }

  // The started connection, shared by every caller (a second caller waits for the same start).
  function connected() {
    if (!state.connection) state.connection = buildConnection();
    const connection = state.connection;
    if (connection.state === signalR.HubConnectionState.Connected) return Promise.resolve(connection);
    if (!state.starting || state.starting.connection !== connection) {
      const promise = startConnection(connection).finally(() => {
        if (state.starting === promise) state.starting = null;
      });
      promise.connection = connection;
      state.starting = promise;
    }
    return state.starting.then(() => connection);
  }

  // The user's identity belongs to the connection: a new token needs a new connection.
  async function restartConnection() {
    const old = state.connection;
    state.connection = null;
    if (old) await old.stop().catch(() => {});
    if (state.roomId) await joinRoom(state.roomId);
    else await connected();
  }

  // ---- rooms list ---------------------------------------------------------------------------------

  async function showRooms() {
    if (state.roomId) {
      const left = state.roomId;
      state.roomId = null;
      state.client?.leaveRoom(left).catch(() => {});
    }
    $("view-room").hidden = true;
    $("view-rooms").hidden = false;
    document.title = "RedLive";
    await loadRooms();
  }

  async function loadRooms() {
    const list = $("rooms-list");
    let rooms;
    try {
      rooms = await api("GET", "/api/rooms?status=live");
    } catch (err) {
      toast(`Could not load rooms: ${err.message}`, "bad");
      return;
    }
    list.replaceChildren(
      ...rooms.map((room) => {
        const li = el("li", "room-item");
        li.dataset.testid = "room-item";
        li.dataset.roomId = room.id;
        const a = el("a");
        a.href = `#/room/${encodeURIComponent(room.id)}`;
        a.append(el("span", "badge live", "LIVE"), el("strong", "room-item-title", room.title));
        if (room.description) a.append(el("span", "muted", room.description));
        li.append(a);
        return li;
      }),
    );
    $("rooms-empty").hidden = rooms.length > 0;
    list.dataset.loaded = "true";
  }

  // ---- room ---------------------------------------------------------------------------------------

  async function showRoom(roomId) {
    $("view-rooms").hidden = true;
    $("view-room").hidden = false;
    if (state.roomId !== roomId) {
      if (state.roomId) state.client?.leaveRoom(state.roomId).catch(() => {});
      $("view-room").dataset.joined = "false";
      $("room-title").textContent = "";
      $("chat-list").replaceChildren();
      $("sales").replaceChildren();
      state.sales.clear();
      state.chatIds.clear();
      renderPinned(null);
    }
    state.roomId = roomId;
    await joinRoom(roomId);
  }

  async function joinRoom(roomId) {
    await connected();
    try {
      await state.client.joinRoom(roomId, roomHandlers(roomId));
    } catch (err) {
      const e = hubError(err);
      toast(e.code === "not_found" ? "This room does not exist." : `Could not join: ${e.detail}`, "bad");
    }
  }

  // What the page does with each of the room's events (a snapshot first, and again whenever the room starts over).
  // Handlers return nothing: SignalR treats a returned value as a client result the server did not ask for.
  function roomHandlers(roomId) {
    const mine = (f) => (arg) => {
      if (state.roomId === roomId) f(arg);
    };
    return {
      snapshot: mine(renderSnapshot),
      chat: mine(appendChat),
      chatDeleted: mine((d) => {
        document.querySelector(`#chat-list [data-message-id="${CSS.escape(d.messageId)}"]`)?.remove();
      }),
      removed: mine((r) => {
        toast(r.reason === "banned" ? "You were removed from this room by its moderators" : "You left this room", "bad");
        $("view-room").dataset.joined = "false";
      }),
      productPinned: mine(renderPinned),
      productUnpinned: mine(() => renderPinned(null)),
      flashSaleStarted: mine(upsertSale),
      flashSaleUpdated: mine(saleProgress),
      flashSaleEnded: mine(upsertSale),
      viewerCount: mine((u) => {
        $("viewer-count").textContent = u.viewers;
      }),
      likesUpdated: mine((u) => setLikes(u.likes)),
      streamStarted: mine(renderRoom),
      streamEnded: mine(renderRoom),
      // Catching up after a drop was refused: unavailable and rate_limited go again by themselves (the module's
      // pause), anything else means the room's events stopped for this page.
      failed: mine((err) => {
        const passing = err.code === "unavailable" || err.code === "rate_limited";
        toast(passing ? "Catching up with the room…" : `Lost the room's live updates: ${err.detail}`, passing ? "" : "bad");
      }),
    };
  }

  function renderSnapshot(snapshot) {
    noteServerTime(snapshot.serverTime);
    renderRoom(snapshot.room);
    $("viewer-count").textContent = snapshot.viewers;
    state.likes = 0;
    setLikes(snapshot.likes);
    renderPinned(snapshot.pinnedProduct);
    state.chatIds.clear();
    $("chat-list").replaceChildren();
    snapshot.recentChat.forEach(appendChat);
    const active = new Set(snapshot.activeSales.map((s) => s.id));
    for (const [id, entry] of state.sales) {
      // A sale that ended while we were away (longer than the room's window, so no resume carried its end): show it as
      // over at once, then as the server has it (sold out, what was left).
      if (!active.has(id) && entry.sale.status === "active") {
        upsertSale({ ...entry.sale, status: "ended" });
        api("GET", `/api/flash-sales/${encodeURIComponent(id)}`).then(upsertSale, () => {});
      }
    }
    snapshot.activeSales.forEach(upsertSale);
    $("view-room").dataset.joined = "true";
  }

  function renderRoom(room) {
    if (!room || room.id !== state.roomId) return;
    state.room = room;
    document.title = `${room.title} · RedLive`;
    $("room-title").textContent = room.title;
    $("room-description").textContent = room.description || "";
    const status = $("room-status");
    status.textContent = room.status === "live" ? "LIVE" : room.status === "ended" ? "ENDED" : "SOON";
    status.className = `badge ${room.status === "live" ? "live" : "off"}`;
    status.dataset.status = room.status;
  }

  function setLikes(likes) {
    // Coalesced counters may arrive after our own call's newer total: never go backwards.
    state.likes = Math.max(state.likes, Number(likes) || 0);
    $("like-count").textContent = state.likes.toLocaleString();
  }

  async function like() {
    if (!requireSignIn() || !state.roomId) return;
    const button = $("like-button");
    button.classList.remove("pop");
    void button.offsetWidth;
    button.classList.add("pop");
    try {
      await connected();
      setLikes(await state.client.like(state.roomId, 1));
    } catch (err) {
      const e = hubError(err);
      if (e.code !== "rate_limited") toast(`Like failed: ${e.detail}`, "bad");
    }
  }

  // ---- chat ---------------------------------------------------------------------------------------

  function appendChat(message) {
    if (message.roomId !== state.roomId || state.chatIds.has(message.id)) return;
    state.chatIds.add(message.id);
    const li = el("li", "chat-line");
    li.dataset.testid = "chat-message";
    li.dataset.userId = message.userId;
    li.dataset.messageId = message.id;
    li.append(el("span", "chat-name", message.displayName), el("span", "chat-text", message.text));
    const list = $("chat-list");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(li);
    // The page keeps the last 100 lines, and the ids of those only (the room's stream de-duplicates by seq already;
    // these ids catch the broadcast copy of the viewer's own message, which it showed from SendChat's answer).
    while (list.children.length > 100) {
      state.chatIds.delete(list.firstElementChild.dataset.messageId);
      list.firstElementChild.remove();
    }
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  async function sendChat(event) {
    event.preventDefault();
    if (!requireSignIn() || !state.roomId) return;
    const input = $("chat-input");
    const text = input.value.trim();
    if (!text) return;
    try {
      await connected();
      const message = await state.client.sendChat(state.roomId, text);
      input.value = "";
      appendChat(message);
    } catch (err) {
      const e = hubError(err);
      toast(e.code === "rate_limited" ? "Slow down a little." : `Not sent: ${e.detail}`, "bad");
    }
  }

  // ---- pinned product -----------------------------------------------------------------------------

  function renderPinned(p) {
    const card = $("pinned");
    if (!p) {
      card.hidden = true;
      card.dataset.productId = "";
      return;
    }
    state.products.set(p.id, p);
    card.dataset.productId = p.id;
    $("pinned-brand").textContent = p.brand;
    $("pinned-name").textContent = p.name;
    $("pinned-price").textContent = money(p.price, p.currency);
    $("pinned-verified").hidden = !p.verified;
    const img = $("pinned-image");
    if (p.imageUrl) {
      img.src = p.imageUrl;
      img.alt = p.name;
      img.hidden = false;
      $("pinned-placeholder").hidden = true;
    } else {
      img.removeAttribute("src");
      img.hidden = true;
      $("pinned-placeholder").hidden = false;
      $("pinned-placeholder").textContent = (p.brand || p.name || "?").slice(0, 1).toUpperCase();
    }
    card.hidden = false;
  }

  async function addPinnedToCart() {
    const productId = $("pinned").dataset.productId;
    const button = $("add-to-cart");
    if (!productId || button.disabled || !requireSignIn()) return;
    // One key per add intent, as a purchase has one request id: an add whose answer a dropped connection lost is sent
    // again with the same key, and the server adds it once. One add at a time: the button waits for the answer, so
    // each answered tap is one unit.
    const key = state.pendingAdds.get(productId) || newId();
    state.pendingAdds.set(productId, key);
    button.disabled = true;
    try {
      await connected();
      state.cart = await state.client.addToCart(productId, 1, state.roomId, key);
      state.pendingAdds.delete(productId);
      renderCart();
      toast("Added to cart", "ok");
    } catch (err) {
      const e = hubError(err);
      // Lost or unavailable: the add may have been made; the next tap sends the same key, which adds it once.
      if (!unanswered(e)) state.pendingAdds.delete(productId);
      toast(unanswered(e) ? retryText(e) : `Could not add: ${e.detail}`, "bad");
    } finally {
      button.disabled = false;
    }
  }

  // ---- flash sales --------------------------------------------------------------------------------

  function noteServerTime(serverTime) {
    const server = serverTime ? Date.parse(serverTime) : NaN;
    if (!Number.isNaN(server)) state.clockOffset = server - Date.now();
  }

  function serverNow() {
    return Date.now() + state.clockOffset;
  }

  function upsertSale(sale) {
    if (sale.roomId !== state.roomId) return;
    noteServerTime(sale.serverTime);
    let entry = state.sales.get(sale.id);
    if (!entry) {
      const card = $("sale-template").content.firstElementChild.cloneNode(true);
      card.dataset.saleId = sale.id;
      card.querySelector(".buy").addEventListener("click", () => buy(sale.id));
      entry = { sale, card, pendingRequestId: null };
      state.sales.set(sale.id, entry);
      $("sales").prepend(card);
    }
    // A sale's remaining only goes down: keep the lowest seen, as a coalesced update may be older than an answer.
    const prev = entry.sale;
    const remaining = prev !== sale && prev.status === "active" && sale.status === "active" ? Math.min(prev.remaining, sale.remaining) : sale.remaining;
    entry.sale = { ...sale, remaining };
    renderSale(entry);
  }

  function saleProgress(progress) {
    const entry = state.sales.get(progress.saleId);
    if (!entry) return;
    noteServerTime(progress.serverTime);
    entry.sale = { ...entry.sale, remaining: Math.min(entry.sale.remaining, progress.remaining) };
    entry.recentBuyers = progress.recentBuyers;
    renderSale(entry);
  }

  function renderSale(entry) {
    const { sale, card } = entry;
    card.dataset.status = sale.status;
    card.dataset.remaining = sale.remaining;
    card.querySelector(".sale-brand").textContent = sale.product.brand;
    card.querySelector(".sale-name").textContent = sale.product.name;
    card.querySelector(".sale-price").textContent = money(sale.price, sale.product.currency);
    card.querySelector(".sale-was").textContent = money(sale.product.price, sale.product.currency);
    const fraction = sale.quantity > 0 ? sale.remaining / sale.quantity : 0;
    const bar = card.querySelector(".bar");
    bar.setAttribute("aria-valuemax", sale.quantity);
    bar.setAttribute("aria-valuenow", sale.remaining);
    bar.querySelector(".bar-fill").style.width = `${(fraction * 100).toFixed(1)}%`;
    card.querySelector(".sale-remaining").textContent = `${sale.remaining} of ${sale.quantity} left`;
    card.querySelector(".sale-limit").textContent = `· max ${sale.perUserLimit} per person`;
    const buyers = entry.recentBuyers || [];
    card.querySelector(".buyers").textContent = buyers.length ? `Just bought: ${buyers.join(", ")}` : "";
    tickSale(entry);
  }

  function tickSale(entry) {
    const { sale, card } = entry;
    const left = Math.max(0, Date.parse(sale.endsAt) - serverNow());
    const over = sale.status !== "active" || left === 0 || sale.remaining === 0;
    let label;
    if (sale.status === "soldOut" || (sale.status === "active" && sale.remaining === 0)) label = "Sold out";
    else if (over) label = "Ended";
    else {
      const s = Math.ceil(left / 1000);
      label = `Ends in ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    }
    card.querySelector(".sale-countdown").textContent = label;
    const button = card.querySelector(".buy");
    button.disabled = over || entry.busy === true;
    button.textContent = over ? label : "Buy now";
    card.classList.toggle("over", over);
  }

  const outcomeText = {
    confirmed: (r) => [`Confirmed! Order ${r.orderId}`, "ok"],
    soldOut: () => ["Sold out: none left", "bad"],
    limitExceeded: (_, sale) => [`Limit reached: at most ${sale.perUserLimit} per person`, "bad"],
    notActive: () => ["This sale is not active", "bad"],
  };

  function showOutcome(entry, text, kind, status) {
    const out = entry.card.querySelector(".outcome");
    out.textContent = text;
    out.className = `outcome ${kind}`;
    out.dataset.status = status;
    out.hidden = false;
  }

  async function buy(saleId) {
    const entry = state.sales.get(saleId);
    if (!entry || !requireSignIn()) return;
    // One request id per purchase intent: an unanswered attempt (a dropped connection) is retried with the same id,
    // so the server can never sell it twice; a fresh id once the previous one has its answer.
    entry.pendingRequestId = entry.pendingRequestId || newId();
    entry.busy = true;
    tickSale(entry);
    try {
      await connected();
      const result = await state.client.buyNow(saleId, 1, entry.pendingRequestId);
      entry.pendingRequestId = null;
      const [text, kind] = (outcomeText[result.status] || (() => [result.status, "bad"]))(result, entry.sale);
      showOutcome(entry, text, kind, result.status);
      if (entry.sale.status === "active") entry.sale = { ...entry.sale, remaining: Math.min(entry.sale.remaining, result.remaining) };
      renderSale(entry);
    } catch (err) {
      const e = hubError(err);
      if (!unanswered(e)) entry.pendingRequestId = null;
      showOutcome(entry, e.code === "rate_limited" ? "Too fast, try again in a moment" : unanswered(e) ? retryText(e) : e.detail, "bad", e.code);
    } finally {
      entry.busy = false;
      tickSale(entry);
    }
  }

  setInterval(() => state.sales.forEach(tickSale), 250);

  // ---- cart and orders ----------------------------------------------------------------------------

  function renderCart() {
    const cart = state.cart;
    const items = cart ? cart.items : [];
    $("cart-count").textContent = items.reduce((n, i) => n + i.quantity, 0);
    $("cart-total").textContent = money(cart ? cart.total : 0);
    $("cart-empty").hidden = items.length > 0;
    $("checkout-button").disabled = items.length === 0;
    $("cart-items").replaceChildren(
      ...items.map((item) => {
        const li = el("li", "line");
        li.dataset.testid = "cart-item";
        li.dataset.productId = item.productId;
        const name = el("span", "line-name", state.products.get(item.productId)?.name || item.productId);
        if (!state.products.has(item.productId)) product(item.productId).then((p) => (name.textContent = p.name)).catch(() => {});
        const remove = el("button", "link-button", "Remove");
        remove.type = "button";
        remove.addEventListener("click", async () => {
          try {
            state.cart = await api("DELETE", `/api/cart/items/${encodeURIComponent(item.productId)}`);
            renderCart();
          } catch (err) {
            toast(`Could not remove: ${err.message}`, "bad");
          }
        });
        li.append(name, el("span", "muted", `× ${item.quantity}`), el("span", "price", money(item.price * item.quantity)), remove);
        return li;
      }),
    );
  }

  async function refreshCart() {
    if (!state.session) return renderCart();
    try {
      state.cart = await api("GET", "/api/cart");
    } catch {
      state.cart = null;
    }
    renderCart();
  }

  async function refreshOrders() {
    if (!state.session) return;
    let orders;
    try {
      orders = await api("GET", "/api/orders");
    } catch (err) {
      toast(`Could not load orders: ${err.message}`, "bad");
      return;
    }
    $("orders-empty").hidden = orders.length > 0;
    $("orders-list").replaceChildren(
      ...orders.map((o) => {
        const li = el("li", "line");
        li.dataset.testid = "order-item";
        li.dataset.orderId = o.id;
        const units = o.items.reduce((n, i) => n + i.quantity, 0);
        li.append(
          el("span", "line-name", `${o.saleId ? "Flash sale" : "Cart"} · ${units} item${units === 1 ? "" : "s"}`),
          el("span", "muted", new Date(o.createdAt).toLocaleString()),
          el("span", "price", money(o.total, o.currency)),
        );
        return li;
      }),
    );
    $("orders-list").dataset.loaded = "true";
  }

  async function openCart() {
    if (!requireSignIn()) return;
    openPanel("cart-drawer");
    await Promise.all([refreshCart(), refreshOrders()]);
  }

  async function checkout() {
    if (!requireSignIn()) return;
    // Same key until this checkout has an answer: a retried click never orders twice.
    state.checkoutKey = state.checkoutKey || newId();
    const button = $("checkout-button");
    button.disabled = true;
    const out = $("checkout-outcome");
    try {
      const order = await api("POST", "/api/cart/checkout", { idempotencyKey: state.checkoutKey });
      state.checkoutKey = null;
      out.textContent = `Order ${order.id} placed: ${money(order.total, order.currency)}`;
      out.className = "outcome ok";
      out.dataset.status = "confirmed";
      out.dataset.orderId = order.id;
    } catch (err) {
      if (err.code !== "http_0") state.checkoutKey = null;
      out.textContent = `Checkout failed: ${err.message}`;
      out.className = "outcome bad";
      out.dataset.status = err.code;
    }
    out.hidden = false;
    await Promise.all([refreshCart(), refreshOrders()]);
  }

  // ---- wiring -------------------------------------------------------------------------------------

  function route() {
    const m = /^#\/room\/(.+)$/.exec(location.hash);
    if (m) showRoom(decodeURIComponent(m[1]));
    else showRooms();
  }

  $("user-button").addEventListener("click", () => {
    if (state.session) {
      $("signin-user").value = state.session.userId;
      $("signin-name").value = state.session.displayName;
      $("signin-role").value = state.session.role;
    }
    openPanel("signin");
  });
  $("signin-form").addEventListener("submit", signIn);
  $("signout-button").addEventListener("click", signOut);
  $("signin-close").addEventListener("click", closePanels);
  $("cart-button").addEventListener("click", openCart);
  $("cart-close").addEventListener("click", closePanels);
  $("drawer-backdrop").addEventListener("click", closePanels);
  $("checkout-button").addEventListener("click", checkout);
  $("rooms-refresh").addEventListener("click", loadRooms);
  $("like-button").addEventListener("click", like);
  $("chat-form").addEventListener("submit", sendChat);
  $("add-to-cart").addEventListener("click", addPinnedToCart);
  document.addEventListener("keydown", (e) => e.key === "Escape" && closePanels());
  window.addEventListener("hashchange", route);

  renderSession();
  refreshCart();
  connected();
  route();
})();
