// Keeps a counsellor's availability on a client page current without a reload:
// - SignalR says "this counsellor changed" (status toggled, absence entered, …);
// - a timer fires when an absence starts or ends (data-valid-until), so time alone also updates the page.
(() => {
    "use strict";
    const host = document.getElementById("availability-live");
    if (!host || !window.signalR) {
        return;
    }
    const counsellorId = host.dataset.counsellor;
    const refreshUrl = host.dataset.refreshUrl;
    const note = document.getElementById("live-note");
    let timer = 0;

    async function refresh() {
        const response = await fetch(refreshUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin", cache: "no-store" });
        if (!response.ok) {
            return;
        }
        const html = await response.text();
        // The server renders (and HTML-encodes) the fragment; it is parsed, never assigned as markup.
        const fresh = new DOMParser().parseFromString(html, "text/html").body.firstElementChild;
        const current = host.querySelector("[data-testid=availability]");
        if (fresh && current) {
            current.replaceWith(fresh);
            host.dataset.updated = String(Date.now());
        }
        schedule();
    }

    function schedule() {
        clearTimeout(timer);
        const section = host.querySelector("[data-testid=availability]");
        const until = section && section.dataset.validUntil ? Date.parse(section.dataset.validUntil) : NaN;
        if (!Number.isNaN(until)) {
            // setTimeout caps at ~24.8 days; re-check at least daily.
            const wait = Math.min(Math.max(until - Date.now(), 0) + 500, 86400000);
            timer = setTimeout(refresh, wait);
        }
    }

    const connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/verfuegbarkeit")
        .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
        .build();
    connection.on("availabilityChanged", () => refresh());
    connection.onreconnecting(() => { if (note) { note.textContent = host.dataset.reconnecting || "Verbindung wird wiederhergestellt …"; } });
    connection.onreconnected(async () => {
        if (note) { note.textContent = ""; }
        await connection.invoke("Watch", counsellorId);
        await refresh();
    });

    async function start() {
        try {
            await connection.start();
            await connection.invoke("Watch", counsellorId);
            host.dataset.live = "true";
        } catch {
            setTimeout(start, 5000);
        }
    }

    schedule();
    start();
})();
