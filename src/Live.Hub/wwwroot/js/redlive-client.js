// RedLive's JavaScript client module (docs/CLIENTS.md): typed-ish room events over a SignalR HubConnection, in the
// room's order, each once (de-duplicated by seq), with gaps closed by ResumeRoom, rooms resumed after SignalR's
// automatic reconnect, and a fresh snapshot when the server can no longer resume (PROTOCOL.md, v1.3).
// The same rules as the .NET client's RoomStreamState (src/Live.Client/Streams): keep the two alike.
// No dependencies: the app builds the HubConnection (@microsoft/signalr, JSON or MessagePack) and hands it over.

/** The hub's method and event names (PROTOCOL.md). */
export const HubNames = Object.freeze({
  JoinRoom: "JoinRoom",
  LeaveRoom: "LeaveRoom",
  ResumeRoom: "ResumeRoom",
  SendChat: "SendChat",
  Like: "Like",
  BuyNow: "BuyNow",
  BuyNowWithOrder: "BuyNowWithOrder",
  AddToCart: "AddToCart",
  AddToCartWithKey: "AddToCartWithKey",
  ChatBatch: "ChatBatch",
  ProductPinned: "ProductPinned",
  ProductUnpinned: "ProductUnpinned",
  FlashSaleStarted: "FlashSaleStarted",
  FlashSaleUpdated: "FlashSaleUpdated",
  FlashSaleEnded: "FlashSaleEnded",
  ViewerCount: "ViewerCount",
  LikesUpdated: "LikesUpdated",
  StreamStarted: "StreamStarted",
  StreamEnded: "StreamEnded",
  ChatDeleted: "ChatDeleted",
  PurchaseConfirmed: "PurchaseConfirmed",
  RemovedFromRoom: "RemovedFromRoom",
  RoomHeartbeat: "RoomHeartbeat",
});

/** The first pause before a catch-up answered unavailable or rate_limited goes again; it doubles up to the max. */
const FIRST_RETRY_PAUSE_MS = 500;
const MAX_RETRY_PAUSE_MS = 4000;

/** The pseudo-event of a stream item that carries a snapshot to start again from. */
export const SNAPSHOT = "Snapshot";

export const ERROR_CODES = Object.freeze(["invalid_argument", "unauthenticated", "forbidden", "not_found", "conflict", "rate_limited", "unavailable"]);

/**
 * The protocol's refusal in a hub error: SignalR prefixes the server's "code: message" with its own sentence
 * ("... HubException: rate_limited: slow down"). Answers { code, detail }; code "network" when the error carries no
 * refusal (a lost connection, say).
 */
export function hubError(err) {
  const message = (err && err.message) || String(err);
  const m = /(invalid_argument|unauthenticated|forbidden|not_found|conflict|rate_limited|unavailable):\s*(.*)$/s.exec(message);
  return m ? { code: m[1], detail: m[2] } : { code: "network", detail: message };
}

/** A refused hub call: err.code is the protocol's code, err.detail the server's message. */
export class LiveProtocolError extends Error {
  constructor(code, detail, cause) {
    super(`${code}: ${detail}`);
    this.name = "LiveProtocolError";
    this.code = code;
    this.detail = detail;
    this.cause = cause;
  }
}

/** Stream items of one event of a ResumeRoom answer: each ChatBatch message on its own, with its own seq. */
export function itemsOfResumedEvent(entry) {
  if (!entry || entry.data == null) return [];
  if (entry.event === HubNames.ChatBatch) {
    return entry.data.map((m) => ({ event: HubNames.ChatBatch, seq: m.seq ?? entry.seq, data: m }));
  }
  return [{ event: entry.event, seq: entry.seq, data: entry.data }];
}

const isNum = (v) => typeof v === "number" && Number.isFinite(v);

/**
 * The ordering rules of one room's stream, no I/O (the .NET RoomStreamState's twin). Each method answers
 * { deliver: items[], resume: { epoch, seq } | null }: hand `deliver` to the app in order and, when `resume` is set,
 * call ResumeRoom from it and give the answer to resume(). An item is { event, seq, data }.
 */
export class RoomStream {
  constructor({ maxBuffered = 10000 } = {}) {
    this.maxBuffered = maxBuffered;
    this.phase = "waiting"; // "waiting" (for a join/resume answer), "live", "resuming" (a gap's answer)
    this.epoch = null;
    this.seq = null;
    this.buffer = [];
    this.duplicates = 0;
    this.gaps = 0;
    this.resets = 0;
    this.overflowed = 0;
  }

