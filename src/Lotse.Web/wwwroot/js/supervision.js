// Keeps the agency admin's supervision board current without a reload:
// - the supervision hub says "something of your agency changed" (a mail request came, was taken, answered, closed);
// - the availability hub says "counsellor X changed" (status toggled, absence, presence, appointment) for each counsellor;
// - once a minute anyway, because time alone makes requests overdue and absences begin or end.
// Every signal only triggers a fetch of the server-rendered board; the signals carry no data.
(() => {
    "use strict";
    const host = document.getElementById("supervision-live");
    if (!host || !window.signalR) {
        return;
    }
    const refreshUrl = host.dataset.refreshUrl;
    const counsellors = (host.dataset.counsellors || "").split(",").filter(id => id.length > 0);
    const note = document.getElementById("live-note");
    let pending = null;
    let again = false;

    async function refresh() {
        // One fetch at a time; signals arriving meanwhile cause one more fetch afterwards.
        if (pending) {
            again = true;
            return;
        }
        pending = (async () => {
            try {
                const response = await fetch(refreshUrl, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin", cache: "no-store" });
                if (!response.ok) {
                    return;
                }
                const html = await response.text();
                // The server renders (and HTML-encodes) the fragment; it is parsed, never assigned as markup.
                const fresh = new DOMParser().parseFromString(html, "text/html").body.firstElementChild;
                const current = host.querySelector("[data-testid=supervision-board]");
                if (fresh && current) {
                    current.replaceWith(fresh);
                    host.dataset.refreshed = String(Number(host.dataset.refreshed || "0") + 1);
                }
            } catch {
                // Offline for a moment: the next signal or the minute timer tries again.
            }
        })();
        await pending;
        pending = null;
        if (again) {
            again = false;
            await refresh();
        }
    }

    function connect(url, event, onStarted) {
        const connection = new signalR.HubConnectionBuilder()
            .withUrl(url)
            .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 30000])
            .build();
        connection.on(event, () => refresh());
        connection.onreconnecting(() => { if (note) { note.textContent = host.dataset.reconnecting || "Verbindung wird wiederhergestellt …"; } });
        connection.onreconnected(async () => {
            if (note) { note.textContent = ""; }
            await onStarted(connection);
            await refresh();
        });
        async function start() {
            try {
                await connection.start();
                await onStarted(connection);
                return true;
            } catch {
                setTimeout(start, 5000);
                return false;
            }
        }
        return start();
    }

    Promise.all([
        connect("/hubs/aufsicht", "supervisionChanged", c => c.invoke("Watch")),
        connect("/hubs/verfuegbarkeit", "availabilityChanged", c => Promise.all(counsellors.map(id => c.invoke("Watch", id)))),
    ]).then(started => {
        if (started.every(Boolean)) {
            host.dataset.live = "true";
        }
    });
    setInterval(refresh, 60000);
})();
