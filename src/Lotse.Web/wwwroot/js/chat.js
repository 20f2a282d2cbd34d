// Live chat (issue 5). Two kinds of page use it:
// - a conversation ([data-chat]): messages both ways, typing, read receipts, unread badge, reconnect without losing or
//   doubling a message;
// - a list of conversations ([data-chat-inbox]): reloads itself when something changes.
// Every text comes from data-* attributes (rendered through the localizer); messages are written with textContent only.
(() => {
    "use strict";
    if (!window.signalR) {
        return;
    }

    const panel = document.querySelector("[data-chat]");
    const inbox = document.querySelector("[data-chat-inbox]");

    // Keep trying for as long as the page is open: 0 s, 1 s, 2 s, 5 s, then every 10 s.
    const retryDelays = [0, 1000, 2000, 5000];
    function connect(url) {
        return new signalR.HubConnectionBuilder()
            .withUrl(url)
            .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => retryDelays[context.previousRetryCount] ?? 10000 })
            .build();
    }

    // The first start is not covered by automatic reconnect: retry it the same way.
    async function startWithRetry(connection, onStarted, attempt = 0) {
        try {
            await connection.start();
        } catch {
            setTimeout(() => startWithRetry(connection, onStarted, attempt + 1), retryDelays[attempt] ?? 10000);
            return;
        }
        await onStarted();
    }

    // A server-side refusal (HubException) arrives as "... HubException: <German text>"; anything else is a lost connection.
    function refusalText(error) {
        const message = error && error.message ? String(error.message) : "";
        const marker = "HubException: ";
        const at = message.indexOf(marker);
        return at >= 0 ? message.slice(at + marker.length) : null;
    }

    function newMessageId() {
        if (window.crypto && typeof window.crypto.randomUUID === "function") {
            return window.crypto.randomUUID();
        }
        // randomUUID needs a secure context; getRandomValues does not.
        const bytes = window.crypto.getRandomValues(new Uint8Array(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }

    async function replaceFromServer(url, current) {
        const response = await fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin", cache: "no-store" });
        if (!response.ok || !current) {
            return null;
        }
        // The server renders (and HTML-encodes) the fragment; it is parsed, never assigned as markup.
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html").body.firstElementChild;
        if (fresh) {
            current.replaceWith(fresh);
        }
        return fresh;
    }

    if (panel) {
        conversationPage(panel);
    } else if (inbox) {
        inboxPage(inbox);
    }

    function inboxPage(host) {
        const note = document.querySelector("[data-connection]");
        const connection = connect("/hubs/chat");
        let refreshing = null;
        let again = false;
        async function refresh() {
            if (refreshing) {
                again = true;
                return;
            }
            refreshing = replaceFromServer(host.dataset.refreshUrl, host.querySelector("[data-testid=chat-list]"));
            try {
                await refreshing;
            } finally {
                refreshing = null;
                if (again) {
                    again = false;
                    refresh();
                }
            }
        }
        connection.on("inbox", () => refresh());
        connection.onreconnecting(() => { if (note) { note.textContent = host.dataset.textReconnecting || ""; } });
        connection.onreconnected(() => {
            if (note) { note.textContent = ""; }
            host.dataset.live = "true";
            refresh();
        });
        startWithRetry(connection, async () => {
            host.dataset.live = "true";
            await refresh();
        });
    }

    function conversationPage(root) {
        const d = root.dataset;
        const conversationId = d.conversation;
        const mySide = d.side;
        const maxLength = Number(d.maxLength) || 4000;
        const log = root.querySelector("[data-chat-log]");
        const scroller = root.querySelector("[data-chat-scroll]");
        const form = root.querySelector("[data-chat-form]");
        const textarea = form.querySelector("textarea");
        const sendButton = form.querySelector("button[type=submit]");
        const errorBox = root.querySelector("[data-chat-error]");
        const typingNote = root.querySelector("[data-typing]");
        const connectionNote = root.querySelector("[data-connection]");
        const unreadBadge = root.querySelector("[data-unread]");
        const olderButton = root.querySelector("[data-load-older]");
        const statusHost = root.querySelector("[data-chat-status-host]");
        const storageKey = `lotse.chat.pending.${conversationId}`;
        const baseTitle = document.title;

        /** id -> li of every stored message on the page: a message is shown once, whatever way it arrived. */
        const known = new Map();
        /** clientMessageId -> { text, li, sending } of messages not yet acknowledged, in the order written. */
        const pending = new Map();
        /** Every message up to this id is on the page (live messages extend it only when nothing is missing in between). */
        let syncedUpTo = 0;
        let myReadUpTo = Number(d.myRead) || 0;
        let otherReadUpTo = Number(d.otherRead) || 0;
        let canWrite = false;
        let closed = false;
        let lastTypingSent = 0;
        let typingTimer = 0;
        let catchingUp = null;
        let catchUpAgain = false;
        let markTimer = 0;

        // ---- Time, the same way the server writes it: "14:03" today, "24.11., 14:03" before, in Berlin time. ----
        const berlin = new Intl.DateTimeFormat("de-DE", {
            timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
        });
        function parts(date) {
            return Object.fromEntries(berlin.formatToParts(date).map((p) => [p.type, p.value]));
        }
        function timeText(iso) {
            const sent = parts(new Date(iso));
            const today = parts(new Date());
            const clock = `${sent.hour}:${sent.minute}`;
            return sent.year === today.year && sent.month === today.month && sent.day === today.day ? clock : `${sent.day}.${sent.month}., ${clock}`;
        }

        // ---- Rendering (textContent only: a message is text, a link in it stays text). ----
        function element(tag, className, text) {
            const e = document.createElement(tag);
            if (className) { e.className = className; }
            if (text !== undefined) { e.textContent = text; }
            return e;
        }

        function renderMessage(sender, body, sentIso) {
            const mine = sender === mySide;
            const li = element("li", `chat-msg ${mine ? "chat-msg--mine" : "chat-msg--theirs"}`);
            li.dataset.sender = sender;
            li.dataset.testid = "chat-message";
            const meta = element("p", "chat-msg__meta");
            meta.append(element("span", "chat-msg__who", mine ? d.textYou : d.textOther), " ");
            const time = element("time", "", sentIso ? timeText(sentIso) : "");
            if (sentIso) { time.dateTime = sentIso; }
            meta.append(time);
            const text = element("p", "chat-msg__body", body);
            text.dataset.body = "";
            li.append(meta, text);
            if (mine) {
                const status = element("p", "chat-msg__status");
                status.dataset.status = "";
                li.append(status);
            }
            return li;
        }

        function setStored(li, m) {
            li.dataset.id = String(m.id);
            li.dataset.cmid = m.clientMessageId;
            li.classList.remove("chat-msg--pending", "chat-msg--failed");
            const time = li.querySelector("time");
            if (time && m.sentUtc) {
                time.dateTime = m.sentUtc;
                time.textContent = timeText(m.sentUtc);
            }
        }

        function setStatus(li) {
            const status = li.querySelector("[data-status]");
            if (!status) { return; }
            if (li.classList.contains("chat-msg--failed")) {
                status.textContent = d.textFailed;
            } else if (!li.dataset.id) {
                status.textContent = d.textSending;
            } else {
                status.textContent = Number(li.dataset.id) <= otherReadUpTo ? d.textRead : d.textSent;
            }
        }

        function nearBottom() {
            return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
        }

        function scrollToBottom() {
            scroller.scrollTop = scroller.scrollHeight;
        }

        /** Stored messages in id order; unacknowledged ones stay after them, in the order written. */
        function place(li, id) {
            const stored = Array.from(log.children).filter((c) => c.dataset.id);
            const after = stored.find((c) => Number(c.dataset.id) > id);
            if (after) {
                log.insertBefore(li, after);
                return;
            }
            const firstPending = Array.from(log.children).find((c) => !c.dataset.id);
            log.insertBefore(li, firstPending || null);
        }

        function removeEmptyNote() {
            const empty = root.querySelector("[data-chat-empty]");
            if (empty) { empty.remove(); }
        }

        /** One stored message, from wherever it came (live event, acknowledgement, catching up, history). */
        function receive(m) {
            if (!m || m.conversationId !== conversationId) { return; }
            const wasAtBottom = nearBottom();
            const own = m.sender === mySide ? pending.get(m.clientMessageId) : undefined;
            if (own) {
                pending.delete(m.clientMessageId);
                savePending();
            }
            if (known.has(m.id)) {
                // Already on the page: an acknowledgement after the live event (or the other way round). Drop the twin.
                if (own && own.li !== known.get(m.id)) { own.li.remove(); }
            } else {
                let li;
                if (own) {
                    li = own.li;
                    li.remove();
                } else {
                    li = renderMessage(m.sender, m.body, m.sentUtc);
                }
                setStored(li, m);
                known.set(m.id, li);
                place(li, m.id);
                setStatus(li);
                removeEmptyNote();
                if (m.sender !== mySide) {
                    hideTyping();
                }
            }
            if (m.sender === mySide || wasAtBottom) {
                scrollToBottom();
            }
        }

        /** A live message extends what we hold only if the one before it is covered; otherwise something is missing. */
        function receiveLive(m) {
            if (!m || m.conversationId !== conversationId) { return; }
            receive(m);
            if (typeof m.previousId === "number") {
                if (m.previousId <= syncedUpTo) {
                    syncedUpTo = Math.max(syncedUpTo, m.id);
                } else {
                    catchUp().catch(() => { /* done again after the next reconnect */ });
                }
            }
            afterChange();
        }

        function afterChange() {
            updateUnread();
            scheduleMarkRead();
        }

        // ---- Catching up: everything after syncedUpTo, page by page. Also after a reconnect. ----
        async function catchUp() {
            if (catchingUp) {
                catchUpAgain = true;
                return catchingUp;
            }
            catchingUp = (async () => {
                let more = true;
                while (more) {
                    const page = await connection.invoke("Since", conversationId, syncedUpTo);
                    page.messages.forEach(receive);
                    if (page.messages.length > 0) {
                        syncedUpTo = Math.max(syncedUpTo, page.messages[page.messages.length - 1].id);
                    }
                    more = page.hasMore;
                }
            })();
            try {
                await catchingUp;
            } finally {
                catchingUp = null;
                afterChange();
            }
            if (catchUpAgain) {
                catchUpAgain = false;
                await catchUp();
            }
        }

        // ---- Sending: stored first, acknowledged after; unacknowledged messages are sent again with the same id. ----
        function savePending() {
            try {
                const list = Array.from(pending, ([cmid, p]) => ({ cmid, text: p.text }));
                if (list.length > 0) {
                    sessionStorage.setItem(storageKey, JSON.stringify(list));
                } else {
                    sessionStorage.removeItem(storageKey);
                }
            } catch {
                // Storage may be off (private mode); the pending list in memory still works for this page.
            }
        }

        function loadPending() {
            try {
                const list = JSON.parse(sessionStorage.getItem(storageKey) || "[]");
                for (const item of list) {
                    if (item && typeof item.cmid === "string" && typeof item.text === "string") {
                        addPending(item.cmid, item.text);
                    }
                }
            } catch {
                sessionStorage.removeItem(storageKey);
            }
        }

        function addPending(cmid, text) {
            const li = renderMessage(mySide, text, null);
            li.classList.add("chat-msg--pending");
            li.dataset.cmid = cmid;
            log.append(li);
            setStatus(li);
            removeEmptyNote();
            pending.set(cmid, { text, li, sending: false });
            savePending();
            scrollToBottom();
            return pending.get(cmid);
        }

        async function sendOne(cmid) {
            const p = pending.get(cmid);
            if (!p || p.sending) { return; }
            if (connection.state !== signalR.HubConnectionState.Connected) {
                // Not an error: the message waits in the page ("wird gesendet …") and goes out after the reconnect.
                connectionNote.textContent = d.textOffline;
                return;
            }
            p.sending = true;
            try {
                const stored = await connection.invoke("Send", conversationId, cmid, p.text);
                receiveLive(stored);
            } catch (error) {
                const refusal = refusalText(error);
                if (refusal !== null) {
                    // Refused by the server (closed, too fast, too long): it is not stored and will not be retried.
                    pending.delete(cmid);
                    savePending();
                    p.li.classList.remove("chat-msg--pending");
                    p.li.classList.add("chat-msg--failed");
                    setStatus(p.li);
                    showError(refusal);
                    if (!textarea.value) {
                        textarea.value = p.text;
                        p.li.remove();
                    }
                } else {
                    // Connection lost before the acknowledgement: stays pending; sent again (same id) after the reconnect.
                    connectionNote.textContent = d.textOffline;
                }
            } finally {
                p.sending = false;
            }
        }

        async function resendPending() {
            for (const cmid of Array.from(pending.keys())) {
                if (connection.state !== signalR.HubConnectionState.Connected) { return; }
                await sendOne(cmid);
            }
        }

        function showError(text) {
            errorBox.textContent = text || "";
        }

        form.addEventListener("submit", (event) => {
            event.preventDefault();
            if (!canWrite) { return; }
            const text = textarea.value.trim();
            if (!text) {
                showError(d.textEmpty);
                return;
            }
            if (text.length > maxLength) {
                showError(d.textTooLong);
                return;
            }
            showError("");
            textarea.value = "";
            const cmid = newMessageId();
            addPending(cmid, text);
            sendOne(cmid);
            textarea.focus();
        });

        textarea.addEventListener("keydown", (event) => {
            // Enter sends on a keyboard; Shift+Enter makes a new line. On touch screens Enter stays a new line.
            if (event.key === "Enter" && !event.shiftKey && !event.isComposing && window.matchMedia("(pointer: fine)").matches) {
                event.preventDefault();
                form.requestSubmit();
            }
        });

        textarea.addEventListener("input", () => {
            const now = Date.now();
            if (textarea.value.trim() && now - lastTypingSent > 3000 && connection.state === signalR.HubConnectionState.Connected) {
                lastTypingSent = now;
                connection.invoke("Typing", conversationId).catch(() => { /* a lost typing signal does not matter */ });
            }
        });

        // ---- Typing, read receipts, unread badge. ----
        function showTyping() {
            typingNote.textContent = d.textTyping;
            clearTimeout(typingTimer);
            typingTimer = setTimeout(hideTyping, 5000);
        }

        function hideTyping() {
            clearTimeout(typingTimer);
            typingNote.textContent = "";
        }

        function newestFromOther() {
            let newest = 0;
            for (const [id, li] of known) {
                if (li.dataset.sender !== mySide && id > newest) { newest = id; }
            }
            return newest;
        }

        function updateUnread() {
            let count = 0;
            for (const [id, li] of known) {
                if (li.dataset.sender !== mySide && id > myReadUpTo) { count++; }
            }
            unreadBadge.hidden = count === 0;
            unreadBadge.textContent = count === 0 ? "" : d.textUnread.replace("{0}", String(count));
            document.title = count === 0 ? baseTitle : `(${count}) ${baseTitle}`;
        }

        function scheduleMarkRead() {
            clearTimeout(markTimer);
            markTimer = setTimeout(markRead, 250);
        }

        async function markRead() {
            if (document.visibilityState !== "visible" || connection.state !== signalR.HubConnectionState.Connected) { return; }
            const newest = newestFromOther();
            if (newest <= myReadUpTo) { return; }
            try {
                myReadUpTo = Math.max(myReadUpTo, await connection.invoke("MarkRead", conversationId, newest));
                updateUnread();
            } catch {
                // Tried again with the next message or when the page becomes visible.
            }
        }

        document.addEventListener("visibilitychange", () => {
            if (document.visibilityState === "visible") { scheduleMarkRead(); }
        });

        // ---- Status: may this side write now (closed, counsellor's availability for the client)? ----
        function applyStatus() {
            const status = statusHost.querySelector("[data-testid=chat-status]");
            canWrite = !!status && status.dataset.canWrite === "true";
            closed = !!status && status.dataset.closed === "true";
            form.hidden = !canWrite;
            textarea.disabled = !canWrite;
            sendButton.disabled = !canWrite;
            if (closed) {
                hideTyping();
            }
            root.dataset.canWrite = String(canWrite);
        }

        // One refresh at a time; a change during a refresh refreshes once more, so the last answer shown is the newest.
        let refreshingStatus = null;
        let refreshStatusAgain = false;
        async function refreshStatus() {
            if (refreshingStatus) {
                refreshStatusAgain = true;
                return refreshingStatus;
            }
            refreshingStatus = (async () => {
                try {
                    await replaceFromServer(d.statusUrl, statusHost.querySelector("[data-testid=chat-status]"));
                    applyStatus();
                } catch {
                    // The next change or reconnect refreshes again.
                }
            })();
            try {
                await refreshingStatus;
            } finally {
                refreshingStatus = null;
            }
            if (refreshStatusAgain) {
                refreshStatusAgain = false;
                await refreshStatus();
            }
        }

        // ---- Older messages on request. ----
        olderButton.addEventListener("click", async () => {
            const ids = Array.from(known.keys());
            if (ids.length === 0 || connection.state !== signalR.HubConnectionState.Connected) { return; }
            olderButton.disabled = true;
            try {
                const before = Math.min(...ids);
                const page = await connection.invoke("History", conversationId, before, 50);
                const height = scroller.scrollHeight;
                page.messages.forEach(receive);
                // Keep what the reader was looking at in place.
                scroller.scrollTop += scroller.scrollHeight - height;
                olderButton.hidden = !page.hasMore;
            } catch (error) {
                showError(refusalText(error) || d.textError);
            } finally {
                olderButton.disabled = false;
            }
        });

        // ---- The connection. ----
        const connection = connect("/hubs/chat");
        connection.on("message", (m) => receiveLive(m));
        connection.on("typing", (t) => {
            if (t && t.conversationId === conversationId && t.side !== mySide && !closed) { showTyping(); }
        });
        connection.on("read", (r) => {
            if (!r || r.conversationId !== conversationId) { return; }
            if (r.reader === mySide) {
                myReadUpTo = Math.max(myReadUpTo, r.upToId);
                updateUnread();
            } else {
                otherReadUpTo = Math.max(otherReadUpTo, r.upToId);
                known.forEach((li) => setStatus(li));
            }
        });
        connection.on("closed", (c) => {
            if (c && c.conversationId === conversationId) { refreshStatus(); }
        });
        connection.onreconnecting(() => {
            connectionNote.textContent = d.textReconnecting;
            root.dataset.live = "false";
        });
        connection.onreconnected(() => joined());
        connection.onclose(() => {
            connectionNote.textContent = d.textOffline;
            root.dataset.live = "false";
            startWithRetry(connection, joined);
        });

        /** After every (re)connect: join, fetch what was missed, send what is still unacknowledged, refresh the status. */
        async function joined() {
            try {
                const state = await connection.invoke("Join", conversationId);
                myReadUpTo = Math.max(myReadUpTo, state.myReadUpTo);
                otherReadUpTo = Math.max(otherReadUpTo, state.otherReadUpTo);
                await catchUp();
                await resendPending();
                known.forEach((li) => setStatus(li));
                connectionNote.textContent = "";
                showError("");
                root.dataset.live = "true";
                await refreshStatus();
            } catch (error) {
                connectionNote.textContent = refusalText(error) || d.textReconnecting;
            }
        }

        // The client also follows the counsellor's availability (online, status, absence) through its own live channel.
        if (mySide === "client") {
            const availability = connect("/hubs/verfuegbarkeit");
            availability.on("availabilityChanged", () => refreshStatus());
            availability.onreconnected(async () => {
                await availability.invoke("Watch", d.counsellor);
                await refreshStatus();
            });
            startWithRetry(availability, async () => {
                await availability.invoke("Watch", d.counsellor);
                root.dataset.watching = "true";
                // A change between rendering this page and watching would otherwise go unnoticed.
                await refreshStatus();
            });
        }

        // ---- Start: what the server rendered, what is still pending from before a reload, then connect. ----
        for (const li of log.querySelectorAll("li[data-id]")) {
            const id = Number(li.dataset.id);
            known.set(id, li);
            syncedUpTo = Math.max(syncedUpTo, id);
        }
        loadPending();
        applyStatus();
        updateUnread();
        scrollToBottom();
        connectionNote.textContent = d.textConnecting;
        startWithRetry(connection, joined);
    }
})();