  get sequenced() {
    return this.epoch != null && isNum(this.seq);
  }

  /** Where a reconnect resumes from; null when it must join again. */
  get resumePoint() {
    return this.sequenced ? { epoch: this.epoch, seq: this.seq } : null;
  }

  startFrom(point) {
    this.epoch = point.epoch;
    this.seq = point.seq;
  }

  offer(items) {
    if (this.phase !== "live") {
      for (const item of items) this.#buffer(item);
      return { deliver: [], resume: null };
    }
    return this.#continue([...items], []);
  }

  snapshot(snapshot) {
    this.epoch = snapshot.epoch ?? null;
    this.seq = isNum(snapshot.seq) ? snapshot.seq : null;
    this.resets++;
    this.phase = "live";
    return this.#continue(this.#takeBuffer(), [{ event: SNAPSHOT, seq: snapshot.seq, data: snapshot }]);
  }

  resume(answer) {
    if (!answer.resumed) {
      const s = answer.snapshot;
      if (!s) throw new Error("a resume answer with neither events nor snapshot");
      return this.snapshot({ ...s, epoch: s.epoch ?? answer.epoch, seq: isNum(s.seq) ? s.seq : answer.seq });
    }
    const deliver = [];
    for (const item of (answer.events || []).flatMap(itemsOfResumedEvent)) {
      // Folded latest-value events skip seqs inside an answer: only duplicates are looked for here.
      if (isNum(item.seq) && isNum(this.seq) && item.seq <= this.seq) {
        this.duplicates++;
        continue;
      }
      deliver.push(item);
      if (isNum(item.seq)) this.seq = item.seq;
    }
    this.epoch = answer.epoch ?? this.epoch;
    this.seq = Math.max(isNum(this.seq) ? this.seq : answer.seq, answer.seq);
    this.phase = "live";
    return this.#continue(this.#takeBuffer(), deliver);
  }

  /** A gap's resume was refused: give the gap up and deliver what waits. */
  resumeFailed() {
    if (this.phase !== "resuming") return { deliver: [], resume: null };
    this.phase = "live";
    const pending = this.#takeBuffer();
    // Continue from just before the first new event that waits: duplicates at or below seq are still dropped.
    const first = isNum(this.seq) ? pending.find((p) => isNum(p.seq) && p.seq > this.seq) : undefined;
    if (first) this.seq = first.seq - 1;
    return this.#continue(pending, []);
  }

  /**
   * The room's heartbeat (v1.5, { epoch, seq }: where its stream stands): resume when the room has sent events this
   * client has not (its last ones were lost and nothing after them showed the gap) or is in another epoch.
   */
  heartbeat(position) {
    if (this.phase !== "live" || !this.sequenced || (position.epoch === this.epoch && position.seq <= this.seq)) {
      return { deliver: [], resume: null };
    }
    this.gaps++;
    this.phase = "resuming";
    return { deliver: [], resume: this.resumePoint };
  }

  /** True when the caller should now resume (or join again); false while an answer is awaited already. */
  beginResync() {
    if (this.phase !== "live") return false;
    this.phase = "resuming";
    return true;
  }

  connectionLost() {
    this.phase = "waiting";
  }

  #takeBuffer() {
    const pending = this.buffer.map((item, index) => ({ item, index }));
    pending.sort((a, b) => (isNum(a.item.seq) ? a.item.seq : -Infinity) - (isNum(b.item.seq) ? b.item.seq : -Infinity) || a.index - b.index);
    this.buffer = [];
    return pending.map((p) => p.item);
  }

  #continue(pending, deliver) {
    for (let i = 0; i < pending.length; i++) {
      const item = pending[i];
      if (!isNum(item.seq) || !isNum(this.seq)) {
        deliver.push(item);
        continue;
      }
      if (item.seq <= this.seq) {
        this.duplicates++;
        continue;
      }
      if (item.seq > this.seq + 1 && this.epoch != null) {
        this.gaps++;
        this.phase = "resuming";
        for (let j = i; j < pending.length; j++) this.#buffer(pending[j]);
        return { deliver, resume: this.resumePoint };
      }
      deliver.push(item);
      this.seq = item.seq;
    }
    return { deliver, resume: null };
  }

  #buffer(item) {
    this.buffer.push(item);
    if (this.buffer.length > this.maxBuffered) {
      this.buffer.shift();
      this.overflowed++;
    }
  }
}

