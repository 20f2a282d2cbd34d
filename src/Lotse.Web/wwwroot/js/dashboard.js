// Accountstatus tile: every change saves at once (no save button); the result is announced to screen readers.
(() => {
    "use strict";
    const form = document.getElementById("account-status");
    if (!form) {
        return;
    }
    const state = document.getElementById("status-save-state");
    const toggle = document.getElementById("regular-only");
    const hint = document.getElementById("regular-only-hint");
    let lastSaved = new FormData(form);

    function showHint() {
        hint.textContent = toggle.checked ? hint.dataset.on : hint.dataset.off;
    }

    function restore(data) {
        toggle.checked = data.getAll("Status.RegularClientsOnly").includes("true");
        for (const name of ["Status.Chat", "Status.Mail"]) {
            const value = data.get(name);
            for (const radio of form.querySelectorAll(`input[name="${name}"]`)) {
                radio.checked = radio.value === value;
            }
        }
        showHint();
    }

    form.addEventListener("change", async () => {
        showHint();
        const data = new FormData(form);
        state.className = "save-state";
        state.textContent = state.dataset.saving;
        form.setAttribute("aria-busy", "true");
        try {
            const response = await fetch(form.action, {
                method: "POST",
                body: data,
                headers: { "X-Requested-With": "fetch" },
                credentials: "same-origin",
            });
            const body = await response.json();
            if (response.ok) {
                lastSaved = data;
                state.className = "save-state save-state--ok";
                state.textContent = body.message;
            } else {
                restore(lastSaved);
                const details = body.errors ? Object.values(body.errors).flat().join(" ") : "";
                state.className = "save-state save-state--error";
                state.textContent = `${body.title} ${details}`.trim();
            }
        } catch {
            restore(lastSaved);
            state.className = "save-state save-state--error";
            state.textContent = state.dataset.failed;
        } finally {
            form.removeAttribute("aria-busy");
        }
    });
})();
