// The chat link in the navigation (issue 5), on every page of a signed-in counsellor or client:
// - keeps one chat connection open, so a counsellor in chat mode "Online" is shown online while any Lotse page is open;
// - shows the number of unread chat messages next to the link, live.
// The layout marks the link: <a href="/chats" data-chat-nav>…<span data-chat-nav-unread data-text="{0} ungelesen" hidden></span></a>
(() => {
    "use strict";
    const link = document.querySelector("[data-chat-nav]");
    if (!link || !window.signalR) {
        return;
    }
    const badge = link.querySelector("[data-chat-nav-unread]");

    async function refresh() {
        if (!badge) {
            return;
        }
        try {
            const count = Number(await connection.invoke("Unread")) || 0;
            badge.hidden = count === 0;
            badge.textContent = count === 0 ? "" : (badge.dataset.text || "{0}").replace("{0}", String(count));
        } catch {
            // The next change tries again.
        }
    }

    const retryDelays = [0, 1000, 2000, 5000];
    const connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/chat")
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => retryDelays[context.previousRetryCount] ?? 10000 })
        .build();
    connection.on("inbox", () => refresh());
    connection.onreconnected(() => refresh());

    async function start(attempt) {
        try {
            await connection.start();
            link.dataset.live = "true";
            await refresh();
        } catch {
            setTimeout(() => start(attempt + 1), retryDelays[attempt] ?? 10000);
        }
    }

    start(0);
})();