// Room handlers by event name: what an app passes to joinRoom.
const HANDLERS = {
  [SNAPSHOT]: "snapshot",
  [HubNames.ChatBatch]: "chat",
  [HubNames.ChatDeleted]: "chatDeleted",
  [HubNames.ProductPinned]: "productPinned",
  [HubNames.ProductUnpinned]: "productUnpinned",
  [HubNames.FlashSaleStarted]: "flashSaleStarted",
  [HubNames.FlashSaleUpdated]: "flashSaleUpdated",
  [HubNames.FlashSaleEnded]: "flashSaleEnded",
  [HubNames.ViewerCount]: "viewerCount",
  [HubNames.LikesUpdated]: "likesUpdated",
  [HubNames.StreamStarted]: "streamStarted",
  [HubNames.StreamEnded]: "streamEnded",
  [HubNames.RemovedFromRoom]: "removed",
};

/** One joined room: its stream state, its handlers, the sales it knows (to place FlashSaleUpdated). */
class Room {
  constructor(client, roomId, handlers) {
    this.client = client;
    this.roomId = roomId;
    this.handlers = handlers || {};
    this.stream = new RoomStream();
    this.generation = 0;
    this.sales = new Set();
    this.snapshot = null;
  }

  apply(generation, change) {
    if (generation !== null && generation !== this.generation) return; // an answer of a dropped connection
    const step = change(this.stream);
    for (const item of step.deliver) this.dispatch(item);
    if (step.resume) this.catchUp(this.generation, step.resume, true);
  }

  dispatch(item) {
    if (item.event === SNAPSHOT) {
      this.snapshot = item.data;
      this.sales = new Set((item.data.activeSales || []).map((s) => s.id));
    } else if (item.event === HubNames.FlashSaleStarted || item.event === HubNames.FlashSaleEnded) {
      this.sales.add(item.data.id);
    }
    const name = HANDLERS[item.event] || "unknown";
    const handler = this.handlers[name];
    if (!handler) return;
    try {
      handler(name === "unknown" ? item : item.data, item);
    } catch (err) {
      this.client.reportHandlerError(err);
    }
  }

  /** Calls an app's handler; one that throws is reported, never stops the room. */
  notify(name, arg) {
    const handler = this.handlers[name];
    if (!handler) return;
    try {
      handler(arg);
    } catch (err) {
      this.client.reportHandlerError(err);
    }
  }

  async catchUp(generation, point, gap) {
    if (gap) this.notify("gap", point);
    let pause = FIRST_RETRY_PAUSE_MS;
    for (;;) {
      try {
        if (point) {
          const answer = await this.client.invoke(HubNames.ResumeRoom, this.roomId, point.epoch, point.seq);
          this.apply(generation, (s) => s.resume(answer));
        } else {
          const snapshot = await this.client.invoke(HubNames.JoinRoom, this.roomId);
          this.apply(generation, (s) => s.snapshot(snapshot));
        }
        return;
      } catch (err) {
        // Not a refusal, and the connection went: the reconnect resumes from where the room stands. Not a refusal on
        // a connection still up: the server failed without a code ("An unexpected error occurred invoking ..."),
        // which is asked again like "unavailable", so that the room neither stalls nor gives its gap up.
        const refused = err instanceof LiveProtocolError;
        if (!refused && this.client.connection.state !== "Connected") return;
        this.notify("failed", err);
        if (refused && err.code !== "unavailable" && err.code !== "rate_limited") {
          this.apply(generation, (s) => s.resumeFailed());
          // A join or resume is forbidden only to a user banned from the room: banned while this connection was away,
          // its RemovedFromRoom went nowhere. Told as the server would have told it.
          if (err.code === "forbidden") this.notify("removed", { roomId: this.roomId, reason: "banned" });
          return;
        }
        // Passing (part of the cluster lost, too many joins at once): the same catch-up goes again after a pause, so
        // the room neither stalls nor gives its gap up; it stops when the connection drops or the room is left.
        // Jittered (±50 %), so that the viewers of a room refused at the same moment do not all ask again at once.
        await new Promise((resolve) => setTimeout(resolve, pause * (0.5 + Math.random())));
        pause = Math.min(pause * 2, MAX_RETRY_PAUSE_MS);
        if (generation !== this.generation || this.client.rooms.get(this.roomId) !== this) return;
      }
    }
  }

