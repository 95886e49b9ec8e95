// Scenarios of wwwroot/js/redlive-client.js run in the page by RedLiveClientModuleTests: one async function of the
// module and a scenario's name, answering what the scenario saw (the C# test asserts on it). No server: the
// module's pure RoomStream, and RedLiveClient over a fake HubConnection that records calls and lets the scenario
// answer them and push events.
async (m, name) => {
  const EPOCH = "e1";
  const msg = (seq, roomId = "r1") => ({ id: `m${seq}`, roomId, userId: "u", displayName: "U", text: `hi ${seq}`, sentAt: "2025-05-01T12:00:00Z", seq });
  const chat = (seq) => ({ event: "ChatBatch", seq, data: msg(seq) });
  const snap = (seq, epoch = EPOCH, roomId = "r1") => ({ room: { id: roomId, title: "t", status: "live" }, pinnedProduct: null, activeSales: [], recentChat: [], viewers: 1, likes: 0, epoch, seq });
  const entry = (seq, event, data) => ({ event, seq, data });
  const resumed = (seq, ...events) => ({ resumed: true, epoch: EPOCH, seq, events, snapshot: null });
  const seqs = (step) => step.deliver.map((i) => i.seq);

  // A HubConnection stand-in: on/onreconnecting/onreconnected/onclose, and invoke() answered by the scenario.
  class FakeConnection {
    constructor() {
      this.handlers = new Map();
      this.calls = [];
      this.reconnecting = [];
      this.reconnected = [];
      this.closed = [];
    }
    on(name, f) { this.handlers.set(name, f); }
    onreconnecting(f) { this.reconnecting.push(f); }
    onreconnected(f) { this.reconnected.push(f); }
    onclose(f) { this.closed.push(f); }
    invoke(method, ...args) {
      return new Promise((resolve, reject) => this.calls.push({ method, args, resolve, reject }));
    }
    emit(name, arg) { this.handlers.get(name)(arg); }
    take(method) {
      const i = this.calls.findIndex((c) => c.method === method);
      if (i < 0) throw new Error(`no ${method} call (calls: ${this.calls.map((c) => c.method).join(", ")})`);
      return this.calls.splice(i, 1)[0];
    }
  }
  const tick = () => new Promise((r) => setTimeout(r, 0));

  switch (name) {
    case "buffersUntilTheAnswerAndDropsWhatTheSnapshotHas": {
      const s = new m.RoomStream();
      const before = [s.offer([chat(9)]), s.offer([chat(10)]), s.offer([chat(11)])].flatMap((x) => x.deliver);
      const step = s.snapshot(snap(10));
      return { before: before.length, events: step.deliver.map((i) => i.event), seqs: seqs(step), duplicates: s.duplicates, point: s.resumePoint };
    }
    case "dropsDuplicates": {
      const s = new m.RoomStream();
      s.snapshot(snap(5));
      const delivered = [chat(6), chat(6), chat(3), chat(7)].flatMap((c) => seqs(s.offer([c])));
      return { delivered, duplicates: s.duplicates, gaps: s.gaps };
    }
    case "gapResumesAndHoldsWhatFollows": {
      const s = new m.RoomStream();
      s.snapshot(snap(5));
      const gap = s.offer([chat(6), chat(9), chat(10)]);
      const meanwhile = s.offer([chat(11)]);
      const answer = s.resume(resumed(10, entry(8, "ChatBatch", [msg(7), msg(8)]), entry(9, "ChatBatch", [msg(9)]), entry(10, "ChatBatch", [msg(10)])));
      return { first: seqs(gap), resume: gap.resume, meanwhile: meanwhile.deliver.length, second: meanwhile.resume, after: seqs(answer), phase: s.phase, seq: s.seq };
    }
    case "snapshotFallback": {
      const s = new m.RoomStream();
      s.snapshot(snap(5));
      s.offer([chat(40), chat(41)]);
      const step = s.resume({ resumed: false, epoch: "e2", seq: 40, events: null, snapshot: snap(40, "e2") });
      return { events: step.deliver.map((i) => i.event), seqs: seqs(step), point: s.resumePoint, resets: s.resets };
    }
    case "unsequencedServer": {
      const s = new m.RoomStream();
      s.offer([{ event: "ChatBatch", data: msg(undefined) }]);
      const step = s.snapshot({ ...snap(undefined, undefined) });
      const later = s.offer([{ event: "ChatBatch", data: msg(undefined) }, { event: "ChatBatch", data: msg(undefined) }]);
      return { first: step.deliver.length, later: later.deliver.length, point: s.resumePoint };
    }
    case "lossyConnectionFuzz": {
      // A seeded PRNG (mulberry32): each run is the same run.
      const results = [];
      for (const seed of [1, 2, 3, 4, 5]) {
        let a = seed;
        const random = () => {
          a |= 0; a = (a + 0x6d2b79f5) | 0;
          let t = Math.imul(a ^ (a >>> 15), 1 | a);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
        };
        const total = 2000;
        const s = new m.RoomStream();
        const delivered = [];
        let pending = null;
        const take = (step) => {
          for (const i of step.deliver) if (i.event === "ChatBatch") delivered.push(i.seq);
          pending = pending || step.resume;
        };
        const answer = (from, newest) => resumed(newest, ...Array.from({ length: newest - from.seq }, (_, k) => entry(from.seq + 1 + k, "ChatBatch", [msg(from.seq + 1 + k)])));
        take(s.snapshot(snap(10)));
        for (let seq = 11; seq <= total; seq++) {
          const roll = random();
          if (roll < 0.05) {
            // lost
          } else if (roll < 0.1) {
            take(s.offer([chat(seq), chat(seq)]));
          } else if (roll < 0.12) {
            s.connectionLost();
            take(s.resume(answer(s.resumePoint, seq - 1)));
            take(s.offer([chat(seq)]));
          } else {
            take(s.offer([chat(seq)]));
          }
          if (pending && random() < 0.5) {
            const from = pending;
            pending = null;
            take(s.resume(answer(from, seq)));
          }
        }
        if (pending) take(s.resume(answer(pending, total)));
        if (s.beginResync()) take(s.resume(answer(s.resumePoint, total)));
        const inOrderOnce = delivered.length === total - 10 && delivered.every((v, i) => v === 11 + i);
        results.push({ seed, inOrderOnce, delivered: delivered.length, gaps: s.gaps, duplicates: s.duplicates });
      }
      return results;
    }
    case "clientClosesAGapWithResumeRoom": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const seen = [];
      const joining = client.joinRoom("r1", { snapshot: (s) => seen.push(`snapshot ${s.seq}`), chat: (x) => seen.push(`chat ${x.seq}`), gap: (p) => seen.push(`gap ${p.seq}`) });
      c.emit("ChatBatch", [msg(10), msg(11)]); // before the join's answer: waits
      c.take("JoinRoom").resolve(snap(10));
      await joining;
      c.emit("ChatBatch", [msg(12)]);
      c.emit("ChatBatch", [msg(15), msg(16)]); // 13 and 14 lost: a gap
      const resume = c.take("ResumeRoom");
      c.emit("ChatBatch", [msg(17)]); // while the resume is out
      resume.resolve(resumed(16, entry(14, "ChatBatch", [msg(13), msg(14)]), entry(16, "ChatBatch", [msg(15), msg(16)])));
      await tick();
      return { seen, resumeArgs: resume.args, pendingCalls: c.calls.map((x) => x.method) };
    }
    case "clientResumesAfterReconnectAndFallsBackToTheSnapshot": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const seen = [];
      const joining = client.joinRoom("r1", { snapshot: (s) => seen.push(`snapshot ${s.seq}`), chat: (x) => seen.push(`chat ${x.seq}`) });
      c.take("JoinRoom").resolve(snap(3));
      await joining;
      c.emit("ChatBatch", [msg(4)]);
      c.reconnecting.forEach((f) => f(new Error("gone")));
      c.reconnected.forEach((f) => f("new-id"));
      const first = c.take("ResumeRoom");
      c.emit("ChatBatch", [msg(6)]); // the new connection's first event, before the answer
      first.resolve(resumed(5, entry(5, "ChatBatch", [msg(5)])));
      await tick();
      // A second drop, long enough that the server no longer has the gap: a fresh snapshot, then what follows it.
      c.reconnecting.forEach((f) => f(new Error("gone again")));
      c.reconnected.forEach((f) => f("newer-id"));
      const second = c.take("ResumeRoom");
      c.emit("ChatBatch", [msg(80), msg(81)]);
      second.resolve({ resumed: false, epoch: "e2", seq: 80, events: null, snapshot: snap(80, "e2") });
      await tick();
      return { seen, firstArgs: first.args, secondArgs: second.args, point: client.resumePoint("r1") };
    }
    case "clientPlacesAPinOfOneOfTwoRoomsThroughResume": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const pins = { r1: [], r2: [] };
      for (const roomId of ["r1", "r2"]) {
        const joining = client.joinRoom(roomId, { productPinned: (p) => pins[roomId].push(p.id) });
        c.take("JoinRoom").resolve(snap(5, EPOCH, roomId));
        await joining;
      }
      c.emit("ProductPinned", { id: "p1", name: "Balm", seq: 6 }); // names no room
      const asked = c.calls.filter((x) => x.method === "ResumeRoom").map((x) => x.args[0]).sort();
      c.take("ResumeRoom").resolve(resumed(5)); // r1: nothing new
      c.take("ResumeRoom").resolve(resumed(6, entry(6, "ProductPinned", { id: "p1", name: "Balm", seq: 6 })));
      await tick();
      return { asked, pins };
    }
    case "clientResumesOnAHeartbeatAheadOfWhatItHas": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const seen = [];
      const joining = client.joinRoom("r1", { chat: (x) => seen.push(`chat ${x.seq}`), gap: (p) => seen.push(`gap ${p.seq}`) });
      c.take("JoinRoom").resolve(snap(10));
      await joining;
      c.emit("ChatBatch", [msg(11)]);
      c.emit("RoomHeartbeat", { roomId: "r1", epoch: EPOCH, seq: 11 }); // nothing missed
      c.emit("RoomHeartbeat", { roomId: "r2", epoch: EPOCH, seq: 50 }); // a room not joined
      const quiet = c.calls.map((x) => x.method);
      c.emit("RoomHeartbeat", { roomId: "r1", epoch: EPOCH, seq: 13 }); // 12 and 13 were lost, then silence
      c.emit("RoomHeartbeat", { roomId: "r1", epoch: EPOCH, seq: 13 }); // while the resume is out: no second one
      const resumes = c.calls.filter((x) => x.method === "ResumeRoom").length;
      const resume = c.take("ResumeRoom");
      resume.resolve(resumed(13, entry(13, "ChatBatch", [msg(12), msg(13)])));
      await tick();
      return { seen, quiet, resumes, resumeArgs: resume.args, point: client.resumePoint("r1") };
    }
    case "clientPlacesAPinAndProgressByTheirRoomId": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const pins = { r1: [], r2: [] };
      const progress = { r1: [], r2: [] };
      for (const roomId of ["r1", "r2"]) {
        const joining = client.joinRoom(roomId, { productPinned: (p) => pins[roomId].push(p.id), flashSaleUpdated: (p) => progress[roomId].push(p.saleId) });
        c.take("JoinRoom").resolve(snap(5, EPOCH, roomId));
        await joining;
      }
      c.emit("ProductPinned", { id: "p1", name: "Balm", seq: 6, roomId: "r2" });
      c.emit("FlashSaleUpdated", { saleId: "s9", remaining: 3, sold: 2, recentBuyers: [], seq: 6, roomId: "r1" });
      return { pins, progress, calls: c.calls.map((x) => x.method) };
    }
    case "refusalsAreTyped": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const sending = client.sendChat("r1", "hi").catch((e) => e);
      c.take("SendChat").reject(new Error("An unexpected error occurred invoking 'SendChat' on the server. HubException: forbidden: join the room first"));
      const refused = await sending;
      const buying = client.buyNow("s1", 1, "req-1").catch((e) => e);
      c.take("BuyNowWithOrder").reject(new Error("WebSocket closed with status code: 1006"));
      const lost = await buying;
      return { name: refused.name, code: refused.code, detail: refused.detail, lostIsProtocol: lost instanceof m.LiveProtocolError, lost: m.hubError(lost).code };
    }
    case "buyNowConfirmsFromItsAnswerOnce": {
      const c = new FakeConnection();
      const confirmed = [];
      const client = new m.RedLiveClient(c, { purchaseConfirmed: (order) => confirmed.push(order.id) });
      const order = { id: "o1", userId: "u", saleId: "s1", productId: "p1", quantity: 1, total: 59.9, currency: "CNY", createdAt: "2025-05-01T12:00:00Z" };
      const buying = client.buyNow("s1", 1, "req-1");
      const call = c.take("BuyNowWithOrder");
      call.resolve({ status: "confirmed", remaining: 4, orderId: "o1", requestId: "req-1", order });
      const first = await buying;
      const beforeEvent = [...confirmed];
      // Another device's purchase still arrives as the event; a replay of req-1 answers without the order.
      c.emit("PurchaseConfirmed", { ...order, id: "o2" });
      const replaying = client.buyNow("s1", 1, "req-1");
      c.take("BuyNowWithOrder").resolve({ status: "confirmed", remaining: 4, orderId: "o1", requestId: "req-1" });
      const replay = await replaying;
      return { args: call.args, status: first.status, orderId: first.order.id, beforeEvent, confirmed, replayStatus: replay.status, pending: c.calls.map((x) => x.method) };
    }
    case "addToCartSendsItsKey": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c, {});
      const cart = { userId: "u", items: [{ productId: "p1", quantity: 1, unitPrice: 10, currency: "CNY" }], total: 10, currency: "CNY" };
      const keyed = client.addToCart("p1", 1, "r1", "add-1");
      const withKey = c.take("AddToCartWithKey");
      withKey.resolve(cart);
      const plain = client.addToCart("p1", 1);
      const withoutKey = c.take("AddToCart");
      withoutKey.resolve(cart);
      return { withKey: withKey.args, withoutKey: withoutKey.args, total: (await keyed).total + (await plain).total, pending: c.calls.map((x) => x.method) };
    }
    case "gapGivenUpDropsWaitingDuplicates": {
      const s = new m.RoomStream();
      s.snapshot(snap(5));
      const gap = s.offer([chat(8)]);
      s.offer([chat(5), chat(9)]); // a timed-out push sends 5 again
      const step = s.resumeFailed();
      return { resume: gap.resume, seqs: seqs(step), duplicates: s.duplicates, seq: s.seq, again: step.resume };
    }
    case "forbiddenCatchUpIsARemoval": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const removed = [];
      const failures = [];
      const joining = client.joinRoom("r1", { removed: (r) => removed.push(`${r.roomId} ${r.reason}`), failed: (e) => failures.push(e.code) });
      c.take("JoinRoom").resolve(snap(3));
      await joining;
      c.reconnecting.forEach((f) => f(new Error("gone")));
      c.reconnected.forEach((f) => f("new-id"));
      c.take("ResumeRoom").reject(new Error("HubException: forbidden: you are banned from room r1"));
      await tick();
      await tick();
      return { removed, failures, pending: c.calls.map((x) => x.method) };
    }
    case "catchUpAnsweredUnavailableGoesAgain": {
      const c = new FakeConnection();
      const client = new m.RedLiveClient(c);
      const seen = [];
      const failures = [];
      const joining = client.joinRoom("r1", { chat: (x) => seen.push(`chat ${x.seq}`), failed: (e) => failures.push(e.code) });
      c.take("JoinRoom").resolve(snap(3));
      await joining;
      c.reconnecting.forEach((f) => f(new Error("gone")));
      c.reconnected.forEach((f) => f("new-id"));
      c.take("ResumeRoom").reject(new Error("An unexpected error occurred invoking 'ResumeRoom' on the server. HubException: unavailable: part of the cluster was lost; try again"));
      await tick();
      c.emit("ChatBatch", [msg(6)]); // live, held while the room catches up
      const waiting = { seen: [...seen], calls: c.calls.map((x) => x.method) };
      await new Promise((r) => setTimeout(r, 1000)); // the first pause is 500 ms ± 50 %
      const again = c.take("ResumeRoom");
      again.resolve(resumed(5, entry(4, "ChatBatch", [msg(4)]), entry(5, "ChatBatch", [msg(5)])));
      await tick();
      // A refusal that is not passing (the room is gone) ends a gap's catch-up: what waited is delivered, no retry.
      c.emit("ChatBatch", [msg(9)]);
      c.take("ResumeRoom").reject(new Error("HubException: not_found: room r1 not found"));
      await tick();
      await new Promise((r) => setTimeout(r, 700));
      return { waiting, againArgs: again.args, seen, failures, pending: c.calls.map((x) => x.method) };
    }
    case "catchUpFailedWithoutACodeGoesAgain": {
      const c = new FakeConnection();
      c.state = "Connected";
      const client = new m.RedLiveClient(c);
      const seen = [];
      const failures = [];
      const joining = client.joinRoom("r1", { chat: (x) => seen.push(`chat ${x.seq}`), failed: (e) => failures.push(e.code ?? e.message) });
      c.take("JoinRoom").resolve(snap(3));
      await joining;
      c.reconnecting.forEach((f) => f(new Error("gone")));
      c.reconnected.forEach((f) => f("new-id"));
      // What SignalR's client rejects with when the server's method threw something it did not map: no code.
      c.take("ResumeRoom").reject(new Error("An unexpected error occurred invoking 'ResumeRoom' on the server."));
      await tick();
      c.emit("ChatBatch", [msg(6)]); // live, held while the room catches up
      await new Promise((r) => setTimeout(r, 1000)); // the first pause is 500 ms ± 50 %
      const again = c.take("ResumeRoom");
      again.resolve(resumed(5, entry(4, "ChatBatch", [msg(4)]), entry(5, "ChatBatch", [msg(5)])));
      await tick();
      // The same kind of error once the connection is down is the connection's: no retry, the reconnect resumes.
      c.emit("ChatBatch", [msg(9)]);
      c.state = "Reconnecting";
      c.take("ResumeRoom").reject(new Error("Invocation canceled due to the underlying connection being closed."));
      await tick();
      await new Promise((r) => setTimeout(r, 1000));
      return { againArgs: again.args, seen, failures, pending: c.calls.map((x) => x.method) };
    }
    default:
      throw new Error(`no scenario ${name}`);
  }
}