  reattach() {
    return this.catchUp(this.generation, this.stream.resumePoint, false);
  }

  connectionLost() {
    this.generation++;
    this.stream.connectionLost();
  }
}

/**
 * A RedLive client over a SignalR HubConnection (built by the app with withAutomaticReconnect; started or not).
 * Register before starting it, so that no event arrives unseen.
 *
 *   const client = new RedLiveClient(connection, { purchaseConfirmed: (order) => ... });
 *   await connection.start();
 *   const snapshot = await client.joinRoom(roomId, { snapshot, chat, productPinned, flashSaleUpdated, ... });
 */
export class RedLiveClient {
  constructor(connection, { purchaseConfirmed, handlerError } = {}) {
    this.connection = connection;
    this.rooms = new Map();
    this.purchaseConfirmed = purchaseConfirmed;
    this.handlerError = handlerError;

    const live = (roomId, event, seq, data) => this.rooms.get(roomId)?.apply(null, (s) => s.offer([{ event, seq, data }]));
    connection.on(HubNames.ChatBatch, (messages) => {
      const byRoom = new Map();
      for (const m of messages) {
        if (!byRoom.has(m.roomId)) byRoom.set(m.roomId, []);
        byRoom.get(m.roomId).push({ event: HubNames.ChatBatch, seq: m.seq, data: m });
      }
      for (const [roomId, items] of byRoom) this.rooms.get(roomId)?.apply(null, (s) => s.offer(items));
    });
    // Both name their room since v1.5; from an older server they are placed by #unplaced.
    connection.on(HubNames.ProductPinned, (p) =>
      p.roomId != null
        ? live(p.roomId, HubNames.ProductPinned, p.seq, p)
        : this.#unplaced({ event: HubNames.ProductPinned, seq: p.seq, data: p }, null),
    );
    connection.on(HubNames.FlashSaleUpdated, (p) =>
      p.roomId != null
        ? live(p.roomId, HubNames.FlashSaleUpdated, p.seq, p)
        : this.#unplaced({ event: HubNames.FlashSaleUpdated, seq: p.seq, data: p }, (room) => room.sales.has(p.saleId)),
    );
    connection.on(HubNames.RoomHeartbeat, (h) => this.rooms.get(h.roomId)?.apply(null, (s) => s.heartbeat(h)));
    connection.on(HubNames.ProductUnpinned, (r) => live(r.roomId, HubNames.ProductUnpinned, r.seq, r));
    connection.on(HubNames.FlashSaleStarted, (s) => live(s.roomId, HubNames.FlashSaleStarted, s.seq, s));
    connection.on(HubNames.FlashSaleEnded, (s) => live(s.roomId, HubNames.FlashSaleEnded, s.seq, s));
    connection.on(HubNames.ViewerCount, (u) => live(u.roomId, HubNames.ViewerCount, u.seq, u));
    connection.on(HubNames.LikesUpdated, (u) => live(u.roomId, HubNames.LikesUpdated, u.seq, u));
    connection.on(HubNames.StreamStarted, (r) => live(r.id, HubNames.StreamStarted, r.seq, r));
    connection.on(HubNames.StreamEnded, (r) => live(r.id, HubNames.StreamEnded, r.seq, r));
    connection.on(HubNames.ChatDeleted, (d) => live(d.roomId, HubNames.ChatDeleted, d.seq, d));
    connection.on(HubNames.RemovedFromRoom, (r) => this.rooms.get(r.roomId)?.dispatch({ event: HubNames.RemovedFromRoom, seq: null, data: r }));
    connection.on(HubNames.PurchaseConfirmed, (order) => {
      try {
        this.purchaseConfirmed?.(order);
      } catch (err) {
        this.reportHandlerError(err);
      }
    });
    // Handlers return nothing: SignalR would take a returned value as a client result the server did not ask for.

    connection.onreconnecting(() => {
      for (const room of this.rooms.values()) room.connectionLost();
    });
    connection.onreconnected(() => {
      for (const room of this.rooms.values()) room.reattach();
    });
    connection.onclose(() => {
      for (const room of this.rooms.values()) room.connectionLost();
    });
  }

  /** A fresh request id for one purchase intent (reuse it for that purchase's retries). */
  static newRequestId() {
    if (globalThis.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A hub call whose refusal throws LiveProtocolError (code, detail); other failures (the connection) as they are. */
  async invoke(method, ...args) {
    try {
      return await this.connection.invoke(method, ...args);
    } catch (err) {
      const e = hubError(err);
      if (e.code !== "network") throw new LiveProtocolError(e.code, e.detail, err);
      throw err;
    }
  }

  /**
   * Joins a room and answers its snapshot; the room's events then go to `handlers` ({ snapshot, chat, chatDeleted,
   * productPinned, productUnpinned, flashSaleStarted, flashSaleUpdated, flashSaleEnded, viewerCount, likesUpdated,
   * streamStarted, streamEnded, removed, gap, failed, unknown }), in order, each once. `snapshot` is called first and
   * again whenever the room starts over from a fresh one. Joining a room already joined (after a manual restart of
   * the connection, say) resumes it from where it stands.
   */
  async joinRoom(roomId, handlers) {
    let room = this.rooms.get(roomId);
    if (room) {
      if (handlers) room.handlers = handlers;
      room.connectionLost();
      await room.reattach();
      return room.snapshot;
    }
    room = new Room(this, roomId, handlers);
    this.rooms.set(roomId, room);
    const generation = room.generation;
    try {
      const snapshot = await this.invoke(HubNames.JoinRoom, roomId);
      room.apply(generation, (s) => s.snapshot(snapshot));
      return snapshot;
    } catch (err) {
      if (this.rooms.get(roomId) === room) this.rooms.delete(roomId);
      throw err;
    }
  }

  /** Leaves a room: its events stop. */
  async leaveRoom(roomId) {
    this.rooms.delete(roomId);
    await this.invoke(HubNames.LeaveRoom, roomId);
  }

  /** Where a room stands ({ epoch, seq }), to resume it later; null without the event stream. */
  resumePoint(roomId) {
    return this.rooms.get(roomId)?.stream.resumePoint ?? null;
  }

  /** Catches a room up now (ResumeRoom from its newest seq; an empty answer when nothing was missed). */
  async resync(roomId) {
    const room = this.rooms.get(roomId);
    if (!room || !room.stream.beginResync()) return;
    await room.catchUp(room.generation, room.stream.resumePoint, false);
  }

  sendChat(roomId, text) {
    return this.invoke(HubNames.SendChat, roomId, text);
  }

  like(roomId, count = 1) {
    return this.invoke(HubNames.Like, roomId, count);
  }

  /**
   * BuyNow with the purchase's request id: retried with the same id, the server answers it without buying twice.
   * Calls BuyNowWithOrder (PROTOCOL v1.6): the answer's `order` is the new order, handed to `purchaseConfirmed` before
   * the call returns, and the server sends that order's PurchaseConfirmed to the user's other connections only, so
   * each purchase is confirmed once here. A replay of the request id (sent again after a lost answer) carries the
   * order too from PROTOCOL v1.8 servers on, and confirms it here: twice at most by the order's id, never not at all.
   */
  async buyNow(saleId, quantity, requestId) {
    const result = await this.invoke(HubNames.BuyNowWithOrder, saleId, quantity, requestId);
    if (result && result.order) {
      try {
        this.purchaseConfirmed?.(result.order);
      } catch (err) {
        this.reportHandlerError(err);
      }
    }
    return result;
  }

  /**
   * AddToCart; with an idempotency key (1 to 60 printable ASCII characters) it calls AddToCartWithKey (PROTOCOL v1.7):
   * the same key adds once, so an add whose answer was lost (a dropped connection) may be sent again with it.
   */
  addToCart(productId, quantity, roomId, idempotencyKey) {
    return idempotencyKey
      ? this.invoke(HubNames.AddToCartWithKey, productId, quantity, roomId ?? null, idempotencyKey)
      : this.invoke(HubNames.AddToCart, productId, quantity, roomId ?? null);
  }

  reportHandlerError(err) {
    if (this.handlerError) this.handlerError(err);
    else console.error("redlive-client: a handler failed", err);
  }

  // ProductPinned and FlashSaleUpdated name no room: the only room, or the sale's; otherwise every room resumes,
  // and the answers (one per room) place it.
  #unplaced(item, owns) {
    const rooms = [...this.rooms.values()];
    const candidates = rooms.length === 1 || !owns ? rooms : rooms.filter(owns);
    if (candidates.length === 1) {
      candidates[0].apply(null, (s) => s.offer([item]));
      return;
    }
    for (const room of rooms) this.resync(room.roomId);
  }
}
